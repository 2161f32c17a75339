"""Roles and how joiners get them: a household in a unit, a neighbour head, a courier or a
business, in the order of the facilitator's pattern."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.core import LinliModel
from model.mechanisms.heads import best_in_unit

from .settings import RoomSettings


@dataclass(frozen=True)
class Role:
    """What a player plays. ``household`` is set for households and heads (a head is a
    household of its unit, appointed head); ``courier`` / ``business`` index those agents.
    ``party_invites`` > 0: the household has a party member, who invites that many neighbours
    a week (``heads.party_invites``) — as the rule would, or as the player chooses."""

    kind: str
    unit: int = -1
    household: int = -1
    courier: int = -1
    business: int = -1
    unit_start: int = -1  # the unit's first household (a head's nominations count from it)
    unit_households: int = 0
    party_invites: int = 0  # a party member's household: neighbours it invites a week (rule's)

    def neighbour(self, position: int) -> int:
        """The household at ``position`` (0-based) of the role's unit."""
        return self.unit_start + position

    def place(self) -> str:
        """A short, language-free description (for logs)."""
        if self.kind == "courier":
            return f"courier {self.courier}"
        if self.kind == "business":
            return f"business {self.business}"
        return f"household {self.household} (unit {self.unit})"


class RoleBook:
    """Hands out roles in the settings' order, never the same agent twice.

    Units are taken in a fixed order drawn from the seed (its own generator: the model's
    streams are not touched), ``players_per_unit`` player households per unit.
    """

    def __init__(self, model: LinliModel, settings: RoomSettings) -> None:
        self._model = model
        self._settings = settings
        lay = model.layout
        order = np.random.default_rng([settings.seed, 12]).permutation(lay.units)
        self._units = [int(u) for u in order if lay.unit_size[u] >= 2]
        self._taken: set[int] = set()  # households
        self._unit_next = 0
        self._couriers = 0
        self._businesses = 0
        self.issued = 0

    def next(self) -> Role | None:
        """The next joiner's role, or None when the community has no room for another."""
        kind = self._settings.roles[self.issued % len(self._settings.roles)]
        role = self._make(kind) or self._make("household")
        if role is not None:
            self.issued += 1
        return role

    def _make(self, kind: str) -> Role | None:
        m = self._model
        if kind == "courier":
            if self._couriers >= len(m.couriers):
                return None
            self._couriers += 1
            return Role("courier", courier=self._couriers - 1)
        if kind == "business":
            if self._businesses >= len(m.businesses):
                return None
            self._businesses += 1
            return Role("business", business=self._businesses - 1)
        unit = self._unit()
        if unit is None:
            return None
        lay = m.layout
        members = range(int(lay.unit_start[unit]), int(lay.unit_start[unit] + lay.unit_size[unit]))
        if kind == "head":
            household = best_in_unit(m, unit)
            if household in self._taken:
                kind = "household"
        if kind != "head":
            household = next(h for h in members if h not in self._taken)
        self._taken.add(household)
        party = bool(m.pop.party[household])
        return Role(kind, unit=unit, household=household, unit_start=members.start,
                    unit_households=len(members),
                    party_invites=m.params.heads.party_invites if party else 0)

    def _unit(self) -> int | None:
        """The unit the next player household goes to (a fresh one when this one is full)."""
        lay = self._model.layout
        while self._unit_next < len(self._units):
            unit = self._units[self._unit_next]
            room = min(self._settings.players_per_unit, int(lay.unit_size[unit]) - 1)
            used = sum(1 for h in self._taken if lay.unit_of[h] == unit)
            if used < room:
                return unit
            self._unit_next += 1
        return None
