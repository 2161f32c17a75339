"""Councils and votes, 共谋 (ODD §7.11): every ``interval`` weeks each scope votes on a shared
matter; turnout gives the decision legitimacy, which moves trust and compliance."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .problems import ENVIRONMENT

if TYPE_CHECKING:
    from ..core import LinliModel


class CouncilState:
    def __init__(self) -> None:
        self.held = 0
        self.turnout = 0.0  # of the latest council, all scopes together
        self.voted = None  # households who voted at the latest council


def step(model: LinliModel) -> None:
    """Hold councils when due: vote with chance σ(logit(propensity) + vote_ease)."""
    cc, pop, lay, state, rng = (model.params.councils, model.pop, model.layout,
                                model.councils, model.rng)
    if not cc.enabled or model.week % cc.interval != 0:
        return
    p = np.clip(pop.propensity.astype(np.float64), 1e-6, 1 - 1e-6)
    logit = np.log(p / (1 - p)) + cc.vote_ease
    voted = rng.random(pop.size) < 1 / (1 + np.exp(-logit))
    scope = lay.of(cc.scope)
    turnout = np.bincount(scope, weights=voted) / np.bincount(scope)
    legitimacy = turnout[scope]
    pop.trust += (cc.legitimacy_trust * legitimacy * (1 - pop.trust)).astype(np.float32)
    # compliance with a legitimate decision: fewer environment problems until the next one
    unit_turnout = np.bincount(lay.unit_of, weights=legitimacy, minlength=lay.units) \
        / lay.unit_size
    model.problems.rate_cut[:, ENVIRONMENT] = cc.compliance * unit_turnout
    state.held += 1
    state.turnout = float(voted.mean())
    state.voted = voted
