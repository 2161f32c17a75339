"""Run the settings a set of targets needs, for one parameter draw and one seed, and compute
every target's statistic (the simulator of the calibration and of the scorecard)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import scenarios
from model.params import SECTIONS, Params

from .targets import Library, Setting


@lru_cache(maxsize=64)
def _scenario(name: str) -> Params:
    return scenarios.load(name).params


def nested(theta: Mapping[str, float]) -> dict[str, dict[str, Any]]:
    """``{"participation.intercept": -1.5}`` → ``{"participation": {"intercept": -1.5}}``,
    rounding values of integer parameters."""
    out: dict[str, dict[str, Any]] = {}
    for dotted, value in theta.items():
        section, name = dotted.split(".", 1)
        field = SECTIONS[section].model_fields[name]
        out.setdefault(section, {})[name] = (int(round(value)) if field.annotation is int
                                             else float(value))
    return out


def setting_params(setting: Setting, theta: Mapping[str, float] | None = None,
                   variant: Mapping[str, Any] | None = None) -> Params:
    """The scenario of ``setting`` with its overrides, the model ``variant`` (structural
    switches applied to every setting), then the draw ``theta`` on top."""
    params = _scenario(setting.scenario)
    if setting.overrides:
        params = params.replace(setting.overrides)
    if variant:
        params = params.replace(dict(variant))
    if theta:
        params = params.replace(nested(theta))
    return params


def simulate(library: Library, theta: Mapping[str, float] | None, seed: int,
             variant: Mapping[str, Any] | None = None) -> dict[str, float]:
    """Every target's statistic for one draw ``theta`` (dotted names) and one seed; each
    setting runs once, on the same seed (common random numbers across settings)."""
    from model.core import LinliModel

    frames, households = {}, {}
    for key, setting in library.settings.items():
        model = LinliModel(setting_params(setting, theta, variant), rng=seed, agents=False)
        model.run_for(library.horizon(key))
        frames[key], households[key] = model.frame, model.layout.households
    return library.compute(frames, households)
