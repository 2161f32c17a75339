"""Sensitivity analysis of a sweep: Sobol indices or Morris screening, via SALib.

The response of a design point is one output at one week, averaged over the point's
replicates. Sobol needs a ``sobol`` design (first- and total-order indices with confidence
intervals; second-order with ``second_order``); Morris needs a ``morris`` design (μ*, its
confidence interval, μ and σ of the elementary effects over each parameter's unit range).
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.running.output import atomic_write
from experiments.sweeping.design import UNIT_PREFIX
from experiments.sweeping.store import Store

MIN_SOBOL_N = 512  # below this, Sobol estimates are noisy (wide confidence intervals)
MIN_MORRIS_TRAJECTORIES = 10
RESAMPLES = 1000
CONFIDENCE = 0.95


class AnalysisError(ValueError):
    """The store cannot be analysed as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Analysis:
    """Indices of one output at one week, one row per parameter."""

    method: str  # sobol | morris
    output: str
    week: int
    samples: int  # Sobol base samples N, or Morris trajectories
    replicates: float  # mean successful replicates per point
    table: pd.DataFrame
    second_order: pd.DataFrame | None = None  # Sobol S2 by parameter pair
    warnings: list[str] = field(default_factory=list)

    @property
    def stem(self) -> str:
        return f"{self.method}-{self.output}-week{self.week}"


def responses(store: Store, output: str, week: int | None) -> tuple[pd.Series, int, float]:
    """Mean of ``output`` at ``week`` (default: the last) per design point, the week, and the
    mean number of replicates behind each mean."""
    metrics = store.metrics()
    columns = [c for c in metrics.columns if c not in ("point", "replicate", "week")]
    if output not in columns:
        close = difflib.get_close_matches(output, columns, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise AnalysisError(f"output '{output}' is not in the store.{hint} Kept: "
                            f"{', '.join(columns) or 'nothing (no successful run yet)'}")
    kept = sorted(metrics["week"].unique().tolist())
    week = int(kept[-1]) if week is None else week
    if week not in kept:
        raise AnalysisError(f"week {week} was not kept (outputs.every in the spec); kept weeks: "
                            f"{_span(kept)}")
    rows = metrics[metrics["week"] == week]
    grouped = rows.groupby("point")[output]
    return grouped.mean(), week, float(grouped.size().mean())


def analyse(store: Store | str | Path, output: str = "participation_rate",
            week: int | None = None, seed: int = 0) -> Analysis:
    """Sobol indices or Morris measures of ``output`` at ``week`` from a sweep's store."""
    store = store if isinstance(store, Store) else Store(store)
    info = store.info()["spec"]
    method = info["design"]["method"]
    if method not in ("sobol", "morris"):
        raise AnalysisError(f"sensitivity needs a sobol or morris design; this sweep is "
                            f"{method} (explore it with `linli query` or `linli discover`)")
    design = store.design()
    names = [f["name"] for f in info["factors"]]
    y_by_point, week, replicates = responses(store, output, week)
    missing = sorted(set(design["point"]) - set(y_by_point.index))
    if missing:
        raise AnalysisError(f"{len(missing)} of {len(design)} design points have no successful "
                            f"run (e.g. point {missing[0]}); {method} needs every point. See "
                            "the failures with `linli query DIR \"select * from runs where "
                            "status = 'failed'\"`, or re-run with --retry-failed")
    y = y_by_point.reindex(design["point"]).to_numpy(dtype=float)
    if not np.isfinite(y).all():
        raise AnalysisError(f"'{output}' is NaN or infinite at week {week} for "
                            f"{int((~np.isfinite(y)).sum())} design points; pick another output")
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    n = int(info["design"]["samples"])
    notes = _warnings(method, n, replicates, stochastic=info["model"] == "linli")
    if method == "sobol":
        return _sobol(problem, y, info["design"]["second_order"], output, week, n, replicates,
                      notes, seed)
    x = design[[UNIT_PREFIX + name for name in names]].to_numpy(dtype=float)
    return _morris(problem, x, y, info["design"]["levels"], output, week, n, replicates, notes,
                   seed)


def _sobol(problem: dict[str, Any], y: np.ndarray, second: bool, output: str, week: int,
           n: int, replicates: float, notes: list[str], seed: int) -> Analysis:
    from SALib.analyze import sobol

    si = sobol.analyze(problem, y, calc_second_order=second, num_resamples=RESAMPLES,
                       conf_level=CONFIDENCE, seed=seed)
    table = pd.DataFrame({"parameter": problem["names"], "S1": si["S1"],
                          "S1_conf": si["S1_conf"], "ST": si["ST"], "ST_conf": si["ST_conf"]})
    table = _by_importance(table, "ST")
    pairs = None
    if second:
        names = problem["names"]
        pairs = pd.DataFrame([{"parameter_1": names[i], "parameter_2": names[j],
                               "S2": si["S2"][i, j], "S2_conf": si["S2_conf"][i, j]}
                              for i in range(len(names)) for j in range(i + 1, len(names))])
    return Analysis("sobol", output, week, n, replicates, table, pairs, notes)


def _morris(problem: dict[str, Any], x: np.ndarray, y: np.ndarray, levels: int, output: str,
            week: int, n: int, replicates: float, notes: list[str], seed: int) -> Analysis:
    from SALib.analyze import morris

    si = morris.analyze(problem, x, y, num_resamples=RESAMPLES, conf_level=CONFIDENCE,
                        num_levels=levels, seed=seed)
    table = pd.DataFrame({"parameter": problem["names"], "mu_star": si["mu_star"],
                          "mu_star_conf": si["mu_star_conf"], "mu": si["mu"],
                          "sigma": si["sigma"]})
    return Analysis("morris", output, week, n, replicates, _by_importance(table, "mu_star"),
                    None, notes)


def _by_importance(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """Most important parameter first (ties keep the design's order)."""
    return table.sort_values(column, ascending=False, kind="stable").reset_index(drop=True)


def _warnings(method: str, n: int, replicates: float, stochastic: bool) -> list[str]:
    notes = []
    if method == "sobol":
        if n & (n - 1):
            notes.append(f"N = {n} is not a power of 2: the Sobol sequence loses its balance "
                         "properties and the indices converge more slowly")
        if n < MIN_SOBOL_N:
            notes.append(f"N = {n} is small (< {MIN_SOBOL_N}): expect wide confidence "
                         "intervals and indices outside [0, 1]")
    elif n < MIN_MORRIS_TRAJECTORIES:
        notes.append(f"{n} trajectories is few (< {MIN_MORRIS_TRAJECTORIES}): the ranking may "
                     "change with more")
    if stochastic and replicates < 2:
        notes.append("one replicate per point: model noise enters the indices as if it were a "
                     "parameter effect")
    return notes


def write(analysis: Analysis, directory: str | Path) -> list[Path]:
    """The table as CSV and a bar chart as PNG (and the Sobol S2 pairs as CSV)."""
    directory = Path(directory)
    csv = directory / f"{analysis.stem}.csv"
    atomic_write(csv, lambda p: analysis.table.to_csv(p, index=False))
    written = [csv]
    if analysis.second_order is not None:
        pairs = directory / f"{analysis.stem}-s2.csv"
        second = analysis.second_order
        atomic_write(pairs, lambda p: second.to_csv(p, index=False))
        written.append(pairs)
    png = directory / f"{analysis.stem}.png"
    atomic_write(png, lambda p: plot(analysis, p))
    return [*written, png]


def plot(analysis: Analysis, path: Path) -> None:
    """Bars: S1 and ST with confidence intervals, or μ* with its interval (and σ)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = analysis.table
    y = np.arange(len(t))
    fig, ax = plt.subplots(figsize=(7.5, 1.2 + 0.45 * len(t)))
    if analysis.method == "sobol":
        ax.barh(y - 0.2, t["S1"], 0.4, xerr=t["S1_conf"], label="first order S1", capsize=3)
        ax.barh(y + 0.2, t["ST"], 0.4, xerr=t["ST_conf"], label="total order ST", capsize=3)
        ax.set_xlabel(f"Sobol index ({int(CONFIDENCE * 100)}% interval)")
        ax.axvline(0, color="grey", lw=0.8)
    else:
        ax.barh(y - 0.2, t["mu_star"], 0.4, xerr=t["mu_star_conf"], label="μ*", capsize=3)
        ax.barh(y + 0.2, t["sigma"], 0.4, label="σ")
        ax.set_xlabel(f"elementary effect on {analysis.output} over each parameter's range")
    ax.set_yticks(y, t["parameter"])
    ax.invert_yaxis()
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    reps = f"{analysis.replicates:.3g} replicate{'' if analysis.replicates == 1 else 's'}"
    size = "N" if analysis.method == "sobol" else "trajectories"
    ax.set_title(f"{analysis.method.capitalize()}: {analysis.output}, week {analysis.week} "
                 f"({size} = {analysis.samples}, {reps} per point)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, format="png", dpi=120)
    plt.close(fig)


def _span(weeks: list[int]) -> str:
    return ", ".join(map(str, weeks)) if len(weeks) <= 8 else \
        f"{weeks[0]}, {weeks[1]}, …, {weeks[-1]} ({len(weeks)} weeks)"


# ---------------------------------------------------------------------- a known answer

ISHIGAMI_A, ISHIGAMI_B = 7.0, 0.1


def ishigami(params: dict[str, float], seed: int, weeks: int) -> dict[str, float]:
    """The Ishigami function of x1, x2, x3 (each uniform on [-π, π]), a model with known
    Sobol indices (``ishigami_indices``) for checking a sensitivity pipeline end to end.
    Use it as ``model = "experiments.analysis.sensitivity:ishigami"`` in a spec."""
    x1, x2, x3 = params["x1"], params["x2"], params["x3"]
    return {"y": math.sin(x1) + ISHIGAMI_A * math.sin(x2) ** 2
            + ISHIGAMI_B * x3 ** 4 * math.sin(x1)}


def ishigami_indices(a: float = ISHIGAMI_A, b: float = ISHIGAMI_B) -> pd.DataFrame:
    """Analytical first- and total-order Sobol indices of the Ishigami function."""
    pi = math.pi
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    total = v1 + v2 + v13
    return pd.DataFrame({"parameter": ["x1", "x2", "x3"],
                         "S1": [v1 / total, v2 / total, 0.0],
                         "ST": [(v1 + v13) / total, v2 / total, v13 / total]})
