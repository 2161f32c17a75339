"""What each role could see at the start of a round — and nothing more (ODD §7.2–§7.9):
a household its unit's neighbours, the posted board, its group and the problems in sight (a
party member's household also the invitations it may make); a head also who in its unit was
active lately; a courier its route; a business its partnership and the units around it.
Plain values, logged with each decision."""

from __future__ import annotations

from typing import Any

import numpy as np

from model.core import LinliModel
from model.mechanisms.businesses import KINDS as BUSINESS_KINDS
from model.mechanisms.heads import recent_weeks

from .roles import Role


def sight(model: LinliModel, role: Role) -> dict[str, Any]:
    """The role's view of ``model`` now (the week just run)."""
    if role.kind == "courier":
        return _courier(model, role.courier)
    if role.kind == "business":
        return _business(model, role.business)
    seen = _household(model, role.household)
    if role.kind == "household" and role.party_invites:  # a party member: invitations to make
        seen["party_invites"] = role.party_invites if model.active("heads") else 0
    if role.kind == "head":
        seen.update(_head(model, role.unit))
        if model.active("recognition"):
            seen["unit_contributors"] = _contributors(model, role)
    return seen


def _members(model: LinliModel, unit: int) -> np.ndarray:
    lay = model.layout
    return np.arange(lay.unit_start[unit], lay.unit_start[unit] + lay.unit_size[unit])


def _household(model: LinliModel, household: int) -> dict[str, Any]:
    pop, lay = model.pop, model.layout
    unit = int(lay.unit_of[household])
    others = _members(model, unit)
    others = others[others != household]
    group = int(pop.group[household])
    mates = np.flatnonzero(pop.group == group) if group >= 0 else np.zeros(0, dtype=int)
    reg = model.groups
    nearby = -1
    if model.active("groups") and len(reg):
        nearby = int(reg.active_in_cell[reg.cell_of[household]])
    board = model.board
    on_board = model.active("recognition") and board.week is not None
    return {
        "week": model.week,
        "unit": unit,
        "neighbours": len(others),
        "neighbours_took_part": int(pop.contributed[others].sum()),
        "neighbours_known": int(pop.known[household]),
        "i_took_part": bool(pop.contributed[household]),
        "my_hours": round(float(pop.hours[household]), 2),
        "my_weeks_active": int(pop.weeks_active[household]),
        "invited": bool(pop.invited[household]),
        "unit_has_head": bool((pop.head[others] > 0).any() or pop.head[household] > 0),
        "group": group,
        "group_members": len(mates),
        "group_took_part": int(pop.contributed[mates].sum()),
        "group_nearby": nearby,  # the active group of one's interest one could join, or -1
        "group_nearby_members": int(reg.members[nearby]) if nearby >= 0 else 0,
        "board_week": int(board.week) if on_board else None,
        "board_listed_in_unit": int(board.listed[others].sum()) if on_board else 0,
        "i_am_listed": bool(board.listed[household]) if on_board else False,
        "problems_in_sight": int(model.problems.open_seen[household]),
    }


def _head(model: LinliModel, unit: int) -> dict[str, Any]:
    pop = model.pop
    members = _members(model, unit)
    return {
        "unit_households": len(members),
        "unit_active_lately": int((recent_weeks(pop.history[members]) > 0).sum()),
        "unit_invited": int(pop.invited[members].sum()),
        "unit_in_groups": int((pop.group[members] >= 0).sum()),
    }


def _contributors(model: LinliModel, role: Role) -> list[list[float]]:
    """The head's neighbours who took part since the last board, as [position in the unit,
    hours], most hours first: whom the head could nominate (a board lists contributors)."""
    members = _members(model, role.unit)
    hours = model.pop.period_hours[members]
    order = np.lexsort((np.arange(len(members)), -hours))
    return [[int(i), round(float(hours[i]), 1)] for i in order
            if hours[i] > 0 and members[i] != role.household]


def _courier(model: LinliModel, courier: int) -> dict[str, Any]:
    state, book = model.couriers, model.problems
    route = state.households(courier)
    on_route = np.isin(book.place, route)
    return {
        "week": model.week,
        "route_units": [int(u) for u in state.route(courier)],
        "route_households": len(route),
        "route_took_part": int(model.pop.contributed[route].sum()),
        "near_station": bool(state.near_station[courier]),
        "attachment": round(float(state.attachment[courier]), 3),
        "i_was_active": bool(state.active[courier]),
        "problems_on_route": int(on_route.sum()),
        "problems_on_route_reported": int((on_route & (book.reported_week >= 0)).sum()),
    }


def _business(model: LinliModel, business: int) -> dict[str, Any]:
    state, lay = model.businesses, model.layout
    lo, hi = int(state.first_unit[business]), int(state.last_unit[business])
    near = (lay.unit_of >= lo) & (lay.unit_of < hi)
    return {
        "week": model.week,
        "kind": BUSINESS_KINDS[int(state.kind[business])],
        "units": [lo, hi - 1],
        "households_near": int(near.sum()),
        "near_took_part": int(model.pop.contributed[near].sum()),
        "partnership": round(float(state.partnership[business]), 3),
        "sharing": bool(state.sharing[business]),
        "parking_places": int(state.parking[business]),
        "has_room": bool(state.room[business]),
    }


def rule_inputs(model: LinliModel, role: Role) -> dict[str, Any]:
    """For research, not shown to the player: the state the model's decision rule reads for
    the role's household (ODD §7.3) when the round opens."""
    if role.household < 0:
        return {}
    pop, h = model.pop, role.household
    return {"btype": int(pop.btype[h]), "civic": round(float(pop.civic[h]), 4),
            "time_budget": round(float(pop.time_budget[h]), 4),
            "belief": round(float(pop.belief[h]), 4), "habit": round(float(pop.habit[h]), 4),
            "trust": round(float(pop.trust[h]), 4), "known": int(pop.known[h]),
            "party": bool(pop.party[h]), "head": int(pop.head[h])}
