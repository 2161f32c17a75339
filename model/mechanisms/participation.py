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
    c = pop.contributed
    pop.history[:] = (pop.history << 1) | c
    pop.weeks_active += c
    pop.total_hours += pop.hours
    pop.period_hours += pop.hours

    unit_contributors = np.bincount(lay.unit_of, weights=c, minlength=lay.units)[lay.unit_of]
    others_contributing = unit_contributors - c
    unit_rate = np.where(s.others > 0, others_contributing / s.others_safe, pop.belief)
    seen_unit = s.others * s.visible_share
    if group_rate is None:
        observed = unit_rate
    else:  # group-mates are seen too (ODD §7.5)
        seen_group, rate = group_rate
        weight = seen_unit + seen_group
        observed = np.where(
            weight > 0, (unit_rate * seen_unit + rate * seen_group) / np.maximum(weight, 1e-9),
            pop.belief)
    pop.belief += (prm.belief_learning * (observed - pop.belief)).astype(np.float32)

    _update_ties(model, others_contributing)
    achieved = np.minimum(1.0, (unit_contributors / lay.unit_size[lay.unit_of])
                          / prm.achievement_full)
    pop.trust += (prm.trust_learning * (achieved - pop.trust)).astype(np.float32)


def _update_ties(model: LinliModel, others_contributing: np.ndarray) -> None:
    """Contributors get to know co-contributors they did not know; ties lapse slowly."""
    pop, t, s, rng = model.pop, model.params.ties, model.sizes, model.rng
    unknown_share = 1.0 - pop.known / s.others_safe
    chances = np.where(pop.contributed, np.rint(others_contributing * unknown_share), 0)
    gained = rng.binomial(chances.astype(np.int64), t.meet_rate)
    lost = rng.binomial(pop.known, t.decay_rate)
    pop.known[:] = np.minimum(pop.known + gained - lost, s.acquaintance_limit)
