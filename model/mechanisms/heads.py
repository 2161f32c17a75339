"""The leadership chain and invitations (ODD §7.6): grid head → building head → neighbour head.

Posts are offered to households willing and able to serve — party members first, then the
most active — from a finite pool (the households willing from the start, and the core
volunteers, the report's "active residents"): a unit with no candidate has a vacant post, and a
head burns out, quits and leaves the pool at a rate that grows with the households it must
look after. Heads
and contributing party members invite the households they are responsible for."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..population import HeadRank

if TYPE_CHECKING:
    from ..core import LinliModel

_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.int8)


def recent_weeks(history: np.ndarray) -> np.ndarray:
    """Weeks contributed among the last eight (popcount of the history bit mask)."""
    return _POPCOUNT[history]


def step(model: LinliModel) -> None:
    """Burnout, then a review when due, then this week's invitations."""
    h, pop = model.params.heads, model.pop
    pop.invited[:] = False
    if not model.active("heads"):
        return
    _burn_out(model)
    if h.enabled and (model.week == 1 or model.week % h.review_every == 0):
        appoint(model)
    _invite(model)


def load(model: LinliModel) -> np.ndarray:
    """Per unit: households per neighbour-head post, over what one head can look after."""
    lay = model.layout
    return lay.unit_size / np.maximum(model.head_posts, 1) / model.params.heads.capacity


def _burn_out(model: LinliModel) -> None:
    """Each head quits with chance ``burnout_rate · load`` a week and never serves again."""
    h, pop = model.params.heads, model.pop
    heads = np.flatnonzero(pop.head > 0)
    hazard = h.burnout_rate * load(model)[model.layout.unit_of[heads]]
    out = heads[model.streams.heads.random(len(heads)) < hazard]
    pop.head[out] = HeadRank.NONE
    pop.burned_out[out] = True


def candidates(model: LinliModel) -> np.ndarray:
    """Households a post can be offered to: willing from the start or core volunteers (6 of
    the last 8 weeks), not burned out, and active in the last 8 weeks (after week 8)."""
    pop = model.pop
    active = (pop.history != 0) if model.week > 8 else np.ones(pop.size, dtype=bool)
    core = recent_weeks(pop.history) >= 6
    return (pop.willing | core) & ~pop.burned_out & active


def appoint(model: LinliModel) -> None:
    """Dismiss heads inactive for eight weeks; offer empty posts, level by level, to the
    candidates (posts with no candidate stay vacant)."""
    pop, lay = model.pop, model.layout
    inactive = (pop.history == 0) if model.week > 8 else np.zeros(pop.size, dtype=bool)
    pop.head[(pop.head > 0) & inactive] = HeadRank.NONE
    score = candidate_score(model) + 1e-3 * model.streams.heads.random(pop.size)
    eligible = candidates(model)
    for rank, level in ((HeadRank.NEIGHBOUR, "unit"), (HeadRank.BUILDING, "li"),
                        (HeadRank.GRID, "grid")):
        group_of = lay.of(level)
        posts = model.head_posts if rank == HeadRank.NEIGHBOUR else np.ones(
            int(group_of[-1]) + 1, dtype=np.int64)
        _fill(pop.head, group_of, score, eligible, rank, posts)
        eligible = pop.head >= rank  # the next level up is chosen among these heads


def candidate_score(model: LinliModel) -> np.ndarray:
    """Per household, how it ranks for a post: weeks taken part among the last 8 (as a
    share) + civic motivation, + 2 for party members when ``party_first``."""
    pop = model.pop
    score = recent_weeks(pop.history) / 8.0 + pop.civic.astype(np.float64)
    if model.params.heads.party_first:
        score += 2.0 * pop.party
    return score


def best_in_unit(model: LinliModel, unit: int) -> int:
    """The household a review would appoint first in ``unit`` (among non-heads, if any;
    willing households first)."""
    lay, pop = model.layout, model.pop
    members = np.arange(lay.unit_start[unit], lay.unit_start[unit] + lay.unit_size[unit])
    score = candidate_score(model)[members] + 10.0 * candidates(model)[members]
    free = pop.head[members] == 0
    if free.any():
        score = np.where(free, score, -np.inf)
    return int(members[int(np.argmax(score))])


def _fill(head: np.ndarray, group_of: np.ndarray, score: np.ndarray, eligible: np.ndarray,
          rank: int, posts: np.ndarray) -> None:
    """Fill each group's empty posts of ``rank`` with its best-scoring eligible households."""
    held = np.bincount(group_of, weights=head >= rank, minlength=len(posts)).astype(np.int64)
    room = posts - held
    candidates = np.flatnonzero(eligible & (head < rank) & (room[group_of] > 0))
    if len(candidates) == 0:
        return
    order = candidates[np.lexsort((-score[candidates], group_of[candidates]))]  # best first
    groups = group_of[order]
    place = np.arange(len(order)) - np.searchsorted(groups, groups)  # 0 = best in its group
    head[order[place < room[groups]]] = rank


def _invite(model: LinliModel) -> None:
    h, pop, lay, rng = model.params.heads, model.pop, model.layout, model.streams.heads
    # Every inviter spreads its invitations over its unit neighbours. How many heads a unit has
    # is the head_span channel (model.head_posts); the number of contributing party members
    # grows with the unit, so party invitations are not a size channel.
    heads_here = _per_unit_others(lay.unit_of, pop.head > 0, lay.units)
    inviting = pop.party & pop.contributed
    party_here = _per_unit_others(lay.unit_of, inviting, lay.units)
    neighbours = np.maximum(lay.unit_size[lay.unit_of] - 1, 1)
    p_head = 1.0 - (1.0 - np.minimum(1.0, h.invites_per_week / neighbours)) ** heads_here
    p_party = 1.0 - (1.0 - np.minimum(1.0, h.party_invites / neighbours)) ** party_here
    p = np.where(pop.head > 0, p_party, 1.0 - (1.0 - p_head) * (1.0 - p_party))
    pop.invited[:] = rng.random(pop.size) < p
    # the chain: a building head keeps the neighbour heads of its 里 going, a grid head its
    # building heads
    for rank, level in ((HeadRank.NEIGHBOUR, "li"), (HeadRank.BUILDING, "grid")):
        ids = lay.of(level)
        above = np.bincount(ids, weights=pop.head > rank, minlength=int(ids[-1]) + 1) > 0
        pop.invited |= (pop.head == rank) & above[ids]


def _per_unit_others(unit_of: np.ndarray, mask: np.ndarray, units: int) -> np.ndarray:
    """Per household: how many *other* households of its unit have ``mask`` set."""
    return np.bincount(unit_of, weights=mask, minlength=units)[unit_of] - mask


def coverage(model: LinliModel) -> float:
    """Share of households whose unit has a neighbour head (NaN when heads are not part of
    the run)."""
    lay, pop = model.layout, model.pop
    if not model.active("heads"):
        return float("nan")
    has_head = np.bincount(lay.unit_of, weights=pop.head > 0, minlength=lay.units) > 0
    return float(has_head[lay.unit_of].mean())


def vacancy(model: LinliModel) -> float:
    """Share of neighbour-head posts with nobody in them (NaN when heads are not part of the
    run)."""
    lay, pop = model.layout, model.pop
    if not model.active("heads") or model.head_posts.sum() == 0:
        return float("nan")
    held = np.bincount(lay.unit_of, weights=pop.head > 0, minlength=lay.units)
    return float(np.maximum(model.head_posts - held, 0).sum() / model.head_posts.sum())


def utility_term(model: LinliModel) -> np.ndarray | float:
    """A personal invitation this week; the duty of holding a post."""
    h, pop = model.params.heads, model.pop
    if not model.active("heads"):
        return 0.0
    return h.beta_invite * pop.invited + h.beta_head * (pop.head > 0)
