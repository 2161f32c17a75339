"""Which outputs belong to which mechanism, so a switched-off one is reported as "not part
of this scenario" rather than as zeros."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

RUNS: dict[str, Callable[[Any], bool]] = {  # mechanism → whether it runs, given Params
    "recognition": lambda p: p.recognition.enabled,
    "groups": lambda p: p.groups.enabled,
    "heads": lambda p: p.heads.enabled,
    "problems": lambda p: p.problems.enabled,
    "couriers": lambda p: p.couriers.count > 0,
    "businesses": lambda p: p.businesses.count > 0,
    "commons": lambda p: p.commons.enabled,
    "councils": lambda p: p.councils.enabled,
}
_PROBLEMS = ("problems_arisen", "problems_open", "problems_reported", "problems_fixed",
             "problems_ignored", "mean_weeks_to_fix", "share_reported", "reports_top10_share",
             "co_evaluate")
NEEDS: dict[str, tuple[str, ...]] = {  # output → the mechanisms it needs (all of them)
    **{c: ("problems",) for c in _PROBLEMS},
    "reported_by_couriers": ("problems", "couriers"),
    "courier_report_share": ("problems", "couriers"),
    "courier_reporters": ("couriers",), "couriers_active": ("couriers",),
    "partnerships_active": ("businesses",), "parking_shared": ("businesses",),
    "rooms_shared": ("businesses",), "partnership_mean": ("businesses",),
    "co_build": ("businesses",),
    "space_quality": ("commons",), "duty_turns": ("commons",), "duty_turns_kept": ("commons",),
    "co_manage": ("commons",),
    "council_turnout": ("councils",), "co_plan": ("councils",),
    "council_fix": ("councils",), "council_spaces": ("councils",),
    "council_activities": ("councils",),
    "groups": ("groups",), "group_members": ("groups",), "largest_group": ("groups",),
    "group_cap_weeks": ("groups",), "participation_rate_members": ("groups",),
    "board_listed": ("recognition",), "board_thanked": ("recognition",),
    "neighbour_head_coverage": ("heads",), "head_vacancy": ("heads",),
    "head_candidates": ("heads",), "invited": ("heads",),
}
EITHER: dict[str, tuple[str, ...]] = {  # output → needs at least one of these
    "satisfaction": ("problems", "commons"), "co_share": ("problems", "commons"),
}


def part_of(column: str, params: Any, values: Iterable[float] | None = None) -> bool:
    """Whether ``column`` is part of a scenario with ``params``: its mechanisms run, and
    (when ``values`` are given) it has a value at all (the model leaves NaN otherwise)."""
    if not all(RUNS[m](params) for m in NEEDS.get(column, ())):
        return False
    either = EITHER.get(column)
    if either and not any(RUNS[m](params) for m in either):
        return False
    if values is not None:
        return any(not math.isnan(float(v)) for v in values) or column == "mean_weeks_to_fix"
    return True
