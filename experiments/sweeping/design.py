"""Designs: the points of a spec's parameter space, and every run's seed.

Factorial crosses the levels; Latin hypercube (scipy), Sobol (Saltelli's scheme, SALib) and
Morris (SALib) sample unit coordinates in [0, 1] that each factor maps to a value (its
quantile). Everything is derived from the spec's root seed, so the same spec gives the same
design and the same seeds on any machine.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .spec import Spec

DESIGN_KEY = 2**32 - 1  # spawn key of the design's own stream (runs use (point, replicate))
UNIT_PREFIX = "u:"  # design-frame columns of unit coordinates


@dataclass(frozen=True)
class Design:
    """Design points: values by parameter name, and unit coordinates if sampled."""

    method: str
    names: tuple[str, ...]
    points: tuple[dict[str, Any], ...]
    unit: np.ndarray | None  # (points, factors) in [0, 1]; None for factorial

    def __len__(self) -> int:
        return len(self.points)

    def frame(self, spec: Spec) -> pd.DataFrame:
        """One row per point: ``point``, each value (JSON text if not a scalar) and, for
        sampled designs, each unit coordinate (``u:name``)."""
        columns: dict[str, Any] = {"point": np.arange(len(self.points), dtype=np.int64)}
        for j, factor in enumerate(spec.factors):
            values = [p[factor.name] for p in self.points]
            columns[factor.name] = encode(values, factor.column_type)
            if self.unit is not None:
                columns[UNIT_PREFIX + factor.name] = self.unit[:, j]
        return pd.DataFrame(columns)


def encode(values: list[Any], column_type: str) -> list[Any]:
    """Values as stored in a column: JSON text for lists and mixed kinds."""
    return [json.dumps(v) for v in values] if column_type == "json" else values


def build(spec: Spec) -> Design:
    """The design of ``spec`` (deterministic in the spec's root seed)."""
    d = spec.design
    if d.method == "factorial":
        grid = list(itertools.product(*(f.factorial_levels() for f in spec.factors)))
        points = tuple(dict(zip(spec.names, combo, strict=True)) for combo in grid)
        return Design(d.method, spec.names, points, None)
    assert d.samples is not None
    unit = _unit_sample(spec)
    columns = [f.from_unit(unit[:, j]) for j, f in enumerate(spec.factors)]
    points = tuple(dict(zip(spec.names, values, strict=True))
                   for values in zip(*columns, strict=True))
    return Design(d.method, spec.names, points, unit)


def _unit_sample(spec: Spec) -> np.ndarray:
    d, names = spec.design, list(spec.names)
    seed = design_seed(spec.seed)
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    if d.method == "lhs":
        from scipy.stats import qmc

        return qmc.LatinHypercube(d=len(names), rng=seed).random(d.samples)
    if d.method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem, d.samples, calc_second_order=d.second_order,
                            scramble=True, seed=seed)
    from SALib.sample import morris

    return morris.sample(problem, d.samples, num_levels=d.levels, seed=seed)


def design_seed(root: int) -> int:
    """Seed of the design's sampler, from the root seed."""
    return int(np.random.SeedSequence(root, spawn_key=(DESIGN_KEY,)).generate_state(1)[0])


def run_seed(root: int, point: int, replicate: int) -> int:
    """Seed of one run: its own stream of the root seed, keyed by (point, replicate), so it
    does not depend on worker count, backend or completion order."""
    state = np.random.SeedSequence(root, spawn_key=(point, replicate)).generate_state(
        1, np.uint64)
    return int(state[0])
