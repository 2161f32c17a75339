"""``linli calibrate``: screen, fit, check — every simulation kept, resumable.

1. **Screening** (Morris elementary effects, SALib): how much each free parameter moves each
   calibration target, in units of the target's uncertainty; the ``screening.keep`` that move
   them most go into the fit, the others stay at their defaults.
2. **Fit** (ABC-SMC, pyabc, ``abc.fit``) of the kept parameters to the calibration targets.
3. **Posterior**: the weighted particles of the last generation; per parameter its mean,
   interval, and whether the targets pin it down (posterior sd against prior sd).
4. **Posterior-predictive checks** for every target, calibration and validation alike.

Everything goes to the output directory (``store.ParticleStore``); ``report.write`` turns
it into files people read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import abc as abc_lib
from .simulate import simulate
from .spec import Spec
from .store import ParticleStore
from .targets import Library
from .targets import load as load_targets

UNPINNED = 0.7  # posterior sd / prior sd above this: the targets do not pin the parameter


@dataclass(frozen=True)
class Calibration:
    """What a calibration produced (also written to its directory)."""

    spec: Spec
    screening: pd.DataFrame  # parameter × target: mu* / target sd, and the kept flag
    kept: list[str]
    fixed: dict[str, float]
    posterior: pd.DataFrame  # one row per particle: parameters and weight
    summary: pd.DataFrame  # one row per parameter: prior, posterior mean, interval, pinned
    predictive: pd.DataFrame  # one row per target: observed range, model interval, pass
    simulations: int
    generations: int
    epsilon: float


def _evaluate(args: tuple[Library, dict[str, float], int, dict]) -> dict[str, float]:
    library, theta, seed, variant = args
    return simulate(library, theta, seed, variant)


def _map(executor: Executor, jobs: Sequence[tuple]) -> list[dict[str, float]]:
    futures = [executor.submit(_evaluate, job) for job in jobs]
    return [f.result() for f in futures]


def screen(spec: Spec, library: Library, store: ParticleStore, executor: Executor
           ) -> pd.DataFrame:
    """Morris screening of every free parameter against every calibration target."""
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    names = spec.names
    problem = {"num_vars": len(names), "names": names,
               "bounds": [[spec.parameters[n].low, spec.parameters[n].high] for n in names]}
    design = sample.sample(problem, N=spec.screening.trajectories,
                           num_levels=spec.screening.levels, seed=spec.seed)
    done = store.screening.read()
    have = set(done["run"].astype(int)) if not done.empty else set()
    todo = [i for i in range(len(design)) if i not in have]
    for start in range(0, len(todo), 16):
        chunk = todo[start:start + 16]
        results = _map(executor, [(library, dict(zip(names, design[i], strict=True)),
                                   spec.seed * 100_003 + i, spec.variant) for i in chunk])
        rows = [{"run": i, **{f"p.{n}": float(design[i][k]) for k, n in enumerate(names)},
                 **{f"s.{k}": v for k, v in result.items()}}
                for i, result in zip(chunk, results, strict=True)]
        store.screening.write(pd.DataFrame(rows), f"runs-{chunk[0]:06d}")
    runs = store.screening.read().sort_values("run")
    table = {}
    for target in library:
        outputs = runs[f"s.{target.id}"].to_numpy(dtype=float)
        outputs = np.where(np.isfinite(outputs), outputs, np.nanmean(outputs))
        result = analyze.analyze(problem, design, outputs, num_levels=spec.screening.levels)
        table[target.id] = np.asarray(result["mu_star"]) / target.observed.sd
    frame = pd.DataFrame(table, index=names)
    frame["importance"] = frame.max(axis=1)
    order = frame["importance"].sort_values(ascending=False).index
    frame["kept"] = frame.index.isin(order[: spec.screening.keep])
    return frame.loc[order]


def summarise(spec: Spec, kept: list[str], frame: pd.DataFrame, weights: np.ndarray
              ) -> pd.DataFrame:
    """Per kept parameter: prior, posterior mean, sd and 90% interval, and whether the
    targets pin it down (posterior sd at most ``UNPINNED`` of the prior's)."""
    w = weights / weights.sum()
    rows = []
    for name in kept:
        x = frame[name].to_numpy(dtype=float)
        mean = float(np.sum(w * x))
        sd = float(np.sqrt(np.sum(w * (x - mean) ** 2)))
        order = np.argsort(x)
        cum = np.cumsum(w[order])
        low, high = (float(x[order][np.searchsorted(cum, q)]) for q in (0.05, 0.95))
        prior = spec.parameters[name]
        prior_sd = prior.width / np.sqrt(12)
        rows.append({"parameter": name, "prior_low": prior.low, "prior_high": prior.high,
                     "mean": mean, "sd": sd, "low": low, "high": high,
                     "sd_ratio": sd / prior_sd, "pinned": sd / prior_sd <= UNPINNED})
    return pd.DataFrame(rows)


def predictive(spec: Spec, draws: Sequence[dict[str, float]], fixed: dict[str, float],
               store: ParticleStore, executor: Executor) -> pd.DataFrame:
    """Every target (calibration and validation) over posterior draws: the 5–95% interval
    of the model's statistic against the observed plausible range."""
    everything = load_targets()
    done = store.predictive.read()
    have = set(done["draw"].astype(int)) if not done.empty else set()
    todo = [i for i in range(len(draws)) if i not in have]
    for start in range(0, len(todo), 16):
        chunk = todo[start:start + 16]
        results = _map(executor, [(everything, {**fixed, **draws[i]},
                                   spec.seed * 7919 + 1_000_003 + i, spec.variant)
                                  for i in chunk])
        rows = [{"draw": i, **{f"p.{k}": v for k, v in draws[i].items()},
                 **{f"s.{k}": v for k, v in result.items()}}
                for i, result in zip(chunk, results, strict=True)]
        store.predictive.write(pd.DataFrame(rows), f"draws-{chunk[0]:06d}")
    runs = store.predictive.read().sort_values("draw")
    rows = []
    for target in everything:
        values = runs[f"s.{target.id}"].to_numpy(dtype=float)
        values = values[np.isfinite(values)]
        low, median, high = (np.quantile(values, q) if len(values) else float("nan")
                             for q in (0.05, 0.5, 0.95))
        rows.append({"target": target.id, "role": target.role,
                     "fitted": target.id in spec.targets,
                     "observed": target.observed.value, "observed_low": target.observed.low,
                     "observed_high": target.observed.high, "model_median": median,
                     "model_low": low, "model_high": high,
                     "passes": bool(len(values)) and target.passes(low, high)})
    return pd.DataFrame(rows)


@contextmanager
def executor(workers: int, scheduler: str | None) -> Iterator[tuple[Executor, int]]:
    """(executor, capacity) — the sweeps' process pool or Dask client."""
    from ..sweeping.sweep import _executor

    with _executor(workers, scheduler, None) as pair:
        yield pair


def calibrate(spec: Spec, out: str | Path, *, workers: int = 1, scheduler: str | None = None,
              progress: Callable[[str, int, int], None] | None = None) -> Calibration:
    """Screen, fit and check; resume whatever ``out`` already holds."""
    import logging

    for name in ("ABC", "ABC.History", "ABC.Sampler", "ABC.Distance", "ABC.Epsilon",
                 "ABC.Transition", "ABC.Predictor", "ABC.Population", "ABC.Adaptation"):
        logging.getLogger(name).setLevel(logging.WARNING)  # our progress bar says it
    store = ParticleStore(out)
    store.directory.mkdir(parents=True, exist_ok=True)
    library = spec.library()
    with executor(workers, scheduler) as (pool, capacity):
        if progress:
            progress("screening", 0, 1)
        screening = screen(spec, library, store, pool)
        kept = [n for n in screening.index if screening.loc[n, "kept"]]
        fixed = {n: _default(n) for n in spec.names if n not in kept}
        history = abc_lib.fit(
            library, {n: (spec.parameters[n].low, spec.parameters[n].high) for n in kept},
            fixed, store, pool, capacity, seed=spec.seed, population=spec.abc.population,
            generations=spec.abc.generations, min_epsilon=spec.abc.min_epsilon,
            max_simulations=spec.abc.max_simulations, batch=spec.abc.batch,
            variant=spec.variant,
            progress=(lambda t, a, n: progress(f"generation {t + 1}", a, n)) if progress
            else None)
        frame, weights = abc_lib.posterior(history)
        draws = abc_lib.resample(frame, weights, spec.abc.predictive_draws, spec.seed)
        checks = predictive(spec, draws, fixed, store, pool)
    summary = summarise(spec, kept, frame, weights)
    populations = history.get_all_populations()
    posterior = frame.assign(weight=weights / weights.sum()).reset_index(drop=True)
    result = Calibration(spec, screening, kept, fixed, posterior, summary, checks,
                         simulations=int(history.total_nr_simulations),
                         generations=int(history.max_t + 1),
                         epsilon=float(populations["epsilon"].iloc[-1]))
    _save(result, store.directory)
    from . import report

    report.write(result, store.directory)
    return result


def _default(dotted: str) -> float:
    from model.params import SECTIONS

    section, name = dotted.split(".", 1)
    return float(SECTIONS[section].model_fields[name].default)


def _save(result: Calibration, directory: Path) -> None:
    from ..running.output import atomic_write

    atomic_write(directory / "posterior.parquet",
                 lambda p: result.posterior.to_parquet(p, index=False))
    atomic_write(directory / "parameters.csv",
                 lambda p: result.summary.to_csv(p, index=False))
    atomic_write(directory / "screening.csv", lambda p: result.screening.to_csv(p))
    atomic_write(directory / "predictive.csv",
                 lambda p: result.predictive.to_csv(p, index=False))
    means = {row.parameter: float(row.mean) for row in result.summary.itertuples()}
    atomic_write(directory / "posterior.json", lambda p: Path(p).write_text(json.dumps({
        "spec": result.spec.name, "targets": list(result.spec.targets),
        "variant": result.spec.variant,
        "fitted": means, "fixed": result.fixed, "simulations": result.simulations,
        "generations": result.generations, "epsilon": result.epsilon}, indent=2),
        encoding="utf-8"))
