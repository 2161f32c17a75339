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


def replicates(seeds: int, draws: Sequence[Mapping[str, float]] | None) -> list[Replicate]:
    """Every draw crossed with seeds 0..seeds-1 (the same seeds for every draw)."""
    if draws is None:
        return [Replicate(None, seed) for seed in range(seeds)]
    return [Replicate(d, seed, dict(theta)) for d, theta in enumerate(draws)
            for seed in range(seeds)]


def check_key(pattern: Pattern, part: str, index: int) -> str:
    """The stable id of one comparison of a pattern: ``V3/effect/1``, ``V3/control/2``."""
    return f"{pattern.id}/{part}/{index}"


def measure_params(measure: Measure, theta: Mapping[str, float]) -> Params:
    """A pattern setting's parameters: the scenario, the draw, then the overrides."""
    params = setting_params(Setting(scenario=measure.scenario), theta)
    return params.replace(dict(measure.overrides)) if measure.overrides else params


class _Runs:
    """The distinct runs of one replicate, keyed by their parameters, each as long as the
    longest statistic that reads it."""

    def __init__(self) -> None:
        self.params: dict[str, Params] = {}
        self.weeks: dict[str, int] = {}

    def need(self, params: Params, weeks: int) -> str:
        key = params.model_dump_json()
        self.params[key] = params
        self.weeks[key] = max(weeks, self.weeks.get(key, 0))
        return key

    def run(self, seed: int) -> tuple[dict[str, pd.DataFrame], dict[str, int]]:
        from model.core import LinliModel

        frames, households = {}, {}
        for key, params in self.params.items():
            model = LinliModel(params, rng=seed, agents=False)
            model.run_for(self.weeks[key])
            frames[key], households[key] = model.frame, model.layout.households
        return frames, households


def evaluate(library: Library, patterns: Sequence[Pattern], replicate: Replicate
             ) -> dict[str, float]:
    """Every target's statistic (by target id) and every comparison's value (by
    ``check_key``) for one replicate."""
    runs, theta = _Runs(), replicate.theta
    by_setting = {key: runs.need(setting_params(setting, theta), library.horizon(key))
                  for key, setting in library.settings.items()}
    by_measure = {id(m): runs.need(measure_params(m, theta), m.weeks[1])
                  for p in patterns for m in p.measures()}
    frames, households = runs.run(replicate.seed)
    values = library.compute({k: frames[run] for k, run in by_setting.items()},
                             {k: households[run] for k, run in by_setting.items()})
    for pattern in patterns:
        for part, comparisons in (("effect", pattern.effects), ("control", pattern.controls)):
            for index, c in enumerate(comparisons, 1):
                setting, reference = (m.value(frames[by_measure[id(m)]]) for m in c.measures)
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
