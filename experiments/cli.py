"""The ``linli`` command line."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

import scenarios as scenario_lib
from model.core import LinliModel
from model.params import ParameterError

from . import output

app = typer.Typer(help="Linli (邻里): simulate resident participation in neighbourhood "
                       "co-governance.", no_args_is_help=True, add_completion=False)
scenarios_app = typer.Typer(help="List built-in scenarios, or show one resolved.",
                            invoke_without_command=True)
app.add_typer(scenarios_app, name="scenarios")
console = Console()
err_console = Console(stderr=True)

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


def _fail(message: str) -> None:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code=2)


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


@scenarios_app.callback()
def scenarios_list(ctx: typer.Context) -> None:
    """List the built-in scenarios with their titles."""
    if ctx.invoked_subcommand is not None:
        return
    table = Table()
    table.add_column("name", no_wrap=True)
    table.add_column("title")
    table.add_column("标题")
    for name in scenario_lib.builtin_names():
        sc = _load(name)
        table.add_row(name, sc.text("title", "en"), sc.text("title", "zh"))
    console.print(table)


@scenarios_app.command("show")
def scenarios_show(name: str) -> None:
    """Print a scenario's fully resolved parameters."""
    import json

    sc = _load(name)
    console.print(f"[bold]{sc.name}[/] ({' → '.join(sc.chain)}): {sc.text('title')}")
    console.print_json(json.dumps(sc.params.model_dump(mode="json")))


if __name__ == "__main__":
    app()
