"""Interest groups (ODD §7.5): founded by skilled residents, grow through contacts and ties,
meet weekly (bridging ties), become volunteer teams, lose members, dissolve when too small."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import businesses

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

    def dissolve(self, gids: np.ndarray, pop) -> None:
        self.active[gids] = False
        self.active_in_cell[self.cell[gids]] = -1
        pop.group[np.isin(pop.group, gids)] = -1


def step(model: LinliModel) -> None:
    """Founding, recruitment, quitting, dissolution and meetings, in that order."""
    g = model.params.groups
    if not model.active("groups"):
        return
    reg, pop, rng = model.groups, model.pop, model.rng
    if g.enabled:  # a club started by an intervention runs without new foundings
        _found(model)
    if len(reg) == 0:
        return
    _recruit(model)
    member = pop.group >= 0
    leaders = np.zeros(pop.size, dtype=bool)
    leaders[reg.leader[reg.active]] = True
    quit_chance = g.quit_rate + g.fee_quit * g.fee
    near_room = businesses.room_nearby(model)  # a lent room keeps members (ODD §7.9)
    if near_room is not None:
        quit_chance = quit_chance * (1 - model.params.businesses.room_quit_relief * near_room)
    quits = member & ~leaders & (rng.random(pop.size) < quit_chance)
    pop.group[quits] = -1
    reg.members = np.bincount(pop.group[pop.group >= 0], minlength=len(reg))
    age = model.week - reg.founded
    failing = np.flatnonzero(reg.active & (reg.members < g.min_size) & (age >= g.grace_weeks))
    if len(failing):
        reg.dissolve(failing, pop)
        reg.members[failing] = 0
    meeting = pop.group >= 0
    pop.bridges += meeting & (rng.random(pop.size) < g.bridge_rate)


def _found(model: LinliModel) -> None:
    g, pop, reg, rng = model.params.groups, model.pop, model.groups, model.rng
    if model.week == 1 and g.seed_leaders > 0:
        founders = _seed_leaders(model)
    else:
        founders = np.flatnonzero(pop.skilled & (pop.group < 0)
                                  & (rng.random(pop.size) < g.founding_rate))
    reg.found(founders, model.week, pop)
    reg.members = np.bincount(pop.group[pop.group >= 0], minlength=len(reg))


def _seed_leaders(model: LinliModel) -> np.ndarray:
    """``seed_leaders`` per catchment, skilled residents first (random order)."""
    pop, rng, catchment_of = model.pop, model.rng, model.groups.catchment_of
    key = rng.random(pop.size) - pop.skilled  # skilled first
    order = np.lexsort((key, catchment_of))
    catchment = catchment_of[order]
    first = np.searchsorted(catchment, catchment)  # start of each catchment in order
    rank = np.arange(pop.size) - first
    return order[rank < model.params.groups.seed_leaders]


def _recruit(model: LinliModel) -> None:
    """Non-members join their catchment's same-interest group: random contacts with members
    across the catchment, plus invitations from members among the unit neighbours they know
    (shares, not counts, so unit size acts only through the acquaintance channel; ODD §7.5)."""
    g, pop, reg, rng, s = model.params.groups, model.pop, model.groups, model.rng, model.sizes
    cand = reg.active_in_cell[reg.cell_of]
    open_ = (pop.group < 0) & (cand >= 0)
    members = reg.members[np.maximum(cand, 0)]
    member_share_in_unit = _members_in_unit(model) / s.others_safe
    known_share = pop.known / s.others_safe
    hazard = (g.contact_rate * members / np.maximum(reg.pool[reg.cell_of], 1)
              + g.tie_rate * known_share * member_share_in_unit)
    joins = open_ & (members < g.max_size) & (rng.random(pop.size) < -np.expm1(-hazard))
    joiners = np.flatnonzero(joins)
    if len(joiners) == 0:
        return
    target = cand[joiners]
    order = np.lexsort((rng.random(len(joiners)), target))  # random order within each group
    target, joiners = target[order], joiners[order]
    rank = np.arange(len(target)) - np.searchsorted(target, target)
    room = g.max_size - reg.members[target]
    keep = rank < room
    pop.group[joiners[keep]] = target[keep]
    reg.members = np.bincount(pop.group[pop.group >= 0], minlength=len(reg))


def _members_in_unit(model: LinliModel) -> np.ndarray:
    """Per household: members of its candidate group living in its unit."""
    pop, reg, lay = model.pop, model.groups, model.layout
    member = pop.group >= 0
    kinds = reg.kinds
    key = lay.unit_of[member].astype(np.int64) * kinds + pop.interest[member]
    counts = np.bincount(key, minlength=lay.units * kinds)
    return counts[lay.unit_of.astype(np.int64) * kinds + pop.interest]


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
