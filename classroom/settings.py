"""The facilitator's settings for a room: community, seed, roles and rounds."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("household", "head", "courier", "business")
DEFAULT_ROLES = ("household", "household", "head", "household", "courier", "business")


@dataclass(frozen=True)
class RoomSettings:
    """What the facilitator chose before the room opens.

    ``roles`` is the pattern joiners are given in turn (the i-th gets ``roles[i % len]``; a
    kind the scenario lacks, such as couriers, falls back to a household); ``players_per_unit``
    players' households share a unit before the next unit is used, so players are neighbours.
    """

    scenario: str = "wuchang-2023"
    households: int | None = 600  # None: the scenario's own
    seed: int = 1
    roles: tuple[str, ...] = DEFAULT_ROLES
    players_per_unit: int = 4
    weeks_per_round: int = 1
    rounds: int = 10
    timer_seconds: float | None = 90.0  # None: a round waits for every player
    max_players: int = 60

    def __post_init__(self) -> None:
        bad = [k for k in self.roles if k not in KINDS]
        if not self.roles or bad:
            raise ValueError(f"roles must be among {', '.join(KINDS)} (got {bad or 'none'})")
        if self.weeks_per_round < 1 or self.rounds < 1 or self.players_per_unit < 1:
            raise ValueError("weeks_per_round, rounds and players_per_unit must be at least 1")
        if self.timer_seconds is not None and self.timer_seconds <= 0:
            raise ValueError("timer_seconds must be positive (or None for no timer)")
