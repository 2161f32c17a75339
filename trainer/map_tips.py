"""The map's tooltips, written when a trainer hovers a shape (``map_svg`` names shapes as
``(kind, index)``), so they always tell this week's state and cost nothing until asked."""

from __future__ import annotations

import numpy as np

from . import map as mp
from .labels import tr
from .state import Snapshot


def _household_tip(snap: Snapshot, h: int, lang: str) -> str:
    lay = snap.layout
    lines = [tr("tip_household", lang, household=h, unit=int(lay.unit_of[h]),
                grid=int(lay.grid_of[h])),
             tr("tip_took_part" if snap.contributed[h] else "tip_not_this_week", lang),
             tr("tip_recent_weeks", lang, n=int(snap.recent[h]), total=int(snap.weeks_active[h]))]
    tags = []
    if snap.party[h]:
        tags.append(tr("tip_party", lang))
    if snap.head[h] > 0:
        tags.append(tr(f"tip_head_{int(snap.head[h])}", lang))
    if snap.member[h]:
        tags.append(tr("tip_member", lang))
    if snap.recent_arrival[h]:
        tags.append(tr("tip_recent_arrival", lang))
    if tags:
        lines.append(" · ".join(tags))
    if snap.listed[h]:
        lines.append(tr("tip_listed", lang, hours=float(snap.board_hours[h])))
    return "\n".join(lines)


def _stats(group_of: np.ndarray, size: int, snap: Snapshot) -> mp.CellStats:
    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(group_of, weights=mask, minlength=size).astype(int)

    return mp.CellStats(size=np.bincount(group_of, minlength=size),
                        this_week=count(snap.contributed), recent=count(snap.recent > 0),
                        party=count(snap.party), heads=count(snap.head > 0),
                        members=count(snap.member))


def _stats_tip(head: str, stats: mp.CellStats, i: int, lang: str) -> str:
    return "\n".join([head,
                      tr("tip_shares", lang, this=float(stats.share[i]),
                         recent=float(stats.recent_share[i])),
                      tr("tip_counts", lang, party=int(stats.party[i]), heads=int(stats.heads[i]),
                         members=int(stats.members[i]))])


def _unit_tip(snap: Snapshot, u: int, lang: str) -> str:
    lay = snap.layout
    head = tr("tip_unit", lang, unit=u, size=int(lay.unit_size[u]), grid=int(lay.grid_of_unit[u]))
    return _stats_tip(head, _stats(lay.unit_of, lay.units, snap), u, lang)


def _grid_tip(snap: Snapshot, g: int, lang: str) -> str:
    lay = snap.layout
    grids = lay.count("grid")
    stats = _stats(lay.grid_of, grids, snap)
    units = int(np.count_nonzero(lay.grid_of_unit == g))
    head = tr("tip_grid", lang, grid=g, size=int(stats.size[g]), units=units)
    return _stats_tip(head, stats, g, lang)


def _courier_tip(snap: Snapshot, c: int, lang: str) -> str:
    cv = snap.couriers
    key = "tip_courier_station" if cv.near_station[c] else "tip_courier_no_station"
    lines = [tr("tip_courier", lang, courier=c, units=len(np.unique(cv.routes[c]))),
             tr(key, lang, attachment=float(cv.attachment[c]))]
    if cv.active[c]:
        lines.append(tr("tip_courier_active", lang))
    lines.append(tr("tip_courier_reports", lang, reports=int(cv.reports[c])))
    return "\n".join(lines)


def _business_tip(snap: Snapshot, b: int, lang: str) -> str:
    from model.mechanisms.businesses import KINDS

    bv = snap.businesses
    lines = [tr("tip_business", lang, business=b, kind=tr(f"kind_{KINDS[int(bv.kind[b])]}", lang),
                first=int(bv.first_unit[b]), last=int(bv.last_unit[b]) - 1),
             tr("tip_partnership", lang, partnership=float(bv.partnership[b]))]
    if bv.sharing[b]:
        room = tr("tip_room", lang) if bv.room[b] else ""
        lines.append(tr("tip_sharing", lang, parking=int(bv.parking[b]), room=room))
    return "\n".join(lines)


def tip(geom: mp.MapGeometry, snap: Snapshot, kind: str, i: int, lang: str) -> str:
    """The tooltip of shape ``i`` of group ``kind`` this week ("" if there is no such shape)."""
    lay = snap.layout
    limits = {"household": lay.households, "unit": lay.units, "grid": lay.count("grid"),
              "station": lay.count("grid"), "block": len(geom.block_box),
              "courier": len(snap.couriers), "business": len(snap.businesses)}
    if kind not in limits or not 0 <= i < limits[kind]:
        return ""
    if kind == "household":
        return _household_tip(snap, i, lang)
    if kind == "unit":
        return _unit_tip(snap, i, lang)
    if kind == "grid" or (kind == "block" and geom.block_kind == "grid"):
        return _grid_tip(snap, i, lang)
    if kind == "block":
        return tr("block_community", lang, id=i)
    if kind == "station":
        return tr("tip_station", lang, grid=i)
    if kind == "courier":
        return _courier_tip(snap, i, lang)
    return _business_tip(snap, i, lang)
