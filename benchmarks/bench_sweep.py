"""Runs per minute of community-scale sweeps (3,000 households × 104 weeks) on N workers,
side by side with ``mesa.batch_run`` running the idiomatic per-agent model
(``benchmarks/per_agent.py``) on the same parameter grid.

Run from the repository root::

    python -m benchmarks.bench_sweep                  # ~1–2 minutes on 2 cores
    python -m benchmarks.bench_sweep --quick          # fewer runs per row

Rows (every wall time includes starting the worker processes; "busy before" is how many CPUs
other processes kept busy in the half second before the row started):

- ``linli sweep, core rule``: ``small-units`` (every mechanism off) with a fixed unit size of
  10, 15 or 20 households, through ``experiments.sweeping.sweep.run_sweep`` (local process pool);
- ``linli sweep, unit-size-boards-groups``: the shipped factorial spec (boards and groups on,
  225 runs);
- ``mesa.batch_run, per-agent``: the same core rule and unit-size grid, one ``mesa.Agent`` per
  household, ``number_processes`` = workers.

The ratio compares runs per minute with batch_run's on the same (core-rule) work.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import mesa

import scenarios
from benchmarks.bench_model import busy_cpus
from benchmarks.per_agent import PerAgentModel

if TYPE_CHECKING:
    from experiments.sweeping.spec import Spec

# experiments.* are imported inside functions: batch_run's spawned workers import this module
# for BatchPerAgent, and should pay only for what the per-agent model needs.

HOUSEHOLDS, WEEKS = 3_000, 104
UNIT_SIZES = (10, 15, 20)
TARGET_RUNS_PER_MINUTE = 200.0  # community-scale runs on 2 cores (issue 5)

CORE_SPEC = f"""
title = "benchmark: core rule"
scenario = "small-units"
weeks = {WEEKS}
replicates = {{replicates}}
seed = 1

[fixed]
"structure.households" = {HOUSEHOLDS}

[design]
method = "factorial"

[parameters]
"structure.unit_size" = {list(UNIT_SIZES)}

[outputs]
columns = ["participation_rate"]
"""


class BatchPerAgent(PerAgentModel):
    """``PerAgentModel`` with keyword parameters and a DataCollector, as batch_run needs."""

    def __init__(self, unit_size: int = 15, households: int = HOUSEHOLDS,
                 rng: int | None = None) -> None:
        params = scenarios.load("small-units").params.replace(
            {"structure": {"households": households, "unit_size": unit_size}})
        super().__init__(params, rng=rng)
        self.datacollector = mesa.DataCollector(model_reporters={
            "participation_rate": lambda m: m.rows[-1]["participation_rate"] if m.rows
            else math.nan})

    def step(self) -> None:
        super().step()
        self.datacollector.collect(self)


@dataclass(frozen=True)
class Row:
    label: str
    runs: int
    seconds: float
    failed: int = 0
    busy_before: float | None = None  # CPUs other processes kept busy just before

    @property
    def per_minute(self) -> float:
        return 60 * self.runs / self.seconds


def linli(label: str, spec: Spec, workers: int, root: Path) -> Row:
    from experiments.sweeping.store import Store
    from experiments.sweeping.sweep import run_sweep

    busy = busy_cpus()
    start = time.perf_counter()
    result = run_sweep(spec, root / spec.name, workers=workers)
    seconds = time.perf_counter() - start
    assert Store(root / spec.name).runs()["status"].eq("ok").sum() == result.ok
    return Row(label, result.ran, seconds, result.failed, busy)


def batch_run(replicates: int, workers: int) -> Row:
    seeds = list(range(1, replicates + 1))
    busy = busy_cpus()
    start = time.perf_counter()
    results = mesa.batch_run(BatchPerAgent, parameters={"unit_size": list(UNIT_SIZES)},
                             number_processes=workers, rng=seeds, max_steps=WEEKS,
                             data_collection_period=-1, display_progress=False)
    seconds = time.perf_counter() - start
    assert all(r["Step"] == WEEKS for r in results), "a per-agent run did not finish"
    return Row("mesa.batch_run, per-agent Mesa, core rule", len(results), seconds, 0, busy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--core-replicates", type=int, default=40,
                        help="replicates per unit size in the core-rule sweep (3 sizes)")
    parser.add_argument("--per-agent-replicates", type=int, default=4,
                        help="replicates per unit size for batch_run (about 1 s per run)")
    parser.add_argument("--quick", action="store_true", help="10 and 2 replicates; skip the "
                        "225-run factorial spec")
    args = parser.parse_args()
    if args.quick:
        args.core_replicates, args.per_agent_replicates = 10, 2
    from experiments.sweeping import spec as spec_lib

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as tmp:
        root = Path(tmp)
        core = spec_lib.parse(CORE_SPEC.format(replicates=args.core_replicates),
                              name="core-rule")
        rows.append(linli("linli sweep, core rule (small-units)", core, args.workers, root))
        if not args.quick:
            factorial = spec_lib.load("unit-size-boards-groups")
            rows.append(linli("linli sweep, unit-size-boards-groups spec", factorial,
                              args.workers, root))
    rows.append(batch_run(args.per_agent_replicates, args.workers))
    report(rows, args.workers)


def report(rows: list[Row], workers: int) -> None:
    reference = rows[-1].per_minute
    print(f"\n{HOUSEHOLDS:,} households × {WEEKS} weeks per run, {workers} workers, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}, Mesa {mesa.__version__}")
    print(f"{'':44}{'runs':>6}{'failed':>8}{'wall s':>9}{'runs/min':>10}{'× batch_run':>13}"
          f"{'busy before':>13}")
    for row in rows:
        busy = "?" if row.busy_before is None else f"{row.busy_before:.1f} CPUs"
        print(f"{row.label:44}{row.runs:>6}{row.failed:>8}{row.seconds:>9.1f}"
              f"{row.per_minute:>10.0f}{row.per_minute / reference:>12.1f}x{busy:>13}")
    best = max(r.per_minute for r in rows[:-1])
    headline = next((r for r in rows if "spec" in r.label), rows[0])
    met = "met" if headline.per_minute >= TARGET_RUNS_PER_MINUTE else "NOT met"
    print(f"\ntarget ≥ {TARGET_RUNS_PER_MINUTE:.0f} community-scale runs/min on {workers} "
          f"workers: {headline.per_minute:.0f} ({headline.label}) — {met}; "
          f"best row {best:.0f}")


if __name__ == "__main__":
    main()
