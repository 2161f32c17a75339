"""The Linli model: builds everything, and ``step`` runs the submodels in the ODD's order."""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
import pandas as pd

from . import interventions, metrics
from .agents import Business, Courier, PartyMember, Resident
from .external import ExternalDecisions
from .mechanisms import (
    businesses,
    commons,
    councils,
    couriers,
    groups,
    heads,
    participation,
    problems,
    recognition,
)
from .params import Params
from .population import init_population
from .sizes import Sizes
from .streams import Streams
from .structure import build_layout


class LinliModel(mesa.Model):
    """Households in nested neighbour units deciding weekly whether to take part.

    Args:
        params: a ``Params`` (or a nested dict of overrides); defaults if None.
        rng: seed; the same seed gives identical output. Each submodel draws from its own
            stream derived from it (``model.streams``, ODD §5).
        agents: create a Mesa agent (a view) for every household; couriers and businesses
            are always created. The run is the same either way.
    """

    def __init__(self, params: Params | dict[str, Any] | None = None, rng: int | None = None,
                 agents: bool = True) -> None:
        super().__init__(rng=None if rng is None else int(rng))
        if not isinstance(params, Params):
            params = Params.from_dict(params)
        self.params = params
        seed = int(rng) if rng is not None else int(self.rng.integers(2**63))
        self.streams = Streams(seed)
        self.layout = build_layout(params.structure, self.streams.layout)
        self.sizes = Sizes.build(params, self.layout)
        self.pop = init_population(params, self.layout, self.sizes.others,
                                   self.streams.population)
        self.pop.known[:] = np.minimum(self.pop.known, self.sizes.acquaintance_limit)
        self.rule = participation.Rule.build(params, self.pop, self.sizes)
        participation.settle_habit(params, self.pop, self.sizes, self.rule)
        self.board = recognition.Board(self)
        self.groups = groups.GroupRegistry(self)
        self.problems = problems.ProblemBook(self)
        self.couriers = couriers.CourierState(self)
        self.businesses = businesses.BusinessState(self)
        self.spaces = commons.SpaceState(self)
        self.councils = councils.CouncilState(self.layout.count(params.councils.scope))
        self.history = metrics.History(self.layout.households)
        self._rows: list[dict[str, float]] = []
        self.started: set[str] = set()  # mechanisms started by an intervention
        self.pending_interventions: list[interventions.Intervention] = []
        self.intervention_log: list[interventions.Intervention] = []
        # choices made outside the model (a classroom's players, ODD §6); None: all the rule's
        self.external: ExternalDecisions | None = None
        self._create_agents(residents=agents)

    def active(self, mechanism: str) -> bool:
        """A mechanism runs if its scenario enables it or an intervention started it."""
        return getattr(self.params, mechanism).enabled or mechanism in self.started

    def intervene(self, kind: str, **details) -> interventions.Intervention:
        """Queue a live intervention for the start of next week (ODD §7.14)."""
        return interventions.queue(self, kind, **details)

    @property
    def week(self) -> int:
        """Weeks simulated so far (the current week while a step runs)."""
        return self.steps

    def _create_agents(self, residents: bool) -> None:
        """Courier and Business views always (few); resident views when asked. Creating
        agents draws no random numbers, so runs with and without views are identical."""
        for index in range(len(self.couriers)):
            Courier(self, index)
        for index in range(len(self.businesses)):
            Business(self, index)
        if residents:
            pop = self.pop
            for index in np.flatnonzero(~pop.party):
                Resident(self, int(index))
            for index in np.flatnonzero(pop.party):
                PartyMember(self, int(index))

    def step(self) -> None:
        """One week, in the order of ODD §3 (process overview and scheduling)."""
        interventions.apply_pending(self)  # what a trainer did last week takes effect
        heads.step(self)  # appoint heads; heads and party members invite
        groups.step(self)  # found, recruit, quit, dissolve, meet
        couriers.step(self)  # attachment to stations; couriers join activities
        commons.assign(self)  # the duty roster puts volunteers on duty
        extra = (recognition.utility_term(self) + groups.utility_term(self)
                 + heads.utility_term(self) + problems.utility_term(self)
                 + commons.utility_term(self) + businesses.utility_term(self))
        participation.decide(self, extra)  # who contributes, and how many hours
        participation.observe(self, groups.observed_rate(self))  # beliefs, ties, trust
        commons.step(self)  # upkeep and the quality of shared spaces
        problems.step(self)  # problems arise, are reported and fixed
        businesses.step(self)  # partnerships grow; parking and rooms are shared
        councils.step(self)  # councils vote when due
        recognition.step(self)  # post the board when due
        self._rows.append(metrics.collect(self))

    @property
    def frame(self) -> pd.DataFrame:
        """The weekly outputs so far, one row per week (ODD §7.13)."""
        return pd.DataFrame(self._rows)

    def unit_summary(self) -> pd.DataFrame:
        """Participation by unit and unit size."""
        return metrics.unit_summary(self)
