"""Two kinds of uncertainty, kept apart: from the parameters and from chance.

Runs come in groups: every run of a group has the same parameter set (one posterior draw)
and its own seed. For values ``x`` (a level, or a paired difference scenario − reference),
a one-way random-effects analysis of variance splits the spread into

- **chance**: the seed-to-seed variance within a group (``W``, the pooled within-group
  variance), and
- **parameters**: the variance of the group means beyond what chance explains,
  ``max(0, (MSB − W) / n0)`` (``MSB`` the between-group mean square, ``n0`` the group size,
  adjusted for unequal groups).

From these: the **parameter range** (5–95% of the per-draw values once chance is taken out:
each group mean is shrunk toward the overall mean by √(parameter variance / (parameter
variance + W / n))), the **chance range** (mean ± 1.645·√W: where 90% of single runs fall at
one parameter set), the **robust share** (share of draws whose value has the sign of the
mean) and the 95% interval of the mean itself (draws as the independent units).

Everything is vectorised over a leading axis (weeks, or conclusions): ``x`` has shape
(K, runs) and the result holds arrays of shape (K,).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

LEVEL = 0.95  # the interval of the mean
RANGE = 0.90  # the parameter and chance ranges: 5–95%
FIELDS = ("mean", "low", "high", "n", "sd", "sd_chance", "sd_param", "param_low",
          "param_high", "chance_low", "chance_high", "robust_share", "draws")


def decompose(x: np.ndarray, groups: np.ndarray, parameters: bool = True
              ) -> dict[str, np.ndarray]:
    """Split the spread of ``x`` (K × runs; NaN for a missing value) into chance and
    parameters; ``groups`` (runs,) gives each run's parameter draw, 0..G−1. With
    ``parameters`` False (no posterior: one parameter set) the parameter range and the
    robust share are NaN."""
    x = np.atleast_2d(np.asarray(x, dtype=float))
    groups = np.asarray(groups, dtype=int)
    onehot = (groups[:, None] == np.arange(groups.max() + 1)[None, :]).astype(float)
    ok = np.isfinite(x)
    xz = np.where(ok, x, 0.0)
    n_g = ok.astype(float) @ onehot  # K × G: runs with a value per group
    with np.errstate(invalid="ignore", divide="ignore"):
        m_g = (xz @ onehot) / n_g
        n = n_g.sum(axis=1)
        mean = xz.sum(axis=1) / n
        g = (n_g > 0).sum(axis=1)
        within = np.where(ok, x - np.nan_to_num(m_g)[:, groups], 0.0)
        w = (within ** 2).sum(axis=1) / (n - g)  # chance variance
        w = np.where(n - g > 0, w, np.nan)
        ss_b = np.nansum(n_g * (m_g - mean[:, None]) ** 2, axis=1)
        msb = np.where(g > 1, ss_b / (g - 1), np.nan)
        n0 = np.where(g > 1, (n - (n_g ** 2).sum(axis=1) / n) / (g - 1), np.nan)
        var_p = np.where(g > 1, np.maximum(0.0, (msb - np.nan_to_num(w)) / n0), 0.0)
        # the interval of the mean: draws as the units when there are several
        se = np.where(g > 1, np.sqrt(msb / n), np.sqrt(w / n))
        df = np.where(g > 1, g - 1, n - 1)
        half = stats.t.ppf(0.5 + LEVEL / 2, np.maximum(df, 1)) * se
        half = np.where(df >= 1, half, np.nan)
        sd = np.sqrt(np.where(n > 1, ((np.where(ok, x - mean[:, None], 0.0)) ** 2).sum(axis=1)
                              / (n - 1), np.nan))
        noise = var_p[:, None] + np.nan_to_num(w)[:, None] / n_g
        shrink = np.where(noise > 0, np.sqrt(var_p[:, None] / noise), 1.0)
        effects = mean[:, None] + shrink * (m_g - mean[:, None])  # per group, chance out
    per_draw = effects[:, np.unique(groups)]
    tail = (1 - RANGE) / 2
    z = stats.norm.ppf(1 - tail)
    out = {"mean": mean, "low": mean - half, "high": mean + half, "n": n, "sd": sd,
           "sd_chance": np.sqrt(w), "sd_param": np.sqrt(var_p), "draws": g.astype(float),
           "chance_low": mean - z * np.sqrt(w), "chance_high": mean + z * np.sqrt(w)}
    nan = np.full(len(mean), np.nan)
    if not parameters:
        return out | {"param_low": nan, "param_high": nan, "robust_share": nan}
    with np.errstate(invalid="ignore"):
        low, high = (quantile(per_draw, q) for q in (tail, 1 - tail))
        has = np.isfinite(per_draw)
        same = (np.sign(per_draw) == np.sign(mean)[:, None]) & (per_draw != 0) & has
        share = same.sum(axis=1) / has.sum(axis=1)
    share = np.where(np.isfinite(mean) & (mean != 0), share, np.nan)
    return out | {"param_low": low, "param_high": high, "robust_share": share}


def quantile(a: np.ndarray, q: float) -> np.ndarray:
    """Row-wise quantile ``q`` of ``a`` (K × n) ignoring NaN, interpolated linearly as
    ``np.nanquantile`` does (which is far slower, row by row); NaN for a row without
    values."""
    ordered = np.sort(a, axis=1)  # NaN last
    count = np.isfinite(a).sum(axis=1)
    at = q * np.maximum(count - 1, 0)
    low = np.floor(at).astype(int)
    high = np.minimum(low + 1, np.maximum(count - 1, 0))
    rows = np.arange(len(a))
    value = ordered[rows, low] + (at - low) * (ordered[rows, high] - ordered[rows, low])
    return np.where(count > 0, value, np.nan)
