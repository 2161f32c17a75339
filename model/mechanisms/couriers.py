"""Couriers (ODD §7.7): routes along the street, service stations, attachment, activities
(an active courier gives upkeep hours to the shared spaces along its route, §7.10).

A route is a stretch of ``route_households`` consecutive households (wrapping at the end of
the street), so what a courier can see does not depend on how the street is cut into units.
Their noticing and reporting of problems is part of ``problems`` (ODD §7.8).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..core import LinliModel


class CourierState:
    """Per-courier arrays, ordered by where their route starts."""

    def __init__(self, model: LinliModel) -> None:
        c, lay, rng = model.params.couriers, model.layout, model.streams.couriers
        n, households = c.count, lay.households
        self.length = min(c.route_households, households)
        self.start = np.sort(rng.integers(0, households, size=n)) if n else np.zeros(0, int)
        self.deliveries_per_household = c.deliveries_per_week / self.length
        self._layout = lay
        self.station_grid = np.zeros(lay.count("grid"), dtype=bool)
        if n > 0 and c.stations > 0:  # stations matter only to couriers
            grids = lay.count("grid")
            self.station_grid[rng.choice(grids, size=min(c.stations, grids), replace=False)] = True
        self.near_station = self._passes_station()
        # each route's households by building, for the upkeep active couriers give (§7.10)
        owner = np.repeat(np.arange(n), self.length)
        on_route = (np.repeat(self.start, self.length)
                    + np.tile(np.arange(self.length), n)) % households
        self.route_owner, self.route_building = owner, lay.building_of[on_route]
        self.attachment = np.zeros(n)
        self.report_mult = np.ones(n)  # report-again multiplier (ODD §7.8)
        self.reports = np.zeros(n, dtype=np.int64)
        self.active = np.zeros(n, dtype=bool)

    def __len__(self) -> int:
        return len(self.start)

    def households(self, courier: int) -> np.ndarray:
        """The households along a courier's route."""
        return (self.start[courier] + np.arange(self.length)) % self._layout.households

    def route(self, courier: int) -> np.ndarray:
        """The units a courier's route crosses."""
        return np.unique(self._layout.unit_of[self.households(courier)])

    def open_station(self, grid: int) -> None:
        """A new station serving ``grid`` (an intervention); couriers passing it are near."""
        self.station_grid[grid] = True
        self.near_station = self._passes_station()

    def _passes_station(self) -> np.ndarray:
        station_here = self.station_grid[self._layout.grid_of]
        return np.array([station_here[self.households(c)].any() for c in range(len(self))],
                        dtype=bool)

    def covering(self, places: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each household in ``places``: the [lo, hi) slice of ``wrapped_order()`` of the
        couriers whose route covers it (routes have equal length, so these are contiguous)."""
        starts = self._wrapped_starts()
        lo = np.searchsorted(starts, places - self.length + 1, side="left")
        hi = np.searchsorted(starts, places, side="right")
        return lo, hi

    def _wrapped_starts(self) -> np.ndarray:
        n = self._layout.households
        return np.concatenate((self.start - n, self.start, self.start + n))

    def wrapped_order(self) -> np.ndarray:
        """Courier index of each position of the wrapped start list."""
        idx = np.arange(len(self))
        return np.concatenate((idx, idx, idx))


def step(model: LinliModel) -> None:
    """Attachment moves toward 1 near a station (else toward 0); attached couriers join in."""
    c, state = model.params.couriers, model.couriers
    if len(state) == 0:
        return
    target = state.near_station.astype(float)
    state.attachment += c.attachment_rate * (target - state.attachment)
    state.active[:] = (model.streams.couriers.random(len(state))
                       < c.join_rate * state.attachment)
    if model.external is not None:  # couriers whose choice is made outside (ODD §6)
        model.external.apply_couriers(state.active)


def upkeep_hours(model: LinliModel, buildings: int) -> np.ndarray:
    """Per building: upkeep hours from this week's active couriers, each spreading
    ``activity_hours`` evenly over the households along its route."""
    state = model.couriers
    if not state.active.any():
        return np.zeros(buildings)
    on_route = state.active[state.route_owner]
    share = model.params.couriers.activity_hours / state.length
    return share * np.bincount(state.route_building[on_route], minlength=buildings)


def report_weights(model: LinliModel) -> np.ndarray:
    """Per courier: hazard of noticing and reporting one open problem on its route.

    Noticing uses the deliveries made within sight of the problem's place
    (``sight_range + 1`` households around it)."""
    c, state = model.params.couriers, model.couriers
    nearby = state.deliveries_per_household * (model.params.size_channels.sight_range + 1)
    notice = 1.0 - (1.0 - c.notice_per_delivery) ** nearby
    boost = 1.0 + (c.attached_report_boost - 1.0) * state.attachment
    p = notice * np.minimum(1.0, c.report_rate * boost * state.report_mult)
    return -np.log1p(-np.minimum(p, 0.999))
