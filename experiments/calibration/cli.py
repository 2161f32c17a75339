"""``linli calibrate``; ``register(app)`` adds it to the ``linli`` command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from experiments.cli_common import claimed, workers_for
from experiments.running.limits import cpus
from experiments.terminal import console, fail, say


def calibrate(
    spec: Annotated[str, typer.Argument(help="Calibration spec .toml, or the name of a shipped "
                                             "one (experiments/calibration/specs/)")],
    out: Annotated[Path | None, typer.Option(
        help="Output directory (default results/calibration/<spec name>)", show_default=False)]
    = None,
    workers: Annotated[int | None, typer.Option(
        min=0, help="Local worker processes (default and most: one per CPU; 0: in this "
                    "process)", show_default=False)] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="Dask scheduler address (tcp://host:port): run on that cluster instead")] = None,
) -> None:
    """Fit the spec's free parameters to its calibration targets (screening, then ABC-SMC),
    and check every target against the posterior. Run the same command again to resume."""
    from experiments.calibration import spec as spec_lib

    try:
        loaded = spec_lib.load(spec)
    except spec_lib.SpecError as err:
        fail(err)
    workers = workers_for(workers, scheduler)
    workers = cpus() if workers is None else workers
    where = out or Path("results") / "calibration" / loaded.name
    with claimed(where, "calibrate", loaded.name):
        result = _with_progress(loaded, where, workers, scheduler)
    _print(result, where)


def _with_progress(loaded, where: Path, workers: int, scheduler: str | None):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from experiments.calibration.calibrate import calibrate as run

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("accepted"), TimeElapsedColumn())
    with Progress(*columns, console=console) as bar:
        task = bar.add_task("starting", total=None)

        def show(stage: str, done: int, total: int) -> None:
            bar.update(task, description=stage, completed=done, total=total)

        try:
            return run(loaded, where, workers=workers, scheduler=scheduler, progress=show)
        except KeyboardInterrupt:
            bar.stop()
            fail("interrupted: every simulation finished so far is saved; run the same command "
                 "again to resume")
        except OSError as err:
            bar.stop()
            fail(f"cannot write to {where}: {err.strerror or err}; what finished is saved: "
                 "make it writable and run the same command again")


def _print(result, where: Path) -> None:
    say("[bold]{title}[/]", title=result.spec.title or result.spec.name)
    say("{n} simulations, {g} generations, final tolerance {e} (root mean squared distance "
        "to the targets, in units of their uncertainty)", n=f"{result.simulations:,}",
        g=result.generations, e=f"{result.epsilon:.2f}")
    for row in result.summary.itertuples():
        pinned = ("pinned down by the targets" if row.pinned
                  else "NOT pinned down (posterior ≈ prior)")
        say("  {p}: {m} (90% interval {lo} to {hi}; prior {a} to {b}) — {note}",
            p=row.parameter, m=f"{row.mean:.3g}", lo=f"{row.low:.3g}", hi=f"{row.high:.3g}",
            a=f"{row.prior_low:g}", b=f"{row.prior_high:g}", note=pinned)
    for name, value in result.fixed.items():
        say("  {p}: kept at {v} (screening: it moves the targets little)", p=name,
            v=f"{value:g}")
    checks = result.predictive
    for role in ("calibrate", "validate"):
        rows = checks[checks.role == role]
        say("{role} targets: {k} of {n} within their observed range", role=role,
            k=int(rows.passes.sum()), n=len(rows))
    say("written to {where}: posterior.parquet, posterior.json, parameters.csv, screening.csv, "
        "predictive.csv, report.md, plots", where=where)


def register(app: typer.Typer) -> None:
    app.command("calibrate")(calibrate)
