"""The running models behind the app: one (or two, for A/B) ``Sim`` in a ``Session``.

Views never read a model directly: ``Sim.snapshot()`` copies what the map, the charts and the
board list need under the session's lock, so the play loop can step while a page draws.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

import scenarios
from model.core import LinliModel
from model.interventions import Intervention
from model.interventions import check as check_intervention
from model.mechanisms.heads import best_in_unit, recent_weeks
from model.params import Params
from model.structure import Layout

from .settings import Settings


@dataclass(frozen=True)
class Mark:
    """An intervention as the views mark it: applied (``pending`` False) or queued."""

    kind: str
    week: int
    details: dict[str, Any]
    pending: bool

    @classmethod
    def of(cls, item: Intervention, pending: bool) -> Mark:
        return cls(item.kind, item.week, dict(item.details), pending)


@dataclass(frozen=True)
class CourierView:
    routes: tuple[np.ndarray, ...]  # units each route crosses, in street order
    near_station: np.ndarray
    active: np.ndarray
    attachment: np.ndarray
    reports: np.ndarray

    def __len__(self) -> int:
        return len(self.routes)


@dataclass(frozen=True)
class BusinessView:
    kind: np.ndarray  # index into model.mechanisms.businesses.KINDS
    first_unit: np.ndarray
    last_unit: np.ndarray  # exclusive
    sharing: np.ndarray
    parking: np.ndarray
    room: np.ndarray
    partnership: np.ndarray

    def __len__(self) -> int:
        return len(self.kind)


@dataclass(frozen=True)
class Snapshot:
    """Everything the views draw, copied at one moment."""

    label: str  # "A", "B" or "" (single mode)
    scenario: str
    title: dict[str, str]
    params: Params
    layout: Layout
    week: int
    frame: pd.DataFrame
    contributed: np.ndarray
    recent: np.ndarray  # weeks taken part among the last eight (this one included)
    weeks_active: np.ndarray
    party: np.ndarray
    recent_arrival: np.ndarray
    head: np.ndarray
    member: np.ndarray
    listed: np.ndarray
    board_hours: np.ndarray
    board_week: int | None
    station_grid: np.ndarray
    couriers: CourierView
    businesses: BusinessView
    marks: tuple[Mark, ...]
    active: frozenset[str] = frozenset()  # mechanisms running (MECHANISMS)

    def scenario_title(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("en") or self.scenario

    def board(self) -> pd.DataFrame:
        """Listed households with their unit and hours, most hours first."""
        who = np.flatnonzero(self.listed)
        table = pd.DataFrame({"household": who, "unit": self.layout.unit_of[who],
                              "hours": self.board_hours[who]})
        return table.sort_values(["hours", "household"], ascending=[False, True],
                                 ignore_index=True)


MECHANISMS = ("recognition", "groups", "heads", "problems", "commons", "councils")


def active_mechanisms(model: LinliModel) -> frozenset[str]:
    """The switchable mechanisms running in ``model`` (its scenario's, and those an
    intervention started)."""
    return frozenset(name for name in MECHANISMS if model.active(name))


def _route_units(model: LinliModel, courier: int) -> np.ndarray:
    """The units a route crosses in street order (a route may wrap past the last unit)."""
    units = model.layout.unit_of[model.couriers.households(courier)]
    keep = np.concatenate(([True], np.diff(units) != 0))
    return units[keep]


def check(model: LinliModel, kind: str, details: dict[str, Any]) -> None:
    """Raise InterventionError as ``model.intervene`` would, without queueing anything."""
    check_intervention(model, kind, details)


class Sim:
    """One model, its scenario, and the couriers' routes drawn on the map."""

    def __init__(self, params: Params, seed: int, scenario: str, label: str = "",
                 title: dict[str, str] | None = None) -> None:
        self.params = params
        self.seed = seed
        self.scenario = scenario
        self.label = label
        self.title = title if title is not None else scenarios.load(scenario).title
        self.model = LinliModel(params, rng=seed, agents=False)
        m = self.model
        self._routes = tuple(_route_units(m, c) for c in range(len(m.couriers)))

    @classmethod
    def wrap(cls, model: LinliModel, seed: int, scenario: str, label: str = "",
             title: dict[str, str] | None = None) -> Sim:
        """A Sim over a model built elsewhere (the classroom's room and shadow), so the views
        can draw it."""
        sim = cls.__new__(cls)
        sim.params, sim.seed, sim.scenario, sim.label = model.params, seed, scenario, label
        sim.title = title if title is not None else scenarios.load(scenario).title
        sim.model = model
        sim._routes = tuple(_route_units(model, c) for c in range(len(model.couriers)))
        return sim

    @property
    def week(self) -> int:
        return self.model.week

    def step(self) -> None:
        self.model.step()

    def intervene(self, kind: str, **details: Any) -> Intervention:
        return self.model.intervene(kind, **details)

    def best_in_unit(self, unit: int) -> int:
        """The household a review would pick first in ``unit`` (party first, then the most
        active and civic), among those not already heads if there are any."""
        return best_in_unit(self.model, unit)

    def marks(self) -> tuple[Mark, ...]:
        """Interventions applied, then those queued."""
        m = self.model
        return tuple([Mark.of(i, False) for i in m.intervention_log]
                     + [Mark.of(i, True) for i in m.pending_interventions])

    def snapshot(self) -> Snapshot:
        m = self.model
        pop, cou, biz = m.pop, m.couriers, m.businesses
        marks = self.marks()
        return Snapshot(
            label=self.label, scenario=self.scenario, title=dict(self.title),
            params=self.params, layout=m.layout, week=m.week, frame=m.frame,
            contributed=pop.contributed.copy(), recent=recent_weeks(pop.history),
            weeks_active=pop.weeks_active.copy(), party=pop.party, recent_arrival=pop.recent,
            head=pop.head.copy(), member=pop.group >= 0, listed=m.board.listed.copy(),
            board_hours=m.board.hours.copy(), board_week=m.board.week,
            station_grid=cou.station_grid.copy(),
            couriers=CourierView(routes=self._routes, near_station=cou.near_station.copy(),
                                 active=cou.active.copy(), attachment=cou.attachment.copy(),
                                 reports=cou.reports.copy()),
            businesses=BusinessView(kind=biz.kind, first_unit=biz.first_unit,
                                    last_unit=biz.last_unit, sharing=biz.sharing.copy(),
                                    parking=biz.parking, room=biz.room,
                                    partnership=biz.partnership.copy()),
            marks=marks, active=active_mechanisms(m),
        )


@dataclass
class Session:
    """What one browser tab runs: scenario A (from the settings) and, in A/B mode, B."""

    settings: Settings
    preset_b: str | None = None
    sims: list[Sim] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @classmethod
    def start(cls, settings: Settings, preset_b: str | None = None) -> Session:
        """Build the models (raises ParameterError if the settings are invalid)."""
        session = cls(settings, preset_b)
        session.sims = session._build()
        return session

    def _build(self) -> list[Sim]:
        s = self.settings
        a = Sim(s.params(), s.seed, s.preset, label="A" if self.preset_b else "")
        if self.preset_b is None:
            return [a]
        b = Sim(scenarios.load(self.preset_b).params, s.seed, self.preset_b, label="B")
        return [a, b]

    @property
    def week(self) -> int:
        return self.sims[0].week

    def step(self, weeks: int = 1) -> None:
        with self.lock:
            for _ in range(weeks):
                for sim in self.sims:
                    sim.step()

    def snapshots(self) -> list[Snapshot]:
        with self.lock:
            return [sim.snapshot() for sim in self.sims]

    def marks(self) -> list[tuple[Mark, ...]]:
        """Each run's interventions (``Sim.marks``), read under the lock."""
        with self.lock:
            return [sim.marks() for sim in self.sims]

    def intervene(self, targets: list[int], kind: str,
                  details: dict[str, Any] | Callable[[Sim], dict[str, Any]]) -> list[Mark]:
        """Queue on the chosen sims (indices into ``sims``); all or none are queued.

        ``details`` may depend on the sim (a unit's best household differs between A and B).
        """
        with self.lock:
            chosen = [(sim, details(sim) if callable(details) else details)
                      for sim in (self.sims[i] for i in targets)]
            for sim, d in chosen:  # check everywhere first, so a failure queues nothing
                check(sim.model, kind, d)
            return [Mark.of(sim.intervene(kind, **d), True) for sim, d in chosen]
