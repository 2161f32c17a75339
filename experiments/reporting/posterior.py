"""A calibration's posterior, read to draw the parameter sets of a comparison.

A posterior directory (written by ``linli calibrate``; the shipped ones are in
``experiments/calibration/posteriors/<name>/``) holds ``posterior.parquet`` (one row per
particle: a column per fitted parameter, dotted name, and ``weight``) and ``posterior.json``
(the spec, the targets fitted, the structural variant it was fitted under, the posterior
means). ``load`` reads and checks both; ``Posterior.draws`` draws parameter sets by weight,
reproducibly. Anything missing or unreadable raises ``PosteriorError`` naming the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

SHIPPED = Path(__file__).resolve().parent.parent / "calibration" / "posteriors"
DEFAULT = "core"
DRAW_SEED = 20_250  # the draw set of every comparison: the same for every run of it


class PosteriorError(ValueError):
    """The posterior directory cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Posterior:
    """Weighted particles and what they were fitted to."""

    directory: Path
    particles: pd.DataFrame  # one column per fitted parameter (dotted names)
    weights: np.ndarray  # normalised
    spec: str
    targets: tuple[str, ...]
    variant: dict[str, Any] = field(default_factory=dict)  # structural overrides of the fit

    @property
    def names(self) -> list[str]:
        return list(self.particles.columns)

    @property
    def means(self) -> dict[str, float]:
        return {n: float(np.sum(self.weights * self.particles[n].to_numpy()))
                for n in self.names}

    def draws(self, n: int, seed: int = DRAW_SEED) -> list[dict[str, float]]:
        """``n`` parameter sets drawn by weight, with replacement (the same ``n`` and
        ``seed`` give the same sets)."""
        rng = np.random.default_rng(seed)
        picks = rng.choice(len(self.particles), size=n, replace=True, p=self.weights)
        values = self.particles.to_numpy(dtype=float)
        return [dict(zip(self.names, map(float, values[i]), strict=True)) for i in picks]


def shipped(name: str = DEFAULT) -> Path:
    """Where the shipped posterior ``name`` lives (it may not exist yet)."""
    return SHIPPED / name


def default() -> Path | None:
    """The shipped ``core`` posterior, if it has been shipped."""
    path = shipped()
    return path if (path / "posterior.json").is_file() else None


def load(directory: str | Path) -> Posterior:
    """Read and check a posterior directory."""
    directory = Path(directory)
    if not directory.is_dir():
        what = "is not a directory" if directory.exists() else "does not exist"
        raise PosteriorError(f"posterior {directory} {what}; give the output directory of "
                             "linli calibrate")
    info = _json(directory / "posterior.json")
    frame = _parquet(directory / "posterior.parquet")
    where = directory / "posterior.parquet"
    if "weight" not in frame.columns:
        raise PosteriorError(f"{where} has no 'weight' column")
    weights = frame["weight"].to_numpy(dtype=float)
    if len(weights) == 0 or not np.all(np.isfinite(weights)) or (weights < 0).any() \
            or weights.sum() <= 0:
        raise PosteriorError(f"{where}: the weights must be finite, non-negative and not "
                             "all 0")
    particles = frame.drop(columns="weight")
    if particles.columns.empty:
        raise PosteriorError(f"{where} holds no parameter columns")
    for name in particles.columns:
        _check_name(str(name), where)
    values = particles.to_numpy(dtype=float)
    if not np.all(np.isfinite(values)):
        raise PosteriorError(f"{where} holds missing or infinite parameter values")
    return Posterior(directory, particles.astype(float), weights / weights.sum(),
                     info["spec"], info["targets"], info["variant"])


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PosteriorError(f"{path.parent} holds no posterior.json; is it the output "
                             "directory of linli calibrate?") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise PosteriorError(f"cannot read {path}: {err}") from None
    if not isinstance(data, dict):
        raise PosteriorError(f"{path} is not a JSON object")
    targets, variant = data.get("targets", []), data.get("variant") or {}
    if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
        raise PosteriorError(f"{path}: 'targets' must be a list of target ids")
    if not isinstance(variant, dict):
        raise PosteriorError(f"{path}: 'variant' must be a table of structural overrides")
    from model.params import ParameterError, Params

    try:
        Params.from_dict(variant)
    except ParameterError as err:
        raise PosteriorError(f"{path}: variant: {err}") from None
    return {"spec": str(data.get("spec", path.parent.name)), "targets": tuple(targets),
            "variant": variant}


def _parquet(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise PosteriorError(f"{path.parent} holds no posterior.parquet; is it the output "
                             "directory of linli calibrate?")
    try:
        return pd.read_parquet(path)
    except Exception as err:  # pyarrow raises many kinds for a damaged file
        raise PosteriorError(f"cannot read {path}: {err}") from None


def _check_name(dotted: str, where: Path) -> None:
    from model.params import SECTIONS

    section, _, name = dotted.partition(".")
    if section not in SECTIONS or name not in SECTIONS[section].model_fields:
        raise PosteriorError(f"{where}: '{dotted}' is not a model parameter (section.name)")
    if SECTIONS[section].model_fields[name].annotation not in (int, float):
        raise PosteriorError(f"{where}: '{dotted}' is not a number")
