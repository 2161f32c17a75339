"""Weekly participation (ODD §7.3): imperfect conditional cooperation plus motives, as a logit.

``decide`` draws who contributes this week; ``observe`` then updates beliefs, history, ties
and trust from what each household could see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..params import Params
from ..population import BehaviouralType as T
from ..population import Population

if TYPE_CHECKING:
    from ..core import LinliModel

_EPS = 0.005


@dataclass(frozen=True)
class Rule:
    """The parts of the decision rule fixed at initialization, per household (float32).

    ``fixed`` = intercept + β_civic·civic − β_time·time_cost + β_benefit·a·benefit_share;
    ``image`` = β_social·visible_share / (size − 1), so the social term is ``image · known``;
    the type's base is ``constant + cc·b + hump·min(b, 1 − b)``.
    """

    fixed: np.ndarray
    image: np.ndarray
    constant: np.ndarray  # free riders' and unconditional contributors' base
    cc: np.ndarray  # cc_slope for conditional cooperators, else 0
    hump: np.ndarray  # cc_slope for hump-shaped contributors, else 0

    @classmethod
    def build(cls, params: Params, pop: Population, sizes) -> Rule:
        prm = params.participation
        f32 = np.float32
        fixed = (prm.intercept + prm.beta_civic * pop.civic
                 - prm.beta_time_cost * sizes.time_cost
                 + prm.beta_benefit * prm.benefit_multiplier * sizes.benefit_share)
        constant = np.select([pop.btype == T.FREE_RIDER, pop.btype == T.UNCONDITIONAL],
                             [prm.free_rider_level, prm.unconditional_level], default=0.0)
        return cls(
            fixed=fixed.astype(f32),
            image=(prm.beta_social * sizes.visible_share / sizes.others_safe).astype(f32),
            constant=constant.astype(f32),
            cc=(prm.cc_slope * (pop.btype == T.CONDITIONAL)).astype(f32),
            hump=(prm.cc_slope * (pop.btype == T.HUMP)).astype(f32),
        )


def base_propensity(model: LinliModel) -> np.ndarray:
    """Type-specific propensity from the belief b about visible others' participation.

    Conditional cooperators: ``cc_slope * b`` (a match below one-to-one); hump-shaped:
    ``cc_slope * min(b, 1 - b)``; free riders and unconditional contributors: constants.
    """
    rule, b = model.rule, model.pop.belief
    base = rule.constant + rule.cc * b + rule.hump * np.minimum(b, 1 - b)
    return np.clip(base, _EPS, 1 - _EPS, out=base)


def utility(model: LinliModel, extra: np.ndarray | float) -> np.ndarray:
    """Logit of contributing: the type's base plus every motive term of ODD §7.3."""
    prm, pop, rule = model.params.participation, model.pop, model.rule
    base = base_propensity(model)
    u = np.log(base / (1 - base))
    u += rule.fixed
    u += np.float32(prm.beta_trust) * (pop.trust - np.float32(0.5))
    u += rule.image * pop.known  # neighbours who know and see you
    u += extra
    return u


def decide(model: LinliModel, extra: np.ndarray | float) -> None:
    """Draw this week's contributors and the hours they give."""
    pop, prm = model.pop, model.params.participation
    u = utility(model, extra)
    propensity = 1.0 / (1.0 + np.exp(-u, out=u))
    pop.propensity[:] = propensity
    pop.contributed[:] = model.rng.random(pop.size, dtype=np.float32) < propensity
    pop.hours[:] = pop.time_budget * np.float32(prm.hours_per_contribution) * propensity
    pop.hours[~pop.contributed] = 0.0


def observe(model: LinliModel, group_rate: tuple[np.ndarray, np.ndarray] | None) -> None:
    """Update history, beliefs, ties and trust from this week's contributions."""
    pop, prm, lay, s = model.pop, model.params.participation, model.layout, model.sizes
    contributed = pop.contributed
    pop.history[:] = (pop.history << 1) | contributed
    pop.weeks_active += contributed
    pop.total_hours += pop.hours
    pop.period_hours += pop.hours

    # the participation rate of the households one sees (oneself excluded)
    running = np.zeros(pop.size + 1, dtype=np.int32)
    np.cumsum(contributed, dtype=np.int32, out=running[1:])
    seen_rate = (running[s.sight_hi] - running[s.sight_lo] - contributed) * s.seen_inverse
    if s.blind is not None:  # a lone household sees no one: its belief stands in
        seen_rate[s.blind] = pop.belief[s.blind]
    if group_rate is None:
        observed = seen_rate
    else:  # group-mates are seen too (ODD §7.5)
        seen_group, rate = group_rate
        weight = s.seen + seen_group
        observed = np.where(weight > 0, (seen_rate * s.seen + rate * seen_group)
                            / np.maximum(weight, 1), pop.belief)
    pop.belief += np.float32(prm.belief_learning) * (observed - pop.belief)

    per_unit = np.add.reduceat(contributed, lay.unit_start, dtype=np.int64)
    _update_ties(model, per_unit)
    achieved = np.minimum(np.float32(1.0), seen_rate / np.float32(prm.achievement_full))
    pop.trust += np.float32(prm.trust_learning) * (achieved - pop.trust)


def _update_ties(model: LinliModel, contributors_per_unit: np.ndarray) -> None:
    """Contributors get to know co-contributors they did not know; ties lapse slowly.

    Each week a contributor gets to know one more unit neighbour with chance
    ``1 − (1 − meet_rate · unknown share)^(co-contributors)`` (each co-contributor it does not
    know is met with chance ``meet_rate``; at most one new tie a week), and a household loses
    one tie with chance ``decay_rate · known``.
    """
    pop, t, s, rng = model.pop, model.params.ties, model.sizes, model.rng
    who = np.flatnonzero(pop.contributed)
    co_contributors = contributors_per_unit[model.layout.unit_of[who]] - 1
    unknown_share = 1.0 - pop.known[who] / s.others_safe[who]
    meet = 1.0 - (1.0 - np.clip(unknown_share * t.meet_rate, 0, 1)) ** co_contributors
    gained = rng.random(len(who)) < meet
    lost = rng.random(pop.size, dtype=np.float32) < np.float32(t.decay_rate) * pop.known
    pop.known -= lost
    pop.known[who] += gained
    np.minimum(pop.known, s.acquaintance_limit, out=pop.known)
