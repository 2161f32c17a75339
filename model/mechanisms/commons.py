"""Shared spaces and rotating duty, 共管 (ODD §7.10): each building has a shared space whose
quality rises with upkeep (with diminishing returns) and decays without it; a roster can
assign upkeep in turns. Residents judge the space against what they have come to expect of
it, so a space that improves draws them in and a neglected one pushes them away."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import councils, couriers, heads

if TYPE_CHECKING:
    from ..core import LinliModel


class SpaceState:
    """Per-building quality, expected quality and roster position; per household duty."""

    def __init__(self, model: LinliModel) -> None:
        lay, cm = model.layout, model.params.commons
        buildings = int(lay.building_of[-1]) + 1
        self.households = np.bincount(lay.building_of, minlength=buildings)
        self.quality = np.full(buildings, cm.quality_initial)
        self.expected = np.full(buildings, cm.quality_initial)
        self.pointer = np.zeros(buildings, dtype=np.int64)
        self.on_duty = np.zeros(lay.households, dtype=bool)
        self.upkeep = np.zeros(buildings)  # this week's upkeep hours per building
        self.turns = 0
        self.kept = 0


def assign(model: LinliModel) -> None:
    """Before the decision: the roster puts the next volunteers of each building on duty.

    Volunteers: party members, skilled residents and core volunteers (6 of the last 8 weeks).
    Each building has ``turns_per_week · households`` turns (stochastically rounded), given
    in rotation through its volunteers.
    """
    cm, pop, lay, state = model.params.commons, model.pop, model.layout, model.spaces
    state.on_duty[:] = False
    if not (cm.enabled and cm.rotation):
        return
    volunteers = np.flatnonzero(pop.party | pop.skilled
                                | (heads.recent_weeks(pop.history) >= 6))
    if len(volunteers) == 0:
        return
    rng = model.streams.commons
    building = lay.building_of[volunteers]  # sorted, as households are
    per_building = np.bincount(building, minlength=len(state.quality))
    first = np.concatenate(([0], np.cumsum(per_building)[:-1]))
    turns = np.floor(cm.turns_per_week * state.households
                     + rng.random(len(state.households))).astype(int)
    turns = np.minimum(turns, per_building)
    owner = np.repeat(np.arange(len(turns)), turns)
    step_in = np.arange(len(owner)) - np.repeat(np.cumsum(turns) - turns, turns)
    slot = (state.pointer[owner] + step_in) % np.maximum(per_building[owner], 1)
    state.on_duty[volunteers[first[owner] + slot]] = True
    state.pointer = (state.pointer + turns) % np.maximum(per_building, 1)


def step(model: LinliModel) -> None:
    """After the decision: upkeep from contributions, kept turns, couriers and the shared
    fund moves quality; expectations follow what residents see."""
    cm, pop, lay, state = model.params.commons, model.pop, model.layout, model.spaces
    if not cm.enabled:
        return
    kept = state.on_duty & pop.contributed
    hours = cm.upkeep_share * pop.hours * ~state.on_duty + cm.duty_hours * kept
    upkeep = np.bincount(lay.building_of, weights=hours, minlength=len(state.quality))
    upkeep += couriers.upkeep_hours(model, len(state.quality))
    funded = councils.funds_spaces(model)
    if funded is not None:  # per household of the scope that chose its spaces
        upkeep += model.params.councils.fund_hours * np.bincount(
            lay.building_of, weights=funded, minlength=len(state.quality))
    per_household = upkeep / state.households
    q = state.quality
    gain = cm.gain * per_household / (per_household + cm.upkeep_need)
    state.quality = q + gain * (1 - q) - cm.decay * q
    state.expected += cm.expectation_adapt * (state.quality - state.expected)
    state.upkeep = upkeep
    state.turns, state.kept = int(state.on_duty.sum()), int(kept.sum())
    # a missed turn is seen by the whole unit: its households revise their belief down
    missed = state.on_duty & ~pop.contributed
    if missed.any():
        per_unit = np.bincount(lay.unit_of, weights=missed, minlength=lay.units)
        seen = per_unit[lay.unit_of] / lay.unit_size[lay.unit_of]
        pop.belief -= (model.params.participation.belief_learning * seen
                       * pop.belief).astype(np.float32)


def quality_of(model: LinliModel) -> np.ndarray | None:
    """Per household: quality of its building's shared space (None if commons are off)."""
    if not model.params.commons.enabled:
        return None
    return model.spaces.quality[model.layout.building_of]


def quality_gap(model: LinliModel) -> np.ndarray | None:
    """Per household: its building's space quality minus what residents expect of it."""
    if not model.params.commons.enabled:
        return None
    state = model.spaces
    return (state.quality - state.expected)[model.layout.building_of]


def utility_term(model: LinliModel) -> np.ndarray | float:
    """A space better (or worse) than expected, and the assignment of a duty turn."""
    cm = model.params.commons
    if not cm.enabled:
        return 0.0
    return cm.beta_quality * quality_gap(model) + cm.beta_duty * model.spaces.on_duty
