"""The leadership chain and invitations (ODD §7.6): grid head → building head → neighbour head,
filled from party members first, then the most active residents; heads and contributing
party members invite the households they are responsible for."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..channels import invitation_reach
from ..population import HeadRank

if TYPE_CHECKING:
    from ..core import LinliModel

_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.int8)


def recent_weeks(history: np.ndarray) -> np.ndarray:
    """Weeks contributed among the last eight (popcount of the history bit mask)."""
    return _POPCOUNT[history]


def step(model: LinliModel) -> None:
    """Review posts when due, then send this week's invitations."""
    h, pop = model.params.heads, model.pop
    pop.invited[:] = False
    if not h.enabled:
        return
    if model.week == 1 or model.week % h.review_every == 0:
        appoint(model)
    _invite(model)


def appoint(model: LinliModel) -> None:
    """Dismiss heads inactive for eight weeks; fill empty posts level by level."""
    h, pop, lay = model.params.heads, model.pop, model.layout
    if model.week > 8:
        pop.head[(pop.head > 0) & (pop.history == 0)] = HeadRank.NONE
    score = (recent_weeks(pop.history) / 8.0 + pop.civic
             + 1e-3 * model.rng.random(pop.size)).astype(np.float64)
    if h.party_first:
        score += 2.0 * pop.party
    eligible = np.ones(pop.size, dtype=bool)
    for rank, level in ((HeadRank.NEIGHBOUR, "unit"), (HeadRank.BUILDING, "li"),
                        (HeadRank.GRID, "grid")):
        _fill(pop.head, lay.of(level), score, eligible, rank)
        eligible = pop.head >= rank  # the next level up is chosen among these heads


def _fill(head: np.ndarray, group_of: np.ndarray, score: np.ndarray, eligible: np.ndarray,
          rank: int) -> None:
    """In each group without a holder of ``rank`` (or above), promote the best eligible."""
    groups = int(group_of[-1]) + 1
    held = np.bincount(group_of, weights=head >= rank, minlength=groups) > 0
    candidates = np.flatnonzero(eligible & ~held[group_of])
    if len(candidates) == 0:
        return
    order = candidates[np.lexsort((score[candidates], group_of[candidates]))]
    last = np.concatenate((np.diff(group_of[order]) != 0, [True]))  # best of each group
    head[order[last]] = rank


def _invite(model: LinliModel) -> None:
    h, pop, lay, s, rng = model.params.heads, model.pop, model.layout, model.sizes, model.rng
    units = lay.units
    has_head = np.bincount(lay.unit_of, weights=pop.head > 0, minlength=units) > 0
    p_head = np.where(has_head[lay.unit_of] & (pop.head == 0),
                      invitation_reach(model.params.size_channels, h.invites_per_week,
                                       s.size), 0.0)
    inviters = np.bincount(lay.unit_of, weights=pop.party & pop.contributed, minlength=units)
    reach = invitation_reach(model.params.size_channels, h.party_invites, s.size)
    p_party = 1.0 - (1.0 - reach) ** (inviters[lay.unit_of] - (pop.party & pop.contributed))
    p = 1.0 - (1.0 - p_head) * (1.0 - p_party)
    pop.invited[:] = rng.random(pop.size) < p
    # the chain: a building head keeps the neighbour heads of its 里 going, a grid head its
    # building heads
    for rank, level in ((HeadRank.NEIGHBOUR, "li"), (HeadRank.BUILDING, "grid")):
        ids = lay.of(level)
        above = np.bincount(ids, weights=pop.head > rank, minlength=int(ids[-1]) + 1) > 0
        pop.invited |= (pop.head == rank) & above[ids]


def coverage(model: LinliModel) -> float:
    """Share of households whose unit has a neighbour head."""
    lay, pop = model.layout, model.pop
    has_head = np.bincount(lay.unit_of, weights=pop.head > 0, minlength=lay.units) > 0
    return float(has_head[lay.unit_of].mean())


def utility_term(model: LinliModel) -> np.ndarray | float:
    """A personal invitation this week; the duty of holding a post."""
    h, pop = model.params.heads, model.pop
    if not h.enabled:
        return 0.0
    return h.beta_invite * pop.invited + h.beta_head * (pop.head > 0)
