"""ABC-SMC with pyabc, resumable and identical on any backend.

pyabc runs the sequential Monte Carlo (proposals, weights, epsilon schedule, history in
SQLite); ``StoreSampler`` is our pyabc sampler. It evaluates candidate particles in batches on
a process pool or a Dask cluster, gives candidate ``k`` of generation ``t`` its own seed (so
its proposal and its simulation are the same wherever and whenever it runs), keeps them in
index order (so the accepted population does not depend on which worker finished first), and
writes every evaluated particle to the particle store before using it. Killed and rerun,
pyabc reloads the finished generations from its history and the sampler replays the unfinished
one from the store: nothing is simulated twice, nothing is lost.
"""

from __future__ import annotations

import math
import pickle
import random
import zlib
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from typing import Any

import numpy as np

from .simulate import simulate
from .store import ParticleStore
from .targets import Library

NAN_PENALTY = 1e3  # a statistic the run could not compute counts as this many sds off


class Simulator:
    """pyabc's model: a parameter draw → every calibration target's statistic, one seed.

    The seed is drawn from numpy's global generator, which the sampler seeds per candidate,
    so a candidate's simulation is reproducible. ``fixed`` holds the values of the spec's
    parameters that screening left out of the fit."""

    def __init__(self, library: Library, fixed: Mapping[str, float],
                 variant: Mapping[str, Any] | None = None) -> None:
        self.library = library
        self.fixed = dict(fixed)
        self.variant = dict(variant or {})

    def __call__(self, pars: Mapping[str, float]) -> dict[str, float]:
        seed = int(np.random.randint(0, 2**31 - 1))  # noqa: NPY002 (pyabc seeds the global one)
        theta = {**self.fixed, **{name: float(pars[name]) for name in pars}}
        stats = simulate(self.library, theta, seed, self.variant)
        observed, sd = self.library.observed(), self.library.sd()
        for i, target in enumerate(self.library):
            if not math.isfinite(stats[target.id]):
                stats[target.id] = float(observed[i] + NAN_PENALTY * sd[i])
        return stats


def candidate_seed(seed: int, t: int, index: int) -> int:
    """The seed of candidate ``index`` of generation ``t`` (``t = -1``: the prior sample)."""
    return zlib.crc32(f"{seed}/{t}/{index}".encode())


def evaluate_candidate(payload: bytes, seed: int) -> bytes:
    """In a worker: seed numpy's and Python's global generators (pyabc draws its proposals
    from them), run pyabc's ``simulate_one`` and return the pickled particle."""
    import cloudpickle

    np.random.seed(seed)  # noqa: NPY002 (pyabc draws proposals from the global generator)
    random.seed(seed)
    simulate_one = cloudpickle.loads(payload)
    return pickle.dumps(simulate_one())


def _sampler_base():
    from pyabc.sampler import Sampler

    return Sampler


class StoreSampler(_sampler_base()):
    """A pyabc sampler over our executors and particle store (see the module docstring)."""

    def __init__(self, store: ParticleStore, executor: Executor, capacity: int, seed: int,
                 batch: int = 0, progress: Callable[[int, int, int], None] | None = None) -> None:
        super().__init__()
        self.store = store
        self.executor = executor
        self.seed = seed
        self.batch = batch or 4 * max(capacity, 1)
        self.progress = progress

    def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf,
                                all_accepted=False, ana_vars=None):
        import cloudpickle

        payload = cloudpickle.dumps(simulate_one)
        sample = self._create_empty_sample()
        done = self.store.load(t)
        accepted = evaluated = start = 0
        while accepted < n and evaluated < max_eval:
            indices = range(start, start + self.batch)
            missing = [i for i in indices if i not in done]
            futures = {i: self.executor.submit(evaluate_candidate, payload,
                                               candidate_seed(self.seed, t, i))
                       for i in missing}
            fresh = {i: future.result() for i, future in futures.items()}
            if fresh:
                self.store.write(t, fresh, {i: candidate_seed(self.seed, t, i) for i in fresh})
                done.update(fresh)
            for i in indices:
                particle = pickle.loads(done[i])
                sample.append(particle)
                evaluated += 1
                accepted += bool(particle.accepted)
                if accepted >= n or evaluated >= max_eval:
                    break
            start += self.batch
            if self.progress is not None:
                self.progress(t, accepted, n)
        self.nr_evaluations_ = evaluated
        if sample.n_accepted < n:
            sample.ok = False
        return sample


def prior(priors: Mapping[str, tuple[float, float]]):
    """Independent uniform priors, as a pyabc distribution."""
    import pyabc

    return pyabc.Distribution(**{name: pyabc.RV("uniform", low, high - low)
                                 for name, (low, high) in priors.items()})


def distance(library: Library):
    """Root mean squared z over the targets: ``sqrt(mean(((s − observed) / sd)²))``."""
    import pyabc

    scale = 1.0 / (library.sd() * math.sqrt(len(library)))
    return pyabc.PNormDistance(p=2, fixed_weights={t.id: float(w)
                                                   for t, w in zip(library, scale, strict=True)})


def fit(library: Library, priors: Mapping[str, tuple[float, float]],
        fixed: Mapping[str, float], store: ParticleStore, executor: Executor, capacity: int,
        *, seed: int, population: int, generations: int, min_epsilon: float,
        max_simulations: int, batch: int = 0, variant: Mapping[str, Any] | None = None,
        progress: Callable[[int, int, int], None] | None = None):
    """Run (or resume) ABC-SMC; return pyabc's ``History``."""
    import pyabc

    sampler = StoreSampler(store, executor, capacity, seed, batch, progress)
    abc = pyabc.ABCSMC(Simulator(library, fixed, variant), prior(priors), distance(library),
                       population_size=population, sampler=sampler,
                       eps=pyabc.MedianEpsilon())
    observed = {t.id: float(t.observed.value) for t in library}
    store.directory.mkdir(parents=True, exist_ok=True)
    db = f"sqlite:///{store.history_path}"
    if store.history_started():
        history = abc.load(db, 1)
    else:
        store.history_path.unlink(missing_ok=True)
        history = abc.new(db, observed)
    remaining = generations - (history.max_t + 1)
    if remaining > 0 and history.total_nr_simulations < max_simulations:
        abc.run(minimum_epsilon=min_epsilon, max_nr_populations=remaining,
                max_total_nr_simulations=max_simulations)
    return abc.history


def posterior(history) -> tuple[Any, np.ndarray]:
    """The last generation's particles (a DataFrame, one column per parameter) and weights."""
    frame, weights = history.get_distribution(m=0, t=history.max_t)
    return frame, np.asarray(weights, dtype=float)


def resample(frame, weights: np.ndarray, draws: int, seed: int) -> Sequence[dict[str, float]]:
    """``draws`` parameter sets drawn from the weighted posterior (with replacement)."""
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(frame), size=draws, replace=True, p=weights / weights.sum())
    return [dict(frame.iloc[i].astype(float)) for i in picks]
