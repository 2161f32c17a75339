"""Scenario discovery: which combinations of the varied parameters keep an output above (or
below) a threshold, by PRIM (EMA Workbench's ``ema_workbench.analysis.prim``).

Every successful run is one case: its varied parameters, and whether its output at the week
asked for passes the threshold. PRIM peels the parameter space down to a box that holds mostly
such cases; the box is reported with its coverage (share of all passing cases inside it),
density (share of the cases inside it that pass) and mass (share of all cases inside it).
"""

from __future__ import annotations

import json
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.running.output import atomic_write
from experiments.sweeping.store import Store

from .sensitivity import AnalysisError


@dataclass(frozen=True)
class Discovery:
    """The box PRIM found and the peeling trajectory it was chosen from."""

    output: str
    week: int
    threshold: float
    below: bool
    cases: int
    of_interest: int
    box: pd.DataFrame  # parameter, restricted, low, high, values, sampled_low, sampled_high
    coverage: float
    density: float
    mass: float
    chosen: int  # index on the trajectory
    trajectory: pd.DataFrame  # coverage, density, mass, res_dim per peeling step

    @property
    def stem(self) -> str:
        side = "below" if self.below else "above"
        return f"prim-{self.output}-week{self.week}-{side}-{self.threshold:g}"

    @property
    def condition(self) -> str:
        return f"{self.output} {'<' if self.below else '>'} {self.threshold:g} at week {self.week}"


def cases(store: Store, output: str, week: int | None) -> tuple[pd.DataFrame, pd.Series, int]:
    """(varied parameters per successful run, its output at ``week``, the week)."""
    from .sensitivity import responses

    _, week, _ = responses(store, output, week)  # checks output and week
    metrics = store.metrics()
    at = metrics[metrics["week"] == week][["point", "replicate", output]]
    names = [f["name"] for f in store.info()["spec"]["factors"]]
    runs = store.runs()
    runs = runs[runs["status"] == "ok"].reindex(columns=["point", "replicate", *names])
    if runs.empty:
        raise AnalysisError("no run in this store has finished ok (see `linli query DIR "
                            "\"select status, count(*) from runs group by status\"`)")
    merged = runs.merge(at, on=["point", "replicate"])
    return merged[names].reset_index(drop=True), merged[output].reset_index(drop=True), week


def discover(store: Store | str | Path, output: str = "participation_rate",
             week: int | None = None, threshold: float = 0.3, below: bool = False,
             min_coverage: float | None = None) -> Discovery:
    """Find the box where ``output`` at ``week`` passes ``threshold`` (is above it, or below
    with ``below``). The box is PRIM's last (densest) one, or with ``min_coverage`` the
    densest box on the trajectory that still covers that share of the passing cases."""
    store = store if isinstance(store, Store) else Store(store)
    x, values, week = cases(store, output, week)
    y = (values < threshold if below else values > threshold).to_numpy()
    side = "below" if below else "above"
    if not y.any() or y.all():
        raise AnalysisError(f"{'no' if not y.any() else 'every'} run of {len(y)} has {output} "
                            f"{side} {threshold:g} at week {week} (range "
                            f"{values.min():.3g}–{values.max():.3g}); PRIM needs both kinds: "
                            "choose a threshold inside the range")
    x = _prepare(x)
    if x.empty:
        raise AnalysisError("no varied parameter takes more than one value; nothing to discover")
    box = _prim(x, y)
    trajectory = box.peeling_trajectory[["coverage", "density", "mass", "res_dim"]]
    chosen = len(trajectory) - 1
    if min_coverage is not None:
        ok = trajectory[trajectory["coverage"] >= min_coverage]
        if ok.empty:
            raise AnalysisError(f"no box covers {min_coverage:.0%} of the cases")
        chosen = int(ok["density"].idxmax())
    stats = trajectory.iloc[chosen]
    return Discovery(output, week, threshold, below, len(y), int(y.sum()),
                     _limits(x, box.box_lims[chosen]), float(stats["coverage"]),
                     float(stats["density"]), float(stats["mass"]), chosen,
                     trajectory.reset_index(drop=True))


def _prepare(x: pd.DataFrame) -> pd.DataFrame:
    """Numbers as floats (EMA's pasting step fails on integer columns with pandas 3), other
    values (flags, names, lists) as text categories; constant columns dropped."""
    out = {}
    for name, col in x.items():
        if col.nunique(dropna=False) < 2:
            continue
        if pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col):
            out[name] = col.map(lambda v: v if isinstance(v, str) else json.dumps(v))
        else:
            out[name] = col.astype("float64")
    return pd.DataFrame(out)


def _prim(x: pd.DataFrame, y: np.ndarray):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "ipyparallel not installed" and pandas notices
        from ema_workbench.analysis import prim

        logging.getLogger("EMA").setLevel(logging.WARNING)
        return prim.Prim(x, y).find_box()


def _limits(x: pd.DataFrame, lims: pd.DataFrame) -> pd.DataFrame:
    """One row per parameter: the box's limits and whether PRIM restricted it."""
    rows = []
    for name in x.columns:
        col = x[name]
        if pd.api.types.is_numeric_dtype(col):
            low, high = float(lims[name].iloc[0]), float(lims[name].iloc[1])
            restricted = low > col.min() or high < col.max()
            rows.append({"parameter": name, "restricted": restricted, "low": low, "high": high,
                         "values": "", "sampled_low": float(col.min()),
                         "sampled_high": float(col.max())})
        else:
            kept = sorted(lims[name].iloc[0])
            rows.append({"parameter": name, "restricted": len(kept) < col.nunique(),
                         "low": np.nan, "high": np.nan, "values": ", ".join(kept),
                         "sampled_low": np.nan, "sampled_high": np.nan})
    table = pd.DataFrame(rows)
    return table.sort_values("restricted", ascending=False, kind="stable").reset_index(drop=True)


def write(found: Discovery, directory: str | Path) -> list[Path]:
    """The box as CSV and a plot of it (with the coverage–density trade-off) as PNG."""
    directory = Path(directory)
    csv = directory / f"{found.stem}.csv"
    atomic_write(csv, lambda p: found.box.to_csv(p, index=False))
    png = directory / f"{found.stem}.png"
    atomic_write(png, lambda p: plot(found, p))
    return [csv, png]


def plot(found: Discovery, path: Path) -> None:
    """Left: the peeling trajectory (coverage vs density); right: the box's limits within
    each restricted parameter's sampled range."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    box = found.box[found.box["restricted"]]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 1.8 + 0.5 * max(len(box), 3)),
                                      gridspec_kw={"width_ratios": [1, 1.4]})
    t = found.trajectory
    points = left.scatter(t["coverage"], t["density"], c=t["res_dim"], cmap="viridis", s=14)
    left.scatter([found.coverage], [found.density], s=120, facecolors="none",
                 edgecolors="red", label=f"chosen box ({found.chosen})")
    left.set_xlabel("coverage")
    left.set_ylabel("density")
    left.set_title("peeling trajectory", fontsize=10)
    left.legend(fontsize="small", loc="lower left")
    fig.colorbar(points, ax=left, label="restricted parameters",
                 ticks=range(int(t["res_dim"].max()) + 1))
    for i, row in enumerate(box.itertuples()):
        if row.values:
            right.text(0.5, i, row.values, ha="center", va="center", fontsize=8)
            right.barh(i, 1, 0.5, color="lightgrey")
            continue
        span = (row.sampled_high - row.sampled_low) or 1.0
        lo, hi = (row.low - row.sampled_low) / span, (row.high - row.sampled_low) / span
        right.barh(i, 1, 0.5, color="lightgrey")
        right.barh(i, hi - lo, 0.5, left=lo, color="tab:blue")
        right.text(lo, i + 0.38, f"{row.low:.3g}", ha="center", fontsize=8)
        right.text(hi, i + 0.38, f"{row.high:.3g}", ha="center", fontsize=8)
    right.set_yticks(range(len(box)), box["parameter"])
    right.set_ylim(len(box) - 0.4, -0.7)
    right.set_xlim(-0.05, 1.05)
    right.set_xlabel("share of the sampled range")
    right.set_title(f"box: coverage {found.coverage:.0%}, density {found.density:.0%}, "
                    f"mass {found.mass:.0%}", fontsize=10)
    fig.suptitle(f"{found.condition}: {found.of_interest} of {found.cases} runs", fontsize=11)
    fig.tight_layout()
    fig.savefig(path, format="png", dpi=120)
    plt.close(fig)
