"""Side-by-side comparison reports: one self-contained HTML page, plots, tables and data.

``build(comparison, lang)`` makes everything in memory: the plain-language summary (one
sentence per non-reference scenario and key output, generated from ``Comparison.summary()``),
the plots, the tables and the page. ``write(...)`` then writes report.html, summary.csv,
runs.parquet, one PNG per plot and manifest.json, each atomically.
"""

from __future__ import annotations

import base64
import html
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.running import output

from . import i18n, plots
from .compare import KEY_OUTPUTS, Comparison

SENTENCE_OUTPUTS = ("participation_rate", "core_volunteers", "ever_participated",
                    "tie_density", "group_members", "problems_fixed", "mean_weeks_to_fix")
BASE_PLACES = {"share": 1, "count": 1, "weeks": 1, "index": 2, "number": 2}
GLOSSARY = ("about_core", "about_early_fall", "about_co", "about_not_part")
SEEDS_LIMIT = 10_000  # beyond this, "seeds needed" only says the difference is negligible
MINUS = "\u2212"


@dataclass(frozen=True)
class Report:
    """A built report: the page, its plots and the numbers behind it."""

    lang: str
    html: str
    summary: pd.DataFrame
    sentences: dict[str, list[str]]  # scenario → sentences, in order
    figures: list[plots.Rendered]


# --- numbers -------------------------------------------------------------------------

def _scale(column: str, value: float) -> float:
    """Shares are shown in percent (and their differences in points)."""
    return value * 100 if i18n.KIND.get(column) == "share" else value


def places(column: str, *values: float) -> int:
    """Decimals for ``column``: enough that half the interval ``values[-2]``..``values[-1]``
    shows a significant digit and its ends keep their signs (at most two more than usual);
    none for counts of 100 and more.
    """
    kind = i18n.KIND.get(column, "number")
    base = BASE_PLACES.get(kind, 2)
    finite = [abs(_scale(column, v)) for v in values if np.isfinite(v)]
    if kind == "count" and finite and (min(finite) >= 100 or all(float(v).is_integer()
                                                                  for v in finite)):
        base = 0
    if len(values) >= 2 and all(np.isfinite(values[-2:])):
        half = abs(_scale(column, values[-1]) - _scale(column, values[-2])) / 2
        if half > 0:
            base = min(max(base, math.ceil(-math.log10(half))), base + 2)
    ends = [_scale(column, v) for v in values[-2:] if np.isfinite(v) and v != 0]
    limit = min(base + 1, BASE_PLACES.get(kind, 2) + 2)
    while base < limit and any(round(v, base) == 0 for v in ends):  # keep the signs visible
        base += 1
    return max(base, 0)


def digits_by_output(summary: pd.DataFrame) -> dict[str, int]:
    """One number format per quantity: the decimals each output needs anywhere in the
    report (its levels, intervals and differences), used everywhere in it."""
    out: dict[str, int] = {}
    for column, rows in summary.groupby("output", sort=False):
        need = [places(column, r["mean"], r["low"], r["high"]) for _, r in rows.iterrows()]
        if "diff" in rows:
            need += [places(column, r["diff"], r["diff_low"], r["diff_high"])
                     for _, r in rows.iterrows() if _finite(r, "diff")]
        out[str(column)] = max(need, default=BASE_PLACES.get(i18n.KIND.get(column, ""), 2))
    return out


def number(value: float, digits: int, sign: bool = False) -> str:
    """``value`` with ``digits`` decimals, thousands separators and a true minus sign."""
    if not np.isfinite(value):
        return "–"
    text = f"{value:+,.{digits}f}" if sign else f"{value:,.{digits}f}"
    if float(text.replace(",", "")) == 0:
        text = text.lstrip("+-")
    return text.replace("-", MINUS)


def fmt_value(column: str, value: float, lang: str, digits: int) -> str:
    """A level: 14.9%, 4.1 weeks / 4.1周, 312, 0.42."""
    kind = i18n.KIND.get(column, "number")
    text = number(_scale(column, value), digits)
    if kind == "share" and np.isfinite(value):
        return f"{text}%"
    if kind == "weeks" and np.isfinite(value):
        return text + i18n.t("unit_weeks", lang)
    return text


def fmt_diff(column: str, value: float, lang: str, digits: int, unit: bool = True) -> str:
    """A difference: +7.8 points / +7.8个百分点, −0.5 weeks, +31."""
    text = number(_scale(column, value), digits, sign=True)
    if not unit or not np.isfinite(value):
        return text
    kind = i18n.KIND.get(column, "number")
    if kind == "share":
        return text + i18n.t("unit_points", lang)
    if kind == "weeks":
        return text + i18n.t("unit_weeks", lang)
    return text


# --- sentences ---------------------------------------------------------------------------

def _finite(row: Mapping[str, Any], *keys: str) -> bool:
    return all(row.get(k) is not None and np.isfinite(float(row[k])) for k in keys)


def needed_kind(row: Mapping[str, Any]) -> str:
    """Which "seeds needed" message fits: never, more, huge or needed."""
    needed, seeds = row.get("seeds_needed"), int(row["seeds"])
    if needed is None or not np.isfinite(float(needed)):
        return "never"
    if int(needed) <= seeds:  # enough for 80% power, yet this run happened not to tell
        return "more"
    return "huge" if int(needed) > SEEDS_LIMIT else "needed"


def _needed(row: Mapping[str, Any], lang: str) -> str:
    """How many seeds would tell the two apart (from ``seeds_needed``)."""
    kind = needed_kind(row)
    needed = f"{int(row['seeds_needed']):,}" if kind == "needed" else ""
    key = "needed" if kind == "needed" else f"needed_{kind}"
    return i18n.t(key, lang, needed=needed, seeds=int(row["seeds"]), limit=f"{SEEDS_LIMIT:,}")


def sentence(row: Mapping[str, Any], ref_mean: float, lang: str,
             digits: int | None = None, ref_part: bool = True) -> str | None:
    """The plain-language sentence for one summary row, under its scenario's heading (None
    if there is nothing to say). ``digits``: the report's decimals for this output."""
    column = row["output"]
    part = bool(row.get("part", True))
    fields: dict[str, Any] = {"week": int(row["week"]), "output": i18n.label(column, lang),
                              "seeds": int(row["seeds"])}
    if not part or not ref_part:
        if not part and not ref_part:
            return None
        level = ref_mean if part is False else row["mean"]
        if not np.isfinite(level):
            return None
        shown = fmt_value(column, level, lang, digits if digits is not None
                          else places(column, level))
        return i18n.t("not_part_here" if not part else "not_part_reference", lang,
                      value=shown, **fields)
    if not _finite(row, "mean", "diff", "diff_low", "diff_high") or not np.isfinite(ref_mean):
        return None
    if digits is None:
        digits = places(column, row["mean"], ref_mean, row["diff_low"], row["diff_high"])
    fields.update(
        value=fmt_value(column, row["mean"], lang, digits),
        ref=fmt_value(column, ref_mean, lang, digits),
        diff=fmt_diff(column, row["diff"], lang, digits),
        low=fmt_diff(column, row["diff_low"], lang, digits, unit=False),
        high=fmt_diff(column, row["diff_high"], lang, digits, unit=False))
    if row["diff"] == 0 and row["diff_low"] == row["diff_high"]:
        if row["mean"] == 0:  # nothing happens in either: not worth a sentence
            return None
        return i18n.t("same", lang, **fields)
    if not bool(row["distinguishable"]):
        return f"{i18n.t('unclear', lang, **fields)}{_space(lang)}{_needed(row, lang)}"
    return i18n.t("raise" if row["diff"] > 0 else "lower", lang, **fields)


def quotable(text: str) -> str:
    """Double quotes inside a title become single ones, as the sentence quotes the title."""
    return text.translate(str.maketrans({"“": "‘", "”": "’", '"': "'"}))


def _space(lang: str) -> str:
    return " " if lang == "en" else ""


def clear_from(comparison: Comparison, column: str, scenario: str) -> int | None:
    """First week from which the difference stays distinguishable, with the final sign."""
    last = comparison.difference(column, scenario, comparison.weeks)
    if not last["distinguishable"]:
        return None
    sign, first = np.sign(last["diff"]), comparison.weeks
    for week in range(comparison.weeks - 1, 0, -1):
        d = comparison.difference(column, scenario, week)
        if not d["distinguishable"] or np.sign(d["diff"]) != sign:
            break
        first = week
    return first


def summary_sentences(comparison: Comparison, summary: pd.DataFrame, lang: str,
                      digits: Mapping[str, int] | None = None) -> dict[str, list[str]]:
    """Per non-reference scenario: one sentence per key output, at the last week (the
    scenario is named once, in the heading the sentences go under)."""
    week = comparison.report_weeks()[-1]
    at = summary[summary["week"] == week].set_index(["scenario", "output"])
    digits = digits or digits_by_output(summary)
    out: dict[str, list[str]] = {}
    for name in comparison.names[1:]:
        lines = []
        for column in SENTENCE_OUTPUTS:
            if (name, column) not in at.index or not plots.has_data(comparison.runs, (column,)):
                continue
            row = {"output": column, **at.loc[(name, column)].to_dict()}
            ref = at.loc[(comparison.reference, column)]
            text = sentence(row, float(ref["mean"]), lang, digits.get(column),
                            ref_part=bool(ref["part"]))
            if text is None:
                continue
            lines.append(text)
            if column == "participation_rate" and row["part"]:
                first = clear_from(comparison, column, name)
                if first is not None:
                    lines.append(i18n.t("clear_from", lang, week=first,
                                        output=i18n.column(column, lang)))
        out[name] = lines
    return out


def title(comparison: Comparison, name: str, lang: str) -> str:
    """A scenario's title in ``lang``."""
    return comparison.scenarios[comparison.names.index(name)].text("title", lang)


# --- HTML ------------------------------------------------------------------------------------

CJK_FONTS = '"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei","Source Han Sans SC"'
LATIN_FONTS = '"Helvetica Neue",Arial,"Liberation Sans","DejaVu Sans"'
FONTS = {"zh": f"{CJK_FONTS},{LATIN_FONTS},sans-serif",  # Latin first in English: else the
         "en": f"{LATIN_FONTS},{CJK_FONTS},sans-serif"}  # CJK font's wide quotes are used
CSS = """
body{font-family:FONTS;margin:0 auto;max-width:1100px;
padding:1.5rem 2rem 3rem;color:#1a1a1a;line-height:1.55;background:#fff}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #ddd;
padding-bottom:.2rem}h3{margin-top:1.6rem}.sub{color:#555;margin-top:0}
.summary{background:#f4f7fb;border-left:4px solid #1f77b4;padding:.8rem 1.2rem;
border-radius:4px}.summary ul{padding-left:1.2rem}.summary li{margin:.35rem 0}
.summary li:first-child{font-weight:600}.lead{color:#333}
figure{margin:1.5rem 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#555;font-size:.9rem}
table{border-collapse:collapse;margin:.8rem 0;font-size:.88rem}
th,td{border:1px solid #ddd;padding:.3rem .55rem;text-align:right;vertical-align:top}
th{background:#f2f2f2}td.l,th.l{text-align:left}td small{color:#666}
td.unclear{background:#eeeeee;color:#555}.note{color:#555;font-size:.9rem}
footer{margin-top:2.5rem;color:#777;font-size:.85rem}
"""


def _esc(text: object) -> str:
    return html.escape(str(text))


def _summary_html(comparison: Comparison, sentences: dict[str, list[str]], lang: str) -> str:
    lead = i18n.t("lead", lang,
                  reference=quotable(title(comparison, comparison.reference, lang)),
                  seeds=len(comparison.seeds), weeks=comparison.weeks)
    parts = [f'<section class="summary" id="summary"><h2>{_esc(i18n.t("summary", lang))}</h2>',
             f'<p class="lead">{_esc(lead)}</p>']
    for name, lines in sentences.items():
        parts.append(f"<h3>{_esc(title(comparison, name, lang))}</h3><ul>")
        parts.extend(f"<li>{_esc(line)}</li>" for line in lines)
        parts.append("</ul>")
    parts.append("</section>")
    return "\n".join(parts)


def _scenarios_html(comparison: Comparison, lang: str) -> str:
    head = "".join(f'<th class="l">{_esc(i18n.t(k, lang))}</th>'
                   for k in ("name", "title", "description", "extends"))
    rows = []
    for sc in comparison.scenarios:
        mark = f" ({i18n.t('reference', lang)})" if sc.name == comparison.reference else ""
        chain = " → ".join(sc.chain[1:]) or "–"
        rows.append(f'<tr><td class="l"><code>{_esc(sc.name)}</code>{_esc(mark)}</td>'
                    f'<td class="l">{_esc(sc.text("title", lang))}</td>'
                    f'<td class="l">{_esc(sc.text("description", lang))}</td>'
                    f'<td class="l">{_esc(chain)}</td></tr>')
    return (f'<h2>{_esc(i18n.t("scenarios", lang))}</h2><table><tr>{head}</tr>'
            + "".join(rows) + "</table>")


def _plots_html(comparison: Comparison, figures: list[plots.Rendered], lang: str) -> str:
    parts = [f'<h2>{_esc(i18n.t("plots", lang))}</h2>']
    titles = [title(comparison, name, lang) for name in comparison.names]
    if plots.cjk_font() is None and (lang == "zh" or any(plots.has_cjk(t) for t in titles)):
        parts.append(f'<p class="note" id="no-cjk-font">{_esc(i18n.t("no_cjk_font", lang))}</p>')
    for fig in figures:
        if fig.png is None:
            continue
        data = base64.b64encode(fig.png).decode("ascii")
        parts.append(f'<figure id="plot-{fig.name}"><img alt="{_esc(fig.title)}" '
                     f'src="data:image/png;base64,{data}"><figcaption>{_esc(fig.caption)}'
                     "</figcaption></figure>")
    skipped = [fig.title for fig in figures if fig.png is None]
    if skipped:
        items = i18n.t("list_sep", lang).join(skipped)
        parts.append(f'<p class="note" id="skipped-plots">'
                     f'{_esc(i18n.t("skipped_plots", lang, items=items))}</p>')
    return "\n".join(parts)


def table_outputs(comparison: Comparison, summary: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Outputs with data (in summary order), and those zero or missing everywhere."""
    listed = list(dict.fromkeys(summary["output"]))
    shown = [c for c in listed if plots.has_data(comparison.runs, (c,))]
    return shown, [c for c in listed if c not in shown]


def _means_html(comparison: Comparison, summary: pd.DataFrame, lang: str,
                digits: Mapping[str, int]) -> str:
    shown, omitted = table_outputs(comparison, summary)
    head = (f'<th class="l">{_esc(i18n.t("output", lang))}</th>'
            f'<th>{_esc(i18n.label("week", lang))}</th>'
            + "".join(f"<th>{_esc(title(comparison, n, lang))}</th>" for n in comparison.names))
    index = summary.set_index(["output", "week", "scenario"])
    not_part = f'<td class="unclear">{_esc(i18n.t("not_part_cell", lang))}</td>'
    rows = []
    for column in shown:
        places_here = digits[column]
        for week in comparison.report_weeks():
            cells = []
            for name in comparison.names:
                r = index.loc[(column, week, name)]
                if not r["part"]:
                    cells.append(not_part)
                    continue
                cells.append(f"<td>{_esc(fmt_value(column, r['mean'], lang, places_here))}<br>"
                             f"<small>[{_esc(number(_scale(column, r['low']), places_here))}, "
                             f"{_esc(number(_scale(column, r['high']), places_here))}]</small>"
                             "</td>")
            rows.append(f'<tr><td class="l">{_esc(i18n.label(column, lang))}</td>'
                        f"<td>{week}</td>{''.join(cells)}</tr>")
    note = ""
    if omitted:
        items = i18n.t("list_sep", lang).join(i18n.label(c, lang) for c in omitted)
        note = f'<p class="note">{_esc(i18n.t("omitted_outputs", lang, items=items))}</p>'
    return (f'<h3>{_esc(i18n.t("means", lang))}</h3><p class="note">'
            f'{_esc(i18n.t("means_note", lang))}</p><table><tr>{head}</tr>'
            + "".join(rows) + f"</table>{note}")


def _difference_cell(column: str, r: Mapping[str, Any], lang: str, digits: int,
                     both_part: bool) -> str:
    """One cell of the differences table: the difference and its 95% interval, or why
    there is none."""
    if not both_part:
        return f'<td class="unclear">{_esc(i18n.t("not_part_either_cell", lang))}</td>'
    if not _finite(r, "diff"):
        return f'<td class="unclear">{_esc(i18n.t("no_value_cell", lang))}</td>'
    if r["diff"] == 0 and r["diff_low"] == r["diff_high"]:
        return f'<td class="unclear">{_esc(i18n.t("identical_cell", lang))}</td>'
    diff = fmt_diff(column, r["diff"], lang, digits, unit=False)
    interval = (f"[{fmt_diff(column, r['diff_low'], lang, digits, unit=False)}, "
                f"{fmt_diff(column, r['diff_high'], lang, digits, unit=False)}]")
    if bool(r["distinguishable"]):
        return f"<td>{_esc(diff)}<br><small>{_esc(interval)}</small></td>"
    kind = needed_kind(r)
    needed = f"{int(r['seeds_needed']):,}" if kind == "needed" else ""
    extra = i18n.t(f"seeds_{kind}_cell", lang, needed=needed, seeds=int(r["seeds"]),
                   limit=f"{SEEDS_LIMIT:,}")
    return (f'<td class="unclear">{_esc(diff)}<br><small>{_esc(interval)}<br>'
            f"{_esc(extra)}</small></td>")


def _differences_html(comparison: Comparison, summary: pd.DataFrame, lang: str,
                      digits: Mapping[str, int]) -> str:
    shown, _ = table_outputs(comparison, summary)
    weeks = comparison.report_weeks()
    head = (f'<th class="l">{_esc(i18n.t("output", lang))}</th>'
            + "".join(f"<th>{_esc(i18n.t('week_n', lang, week=w))}</th>" for w in weeks))
    index = summary.set_index(["scenario", "output", "week"])
    parts = [f'<h3>{_esc(i18n.t("differences", lang))}</h3>',
             f'<p class="note">{_esc(i18n.t("differences_note", lang))}</p>']
    for name in comparison.names[1:]:
        rows = []
        for column in shown:
            both = comparison.part(column, name) and comparison.part(column, comparison.reference)
            cells = "".join(_difference_cell(column, index.loc[(name, column, w)].to_dict(),
                                             lang, digits[column], both) for w in weeks)
            rows.append(f'<tr><td class="l">{_esc(i18n.label(column, lang))}</td>{cells}</tr>')
        versus = " − ".join(title(comparison, n, lang) for n in (name, comparison.reference))
        parts.append(f"<h4>{_esc(versus)}</h4><table><tr>{head}</tr>{''.join(rows)}</table>")
    return "\n".join(parts)


def _glossary_html(lang: str) -> str:
    """What the outputs mean: core volunteers, the five co-s, why curves fall early."""
    items = "".join(f"<li>{_esc(i18n.t(key, lang))}</li>" for key in GLOSSARY)
    return (f'<section id="glossary"><h2>{_esc(i18n.t("glossary", lang))}</h2><ul>{items}'
            "</ul></section>")


def _method_html(comparison: Comparison, lang: str, versions: Mapping[str, str]) -> str:
    seeds = comparison.seeds
    seed_list = ", ".join(map(str, seeds)) if len(seeds) <= 12 else \
        f"{seeds[0]}, {seeds[1]}, …, {seeds[-1]}"
    text = i18n.t("method_text", lang, seeds=len(seeds), seed_list=seed_list,
                  weeks=comparison.weeks, seconds=f"{comparison.seconds:.1f}",
                  workers=comparison.workers)
    items = "".join(f"<li><code>{_esc(k)}</code> {_esc(v)}</li>" for k, v in versions.items())
    return (f'<h2>{_esc(i18n.t("method", lang))}</h2><p>{_esc(text)}</p>'
            f'<h3>{_esc(i18n.t("versions", lang))}</h3><ul class="note">{items}</ul>')


def page(comparison: Comparison, summary: pd.DataFrame, sentences: dict[str, list[str]],
         figures: list[plots.Rendered], lang: str, versions: Mapping[str, str]) -> str:
    """The whole report as one HTML page (inline CSS, images as data URIs, no links)."""
    digits = digits_by_output(summary)
    names = " · ".join(title(comparison, n, lang) for n in comparison.names)
    subtitle = i18n.t("subtitle", lang, scenarios=names, seeds=len(comparison.seeds),
                      weeks=comparison.weeks)
    heading = i18n.t("page_title", lang)
    footer = i18n.t("generated", lang, version=versions.get("linli", "?"),
                    date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    body = [f"<h1>{_esc(heading)}</h1>", f'<p class="sub">{_esc(subtitle)}</p>',
            _summary_html(comparison, sentences, lang), _glossary_html(lang),
            _scenarios_html(comparison, lang),
            _plots_html(comparison, figures, lang), f'<h2>{_esc(i18n.t("tables", lang))}</h2>',
            _means_html(comparison, summary, lang, digits),
            _differences_html(comparison, summary, lang, digits),
            _method_html(comparison, lang, versions), f"<footer>{_esc(footer)}</footer>"]
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_esc(heading)}: {_esc(names)}</title>"
            f"<style>{CSS.replace('FONTS', FONTS[lang])}</style></head>"
            "<body>\n" + "\n".join(body) + "\n</body></html>\n")


# --- building and writing ----------------------------------------------------------------

def all_versions() -> dict[str, str]:
    """``output.versions()`` plus the plotting and statistics libraries."""
    found = output.versions()
    for package in ("matplotlib", "scipy"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def build(comparison: Comparison, lang: str = i18n.DEFAULT_LANG,
          versions: Mapping[str, str] | None = None) -> Report:
    """Sentences, plots, tables and page, all in memory (nothing is written)."""
    i18n.check_lang(lang)
    versions = versions or all_versions()
    summary = comparison.summary(KEY_OUTPUTS)
    sentences = summary_sentences(comparison, summary, lang)
    figures = plots.render(comparison, lang)
    text = page(comparison, summary, sentences, figures, lang, versions)
    return Report(lang, text, summary, sentences, figures)


def summary_table(comparison: Comparison, summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """summary.csv: the summary with each scenario's title and each output's name beside
    their stable ids; headers (and yes/no) in ``lang``, the ids always in English."""
    table = summary.copy()
    table.insert(1, "scenario_title", [title(comparison, n, lang) for n in table["scenario"]])
    table.insert(3, "output_label", [i18n.label(c, lang) for c in table["output"]])
    if lang == "en":
        return table
    yes, no = i18n.YES_NO[lang]
    for column in ("part", "distinguishable"):
        if column in table:
            table[column] = table[column].map({True: yes, False: no})
    return table.rename(columns=i18n.CSV_HEADERS)


def manifest(comparison: Comparison, report: Report, files: list[str],
             versions: Mapping[str, str], wall_seconds: float) -> dict[str, Any]:
    """What was compared, how, with which software, and what was written."""
    return {
        "command": "compare",
        "reference": comparison.reference,
        "scenarios": [{
            "name": sc.name, "scenario_file": str(sc.path), "extends_chain": list(sc.chain),
            "title": sc.title, "description": sc.description,
            "params": sc.params.model_dump(mode="json"),
        } for sc in comparison.scenarios],
        "seeds": comparison.seeds,
        "weeks": comparison.weeks,
        "workers": comparison.workers,
        "lang": report.lang,
        "run_seconds": round(comparison.seconds, 3),
        "wall_seconds": round(wall_seconds, 3),
        "plots": [f.name for f in report.figures if f.png is not None],
        "plots_skipped": [f.name for f in report.figures if f.png is None],
        "files": files,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": dict(versions),
    }


def write(comparison: Comparison, out: Path, lang: str = i18n.DEFAULT_LANG,
          started: float | None = None) -> tuple[Report, list[Path]]:
    """Build the report, then write every file into ``out`` (manifest.json last).

    ``started``: ``time.perf_counter()`` when the command began, for the wall time.
    """
    versions = all_versions()
    report = build(comparison, lang, versions)
    paths = [out / "report.html", out / "summary.csv", out / "runs.parquet"]
    output.atomic_write(paths[0], lambda p: p.write_text(report.html, encoding="utf-8"))
    table = summary_table(comparison, report.summary, lang)
    output.atomic_write(paths[1], lambda p: table.to_csv(p, index=False))
    output.atomic_write(paths[2], lambda p: comparison.runs.to_parquet(p, index=False))
    for fig in report.figures:
        path, data = out / f"{fig.name}.png", fig.png
        if data is None:
            path.unlink(missing_ok=True)  # from an earlier comparison into the same directory
            continue
        output.atomic_write(path, lambda p, data=data: p.write_bytes(data))
        paths.append(path)
    wall = time.perf_counter() - started if started is not None else comparison.seconds
    paths.append(out / "manifest.json")
    output.write_json(paths[-1], manifest(comparison, report, [p.name for p in paths],
                                          versions, wall))
    return report, paths
