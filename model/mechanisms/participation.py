"""Weekly participation (ODD §7.3): imperfect conditional cooperation plus motives, as a logit.

``decide`` draws who contributes this week; ``observe`` then updates history, habit, beliefs,
ties and trust from what each household could see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..params import Params
from ..population import BehaviouralType as T
from ..population import Population
from ..sizes import Sizes, time_cost

if TYPE_CHECKING:
    from ..core import LinliModel

_EPS = 0.005


@dataclass(frozen=True)
class Rule:
    """The parts of the decision rule fixed at initialization, per household (float32).

    ``fixed`` = intercept + β_civic·civic − β_time·time_cost + β_benefit·a / building size;
    the type's base is ``constant + cc·b + hump·min(b, 1 − b)``.
    """

    fixed: np.ndarray
    constant: np.ndarray  # free riders' and unconditional contributors' base
    cc: np.ndarray  # cc_slope for conditional cooperators, else 0
    hump: np.ndarray  # cc_slope for hump-shaped contributors, else 0

    @classmethod
    def build(cls, params: Params, pop: Population, sizes: Sizes) -> Rule:
        prm = params.participation
        f32 = np.float32
        fixed = (prm.intercept + prm.beta_civic * pop.civic
                 - prm.beta_time_cost * time_cost(params, pop.time_budget)
                 + prm.beta_benefit * prm.benefit_multiplier * sizes.building_share)
        constant = np.select([pop.btype == T.FREE_RIDER, pop.btype == T.UNCONDITIONAL],
                             [prm.free_rider_level, prm.unconditional_level], default=0.0)
        return cls(
            fixed=fixed.astype(f32),
            constant=constant.astype(f32),
            cc=(prm.cc_slope * (pop.btype == T.CONDITIONAL)).astype(f32),
            hump=(prm.cc_slope * (pop.btype == T.HUMP)).astype(f32),
        )


def settle_habit(params: Params, pop: Population, sizes: Sizes, rule: Rule,
                 rounds: int = 50) -> None:
    """Give each household the habit it brings from before the launch call: the steady state
    of its own decision rule (with the neighbours it knows at the start) in a community
    without the reform's mechanisms, beliefs equal to the mean propensity, where habit
    balances its gain in weeks taken part against its loss in weeks not (ODD §5)."""
    prm = params.participation
    seen_by = pop.known * sizes.visible_share
    fixed = (rule.fixed + prm.beta_trust * (pop.trust - 0.5)
             + prm.beta_social * seen_by / (seen_by + prm.audience_half))
    belief, habit = prm.belief_initial, np.zeros(pop.size)
    for _ in range(rounds):
        base = np.clip(rule.constant + rule.cc * belief + rule.hump * min(belief, 1 - belief),
                       _EPS, 1 - _EPS)
        p = 1.0 / (1.0 + np.exp(-(np.log(base / (1 - base)) + fixed + prm.beta_habit * habit)))
        gain, loss = habit_rates(params)
        gained, lost = gain * p, loss * (1 - p)
        habit = np.where(gained + lost > 0, gained / np.maximum(gained + lost, 1e-12), 0.0)
        belief = float(p.mean())
    pop.habit[:] = habit


def base_propensity(model: LinliModel) -> np.ndarray:
    """Type-specific propensity from the belief b about visible others' participation.

    Conditional cooperators: ``cc_slope * b`` (a match below one-to-one); hump-shaped:
    ``cc_slope * min(b, 1 - b)``; free riders and unconditional contributors: constants.
    """
    rule, b = model.rule, model.pop.belief
    base = rule.constant + rule.cc * b + rule.hump * np.minimum(b, 1 - b)
    return np.clip(base, _EPS, 1 - _EPS, out=base)


def audience(model: LinliModel) -> np.ndarray:
    """Acquaintances who can see one's contribution: ``known · visible share``."""
    return model.pop.known * model.sizes.visible_share


def utility(model: LinliModel, extra: np.ndarray | float) -> np.ndarray:
    """Logit of contributing: the type's base plus every motive term of ODD §7.3."""
    prm, pop, rule = model.params.participation, model.pop, model.rule
    base = base_propensity(model)
    u = np.log(base / (1 - base))
    u += rule.fixed
    u += np.float32(prm.beta_trust) * (pop.trust - np.float32(0.5))
    seen_by = audience(model)
    u += np.float32(prm.beta_social) * seen_by / (seen_by + np.float32(prm.audience_half))
    u += np.float32(prm.beta_habit) * pop.habit
    u += extra
    return u


def decide(model: LinliModel, extra: np.ndarray | float) -> None:
    """Draw this week's contributors and the hours they give; households with an external
    decision (``model.external``) then take it instead (their propensity stays the rule's)."""
    pop, prm = model.pop, model.params.participation
    u = utility(model, extra)
    propensity = 1.0 / (1.0 + np.exp(-u, out=u))
    pop.propensity[:] = propensity
    draw = model.streams.decide.random(pop.size, dtype=np.float32)
    pop.contributed[:] = draw < propensity
    pop.hours[:] = pop.time_budget * np.float32(prm.hours_per_contribution) * pop.contributed
    if model.external is not None:  # households whose choice is made outside (ODD §6)
        model.external.apply_households(pop, prm.hours_per_contribution)


def observe(model: LinliModel, group_rate: tuple[np.ndarray, np.ndarray] | None) -> None:
    """Update history, habit, beliefs, ties and trust from this week's contributions."""
    pop, prm, s = model.pop, model.params.participation, model.sizes
    contributed = pop.contributed
    pop.history[:] = (pop.history << 1) | contributed
    pop.weeks_active += contributed
    pop.total_hours += pop.hours
    pop.period_hours += pop.hours
    pop.period_weeks += contributed
    _update_habit(pop, *habit_rates(params=model.params))

    running = np.zeros(pop.size + 1, dtype=np.int32)
    np.cumsum(contributed, dtype=np.int32, out=running[1:])
    # the participation rate of the households one sees (oneself excluded)
    seen_rate = (running[s.sight_hi] - running[s.sight_lo] - contributed) * s.seen_inverse
    # a household alone in its unit sees no contribution around it: it observes 0 (its
    # seen_inverse is 0)
    if group_rate is None:
        observed = seen_rate
    else:  # group-mates are seen too (ODD §7.5)
        seen_group, rate = group_rate
        weight = s.seen + seen_group
        observed = (seen_rate * s.seen + rate * seen_group) / np.maximum(weight, 1)
    pop.belief += np.float32(prm.belief_learning) * (observed - pop.belief)

    co_contributors = running[s.pool_hi] - running[s.pool_lo] - contributed
    _update_ties(model, co_contributors)
    half = np.float32(prm.achievement_half)
    achieved = seen_rate / (seen_rate + half) * (1 + half)  # 1 when everyone one sees helps
    pop.trust += np.float32(prm.trust_learning) * (achieved - pop.trust)


def habit_rates(params: Params) -> tuple[float, float]:
    """(gain, loss) of the persistence stock: the habit rates, or 1 and 1 for 'last-week'
    (the stock is then whether one took part last week)."""
    prm = params.participation
    if prm.persistence == "last-week":
        return 1.0, 1.0
    return prm.habit_gain, prm.habit_loss


def _update_habit(pop: Population, gain: float, loss: float) -> None:
    """Habit grows toward 1 in a week one takes part and fades toward 0 in a week one does
    not."""
    target = pop.contributed.astype(np.float32)
    rate = np.where(pop.contributed, np.float32(gain), np.float32(loss))
    pop.habit += rate * (target - pop.habit)


def _update_ties(model: LinliModel, co_contributors: np.ndarray) -> None:
    """Contributors get to know co-contributors of their pool they did not know; ties lapse.

    Each week a contributor gets to know one more neighbour with chance
    ``1 − (1 − meet_rate · unknown share)^(co-contributors)`` (each co-contributor it does not
    know is met with chance ``meet_rate``; at most one new tie a week), and a household loses
    one tie with chance ``decay_rate · known``.
    """
    pop, t, s, rng = model.pop, model.params.ties, model.sizes, model.streams.ties
    who = np.flatnonzero(pop.contributed)
    unknown_share = 1.0 - pop.known[who] / s.others_safe[who]
    meet = 1.0 - (1.0 - np.clip(unknown_share * t.meet_rate, 0, 1)) ** co_contributors[who]
    gained = rng.random(len(who)) < meet
    lost = rng.random(pop.size, dtype=np.float32) < np.float32(t.decay_rate) * pop.known
    pop.known -= lost
    pop.known[who] += gained
    np.minimum(pop.known, s.acquaintance_limit, out=pop.known)
