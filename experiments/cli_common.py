"""Steps every ``linli`` command shares: loading a scenario and claiming ``--out``."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from experiments.terminal import fail, warn

if TYPE_CHECKING:
    import scenarios as scenario_lib


def load_scenario(name: str) -> scenario_lib.Scenario:
    """A scenario, or exit with its error; says so when a file sets nothing."""
    import scenarios as scenario_lib
    from model.params import ParameterError

    try:
        sc = scenario_lib.load(name)
    except (scenario_lib.ScenarioError, ParameterError) as err:
        fail(err)
    if not sc.overrides and len(sc.chain) == 1:
        warn(f"{sc.path} sets no parameters and extends no scenario: it runs the model's "
             "defaults")
    return sc


@contextlib.contextmanager
def claimed(out: Path, command: str, key: str, overwrite: bool = False,
            own: Callable[[Path], bool] | None = None, mark: bool = True) -> Iterator[Path]:
    """The output-directory guard (experiments.running.outdir) around a command's work,
    failing with its one-line message before any work."""
    from experiments.running.outdir import OutputError
    from experiments.running.outdir import claimed as guard

    try:
        with guard(out, command, key, overwrite=overwrite, own=own, mark=mark):
            yield out
    except OutputError as err:
        fail(err)


def workers_for(workers: int | None, scheduler: str | None) -> int | None:
    """The local workers to start: at most one per CPU (saying so when fewer than asked);
    with a scheduler, the cluster's (saying that --workers is not used)."""
    from experiments.running.limits import capped_workers

    if scheduler is not None and workers is not None:
        warn("--workers is not used with --scheduler: the cluster's workers run the tasks")
        return workers
    if workers is None:
        return None
    workers, note = capped_workers(workers)
    if note:
        warn(note)
    return workers
