"""The ``linli`` command line: ``run`` and ``compare`` here; ``scenarios`` (scenarios_cli),
the research commands (research_cli), the trainer's (trainer.cli) and the classroom
(classroom.cli) are added below.

Start-up is kept short: nothing heavier than Typer and Rich is imported until a command that
needs the model, pandas or matplotlib runs.
"""

from __future__ import annotations

import time
import warnings
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from classroom import cli as classroom_cli
from experiments import research_cli, scenarios_cli
from experiments.calibration import cli as calibration_cli
from experiments.cli_common import claimed, load_scenario
from experiments.running.limits import MAX_WEEKS, capped_workers
from experiments.terminal import cell, console, fail, say, warn
from experiments.validation import cli as validation_cli
from trainer import cli as trainer_cli

if TYPE_CHECKING:
    import scenarios as scenario_lib
    from experiments.reporting.compare import Comparison
    from experiments.reporting.posterior import Posterior
    from model.core import LinliModel

# Plain help and one-line usage errors: Typer's Rich panels import Markdown and traceback
# renderers that would double the start-up time of `linli --help` and of argument errors.
app = typer.Typer(help="Linli (邻里): simulate resident participation in neighbourhood "
                       "co-governance.", no_args_is_help=True, add_completion=False,
                  rich_markup_mode=None)
app.add_typer(scenarios_cli.app, name="scenarios")

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
          "weeks (so 0 in weeks 1–5); ever: took part at least once; ties: share of unit "
          "neighbours known; trust: mean trust, 0–1; members: interest-group members "
          "(households); heads: households whose unit has a head. –: not part of this "
          "scenario.")
NOT_PART = "not part of this scenario"

WeeksOption = Annotated[int | None, typer.Option(
    min=1, max=MAX_WEEKS, help=f"Weeks to simulate (at most {MAX_WEEKS:,})",
    show_default=False)]
OverwriteOption = Annotated[bool, typer.Option(
    "--overwrite", help="Write into --out even if it holds other output")]


@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help="Built-in scenario name or path to a .toml")],
    seed: Annotated[int, typer.Option(min=0, help="Random seed (same seed, same output)")] = 1,
    weeks: WeeksOption = None,
    out: Annotated[Path | None, typer.Option(
        help="Output directory (default: results/<scenario>)", show_default=False)] = None,
    overwrite: OverwriteOption = False,
) -> None:
    """Run one scenario; write metrics.csv, metrics.parquet, units.csv and manifest.json."""
    sc = load_scenario(scenario)
    weeks = weeks or sc.params.weeks
    out = out or Path("results") / sc.name
    with claimed(out, "run", sc.name, overwrite):
        from experiments.reporting.caveat import at_defaults
        from experiments.running import output
        from model.core import LinliModel

        start = time.perf_counter()
        model = LinliModel(sc.params, rng=seed, agents=False)
        model.run_for(weeks)
        seconds = time.perf_counter() - start
        written = output.write_frame(out, "metrics", model.frame)
        units = out / "units.csv"
        output.atomic_write(units, lambda p: model.unit_summary().to_csv(p, index=False))
        manifest = {
            "command": "run",
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
            "caveat": {lang: " ".join(at_defaults(lang, sc.params)) if lang == "en"
                       else "".join(at_defaults(lang, sc.params)) for lang in ("en", "zh")},
        }
        output.write_json(out / "manifest.json", manifest)
    print_summary(sc, model, seed, seconds)
    say("[dim]{text}[/]", text=manifest["caveat"]["en"])
    say("written: {files}", files=", ".join(map(str, [*written, units, out / "manifest.json"])))


def print_summary(sc: scenario_lib.Scenario, model: LinliModel, seed: int,
                  seconds: float) -> None:
    """Title, size, the key outputs at a few weeks, and what co-governance achieved."""
    from rich.table import Table

    from experiments.reporting.mechanisms import part_of

    frame, lay = model.frame, model.layout
    say("[bold]{en}[/] / {zh}", en=sc.text("title", "en"), zh=sc.text("title", "zh"))
    say("{n} households in {u} units (mean {m} households), {w} weeks, seed {s}, {t} s",
        n=f"{lay.households:,}", u=f"{lay.units:,}", m=f"{lay.households / lay.units:.1f}",
        w=model.week, s=seed, t=f"{seconds:.2f}")
    weeks = [w for w in (1, 13, 26, 52, 104) if w <= model.week]
    if model.week not in weeks:
        weeks.append(model.week)
    table = Table("week", *SUMMARY_COLUMNS.values())
    for w in weeks:
        row = frame.iloc[w - 1]
        cells = [str(w)]
        for col in SUMMARY_COLUMNS:
            v = row[col]
            if not part_of(col, model.params, [v]):
                cells.append("–")
            elif col == "group_members":
                cells.append(f"{int(v):,}")
            elif col == "trust":
                cells.append(f"{v:.2f}")
            else:
                cells.append(f"{100 * v:.1f}%")
        table.add_row(*(cell(c) for c in cells))
    console.print(table)
    say("[dim]{legend}[/]", legend=LEGEND)
    _print_caps(model)
    _print_co_governance(model)


def _print_caps(model: LinliModel) -> None:
    """Whether a safety cap bound: saturation must come from behaviour (ODD §7.5)."""
    from model import metrics

    bound = {cap: weeks for cap, weeks in metrics.caps_bound(model).items() if weeks}
    if bound:
        warn("caps that bound (behaviour did not stop growth): " + ", ".join(
            f"{cap} in {weeks} weeks" for cap, weeks in bound.items()))
    else:
        say("[dim]{text}[/]", text="no safety cap bound: every saturation came from behaviour.")


def _print_co_governance(model: LinliModel) -> None:
    """At the last week: what co-governance achieved, and the five co-s (if any is on)."""
    from experiments.reporting.mechanisms import part_of

    p, last = model.params, model.frame.iloc[-1]
    parts = []
    if p.problems.enabled:
        book = model.problems.totals
        fix = last["mean_weeks_to_fix"]
        by_couriers = (f" ({last['courier_report_share']:.0%} by couriers)"
                       if len(model.couriers) else "")
        parts.append(f"problems: {book['arisen']:,} arose, {last['share_reported']:.0%} "
                     f"reported{by_couriers}, {book['fixed']:,} fixed, "
                     f"{book['ignored']:,} reports ignored"
                     + (f", {fix:.1f} weeks to fix" if fix == fix else ""))
    if len(model.businesses):
        parts.append(f"businesses: {int(last['partnerships_active'])} of "
                     f"{len(model.businesses)} in partnership, "
                     f"{int(last['parking_shared'])} parking spaces shared")
    if p.commons.enabled:
        parts.append(f"shared spaces: quality {last['space_quality']:.2f} (0–1)")
    if p.councils.enabled:
        parts.append(f"councils: turnout {last['council_turnout']:.0%}")
    if not parts:
        return
    say("{parts}", parts="; ".join(parts))
    say("five co-s (0–1, higher is more): {cos}", cos=", ".join(
        f"{label} {last[col]:.2f}" if part_of(col, p, [last[col]]) else f"{label} {NOT_PART}"
        for col, label in CO_LABELS.items()))


class Lang(StrEnum):
    """Report languages."""

    zh = "zh"
    en = "en"


SEEDS, SEEDS_WITH_POSTERIOR, DRAWS = 30, 3, 20  # compare: seeds (per draw), draws
Plan = tuple[str, "Posterior | None", dict]  # variant, posterior, structural overrides


@app.command("compare")
def compare_scenarios(
    names: Annotated[list[str], typer.Argument(
        help="Two or more built-in scenario names or .toml paths; the first is the reference",
        show_default=False)],
    seeds: Annotated[int | None, typer.Option(
        min=2, max=100_000, help="Seeds per scenario, or with a posterior per parameter "
        "draw (the same for all) [default: 30, with a posterior 3]", show_default=False)]
    = None,
    draws: Annotated[int | None, typer.Option(
        min=2, max=10_000, help=f"Parameter sets drawn from the posterior [default: {DRAWS}]",
        show_default=False)] = None,
    posterior: Annotated[Path | None, typer.Option(
        help="Calibration posterior to draw parameter sets from (the output directory of "
             "linli calibrate) [default: the shipped experiments/calibration/posteriors/core "
             "if present]", show_default=False)] = None,
    no_posterior: Annotated[bool, typer.Option(
        "--no-posterior", help="Run every scenario at its own parameter values (chance "
                               "only, no parameter uncertainty)")] = False,
    variants: Annotated[bool, typer.Option(
        "--variants", help="Also run under every structural variant (experiments/"
                           "calibration/variants.py), each with its posterior, and flag "
                           "the conclusions that flip")] = False,
    weeks: Annotated[int, typer.Option(min=1, max=MAX_WEEKS,
                                       help=f"Weeks to simulate (at most {MAX_WEEKS:,})")]
    = 104,
    workers: Annotated[int, typer.Option(
        min=1, help="Parallel processes (at most one per CPU)")] = 1,
    lang: Annotated[Lang, typer.Option(help="Report language")] = Lang.zh,
    out: Annotated[Path | None, typer.Option(
        help="Output directory (default: results/compare-<names>)", show_default=False)]
    = None,
    overwrite: OverwriteOption = False,
) -> None:
    """Compare scenarios on the same seeds and parameter draws; write report.html,
    summary.csv, runs.parquet, plots and manifest.json (and variants.csv)."""
    from experiments.reporting import i18n

    started = time.perf_counter()
    loaded = _load_all(names)
    plans = _plans(posterior, no_posterior, variants)
    with_posterior = plans[0][1] is not None
    if draws is not None and not with_posterior:
        warn("--draws has no effect without a posterior: every run uses the scenarios' own "
             "parameter values")
    seeds = seeds or (SEEDS_WITH_POSTERIOR if with_posterior else SEEDS)
    draws = draws or DRAWS
    workers, note = capped_workers(workers)
    if note:
        warn(note)
    out = out or Path("results") / ("compare-" + "-".join(sc.name for sc in loaded))
    with claimed(out, "compare", " ".join(sc.name for sc in loaded), overwrite):
        from experiments.reporting import report

        done = _run_with_progress(loaded, plans, seeds, draws, weeks, workers, lang.value)
        comparison = next(iter(done.values()))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            built, written = report.write(comparison, out, lang.value, started=started,
                                          alternatives=done if variants else None)
    for warning in caught:
        warn(warning.message)
    for name, lines in built.sentences.items():
        say("[bold]{title}[/]", title=report.title(comparison, name, lang.value))
        for line in lines:
            say("  • {line}", line=line)
    say("[dim]{caveat}[/]", caveat=built.caveat)
    say("{written} {out}: {files}", written=i18n.t("written_to", lang.value), out=out,
        files=", ".join(p.name for p in written))



def _plans(path: Path | None, off: bool, variants: bool) -> list[Plan]:
    """What to run: one plan (the given, shipped or no posterior), or with ``variants``
    one per structural variant with its shipped posterior (none with ``off``)."""
    from experiments.calibration import variants as registry
    from experiments.reporting import posterior as posterior_lib

    if path is not None and off:
        fail("give --posterior or --no-posterior, not both")
    if path is not None and variants:
        fail("--variants draws each variant from its own shipped posterior "
             "(experiments/calibration/variants.py): leave out --posterior, or add "
             "--no-posterior to run the variants at the parameters' defaults")

    def read(where: Path) -> Posterior:
        try:
            return posterior_lib.load(where)
        except posterior_lib.PosteriorError as err:
            fail(str(err))

    if not variants:
        where = None if off else path or posterior_lib.default()
        return [(registry.MAIN, read(where) if where else None, {})]
    plans = []
    for variant in registry.VARIANTS.values():
        where = variant.posterior_dir
        if not off and not (where / "posterior.json").is_file():
            fail(f"variant '{variant.name}' needs the shipped posterior {where}, which is "
                 f"missing; make it with linli calibrate, or add --no-posterior")
        plans.append((variant.name, None if off else read(where), variant.overrides))
    return plans


def _load_all(names: list[str]) -> list[scenario_lib.Scenario]:
    """Load and validate every scenario before anything runs; names must differ."""
    if len(names) < 2:
        fail("compare needs at least two scenarios (the first is the reference)")
    loaded = [load_scenario(name) for name in names]
    seen: dict[str, str] = {}
    for name, sc in zip(names, loaded, strict=True):
        if sc.name in seen:
            fail(f"two scenarios are both named '{sc.name}' ({seen[sc.name]} and {name}); "
                 "give each a different file name")
        seen[sc.name] = name
    return loaded


def _run_with_progress(loaded: list[scenario_lib.Scenario], plans: list[Plan], seeds: int,
                       draws: int, weeks: int, workers: int, lang: str
                       ) -> dict[str, Comparison]:
    """``compare`` under every plan with one progress bar (labelled in ``lang``): runs
    done / total, elapsed and remaining time."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from experiments.reporting import compare as compare_lib
    from experiments.reporting import i18n

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn(i18n.t("progress_eta", lang)),
               TimeRemainingColumn())
    per_plan = [len(loaded) * seeds * (draws if post is not None else 1)
                for _, post, _ in plans]
    results: dict[str, Comparison] = {}
    with Progress(*columns, console=console) as bar:
        task = bar.add_task(i18n.t("progress_runs", lang), total=sum(per_plan))
        for k, (name, post, structure) in enumerate(plans):
            offset = sum(per_plan[:k])
            try:
                results[name] = compare_lib.compare(
                    loaded, seeds=seeds, weeks=weeks, workers=workers, posterior=post,
                    draws=draws, structure=structure,
                    progress=lambda done, _, offset=offset: bar.update(
                        task, completed=offset + done))
            except ValueError as err:  # a posterior fitted under another structure
                fail(str(err))
    return results


research_cli.register(app)  # sweep, sensitivity, query, discover, results
calibration_cli.register(app)  # calibrate (experiments/calibration/cli.py)
validation_cli.register(app)  # validate (experiments/validation/cli.py)
trainer_cli.register(app)  # app, animate (trainer/cli.py)
classroom_cli.register(app)  # classroom (classroom/cli.py)

if __name__ == "__main__":
    app()
