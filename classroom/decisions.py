"""What each role may decide in a round, checked; and how a decision reaches the model.

Standing choices (take part, hours, being in an interest group, a courier or business joining
activities) hold every week of the round and are kept when a player does not decide the next
round; one-off actions (reporting a problem one sees, invitations and a head's nomination for
the board, in the round's first week; a head calling an activity; a business offering its
parking and room) happen once, when chosen. A player's household reports, and a head or a
party member's household invites, only as the player chose: the player's choice replaces the
rule's for that household.
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
    "household": {"take_part": bool, "hours": float, "member": object, "report": bool,
                  "invite": object},  # invite: party members' households only
    "head": {"take_part": bool, "hours": float, "member": object, "report": bool,
             "invite": object, "call_activity": bool, "nominate": int},
    "courier": {"join_activity": bool, "report": bool},
    "business": {"offer": bool, "join_activity": bool},
}
STANDING = ("take_part", "hours", "member", "join_activity")
# neighbours a head invites when choosing to invite those who rarely take part (instead of the
# model's invitations for that week)
INVITES = 5
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
        elif key in ("member", "invite"):  # yes, no, or None: as the model would
            if value is not None and not isinstance(value, bool):
                raise DecisionError(f"{key} must be true, false or null")
            out[key] = value
        elif key == "nominate":
            out[key] = _nominee(role, value)
    # a household without a party member has no invitations to choose: only null, dropped
    if role.kind == "household" and not invites(role) and out.pop("invite") is not None:
        raise DecisionError("only a head or a party member's household can choose to "
                            "invite: invite must be null")
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


def _nominee(role: Role, value: Any) -> int | None:
    """A neighbour's position in the head's unit (not the head's own), or None."""
    if value is None:
        return None
    own = role.household - role.unit_start
    if isinstance(value, bool) or not isinstance(value, int) or not (
            0 <= value < role.unit_households) or value == own:
        raise DecisionError(f"nominate must be the position of a neighbour in the unit, "
                            f"0 to {role.unit_households - 1} except {own}, or null")
    return value


def invites(role: Role) -> int:
    """How many neighbours the role's household invites when the player chooses to: a head's
    ``INVITES``, a party member's household as many as the rule's; 0: not its choice."""
    return INVITES if role.kind == "head" else role.party_invites


def kept(decision: dict[str, Any]) -> dict[str, Any]:
    """A decision carried into a round the player did not decide: standing choices only
    (invitations as the model's, no nomination, no other one-off action)."""
    return {k: (v if k in STANDING else None if k in ("invite", "nominate") else False)
            for k, v in decision.items()}


def to_external(role: Role, decision: dict[str, Any] | None, ext: ExternalDecisions) -> None:
    """Put the round's choices into ``ext`` (None: the model's rule decides for this role).
    Reports, invitations and a nomination are for the round's first week; the caller ends
    them after it (``end_one_offs``)."""
    if role.kind in ("household", "head"):
        _household(role, decision, ext)
    elif role.kind == "courier":
        ext.courier_active[role.courier] = (-1 if decision is None
                                            else int(decision["join_activity"]))
        ext.courier_report[role.courier] = (-1 if decision is None
                                            else int(bool(decision.get("report"))))
    elif role.kind == "business":
        ext.business_join[role.business] = bool(decision and decision.get("join_activity"))


def _household(role: Role, decision: dict[str, Any] | None, ext: ExternalDecisions) -> None:
    h = role.household
    if decision is None:
        ext.take_part[h] = ext.member[h] = ext.report[h] = ext.invite[h] = -1
        ext.hours[h] = math.nan
        return
    ext.take_part[h] = int(decision["take_part"])
    hours = decision.get("hours")
    ext.hours[h] = math.nan if hours is None else hours
    member = decision.get("member")
    ext.member[h] = -1 if member is None else int(member)
    ext.report[h] = int(bool(decision.get("report")))
    invite = decision.get("invite") if invites(role) else None
    ext.invite[h] = -1 if invite is None else invites(role) if invite else 0
    if decision.get("nominate") is not None:
        ext.nominate[role.neighbour(decision["nominate"])] = True


def end_one_offs(ext: ExternalDecisions) -> None:
    """After a round's first week: players' households and couriers make no more reports this
    round, and heads who sent their own invitations leave the rest of the round's to the
    rule."""
    ext.report[ext.report == 1] = 0
    ext.courier_report[ext.courier_report == 1] = 0
    ext.invite[ext.invite > 0] = -1


def interventions(role: Role, decision: dict[str, Any] | None) -> list[tuple[str, dict]]:
    """The one-off actions of a decision, as live interventions (kind, details)."""
    if decision is None:
        return []
    if role.kind == "head" and decision.get("call_activity"):
        return [("start_club", {"unit": role.unit})]
    if role.kind == "business" and decision.get("offer"):
        return [("offer_parking", {"business": role.business})]
    return []
