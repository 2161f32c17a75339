"""Per-household state as numpy arrays: who each household is and what it has done."""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import IntEnum

import numpy as np

from .params import Params
from .structure import Layout


class BehaviouralType(IntEnum):
    """Contribution types of Fischbacher, Gächter & Fehr (2001)."""

    CONDITIONAL = 0
    FREE_RIDER = 1
    HUMP = 2
    UNCONDITIONAL = 3


class HeadRank(IntEnum):
    """Post held in the leadership chain (neighbour head → building head → grid head)."""

    NONE = 0
    NEIGHBOUR = 1
    BUILDING = 2
    GRID = 3


@dataclass
class Population:
    """Arrays indexed by household number. Traits are fixed; the rest changes weekly."""

    # traits
    btype: np.ndarray  # BehaviouralType
    party: np.ndarray  # bool: household has a party member
    recent: np.ndarray  # bool: arrived recently (tenure)
    civic: np.ndarray  # civic motivation, 0–1
    time_budget: np.ndarray  # hours/week the household could give
    interest: np.ndarray  # interest kind, 0..interests-1
    skilled: np.ndarray  # bool: could found and lead a group
    interest_strength: np.ndarray  # how much the household cares for its interest, 0–1
    willing: np.ndarray  # bool: would accept a head post
    # state
    trust: np.ndarray  # trust / efficacy, 0–1
    belief: np.ndarray  # belief about the share of visible others who contribute
    known: np.ndarray  # unit neighbours known (ties)
    bridges: np.ndarray  # people known outside the unit through groups
    group: np.ndarray  # interest group id, -1 for none
    head: np.ndarray  # HeadRank
    invited: np.ndarray  # bool: personally invited this week
    burned_out: np.ndarray  # bool: quit a head post worn out; never serves again
    habit: np.ndarray  # habit and role identity from taking part, 0–1
    # recognition
    streak: np.ndarray  # consecutive boards listing this household
    thanked_times: np.ndarray  # boards that thanked this household (habituation)
    glow: np.ndarray  # logit boost from a recent listing or thanks
    period_hours: np.ndarray  # hours since the last board
    period_weeks: np.ndarray  # weeks taken part since the last board
    # history
    propensity: np.ndarray  # this week's chance of contributing
    contributed: np.ndarray  # bool: contributed this week
    hours: np.ndarray  # hours contributed this week
    history: np.ndarray  # uint8 bit mask of the last 8 weeks (bit 0 = this week)
    weeks_active: np.ndarray  # weeks contributed so far
    total_hours: np.ndarray  # hours contributed so far

    @property
    def size(self) -> int:
        return len(self.btype)

    def nbytes(self) -> int:
        return sum(getattr(self, f.name).nbytes for f in fields(self))


def init_population(params: Params, layout: Layout, pool_others: np.ndarray,
                    rng: np.random.Generator) -> Population:
    """Draw every household's traits and initial state; ``pool_others`` is the number of
    neighbours each household could know (its acquaintance pool, ODD §7.2)."""
    r, t = params.residents, params.ties
    n = layout.households
    mix = [r.share_conditional, r.share_free_rider, r.share_hump, r.share_unconditional]
    btype = rng.choice(4, size=n, p=np.asarray(mix) / sum(mix)).astype(np.int8)
    party = rng.random(n) < r.share_party
    recent = rng.random(n) < r.share_recent_arrivals
    civic = np.clip(_beta_with_mean(rng, r.civic_mean, 4.0, n) + party * r.civic_party_bonus, 0, 1)
    time_budget = rng.gamma(2.0, r.time_budget_mean / 2.0, size=n)
    interest = rng.integers(0, r.interests, size=n).astype(np.int16)
    skilled = rng.random(n) < r.share_skilled
    trust = np.clip(_beta_with_mean(rng, r.trust_initial, 6.0, n), 0, 1)
    strength = _beta_with_mean(rng, params.groups.interest_mean, 2.0, n)
    h = params.heads
    willing = rng.random(n) < np.where(party, h.willing_party, h.willing_other)

    density = np.where(recent, t.density_recent, t.density_long_term)
    known = rng.binomial(pool_others, density)

    f32 = np.float32
    return Population(
        btype=btype,
        party=party,
        recent=recent,
        civic=civic.astype(f32),
        time_budget=time_budget.astype(f32),
        interest=interest,
        skilled=skilled,
        interest_strength=strength.astype(f32),
        willing=willing,
        trust=trust.astype(f32),
        belief=np.full(n, params.participation.belief_initial, dtype=f32),
        known=known.astype(np.int32),
        bridges=np.zeros(n, dtype=np.int32),
        group=np.full(n, -1, dtype=np.int32),
        head=np.zeros(n, dtype=np.int8),
        invited=np.zeros(n, dtype=bool),
        burned_out=np.zeros(n, dtype=bool),
        habit=np.zeros(n, dtype=f32),
        streak=np.zeros(n, dtype=np.int16),
        thanked_times=np.zeros(n, dtype=np.int16),
        glow=np.zeros(n, dtype=f32),
        period_hours=np.zeros(n, dtype=f32),
        period_weeks=np.zeros(n, dtype=np.int16),
        propensity=np.zeros(n, dtype=f32),
        contributed=np.zeros(n, dtype=bool),
        hours=np.zeros(n, dtype=f32),
        history=np.zeros(n, dtype=np.uint8),
        weeks_active=np.zeros(n, dtype=np.int16),
        total_hours=np.zeros(n, dtype=f32),
    )


def _beta_with_mean(rng: np.random.Generator, mean: float, concentration: float, n: int):
    """Beta draws with the given mean (0 and 1 give constants)."""
    if mean <= 0 or mean >= 1:
        return np.full(n, float(mean))
    return rng.beta(mean * concentration, (1 - mean) * concentration, size=n)
