"""An idiomatic per-agent Mesa version of Linli's core weekly participation rule.

Each ``Household`` is a ``mesa.Agent`` holding its own state as Python attributes and deciding
one at a time with ``self.random`` and ``math``. Only the core rule is implemented —
``base_propensity`` + ``utility`` + ``decide`` + ``observe`` (beliefs, history, ties, trust) of
``model/mechanisms/participation.py`` with every mechanism off (every parameter section's
``enabled`` false: no boards, groups, heads, problems, commons, councils; no couriers or
businesses). It exists to be timed against the vectorised ``LinliModel`` on the same
parameters (``benchmarks/bench_model.py``).

Both models draw the layout and initial population (and the habit households bring from
before the launch, ``settle_habit``) from the same seed's streams, so they start from equal
state; after that they use different random streams (stdlib ``random`` here, numpy there), so
runs agree in distribution, not draw for draw. ``rule_check`` compares the two rules on equal
state and equal draws.

Each week, ``shuffle_do("step")`` lets every household decide; then the street's running
count of contributors is taken once and each unit's ``advance`` updates its households; each
reads how many households in its sight window and its acquaintance pool contributed in O(1)
rather than looping over them (a favour to this version). As in the vectorised rule, a
household gains and loses at most one tie a week.
"""

from __future__ import annotations

import math
from itertools import accumulate
from typing import Any

import mesa
import numpy as np

from model.mechanisms import participation
from model.params import Params
from model.population import BehaviouralType, init_population
from model.sizes import Sizes, time_cost
from model.streams import Streams
from model.structure import build_layout

_EPS = 0.005  # as participation._EPS
_CONDITIONAL = int(BehaviouralType.CONDITIONAL)
_HUMP = int(BehaviouralType.HUMP)
_FREE_RIDER = int(BehaviouralType.FREE_RIDER)


class Unit:
    """A neighbour unit (邻): its households."""

    def __init__(self, uid: int, size: int) -> None:
        self.uid = uid
        self.size = size
        self.members: list[Household] = []

    def advance(self, street: list[int]) -> int:
        """Second phase: let every member observe this week's contributions; return how many
        of them contributed.

        ``street[i]`` is the number of contributors among households 0..i-1 (street order).
        """
        for household in self.members:
            household.advance(street)
        return sum(1 for h in self.members if h.contributed)


class Household(mesa.Agent):
    """One household with its own traits and state; ``step`` decides, ``advance`` observes."""

    model: PerAgentModel

    def __init__(self, model: PerAgentModel, unit: Unit, sight: tuple[int, int],
                 pool: tuple[int, int], btype: int, civic: float, time_budget: float,
                 time_cost: float, building_share: float, visible_share: float,
                 acquaintance_limit: int, trust: float, belief: float, known: int,
                 habit: float) -> None:
        super().__init__(model)
        self.unit = unit
        self.sight = sight  # households seen, [lo, hi) in street order, oneself included
        self.pool = pool  # households one can know, [lo, hi), oneself included
        self.others_safe = max(pool[1] - pool[0] - 1, 1)
        self.btype = btype
        self.civic = civic
        self.time_budget = time_budget
        self.time_cost = time_cost  # log(mean budget / own budget)
        self.building_share = building_share  # 1 / households of one's building
        self.visible_share = visible_share
        self.acquaintance_limit = acquaintance_limit
        self.trust = trust
        self.belief = belief
        self.known = known  # neighbours of the pool known
        self.habit = habit
        self.propensity = 0.0
        self.contributed = False
        self.hours = 0.0
        self.history = 0  # bit mask of the last 8 weeks (bit 0 = this week)
        self.weeks_active = 0
        self.total_hours = 0.0
        self.period_hours = 0.0

    def base_propensity(self) -> float:
        """Type-specific propensity from the belief about visible others' participation."""
        prm, b = self.model.prm, self.belief
        if self.btype == _CONDITIONAL:
            base = prm.cc_slope * b
        elif self.btype == _HUMP:
            base = prm.cc_slope * min(b, 1.0 - b)
        elif self.btype == _FREE_RIDER:
            base = prm.free_rider_level
        else:
            base = prm.unconditional_level
        return min(max(base, _EPS), 1.0 - _EPS)

    def utility(self) -> float:
        """Logit of contributing (the core motives of ODD §7.3; no mechanism terms)."""
        prm = self.model.prm
        base = self.base_propensity()
        seen_by = self.known * self.visible_share
        return (math.log(base / (1.0 - base))
                + prm.intercept
                + prm.beta_civic * self.civic
                - prm.beta_time_cost * self.time_cost
                + prm.beta_benefit * prm.benefit_multiplier * self.building_share
                + prm.beta_trust * (self.trust - 0.5)
                + prm.beta_social * seen_by / (seen_by + prm.audience_half)
                + prm.beta_habit * self.habit)

    def step(self) -> None:
        """First phase: decide whether to contribute this week, and how many hours."""
        propensity = 1.0 / (1.0 + math.exp(-self.utility()))
        self.propensity = propensity
        self.contributed = self.random.random() < propensity
        self.hours = (self.time_budget * self.model.prm.hours_per_contribution
                      if self.contributed else 0.0)

    def advance(self, street: list[int]) -> None:
        """Second phase: update history, habit, belief, ties and trust from what one saw."""
        prm, ties, rnd = self.model.prm, self.model.ties, self.random
        c = 1 if self.contributed else 0
        self.history = ((self.history << 1) | c) & 0xFF
        self.weeks_active += c
        self.total_hours += self.hours
        self.period_hours += self.hours
        rate = prm.habit_gain if c else prm.habit_loss
        self.habit += rate * (c - self.habit)

        lo, hi = self.sight
        seen = hi - lo - 1
        seen_rate = (street[hi] - street[lo] - c) / seen if seen > 0 else 0.0
        self.belief += prm.belief_learning * (seen_rate - self.belief)

        lo, hi = self.pool
        met = street[hi] - street[lo] - c if self.contributed else 0
        meet = min(max((1.0 - self.known / self.others_safe) * ties.meet_rate, 0.0), 1.0)
        gained = 1 if met > 0 and rnd.random() < 1.0 - (1.0 - meet) ** met else 0
        lost = 1 if rnd.random() < ties.decay_rate * self.known else 0
        self.known = min(self.known + gained - lost, self.acquaintance_limit)

        half = prm.achievement_half  # what one sees get done
        achieved = seen_rate / (seen_rate + half) * (1 + half)
        self.trust += prm.trust_learning * (achieved - self.trust)


class PerAgentModel(mesa.Model):
    """Households as Mesa agents: ``shuffle_do("step")``, then each unit's ``advance``.

    Args:
        params: the same ``Params`` as for ``LinliModel``; only the core rule is used
            (mechanisms, couriers and businesses are ignored).
        rng: seed; with the same seed the initial state equals ``LinliModel``'s.
    """

    def __init__(self, params: Params, rng: int | None = None) -> None:
        super().__init__(rng=rng)
        self.params = params
        self.prm = params.participation
        self.ties = params.ties
        streams = Streams(int(rng) if rng is not None else 0)
        layout = build_layout(params.structure, streams.layout)
        sizes = Sizes.build(params, layout)
        pop = init_population(params, layout, sizes.others, streams.population)
        pop.known[:] = np.minimum(pop.known, sizes.acquaintance_limit)
        participation.settle_habit(params, pop, sizes,
                                   participation.Rule.build(params, pop, sizes))
        cost = time_cost(params, pop.time_budget)
        self.units = [Unit(u, int(size)) for u, size in enumerate(layout.unit_size.tolist())]
        self.households: list[Household] = []  # street order (= household index)
        sights = zip(sizes.sight_lo.tolist(), sizes.sight_hi.tolist(), strict=True)
        pools = zip(sizes.pool_lo.tolist(), sizes.pool_hi.tolist(), strict=True)
        for i, (u, sight, pool) in enumerate(zip(layout.unit_of.tolist(), sights, pools,
                                                 strict=True)):
            unit = self.units[u]
            household = Household(
                self, unit, sight, pool, int(pop.btype[i]), float(pop.civic[i]),
                float(pop.time_budget[i]), float(cost[i]), float(sizes.building_share[i]),
                float(sizes.visible_share[i]), int(sizes.acquaintance_limit[i]),
                float(pop.trust[i]), float(pop.belief[i]), int(pop.known[i]),
                float(pop.habit[i]))
            unit.members.append(household)
            self.households.append(household)
        self.rows: list[dict[str, Any]] = []

    @property
    def week(self) -> int:
        """Weeks simulated so far."""
        return int(self.time)

    def step(self) -> None:
        """One week: every household decides (random order), then every unit updates."""
        self.agents.shuffle_do("step")
        self.advance()

    def advance(self) -> None:
        """Second phase: every unit's households observe this week's contributions."""
        street = list(accumulate((h.contributed for h in self.households), initial=0))
        contributors = sum(unit.advance(street) for unit in self.units)
        self.rows.append({"week": self.week,
                          "participation_rate": contributors / len(self.households)})


def rule_check(params: Params, seed: int = 0) -> dict[str, float]:
    """Largest differences between this rule and ``LinliModel``'s on equal state and draws.

    Both models start from ``seed``; the utilities are compared, then this version is given
    the vectorised model's first-week contributors and hours, and belief, trust and history
    are compared after one ``observe`` (tie counts use separate random draws, so not them).
    """
    from model.core import LinliModel

    vec, per = LinliModel(params, rng=seed, agents=False), PerAgentModel(params, rng=seed)
    households = per.households
    diff: dict[str, float] = {}
    diff["utility"] = float(np.max(np.abs(participation.utility(vec, 0.0)
                                          - [h.utility() for h in households])))
    participation.decide(vec, 0.0)
    for h, c, hours, p in zip(households, vec.pop.contributed.tolist(), vec.pop.hours.tolist(),
                              vec.pop.propensity.tolist(), strict=True):
        h.contributed, h.hours, h.propensity = c, hours, p
    participation.observe(vec, None)
    per.advance()
    for name in ("belief", "trust", "habit", "history", "weeks_active", "total_hours"):
        mine = np.array([getattr(h, name) for h in households], dtype=np.float64)
        diff[name] = float(np.max(np.abs(getattr(vec.pop, name) - mine)))
    return diff
