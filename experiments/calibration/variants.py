"""Structural alternatives of the model, each with the posterior it runs with.

A variant names structural overrides (mechanisms formulated another way, selected by a
parameter in ``model/params.py``) and the shipped posterior (``posteriors/<name>/``) its
behavioural weights are drawn from. ``linli compare … --variants`` runs a comparison under
every variant here and flags the conclusions that flip between them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

POSTERIORS = Path(__file__).resolve().parent / "posteriors"
MAIN = "main"


@dataclass(frozen=True)
class Variant:
    """Structural overrides, the posterior to draw from, and a bilingual title and note."""

    name: str
    overrides: dict[str, dict[str, Any]]
    posterior: str  # a directory name under POSTERIORS
    title: dict[str, str]
    note: dict[str, str] = field(default_factory=dict)  # why this posterior

    @property
    def posterior_dir(self) -> Path:
        return POSTERIORS / self.posterior

    def text(self, which: str, lang: str) -> str:
        texts = getattr(self, which)
        return texts.get(lang) or texts.get("en", "")


VARIANTS: dict[str, Variant] = {v.name: v for v in (
    Variant(MAIN, {}, "core",
            {"en": "Main model (habit, board seen by chance)",
             "zh": "主模型（习惯累积，红榜随机看到）"},
            {"en": "Calibrated by the core spec.", "zh": "由core规格校准。"}),
    Variant("last-week", {"participation": {"persistence": "last-week"}}, "core-last-week",
            {"en": "Participation persists from last week only (no habit)",
             "zh": "参与只延续上一周（无习惯累积）"},
            {"en": "Calibrated the same way (spec core-last-week).",
             "zh": "以同样方法校准（core-last-week规格）。"}),
    Variant("reinforcement", {"recognition": {"motive": "reinforcement"}}, "core",
            {"en": "The recognition board motivates by reinforcement",
             "zh": "红榜通过强化激励参与"},
            {"en": "Runs with the core posterior: no calibration target informs how the "
                   "board motivates.",
             "zh": "沿用core后验：没有校准目标能说明红榜如何激励。"}),
)}


def get(name: str) -> Variant:
    """The variant ``name``; a KeyError naming the known ones otherwise."""
    try:
        return VARIANTS[name]
    except KeyError:
        raise KeyError(f"unknown variant '{name}'; variants: {', '.join(VARIANTS)}") from None


def agrees(fitted_under: dict[str, Any], overrides: dict[str, Any]) -> bool:
    """Whether a posterior fitted under the structural overrides ``fitted_under`` may be used
    with ``overrides``: every structural choice of the fit is made the same way."""
    return all(overrides.get(section, {}).get(name) == value
               for section, values in fitted_under.items() for name, value in values.items())
