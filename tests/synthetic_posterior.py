"""Small synthetic calibration posteriors (the files ``linli calibrate`` writes) and small
scenarios for comparison tests."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

TARGETS = ("weekly-participation", "quarterly-reach")
TINY = ('title = { en = "Tiny big units", zh = "小社区大网格" }\n'
        "[structure]\nhouseholds = 300\nunit_size = [100, 150]\n")
TINY_SMALL = ('extends = "tiny"\ntitle = { en = "Tiny small units", zh = "小社区小邻里" }\n'
              "[structure]\nunit_size = [10, 20]\n")


def write_posterior(directory: Path, particles: Mapping[str, Sequence[float]],
                    weights: Sequence[float] | None = None,
                    variant: Mapping[str, Any] | None = None,
                    targets: Sequence[str] = TARGETS, spec: str = "synthetic") -> Path:
    """posterior.parquet and posterior.json as ``linli calibrate`` writes them."""
    directory.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame({k: list(v) for k, v in particles.items()})
    n = len(frame)
    frame["weight"] = list(weights) if weights is not None else [1.0 / n] * n
    frame.to_parquet(directory / "posterior.parquet", index=False)
    means = {k: float(frame[k].mean()) for k in particles}
    (directory / "posterior.json").write_text(json.dumps({
        "spec": spec, "targets": list(targets), "variant": dict(variant or {}),
        "fitted": means, "fixed": {}, "simulations": 100, "generations": 2,
        "epsilon": 0.5}), encoding="utf-8")
    return directory


def spread_posterior(directory: Path, **kwargs: Any) -> Path:
    """Five particles that move participation a lot (intercept −2.5 … −0.5)."""
    return write_posterior(directory, {
        "participation.intercept": [-2.5, -2.0, -1.5, -1.0, -0.5],
        "participation.beta_habit": [1.0, 1.5, 2.0, 2.5, 3.0]}, **kwargs)


def tiny_scenarios(directory: Path) -> tuple[Path, Path]:
    """Two 300-household scenarios: big units (the reference) and small units."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "tiny.toml").write_text(TINY, encoding="utf-8")
    (directory / "tiny-small.toml").write_text(TINY_SMALL, encoding="utf-8")
    return directory / "tiny.toml", directory / "tiny-small.toml"
