"""Compare named scenarios over the same seeds (common random numbers).

``compare(["baseline", "small-units"], seeds=30)`` runs every scenario on every seed (in
parallel if asked), and the returned ``Comparison`` gives per-week means with 95% intervals,
differences from the first (reference) scenario with intervals and effect sizes, and the
number of seeds that would be needed where the intervals are too wide to tell them apart.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

import scenarios as scenario_lib
from model.core import LinliModel
from model.params import Params

KEY_OUTPUTS = ("participation_rate", "core_volunteers", "ever_participated", "tie_density",
               "trust", "group_members", "problems_fixed", "mean_weeks_to_fix",
               "space_quality", "co_plan", "co_build", "co_manage", "co_evaluate", "co_share")
LEVEL = 0.95


def _run_one(job: tuple[int, Params, int, int]) -> tuple[int, int, pd.DataFrame, pd.DataFrame]:
    position, params, seed, weeks = job
    model = LinliModel(params, rng=seed, agents=False)
    model.run_for(weeks)
    return position, seed, model.frame, model.unit_summary()


@dataclass
class Comparison:
    """Runs of several scenarios on the same seeds; the first scenario is the reference."""

    scenarios: list[scenario_lib.Scenario]
    seeds: list[int]
    weeks: int
    runs: pd.DataFrame  # scenario, seed, week, every weekly column
    units: pd.DataFrame  # scenario, seed, one row per unit at the end
    seconds: float
    workers: int = 1
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def names(self) -> list[str]:
        return [sc.name for sc in self.scenarios]

    @property
    def reference(self) -> str:
        return self.names[0]

    def report_weeks(self) -> list[int]:
        """Weeks 26, 52 and 104 that fall within the horizon, and the horizon itself."""
        weeks = [w for w in (26, 52, 104) if w < self.weeks]
        return [*weeks, self.weeks]

    def values(self, column: str, scenario: str, week: int) -> np.ndarray:
        """One value per seed, in seed order (aligned across scenarios)."""
        if column not in self._cache:  # scenario × week × seed, built once per column
            self._cache[column] = self.runs.pivot_table(
                index=["scenario", "week"], columns="seed", values=column, dropna=False)
        table = self._cache[column]
        return table.loc[(scenario, week)].reindex(self.seeds).to_numpy(dtype=float)

    def bands(self, column: str) -> pd.DataFrame:
        """Per scenario and week: mean and 95% t-interval across seeds."""
        grouped = self.runs.groupby(["scenario", "week"], sort=False)[column]
        out = grouped.agg(["mean", "std", "count"]).reset_index()
        half = stats.t.ppf(0.5 + LEVEL / 2, np.maximum(out["count"] - 1, 1)) * out["std"] \
            / np.sqrt(out["count"])
        out["low"], out["high"] = out["mean"] - half, out["mean"] + half
        return out.drop(columns=["std"])

    def difference(self, column: str, scenario: str, week: int) -> dict[str, float]:
        """Paired difference scenario − reference at ``week``: mean, interval, effect size."""
        a, b = self.values(column, scenario, week), self.values(column, self.reference, week)
        ok = np.isfinite(a) & np.isfinite(b)
        a, b = a[ok], b[ok]
        d = a - b
        n = len(d)
        mean = float(d.mean()) if n else float("nan")
        sd = float(d.std(ddof=1)) if n > 1 else float("nan")
        half = stats.t.ppf(0.5 + LEVEL / 2, max(n - 1, 1)) * sd / math.sqrt(n) if n > 1 \
            else float("nan")
        pooled = math.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2) if n > 1 else float("nan")
        distinguishable = bool(n > 1 and abs(mean) > half)
        return {
            "diff": mean,
            "diff_low": mean - half,
            "diff_high": mean + half,
            "effect_size": mean / pooled if pooled and pooled > 0 else float("nan"),
            "distinguishable": distinguishable,
            "seeds_needed": seeds_needed(sd, mean, n),
            "seeds_compared": n,
        }

    def part(self, column: str, scenario: str) -> bool:
        """Whether ``column`` is part of ``scenario`` (its mechanism runs there); a
        switched-off mechanism's outputs are reported as such, never as zeros."""
        from .mechanisms import part_of

        key = ("part", column, scenario)
        if key not in self._cache:
            sc = self.scenarios[self.names.index(scenario)]
            values = self.runs.loc[self.runs["scenario"] == scenario, column]
            self._cache[key] = part_of(column, sc.params, values)
        return self._cache[key]

    def summary(self, columns: Sequence[str] = KEY_OUTPUTS) -> pd.DataFrame:
        """Tidy table: one row per scenario, output and report week. ``part``: whether the
        output is part of the scenario; if not, its numbers (and those of its difference
        from the reference) are left empty."""
        rows = []
        for column in columns:
            if column not in self.runs:
                continue
            band = self.bands(column).set_index(["scenario", "week"])
            for scenario in self.names:
                part = self.part(column, scenario)
                for week in self.report_weeks():
                    row = {"scenario": scenario, "output": column, "week": week,
                           "part": part, "mean": math.nan, "low": math.nan,
                           "high": math.nan, "seeds": len(self.seeds)}
                    if part:
                        row.update({k: band.loc[(scenario, week), k]
                                    for k in ("mean", "low", "high")})
                    if scenario != self.reference:
                        diff = self.difference(column, scenario, week)
                        if not (part and self.part(column, self.reference)):
                            diff = {k: (math.nan if isinstance(v, float) else None)
                                    for k, v in diff.items()}
                            diff["distinguishable"] = False
                        row.update(diff)
                    rows.append(row)
        return pd.DataFrame(rows)


def seeds_needed(sd: float, diff: float, n: int, power: float = 0.8,
                 limit: int = 100_000) -> int | None:
    """Seeds for a paired difference of this size to be told apart (its 95% interval
    excluding zero) with probability ``power``: the smallest m with
    (t_{0.975, m−1} + t_{power, m−1}) · sd / √m ≤ |diff|.

    None when there is nothing to tell apart (no spread, or a difference indistinguishable
    from zero in floating point) or when it would take more than ``limit`` seeds.
    """
    if not (n > 1 and np.isfinite(sd) and np.isfinite(diff)) or sd <= 0:
        return None
    if abs(diff) <= 1e-12 * max(1.0, sd):
        return None
    def enough(m: int) -> bool:
        t = stats.t.ppf(0.5 + LEVEL / 2, m - 1) + stats.t.ppf(power, m - 1)
        return t * sd / math.sqrt(m) <= abs(diff)

    if not enough(limit):
        return None
    low, high = 2, limit  # enough() is monotone in m: bisect for the smallest
    while low < high:
        mid = (low + high) // 2
        low, high = (low, mid) if enough(mid) else (mid + 1, high)
    return low


def compare(names: Sequence[str | scenario_lib.Scenario], seeds: int | Sequence[int] = 30,
            weeks: int | None = None, workers: int = 1,
            progress: Callable[[int, int], None] | None = None) -> Comparison:
    """Run each scenario on the same seeds. Seeds: a count (0..n-1) or a list.

    Every scenario is loaded and validated before anything runs. The results do not depend
    on ``workers`` or on the order in which runs finish.
    """
    loaded = [n if isinstance(n, scenario_lib.Scenario) else scenario_lib.load(n)
              for n in names]
    seed_list = list(range(seeds)) if isinstance(seeds, int) else [int(s) for s in seeds]
    if not loaded or not seed_list:
        raise ValueError("compare needs at least one scenario and one seed")
    if len({sc.name for sc in loaded}) < len(loaded):
        raise ValueError("compare: each scenario may appear only once")
    if len(set(seed_list)) < len(seed_list):
        raise ValueError("compare: seeds must be distinct (runs are paired by seed)")
    horizons = {sc.params.weeks for sc in loaded}
    if weeks is None and len(horizons) > 1:
        raise ValueError(f"compare: the scenarios set different horizons {sorted(horizons)}; "
                         "give weeks explicitly")
    horizon = weeks or loaded[0].params.weeks
    jobs = [(i, sc.params, seed, horizon) for i, sc in enumerate(loaded) for seed in seed_list]
    start = time.perf_counter()
    results = []
    if workers > 1:
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [pool.submit(_run_one, j) for j in jobs]
            try:
                for done, future in enumerate(as_completed(futures)):
                    results.append(future.result())
                    if progress:
                        progress(done + 1, len(jobs))
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)  # one failure stops the rest
                raise
    else:
        for done, job in enumerate(jobs):
            results.append(_run_one(job))
            if progress:
                progress(done + 1, len(jobs))
    results.sort(key=lambda r: (r[0], r[1]))
    frames, units = [], []
    for position, seed, frame, unit_frame in results:
        name = loaded[position].name
        frames.append(frame.assign(scenario=name, seed=seed))
        units.append(unit_frame.assign(scenario=name, seed=seed))
    runs = pd.concat(frames, ignore_index=True)
    runs = runs[["scenario", "seed", *[c for c in runs.columns if c not in ("scenario", "seed")]]]
    return Comparison(loaded, seed_list, horizon, runs, pd.concat(units, ignore_index=True),
                      time.perf_counter() - start, workers)
