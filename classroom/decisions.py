"""What each role may decide in a round, checked; and how a decision reaches the model.

Standing choices (take part, hours, being in an interest group, a courier joining an
activity) hold every week of the round and are kept when a player does not decide the next
round; one-off actions (reporting a problem one sees and a head inviting neighbours, in the
round's first week; a head calling an activity; a business offering its parking and room)
happen once, when chosen.
They reach the model only through ``model.external`` (ODD §6) and live interventions
(ODD §7.14), as any other input.
"""

from __future__ import annotations

import math
from typing import Any

from model.external import ExternalDecisions

from .roles import Role

MAX_HOURS = 40.0  # a week's hours a player may give (the rule's may be small: > 0)
FIELDS: dict[str, dict[str, type]] = {
    "household": {"take_part": bool, "hours": float, "member": object, "report": bool},
    "head": {"take_part": bool, "hours": float, "member": object, "report": bool,
             "invite": bool, "call_activity": bool},
    "courier": {"join_activity": bool, "report": bool},
    "business": {"offer": bool},
}
STANDING = ("take_part", "hours", "member", "join_activity")
INVITES = 5  # neighbours a head invites when choosing to (besides the model's invitations)
REQUIRED = {"household": "take_part", "head": "take_part", "courier": "join_activity",
            "business": "offer"}


class DecisionError(ValueError):
    """A decision this role cannot make (unknown field, wrong type, out of range)."""


def check(role: Role, decision: dict[str, Any]) -> dict[str, Any]:
    """The decision, normalised (hours a float or None), or DecisionError."""
    allowed = FIELDS[role.kind]
    unknown = sorted(set(decision) - set(allowed))
    if unknown:
        raise DecisionError(f"a {role.kind} cannot decide {', '.join(unknown)}")
    if REQUIRED[role.kind] not in decision:
        raise DecisionError(f"a {role.kind}'s decision needs {REQUIRED[role.kind]}")
    out: dict[str, Any] = {}
    for key, kind in allowed.items():
        value = decision.get(key)
        if kind is bool:
            if value is None:
                value = False
            if not isinstance(value, bool):
                raise DecisionError(f"{key} must be true or false")
            out[key] = value
        elif key == "hours":
            out[key] = _hours(value)
        elif key == "member":  # in an interest group, out of it, or None: as the model would
            if value is not None and not isinstance(value, bool):
                raise DecisionError("member must be true, false or null")
            out[key] = value
    if out.get("take_part") is False:
        out["hours"] = None
    return out


def _hours(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise DecisionError("hours must be a number")
    if not 0 < value <= MAX_HOURS:
        raise DecisionError(f"hours must be more than 0 and at most {MAX_HOURS:g}")
    return float(value)


def kept(decision: dict[str, Any]) -> dict[str, Any]:
    """A decision carried into a round the player did not decide: standing choices only."""
    return {k: (v if k in STANDING else False) for k, v in decision.items()}


def to_external(role: Role, decision: dict[str, Any] | None, ext: ExternalDecisions) -> None:
    """Put the standing choices into ``ext`` (None: the model's rule decides for this role)."""
    if role.kind in ("household", "head"):
        ext.report[role.household] = bool(decision and decision.get("report"))
        ext.invite[role.household] = INVITES if decision and decision.get("invite") else 0
        if decision is None:
            ext.take_part[role.household] = -1
            ext.hours[role.household] = math.nan
            ext.member[role.household] = -1
            return
        ext.take_part[role.household] = int(decision["take_part"])
        hours = decision.get("hours")
        ext.hours[role.household] = math.nan if hours is None else hours
        member = decision.get("member")
        ext.member[role.household] = -1 if member is None else int(member)
    elif role.kind == "courier":
        ext.courier_active[role.courier] = (-1 if decision is None
                                            else int(decision["join_activity"]))
        ext.courier_report[role.courier] = bool(decision and decision.get("report"))


def interventions(role: Role, decision: dict[str, Any] | None) -> list[tuple[str, dict]]:
    """The one-off actions of a decision, as live interventions (kind, details)."""
    if decision is None:
        return []
    if role.kind == "head" and decision.get("call_activity"):
        return [("start_club", {"unit": role.unit})]
    if role.kind == "business" and decision.get("offer"):
        return [("offer_parking", {"business": role.business})]
    return []
