"""The validation scorecard: every field target against the model, and every mechanism
pattern with its negative controls (ODD §1.2, §9).

``score(...)`` runs the replicates (``runs``) and summarises them: for a target, the median and
the middle 90% of its statistic across all runs, passing when that interval overlaps the
observed plausible range (``Target.passes``); for a pattern's effect or control, the mean
difference with its 95% interval across runs (paired: setting and reference share each run's
seed and parameter draw), passing when the interval meets the declared expectation.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from experiments.calibration.targets import Library, Target
from experiments.running.stats import Interval, mean_ci

from . import runs as runs_lib
from .patterns import Comparison, Pattern
from .posterior import Posterior

TARGET_LEVEL = 0.90  # the middle 90% of runs
PATTERN_LEVEL = 0.95  # the 95% interval of a mean difference
QUICK = {"seeds": 4, "draws": 4, "seeds_per_draw": 1}
FULL = {"seeds": 20, "draws": 20, "seeds_per_draw": 2}


@dataclass(frozen=True)
class TargetResult:
    """A target against the model: the model's median and middle 90% across runs."""

    target: Target
    fitted: bool  # fitted by the posterior used (so it cannot validate)
    values: np.ndarray  # one per run (NaN where the run could not compute it)
    median: float
    low: float
    high: float

    @property
    def role(self) -> str:
        return "calibrate" if self.fitted or self.target.role == "calibrate" else "validate"

    @property
    def passes(self) -> bool | None:
        """Overlap of the model's interval with the observed range; None without a value."""
        return None if not np.isfinite(self.median) else self.target.passes(self.low, self.high)


@dataclass(frozen=True)
class CheckResult:
    """One effect or control of a pattern: the mean difference with its 95% interval."""

    pattern: Pattern
    part: str  # "effect" or "control"
    index: int
    comparison: Comparison
    interval: Interval | None  # None: fewer than two runs gave a value
    met: int  # runs whose own difference meets the expectation
    runs: int  # runs that gave a value

    @property
    def key(self) -> str:
        return runs_lib.check_key(self.pattern, self.part, self.index)

    @property
    def passes(self) -> bool:
        return self.interval is not None and self.comparison.expect.holds(
            self.interval.low, self.interval.high)


@dataclass(frozen=True)
class Scorecard:
    targets: list[TargetResult]
    checks: list[CheckResult]
    replicates: list[runs_lib.Replicate]
    seeds: int  # per parameter set
    posterior: Posterior | None
    quick: bool
    seconds: float
    workers: int

    @property
    def draws(self) -> int:
        return len({r.draw for r in self.replicates})

    def patterns(self) -> list[Pattern]:
        return list({c.pattern.id: c.pattern for c in self.checks}.values())

    def pattern_passes(self, pattern: Pattern) -> bool:
        return all(c.passes for c in self.checks if c.pattern.id == pattern.id)

    def validation(self) -> list[TargetResult]:
        return [t for t in self.targets if t.role == "validate"]


def summarise_target(target: Target, values: np.ndarray, fitted: bool) -> TargetResult:
    finite = values[np.isfinite(values)]
    tail = (1 - TARGET_LEVEL) / 2
    low, median, high = (np.quantile(finite, [tail, 0.5, 1 - tail]) if len(finite)
                         else (np.nan,) * 3)
    return TargetResult(target, fitted, values, float(median), float(low), float(high))


def summarise_check(pattern: Pattern, part: str, index: int, comparison: Comparison,
                    values: np.ndarray) -> CheckResult:
    finite = values[np.isfinite(values)]
    interval = mean_ci(finite, PATTERN_LEVEL) if len(finite) >= 2 else None
    met = sum(comparison.expect.holds(v, v) for v in finite)
    return CheckResult(pattern, part, index, comparison, interval, int(met), len(finite))


def score(library: Library, patterns: Sequence[Pattern], *, seeds: int,
          posterior: Posterior | None = None, draws: int = 0, quick: bool = False,
          workers: int = 1, seed: int = 1,
          progress: Callable[[int, int], None] | None = None) -> Scorecard:
    """Run every replicate and summarise: ``seeds`` seeds at the defaults, or ``draws``
    posterior draws (drawn with ``seed``) × ``seeds`` seeds."""
    start = time.perf_counter()
    thetas = posterior.draws(draws, seed) if posterior is not None else None
    if thetas is not None:
        runs_lib.check_draws(library, patterns, thetas)
    reps = runs_lib.replicates(seeds, thetas, posterior.variant if posterior else None)
    if len(reps) < 2:
        raise ValueError("the scorecard needs at least two runs (seeds × draws)")
    results = runs_lib.run_all(library, patterns, reps, workers, progress)

    def column(key: str) -> np.ndarray:
        return np.array([r.get(key, np.nan) for r in results], dtype=float)

    fitted = set(posterior.targets) if posterior is not None else set()
    targets = [summarise_target(t, column(t.id), t.id in fitted) for t in library]
    checks = [summarise_check(p, part, i, c, column(runs_lib.check_key(p, part, i)))
              for p in patterns
              for part, comparisons in (("effect", p.effects), ("control", p.controls))
              for i, c in enumerate(comparisons, 1)]
    return Scorecard(targets, checks, reps, seeds, posterior, quick,
                     time.perf_counter() - start, workers)
