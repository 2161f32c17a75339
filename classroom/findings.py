"""Plain-language findings from a finished (or running) room: what the room changed against
the shadow world, how the players' choices compare with the model's rule, what heads and
neighbours did. Each finding is a label key and its fields, so both languages agree."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .world import World


@dataclass(frozen=True)
class Finding:
    key: str
    fields: dict[str, object]


def findings(world: World) -> list[Finding]:
    """Three or four findings (fewer before the first round has closed)."""
    with world._lock:
        log = world.log.frame()
        room, shadow = world.room, world.shadow
        if log.empty or room.week == 0:
            return []
        out = [_overall(room.frame, shadow.frame)]
        households = log[log["household"] >= 0]
        if not households.empty:
            out.append(_players_vs_rule(households))
            out.append(_neighbours(world, households))
        for found in (_invites(log), _nominations(world, log)):
            if found is not None:
                out.append(found)
        heads = log[(log["role"] == "head") & log["decision_call_activity"].fillna(False)]
        if not heads.empty:
            out.append(_heads(world, heads))
        late = int((log["source"] != "submitted").sum())
        if late:
            out.append(Finding("finding_late", {"late": late, "total": len(log)}))
        return out[:4]


def _overall(room: pd.DataFrame, shadow: pd.DataFrame) -> Finding:
    last = min(4, len(room))  # the last four weeks, or as many as there are
    r = float(room["participation_rate"].tail(last).mean())
    s = float(shadow["participation_rate"].tail(last).mean())
    return Finding("finding_overall", {"weeks": last, "room": f"{100 * r:.1f}",
                                       "shadow": f"{100 * s:.1f}",
                                       "diff": f"{100 * (r - s):+.1f}"})


def _players_vs_rule(households: pd.DataFrame) -> Finding:
    decided = households[households["decision_take_part"].notna()]
    took = float(decided["decision_take_part"].astype(bool).mean()) if len(decided) else 0.0
    rule = float(households["rule_propensity"].mean())
    return Finding("finding_rule", {"took": f"{100 * took:.0f}", "rule": f"{100 * rule:.0f}",
                                    "decisions": len(decided)})


def _neighbours(world: World, households: pd.DataFrame) -> Finding:
    """Non-player households in the players' units: weeks taken part, room against shadow."""
    lay = world.room.layout
    players = households["household"].unique()
    units = np.unique(lay.unit_of[players])
    near = np.isin(lay.unit_of, units)
    near[players] = False
    room = int(world.room.pop.weeks_active[near].sum())
    shadow = int(world.shadow.pop.weeks_active[near].sum())
    return Finding("finding_neighbours", {"households": int(near.sum()), "units": len(units),
                                          "room": room, "shadow": shadow,
                                          "diff": f"{room - shadow:+d}"})


def _invites(log: pd.DataFrame) -> Finding | None:
    """The player who invited most (a head, or a party member's household): how many
    invitations, and how many took part that week."""
    outcomes = log["outcome"].map(json.loads)
    rows = log[outcomes.map(lambda o: "invited" in o)]
    if rows.empty:
        return None
    outcomes = outcomes[rows.index]
    invited = outcomes.map(lambda o: len(o.get("invited", [])))
    took = outcomes.map(lambda o: o.get("invited_took_part", 0))
    per = pd.DataFrame({"p": rows["pseudonym"], "unit": rows["unit"], "role": rows["role"],
                        "i": invited, "t": took})
    totals = per.groupby(["p", "unit", "role"], sort=True)[["i", "t"]].sum()
    (player, unit, role), best = totals["i"].idxmax(), totals.loc[totals["i"].idxmax()]
    key = "finding_invite" if role == "head" else "finding_invite_party"
    return Finding(key, {"player": player, "unit": int(unit),
                         "invited": int(best["i"]), "took": int(best["t"])})


def _nominations(world: World, log: pd.DataFrame) -> Finding | None:
    """The head who nominated most: whom, and the weeks those neighbours took part, room
    against shadow (where nobody nominates)."""
    nominated = log["outcome"].map(lambda o: json.loads(o).get("nominated", -1))
    rows = log.assign(nominee=nominated)[nominated >= 0]
    if rows.empty:
        return None
    player = rows.groupby("pseudonym")["nominee"].nunique().idxmax()
    nominees = rows.loc[rows["pseudonym"] == player, "nominee"].unique()
    return Finding("finding_nominate", {
        "player": player, "nominated": len(nominees),
        "listed": int(world.room.board.listed[nominees].sum()),
        "room": int(world.room.pop.weeks_active[nominees].sum()),
        "shadow": int(world.shadow.pop.weeks_active[nominees].sum())})


def _heads(world: World, calls: pd.DataFrame) -> Finding:
    lay = world.room.layout
    unit = int(calls["unit"].iloc[0])
    who = calls["pseudonym"].iloc[0]
    members = np.flatnonzero(lay.unit_of == unit)
    room_members = int((world.room.pop.group[members] >= 0).sum())
    shadow_members = int((world.shadow.pop.group[members] >= 0).sum())
    took = int(world.room.pop.contributed[members].sum())
    return Finding("finding_head", {"player": who, "unit": unit, "calls": len(calls),
                                    "members": room_members, "shadow_members": shadow_members,
                                    "took": took, "households": len(members)})
