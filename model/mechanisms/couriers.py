"""Couriers (ODD §7.7): routes across units, service stations, attachment, activities.

Their noticing and reporting of problems is part of ``problems`` (ODD §7.8).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ..core import LinliModel


class CourierState:
    """Per-courier arrays; a route is a stretch of consecutive units (wrapping at the end)."""

    def __init__(self, model: LinliModel) -> None:
        c, lay, rng = model.params.couriers, model.layout, model.rng
        n = c.count
        length = min(c.route_units, lay.units)
        start = rng.integers(0, lay.units, size=n) if n else np.zeros(0, dtype=np.int64)
        self.route_courier = np.repeat(np.arange(n), length)  # one entry per (courier, unit)
        self.route_unit = ((start[:, None] + np.arange(length)) % lay.units).ravel()
        order = np.argsort(self.route_unit, kind="stable")  # entries grouped by unit
        self.route_courier, self.route_unit = self.route_courier[order], self.route_unit[order]
        self.deliveries_per_unit = c.deliveries_per_week / max(length, 1)
        self.station_grid = np.zeros(lay.count("grid"), dtype=bool)
        if n > 0 and c.stations > 0:  # stations matter only to couriers
            grids = lay.count("grid")
            self.station_grid[rng.choice(grids, size=min(c.stations, grids), replace=False)] = True
        self._grid_of_unit = lay.grid_of_unit
        passes = self.station_grid[self._route_grid()]
        self.near_station = np.bincount(self.route_courier, weights=passes, minlength=n) > 0
        self.attachment = np.zeros(n)
        self.report_mult = np.ones(n)  # report-again multiplier (ODD §7.8)
        self.reports = np.zeros(n, dtype=np.int64)
        self.active = np.zeros(n, dtype=bool)

    def __len__(self) -> int:
        return len(self.attachment)

    def route(self, courier: int) -> np.ndarray:
        return np.sort(self.route_unit[self.route_courier == courier])

    def open_station(self, grid: int) -> None:
        """A new station serving ``grid`` (an intervention); couriers passing it are near."""
        self.station_grid[grid] = True
        passes = self.station_grid[self._route_grid()]
        self.near_station = np.bincount(self.route_courier, weights=passes,
                                        minlength=len(self)) > 0

    def _route_grid(self) -> np.ndarray:
        return self._grid_of_unit[self.route_unit]


def step(model: LinliModel) -> None:
    """Attachment moves toward 1 near a station (else toward 0); attached couriers join in."""
    c, state = model.params.couriers, model.couriers
    if len(state) == 0:
        return
    target = state.near_station.astype(float)
    state.attachment += c.attachment_rate * (target - state.attachment)
    state.active[:] = model.rng.random(len(state)) < c.join_rate * state.attachment


def report_weights(model: LinliModel) -> np.ndarray:
    """Per route entry: hazard that this courier reports an open problem in that unit."""
    c, state = model.params.couriers, model.couriers
    notice = 1.0 - (1.0 - c.notice_per_delivery) ** state.deliveries_per_unit
    boost = 1.0 + (c.attached_report_boost - 1.0) * state.attachment
    report = np.minimum(0.999, c.report_rate * boost * state.report_mult)
    p = notice * report[state.route_courier]
    return -np.log1p(-np.minimum(p, 0.999))
