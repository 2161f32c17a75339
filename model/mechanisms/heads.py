"""The leadership chain and invitations (ODD §7.6): grid head → building head → neighbour head.

Each neighbour head looks after one territory — its unit (or, with the ``head_span`` channel
off, a street segment of fixed size). Posts are offered to households willing and able to
serve — party members first, then the most active — from a finite pool (the households
willing from the start, and the core volunteers, the report's "active residents"): a
territory with no candidate has a vacant post, and a head burns out, quits and leaves the pool
at a rate that grows with the households it must look after. The duty a post carries grows
with those households too. Heads and contributing party members invite the households of
their territory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..population import HeadRank

if TYPE_CHECKING:
    from ..core import LinliModel

def recent_weeks(history: np.ndarray) -> np.ndarray:
    """Weeks contributed among the last eight (popcount of the history bit mask)."""
    return np.bitwise_count(history)


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
    if model.external is not None:  # invitations sent outside the model (ODD §6)
        external_invites(model, model.external.invite, model.external.invited_by)


def external_invites(model: LinliModel, counts: np.ndarray,
                     record: dict[int, np.ndarray]) -> None:
    """Each household with ``counts > 0`` (which the rule left out of its inviters) invites
    that many other households of its territory not yet invited this week, those who took
    part least in the last eight weeks first (then in street order); whom is written to
    ``record``. Draws no random numbers."""
    record.clear()
    pop, territory = model.pop, model.sizes.territory_of
    for inviter in np.flatnonzero(counts > 0):
        others = np.flatnonzero((territory == territory[inviter]) & ~pop.invited)
        others = others[others != inviter]
        order = np.lexsort((others, recent_weeks(pop.history[others])))
        chosen = others[order[:int(counts[inviter])]]
        pop.invited[chosen] = True
        record[int(inviter)] = chosen


def looked_after(model: LinliModel) -> np.ndarray:
    """Per household: the other households of its territory (those its head looks after)."""
    s = model.sizes
    return s.territory_size[s.territory_of] - 1


def _burn_out(model: LinliModel) -> None:
    """Each head quits with chance ``burnout_rate · load`` a week, load = households of its
    territory / ``capacity``, and never serves again."""
    h, pop, s = model.params.heads, model.pop, model.sizes
    heads = np.flatnonzero(pop.head > 0)
    load = s.territory_size[s.territory_of[heads]] / h.capacity
    out = heads[model.streams.heads.random(len(heads)) < h.burnout_rate * load]
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
    for rank, group_of in ((HeadRank.NEIGHBOUR, model.sizes.territory_of),
                           (HeadRank.BUILDING, lay.li_of), (HeadRank.GRID, lay.grid_of)):
        _fill(pop.head, group_of, score, eligible, rank)
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
    candidates first)."""
    lay, pop = model.layout, model.pop
    members = np.arange(lay.unit_start[unit], lay.unit_start[unit] + lay.unit_size[unit])
    score = candidate_score(model)[members] + 10.0 * candidates(model)[members]
    free = pop.head[members] == 0
    if free.any():
        score = np.where(free, score, -np.inf)
    return int(members[int(np.argmax(score))])


def _fill(head: np.ndarray, group_of: np.ndarray, score: np.ndarray, eligible: np.ndarray,
          rank: int) -> None:
    """Fill each group's empty post of ``rank`` with its best-scoring eligible household."""
    held = np.bincount(group_of, weights=head >= rank) > 0
    candidates_ = np.flatnonzero(eligible & (head < rank) & ~held[group_of])
    if len(candidates_) == 0:
        return
    order = candidates_[np.lexsort((-score[candidates_], group_of[candidates_]))]  # best first
    groups = group_of[order]
    first = np.concatenate(([True], groups[1:] != groups[:-1]))
    head[order[first]] = rank


def _invite(model: LinliModel) -> None:
    """Every inviter spreads its invitations over the other households of its territory;
    building heads keep the neighbour heads of their 里 going, grid heads their building
    heads."""
    h, pop, lay, s = model.params.heads, model.pop, model.layout, model.sizes
    territory = s.territory_of
    others = np.maximum(s.territory_size - 1, 1)  # per territory: the households looked after
    is_head = pop.head > 0
    inviting = _rule_inviters(model)
    p_head = _missed(territory, is_head & inviting,
                     np.minimum(1.0, h.invites_per_week / others))
    p_party = _missed(territory, pop.party & pop.contributed & inviting,
                      np.minimum(1.0, h.party_invites / others))
    p = np.where(is_head, 1.0 - p_party, 1.0 - p_head * p_party)
    pop.invited[:] = model.streams.heads.random(pop.size) < p
    for rank, level in ((HeadRank.NEIGHBOUR, "li"), (HeadRank.BUILDING, "grid")):
        ids = lay.of(level)
        above = np.bincount(ids, weights=pop.head > rank, minlength=int(ids[-1]) + 1) > 0
        pop.invited |= (pop.head == rank) & above[ids]


def _rule_inviters(model: LinliModel) -> np.ndarray | bool:
    """Households whose invitations the rule makes: all but those with an outside decision
    about inviting (ODD §6)."""
    ext = model.external
    return True if ext is None else ext.invite < 0


def _missed(group_of: np.ndarray, mask: np.ndarray, chance: np.ndarray) -> np.ndarray:
    """Per household: the chance that none of the *other* households of its group with
    ``mask`` set reaches it, each with ``chance`` (per group): ``(1 − chance)^others``,
    computed per group for the two possible counts of others (with and without oneself)."""
    count = np.bincount(group_of, weights=mask, minlength=len(chance))
    miss = 1.0 - chance
    without = miss ** count  # for households without the mask: every such household counts
    with_ = miss ** np.maximum(count - 1, 0)  # for those with it: all but oneself
    return np.where(mask, with_[group_of], without[group_of])


def _covered(model: LinliModel) -> np.ndarray:
    """Per territory: it has a neighbour head."""
    return np.bincount(model.sizes.territory_of, weights=model.pop.head > 0) > 0


def coverage(model: LinliModel) -> float:
    """Share of households whose territory has a neighbour head (NaN when heads are not part
    of the run)."""
    if not model.active("heads"):
        return float("nan")
    return float(_covered(model)[model.sizes.territory_of].mean())


def vacancy(model: LinliModel) -> float:
    """Share of neighbour-head posts (one per territory) with nobody in them (NaN when heads
    are not part of the run)."""
    if not model.active("heads"):
        return float("nan")
    return float(1.0 - _covered(model).mean())


def utility_term(model: LinliModel) -> np.ndarray | float:
    """A personal invitation this week; the duty of a post, which grows with the households
    the head looks after: ``β_head · r / (r + duty_half)``."""
    h, pop = model.params.heads, model.pop
    if not model.active("heads"):
        return 0.0
    r = looked_after(model)
    duty = h.beta_head * r / (r + h.duty_half)
    return h.beta_invite * pop.invited + (pop.head > 0) * duty
