"""A coverage check of the calibration method itself (simulation-based calibration by repeated
recovery): draw "true" parameter values from the prior, simulate synthetic observations with
them, fit with the same ABC-SMC code `linli calibrate` uses, and count how often the true
values fall inside the stated 90% credible intervals. ABC with a finite tolerance gives
intervals at least as wide as the exact posterior's, so coverage should be at or above 90%;
the intervals must also be narrower than the prior, or covering would mean nothing."""

from __future__ import annotations

import numpy as np
import pytest

from experiments.calibration import abc as abc_lib
from experiments.calibration.simulate import simulate
from experiments.calibration.store import ParticleStore
from experiments.calibration.targets import Library, Target
from experiments.sweeping.sweep import _executor

pytestmark = pytest.mark.slow

PRIORS = {"participation.intercept": (-3.0, 0.0), "participation.beta_habit": (0.0, 4.0)}
SETTING = {"scenario": "baseline",
           "overrides": {"structure": {"households": 400, "unit_size": [100, 200]}}}
REPLICATES = 12
LEVEL = 0.90


def library(observed: dict[str, float], sd: dict[str, float]) -> Library:
    """Two synthetic targets: weekly participation over weeks 20–30, reach at week 26."""
    specs = {"rate": {"output": "participation_rate", "weeks": [20, 30]},
             "reach": {"output": "reach_13w", "weeks": [26, 26]}}
    return Library(Target.model_validate({
        "id": name, "role": "calibrate", "title": {"en": name, "zh": name},
        "quantity": name, "statistic": {**SETTING, **stat},
        "observed": {"value": observed[name], "low": observed[name] - 2 * sd[name],
                     "high": observed[name] + 2 * sd[name], "precision": "measured"},
        "source": {"citation": "synthetic"}}) for name, stat in specs.items())


def noise() -> dict[str, float]:
    """The seed-to-seed spread of the two statistics at the default parameters."""
    probe = library({"rate": 0.1, "reach": 0.3}, {"rate": 1.0, "reach": 1.0})
    runs = [simulate(probe, None, seed) for seed in range(12)]
    return {k: float(np.std([r[k] for r in runs], ddof=1)) for k in ("rate", "reach")}


def credible_interval(values: np.ndarray, weights: np.ndarray) -> tuple[float, float]:
    order = np.argsort(values)
    cum = np.cumsum(weights[order]) / weights.sum()
    tail = (1 - LEVEL) / 2
    return float(values[order][np.searchsorted(cum, tail)]), float(
        values[order][min(np.searchsorted(cum, 1 - tail), len(values) - 1)])


def test_true_values_fall_in_the_credible_intervals_at_the_stated_rate(tmp_path):
    sd = noise()
    rng = np.random.default_rng(2026)
    covered, widths = [], {name: [] for name in PRIORS}
    with _executor(0, None, None) as (pool, capacity):
        for replicate in range(REPLICATES):
            truth = {name: float(rng.uniform(low, high)) for name, (low, high) in PRIORS.items()}
            observed = simulate(library({"rate": 0, "reach": 0}, {"rate": 1, "reach": 1}),
                                truth, seed=10_000 + replicate)
            history = abc_lib.fit(
                library(observed, sd), PRIORS, {}, ParticleStore(tmp_path / f"r{replicate}"),
                pool, capacity, seed=replicate, population=40, generations=3,
                min_epsilon=0.5, max_simulations=1000)
            frame, weights = abc_lib.posterior(history)
            for name, (low, high) in PRIORS.items():
                lo, hi = credible_interval(frame[name].to_numpy(float), weights)
                covered.append(lo <= truth[name] <= hi)
                widths[name].append((hi - lo) / (high - low))
    rate = float(np.mean(covered))
    # at or above the stated 90% (one-sided binomial allowance for 24 checks), not vacuous
    print(f"coverage {rate:.2f} of {len(covered)} intervals")
    assert rate >= 0.75, f"coverage {rate:.2f} of {len(covered)} intervals"
    assert np.mean(widths["participation.intercept"]) < 0.6, widths
