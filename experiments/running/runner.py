"""Run the model: one run, or many seeds of one parameter set (optionally in parallel)."""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from model.core import LinliModel
from model.params import Params


@dataclass(frozen=True)
class RunResult:
    """The weekly frame of one run and what produced it."""

    frame: pd.DataFrame
    params: Params
    seed: int
    seconds: float


def as_params(params: Params | dict[str, Any] | None) -> Params:
    return params if isinstance(params, Params) else Params.from_dict(params)


def run(params: Params | dict[str, Any] | None = None, seed: int = 0,
        weeks: int | None = None, agents: bool = False) -> RunResult:
    """Build a model, run it for ``weeks`` (default ``params.weeks``), return its frame."""
    params = as_params(params)
    start = time.perf_counter()
    model = LinliModel(params, rng=int(seed), agents=agents)
    model.run_for(weeks or params.weeks)
    return RunResult(model.frame, params, int(seed), time.perf_counter() - start)


def _frame_with_seed(args: tuple[Params, int, int | None]) -> pd.DataFrame:
    params, seed, weeks = args
    frame = run(params, seed, weeks).frame
    frame.insert(0, "seed", seed)
    return frame


def run_seeds(params: Params | dict[str, Any] | None, seeds: int | list[int],
              weeks: int | None = None, workers: int = 1) -> pd.DataFrame:
    """Weekly frames of several seeds stacked, with a ``seed`` column.

    ``seeds`` is a list of seeds or a count (seeds 0..n-1). Results do not depend on
    ``workers``: each run's stream comes from its own seed.
    """
    params = as_params(params)
    seed_list = list(range(seeds)) if isinstance(seeds, int) else [int(s) for s in seeds]
    jobs = [(params, s, weeks) for s in seed_list]
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=workers,
                                 mp_context=multiprocessing.get_context("forkserver")) as pool:
            frames = list(pool.map(_frame_with_seed, jobs))
    else:
        frames = [_frame_with_seed(job) for job in jobs]
    return pd.concat(frames, ignore_index=True)


def at_week(frames: pd.DataFrame, column: str, week: int) -> np.ndarray:
    """One value per seed: ``column`` at ``week``, ordered by seed."""
    rows = frames[frames["week"] == week].sort_values("seed")
    return rows[column].to_numpy()


def window_mean(frames: pd.DataFrame, column: str, first: int, last: int) -> np.ndarray:
    """One value per seed: mean of ``column`` over weeks first..last, ordered by seed."""
    rows = frames[(frames["week"] >= first) & (frames["week"] <= last)]
    return rows.groupby("seed")[column].mean().sort_index().to_numpy()
