"""``linli validate``: the validation scorecard on the command line. ``register(app)`` adds
it to ``linli`` (experiments.cli). Nothing heavy is imported until the command runs."""

from __future__ import annotations

import shlex
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from experiments.cli_common import claimed
from experiments.running.limits import capped_workers, cpus
from experiments.terminal import cell, console, fail, say, warn

if TYPE_CHECKING:
    from experiments.calibration.targets import Library

    from .patterns import Pattern
    from .posterior import Posterior
    from .scorecard import Scorecard


class Lang(StrEnum):
    """Scorecard languages."""

    zh = "zh"
    en = "en"


def validate(
    posterior: Annotated[Path | None, typer.Option(
        help="A calibration's output directory (linli calibrate): draw parameter sets from its "
             "posterior as well as seeds (default: the model's defaults, seeds only)",
        show_default=False)] = None,
    out: Annotated[Path, typer.Option(help="Output directory")] = Path("results/validation"),
    lang: Annotated[Lang, typer.Option(help="Language of scorecard.md and .html")] = Lang.zh,
    quick: Annotated[bool, typer.Option(
        "--quick", help="Few seeds and draws (minutes; CI): rough intervals")] = False,
    seeds: Annotated[int | None, typer.Option(
        min=1, max=1000, help="Seeds per parameter set (default: 20 at the defaults, 2 per "
                              "posterior draw; --quick: 4, 1)", show_default=False)] = None,
    draws: Annotated[int | None, typer.Option(
        min=1, max=10_000, help="Parameter sets drawn from the posterior (default 20; --quick "
                                "4)", show_default=False)] = None,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Parallel processes (default and most: one per CPU)",
        show_default=False)] = None,
    target: Annotated[list[str] | None, typer.Option(
        "--target", help="Only this target (repeat for more; default: all)",
        show_default=False)] = None,
    pattern: Annotated[list[str] | None, typer.Option(
        "--pattern", help="Only this pattern (repeat for more; default: all)",
        show_default=False)] = None,
    docs: Annotated[bool, typer.Option(
        "--docs", help="Also write the English Markdown to docs/VALIDATION.md")] = False,
    overwrite: Annotated[bool, typer.Option(
        "--overwrite", help="Write into --out even if it holds other output")] = False,
) -> None:
    """The validation scorecard: every field target against the model (calibration targets
    marked as such), and every mechanism pattern with its negative controls; writes
    scorecard.md, scorecard.html, scorecard.csv and manifest.json."""
    from experiments.calibration.targets import TargetError, load
    from model.params import ParameterError

    from . import patterns as patterns_lib
    from .posterior import PosteriorError
    from .posterior import load as load_posterior

    if docs and (quick or target or pattern):
        fail("--docs writes the full scorecard: leave out --quick, --target and --pattern")
    if draws is not None and posterior is None:
        fail("--draws needs --posterior DIR (without it the model's defaults are used)")
    try:
        library = load().select(target) if target else load()
        chosen = patterns_lib.select(pattern)
        post = load_posterior(posterior) if posterior is not None else None
    except (TargetError, PosteriorError, ValueError) as err:
        fail(err)
    mode = "quick" if quick else "full"
    if post is None:
        seeds = seeds or {"quick": 4, "full": 20}[mode]
    else:
        seeds = seeds or {"quick": 1, "full": 2}[mode]
        draws = draws or {"quick": 4, "full": 20}[mode]
    if workers is None:
        workers = cpus()
    else:
        workers, note = capped_workers(workers)
        if note:
            warn(note)
    command = _command(posterior, quick, seeds, draws, target, pattern, lang.value, docs,
                       post is None)
    with claimed(out, "validate", "scorecard", overwrite):
        try:
            card = _score_with_progress(library, chosen, seeds, post, draws or 0, quick,
                                        workers, lang.value)
        except ParameterError as err:
            fail(f"a posterior draw is not a valid parameter set: {err}")
        from .render import write, write_docs

        written = write(card, out, lang.value, command)
    if docs:
        written.append(write_docs(card, command))
    _print(card, lang.value)
    say("written: {files}", files=", ".join(map(str, written)))


def _command(posterior: Path | None, quick: bool, seeds: int, draws: int | None,
             target: list[str] | None, pattern: list[str] | None, lang: str, docs: bool,
             defaults: bool) -> str:
    """The command line that makes this scorecard again (without --out and --workers)."""
    args = ["linli", "validate"]
    if posterior is not None:
        args += ["--posterior", str(posterior)]
    if quick:
        args.append("--quick")
    standard = {(True, False): 20, (True, True): 4, (False, False): 2, (False, True): 1}
    if seeds != standard[(defaults, quick)]:
        args += ["--seeds", str(seeds)]
    if draws is not None and draws != (4 if quick else 20):
        args += ["--draws", str(draws)]
    for option, values in (("--target", target), ("--pattern", pattern)):
        for value in values or []:
            args += [option, value]
    args += ["--lang", lang]
    if docs:
        args.append("--docs")
    return shlex.join(args)


def _score_with_progress(library: Library, chosen: tuple[Pattern, ...], seeds: int,
                         post: Posterior | None, draws: int, quick: bool, workers: int,
                         lang: str) -> Scorecard:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from .scorecard import score

    label = {"zh": "已完成运行", "en": "runs"}[lang]
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console) as bar:
        task = bar.add_task(label, total=None)
        card = score(library, chosen, seeds=seeds, posterior=post, draws=draws, quick=quick,
                     workers=workers,
                     progress=lambda done, total: bar.update(task, completed=done, total=total))
    return card


def _print(card: Scorecard, lang: str) -> None:
    """Targets and patterns with pass/fail, in the scorecard's language."""
    from rich.table import Table

    from .render import check_model, observed, target_model
    from .text import t

    targets = Table(t("h_id", lang), t("h_role", lang), t("h_observed", lang),
                    t("h_model", lang), t("h_result", lang), title=t("targets", lang),
                    title_justify="left")
    for r in card.targets:
        style = "green" if r.passes else "bold red"
        targets.add_row(cell(r.target.id), cell(t(f"short_{r.role}", lang)),
                        cell(observed(r.target, lang)),
                        cell(target_model(r, lang)),
                        cell(t("pass" if r.passes else "fail", lang), style=style))
    console.print(targets)
    checks = Table(t("h_pattern", lang), t("h_check", lang), t("h_difference", lang),
                   t("h_met", lang), t("h_result", lang), title=t("patterns", lang),
                   title_justify="left")
    for c in card.checks:
        style = "green" if c.passes else "bold red"
        checks.add_row(cell(c.pattern.id), cell(f"{t(c.part, lang)} {c.index}"),
                       cell(check_model(c, lang)), cell(f"{c.met}/{c.runs}"),
                       cell(t("pass" if c.passes else "fail", lang), style=style))
    console.print(checks)
    validation = card.validation()
    say("{line}", line=t("summary_targets", lang,
                         passed=sum(bool(r.passes) for r in validation), total=len(validation),
                         cal_passed=sum(bool(r.passes) for r in card.targets
                                        if r.role == "calibrate"),
                         cal_total=len(card.targets) - len(validation)))
    patterns = card.patterns()
    say("{line}", line=t("summary_patterns", lang,
                         passed=sum(card.pattern_passes(p) for p in patterns),
                         total=len(patterns)))


def register(app: typer.Typer) -> None:
    """Add ``validate`` to ``app``."""
    app.command("validate")(validate)
