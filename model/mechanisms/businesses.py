"""Businesses and co-building, 共建 (ODD §7.9): partnerships grow with joint activity, residents'
patronage and the business's own willingness; a business reconsiders now and then whether to
share its parking and room, more likely to share the stronger the partnership."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .problems import PARKING

if TYPE_CHECKING:
    from ..core import LinliModel

KINDS = ("office", "shop", "developer")
OFFICE, SHOP, DEVELOPER = range(3)


class BusinessState:
    """Per-business arrays; a business is near the units of a block of households."""

    def __init__(self, model: LinliModel) -> None:
        b, lay, rng = model.params.businesses, model.layout, model.streams.businesses
        n = b.count
        self.kind = rng.integers(0, len(KINDS), size=n) if n else np.zeros(0, dtype=np.int64)
        start = rng.integers(0, lay.households, size=n) if n else np.zeros(0, dtype=np.int64)
        end = np.minimum(start + b.nearby_households, lay.households) - 1
        self.first_unit = lay.unit_of[start].astype(np.int64)
        self.last_unit = lay.unit_of[end].astype(np.int64) + 1  # exclusive
        parking = rng.poisson(b.parking_mean, size=n) if n else np.zeros(0, dtype=np.int64)
        self.parking = np.where(self.kind == OFFICE, parking, 0)
        self.room = self.kind != DEVELOPER  # offices and shops have a room they could lend
        self.willingness = (rng.beta(4 * b.willingness_mean, 4 * (1 - b.willingness_mean), n)
                            if n and 0 < b.willingness_mean < 1
                            else np.full(n, float(b.willingness_mean)))
        self.partnership = np.zeros(n)
        self.sharing = np.zeros(n, dtype=bool)
        self.units = lay.units

    def __len__(self) -> int:
        return len(self.kind)

    def nearby(self, business: int) -> np.ndarray:
        return np.arange(self.first_unit[business], self.last_unit[business])

    def covers(self, mask: np.ndarray) -> np.ndarray:
        """Per unit: True if some business with ``mask`` is near it."""
        diff = np.zeros(self.units + 1)
        np.add.at(diff, self.first_unit[mask], 1)
        np.add.at(diff, self.last_unit[mask], -1)
        return np.cumsum(diff)[:-1] > 0


def _nearby_mean(state: BusinessState, per_unit: np.ndarray) -> np.ndarray:
    cum = np.concatenate(([0.0], np.cumsum(per_unit)))
    count = np.maximum(state.last_unit - state.first_unit, 1)
    return (cum[state.last_unit] - cum[state.first_unit]) / count


def step(model: LinliModel) -> None:
    """Partnerships move with nearby participation (joint activity), trust (patronage) and
    willingness, and with the business's own joining of residents' activities (an outside
    decision, ODD §6); businesses that reconsider this week share with chance
    ``σ((partnership − share_threshold) / share_width)``."""
    b, state, lay, pop = model.params.businesses, model.businesses, model.layout, model.pop
    if len(state) == 0:
        return
    rng = model.streams.businesses
    size = lay.unit_size
    rate = np.bincount(lay.unit_of, weights=pop.contributed, minlength=lay.units) / size
    trust = np.bincount(lay.unit_of, weights=pop.trust, minlength=lay.units) / size
    drive = state.willingness * (_nearby_mean(state, rate) + _nearby_mean(state, trust)) / 2
    if model.external is not None and model.external.business_join.any():  # ODD §6
        drive = drive + b.joint_activity * model.external.business_join
    state.partnership += (b.partnership_growth * drive * (1 - state.partnership)
                          - b.partnership_decay * state.partnership)
    reconsider = rng.random(len(state)) < b.share_rate
    wants = rng.random(len(state)) < share_chance(b, state.partnership)
    state.sharing[:] = np.where(reconsider, wants, state.sharing)
    _apply_parking(model)


def share_chance(b, partnership: np.ndarray) -> np.ndarray:
    """Chance a reconsidering business decides to share: logistic in its partnership."""
    return 1.0 / (1.0 + np.exp(-(partnership - b.share_threshold) / b.share_width))


def _apply_parking(model: LinliModel) -> None:
    """Shared spaces take cars off the road: fewer new parking problems in nearby units."""
    b, state, lay = model.params.businesses, model.businesses, model.layout
    relief = np.zeros(lay.units)
    for i in np.flatnonzero(state.sharing & (state.parking > 0)):  # few businesses
        units = state.nearby(i)
        cars = b.cars_per_household * lay.unit_size[units].sum()
        share = min(1.0, state.parking[i] / cars) if cars > 0 else 0.0
        relief[units] = 1 - (1 - relief[units]) * (1 - share)
    model.problems.rate_cut[:, PARKING] = relief


def room_nearby(model: LinliModel) -> np.ndarray | None:
    """Per household: lives near a business that lends its room (None if none does)."""
    state = model.businesses
    if len(state) == 0 or not (state.sharing & state.room).any():
        return None
    return state.covers(state.sharing & state.room)[model.layout.unit_of]


def utility_term(model: LinliModel) -> np.ndarray | float:
    """A lent room makes taking part cheaper: time-cost relief for households near it."""
    near = room_nearby(model)
    if near is None:
        return 0.0
    b, prm = model.params.businesses, model.params.participation
    return prm.beta_time_cost * b.room_time_relief * near
