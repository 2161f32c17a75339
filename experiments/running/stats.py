"""Confidence intervals across seeds (t-based) for means, paired differences, equivalence."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Interval:
    """An estimate with its confidence interval."""

    estimate: float
    low: float
    high: float
    n: int
    level: float

    def excludes(self, value: float = 0.0) -> bool:
        return not (self.low <= value <= self.high)

    def within(self, low: float, high: float) -> bool:
        return low <= self.low and self.high <= high

    def __str__(self) -> str:
        return f"{self.estimate:.4f} [{self.low:.4f}, {self.high:.4f}] (n={self.n})"


def mean_ci(values, level: float = 0.95) -> Interval:
    """Mean across seeds with a t-interval."""
    x = np.asarray(values, dtype=float)
    n = len(x)
    if n < 2:
        raise ValueError(f"a confidence interval needs at least 2 values (got {n})")
    m, se = x.mean(), x.std(ddof=1) / np.sqrt(n)
    half = stats.t.ppf(0.5 + level / 2, n - 1) * se
    return Interval(float(m), float(m - half), float(m + half), n, level)


def diff_ci(a, b, level: float = 0.95, paired: bool = False) -> Interval:
    """Mean of a − b: paired (same seeds, common random numbers) or Welch."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if paired:
        return mean_ci(a - b, level)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = np.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1)) if se > 0 else 1
    d = a.mean() - b.mean()
    half = stats.t.ppf(0.5 + level / 2, df) * se
    return Interval(float(d), float(d - half), float(d + half), len(a) + len(b), level)


def equivalent(a, b, margin: float, paired: bool = False) -> tuple[bool, Interval]:
    """Two one-sided tests: the 90% interval of a − b lies within ±margin."""
    ci = diff_ci(a, b, level=0.90, paired=paired)
    return ci.within(-margin, margin), ci
