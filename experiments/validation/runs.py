"""The scorecard's runs: every replicate (a parameter set and a seed) runs each setting the
targets and patterns need once, and returns every target's statistic and every comparison's
value for that replicate.

Settings are shared between targets and patterns when their parameters are the same
(``baseline`` serves both), and every setting of a replicate runs on the same seed, so
comparisons are paired (common random numbers). Target settings take a parameter draw on top
of their overrides, exactly as the calibration computed them
(``experiments.calibration.simulate``); pattern settings take their overrides on top of the
draw, so a control that switches a mechanism off stays off whatever the draw says.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from experiments.calibration.simulate import setting_params
from experiments.calibration.targets import Library, Setting
from model.params import Params

from .patterns import Measure, Pattern


@dataclass(frozen=True)
class Replicate:
    """One run of everything: a parameter draw (``draw`` None: the model's defaults) and a
    seed."""

    draw: int | None
    seed: int
    theta: Mapping[str, float] = field(default_factory=dict)
    variant: Mapping[str, Any] = field(default_factory=dict)  # the posterior's structure


def replicates(seeds: int, draws: Sequence[Mapping[str, float]] | None,
               variant: Mapping[str, Any] | None = None) -> list[Replicate]:
    """Every draw crossed with seeds 0..seeds-1 (the same seeds for every draw), under the
    structural ``variant`` the draws were fitted with."""
    if draws is None:
        return [Replicate(None, seed) for seed in range(seeds)]
    return [Replicate(d, seed, dict(theta), dict(variant or {}))
            for d, theta in enumerate(draws) for seed in range(seeds)]


def check_key(pattern: Pattern, part: str, index: int) -> str:
    """The stable id of one comparison of a pattern: ``V3/effect/1``, ``V3/control/2``."""
    return f"{pattern.id}/{part}/{index}"


def measure_params(measure: Measure, theta: Mapping[str, float],
                   variant: Mapping[str, Any] | None = None) -> Params:
    """A pattern setting's parameters: the scenario, the variant and the draw, then the
    overrides."""
    params = setting_params(Setting(scenario=measure.scenario), theta, variant)
    return params.replace(dict(measure.overrides)) if measure.overrides else params


class _Runs:
    """The distinct runs of one replicate (one seed), keyed by their parameters, each as long
    as the longest statistic that reads it."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.params: dict[str, Params] = {}
        self.weeks: dict[str, int] = {}
        self.frames: dict[str, pd.DataFrame] = {}
        self.households: dict[str, int] = {}
        self.matched: dict[tuple[str, str], Params] = {}

    def need(self, params: Params, weeks: int) -> str:
        key = params.model_dump_json()
        self.params[key] = params
        self.weeks[key] = max(weeks, self.weeks.get(key, 0))
        return key

    def run(self) -> None:
        """Run every run needed and not yet run."""
        from model.core import LinliModel

        for key, params in self.params.items():
            if key not in self.frames or len(self.frames[key]) < self.weeks[key]:
                model = LinliModel(params, rng=self.seed, agents=False)
                model.run_for(self.weeks[key])
                self.frames[key], self.households[key] = model.frame, model.layout.households

    def value(self, measure: Measure, key: str) -> float:
        return measure.value(self.frames[key])


def rematch(runs: _Runs, measure: Measure, theta: Mapping[str, float],
            variant: Mapping[str, Any] | None = None) -> Params:
    """The measure's parameters with ``measure.match.parameter`` re-set (regula falsi, at
    most 12 runs) so that its level equals the reference level of this run's seed."""
    match = measure.match
    assert match is not None
    base = measure_params(measure, theta, variant)
    cached = runs.matched.get((base.model_dump_json(), repr(match)))
    if cached is not None:
        return cached
    reference = runs.need(measure_params(match.level, theta, variant), match.level.weeks[1])
    runs.run()
    target = runs.value(match.level, reference)
    section, name = match.parameter.split(".", 1)

    def level(x: float) -> float:
        from model.core import LinliModel

        model = LinliModel(base.replace({section: {name: x}}), rng=runs.seed, agents=False)
        model.run_for(match.level.weeks[1])
        return match.level.value(model.frame) - target

    lo, hi = match.low, match.high
    f_lo, f_hi = level(lo), level(hi)
    x, fx = match.start, level(match.start)
    for _ in range(10):
        if abs(fx) <= match.tolerance or f_lo * f_hi > 0:
            break
        lo, f_lo, hi, f_hi = (lo, f_lo, x, fx) if f_lo * fx < 0 else (x, fx, hi, f_hi)
        x = (lo * f_hi - hi * f_lo) / (f_hi - f_lo)
        fx = level(x)
    runs.matched[(base.model_dump_json(), repr(match))] = base.replace({section: {name: x}})
    return runs.matched[(base.model_dump_json(), repr(match))]


def evaluate(library: Library, patterns: Sequence[Pattern], replicate: Replicate
             ) -> dict[str, float]:
    """Every target's statistic (by target id) and every comparison's value (by
    ``check_key``) for one replicate."""
    runs, theta, variant = _Runs(replicate.seed), replicate.theta, replicate.variant
    by_setting = {key: runs.need(setting_params(setting, theta, variant), library.horizon(key))
                  for key, setting in library.settings.items()}
    measures = [m for p in patterns for m in p.measures()]
    by_measure = {id(m): runs.need(measure_params(m, theta, variant), m.weeks[1])
                  for m in measures if m.match is None}
    runs.run()
    for m in measures:
        if m.match is not None:
            by_measure[id(m)] = runs.need(rematch(runs, m, theta, variant), m.weeks[1])
    runs.run()
    frames, households = runs.frames, runs.households
    values = library.compute({k: frames[run] for k, run in by_setting.items()},
                             {k: households[run] for k, run in by_setting.items()})
    for pattern in patterns:
        for part, comparisons in (("effect", pattern.effects), ("control", pattern.controls)):
            for index, c in enumerate(comparisons, 1):
                setting, reference = (runs.value(m, by_measure[id(m)]) for m in c.measures)
                values[check_key(pattern, part, index)] = c.value(setting, reference)
    return values


def check_draws(library: Library, patterns: Sequence[Pattern],
                draws: Sequence[Mapping[str, float]]) -> None:
    """Build every setting's parameters for every draw (raises ParameterError on a value
    outside its range) before anything runs."""
    for theta in draws:
        for setting in library.settings.values():
            setting_params(setting, theta)
        for pattern in patterns:
            for measure in pattern.measures():
                measure_params(measure, theta)


def _job(args: tuple[Library, Sequence[Pattern], Replicate]) -> dict[str, float]:
    return evaluate(*args)


def run_all(library: Library, patterns: Sequence[Pattern], reps: Sequence[Replicate],
            workers: int = 1, progress: Callable[[int, int], None] | None = None
            ) -> list[dict[str, float]]:
    """``evaluate`` for every replicate, in order, on ``workers`` processes; ``progress(done,
    total)`` after each."""
    jobs = [(library, tuple(patterns), r) for r in reps]
    results: list[dict[str, float] | None] = [None] * len(jobs)
    if workers <= 1 or len(jobs) <= 1:
        for i, job in enumerate(jobs):
            results[i] = _job(job)
            if progress:
                progress(i + 1, len(jobs))
        return results  # type: ignore[return-value]
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=multiprocessing.get_context("forkserver")) as pool:
        futures = {pool.submit(_job, job): i for i, job in enumerate(jobs)}
        for done, future in enumerate(as_completed(futures), 1):
            results[futures[future]] = future.result()
            if progress:
                progress(done, len(jobs))
    return results  # type: ignore[return-value]
