"""A calibration's posterior (the output directory of ``linli calibrate``), read for drawing
parameter sets: ``posterior.parquet`` (one row per particle: a column per fitted parameter,
dotted name, and ``weight``) and ``posterior.json`` (the spec, the targets fitted, the
parameters fixed, the structural variant the fit ran under). Anything missing or unreadable
raises ``PosteriorError`` naming the file.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from model.params import SECTIONS


class PosteriorError(ValueError):
    """The posterior directory cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Posterior:
    """The weighted particles, the parameters held fixed, and what was fitted."""

    directory: Path
    particles: pd.DataFrame  # one column per fitted parameter
    weights: np.ndarray  # normalised
    fixed: dict[str, float]
    targets: list[str]
    spec: str
    variant: dict[str, Any] = field(default_factory=dict)  # structural overrides of the fit

    @property
    def fitted(self) -> list[str]:
        return list(self.particles.columns)

    def draws(self, n: int, seed: int) -> list[dict[str, float]]:
        """``n`` parameter sets drawn from the weighted particles (with replacement), the
        fixed parameters added."""
        from experiments.calibration.abc import resample

        return [{**self.fixed, **draw}
                for draw in resample(self.particles, self.weights, n, seed)]


def load(directory: Path) -> Posterior:
    """Read and check a posterior directory."""
    if not directory.is_dir():
        what = "is not a directory" if directory.exists() else "does not exist"
        raise PosteriorError(f"--posterior {directory} {what}; give the output directory of "
                             "linli calibrate")
    info = _json(directory / "posterior.json")
    frame = _parquet(directory / "posterior.parquet")
    where = directory / "posterior.parquet"
    if "weight" not in frame.columns:
        raise PosteriorError(f"{where} has no 'weight' column")
    weights = frame["weight"].to_numpy(dtype=float)
    if len(weights) == 0 or not np.all(np.isfinite(weights)) or (weights < 0).any() \
            or weights.sum() <= 0:
        raise PosteriorError(f"{where}: the weights must be finite, non-negative and not all 0")
    particles = frame.drop(columns="weight")
    for name in [*particles.columns, *info["fixed"]]:
        _check_name(name, where)
    values = particles.to_numpy(dtype=float)
    if not np.all(np.isfinite(values)):
        raise PosteriorError(f"{where} holds missing or infinite parameter values")
    return Posterior(directory, particles.astype(float), weights / weights.sum(),
                     info["fixed"], info["targets"], info["spec"], info["variant"])


def _json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PosteriorError(f"{path.parent} holds no posterior.json; is it the output "
                             "directory of linli calibrate?") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise PosteriorError(f"cannot read {path}: {err}") from None
    if not isinstance(data, dict):
        raise PosteriorError(f"{path} is not a JSON object")
    fixed, targets = data.get("fixed", {}), data.get("targets", [])
    if not isinstance(fixed, Mapping) or not all(_number(v) for v in fixed.values()):
        raise PosteriorError(f"{path}: 'fixed' must map parameter names to numbers")
    if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
        raise PosteriorError(f"{path}: 'targets' must be a list of target ids")
    return {"fixed": {str(k): float(v) for k, v in fixed.items()}, "targets": targets,
            "spec": str(data.get("spec", "?")), "variant": _variant(data, path)}


def _variant(data: dict, path: Path) -> dict[str, Any]:
    """The structural overrides the calibration ran under (``{}`` if none), checked."""
    from model.params import ParameterError, Params

    variant = data.get("variant") or {}
    if not isinstance(variant, dict):
        raise PosteriorError(f"{path}: 'variant' must be a table of structural overrides")
    try:
        Params.from_dict(variant)
    except ParameterError as err:
        raise PosteriorError(f"{path}: variant: {err}") from None
    return variant


def _parquet(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise PosteriorError(f"{path.parent} holds no posterior.parquet; is it the output "
                             "directory of linli calibrate?")
    try:
        return pd.read_parquet(path)
    except Exception as err:  # pyarrow raises many kinds for a damaged file
        raise PosteriorError(f"cannot read {path}: {err}") from None


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) \
        and math.isfinite(value)


def _check_name(dotted: str, where: Path) -> None:
    section, _, name = dotted.partition(".")
    if section not in SECTIONS or name not in SECTIONS[section].model_fields:
        raise PosteriorError(f"{where}: '{dotted}' is not a model parameter "
                             "(section.name)")
