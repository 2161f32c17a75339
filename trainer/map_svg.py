"""The community map as SVG for the app: light, scalable, with a tooltip (``<title>``) on
every household, unit, grid cell, courier, station and business."""

from __future__ import annotations

from html import escape

import numpy as np

from . import map as mp
from .labels import tr
from .state import Snapshot

CELL = mp.CELL


def _f(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _title(text: str) -> str:
    return f"<title>{escape(text)}</title>"


def _rect(box, cls: str = "", extra: str = "", title: str = "") -> str:
    x0, y0, x1, y1 = (float(v) for v in box)
    klass = f' class="{cls}"' if cls else ""
    inner = _title(title) if title else ""
    return (f'<rect{klass} x="{_f(x0)}" y="{_f(y0)}" width="{_f(x1 - x0)}" '
            f'height="{_f(y1 - y0)}" {extra}>{inner}</rect>')


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


def _stats_tip(head: str, stats: mp.CellStats, i: int, lang: str) -> str:
    return "\n".join([head,
                      tr("tip_shares", lang, this=float(stats.share[i]),
                         recent=float(stats.recent_share[i])),
                      tr("tip_counts", lang, party=int(stats.party[i]), heads=int(stats.heads[i]),
                         members=int(stats.members[i]))])


def _unit_tip(snap: Snapshot, stats: mp.CellStats, u: int, lang: str) -> str:
    lay = snap.layout
    head = tr("tip_unit", lang, unit=u, size=int(lay.unit_size[u]), grid=int(lay.grid_of_unit[u]))
    return _stats_tip(head, stats, u, lang)


def _grid_tips(snap: Snapshot, lang: str) -> list[str]:
    lay = snap.layout
    grids = lay.count("grid")
    size = np.bincount(lay.grid_of, minlength=grids)
    units = np.bincount(lay.grid_of_unit, minlength=grids)
    this = np.bincount(lay.grid_of, weights=snap.contributed, minlength=grids)
    recent = np.bincount(lay.grid_of, weights=snap.recent > 0, minlength=grids)
    stats = mp.CellStats(size=size, this_week=this, recent=recent,
                         party=np.bincount(lay.grid_of, weights=snap.party, minlength=grids),
                         heads=np.bincount(lay.grid_of, weights=snap.head > 0, minlength=grids),
                         members=np.bincount(lay.grid_of, weights=snap.member, minlength=grids))
    return [_stats_tip(tr("tip_grid", lang, grid=g, size=int(size[g]), units=int(units[g])),
                       stats, g, lang) for g in range(grids)]


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


def render(geom: mp.MapGeometry, snap: Snapshot, lang: str) -> str:
    """The whole map as one ``<svg>`` element (scales to its container's width)."""
    font = mp.label_size(geom)
    stroke = max(0.05, geom.width / 900)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="linli-map-svg" '
        f'data-level="{geom.level}" data-week="{snap.week}" '
        f'viewBox="-0.6 -0.6 {_f(geom.width + 1.2)} {_f(geom.height + 1.2)}" '
        f'width="100%" preserveAspectRatio="xMidYMin meet" '
        f'style="font-family: \'Noto Sans CJK SC\', \'Noto Sans SC\', sans-serif; '
        f'max-height: 78vh">',
        "<style>" + "".join(f".s{i}{{fill:{c}}}" for i, c in enumerate(mp.STATE_COLOURS))
        + "".join(f".b{i}{{fill:{c}}}" for i, c in enumerate(mp.SHARE_COLOURS))
        + ".deco,.route{pointer-events:none}"
        + f".route{{fill:none;stroke:{mp.COURIER_COLOUR};stroke-opacity:0.05;"
        + f"stroke-width:{_f(max(0.06, stroke * 1.5))}}}"
        + ".near .route{stroke-opacity:0.16}"
        + ".courier:hover .route{stroke-opacity:0.95;stroke-width:0.3}</style>",
    ]
    parts += _blocks(geom, snap, lang, font, stroke)
    parts += _cells(geom, snap, lang, stroke)
    parts += _stations(geom, snap, lang, font)
    parts += _couriers(geom, snap, lang, stroke)
    parts += _businesses(geom, snap, lang, stroke)
    parts += _interventions(geom, snap, lang, font, stroke)
    parts.append("</svg>")
    return "".join(parts)


def _blocks(geom: mp.MapGeometry, snap: Snapshot, lang: str, font: float,
            stroke: float) -> list[str]:
    out = ['<g class="blocks">']
    grid_tips = _grid_tips(snap, lang) if geom.block_kind == "grid" else None
    key = "block_grid" if geom.block_kind == "grid" else "block_community"
    for b, box in enumerate(geom.block_box):
        tip = grid_tips[b] if grid_tips is not None else tr(key, lang, id=b)
        out.append(_rect(box, extra=f'rx="0.4" fill="#fafafa" stroke="{mp.FRAME_COLOUR}" '
                                    f'stroke-width="{_f(stroke)}"', title=tip))
        out.append(f'<text class="deco" x="{_f(box[0] + mp.BLOCK_PAD)}" '
                   f'y="{_f(box[1] + mp.BLOCK_PAD + font * 0.8)}" font-size="{_f(font)}" '
                   f'fill="#424242">{escape(tr(key, lang, id=b))}</text>')
    out.append("</g>")
    return out


def _stations(geom: mp.MapGeometry, snap: Snapshot, lang: str, font: float) -> list[str]:
    """A station sits in its grid block's top-right corner (or in its grid cell's corner
    when the map shows grid cells)."""
    out = ['<g class="stations">']
    for g in np.flatnonzero(snap.station_grid):
        x1, y0 = geom.grid_box[g][2], geom.grid_box[g][1]
        if geom.level == "grid":
            box = (x1 - 0.55, y0 + 0.05, x1 - 0.15, y0 + 0.45)
        else:
            s = font * 1.1
            box = (x1 - s - 0.3, y0 + 0.25, x1 - 0.3, y0 + 0.25 + s)
        out.append(_rect(box, cls="station", extra=f'rx="0.1" fill="{mp.STATION_COLOUR}" '
                                                   'stroke="#ffffff" stroke-width="0.05"',
                         title=tr("tip_station", lang, grid=int(g))))
    out.append("</g>")
    return out


def _cells(geom: mp.MapGeometry, snap: Snapshot, lang: str, stroke: float) -> list[str]:
    out = ['<g class="cells">']
    if geom.level == "household":
        stats = mp.unit_stats(snap)
        for u, box in enumerate(geom.unit_box):
            out.append(_rect(box + np.array([-0.2, -0.2, 0.2 - (1 - CELL), 0.2 - (1 - CELL)]),
                             cls="tile", extra='fill="#ffffff" stroke="#bdbdbd" '
                                               f'stroke-width="{_f(stroke)}"',
                             title=_unit_tip(snap, stats, u, lang)))
        state = mp.household_state(snap)
        for h, (x, y) in enumerate(geom.cells):
            out.append(_rect((x, y, x + CELL, y + CELL), cls=f"s{state[h]}",
                             title=_household_tip(snap, h, lang)))
        out.append("</g>")
        out += _household_marks(geom, snap, stroke)
        return out
    stats = mp.cell_stats(geom, snap)
    bins = mp.share_bin(stats.share)
    tips = (_grid_tips(snap, lang) if geom.level == "grid"
            else [_unit_tip(snap, stats, u, lang) for u in range(len(geom.cells))])
    for i, (x, y) in enumerate(geom.cells):
        out.append(_rect((x, y, x + CELL, y + CELL), cls=f"b{bins[i]}",
                         extra=f'stroke="#bdbdbd" stroke-width="{_f(stroke)}"', title=tips[i]))
    out.append("</g>")
    return out


def _household_marks(geom: mp.MapGeometry, snap: Snapshot, stroke: float) -> list[str]:
    out = ['<g class="deco">']
    for h in np.flatnonzero(snap.listed):
        x, y = geom.cells[h]
        out.append(f'<rect class="listed" x="{_f(x + 0.06)}" y="{_f(y + 0.06)}" '
                   f'width="{_f(CELL - 0.12)}" height="{_f(CELL - 0.12)}" fill="none" '
                   f'stroke="{mp.LISTED_COLOUR}" stroke-width="0.14"/>')
    for h in np.flatnonzero(snap.party):
        x, y = geom.cells[h]
        out.append(f'<circle class="party" cx="{_f(x + 0.25)}" cy="{_f(y + 0.25)}" r="0.15" '
                   f'fill="{mp.PARTY_COLOUR}"/>')
    for h in np.flatnonzero(snap.head > 0):
        x, y = geom.cells[h]
        out.append(f'<path class="head" d="M{_f(x + CELL - 0.42)} {_f(y + 0.08)}h0.36v0.36z" '
                   f'fill="{mp.HEAD_COLOUR}"/>')
    out.append("</g>")
    return out


def _couriers(geom: mp.MapGeometry, snap: Snapshot, lang: str, stroke: float) -> list[str]:
    cv = snap.couriers
    if len(cv) == 0 or geom.level == "grid":  # at grid level routes would cover everything
        return []
    out = ['<g class="couriers">']
    width = max(0.06, stroke * 1.5)
    for c, pts in enumerate(mp.courier_paths(geom, snap)):
        # a faint route (solid if it passes a station); hovering the marker shows it fully
        dash = "" if cv.near_station[c] else f' stroke-dasharray="{_f(width * 4)} {_f(width * 3)}"'
        lines = []
        for seg in np.split(pts, np.flatnonzero(np.isnan(pts[:, 0]))):
            seg = seg[~np.isnan(seg[:, 0])]
            if len(seg):
                points = " ".join(f"{_f(x)},{_f(y)}" for x, y in seg)
                lines.append(f'<polyline class="route" points="{points}"{dash}/>')
        real = pts[~np.isnan(pts[:, 0])]
        x, y = real[len(real) // 2]
        r = 0.34
        fill = mp.COURIER_COLOUR if cv.active[c] else "#ffffff"
        near = " near" if cv.near_station[c] else ""
        out.append(f'<g class="courier{near}">{"".join(lines)}'
                   f'<path class="marker" d="M{_f(x)} {_f(y - r)}l{_f(r)} {_f(r)}l{_f(-r)} '
                   f'{_f(r)}l{_f(-r)} {_f(-r)}z" fill="{fill}" stroke="{mp.COURIER_COLOUR}" '
                   f'stroke-width="0.1">{_title(_courier_tip(snap, c, lang))}</path></g>')
    out.append("</g>")
    return out


def _businesses(geom: mp.MapGeometry, snap: Snapshot, lang: str, stroke: float) -> list[str]:
    bv = snap.businesses
    if len(bv) == 0 or geom.level == "grid":
        return []
    out = ['<g class="businesses">']
    for b, (x, y) in enumerate(mp.business_anchor(geom, snap)):
        s = 0.8
        fill = mp.SHARING_COLOUR if bv.sharing[b] else "#ffffff"
        out.append(_rect((x - 0.5, y - 0.5, x - 0.5 + s, y - 0.5 + s), cls="business",
                         extra=f'fill="{fill}" stroke="{mp.BUSINESS_COLOURS[int(bv.kind[b])]}" '
                               f'stroke-width="0.16"',
                         title=_business_tip(snap, b, lang)))
    out.append("</g>")
    return out


def _interventions(geom: mp.MapGeometry, snap: Snapshot, lang: str, font: float,
                   stroke: float) -> list[str]:
    out = ['<g class="interventions deco">']
    for mark in mp.visible_marks(snap):
        box = mp.mark_box(geom, snap, mark.kind, mark.details)
        if box is None:
            continue
        dash = f' stroke-dasharray="{_f(font * 0.4)} {_f(font * 0.25)}"' if mark.pending else ""
        pad = 0.35
        out.append(_rect((box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad),
                         cls="intervention",
                         extra=f'data-kind="{mark.kind}" fill="none" '
                               f'stroke="{mp.INTERVENTION_COLOUR}" '
                               f'stroke-width="{_f(max(0.18, stroke * 3))}"{dash}'))
        out.append(f'<text x="{_f(box[0])}" y="{_f(box[1] - pad - 0.15)}" '
                   f'font-size="{_f(font * 0.8)}" fill="{mp.INTERVENTION_COLOUR}" '
                   f'stroke="#ffffff" stroke-width="{_f(font * 0.25)}" paint-order="stroke">'
                   f'{escape(tr("iv_short_" + mark.kind, lang))}</text>')
    out.append("</g>")
    return out
