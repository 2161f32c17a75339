"""Live interventions (ODD §7.14): what a trainer can do while the model runs.

Each call queues an intervention; it takes effect at the start of the next week and is
logged (``model.intervention_log``) so charts can mark it. An intervention may start a
mechanism the scenario left off (a red list posted once, a club in one unit, one head); it
then runs with that mechanism's parameters, without its routine (no regular boards, no new
foundings, no reviews).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .mechanisms import recognition
from .population import HeadRank

if TYPE_CHECKING:
    from .core import LinliModel

KINDS = ("post_red_list", "start_club", "appoint_head", "open_station", "offer_parking")


class InterventionError(ValueError):
    """An intervention cannot be applied (unknown kind, or no such unit, grid or business)."""


@dataclass(frozen=True)
class Intervention:
    kind: str
    details: dict[str, Any] = field(default_factory=dict)
    week: int = 0  # the week it takes effect


def queue(model: LinliModel, kind: str, **details: Any) -> Intervention:
    """Check and queue an intervention for the start of the next week."""
    check(model, kind, details)
    item = Intervention(kind, details, model.week + 1)
    model.pending_interventions.append(item)
    return item


def check(model: LinliModel, kind: str, details: dict[str, Any]) -> None:
    """Raise InterventionError if ``kind`` with ``details`` cannot be applied to ``model``."""
    if kind not in KINDS:
        raise InterventionError(f"unknown intervention '{kind}'; allowed: {', '.join(KINDS)}")
    lay = model.layout
    limits = {"unit": lay.units, "household": lay.households, "grid": lay.count("grid"),
              "business": len(model.businesses)}
    for key, value in details.items():
        if key in limits and not (isinstance(value, int | np.integer)
                                  and 0 <= value < limits[key]):
            raise InterventionError(f"{kind}: {key} must be an integer in 0..{limits[key] - 1} "
                                    f"(got {value!r})")
    if kind == "open_station" and len(model.couriers) == 0:
        raise InterventionError("open_station: this scenario has no couriers")
    if kind == "offer_parking" and len(model.businesses) == 0:
        raise InterventionError("offer_parking: this scenario has no businesses")


def apply_pending(model: LinliModel) -> None:
    """Apply what was queued (called by ``LinliModel.step`` before anything else)."""
    for item in model.pending_interventions:
        APPLY[item.kind](model, **item.details)
        model.intervention_log.append(item)
    model.pending_interventions.clear()


def _post_red_list(model: LinliModel) -> None:
    model.started.add("recognition")
    recognition.post(model, completed=model.week - 1)


def _start_club(model: LinliModel, unit: int) -> None:
    """A skilled household of ``unit`` (else its most civic one) founds a club."""
    pop, lay = model.pop, model.layout
    members = np.arange(lay.unit_start[unit], lay.unit_start[unit] + lay.unit_size[unit])
    free = members[pop.group[members] < 0]
    if len(free) == 0:
        return
    key = pop.skilled[free] * 10 + pop.civic[free]
    leader = int(free[np.argmax(key)])
    reg = model.groups
    cell = reg.cell_of[leader]
    if reg.active_in_cell[cell] >= 0:  # a club of that interest exists here: the leader joins
        pop.group[leader] = reg.active_in_cell[cell]
    else:
        reg.found(np.array([leader]), model.week, pop)
    reg.members = np.bincount(pop.group[pop.group >= 0], minlength=len(reg))
    model.started.add("groups")


def _appoint_head(model: LinliModel, household: int) -> None:
    model.pop.head[household] = max(int(model.pop.head[household]), HeadRank.NEIGHBOUR)
    model.started.add("heads")


def _open_station(model: LinliModel, grid: int) -> None:
    model.couriers.open_station(grid)


def _offer_parking(model: LinliModel, business: int) -> None:
    """The business moves into full partnership and shares what it has."""
    state = model.businesses
    state.partnership[business] = 1.0  # then it evolves as any partnership does
    state.sharing[business] = True


APPLY = {"post_red_list": _post_red_list, "start_club": _start_club,
         "appoint_head": _appoint_head, "open_station": _open_station,
         "offer_parking": _offer_parking}
