"""Field targets (ODD §9): what the model is calibrated against and validated on.

One TOML file per target in ``experiments/calibration/targets/``. A target names a
**statistic** computed from the weekly frame of a run (which scenario, with which overrides,
which output, which weeks), the **observed** value with a plausible range (which sets the
uncertainty the fit and the scorecard allow), its **source**, and a **role**: ``calibrate``
(used to set parameter values) or ``validate`` (never used in a fit). Load them with
``load()``; compute a statistic from frames with ``Target.statistic.compute``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

TARGET_DIR = Path(__file__).parent / "targets"
ROLES = ("calibrate", "validate")


class TargetError(ValueError):
    """A target file is missing, unreadable or invalid; the message names file and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Setting(_Strict):
    """A scenario with parameter overrides: what one run of a statistic simulates."""

    scenario: str
    overrides: dict[str, Any] = Field(default_factory=dict)

    @property
    def key(self) -> str:
        """A stable name for the setting (runs are shared between targets by this key)."""
        import json

        return self.scenario + json.dumps(self.overrides, sort_keys=True, separators=(",", ":"))


class Statistic(_Strict):
    """How a target's value is computed from the weekly frames of one seed.

    ``weeks = [a, b]``: the mean of ``output`` over weeks a..b (``[52, 52]`` is week 52).
    ``half_time = W``: instead, the first week in which ``output`` reaches half its value at
    week W. ``divide_by``: divided by another output over the same weeks (same run).
    ``per_household``: divided by the number of households. ``relative_to``: the ratio to the
    same statistic in another setting on the same seed, minus one.
    """

    scenario: str
    overrides: dict[str, Any] = Field(default_factory=dict)
    output: str
    weeks: tuple[int, int] | None = None
    half_time: int | None = Field(default=None, ge=1)
    divide_by: str | None = None
    per_household: bool = False
    relative_to: Setting | None = None

    @model_validator(mode="after")
    def _one_window(self) -> Statistic:
        if (self.weeks is None) == (self.half_time is None):
            raise ValueError("give exactly one of 'weeks = [first, last]' or 'half_time = week'")
        if self.weeks is not None and not 1 <= self.weeks[0] <= self.weeks[1]:
            raise ValueError(f"weeks must be [first, last] with 1 <= first <= last "
                             f"(got {list(self.weeks)})")
        return self

    @property
    def setting(self) -> Setting:
        return Setting(scenario=self.scenario, overrides=self.overrides)

    @property
    def settings(self) -> list[Setting]:
        """The settings one evaluation needs (the reference first, if any)."""
        return [s for s in (self.relative_to, self.setting) if s is not None]

    @property
    def horizon(self) -> int:
        """Weeks a run must last."""
        return self.half_time if self.half_time is not None else self.weeks[1]

    def _value(self, frame: pd.DataFrame, households: int) -> float:
        values = frame.set_index("week")
        if self.half_time is not None:
            series = values[self.output]
            half = 0.5 * series.loc[self.half_time]
            reached = series.index[series >= half]
            return float(reached[0]) if len(reached) and half > 0 else float("nan")
        window = values.loc[self.weeks[0]: self.weeks[1]]
        value = float(window[self.output].mean())
        if self.divide_by is not None:
            value /= float(window[self.divide_by].mean())
        if self.per_household:
            value /= households
        return value

    def compute(self, frames: Mapping[str, pd.DataFrame], households: Mapping[str, int]
                ) -> float:
        """The statistic from the frames of one seed, keyed by ``Setting.key``."""
        own = self._value(frames[self.setting.key], households[self.setting.key])
        if self.relative_to is None:
            return own
        reference = self._value(frames[self.relative_to.key], households[self.relative_to.key])
        return own / reference - 1.0


class Observed(_Strict):
    """The observed value and its plausible range (read as ±2 standard deviations)."""

    value: float
    low: float
    high: float
    precision: Literal["measured", "derived", "order of magnitude"]
    note: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Observed:
        if not self.low <= self.value <= self.high or self.low == self.high:
            raise ValueError(f"need low <= value <= high and low < high (got {self.low}, "
                             f"{self.value}, {self.high})")
        return self

    @property
    def sd(self) -> float:
        """The uncertainty a fit allows: a quarter of the plausible range."""
        return (self.high - self.low) / 4.0


class Source(_Strict):
    citation: str
    note: str = ""


class Target(_Strict):
    id: str
    role: Literal["calibrate", "validate"]
    title: dict[str, str]
    quantity: str
    statistic: Statistic
    observed: Observed
    source: Source

    @model_validator(mode="after")
    def _bilingual(self) -> Target:
        missing = {"en", "zh"} - set(self.title)
        if missing:
            raise ValueError(f"title needs en and zh (missing {', '.join(sorted(missing))})")
        return self

    def text(self, lang: str) -> str:
        return self.title.get(lang, self.title["en"])

    def passes(self, low: float, high: float) -> bool:
        """The model's interval [low, high] overlaps the observed plausible range."""
        return bool(low <= self.observed.high and high >= self.observed.low)


class Library:
    """The targets, by id, in a stable order (calibration targets first)."""

    def __init__(self, targets: Iterable[Target]) -> None:
        ordered = sorted(targets, key=lambda t: (ROLES.index(t.role), t.id))
        self.by_id = {t.id: t for t in ordered}

    def __iter__(self):
        return iter(self.by_id.values())

    def __len__(self) -> int:
        return len(self.by_id)

    def __getitem__(self, target_id: str) -> Target:
        try:
            return self.by_id[target_id]
        except KeyError:
            raise TargetError(f"unknown target '{target_id}'; targets: "
                              f"{', '.join(self.by_id)}") from None

    def select(self, ids: Iterable[str] | None = None, role: str | None = None) -> Library:
        chosen = [self[i] for i in ids] if ids is not None else list(self)
        return Library(t for t in chosen if role is None or t.role == role)

    @cached_property
    def settings(self) -> dict[str, Setting]:
        """Every setting the targets need, by key."""
        return {s.key: s for t in self for s in t.statistic.settings}

    def horizon(self, key: str) -> int:
        """Weeks the runs of a setting must last for every target that uses it."""
        return max(t.statistic.horizon for t in self
                   if key in {s.key for s in t.statistic.settings})

    def compute(self, frames: Mapping[str, pd.DataFrame], households: Mapping[str, int]
                ) -> dict[str, float]:
        """Every target's statistic from one seed's frames."""
        return {t.id: t.statistic.compute(frames, households) for t in self}

    def observed(self) -> np.ndarray:
        return np.array([t.observed.value for t in self])

    def sd(self) -> np.ndarray:
        return np.array([t.observed.sd for t in self])


def load_file(path: Path) -> Target:
    """One target file, validated; errors name the file and the field."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise TargetError(f"{path}: cannot read target file: {err}") from None
    try:
        target = Target.model_validate(data)
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                             for e in err.errors())
        raise TargetError(f"{path}: {problems}") from None
    if target.id != path.stem:
        raise TargetError(f"{path}: id '{target.id}' must equal the file name '{path.stem}'")
    return target


def load(directory: Path = TARGET_DIR) -> Library:
    """Every target in ``directory``."""
    return Library(load_file(p) for p in sorted(directory.glob("*.toml")))
