"""A sweep's outputs by design point, without SQL: one row per point with its parameter
values, how its runs went, and one output at one week (mean over the replicates that
succeeded, with a 95% interval when there are several); and a plot of that output against
each varied parameter."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.running.output import atomic_write
from experiments.sweeping.design import UNIT_PREFIX
from experiments.sweeping.store import Store

from .sensitivity import responses

LEVEL = 0.95


@dataclass(frozen=True)
class PointResults:
    """One output at one week, by design point."""

    output: str
    week: int
    parameters: list[str]
    table: pd.DataFrame  # point, parameters…, runs, ok, failed, lost, mean, low, high

    @property
    def stem(self) -> str:
        return f"results-{self.output}-week{self.week}"


def by_point(store: Store | str | Path, output: str = "participation_rate",
             week: int | None = None) -> PointResults:
    """Every design point with its runs' status and the mean of ``output`` at ``week``."""
    from scipy import stats

    store = store if isinstance(store, Store) else Store(store)
    _, week, _ = responses(store, output, week)  # checks output and week
    design = store.design()
    names = [c for c in design.columns if c != "point" and not c.startswith(UNIT_PREFIX)]
    runs = store.runs()
    status = runs.pivot_table(index="point", columns="status", values="replicate",
                              aggfunc="count", fill_value=0)
    metrics = store.metrics()
    at = metrics[metrics["week"] == week].groupby("point")[output]
    summary = at.agg(["mean", "std", "count"])
    half = stats.t.ppf(0.5 + LEVEL / 2, np.maximum(summary["count"] - 1, 1)) \
        * summary["std"] / np.sqrt(summary["count"])
    half = half.where(summary["count"] > 1)
    table = design[["point", *names]].set_index("point")
    table["runs"] = runs.groupby("point").size().reindex(table.index, fill_value=0)
    for state in ("ok", "failed", "lost"):
        column = status[state] if state in status else pd.Series(dtype=int)
        table[state] = column.reindex(table.index, fill_value=0).astype(int)
    table["mean"] = summary["mean"].reindex(table.index)
    table["low"] = (summary["mean"] - half).reindex(table.index)
    table["high"] = (summary["mean"] + half).reindex(table.index)
    return PointResults(output, week, names, table.reset_index())


def write(results: PointResults, directory: str | Path) -> list[Path]:
    """The table as CSV and the plot as PNG."""
    directory = Path(directory)
    csv, png = directory / f"{results.stem}.csv", directory / f"{results.stem}.png"
    atomic_write(csv, lambda p: results.table.to_csv(p, index=False))
    atomic_write(png, lambda p: plot(results, p))
    return [csv, png]


def plot(results: PointResults, path: Path) -> None:
    """One panel per varied parameter: the output's mean at each point against the
    parameter's value, with its 95% interval."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = results.parameters
    ncols = min(len(names), 3)
    nrows = -(-len(names) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.4 * nrows), squeeze=False,
                             sharey=True)
    t = results.table.dropna(subset=["mean"])
    for ax, name in zip(axes.ravel(), names, strict=False):
        x = t[name]
        numeric = pd.api.types.is_numeric_dtype(x) and not pd.api.types.is_bool_dtype(x)
        if not numeric:
            labels = sorted(x.astype(str).unique())
            x = x.astype(str).map({v: i for i, v in enumerate(labels)})
            ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
        error = np.vstack([t["mean"] - t["low"], t["high"] - t["mean"]])
        ax.errorbar(x, t["mean"], yerr=np.nan_to_num(error), fmt="o", markersize=4,
                    capsize=2, alpha=0.7, linewidth=1)
        ax.set_xlabel(name)
        ax.grid(alpha=0.3)
    for ax in axes[:, 0]:
        ax.set_ylabel(f"{results.output}, week {results.week}\n(mean of replicates)")
    for ax in axes.ravel()[len(names):]:
        ax.set_visible(False)
    fig.suptitle(f"{results.output} at week {results.week} by design point (bars: "
                 f"{int(LEVEL * 100)}% interval over replicates)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, format="png", dpi=110)
    plt.close(fig)
