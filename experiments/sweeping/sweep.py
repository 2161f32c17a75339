"""Run a spec's design on a local process pool or a Dask cluster, into a results store.

Runs are grouped into batches (one task each) so process overhead does not dominate short
runs; every finished batch is written at once, so an interrupted sweep loses nothing finished
and the same call resumes it. A run that raises is recorded (parameters, seed, error,
traceback) and the sweep goes on. A batch lost with its worker or scheduler is recorded as
``lost``, not failed: the next sweep runs it again. Each run's seed comes from the root seed
and its (point, replicate), so results do not depend on the backend, worker count or
completion order.

On a Dask cluster every worker needs Linli installed: a task is
``experiments.sweeping.sweep.run_batch``.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import math
import multiprocessing
import os
import socket
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from experiments.running import output
from model.core import LinliModel
from model.params import Params

from . import design as design_lib
from . import spec as spec_lib
from .spec import Outputs, Spec
from .store import Store, flat_params, run_schema

CONNECT_TIMEOUT = "10s"  # to reach a Dask scheduler
TARGET_BATCH_SECONDS = 2.0  # batches are sized to take about this long, once run time is known
MAX_BATCH = 500


LOST = "lost"  # status of runs lost with their worker or scheduler (run again next time)
_LEGACY_LOST = ("task failed:", "a worker process died")  # how older stores recorded them


class SweepError(RuntimeError):
    """A sweep cannot start or go on (e.g. its Dask scheduler cannot be reached)."""


# ---------------------------------------------------------------------- worker side


@dataclass(frozen=True)
class RunTask:
    """One run: its design point, replicate, seed and the varied parameters' values."""

    point: int
    replicate: int
    seed: int
    values: dict[str, Any]


@dataclass(frozen=True)
class Batch:
    """Runs submitted together as one task."""

    model: str | None  # "module:function", or None for LinliModel
    base: Params | None
    weeks: int
    outputs: Outputs
    runs: tuple[RunTask, ...]


@dataclass(frozen=True)
class Outcome:
    """What became of one run."""

    point: int
    replicate: int
    seed: int
    ok: bool
    seconds: float
    worker: str
    finished: float
    error: str = ""
    traceback: str = ""
    lost: bool = False  # with its worker or scheduler: not the model's fault


@dataclass(frozen=True)
class BatchResult:
    outcomes: list[Outcome]
    metrics: pd.DataFrame | None  # kept weekly rows of the runs that succeeded
    versions: dict[str, str] = field(default_factory=dict)


def run_batch(batch: Batch) -> BatchResult:
    """Run every run of a batch (in a worker); a run that raises is recorded, not raised."""
    worker = f"{socket.gethostname()}:{os.getpid()}"
    outcomes, frames = [], []
    for task in batch.runs:
        start = time.perf_counter()
        try:
            frame = evaluate(batch.model, batch.base, task.values, task.seed, batch.weeks)
            frames.append(keep(frame, batch.outputs, batch.weeks, task))
            outcomes.append(Outcome(task.point, task.replicate, task.seed, True,
                                    time.perf_counter() - start, worker, time.time()))
        except Exception as err:  # recorded with its traceback; the sweep goes on
            outcomes.append(Outcome(task.point, task.replicate, task.seed, False,
                                    time.perf_counter() - start, worker, time.time(),
                                    error=f"{type(err).__name__}: {err}",
                                    traceback=traceback.format_exc()))
    return BatchResult(outcomes, _stack(frames), _versions())


Columns = dict[str, np.ndarray]  # a run's (or batch's) kept outputs, column by column


def evaluate(model: str | None, base: Params | None, values: dict[str, Any], seed: int,
             weeks: int) -> Columns:
    """One run's weekly outputs by column: LinliModel on ``base`` with ``values`` (dotted
    names), or a custom model's function."""
    if model is None:
        assert base is not None
        params = base.replace(spec_lib.nest(values)) if values else base
        linli = LinliModel(params, rng=seed, agents=False)
        linli.run_for(weeks)
        frame = linli.frame
    else:
        frame = load_model(model)(dict(values), seed, weeks)
    if isinstance(frame, pd.DataFrame):
        return {str(c): frame[c].to_numpy() for c in frame.columns}
    return {"week": np.array([weeks]), **{str(k): np.array([v]) for k, v in frame.items()}}


@functools.cache
def load_model(ref: str) -> Callable[..., Any]:
    """``"package.module:function"`` → the function."""
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


def keep(columns: Columns, outputs: Outputs, weeks: int, task: RunTask) -> Columns:
    """The kept weeks and columns of one run, keyed by point and replicate; numbers as floats
    so every chunk has the same column types."""
    if "week" not in columns:
        raise ValueError("the model's output has no 'week' column")
    names = [c for c in (outputs.columns or columns) if c != "week"]
    missing = [c for c in names if c not in columns]
    if missing:
        raise KeyError(f"output columns not reported by the model: {', '.join(missing)}")
    rows = np.isin(columns["week"], outputs.weeks(weeks))
    n = int(rows.sum())
    if n == 0:
        raise ValueError(f"the model's output has none of the kept weeks (the last is {weeks})")
    kept = {"point": np.full(n, task.point, dtype=np.int64),
            "replicate": np.full(n, task.replicate, dtype=np.int64),
            "week": columns["week"][rows].astype(np.int64)}
    for name in names:
        values = columns[name][rows]
        kept[name] = values.astype(np.float64) if values.dtype.kind in "biuf" else values
    return kept


def _stack(parts: list[Columns]) -> pd.DataFrame | None:
    """The runs' kept outputs as one frame (columns missing from a run are empty there)."""
    if not parts:
        return None
    if all(part.keys() == parts[0].keys() for part in parts):
        return pd.DataFrame({k: np.concatenate([p[k] for p in parts]) for k in parts[0]})
    return pd.concat([pd.DataFrame(p) for p in parts], ignore_index=True)


@functools.cache
def _versions() -> dict[str, str]:
    return output.versions()


# ---------------------------------------------------------------------- driver side


@dataclass(frozen=True)
class Progress:
    """Where a sweep stands: runs done (ok or failed, including earlier sweeps) of total."""

    done: int
    total: int
    failed: int
    skipped: int  # finished by an earlier sweep into the same directory


@dataclass(frozen=True)
class SweepResult:
    """What this sweep ran, and where the whole store stands after it."""

    directory: Path
    total: int
    ran: int  # by this sweep: ok + failed + lost
    ok: int
    failed: int
    skipped: int
    seconds: float
    lost: int = 0
    status: dict[str, int] = field(default_factory=dict)  # the store's runs by status
    quarantined: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def runs_per_minute(self) -> float:
        return 60 * self.ran / self.seconds if self.seconds > 0 else float("nan")


def run_sweep(spec: Spec | str | Path, out: str | Path | None = None, *,
              workers: int | None = None,
              scheduler: str | None = None, executor: Executor | None = None,
              retry_failed: bool = False, batch_size: int | None = None,
              progress: Callable[[Progress], None] | None = None) -> SweepResult:
    """Run (or resume) a sweep into ``out`` (default ``results/sweeps/<spec name>``).

    ``workers``: size of the local process pool (forkserver; default one per CPU), or 0 to
    run in this process; ``scheduler``: the address of a Dask scheduler (``tcp://host:port``)
    instead; ``executor``: any concurrent.futures executor instead. Runs already in the store
    are skipped; failed ones are run again only with ``retry_failed``.
    """
    if not isinstance(spec, Spec):
        spec = spec_lib.load(spec)
    store = Store(out or Path("results") / "sweeps" / spec.name)
    design = design_lib.build(spec)
    store.check_new_or_same(spec)  # before anything is written
    started = time.perf_counter()
    workers = (os.cpu_count() or 1) if workers is None else workers
    tally = Counter({"ok": 0, "failed": 0, LOST: 0})
    with _executor(workers, scheduler, executor) as (pool, capacity), \
            store.writer() as writer:
        store.check_new_or_same(spec)  # again, now that we hold the lock
        writer.initialise(spec, design.frame(spec), _versions())
        plan = _Plan.of(store, spec, design, retry_failed)
        total, skipped = plan.total, plan.total - len(plan.todo)
        report = progress or (lambda _: None)
        report(Progress(skipped, total, plan.failed_before, skipped))
        records = _Records(spec, design, plan.attempts)
        batches = _Batcher(spec, plan.todo, capacity, batch_size)
        try:
            for result in _submit_all(pool, batches, capacity):
                writer.write(records.table(result), result.metrics)
                tally.update(_status(o) for o in result.outcomes)
                report(Progress(skipped + tally.total(), total,
                                plan.failed_before + tally["failed"] + tally[LOST], skipped))
        except SweepError as err:
            raise SweepError(f"{err}; {tally['ok']:,} runs finished here are saved in "
                             f"{store.dir}: run the same command again to run the rest") from None
        writer.compact()
    status = Counter(store.runs()["status"])
    return SweepResult(store.dir, total, tally.total(), tally["ok"], tally["failed"], skipped,
                       time.perf_counter() - started, tally[LOST], dict(status),
                       writer.quarantined)


def _status(outcome: Outcome) -> str:
    if outcome.ok:
        return "ok"
    return LOST if outcome.lost else "failed"


@dataclass(frozen=True)
class _Plan:
    """What is left to run: runs not in the store yet (and failed ones, when retried)."""

    todo: list[RunTask]
    total: int
    failed_before: int  # failed runs left as they are
    attempts: Counter  # attempts so far per (point, replicate)

    @classmethod
    def of(cls, store: Store, spec: Spec, design: design_lib.Design,
           retry_failed: bool) -> _Plan:
        """Runs left: never run, lost with a worker or scheduler, ok but without kept
        outputs (their chunk was damaged), and failed ones with ``retry_failed``."""
        every = store.runs(all_attempts=True)
        attempts = Counter(zip(every["point"], every["replicate"], strict=True))
        latest = store.runs()
        keys = list(zip(latest["point"], latest["replicate"], strict=True))
        lost = latest["status"].eq(LOST) | (latest["status"].eq("failed")
                                           & latest["error"].str.startswith(_LEGACY_LOST))
        status = dict(zip(keys, latest["status"].mask(lost, LOST), strict=True))
        with_outputs = store.metric_keys() if (latest["status"] == "ok").any() else set()
        for key, state in status.items():
            if state == "ok" and key not in with_outputs:
                status[key] = LOST
        skip = {"ok"} if retry_failed else {"ok", "failed"}
        todo = [RunTask(p, r, design_lib.run_seed(spec.seed, p, r), design.points[p])
                for p in range(len(design)) for r in range(spec.replicates)
                if status.get((p, r)) not in skip]
        failed = 0 if retry_failed else sum(s == "failed" for s in status.values())
        return cls(todo, len(design) * spec.replicates, failed, attempts)


def _submit_all(pool: Executor, batches: _Batcher, capacity: int) -> Iterator[BatchResult]:
    """Keep about two batches per worker in flight; yield results as they finish. A batch
    whose task fails as a whole is yielded as lost. An executor that stops taking tasks (a
    lost scheduler) gets no more; what it holds is collected, then a SweepError ends the
    sweep; one that cannot even be waited on ends it at once."""
    inflight: dict[Future, Batch] = {}
    broken = ""

    def top_up() -> None:
        nonlocal broken
        while not broken and len(inflight) < 2 * capacity \
                and (batch := batches.next()) is not None:
            try:
                inflight[pool.submit(run_batch, batch)] = batch
            except Exception as err:
                batches.give_back(batch)
                broken = f"cannot hand out work any more ({_described(err)})"

    try:
        top_up()
        while inflight:
            try:
                finished, _ = wait(inflight, return_when=FIRST_COMPLETED)
            except Exception as err:
                raise SweepError(f"lost contact with the workers ({_described(err)})") from None
            for future in finished:
                batch = inflight.pop(future)
                try:
                    result = future.result()
                except BaseException as err:  # the task failed as a whole: a lost worker,
                    if isinstance(err, KeyboardInterrupt | SystemExit):  # a cancelled task
                        raise
                    result = _task_lost(batch, err)
                batches.observe(result)
                yield result
            top_up()
        if broken:
            raise SweepError(broken)
    finally:
        for future in inflight:
            future.cancel()


def _described(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _task_lost(batch: Batch, err: BaseException) -> BatchResult:
    """Every run of a batch whose task was lost (its worker died, or the scheduler went
    away): recorded as lost, to be run again by the next sweep."""
    text = "".join(traceback.format_exception(err))
    error = (f"lost with its worker or scheduler ({_described(err)}); the next sweep runs it "
             "again")
    if isinstance(err, BrokenProcessPool):
        error = ("a worker process died while this batch ran or waited (killed, out of memory "
                 "or crashed); the next sweep runs it again")
    now = time.time()
    return BatchResult([Outcome(t.point, t.replicate, t.seed, False, math.nan, "?", now,
                                error=error, traceback=text, lost=True)
                        for t in batch.runs], None)


class _Batcher:
    """Hands out batches: one run each until run time is known, then about
    TARGET_BATCH_SECONDS of runs, but no more than a quarter of each worker's share of
    what is left (so the end of a sweep stays balanced). A fixed ``size`` overrides this."""

    def __init__(self, spec: Spec, runs: list[RunTask], capacity: int,
                 size: int | None) -> None:
        self.spec, self.queue, self.capacity, self.size = spec, deque(runs), capacity, size
        self.seconds: list[float] = []

    def give_back(self, batch: Batch) -> None:
        self.queue.extendleft(reversed(batch.runs))

    def observe(self, result: BatchResult) -> None:
        self.seconds += [o.seconds for o in result.outcomes if math.isfinite(o.seconds)]

    def next(self) -> Batch | None:
        if not self.queue:
            return None
        if self.size is not None:
            n = self.size
        elif not self.seconds:
            n = 1
        else:
            mean = max(sum(self.seconds) / len(self.seconds), 1e-6)
            share = math.ceil(len(self.queue) / (4 * self.capacity))
            n = max(1, min(round(TARGET_BATCH_SECONDS / mean), share, MAX_BATCH))
        runs = tuple(self.queue.popleft() for _ in range(min(n, len(self.queue))))
        s = self.spec
        return Batch(s.model, s.base, s.weeks, s.outputs, runs)


class _Records:
    """Turns outcomes into rows of the runs table (record, then every parameter)."""

    def __init__(self, spec: Spec, design: design_lib.Design, attempts: Counter) -> None:
        self.schema = run_schema(spec)
        self.base = flat_params(spec)
        self.factors = spec.factors
        self.design = design
        self.attempts = attempts
        self.points: dict[int, dict[str, Any]] = {}

    def table(self, result: BatchResult) -> pa.Table:
        versions = dict(result.versions)
        git = versions.pop("git", "")
        rows = []
        for o in result.outcomes:
            self.attempts[(o.point, o.replicate)] += 1
            rows.append({
                "point": o.point, "replicate": o.replicate,
                "attempt": self.attempts[(o.point, o.replicate)], "seed": o.seed,
                "status": _status(o), "error": o.error,
                "traceback": o.traceback, "seconds": o.seconds, "worker": o.worker,
                "finished": datetime.fromtimestamp(o.finished, tz=UTC),
                "versions": json.dumps(versions, sort_keys=True), "git": git,
                **self.base, **self._point(o.point)})
        return pa.Table.from_pylist(rows, schema=self.schema)

    def _point(self, point: int) -> dict[str, Any]:
        if point not in self.points:
            values = self.design.points[point]
            self.points[point] = {f.name: design_lib.encode([values[f.name]], f.column_type)[0]
                                  for f in self.factors}
        return self.points[point]


class _Inline(Executor):
    """Runs each task in this process when it is submitted (``workers=0``)."""

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as err:
            future.set_exception(err)
        return future


@contextmanager
def _executor(workers: int, scheduler: str | None,
              given: Executor | None) -> Iterator[tuple[Executor, int]]:
    """(executor, capacity): the one given, a Dask client's, a process pool, or inline."""
    if given is not None:
        yield given, max(workers, 1)
        return
    if scheduler is not None:
        from distributed import Client

        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as err:
            raise SweepError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from None
        try:
            capacity = max(sum(client.nthreads().values()), 1)
            # pure=False: each submitted batch runs, never a cached result of an equal call
            yield client.get_executor(pure=False), capacity
        finally:
            with contextlib.suppress(Exception):  # the scheduler may be gone
                client.close(timeout=5)
        return
    if workers <= 0:
        yield _Inline(), 1
        return
    pool = _LocalPool(workers)
    try:
        yield pool, workers
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class _LocalPool(Executor):
    """A forkserver process pool that replaces itself when a worker dies (the batches it
    held are recorded as failed; the sweep goes on with a fresh pool)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(["experiments.sweeping.sweep"])
        self.pool = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=self.context)

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        try:
            return self.pool.submit(fn, *args, **kwargs)
        except BrokenProcessPool:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = self._new()
            return self.pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)
