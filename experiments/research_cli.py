"""Researchers' commands: ``linli sweep``, ``sensitivity``, ``query`` and ``discover``.

``register(app)`` adds them to the ``linli`` command line (called by experiments.cli).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from experiments.terminal import console, err_console
from experiments.terminal import fail as _fail

QUERY_ROWS = 40  # rows printed by `linli query` (all of them go to --out)


@contextmanager
def _warnings_shown() -> Iterator[None]:
    """Print warnings raised inside as ``warning: …`` lines."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        if issubclass(w.category, UserWarning) and "ipyparallel" not in str(w.message):
            err_console.print(f"[bold yellow]warning:[/] {w.message}", highlight=False)


def sweep(
    spec: Annotated[str, typer.Argument(help="Spec .toml file, or the name of a shipped spec "
                                             "(experiments/sweeping/specs/)")],
    workers: Annotated[int | None, typer.Option(
        min=0, help="Local worker processes (default: one per CPU; 0: in this process)",
        show_default=False)] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="Dask scheduler address (tcp://host:port): run on that cluster instead")] = None,
    out: Annotated[Path | None, typer.Option(
        help="Results directory (default results/sweeps/<spec name>)")] = None,
    retry_failed: Annotated[bool, typer.Option(
        "--retry-failed", help="Also run again the runs that failed before")] = False,
    batch_size: Annotated[int | None, typer.Option(
        min=1, help="Runs per task (default: sized to ~2 s of work)")] = None,
) -> None:
    """Run a spec's design (or resume it); results go to a store that `linli query`,
    `linli sensitivity` and `linli discover` read."""
    from experiments.sweeping import spec as spec_lib
    from experiments.sweeping.store import StoreError
    from experiments.sweeping.sweep import SweepError, run_sweep

    with _warnings_shown():
        try:
            loaded = spec_lib.load(spec)
        except spec_lib.SpecError as err:
            _fail(str(err))
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("[red]{task.fields[failed]} failed"), TimeElapsedColumn(),
               TextColumn("ETA"), TimeRemainingColumn())
    where = out or Path("results") / "sweeps" / loaded.name
    bar = Progress(*columns, console=console)
    task = bar.add_task("runs", total=None, failed=0)

    def show(p) -> None:  # the bar appears once the store is locked and the runs are known
        bar.start()
        bar.update(task, completed=p.done, total=p.total, failed=p.failed)

    try:
        result = run_sweep(loaded, where, workers=workers, scheduler=scheduler,
                           retry_failed=retry_failed, batch_size=batch_size, progress=show)
    except (StoreError, SweepError) as err:
        bar.stop()
        _fail(str(err))
    except KeyboardInterrupt:
        bar.stop()
        err_console.print(f"interrupted: finished runs are saved in {where}; run the same "
                          "command again to resume")
        raise typer.Exit(code=130) from None
    bar.stop()
    rate = f", {result.runs_per_minute:,.0f} runs/min" if result.ran else ""
    console.print(f"{result.total:,} runs: {result.ok:,} ran ok, {result.failed:,} failed, "
                  f"{result.skipped:,} done before; {result.seconds:.1f} s{rate}. "
                  f"Results in {result.directory}")
    if result.failed:
        err_console.print(
            f"[bold yellow]warning:[/] {result.failed} runs failed; see them with "
            f"linli query {result.directory} \"select point, replicate, error from runs where "
            "status = 'failed'\" and run them again with --retry-failed", highlight=False)


def sensitivity(
    directory: Annotated[Path, typer.Argument(help="A sweep's results directory")],
    output: Annotated[str, typer.Option(help="Weekly output column")] = "participation_rate",
    week: Annotated[int | None, typer.Option(min=1, help="Week (default: the last)")] = None,
    out: Annotated[Path | None, typer.Option(
        help="Where to write the table and chart (default DIR/analysis)")] = None,
) -> None:
    """Sobol indices (S1, ST with confidence intervals) or Morris μ*/σ of one output,
    averaging replicates per design point; writes a CSV table and a PNG bar chart."""
    from experiments.analysis import sensitivity as sa

    analysis = _analysed(lambda: sa.analyse(directory, output, week))
    for note in analysis.warnings:
        err_console.print(f"[bold yellow]warning:[/] {note}", highlight=False)
    table = Table(*analysis.table.columns, title=f"{analysis.method}: {output}, week "
                  f"{analysis.week}")
    for row in analysis.table.itertuples(index=False):
        table.add_row(row[0], *(f"{v:.3f}" for v in row[1:]))
    console.print(table)
    written = sa.write(analysis, out or directory / "analysis")
    console.print(f"written: {', '.join(str(p) for p in written)}")


def query(
    directory: Annotated[Path, typer.Argument(help="A sweep's results directory")],
    sql: Annotated[str, typer.Argument(help="SQL over the views runs, attempts, metrics, "
                                            "design")],
    out: Annotated[Path | None, typer.Option(
        help="Write the result to a .csv or .parquet file instead of printing it")] = None,
) -> None:
    """Query a sweep's results with DuckDB (SQL).

    Views: `runs` (one row per run, its latest attempt), `attempts` (every attempt), `metrics`
    (the kept weekly outputs) and `design` (one row per design point)."""
    import duckdb

    from experiments.running.output import atomic_write
    from experiments.sweeping.store import Store, StoreError

    if out is not None and out.suffix not in (".csv", ".parquet"):
        _fail(f"--out must end in .csv or .parquet (got {out.name})")
    try:
        con = Store(directory).connect()
        frame = con.execute(sql).df()
    except StoreError as err:
        _fail(str(err))
    except duckdb.Error as err:
        _fail(f"query failed: {err}")
    if out is not None:
        if out.suffix == ".csv":
            atomic_write(out, lambda p: frame.to_csv(p, index=False))
        else:
            atomic_write(out, lambda p: frame.to_parquet(p, index=False))
        console.print(f"{len(frame):,} rows written to {out}")
        return
    table = Table(*map(str, frame.columns))
    for row in frame.head(QUERY_ROWS).itertuples(index=False):
        table.add_row(*(_cell(v) for v in row))
    console.print(table)
    if len(frame) > QUERY_ROWS:
        console.print(f"… {len(frame) - QUERY_ROWS:,} more rows ({len(frame):,} in all); "
                      "write them all with --out FILE.csv", style="dim")


def discover(
    directory: Annotated[Path, typer.Argument(help="A sweep's results directory")],
    output: Annotated[str, typer.Option(help="Weekly output column")] = "participation_rate",
    week: Annotated[int | None, typer.Option(min=1, help="Week (default: the last)")] = None,
    threshold: Annotated[float, typer.Option(help="Cases of interest pass this value")] = 0.3,
    below: Annotated[bool, typer.Option(
        "--below", help="Cases of interest are below the threshold (default: above)")] = False,
    min_coverage: Annotated[float | None, typer.Option(
        min=0, max=1, help="Choose the densest box covering at least this share of the cases "
                           "(default: PRIM's last box)")] = None,
    out: Annotated[Path | None, typer.Option(
        help="Where to write the box and its plot (default DIR/analysis)")] = None,
) -> None:
    """Scenario discovery with PRIM: which ranges of the varied parameters keep an output
    above (or below) a threshold; writes the box as CSV and a plot as PNG."""
    from experiments.analysis import discovery

    found = _analysed(lambda: discovery.discover(directory, output, week, threshold, below,
                                                 min_coverage))
    console.print(f"[bold]{found.condition}[/]: {found.of_interest:,} of {found.cases:,} runs. "
                  f"Box {found.chosen}: coverage {found.coverage:.0%}, density "
                  f"{found.density:.0%}, mass {found.mass:.0%}")
    table = Table("parameter", "box", "sampled")
    for row in found.box.itertuples():
        if not row.restricted:
            continue
        if row.values:
            table.add_row(row.parameter, row.values, "")
        else:
            table.add_row(row.parameter, f"{row.low:.4g} – {row.high:.4g}",
                          f"{row.sampled_low:.4g} – {row.sampled_high:.4g}")
    console.print(table)
    written = discovery.write(found, out or directory / "analysis")
    console.print(f"written: {', '.join(str(p) for p in written)}")


def _analysed[T](compute: Callable[[], T]) -> T:
    from experiments.analysis.sensitivity import AnalysisError
    from experiments.sweeping.store import StoreError

    try:
        with _warnings_shown():
            return compute()
    except (AnalysisError, StoreError) as err:
        _fail(str(err))


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def register(app: typer.Typer) -> None:
    """Add the research commands to ``app``."""
    app.command("sweep")(sweep)
    app.command("sensitivity")(sensitivity)
    app.command("query")(query)
    app.command("discover")(discover)
