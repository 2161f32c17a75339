"""Researchers' commands: ``linli sweep``, ``results``, ``query``, ``sensitivity`` and
``discover``. ``register(app)`` adds them to the ``linli`` command line (experiments.cli)."""

from __future__ import annotations

import re
import shlex
import warnings
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from experiments.cli_common import claimed, workers_for
from experiments.terminal import cell, console, err_console, fail, say, warn

if TYPE_CHECKING:
    from experiments.analysis.sensitivity import Analysis
    from experiments.sweeping.spec import Spec
    from experiments.sweeping.sweep import Progress, SweepResult

SENSITIVITY_NOTES = {
    "sobol": ("S1: the share of the output's variation across the design that this parameter "
              "causes on its own; ST: the share it has a hand in, its interactions with other "
              "parameters included (ST much above S1: it acts through interactions). "
              "S1_conf, ST_conf: the index lies within ± this, with 95% confidence. Sorted by "
              "ST: near 0, the output hardly depends on the parameter over its range."),
    "morris": ("mu_star (μ*): how much the output changes, on average, when the parameter "
               "moves across its range (the importance); mu_star_conf: μ* lies within ± this, "
               "with 95% confidence; mu (μ): the same with signs (near 0 while μ* is large: "
               "the effect changes direction); sigma (σ): how much the change varies from "
               "place to place (large: non-linear or interacting). Sorted by μ*."),
}
SPREAD_NOTE = ("The line under each table: the output's value at the design points (each the "
               "mean of its replicates); an effect that is below 0 at some points and above at "
               "others can change sign within the parameters' ranges.")
ANALYSIS_FILE = re.compile(r"^(sobol|morris|prim|results)-.*\.(csv|png)$|^\.")
StoreArgument = Annotated[Path, typer.Argument(help="A sweep's results directory")]
OutputOption = Annotated[str, typer.Option(help="Weekly output column")]
WeekOption = Annotated[int | None, typer.Option(min=1, help="Week (default: the last kept)",
                                                show_default=False)]
AnalysisOut = Annotated[Path | None, typer.Option(
    help="Where to write the table and chart (default DIR/analysis)", show_default=False)]


@contextmanager
def _warnings_shown() -> Iterator[None]:
    """Print warnings raised inside as ``warning: …`` lines."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:  # also when what raised them fails: they may say why
            for w in caught:
                if issubclass(w.category, UserWarning) and "ipyparallel" not in str(w.message):
                    warn(w.message)


def sweep(
    spec: Annotated[str, typer.Argument(help="Spec .toml file, or the name of a shipped spec "
                                             "(experiments/sweeping/specs/)")],
    workers: Annotated[int | None, typer.Option(
        min=0, help="Local worker processes (default and most: one per CPU; 0: in this "
                    "process)", show_default=False)] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="Dask scheduler address (tcp://host:port): run on that cluster instead")] = None,
    out: Annotated[Path | None, typer.Option(
        help="Results directory (default results/sweeps/<spec name>)", show_default=False)]
    = None,
    retry_failed: Annotated[bool, typer.Option(
        "--retry-failed", help="Also run again the runs that failed before")] = False,
    batch_size: Annotated[int | None, typer.Option(
        min=1, help="Runs per task (default: sized to ~2 s of work)", show_default=False)]
    = None,
) -> None:
    """Run a spec's design (or resume it); results go to a store that `linli results`,
    `query`, `sensitivity` and `discover` read."""
    from experiments.sweeping import spec as spec_lib

    with _warnings_shown():
        try:
            loaded = spec_lib.load(spec)
        except spec_lib.SpecError as err:
            fail(err)
    workers = workers_for(workers, scheduler)
    where = out or Path("results") / "sweeps" / loaded.name
    with claimed(where, "sweep", loaded.name, own=_is_store, mark=False):
        result = _sweep_with_progress(loaded, where, workers, scheduler, retry_failed,
                                      batch_size)
    _print_sweep(result, loaded.source)


def _is_store(directory: Path) -> bool:
    """Whether ``directory`` holds a store (or the start of one), which the store's own
    check then compares with the spec."""
    from experiments.sweeping.store import Store

    return not Store(directory).foreign()


def _sweep_with_progress(loaded: Spec, where: Path, workers: int | None, scheduler: str | None,
                         retry_failed: bool, batch_size: int | None) -> SweepResult:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from experiments.sweeping.store import StoreError
    from experiments.sweeping.sweep import SweepError, run_sweep

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("[red]{task.fields[failed]} failed or lost"), TimeElapsedColumn(),
               TextColumn("ETA"), TimeRemainingColumn())
    bar = Progress(*columns, console=console)
    task = bar.add_task("runs", total=None, failed=0)

    def show(p: Progress) -> None:  # the bar appears once the store is locked, runs known
        bar.start()
        bar.update(task, completed=p.done, total=p.total, failed=p.failed)

    try:
        return run_sweep(loaded, where, workers=workers, scheduler=scheduler,
                         retry_failed=retry_failed, batch_size=batch_size, progress=show)
    except (StoreError, SweepError) as err:
        bar.stop()
        fail(err)
    except OSError as err:
        bar.stop()
        fail(f"cannot write to {where}: {err.strerror or err}; the runs finished so far are "
             "saved: make it writable and run the same command again")
    except KeyboardInterrupt:
        bar.stop()
        say("interrupted: finished runs are saved in {where}; run the same command again to "
            "resume", to=err_console, where=where)
        raise typer.Exit(code=130) from None
    finally:
        bar.stop()


def _print_sweep(result: SweepResult, source: str) -> None:
    """Where the store stands, what this sweep did, warnings, and the next commands."""
    status = result.status
    ok, failed, lost = (status.get(s, 0) for s in ("ok", "failed", "lost"))
    rate = f", {result.runs_per_minute:,.0f} runs/min" if result.ran else ""
    say("{total} runs in the design: {ok} ok, {failed} failed, {lost} lost. This sweep ran "
        "{ran} ({rok} ok, {rfailed} failed, {rlost} lost) in {s} s{rate}; {skipped} were done "
        "before. Results in {dir}", total=f"{result.total:,}", ok=f"{ok:,}",
        failed=f"{failed:,}", lost=f"{lost:,}", ran=f"{result.ran:,}", rok=f"{result.ok:,}",
        rfailed=f"{result.failed:,}", rlost=f"{result.lost:,}", s=f"{result.seconds:.1f}",
        rate=rate, skipped=f"{result.skipped:,}", dir=result.directory)
    d = shlex.quote(str(result.directory))
    for path, why in result.quarantined:
        warn(f"damaged chunk {path.name} ({why}) was moved to {path.parent}; its runs ran "
             "again")
    if failed:
        warn(f"{failed:,} runs failed (an error in the model or its parameters); see them with "
             f"linli query {d} \"select point, replicate, error from runs where status = "
             f"'failed'\" and run them again with linli sweep {shlex.quote(source)} --out {d} "
             "--retry-failed")
    if lost:
        warn(f"{lost:,} runs were lost with their worker or scheduler (not the model's fault); "
             f"run the same command again to run them (no --retry-failed needed)")
    say("[bold]next:[/] linli results {d}    [dim]# outputs by design point, table and plot[/]"
        "\n      linli query {d} \"select * from runs limit 5\"    [dim]# SQL: tables runs, "
        "attempts, metrics, design[/]"
        "\n      linli sensitivity {d}    [dim]# Sobol or Morris designs: which parameters "
        "matter[/]"
        "\n      linli discover {d} --threshold 0.3    [dim]# which parameter ranges keep an "
        "output above 0.3[/]", d=d)


def results(
    directory: StoreArgument,
    output: OutputOption = "participation_rate",
    week: WeekOption = None,
    sort: Annotated[bool, typer.Option(
        "--sort", help="Sort the points by the output, highest first")] = False,
    out: AnalysisOut = None,
) -> None:
    """A sweep's outputs by design point, without SQL: each point's parameters, its runs,
    and one output at one week (mean over replicates, 95% interval); writes the table as CSV
    and a plot of the output against each parameter as PNG."""
    from experiments import tables
    from experiments.analysis import results as results_lib

    with _analysis_dir(directory, out) as target:
        found = _analysed(lambda: results_lib.by_point(directory, output, week))
        written = results_lib.write(found, target)
    t = found.table
    if sort:
        t = t.sort_values("mean", ascending=False, na_position="last")
    interval = [f"{lo:.4g} – {hi:.4g}" if hi == hi else "" for lo, hi in zip(
        t["low"], t["high"], strict=True)]
    shown = t[["point", *found.parameters, "ok", "failed", "lost", "mean"]].assign(
        **{"95% interval": interval})
    say("[bold]{output}[/] at week {week}, by design point", output=output, week=found.week)
    tables.show(shown, what="points")
    say("[dim]ok / failed / lost: runs of the point (lost: with a worker, run again by the "
        "next sweep); mean: of the replicates that ran ok; 95% interval: where the mean of "
        "many more replicates would lie, with 95% confidence (blank with one replicate)[/]")
    say("written: {files}", files=", ".join(map(str, written)))


def sensitivity(
    directory: StoreArgument,
    output: Annotated[list[str] | None, typer.Option(
        help="Weekly output column; repeat for several (default: participation_rate, or every "
             "output if the sweep has no participation_rate)", show_default=False)] = None,
    week: WeekOption = None,
    top: Annotated[int | None, typer.Option(
        min=1, help="Show only the N most important parameters of each output (the CSV has "
                    "them all)", show_default=False)] = None,
    out: AnalysisOut = None,
) -> None:
    """Sobol indices (S1, ST with confidence intervals) or Morris μ*/σ of one or more outputs,
    averaging replicates per design point, most important parameter first, and how each
    output is spread over the design (where it is below 0); writes a CSV table and a PNG bar
    chart per output."""
    from experiments.analysis import sensitivity as sa

    with _analysis_dir(directory, out) as target:
        analyses = _analysed(lambda: sa.analyse_all(directory, _outputs(directory, output),
                                                    week))
        written = [path for analysis in analyses for path in sa.write(analysis, target)]
    for note in dict.fromkeys(n for analysis in analyses for n in analysis.warnings):
        warn(note)
    for analysis in analyses:
        _show_sensitivity(analysis, top)
    say("[dim]{notes}[/]", notes=SENSITIVITY_NOTES[analyses[0].method] + " " + SPREAD_NOTE)
    say("written: {files}", files=", ".join(map(str, written)))


def _outputs(directory: Path, chosen: list[str] | None) -> list[str] | None:
    """The outputs asked for; by default participation_rate if kept, else all (None)."""
    if chosen:
        return list(dict.fromkeys(chosen))
    from experiments.sweeping.store import Store, StoreError

    try:
        kept = Store(directory).metrics().columns
    except StoreError:
        return ["participation_rate"]  # analyse() then says what is wrong
    return ["participation_rate"] if "participation_rate" in kept else None


def _show_sensitivity(analysis: Analysis, top: int | None) -> None:
    """One output's table, most important first, and its spread over the design."""
    t = analysis.table if top is None else analysis.table.head(top)
    table = Table(title=cell(f"{analysis.method}: {analysis.output}, week {analysis.week}"),
                  title_justify="left")
    for name in t.columns:
        table.add_column(cell(name))
    for row in t.itertuples(index=False):
        table.add_row(cell(row[0]), *(cell(f"{v:.3f}") for v in row[1:]))
    console.print(table)
    if top is not None and top < len(analysis.table):
        say("[dim]… and {n} less important parameters (in the CSV)[/]",
            n=len(analysis.table) - top)
    s = analysis.spread
    assert s is not None
    say("{output} over the {n} design points: median {median} (90% of points within {q05} to "
        "{q95}; all within {low} to {high}); below 0 at {neg} of the points, above 0 at {pos}",
        output=analysis.output, n=f"{s.points:,}", median=f"{s.median:.4g}",
        q05=f"{s.q05:.4g}", q95=f"{s.q95:.4g}", low=f"{s.low:.4g}", high=f"{s.high:.4g}",
        neg=_share(s.negative), pos=_share(s.positive))


def _share(x: float) -> str:
    """A share as a percentage, never rounding a few points to 0% or all but a few to 100%."""
    if 0 < x < 0.001:
        return "<0.1%"
    if 0.999 < x < 1:
        return ">99.9%"
    return f"{x:.1%}" if x < 0.1 or x > 0.9 else f"{x:.0%}"


def query(
    directory: StoreArgument,
    sql: Annotated[str, typer.Argument(help="One SELECT over the tables runs, attempts, "
                                            "metrics, design (a classroom session: "
                                            "decisions, weekly)")],
    out: Annotated[Path | None, typer.Option(
        help="Write the result to a .csv or .parquet file instead of printing it",
        show_default=False)] = None,
) -> None:
    """Query a sweep's results with DuckDB SQL (read-only: one SELECT, these tables only).

    Tables: `runs` (one row per run, its latest attempt), `attempts` (every attempt),
    `metrics` (the kept weekly outputs) and `design` (one row per design point). Parameter
    columns are named section.name: write them in double quotes, "structure.unit_size".

    A classroom session's folder (from `linli classroom --out`) has the tables `decisions`
    (one row per player per round: role, what the player saw, the decision, the rule's
    inputs and what the model household did in the shadow world) and `weekly` (the room's
    and the shadow world's weekly outputs, column `world`)."""
    from experiments import tables
    from experiments.running.output import atomic_write
    from experiments.sweeping.query import QueryError, is_session, run, run_session
    from experiments.sweeping.store import Store, StoreError

    if out is not None:
        _check_query_out(out, directory)
    try:
        with _warnings_shown():
            frame = run_session(directory, sql) if is_session(directory) else \
                run(Store(directory), sql)
    except (QueryError, StoreError) as err:
        fail(err)
    if out is None:
        tables.show(frame)
        return
    if out.suffix == ".csv":
        atomic_write(out, lambda p: frame.to_csv(p, index=False))
    else:
        atomic_write(out, lambda p: frame.to_parquet(p, index=False))
    say("{n} rows written to {out}", n=f"{len(frame):,}", out=out)


def _check_query_out(out: Path, directory: Path) -> None:
    """A .csv or .parquet file we can write, and not inside the store (but its analysis/)."""
    from experiments.running.outdir import OutputError, check_file

    try:
        check_file(out, (".csv", ".parquet"))
    except OutputError as err:
        fail(err)
    store, target = directory.resolve(), out.resolve()
    if target.is_relative_to(store) and not target.is_relative_to(store / "analysis"):
        fail(f"--out {out} is inside the results directory {directory}, which only sweeps "
             f"write; write to {directory / 'analysis'} or somewhere else")


def discover(
    directory: StoreArgument,
    output: OutputOption = "participation_rate",
    week: WeekOption = None,
    threshold: Annotated[float, typer.Option(help="Cases of interest pass this value")] = 0.3,
    below: Annotated[bool, typer.Option(
        "--below", help="Cases of interest are below the threshold (default: above)")] = False,
    min_coverage: Annotated[float | None, typer.Option(
        min=0, max=1, help="Choose the densest box covering at least this share of the cases "
                           "(default: PRIM's last box)", show_default=False)] = None,
    out: Annotated[Path | None, typer.Option(
        help="Where to write the box and its plot (default DIR/analysis)", show_default=False)]
    = None,
) -> None:
    """Scenario discovery with PRIM: which ranges of the varied parameters keep an output
    above (or below) a threshold; writes the box as CSV and a plot as PNG."""
    from experiments.analysis import discovery

    with _analysis_dir(directory, out) as target:
        found = _analysed(lambda: discovery.discover(directory, output, week, threshold,
                                                     below, min_coverage))
        written = discovery.write(found, target)
    say("[bold]{condition}[/]: {n} of {cases} runs. Box {chosen}: coverage {c}, density {d}, "
        "mass {m}", condition=found.condition, n=f"{found.of_interest:,}",
        cases=f"{found.cases:,}", chosen=found.chosen, c=f"{found.coverage:.0%}",
        d=f"{found.density:.0%}", m=f"{found.mass:.0%}")
    table = Table("parameter", "box", "sampled")
    for row in found.box.itertuples():
        if not row.restricted:
            continue
        if row.values:
            table.add_row(cell(row.parameter), cell(row.values), "")
        else:
            table.add_row(cell(row.parameter), cell(f"{row.low:.4g} – {row.high:.4g}"),
                          cell(f"{row.sampled_low:.4g} – {row.sampled_high:.4g}"))
    console.print(table)
    say("[dim]coverage: share of the runs of interest inside the box; density: share of the "
        "runs inside the box that are of interest; mass: share of all runs inside it[/]")
    say("written: {files}", files=", ".join(map(str, written)))


def _analysed[T](compute: Callable[[], T]) -> T:
    from experiments.analysis.sensitivity import AnalysisError
    from experiments.sweeping.store import StoreError

    try:
        with _warnings_shown():
            return compute()
    except (AnalysisError, StoreError) as err:
        fail(err)


def _analysis_dir(directory: Path, out: Path | None) -> AbstractContextManager[Path]:
    """The guard on an analysis's output folder (default DIR/analysis), before any work."""
    from experiments.sweeping.store import Store, StoreError

    try:
        key = Store(directory).info()["fingerprint"]
    except StoreError as err:
        fail(err)
    return claimed(out or directory / "analysis", "analysis", key, own=_only_analyses)


def _only_analyses(directory: Path) -> bool:
    """Whether ``directory`` holds nothing but analyses' files (written before markers)."""
    return all(ANALYSIS_FILE.match(p.name) for p in directory.iterdir())


def register(app: typer.Typer) -> None:
    """Add the research commands to ``app``."""
    app.command("sweep")(sweep)
    app.command("results")(results)
    app.command("query")(query)
    app.command("sensitivity")(sensitivity)
    app.command("discover")(discover)
