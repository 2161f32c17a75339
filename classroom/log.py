"""The decision log: one entry per player per round, for the debrief and for research.

Each entry holds the round and its weeks, the role, what the player could see, the decision
(and whether the player made it this round, kept the last one, or left it to the model), what
it reached, the state the model's rule reads for that household and the rule's own chance for
it, what the model household in the player's place did in the shadow world, and a summary of
the room and the shadow world after the round. Names stay in memory; exports use pseudonyms
unless asked otherwise.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

SOURCES = ("submitted", "kept", "model")  # decided this round / last choice kept / never


@dataclass(frozen=True)
class Entry:
    round: int
    first_week: int
    last_week: int
    player: str  # the player's id
    pseudonym: str
    name: str
    role: str
    place: str
    unit: int
    household: int
    courier: int
    business: int
    seen: dict[str, Any]
    decision: dict[str, Any] | None
    outcome: dict[str, Any]  # what the decision reached (whom it invited, who of them took part)
    state: dict[str, Any]  # the rule's inputs for the household when the round opened
    source: str  # one of SOURCES
    shadow_took_part: bool | None  # the model household in the player's place, last week
    rule_propensity: float  # the model's chance this household takes part (last week); NaN
    room_participation: float  # the room's weekly participation after the round
    shadow_participation: float
    room_hours: float  # hours per household in the round's last week
    shadow_hours: float


class DecisionLog:
    """Entries in the order rounds closed (each round's in the order players joined)."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []

    def add(self, entries: list[Entry]) -> None:
        self.entries.extend(entries)

    def frame(self, names: bool = False) -> pd.DataFrame:
        """One row per entry; ``seen`` and ``decision`` as JSON text and, for the decision,
        one column per field. Without ``names`` the players' names are left out."""
        rows = []
        for e in self.entries:
            row = asdict(e)
            if not names:
                row.pop("name")
            seen, decision = row.pop("seen"), row.pop("decision")
            row["seen"] = json.dumps(seen, ensure_ascii=False, sort_keys=True)
            row["outcome"] = json.dumps(row.pop("outcome"), sort_keys=True)
            row["state"] = json.dumps(row.pop("state"), sort_keys=True)
            row["decision"] = json.dumps(decision, sort_keys=True)
            for key, value in (decision or {}).items():
                row[f"decision_{key}"] = value
            rows.append(row)
        columns = [f for f in Entry.__dataclass_fields__ if names or f != "name"]
        frame = pd.DataFrame(rows, columns=None if rows else columns)
        for key in ("take_part", "hours", "member", "call_activity", "join_activity", "offer",
                    "report", "invite", "nominate"):
            if f"decision_{key}" not in frame:
                frame[f"decision_{key}"] = pd.Series(dtype=object)
        for key in ("decision_take_part", "decision_member", "decision_call_activity",
                    "decision_join_activity", "decision_offer", "decision_report",
                    "decision_invite"):
            frame[key] = frame[key].astype("boolean")
        frame["decision_hours"] = pd.to_numeric(frame["decision_hours"]).astype(float)
        frame["decision_nominate"] = pd.to_numeric(frame["decision_nominate"]).astype("Int64")
        return frame

    def write(self, directory: Path, names: bool = False) -> list[Path]:
        """decisions.csv and decisions.parquet, each written atomically."""
        from experiments.running.output import write_frame

        return write_frame(directory, "decisions", self.frame(names=names))
