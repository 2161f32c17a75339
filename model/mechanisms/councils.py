"""Councils and votes, 共谋 (ODD §7.11): every ``interval`` weeks each scope decides where its
shared fund and hours go — fixing problems first, its shared spaces, or its groups'
activities — by a plurality of those who vote. Voters on the winning side gain trust in
proportion to turnout; voters who are overruled lose some. The decision holds until the next
council."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .problems import ENVIRONMENT

if TYPE_CHECKING:
    from ..core import LinliModel

OPTIONS = ("fix", "spaces", "activities")
FIX, SPACES, ACTIVITIES = range(3)
NONE = -1


class CouncilState:
    def __init__(self, scopes: int) -> None:
        self.held = 0
        self.turnout = float("nan")  # of the latest council, all scopes together
        self.voted = None  # households who voted at the latest council
        self.decision = np.full(scopes, NONE, dtype=np.int8)  # per scope, until the next one


def options(model: LinliModel) -> list[int]:
    """What a council can decide: only options whose mechanism is part of the run."""
    p = model.params
    available = {FIX: p.problems.enabled, SPACES: p.commons.enabled,
                 ACTIVITIES: model.active("groups")}
    return [k for k, ok in available.items() if ok]


def preferences(model: LinliModel, offered: list[int]) -> np.ndarray:
    """Per household, the option it votes for: the largest of its needs (each 0–1) plus
    Gumbel noise of scale ``preference_noise``. Needs: the share of satisfaction lost to the
    open problems it sees (fix); how far its building's space falls short of full quality
    (spaces); the strength of its interest (activities)."""
    pop, rng = model.pop, model.streams.councils
    need = np.zeros((pop.size, len(OPTIONS)))
    need[:, FIX] = np.minimum(1.0, model.params.problems.satisfaction_cost
                              * model.problems.open_seen)
    if model.params.commons.enabled:
        need[:, SPACES] = 1.0 - model.spaces.quality[model.layout.building_of]
    need[:, ACTIVITIES] = pop.interest_strength
    noise = rng.gumbel(scale=model.params.councils.preference_noise, size=need.shape)
    score = np.full(need.shape, -np.inf)
    score[:, offered] = (need + noise)[:, offered]
    return np.argmax(score, axis=1)


def step(model: LinliModel) -> None:
    """Hold councils when due (every ``interval`` weeks) and there is something to decide."""
    cc = model.params.councils
    if cc.enabled and model.week % cc.interval == 0 and len(options(model)) >= 2:
        hold(model)


def hold(model: LinliModel) -> None:
    """Every scope votes, with chance σ(logit(propensity) + vote_ease) per household, for its
    preferred option; the plurality decides; trust moves with the outcome."""
    cc, pop, lay, state = model.params.councils, model.pop, model.layout, model.councils
    offered = options(model)
    rng = model.streams.councils
    p = np.clip(pop.propensity.astype(np.float64), 1e-6, 1 - 1e-6)
    voted = rng.random(pop.size) < 1 / (1 + np.exp(-(np.log(p / (1 - p)) + cc.vote_ease)))
    choice = preferences(model, offered)
    scope = lay.of(cc.scope)
    scopes = len(state.decision)
    households = np.bincount(scope, minlength=scopes)
    turnout = np.bincount(scope, weights=voted, minlength=scopes) / households
    votes = np.zeros((scopes, len(OPTIONS)))
    np.add.at(votes, (scope[voted], choice[voted]), 1.0)
    tie_break = rng.random(votes.shape) * 1e-3
    decision = np.argmax(votes + tie_break, axis=1).astype(np.int8)
    state.decision[:] = np.where(votes.sum(axis=1) > 0, decision, NONE)

    legitimacy = turnout[scope]
    won = voted & (choice == state.decision[scope])
    lost = voted & ~won
    pop.trust += (won * cc.legitimacy_trust * legitimacy * (1 - pop.trust)
                  - lost * cc.overruled_trust * pop.trust).astype(np.float32)
    # compliance with a legitimate decision: fewer environment problems until the next one
    unit_turnout = np.bincount(lay.unit_of, weights=legitimacy, minlength=lay.units) \
        / lay.unit_size
    model.problems.rate_cut[:, ENVIRONMENT] = cc.compliance * unit_turnout
    state.held += 1
    state.turnout = float(voted.mean())
    state.voted = voted


def _decided(model: LinliModel, option: int) -> np.ndarray | None:
    """Per household: its scope's standing decision is ``option`` (None if no scope's is)."""
    state = model.councils
    if not model.params.councils.enabled or not (state.decision == option).any():
        return None
    return state.decision[model.layout.of(model.params.councils.scope)] == option


def funds_spaces(model: LinliModel) -> np.ndarray | None:
    return _decided(model, SPACES)


def funds_activities(model: LinliModel) -> np.ndarray | None:
    return _decided(model, ACTIVITIES)


def fixes_first(model: LinliModel) -> np.ndarray | None:
    """Per household: its scope chose to fix problems first (the office serves it first)."""
    return _decided(model, FIX)


def decision_shares(model: LinliModel) -> dict[str, float]:
    """Share of scopes whose standing decision is each option."""
    decision = model.councils.decision
    return {name: float(np.mean(decision == k)) for k, name in enumerate(OPTIONS)}
