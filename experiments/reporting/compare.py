"""Compare named scenarios over the same seeds (common random numbers) and, with a
calibration's posterior, the same parameter draws.

``compare(["baseline", "small-units"], seeds=30)`` runs every scenario on every seed (in
parallel if asked). With ``posterior=``, run i of every scenario also uses the same parameter
set drawn from the posterior: ``draws`` sets × ``seeds`` seeds each. The returned
``Comparison`` gives per-week means with intervals, differences from the first (reference)
scenario, and for each its spread due to the parameters and due to chance
(``uncertainty.decompose``), or the number of seeds that would be needed where chance alone
cannot tell two scenarios apart.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

import scenarios as scenario_lib
from experiments.calibration.variants import agrees
from model.core import LinliModel
from model.params import Params

from . import uncertainty
from .posterior import Posterior

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
    """Runs of several scenarios on the same seeds (and parameter draws); the first scenario
    is the reference."""

    scenarios: list[scenario_lib.Scenario]
    seeds: list[int]
    weeks: int
    runs: pd.DataFrame  # scenario, [draw,] seed, week, every weekly column
    units: pd.DataFrame  # scenario, [draw,] seed, one row per unit at the end
    seconds: float
    workers: int = 1
    posterior: Posterior | None = None
    draws: list[dict[str, float]] = field(default_factory=list)  # parameter sets
    draw_of: list[int] = field(default_factory=list)  # per seed: its parameter set
    structure: dict[str, Any] = field(default_factory=dict)  # structural overrides applied
    kept: dict[str, list[str]] = field(default_factory=dict)  # scenario → its own values kept
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def names(self) -> list[str]:
        return [sc.name for sc in self.scenarios]

    @property
    def reference(self) -> str:
        return self.names[0]

    @property
    def seeds_per_draw(self) -> int:
        return len(self.seeds) // max(len(self.draws), 1)

    @property
    def groups(self) -> np.ndarray:
        """Each seed's parameter set, as a group index; one group when every run has the
        same parameters (no posterior, or a posterior collapsed to one point)."""
        distinct = {tuple(sorted(d.items())) for d in self.draws}
        if self.posterior is None or len(distinct) < 2:
            return np.zeros(len(self.seeds), dtype=int)
        return np.asarray(self.draw_of, dtype=int)

    def report_weeks(self) -> list[int]:
        """Weeks 26, 52 and 104 that fall within the horizon, and the horizon itself."""
        weeks = [w for w in (26, 52, 104) if w < self.weeks]
        return [*weeks, self.weeks]

    def _table(self, column: str) -> pd.DataFrame:
        if column not in self._cache:  # scenario × week × seed, built once per column
            self._cache[column] = self.runs.pivot_table(
                index=["scenario", "week"], columns="seed", values=column, dropna=False)
        return self._cache[column]

    def values(self, column: str, scenario: str, week: int) -> np.ndarray:
        """One value per seed, in seed order (aligned across scenarios)."""
        return self._table(column).loc[(scenario, week)].reindex(self.seeds) \
            .to_numpy(dtype=float)

    def spread(self, values: np.ndarray) -> dict[str, np.ndarray]:
        """``uncertainty.decompose`` of values over this comparison's seeds (last axis)."""
        return uncertainty.decompose(values, self.groups, self.posterior is not None)

    def bands(self, column: str) -> pd.DataFrame:
        """Per scenario and week: mean, its 95% interval (low, high) and the 5–95% range
        across parameter sets (param_low, param_high; NaN without a posterior)."""
        key = ("bands", column)
        if key not in self._cache:  # the summary and the plots both need them
            table = self._table(column)
            frames = []
            for name in self.names:
                rows = table.loc[name].reindex(columns=self.seeds)
                spread = self.spread(rows.to_numpy(dtype=float))
                frames.append(pd.DataFrame({
                    "scenario": name, "week": rows.index.to_numpy(), "mean": spread["mean"],
                    "count": spread["n"], "low": spread["low"], "high": spread["high"],
                    "param_low": spread["param_low"], "param_high": spread["param_high"]}))
            self._cache[key] = pd.concat(frames, ignore_index=True)
        return self._cache[key]

    def difference_bands(self, column: str) -> pd.DataFrame:
        """Per non-reference scenario and week: the paired difference from the reference,
        its 95% interval (low, high) and its range across parameter sets (param_low,
        param_high; NaN without a posterior)."""
        table = self._table(column)
        reference = table.loc[self.reference].reindex(columns=self.seeds)
        frames = []
        for name in self.names[1:]:
            rows = table.loc[name].reindex(columns=self.seeds)
            spread = self.spread(rows.to_numpy(dtype=float) - reference.to_numpy(dtype=float))
            frames.append(pd.DataFrame({
                "scenario": name, "week": rows.index.to_numpy(), "mean": spread["mean"],
                **{k: spread[k] for k in ("low", "high", "param_low", "param_high")}}))
        return pd.concat(frames, ignore_index=True)

    def difference(self, column: str, scenario: str, week: int) -> dict[str, Any]:
        """Paired difference scenario − reference at ``week``: mean and its 95% interval,
        the 5–95% ranges due to the parameters and to chance, the share of parameter sets
        with the same sign (robust_share), effect size, seeds needed (without posterior)."""
        a, b = self.values(column, scenario, week), self.values(column, self.reference, week)
        spread = {k: float(v[0]) for k, v in self.spread((a - b)[None, :]).items()}
        ok = np.isfinite(a) & np.isfinite(b)
        n, mean = int(spread["n"]), spread["mean"] if ok.any() else float("nan")
        pooled = math.sqrt((a[ok].var(ddof=1) + b[ok].var(ddof=1)) / 2) if n > 1 \
            else float("nan")
        needed = seeds_needed(spread["sd"], mean, n) if self.posterior is None else None
        return {
            "diff": mean,
            "diff_low": spread["low"],
            "diff_high": spread["high"],
            "diff_param_low": spread["param_low"],
            "diff_param_high": spread["param_high"],
            "diff_chance_low": spread["chance_low"],
            "diff_chance_high": spread["chance_high"],
            "robust_share": spread["robust_share"],
            "effect_size": mean / pooled if pooled and pooled > 0 else float("nan"),
            "distinguishable": bool(n > 1 and abs(mean) > spread["high"] - mean),
            "seeds_needed": needed,
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
                           "part": part, **dict.fromkeys(LEVELS, math.nan),
                           "seeds": len(self.seeds), "draws": len(self.draws)}
                    if part:
                        row.update({k: band.loc[(scenario, week), k] for k in LEVELS})
                    if scenario != self.reference:
                        diff = self.difference(column, scenario, week)
                        if not (part and self.part(column, self.reference)):
                            diff = {k: (math.nan if isinstance(v, float) else None)
                                    for k, v in diff.items()}
                            diff["distinguishable"] = False
                        row.update(diff)
                    rows.append(row)
        return pd.DataFrame(rows)


LEVELS = ("mean", "low", "high", "param_low", "param_high")


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


def run_params(sc: scenario_lib.Scenario, theta: Mapping[str, float],
               structure: Mapping[str, Any]) -> tuple[Params, list[str]]:
    """A scenario's parameters for one run: the structural overrides and the draw ``theta``
    (dotted names) set every parameter the scenario does not set itself; those it sets are
    what the scenario is about, so they keep its values (returned, by dotted name)."""
    from experiments.calibration.simulate import nested

    own = sc.overrides

    def mine(section: str, name: str) -> bool:
        return isinstance(own.get(section), dict) and name in own[section]

    kept = sorted({f"{s}.{n}" for s, values in structure.items() for n in values
                   if mine(s, n)} | {d for d in theta if mine(*d.split(".", 1))})
    params = sc.params
    applied = {s: {n: v for n, v in values.items() if f"{s}.{n}" not in kept}
               for s, values in structure.items()}
    if any(applied.values()):
        params = params.replace(applied)
    drawn = {d: v for d, v in theta.items() if d not in kept}
    if drawn:
        params = params.replace(nested(drawn))
    return params, kept


def compare(names: Sequence[str | scenario_lib.Scenario], seeds: int | Sequence[int] = 30,
            weeks: int | None = None, workers: int = 1,
            progress: Callable[[int, int], None] | None = None, *,
            posterior: Posterior | None = None, draws: int = 20,
            structure: Mapping[str, Any] | None = None) -> Comparison:
    """Run each scenario on the same seeds. Seeds: a count (0..n-1) or a list.

    With ``posterior``: ``draws`` parameter sets drawn from it (the same set every time) and
    ``seeds`` (a count) seeds per set, run i of every scenario on the same set and seed.
    ``structure``: structural overrides for every scenario (a model variant); the
    posterior's own structural overrides are always applied.

    Every scenario is loaded and validated before anything runs. The results do not depend
    on ``workers`` or on the order in which runs finish.
    """
    loaded = [n if isinstance(n, scenario_lib.Scenario) else scenario_lib.load(n)
              for n in names]
    if posterior is not None and not isinstance(seeds, int):
        raise ValueError("compare: with a posterior, give the seeds per draw as a count")
    sets = posterior.draws(draws) if posterior is not None else []
    per_draw = seeds if isinstance(seeds, int) else 0
    seed_list = list(range(per_draw * len(sets) if sets else per_draw)) \
        if isinstance(seeds, int) else [int(s) for s in seeds]
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
    structural = _merge(posterior.variant if posterior else {}, structure or {})
    if posterior is not None and not agrees(posterior.variant, structural):
        raise ValueError(f"compare: the posterior in {posterior.directory} was fitted with "
                         f"{posterior.variant}; it cannot be used with {dict(structure or {})}")
    draw_of = [i // per_draw for i in range(len(seed_list))] if sets else [0] * len(seed_list)
    table, kept = {}, {}
    for i, sc in enumerate(loaded):
        for d, theta in enumerate(sets or [{}]):
            table[i, d], kept[sc.name] = run_params(sc, theta, structural)
    jobs = [(i, table[i, draw_of[k]], seed, horizon) for i in range(len(loaded))
            for k, seed in enumerate(seed_list)]
    start = time.perf_counter()
    results = _run_all(jobs, workers, progress)
    position = {seed: k for k, seed in enumerate(seed_list)}
    results.sort(key=lambda r: (r[0], position[r[1]]))
    frames, units = [], []
    for i, seed, frame, unit_frame in results:
        extra = {"scenario": loaded[i].name, **({"draw": draw_of[position[seed]]} if sets
                                                else {}), "seed": seed}
        frames.append(frame.assign(**extra))
        units.append(unit_frame.assign(**extra))
    runs = pd.concat(frames, ignore_index=True)
    runs = runs[[*extra, *[c for c in runs.columns if c not in extra]]]
    return Comparison(loaded, seed_list, horizon, runs, pd.concat(units, ignore_index=True),
                      time.perf_counter() - start, workers, posterior, sets,
                      draw_of if sets else [], structural,
                      {name: names for name, names in kept.items() if names})


def _merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = {section: dict(values) for section, values in base.items()}
    for section, values in extra.items():
        merged.setdefault(section, {}).update(values)
    return merged


def _run_all(jobs: list[tuple[int, Params, int, int]], workers: int,
             progress: Callable[[int, int], None] | None
             ) -> list[tuple[int, int, pd.DataFrame, pd.DataFrame]]:
    """Every job, on ``workers`` processes; one failure stops the rest."""
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
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    else:
        for done, job in enumerate(jobs):
            results.append(_run_one(job))
            if progress:
                progress(done + 1, len(jobs))
    return results
