"""The app's controls as one value, and the model parameters they stand for.

``Settings.from_preset(name)`` reads a built-in scenario's values into the controls;
``settings.params()`` builds ``scenarios.load(preset).params.replace({...})`` from them, so a
preset with its controls untouched gives exactly that scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import scenarios
from model.params import Params

DEFAULT_PRESET = "wuchang-2023"
SCOPES = ("unit", "li", "grid", "community")
HOUSEHOLD_CHOICES = (50, 150, 300, 1000, 3000, 10000)
UNIT_SIZE_CHOICES: tuple[tuple[int, int], ...] = ((5, 5), (10, 20), (20, 40), (50, 100),
                                                  (100, 500))


@dataclass(frozen=True)
class Settings:
    """What the trainer chose: a preset and the controls laid over it."""

    preset: str = DEFAULT_PRESET
    households: int = 3000
    unit_size: tuple[int, int] = (10, 20)
    recognition: bool = True
    recognition_scope: str = "grid"
    recognition_interval: int = 4
    groups: bool = True
    heads: bool = True
    couriers: int = 60
    stations: int = 1
    businesses: int = 10
    seed: int = 1

    @classmethod
    def from_preset(cls, preset: str, seed: int = 1) -> Settings:
        """The controls as the scenario ``preset`` sets them."""
        p = scenarios.load(preset).params
        return cls(preset=preset, seed=seed, **_controls(p))

    def with_preset(self, preset: str) -> Settings:
        """Switch preset: every control takes that scenario's value; the seed stays."""
        return Settings.from_preset(preset, seed=self.seed)

    def changed(self, **values: Any) -> Settings:
        return replace(self, **values)

    def overrides(self) -> dict[str, Any]:
        """The nested overrides the controls put over the preset's parameters."""
        base = scenarios.load(self.preset).params
        out: dict[str, Any] = {
            "structure": {"households": self.households},
            "recognition": {"enabled": self.recognition, "scope": self.recognition_scope,
                            "interval": self.recognition_interval},
            "groups": {"enabled": self.groups},
            "heads": {"enabled": self.heads},
            "couriers": {"count": self.couriers, "stations": self.stations},
            "businesses": {"count": self.businesses},
        }
        if tuple(self.unit_size) != _unit_size(base):  # an explicit size replaces a ladder
            out["structure"].update(unit_size=list(self.unit_size), ladder=None)
        return out

    def params(self) -> Params:
        """Validated parameters (raises ParameterError with a readable message)."""
        return scenarios.load(self.preset).params.replace(self.overrides())


def _unit_size(p: Params) -> tuple[int, int]:
    s = p.structure
    lo, hi = (s.ladder[0], s.ladder[0]) if s.ladder is not None else s.unit_size
    return lo, hi


def _controls(p: Params) -> dict[str, Any]:
    return {
        "households": p.structure.households,
        "unit_size": _unit_size(p),
        "recognition": p.recognition.enabled,
        "recognition_scope": p.recognition.scope,
        "recognition_interval": p.recognition.interval,
        "groups": p.groups.enabled,
        "heads": p.heads.enabled,
        "couriers": p.couriers.count,
        "stations": p.couriers.stations,
        "businesses": p.businesses.count,
    }


def household_choices(current: int) -> list[int]:
    """The households a trainer can pick, with the current value among them."""
    return sorted({*HOUSEHOLD_CHOICES, current})


def unit_size_choices(current: tuple[int, int]) -> list[tuple[int, int]]:
    lo, hi = current
    return sorted({*UNIT_SIZE_CHOICES, (lo, hi)})


def unit_size_text(size: tuple[int, int]) -> str:
    lo, hi = size
    return str(lo) if lo == hi else f"{lo}–{hi}"


def parse_unit_size(text: str) -> tuple[int, int]:
    lo, _, hi = text.partition("–")
    return int(lo), int(hi or lo)
