"""Limits every command applies: the longest horizon, and no more processes than CPUs."""

from __future__ import annotations

import os

MAX_WEEKS = 5200  # 100 years, as model.params.Params.weeks allows (scenario and spec files)


def cpus() -> int:
    """CPUs this process may use (its affinity, where the system tells)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def capped_workers(asked: int) -> tuple[int, str | None]:
    """(workers to start, a note when fewer than asked): at most one per CPU."""
    available = cpus()
    if asked <= available:
        return asked, None
    return available, (f"--workers {asked:,} is more than the {available} CPU"
                       f"{'s' if available > 1 else ''} here: using {available} (more "
                       "processes than CPUs only slow a run down; use --scheduler to run on "
                       "a cluster)")
