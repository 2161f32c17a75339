"""The ``linli`` command line."""

from __future__ import annotations

import time
import warnings
from enum import StrEnum
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

import scenarios as scenario_lib
from experiments import research_cli
from experiments.reporting import compare as compare_lib
from experiments.running import output
from experiments.terminal import console, err_console
from experiments.terminal import fail as _fail
from model.core import LinliModel
from model.params import ParameterError
from trainer import cli as trainer_cli

app = typer.Typer(help="Linli (邻里): simulate resident participation in neighbourhood "
                       "co-governance.", no_args_is_help=True, add_completion=False)
scenarios_app = typer.Typer(help="List built-in scenarios, or show one resolved.",
                            invoke_without_command=True)
app.add_typer(scenarios_app, name="scenarios")

SUMMARY_COLUMNS = {  # column → short heading (the legend below the table explains them)
    "participation_rate": "weekly",
    "core_volunteers": "core",
    "ever_participated": "ever",
    "tie_density": "ties",
    "trust": "trust",
    "group_members": "members",
    "neighbour_head_coverage": "heads",
}
CO_LABELS = {"co_plan": "plan 共谋", "co_build": "build 共建", "co_manage": "manage 共管",
             "co_evaluate": "evaluate 共评", "co_share": "share 共享"}
LEGEND = ("weekly: households that took part this week; core: took part in 6 of the last 8 "
          "weeks; ever: took part at least once; ties: share of unit neighbours known; "
          "members: interest-group members; heads: households whose unit has a head.")


def _load(name: str) -> scenario_lib.Scenario:
    try:
        return scenario_lib.load(name)
    except (scenario_lib.ScenarioError, ParameterError) as err:
        _fail(str(err))
        raise  # unreachable


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help="Built-in scenario name or path to a .toml")],
    seed: Annotated[int, typer.Option(min=0, help="Random seed (same seed, same output)")] = 1,
    weeks: Annotated[int | None, typer.Option(min=1, help="Weeks to simulate")] = None,
    out: Annotated[Path | None, typer.Option(help="Output directory")] = None,
) -> None:
    """Run one scenario; write metrics.csv, metrics.parquet, units.csv and manifest.json."""
    sc = _load(scenario)
    weeks = weeks or sc.params.weeks
    out = out or Path("results") / sc.name
    start = time.perf_counter()
    model = LinliModel(sc.params, rng=seed, agents=False)
    model.run_for(weeks)
    seconds = time.perf_counter() - start
    frame = model.frame
    written = output.write_frame(out, "metrics", frame)
    units = out / "units.csv"
    output.atomic_write(units, lambda p: model.unit_summary().to_csv(p, index=False))
    manifest = {
        "scenario": sc.name,
        "scenario_file": str(sc.path),
        "extends_chain": list(sc.chain),
        "title": sc.title,
        "seed": seed,
        "weeks": weeks,
        "seconds": round(seconds, 3),
        "households": model.layout.households,
        "units": model.layout.units,
        "params": sc.params.model_dump(mode="json"),
        "versions": output.versions(),
    }
    output.write_json(out / "manifest.json", manifest)
    _print_summary(sc, model, seed, seconds)
    console.print(f"written: {', '.join(str(p) for p in [*written, units, out / 'manifest.json'])}")


def _print_summary(sc: scenario_lib.Scenario, model: LinliModel, seed: int,
                   seconds: float) -> None:
    frame, lay = model.frame, model.layout
    console.print(f"[bold]{sc.text('title', 'en')}[/] / {sc.text('title', 'zh')}")
    console.print(f"{lay.households:,} households in {lay.units:,} units "
                  f"(mean {lay.households / lay.units:.1f} households), "
                  f"{model.week} weeks, seed {seed}, {seconds:.2f} s")
    weeks = [w for w in (1, 13, 26, 52, 104) if w <= model.week]
    if model.week not in weeks:
        weeks.append(model.week)
    table = Table("week", *SUMMARY_COLUMNS.values())
    for w in weeks:
        row = frame.iloc[w - 1]
        cells = []
        for col in SUMMARY_COLUMNS:
            v = row[col]
            cells.append(f"{int(v):,}" if col == "group_members" else f"{100 * v:.1f}%")
        table.add_row(str(w), *cells)
    console.print(table)
    console.print(LEGEND, style="dim")
    _print_co_governance(model)


def _print_co_governance(model: LinliModel) -> None:
    """At the last week: what co-governance achieved, and the five co-s (if any is on)."""
    p, last = model.params, model.frame.iloc[-1]
    parts = []
    if p.problems.enabled:
        book = model.problems.totals
        parts.append(f"problems: {book['arisen']:,} arose, {last['share_reported']:.0%} "
                     f"reported ({last['courier_report_share']:.0%} by couriers), "
                     f"{book['fixed']:,} fixed, {last['mean_weeks_to_fix']:.1f} weeks to fix")
    if len(model.businesses):
        parts.append(f"businesses: {int(last['partnerships_active'])} of "
                     f"{len(model.businesses)} in partnership, "
                     f"{int(last['parking_shared'])} parking spaces shared")
    if p.commons.enabled:
        parts.append(f"shared spaces: quality {last['space_quality']:.2f}")
    if p.councils.enabled:
        parts.append(f"councils: turnout {last['council_turnout']:.0%}")
    if not parts:
        return
    console.print("; ".join(parts))
    console.print("five co-s (0–1): " + ", ".join(
        f"{label} {last[col]:.2f}" for col, label in CO_LABELS.items()))


class Lang(StrEnum):
    """Report languages."""

    zh = "zh"
    en = "en"


@app.command("compare")
def compare_scenarios(
    names: Annotated[list[str], typer.Argument(
        help="Two or more built-in scenario names or .toml paths; the first is the reference",
        show_default=False)],
    seeds: Annotated[int, typer.Option(min=2, help="Seeds per scenario (the same for all)")]
    = 30,
    weeks: Annotated[int, typer.Option(min=1, help="Weeks to simulate")] = 104,
    workers: Annotated[int, typer.Option(min=1, help="Parallel processes")] = 1,
    lang: Annotated[Lang, typer.Option(help="Report language")] = Lang.zh,
    out: Annotated[Path | None, typer.Option(
        help="Output directory (default: results/compare-<names>)")] = None,
) -> None:
    """Compare scenarios on the same seeds; write report.html, summary.csv, runs.parquet,
    plots and manifest.json."""
    from experiments.reporting import report  # matplotlib only when needed

    started = time.perf_counter()
    loaded = _load_all(names)
    out = out or Path("results") / ("compare-" + "-".join(sc.name for sc in loaded))
    comparison = _run_with_progress(loaded, seeds, weeks, workers)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        built, written = report.write(comparison, out, lang.value, started=started)
    for warning in caught:
        err_console.print(f"[bold yellow]warning:[/] {warning.message}", highlight=False)
    for name, lines in built.sentences.items():
        console.print(f"[bold]{report.title(comparison, name, lang.value)}[/]")
        for line in lines:
            console.print(f"  • {line}", highlight=False, soft_wrap=True)
    console.print(f"written to {out}: {', '.join(p.name for p in written)}")


def _load_all(names: list[str]) -> list[scenario_lib.Scenario]:
    """Load and validate every scenario before anything runs; names must differ."""
    if len(names) < 2:
        _fail("compare needs at least two scenarios (the first is the reference)")
    loaded = [_load(name) for name in names]
    seen: dict[str, str] = {}
    for name, sc in zip(names, loaded, strict=True):
        if sc.name in seen:
            _fail(f"two scenarios are both named '{sc.name}' ({seen[sc.name]} and {name}); "
                  "give each a different file name")
        seen[sc.name] = name
    return loaded


def _run_with_progress(loaded: list[scenario_lib.Scenario], seeds: int, weeks: int,
                       workers: int) -> compare_lib.Comparison:
    """``compare`` with a progress bar: runs done / total, elapsed and remaining time."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn())
    with Progress(*columns, console=console) as bar:
        task = bar.add_task("runs", total=len(loaded) * seeds)
        return compare_lib.compare(
            loaded, seeds=seeds, weeks=weeks, workers=workers,
            progress=lambda done, total: bar.update(task, completed=done, total=total))


@scenarios_app.callback()
def scenarios_list(ctx: typer.Context) -> None:
    """List the built-in and local scenarios with their titles."""
    if ctx.invoked_subcommand is not None:
        return
    table = Table()
    table.add_column("name", no_wrap=True)
    table.add_column("title")
    table.add_column("标题")
    for name, (path, where) in scenario_lib.available().items():
        label = name if where == "built-in" else f"{name} (local)"
        try:
            sc = scenario_lib.load(path)
            table.add_row(label, sc.text("title", "en"), sc.text("title", "zh"))
        except scenario_lib.ScenarioError as err:  # list it, with what is wrong
            table.add_row(label, f"[red]invalid: {err}[/]", "")
    console.print(table)


@scenarios_app.command("show")
def scenarios_show(name: str) -> None:
    """Print a scenario's fully resolved parameters."""
    import json

    sc = _load(name)
    console.print(f"[bold]{sc.name}[/] ({' → '.join(sc.chain)}): {sc.text('title')}")
    console.print_json(json.dumps(sc.params.model_dump(mode="json")))


research_cli.register(app)  # sweep, sensitivity, query (experiments/research_cli.py)
trainer_cli.register(app)  # app, animate (trainer/cli.py)

if __name__ == "__main__":
    app()
