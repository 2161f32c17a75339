"""Interest groups (ODD §7.5): founded by skilled residents, grow through contacts and ties
among those who share the interest and have the time, meet weekly (bridging ties), become
volunteer teams, lose members, dissolve when too small.

Growth stops by behaviour: joining needs interest and time, and a group more crowded than
its places (its activities' room, more with a venue paid from fees, a room lent by a business
or places the shared fund pays for) slows joining and speeds quitting. ``max_size`` is only a
safety cap, and the run counts every week in which it turned someone away.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import businesses, councils

if TYPE_CHECKING:
    from ..core import LinliModel


class GroupRegistry:
    """Per-group arrays; at most one active group per (catchment, interest)."""

    def __init__(self, model: LinliModel) -> None:
        g, lay = model.params.groups, model.layout
        self.catchment_of = lay.of(g.catchment)
        self.kinds = model.params.residents.interests
        self.catchments = int(self.catchment_of[-1]) + 1
        cell = self.catchment_of.astype(np.int64) * self.kinds + model.pop.interest
        self.pool = np.bincount(cell, minlength=self.catchments * self.kinds)  # same-interest
        self.cell_of = cell
        self.active_in_cell = np.full(self.catchments * self.kinds, -1, dtype=np.int64)
        self.cell = np.zeros(0, dtype=np.int64)
        self.leader = np.zeros(0, dtype=np.int64)
        self.founded = np.zeros(0, dtype=np.int64)
        self.active = np.zeros(0, dtype=bool)
        self.members = np.zeros(0, dtype=np.int64)
        self.places = np.zeros(0)  # this week's places per group
        self.cap_weeks = 0  # weeks in which max_size turned someone away

    def __len__(self) -> int:
        return len(self.cell)

    def found(self, founders: np.ndarray, week: int, pop) -> None:
        """Open a group for each founder whose (catchment, interest) has none."""
        for h in founders:
            cell = self.cell_of[h]
            if self.active_in_cell[cell] >= 0 or pop.group[h] >= 0:
                continue
            gid = len(self.cell)
            self.cell = np.append(self.cell, cell)
            self.leader = np.append(self.leader, h)
            self.founded = np.append(self.founded, week)
            self.active = np.append(self.active, True)
            self.active_in_cell[cell] = gid
            pop.group[h] = gid
        self.recount(pop)

    def recount(self, pop) -> None:
        self.members = np.bincount(pop.group[pop.group >= 0], minlength=len(self))

    def dissolve(self, gids: np.ndarray, pop) -> None:
        self.active[gids] = False
        self.active_in_cell[self.cell[gids]] = -1
        pop.group[np.isin(pop.group, gids)] = -1


def step(model: LinliModel) -> None:
    """Founding, places, recruitment, quitting, dissolution and meetings, in that order."""
    g = model.params.groups
    if not model.active("groups"):
        return
    reg, pop, rng = model.groups, model.pop, model.streams.groups
    if g.enabled:  # a club started by an intervention runs without new foundings
        _found(model)
    if len(reg) == 0:
        return
    reg.places = places(model)
    _recruit(model)
    member = pop.group >= 0
    leaders = np.zeros(pop.size, dtype=bool)
    leaders[reg.leader[reg.active]] = True
    crowding = _crowding(reg)[np.maximum(pop.group, 0)]
    quit_chance = ((g.quit_rate * (1 - pop.interest_strength) + g.fee_quit * g.fee)
                   * (1 + crowding))
    quits = member & ~leaders & (rng.random(pop.size) < quit_chance)
    pop.group[quits] = -1
    if model.external is not None:  # households whose membership is chosen outside (ODD §6)
        model.external.apply_groups(pop, reg, g.max_size)
    reg.recount(pop)
    age = model.week - reg.founded
    failing = np.flatnonzero(reg.active & (reg.members < g.min_size) & (age >= g.grace_weeks))
    if len(failing):
        reg.dissolve(failing, pop)
        reg.members[failing] = 0
    meeting = pop.group >= 0
    pop.bridges += meeting & (rng.random(pop.size) < g.bridge_rate)


def places(model: LinliModel) -> np.ndarray:
    """Per group: the activities' own places, plus a venue paid from this week's fees, a room
    lent by a business near the leader, and places the shared fund pays for (ODD §7.5)."""
    g, reg = model.params.groups, model.groups
    total = g.places + g.fee * 7 * reg.members / g.place_cost
    near_room = businesses.room_nearby(model)
    if near_room is not None:
        total = total + model.params.businesses.room_places * near_room[reg.leader]
    funded = councils.funds_activities(model)
    if funded is not None:
        total = total + model.params.councils.fund_places * funded[reg.leader]
    return total


def _crowding(reg: GroupRegistry) -> np.ndarray:
    """Per group: members per place."""
    return reg.members / np.maximum(reg.places, 1e-9)


def _found(model: LinliModel) -> None:
    g, pop, reg, rng = model.params.groups, model.pop, model.groups, model.streams.groups
    if model.week == 1 and g.seed_leaders > 0:
        founders = _seed_leaders(model)
    else:
        founders = np.flatnonzero(pop.skilled & (pop.group < 0)
                                  & (rng.random(pop.size) < g.founding_rate))
    reg.found(founders, model.week, pop)


def _seed_leaders(model: LinliModel) -> np.ndarray:
    """``seed_leaders`` per catchment, skilled residents first (random order)."""
    pop, rng, catchment_of = model.pop, model.streams.groups, model.groups.catchment_of
    key = rng.random(pop.size) - pop.skilled  # skilled first
    order = np.lexsort((key, catchment_of))
    catchment = catchment_of[order]
    first = np.searchsorted(catchment, catchment)  # start of each catchment in order
    rank = np.arange(pop.size) - first
    return order[rank < model.params.groups.seed_leaders]


def joining_hazard(model: LinliModel) -> np.ndarray:
    """Per household: weekly hazard of joining its catchment's same-interest group.

    Contacts with members across the catchment and invitations from known members of one's
    pool (shares, not counts, ODD §7.5), scaled by one's interest, one's time for the
    meetings and the group's crowding (0 where there is no group to join)."""
    g, pop, reg, s = model.params.groups, model.pop, model.groups, model.sizes
    cand = reg.active_in_cell[reg.cell_of]
    gid = np.maximum(cand, 0)
    members = reg.members[gid]
    contact = g.contact_rate * members / np.maximum(reg.pool[reg.cell_of], 1)
    ties = g.tie_rate * (pop.known / s.others_safe) * (_members_in_pool(model) / s.others_safe)
    time = -np.expm1(-pop.time_budget / g.meeting_hours)
    hazard = (contact + ties) * pop.interest_strength * time * np.exp(-_crowding(reg)[gid])
    return np.where((pop.group < 0) & (cand >= 0), hazard, 0.0)


def _recruit(model: LinliModel) -> None:
    """Non-members join with chance ``1 − exp(−hazard)``; ``max_size`` turns away the rest."""
    g, pop, reg, rng = model.params.groups, model.pop, model.groups, model.streams.groups
    joins = rng.random(pop.size) < -np.expm1(-joining_hazard(model))
    joiners = np.flatnonzero(joins)
    if len(joiners) == 0:
        return
    target = reg.active_in_cell[reg.cell_of[joiners]]
    order = np.lexsort((rng.random(len(joiners)), target))  # random order within each group
    target, joiners = target[order], joiners[order]
    rank = np.arange(len(target)) - np.searchsorted(target, target)
    keep = rank < g.max_size - reg.members[target]
    if not keep.all():
        reg.cap_weeks += 1
    pop.group[joiners[keep]] = target[keep]
    reg.recount(pop)


def _members_in_pool(model: LinliModel) -> np.ndarray:
    """Per household: group members of its own interest in its acquaintance pool."""
    pop, reg, s = model.pop, model.groups, model.sizes
    member = np.flatnonzero(pop.group >= 0)
    running = np.zeros((reg.kinds, pop.size + 1), dtype=np.int32)
    running[pop.interest[member], member + 1] = 1
    np.cumsum(running, axis=1, out=running)
    kind = pop.interest.astype(np.int64)
    flat = running.ravel()
    width = pop.size + 1
    inside = flat[kind * width + s.pool_hi] - flat[kind * width + s.pool_lo]
    return inside - (pop.group >= 0)


def utility_term(model: LinliModel) -> np.ndarray | float:
    """Belonging to a group, and more once it acts as a volunteer team."""
    g, pop, reg = model.params.groups, model.pop, model.groups
    if not model.active("groups") or len(reg) == 0:
        return 0.0
    member = pop.group >= 0
    team_age = model.week - reg.founded[np.maximum(pop.group, 0)]
    return member * (g.beta_member + g.beta_team * (team_age >= g.volunteer_after))


def observed_rate(model: LinliModel) -> tuple[np.ndarray, np.ndarray] | None:
    """(group-mates seen, their participation rate) per household, for belief updating."""
    pop, reg = model.pop, model.groups
    if not model.active("groups") or len(reg) == 0:
        return None
    member = pop.group >= 0
    gid = np.maximum(pop.group, 0)
    contributing = np.bincount(pop.group[member], weights=pop.contributed[member],
                               minlength=len(reg))
    mates = np.where(member, reg.members[gid] - 1, 0)
    rate = (contributing[gid] - pop.contributed) / np.maximum(mates, 1)
    seen = np.minimum(mates, model.params.size_channels.sight_range)
    return seen.astype(np.float32), np.where(member, rate, 0.0)
