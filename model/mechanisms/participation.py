"""Weekly participation (ODD §7.3): imperfect conditional cooperation plus motives, as a logit.

``decide`` draws who contributes this week; ``observe`` then updates beliefs, history, ties
and trust from what each household could see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..population import BehaviouralType as T

if TYPE_CHECKING:
    from ..core import LinliModel

_EPS = 0.005


def base_propensity(model: LinliModel) -> np.ndarray:
    """Type-specific propensity from the belief b about visible others' participation.

    Conditional cooperators: ``cc_slope * b`` (a match below one-to-one); hump-shaped:
    ``cc_slope * min(b, 1 - b)``; free riders and unconditional contributors: constants.
    """
    prm, pop = model.params.participation, model.pop
    b = pop.belief
    base = np.select(
        [pop.btype == T.CONDITIONAL, pop.btype == T.HUMP, pop.btype == T.FREE_RIDER],
        [prm.cc_slope * b, prm.cc_slope * np.minimum(b, 1 - b), prm.free_rider_level],
        default=prm.unconditional_level,
    )
    return np.clip(base, _EPS, 1 - _EPS)


def utility(model: LinliModel, extra: np.ndarray | float) -> np.ndarray:
    """Logit of contributing: the type's base plus every motive term of ODD §7.3."""
    prm, pop, s = model.params.participation, model.pop, model.sizes
    base = base_propensity(model)
    social_image = pop.known / s.others_safe * s.visible_share  # neighbours who know and see you
    return (
        np.log(base / (1 - base))
        + prm.intercept
        + prm.beta_civic * pop.civic
        - prm.beta_time_cost * s.time_cost
        + prm.beta_trust * (pop.trust - 0.5)
        + prm.beta_social * social_image
        + prm.beta_benefit * prm.benefit_multiplier * s.benefit_share
        + extra
    )


def decide(model: LinliModel, extra: np.ndarray | float) -> None:
    """Draw this week's contributors and the hours they give."""
    pop, prm = model.pop, model.params.participation
    propensity = 1.0 / (1.0 + np.exp(-utility(model, extra)))
    pop.propensity[:] = propensity
    pop.contributed[:] = model.rng.random(pop.size) < propensity
    pop.hours[:] = np.where(
        pop.contributed, pop.time_budget * prm.hours_per_contribution * propensity, 0.0
    )


def observe(model: LinliModel, group_rate: np.ndarray | None) -> None:
    """Update history, beliefs, ties and trust from this week's contributions."""
    pop, prm, lay, s = model.pop, model.params.participation, model.layout, model.sizes
    c = pop.contributed.astype(np.int64)
    pop.history[:] = (pop.history << 1) | pop.contributed
    pop.weeks_active += c
    pop.total_hours += pop.hours
    pop.period_hours += pop.hours

    seen = s.sight_hi - s.sight_lo - 1  # households one can see, oneself excluded
    running = np.concatenate(([0], np.cumsum(c, dtype=np.int64)))
    seen_contributing = running[s.sight_hi] - running[s.sight_lo] - c
    seen_rate = np.where(seen > 0, seen_contributing / np.maximum(seen, 1), pop.belief)
    if group_rate is None:
        observed = seen_rate
    else:  # group-mates are seen too (ODD §7.5)
        seen_group, rate = group_rate
        weight = seen + seen_group
        observed = np.where(weight > 0, (seen_rate * seen + rate * seen_group)
                            / np.maximum(weight, 1), pop.belief)
    pop.belief += (prm.belief_learning * (observed - pop.belief)).astype(np.float32)

    unit_contributors = np.bincount(lay.unit_of, weights=c, minlength=lay.units)[lay.unit_of]
    _update_ties(model, unit_contributors - c)
    achieved = np.minimum(1.0, seen_rate / prm.achievement_full)  # what one sees get done
    pop.trust += (prm.trust_learning * (achieved - pop.trust)).astype(np.float32)


def _update_ties(model: LinliModel, others_contributing: np.ndarray) -> None:
    """Contributors get to know co-contributors they did not know; ties lapse slowly."""
    pop, t, s, rng = model.pop, model.params.ties, model.sizes, model.rng
    unknown_share = 1.0 - pop.known / s.others_safe
    met = np.where(pop.contributed, others_contributing, 0).astype(np.int64)
    gained = rng.binomial(met, np.clip(unknown_share * t.meet_rate, 0, 1))
    lost = rng.binomial(pop.known, t.decay_rate)
    pop.known[:] = np.minimum(pop.known + gained - lost, s.acquaintance_limit)
