"""A calibration's posterior, read to draw the parameter sets of a comparison.

The directory (written by ``linli calibrate``; the shipped ones are in
``experiments/calibration/posteriors/<name>/``) is read and checked by
``experiments.validation.posterior``; this adds what a comparison needs besides: the
structural variant the posterior was fitted under (``posterior.json``'s ``variant``, applied
to every run drawn from it), fitted parameters that are numbers, and a fixed draw set.
Anything unusable raises ``PosteriorError`` naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.validation.posterior import PosteriorError
from experiments.validation.posterior import load as load_checked

SHIPPED = Path(__file__).resolve().parent.parent / "calibration" / "posteriors"
DEFAULT = "core"
DRAW_SEED = 20_250  # the draw set of every comparison: the same for every run of it

__all__ = ["DRAW_SEED", "Posterior", "PosteriorError", "default", "load", "shipped"]


@dataclass(frozen=True)
class Posterior:
    """Weighted particles of the fitted parameters, and what they were fitted to."""

    directory: Path
    particles: pd.DataFrame  # one column per fitted parameter (dotted names)
    weights: np.ndarray  # normalised
    spec: str
    targets: tuple[str, ...]
    variant: dict[str, Any] = field(default_factory=dict)  # structural overrides of the fit

    @property
    def names(self) -> list[str]:
        return list(self.particles.columns)

    def draws(self, n: int, seed: int = DRAW_SEED) -> list[dict[str, float]]:
        """``n`` sets of the fitted parameters drawn by weight, with replacement (the same
        ``n`` and ``seed`` give the same sets). Parameters the calibration held fixed are
        not drawn: every scenario keeps its own value of them."""
        from experiments.calibration.abc import resample

        return [{k: float(v) for k, v in d.items()}
                for d in resample(self.particles, self.weights, n, seed)]


def shipped(name: str = DEFAULT) -> Path:
    """Where the shipped posterior ``name`` lives (it may not exist yet)."""
    return SHIPPED / name


def default() -> Path | None:
    """The shipped ``core`` posterior, if it has been shipped."""
    path = shipped()
    return path if (path / "posterior.json").is_file() else None


def load(directory: str | Path) -> Posterior:
    """Read and check a posterior directory."""
    checked = load_checked(Path(directory))
    where = checked.directory / "posterior.parquet"
    for name in checked.fitted:
        _check_number(name, where)
    return Posterior(checked.directory, checked.particles, checked.weights, checked.spec,
                     tuple(checked.targets), checked.variant)


def _check_number(dotted: str, where: Path) -> None:
    from model.params import SECTIONS

    section, name = dotted.split(".", 1)
    if SECTIONS[section].model_fields[name].annotation not in (int, float):
        raise PosteriorError(f"{where}: '{dotted}' is not a number")
