"""The scorecard as a document — built once as blocks (headings, paragraphs, lists, tables),
then written as Markdown (``markdown``) or a self-contained HTML page (``html_page``) — and as
a table for ``scorecard.csv`` (``csv_table``)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from experiments import paramtable
from experiments.calibration.targets import Target
from experiments.reporting.i18n import KIND, YES_NO
from experiments.reporting.report import CSS, FONTS, number

from .patterns import Comparison, Expect
from .reasons import REASONS
from .scorecard import CheckResult, Scorecard, TargetResult
from .text import CSV_HEADERS, t

# --- numbers ---------------------------------------------------------------------------------

DIGITS = {"share": 1, "relative": 1, "points": 2, "weeks": 1, "count": 0, "growth": 2,
          "index": 3, "ratio": 2, "number": 2}
SCALED = {"share", "relative", "points"}  # shown ×100


def target_kind(target: Target) -> str:
    """How a target's values read: share, relative (change), weeks, ratio, count, …"""
    s = target.statistic
    if s.relative_to is not None:
        return "relative"
    if s.half_time is not None:
        return "weeks"
    if s.divide_by is not None:
        return "ratio"
    return "share" if s.per_household else KIND.get(s.output, "number")


def comparison_kind(comparison: Comparison) -> str:
    """How a comparison's differences read: points (of a share), relative, growth, …"""
    if comparison.relative:
        return "relative"
    if comparison.setting.growth:
        return "growth"
    kind = KIND.get(comparison.setting.output, "number")
    return "points" if kind == "share" else kind


def num(value: float, kind: str, sign: bool = False, visible: bool = False) -> str:
    """The bare number: 10.3 (a share in percent), +1.86 (points), 373; ``visible``: with
    more decimals (up to 4) where the usual ones would round a non-zero value to 0."""
    scaled = value * 100 if kind in SCALED else value
    digits = DIGITS.get(kind, 2)
    while visible and digits < 4 and scaled != 0 and round(scaled, digits) == 0:
        digits += 1
    return number(scaled, digits, sign=sign)


def fmt(value: float, kind: str, lang: str, sign: bool = False, visible: bool = False) -> str:
    """The number with its unit: 10.3%, +13.8%, +1.86 points, 44.0 weeks, 373."""
    text = num(value, kind, sign, visible)
    if not np.isfinite(value):
        return text
    if kind in ("share", "relative"):
        return text + "%"
    unit = {"points": "points", "weeks": "weeks", "growth": "per_week"}.get(kind)
    return text + t(unit, lang) if unit else text


def with_interval(value: float, low: float, high: float, kind: str, lang: str,
                  sign: bool = False) -> str:
    return f"{fmt(value, kind, lang, sign)} [{num(low, kind, sign)}, {num(high, kind, sign)}]"


def observed(target: Target, lang: str) -> str:
    kind, obs = target_kind(target), target.observed
    return with_interval(obs.value, obs.low, obs.high, kind, lang)


def expectation(expect: Expect, kind: str, lang: str) -> str:
    if expect.kind == "near_zero":
        return t("expect_near_zero", lang, margin=fmt(expect.high, kind, lang, visible=True))
    if expect.kind == "between":
        return t("expect_between", lang, low=fmt(expect.low, kind, lang, True, True),
                 high=fmt(expect.high, kind, lang, True, True))
    bound = expect.low if expect.kind == "above" else expect.high
    return t(f"expect_{expect.kind}", lang, value=fmt(bound, kind, lang, True, True))


def target_model(result: TargetResult, lang: str) -> str:
    return with_interval(result.median, result.low, result.high, target_kind(result.target),
                         lang)


def check_model(check: CheckResult, lang: str) -> str:
    if check.interval is None:
        return t("no_value", lang)
    ci = check.interval
    return with_interval(ci.estimate, ci.low, ci.high, comparison_kind(check.comparison), lang,
                         sign=True)


def verdict(passes: bool | None, lang: str) -> Cell:
    if passes is None:
        return Cell(t("no_value", lang), "fail")
    return Cell(t("pass", lang), "pass") if passes else Cell(t("fail", lang), "fail")


def role(result: TargetResult, lang: str) -> str:
    if result.fitted and result.target.role == "validate":
        return t("role_fitted", lang)
    return t(f"role_{result.role}", lang)


# --- the document ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    text: str
    style: str = ""  # "pass", "fail" or "l" (left-aligned text)


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[Cell]]


@dataclass(frozen=True)
class Block:
    kind: str  # h1, h2, h3, p, note, ul, table, code
    text: str = ""
    items: list[str] = field(default_factory=list)
    table: Table | None = None


def lead(card: Scorecard, lang: str) -> str:
    """The opening paragraph: model results, what is calibrated and assumed, the interval."""
    counts = paramtable.counts()
    total = sum(counts.values())
    runs = len(card.replicates)
    parts = [t("lead_model", lang)]
    post = card.posterior
    if post is None:
        from model.params import SECTIONS

        names = [f"{s}.{n}" for s, c in SECTIONS.items() for n, f in c.model_fields.items()
                 if (f.json_schema_extra or {}).get("source") == "calibrated"]
        parts += [t("lead_defaults", lang, total=total, calibrated=counts.get("calibrated", 0),
                    names=", ".join(names), empirical=counts.get("empirical", 0),
                    assumed=counts.get("assumed", 0)),
                  t("lead_interval_defaults", lang, runs=runs)]
    else:
        parts += [t("lead_posterior", lang, fitted=len(post.fitted), names=", ".join(post.fitted),
                    spec=post.spec, targets=", ".join(post.targets), total=total,
                    fixed=", ".join(post.fixed) or "–",
                    empirical=counts.get("empirical", 0), assumed=counts.get("assumed", 0)),
                  t("lead_interval_posterior", lang, runs=runs, draws=card.draws,
                    seeds=card.seeds)]
    parts.append(t("lead_rule", lang))
    if card.quick:
        parts.append(t("lead_quick", lang, runs=runs))
    return ("" if lang == "zh" else " ").join(parts)


def summary(card: Scorecard, lang: str) -> list[Block]:
    validation = card.validation()
    calibration = [r for r in card.targets if r.role == "calibrate"]
    patterns = card.patterns()
    blocks = [Block("h2", t("summary", lang)), Block("ul", items=[
        t("summary_targets", lang, passed=sum(bool(r.passes) for r in validation),
          total=len(validation), cal_passed=sum(bool(r.passes) for r in calibration),
          cal_total=len(calibration)),
        t("summary_patterns", lang, passed=sum(card.pattern_passes(p) for p in patterns),
          total=len(patterns))])]
    misses = [r for r in validation if not r.passes]
    if misses:
        blocks += [Block("p", t("misses", lang)),
                   Block("ul", items=[_missed(r, lang) for r in misses])]
    else:
        blocks.append(Block("p", t("miss_none", lang)))
    failing = [p for p in patterns if not card.pattern_passes(p)]
    if failing:
        blocks += [Block("p", t("pattern_misses", lang)), Block("ul", items=[
            t("pattern_miss_line", lang, id=p.id, title=p.title[lang],
              checks=t("sep", lang).join(_failed(c, lang) for c in card.checks
                                         if c.pattern.id == p.id and not c.passes))
            for p in failing])]
    return blocks


def _missed(result: TargetResult, lang: str) -> str:
    """A missed validation target: the model against the observed, and why if known."""
    target = result.target
    line = t("miss_line", lang, id=target.id, title=target.text(lang),
             model=target_model(result, lang), observed=observed(target, lang))
    if target.id not in REASONS:
        return line
    return line + ("" if lang == "zh" else " ") + t("why", lang, reason=REASONS[target.id][lang])


def _failed(check: CheckResult, lang: str) -> str:
    """A failed effect or control: what, the model's difference, what was expected."""
    expected = expectation(check.comparison.expect, comparison_kind(check.comparison), lang)
    return (f"{t(check.part, lang)} {check.index}: {check.comparison.what[lang]} — "
            f"{check_model(check, lang)}, {t('h_expected', lang)} {expected}")


def targets_table(card: Scorecard, lang: str) -> Table:
    headers = [t(k, lang) for k in ("h_id", "h_target", "h_role", "h_observed", "h_precision",
                                    "h_model", "h_result")]
    rows = [[Cell(r.target.id, "l"), Cell(r.target.text(lang), "l"), Cell(role(r, lang), "l"),
             Cell(observed(r.target, lang)), Cell(t(r.target.observed.precision, lang), "l"),
             Cell(target_model(r, lang)), verdict(r.passes, lang)] for r in card.targets]
    return Table(headers, rows)


def target_details(card: Scorecard, lang: str) -> list[str]:
    items = []
    for r in card.targets:
        target = r.target
        parts = [f"{target.id}: {t('quantity', lang)}: {target.quantity}"]
        if target.observed.note:
            parts.append(f"{t('note', lang)}: {target.observed.note}")
        parts.append(f"{t('source', lang)}: {target.source.citation}")
        items.append(" ".join(parts))
    return items


def patterns_table(card: Scorecard, lang: str) -> Table:
    headers = [t(k, lang) for k in ("h_pattern", "h_mechanism", "h_check", "h_comparison",
                                    "h_expected", "h_difference", "h_met", "h_result")]
    rows = []
    for c in card.checks:
        first = c.part == "effect" and c.index == 1
        kind = comparison_kind(c.comparison)
        rows.append([Cell(f"{c.pattern.id} {c.pattern.title[lang]}" if first else "", "l"),
                     Cell(c.pattern.mechanism[lang] if first else "", "l"),
                     Cell(f"{t(c.part, lang)} {c.index}", "l"),
                     Cell(c.comparison.what[lang], "l"),
                     Cell(expectation(c.comparison.expect, kind, lang), "l"),
                     Cell(check_model(c, lang)), Cell(f"{c.met}/{c.runs}"),
                     verdict(c.passes, lang)])
    return Table(headers, rows)


def method(card: Scorecard, lang: str, command: str, versions: dict[str, str]) -> list[Block]:
    seeds = f"0–{card.seeds - 1}" if card.seeds > 1 else "0"
    how = (t("how_defaults", lang, seeds=seeds) if card.posterior is None else
           t("how_posterior", lang, draws=card.draws, dir=card.posterior.directory, seeds=seeds))
    return [Block("h2", t("method", lang)),
            Block("p", t("method_runs", lang, runs=len(card.replicates), how=how,
                         seconds=f"{card.seconds:.0f}", workers=card.workers)),
            Block("p", t("regenerate", lang)), Block("code", command),
            Block("p", t("files", lang)),
            Block("ul", items=[f"{k} {v}" for k, v in versions.items()])]


def document(card: Scorecard, lang: str, command: str, versions: dict[str, str]
             ) -> list[Block]:
    other = "en" if lang == "zh" else "zh"
    footer = t("generated", lang, version=versions.get("linli", "?"),
               date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    return [Block("h1", t("quick_title" if card.quick else "title", lang)),
            Block("p", lead(card, lang)),
            Block("note", f"{t('other_language', lang)}: {lead(card, other)}"),
            *summary(card, lang),
            Block("h2", t("targets", lang)), Block("p", t("targets_note", lang)),
            Block("table", table=targets_table(card, lang)),
            Block("h3", t("details", lang)), Block("ul", items=target_details(card, lang)),
            Block("h2", t("patterns", lang)), Block("p", t("patterns_note", lang)),
            Block("table", table=patterns_table(card, lang)),
            *method(card, lang, command, versions), Block("note", footer)]


# --- Markdown and HTML -----------------------------------------------------------------------

def _md_cell(cell: Cell) -> str:
    text = cell.text.replace("|", "\\|").replace("\n", " ")
    return f"**{text}**" if cell.style == "fail" else text


def markdown(blocks: Sequence[Block]) -> str:
    out = []
    for b in blocks:
        if b.kind in ("h1", "h2", "h3"):
            out.append("#" * int(b.kind[1]) + " " + b.text)
        elif b.kind == "p":
            out.append(b.text)
        elif b.kind == "note":
            out.append(f"> {b.text}")
        elif b.kind == "ul":
            out.append("\n".join(f"- {item}" for item in b.items))
        elif b.kind == "code":
            out.append(f"```\n{b.text}\n```")
        elif b.table is not None:
            rows = [b.table.headers, *([_md_cell(c) for c in row] for row in b.table.rows)]
            out.append("\n".join(["| " + " | ".join(rows[0]) + " |",
                                  "|" + "---|" * len(rows[0]),
                                  *("| " + " | ".join(r) + " |" for r in rows[1:])]))
    return "\n\n".join(out) + "\n"


EXTRA_CSS = ("th{text-align:left}td.pass,td.fail{white-space:nowrap}td.pass{color:#1b5e20}"
             "td.fail{background:#fde2e2;color:#8b0000;font-weight:600}"
             "blockquote{color:#555;border-left:3px solid #ddd;margin:1rem 0;padding:.2rem 1rem}"
             "pre{background:#f4f4f4;padding:.6rem;overflow-x:auto}")


def _html_table(table: Table) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(h)}</th>" for h in table.headers)
    rows = "".join("<tr>" + "".join(f'<td class="{c.style}">{esc(c.text)}</td>' if c.style
                                    else f"<td>{esc(c.text)}</td>" for c in row) + "</tr>"
                   for row in table.rows)
    return f"<table><tr>{head}</tr>{rows}</table>"


def html_page(blocks: Sequence[Block], lang: str) -> str:
    """One self-contained page: inline CSS, no scripts, images or links to fetch."""
    esc = html.escape
    body = []
    for b in blocks:
        if b.kind in ("h1", "h2", "h3", "p"):
            body.append(f"<{b.kind}>{esc(b.text)}</{b.kind}>")
        elif b.kind == "note":
            body.append(f"<blockquote>{esc(b.text)}</blockquote>")
        elif b.kind == "ul":
            body.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in b.items) + "</ul>")
        elif b.kind == "code":
            body.append(f"<pre><code>{esc(b.text)}</code></pre>")
        elif b.table is not None:
            body.append(_html_table(b.table))
    title = next(b.text for b in blocks if b.kind == "h1")
    return (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
            '<meta charset="utf-8"><meta name="viewport" content="width=device-width, '
            f'initial-scale=1"><title>{esc(title)}</title>'
            f"<style>{CSS.replace('FONTS', FONTS[lang])}{EXTRA_CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


# --- CSV -------------------------------------------------------------------------------------

def _finite_or_none(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def csv_table(card: Scorecard, lang: str) -> pd.DataFrame:
    """scorecard.csv: one row per target and per effect or control; stable English ids,
    headers (and yes/no) in ``lang``."""
    rows = []
    for r in card.targets:
        obs = r.target.observed
        rows.append({"kind": "target", "id": r.target.id, "check": "", "role": r.role,
                     "title": r.target.text(lang), "observed": obs.value,
                     "expected_low": obs.low, "expected_high": obs.high,
                     "precision": obs.precision, "model": _finite_or_none(r.median),
                     "model_low": _finite_or_none(r.low), "model_high": _finite_or_none(r.high),
                     "interval": "90% of runs", "runs": int(np.isfinite(r.values).sum()),
                     "runs_meeting": None,
                     "passes": bool(r.passes), "source": r.target.source.citation})
    for c in card.checks:
        ci, expect = c.interval, c.comparison.expect
        rows.append({"kind": "pattern", "id": c.pattern.id, "check": f"{c.part}/{c.index}",
                     "role": "validate", "title": c.comparison.what[lang], "observed": None,
                     "expected_low": _finite_or_none(expect.low),
                     "expected_high": _finite_or_none(expect.high), "precision": "",
                     "model": ci.estimate if ci else None, "model_low": ci.low if ci else None,
                     "model_high": ci.high if ci else None,
                     "interval": "95% interval of the mean difference",
                     "runs": c.runs, "runs_meeting": c.met, "passes": c.passes,
                     "source": c.pattern.source})
    table = pd.DataFrame(rows)
    if lang == "en":
        return table
    yes, no = YES_NO[lang]
    table["passes"] = table["passes"].map({True: yes, False: no})
    return table.rename(columns=CSV_HEADERS)


# --- files -----------------------------------------------------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs" / "VALIDATION.md"


def write(card: Scorecard, out: Path, lang: str, command: str) -> list[Path]:
    """scorecard.md, scorecard.html, scorecard.csv and manifest.json in ``out``."""
    from experiments.reporting.report import all_versions
    from experiments.running import output

    versions = all_versions()
    blocks = document(card, lang, command, versions)
    paths = [out / "scorecard.md", out / "scorecard.html", out / "scorecard.csv",
             out / "manifest.json"]
    text, page, table = markdown(blocks), html_page(blocks, lang), csv_table(card, lang)
    output.atomic_write(paths[0], lambda p: p.write_text(text, encoding="utf-8"))
    output.atomic_write(paths[1], lambda p: p.write_text(page, encoding="utf-8"))
    output.atomic_write(paths[2], lambda p: table.to_csv(p, index=False))
    output.write_json(paths[3], manifest(card, lang, command, versions))
    return paths


def write_docs(card: Scorecard, command: str, path: Path = DOCS) -> Path:
    """The English Markdown scorecard as ``docs/VALIDATION.md``."""
    from experiments.reporting.report import all_versions
    from experiments.running import output

    text = markdown(document(card, "en", command, all_versions()))
    output.atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))
    return path


def manifest(card: Scorecard, lang: str, command: str, versions: dict[str, str]) -> dict:
    post = card.posterior
    return {"command": "validate", "command_line": command, "lang": lang, "quick": card.quick,
            "runs": len(card.replicates), "seeds": card.seeds, "draws": card.draws,
            "posterior": None if post is None else {
                "directory": str(post.directory), "spec": post.spec, "targets": post.targets,
                "fitted": post.fitted, "fixed": post.fixed},
            "replicates": [{"draw": r.draw, "seed": r.seed, "theta": dict(r.theta)}
                           for r in card.replicates],
            "targets": [r.target.id for r in card.targets],
            "patterns": [p.id for p in card.patterns()],
            "seconds": round(card.seconds, 3), "workers": card.workers,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "versions": dict(versions)}
