"""Shared spaces and rotating duty, 共管 (ODD §7.10): each 里 has a shared space whose
quality rises with upkeep and decays without it; a roster can assign upkeep in turns."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import heads

if TYPE_CHECKING:
    from ..core import LinliModel


class SpaceState:
    """Per-里 quality and roster position; per-household duty this week."""

    def __init__(self, model: LinliModel) -> None:
        lay = model.layout
        self.quality = np.full(lay.count("li"), model.params.commons.quality_initial)
        self.pointer = np.zeros(lay.count("li"), dtype=np.int64)
        self.on_duty = np.zeros(lay.households, dtype=bool)
        self.turns = 0
        self.kept = 0


def assign(model: LinliModel) -> None:
    """Before the decision: the roster puts the next volunteers of each 里 on duty.

    Volunteers: party members, skilled residents and core volunteers (6 of the last 8 weeks).
    Each 里 has ``turns_per_week · households`` turns (stochastically rounded), given in
    rotation through its volunteers.
    """
    cm, pop, lay, state, rng = (model.params.commons, model.pop, model.layout, model.spaces,
                                model.rng)
    state.on_duty[:] = False
    if not (cm.enabled and cm.rotation):
        return
    volunteers = np.flatnonzero(pop.party | pop.skilled
                                | (heads.recent_weeks(pop.history) >= 6))
    if len(volunteers) == 0:
        return
    li = lay.li_of[volunteers]  # sorted, as households are
    per_li = np.bincount(li, minlength=len(state.quality))
    first = np.concatenate(([0], np.cumsum(per_li)[:-1]))
    households = np.bincount(lay.li_of, minlength=len(state.quality))
    turns = np.floor(cm.turns_per_week * households + rng.random(len(households))).astype(int)
    turns = np.minimum(turns, per_li)
    owner = np.repeat(np.arange(len(turns)), turns)
    step_in_li = np.arange(len(owner)) - np.repeat(np.cumsum(turns) - turns, turns)
    slot = (state.pointer[owner] + step_in_li) % np.maximum(per_li[owner], 1)
    state.on_duty[volunteers[first[owner] + slot]] = True
    state.pointer = (state.pointer + turns) % np.maximum(per_li, 1)


def step(model: LinliModel) -> None:
    """After the decision: upkeep from contributions and kept turns; quality moves."""
    cm, pop, lay, state = model.params.commons, model.pop, model.layout, model.spaces
    if not cm.enabled:
        return
    kept = state.on_duty & pop.contributed
    hours = cm.upkeep_share * pop.hours * ~state.on_duty + cm.duty_hours * kept
    upkeep = np.bincount(lay.li_of, weights=hours, minlength=len(state.quality))
    need = cm.upkeep_need * np.bincount(lay.li_of, minlength=len(state.quality))
    q = state.quality
    state.quality = np.clip(q + cm.gain * np.minimum(1.0, upkeep / need) * (1 - q)
                            - cm.decay * q, 0.0, 1.0)
    state.turns, state.kept = int(state.on_duty.sum()), int(kept.sum())
    # a missed turn is seen by the whole unit: its households revise their belief down
    missed = state.on_duty & ~pop.contributed
    if missed.any():
        per_unit = np.bincount(lay.unit_of, weights=missed, minlength=lay.units)
        seen = per_unit[lay.unit_of] / lay.unit_size[lay.unit_of]
        pop.belief -= (model.params.participation.belief_learning * seen
                       * pop.belief).astype(np.float32)


def quality_of(model: LinliModel) -> np.ndarray | None:
    """Per household: quality of its 里's shared space (None if commons are off)."""
    if not model.params.commons.enabled:
        return None
    return model.spaces.quality[model.layout.li_of]


def utility_term(model: LinliModel) -> np.ndarray | float:
    """Attachment to a well-kept space, and the assignment of a duty turn."""
    cm = model.params.commons
    if not cm.enabled:
        return 0.0
    return (cm.beta_quality * (quality_of(model) - 0.5)
            + cm.beta_duty * model.spaces.on_duty)
