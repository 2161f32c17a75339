"""Results of the behavioural sensitivity sweep (``sensitivity-behaviour``), ready to report:
Morris measures per output with each parameter's source tag, the same measures over the steps
that keep ``baseline`` within the field's weekly participation, how often each effect is
negative and which weights make it so, and the seed-to-seed noise at the defaults.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.analysis import sensitivity as sa
from experiments.analysis import sensitivity_model as sm
from experiments.analysis.sensitivity_design import Range, dotted, range_for
from experiments.sweeping.design import UNIT_PREFIX
from experiments.sweeping.store import Store

BAND_TARGET = "weekly-participation"  # the field target that says which baselines are plausible
NOISE_SEED_KEY = 1  # noise runs use seeds of their own, not the sweep's common ones


@dataclass(frozen=True)
class OutputResult:
    """One output: its Morris table (by importance) and what the design says about it."""

    output: sm.Output
    analysis: sa.Analysis
    table: pd.DataFrame  # parameter, source, mu_star, mu_star_conf, mu, sigma, plausible_*
    default: float  # mean at the defaults over the noise seeds
    noise: float  # seed-to-seed standard deviation at the defaults
    plausible: sa.Spread | None  # over the points whose baseline is within the band
    drivers: pd.DataFrame  # parameter, negative_low, negative_high (effects only)
    values: np.ndarray  # the output at every design point, in point order

    @property
    def inert(self) -> list[str]:
        """Parameters whose every elementary effect is exactly 0 (negative controls)."""
        return self.table.loc[self.table["mu_star"] == 0, "parameter"].tolist()


@dataclass(frozen=True)
class Study:
    """Every output's result and the facts of the run."""

    store: Path
    model: str
    trajectories: int
    levels: int
    points: int
    weeks: int
    seeds: int  # per point
    households: int | None
    wall_seconds: float
    cpu_per_point: float  # measured here at the defaults
    band: tuple[float, float]  # plausible baseline participation (%)
    in_band: float  # share of the design points whose baseline is within it
    ranges: list[Range]
    results: list[OutputResult]
    noise_seeds: int


def band() -> tuple[float, float]:
    """The weekly participation (%) the field target allows for ``baseline``."""
    from experiments.calibration.targets import load

    observed = load()[BAND_TARGET].observed
    return 100 * observed.low, 100 * observed.high


def elementary_effects(design: pd.DataFrame, names: list[str], y: np.ndarray,
                       ) -> pd.DataFrame:
    """Each step of each Morris trajectory: the parameter moved, its signed elementary effect
    (change of ``y`` per unit of the parameter's range) and the two points."""
    u = design[[UNIT_PREFIX + n for n in names]].to_numpy(float)
    k = len(names)
    rows = []
    for start in range(0, len(u), k + 1):
        for j in range(start, start + k):
            moved = np.flatnonzero(u[j + 1] != u[j])
            if len(moved) != 1:
                raise ValueError(f"points {j} and {j + 1} are not one Morris step apart")
            i = int(moved[0])
            rows.append((names[i], (y[j + 1] - y[j]) / (u[j + 1, i] - u[j, i]), j, j + 1))
    return pd.DataFrame(rows, columns=["parameter", "effect", "a", "b"])


def _plausible(effects: pd.DataFrame, inside: np.ndarray) -> pd.DataFrame:
    """μ*, μ and the number of steps, over the steps whose both points are inside."""
    kept = effects[inside[effects["a"]] & inside[effects["b"]]]
    grouped = kept.groupby("parameter")["effect"]
    return pd.DataFrame({"plausible_mu_star": grouped.apply(lambda e: e.abs().mean()),
                         "plausible_mu": grouped.mean(),
                         "plausible_steps": grouped.size()})


def _drivers(design: pd.DataFrame, names: list[str], y: np.ndarray) -> pd.DataFrame:
    """Share of points below 0 with each parameter in the lower and the upper half of its
    range, the biggest difference first."""
    rows = []
    for name in names:
        upper = design[UNIT_PREFIX + name].to_numpy(float) > 0.5
        rows.append((name, float((y[~upper] < 0).mean()), float((y[upper] < 0).mean())))
    frame = pd.DataFrame(rows, columns=["parameter", "negative_low", "negative_high"])
    gap = (frame["negative_high"] - frame["negative_low"]).abs()
    return frame.assign(parameter=frame["parameter"].map(dotted)).iloc[
        np.argsort(-gap.to_numpy(), kind="stable")].reset_index(drop=True)


def noise(model: str, weeks: int, n: int) -> tuple[pd.DataFrame, float]:
    """Every output at the defaults on ``n`` seeds of its own (one row per seed, each seed
    alone), and the CPU seconds one design point takes (its seeds per point)."""
    seeds_per_point, households = sm.settings(model)
    seeds = [int(np.random.SeedSequence(sm.SEED_ROOT, spawn_key=(NOISE_SEED_KEY, i))
                 .generate_state(1)[0]) for i in range(n)]
    start = time.process_time()
    rows = [sm.outputs({}, weeks, [seed], households) for seed in seeds]
    cpu = (time.process_time() - start) / n * seeds_per_point
    return pd.DataFrame(rows), cpu


def _wall(store: Store) -> float:
    runs = store.runs()
    # seconds since the epoch, whatever unit the store's timestamps have (ms from Parquet)
    finished = (runs["finished"] - pd.Timestamp(0, tz="UTC")).dt.total_seconds()
    return float(finished.max() - (finished - runs["seconds"]).min())


def study(directory: str | Path, noise_seeds: int = 20) -> Study:
    """Analyse a ``sensitivity-behaviour`` sweep (or its quick version)."""
    store = Store(directory)
    info = store.info()["spec"]
    model = info["model"]
    if model not in (f"{sm.__name__}:full", f"{sm.__name__}:quick"):
        raise sa.AnalysisError(f"{directory} is a sweep of {model}, not of the behavioural "
                               f"sensitivity model ({sm.__name__}:full or :quick)")
    names = [f["name"] for f in info["factors"]]
    design = store.design().sort_values("point").reset_index(drop=True)
    outputs = [o for o in sm.OUTPUTS if o.column in sa.output_columns(store)]
    analyses = sa.analyse_all(store, [o.column for o in outputs])
    levels = {a.output: a for a in analyses}
    base, _, _ = sa.responses(store, "participation_baseline", None)
    low, high = band()
    inside = base.reindex(design["point"]).between(low, high).to_numpy()
    at_default, cpu = noise(model, int(info["weeks"]), noise_seeds)
    seeds, households = sm.settings(model)
    results = []
    for o in outputs:
        y = sa.responses(store, o.column, None)[0].reindex(design["point"]).to_numpy(float)
        table = levels[o.column].table.copy()
        plausible = _plausible(elementary_effects(design, names, y), inside)
        table = table.join(plausible, on="parameter")
        table["parameter"] = table["parameter"].map(dotted)
        table.insert(1, "source", [range_for(p).source for p in table["parameter"]])
        results.append(OutputResult(
            o, levels[o.column], table, float(at_default[o.column].mean()),
            float(at_default[o.column].std(ddof=1)) if noise_seeds > 1 else float("nan"),
            sa.Spread.of(y[inside]) if inside.any() else None,
            _drivers(design, names, y) if o.effect else pd.DataFrame(), y))
    return Study(Path(directory), model, int(info["design"]["samples"]),
                 int(info["design"]["levels"]), len(design), int(info["weeks"]), seeds,
                 households, _wall(store), cpu, (low, high), float(inside.mean()),
                 [range_for(dotted(n)) for n in names], results, noise_seeds)
