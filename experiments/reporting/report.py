"""Side-by-side comparison reports: one self-contained HTML page, plots, tables and data.

``build(comparison, lang)`` makes everything in memory: the plain-language summary (one
sentence per non-reference scenario and key output, generated from ``Comparison.summary()``),
the plots, the tables and the page. ``write(...)`` then writes report.html, summary.csv,
runs.parquet, one PNG per plot and manifest.json, each atomically.
"""

from __future__ import annotations

import base64
import html
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.running import output

from . import caveat, flips, i18n, plots, ranges, variants_section
from .compare import KEY_OUTPUTS, Comparison
from .formatting import (
    digits_by_output,
    finite,
    fmt_diff,
    fmt_value,
    number,
    places,
    scale,
)
from .posterior import DRAW_SEED

SENTENCE_OUTPUTS = ("participation_rate", "core_volunteers", "ever_participated",
                    "tie_density", "group_members", "problems_fixed", "mean_weeks_to_fix")
GLOSSARY = ("about_core", "about_early_fall", "about_co", "about_not_part")
SEEDS_LIMIT = 10_000  # beyond this, "seeds needed" only says the difference is negligible


@dataclass(frozen=True)
class Variants:
    """One comparison per structural variant (the main one first), their summaries, and
    every conclusion under each (``flips.table``)."""

    comparisons: dict[str, Comparison]
    summaries: dict[str, pd.DataFrame]
    frame: pd.DataFrame


def variants(comparisons: Mapping[str, Comparison]) -> Variants:
    """Summarise every variant's comparison and find the conclusions that flip."""
    main = next(iter(comparisons.values()))
    summaries = {name: c.summary(KEY_OUTPUTS) for name, c in comparisons.items()}
    outputs = [c for c in SENTENCE_OUTPUTS if plots.has_data(main.runs, (c,))]
    frame = flips.table(summaries, main.reference, outputs, main.report_weeks()[-1])
    return Variants(dict(comparisons), summaries, frame)


@dataclass(frozen=True)
class Report:
    """A built report: the page, its plots and the numbers behind it."""

    lang: str
    html: str
    summary: pd.DataFrame
    sentences: dict[str, list[str]]  # scenario → sentences, in order
    figures: list[plots.Rendered]
    caveat: str = ""  # what these numbers are, as one paragraph
    cited: str = ""  # the same with the sources of the field data (summary CSVs)
    variants: Variants | None = None


# --- sentences ---------------------------------------------------------------------------

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
    if not finite(row, "mean", "diff", "diff_low", "diff_high") or not np.isfinite(ref_mean):
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
    if row.get("draws", 0) > 0:  # with a posterior: ranges, robustness and chance
        return ranges.sentence(row, lang, digits, fields)
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
                      digits: Mapping[str, int] | None = None,
                      flipped: Collection[tuple[str, str]] = ()) -> dict[str, list[str]]:
    """Per non-reference scenario: one sentence per key output, at the last week (the
    scenario is named once, in the heading the sentences go under); a conclusion that
    flips under another structural formulation (``flipped``) says so."""
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
            if (name, column) in flipped:
                text = f"{text}{_space(lang)}{i18n.t('flips_note', lang)}"
            lines.append(text)
            if column == "participation_rate" and row["part"]:
                first = clear_from(comparison, column, name)
                if first is not None:
                    key = "clear_from" if comparison.posterior is None else \
                        "clear_from_posterior"
                    lines.append(i18n.t(key, lang, week=first,
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
td.fragile{background:#fff4ce}tr.flip td{background:#fde2e1}
.caveat{background:#fffaf0;border-left:4px solid #d08c00;padding:.4rem 1.2rem .8rem;
border-radius:4px}.caveat h2{margin-top:.6rem;border:none}.caveat small{color:#666}
footer{margin-top:2.5rem;color:#777;font-size:.85rem}
"""


def _esc(text: object) -> str:
    return html.escape(str(text))


def _lead(comparison: Comparison, lang: str) -> str:
    reference = quotable(title(comparison, comparison.reference, lang))
    if comparison.posterior is None:
        return i18n.t("lead", lang, reference=reference, seeds=len(comparison.seeds),
                      weeks=comparison.weeks)
    return i18n.t("lead_posterior", lang, reference=reference, draws=len(comparison.draws),
                  seeds=comparison.seeds_per_draw, runs=len(comparison.seeds),
                  weeks=comparison.weeks, robust=f"{flips.ROBUST:.0%}")


def _summary_html(comparison: Comparison, sentences: dict[str, list[str]], lang: str,
                  flipped: int = 0) -> str:
    parts = [f'<section class="summary" id="summary"><h2>{_esc(i18n.t("summary", lang))}</h2>',
             f'<p class="lead">{_esc(_lead(comparison, lang))}</p>']
    if flipped:
        parts.append(f'<p><b>{_esc(i18n.t("variants_summary", lang, count=flipped))}</b></p>')
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
                if comparison.posterior is not None:
                    cells.append(ranges.means_cell(column, r, lang, places_here))
                    continue
                cells.append(f"<td>{_esc(fmt_value(column, r['mean'], lang, places_here))}<br>"
                             f"<small>[{_esc(number(scale(column, r['low']), places_here))}, "
                             f"{_esc(number(scale(column, r['high']), places_here))}]</small>"
                             "</td>")
            rows.append(f'<tr><td class="l">{_esc(i18n.label(column, lang))}</td>'
                        f"<td>{week}</td>{''.join(cells)}</tr>")
    note = ""
    if omitted:
        items = i18n.t("list_sep", lang).join(i18n.label(c, lang) for c in omitted)
        note = f'<p class="note">{_esc(i18n.t("omitted_outputs", lang, items=items))}</p>'
    suffix = "" if comparison.posterior is None else "_posterior"
    return (f'<h3>{_esc(i18n.t("means" + suffix, lang))}</h3><p class="note">'
            f'{_esc(i18n.t("means_note" + suffix, lang))}</p><table><tr>{head}</tr>'
            + "".join(rows) + f"</table>{note}")


def _difference_cell(column: str, r: Mapping[str, Any], lang: str, digits: int,
                     both_part: bool) -> str:
    """One cell of the differences table: the difference and its 95% interval (with a
    posterior: its ranges, ``ranges.difference_cell``), or why there is none."""
    if not both_part:
        return f'<td class="unclear">{_esc(i18n.t("not_part_either_cell", lang))}</td>'
    if not finite(r, "diff"):
        return f'<td class="unclear">{_esc(i18n.t("no_value_cell", lang))}</td>'
    if r["diff"] == 0 and r["diff_low"] == r["diff_high"]:
        return f'<td class="unclear">{_esc(i18n.t("identical_cell", lang))}</td>'
    if r.get("draws", 0) > 0:
        return ranges.difference_cell(column, r, lang, digits)
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
    note = i18n.t("differences_note", lang) if comparison.posterior is None else \
        i18n.t("differences_note_posterior", lang, robust=f"{flips.ROBUST:.0%}")
    parts = [f'<h3>{_esc(i18n.t("differences", lang))}</h3>',
             f'<p class="note">{_esc(note)}</p>']
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


def _glossary_html(lang: str, posterior: bool) -> str:
    """What the outputs mean: core volunteers, the five co-s, why curves fall early; with a
    posterior, what "robust" means."""
    items = "".join(f"<li>{_esc(i18n.t(key, lang))}</li>" for key in GLOSSARY)
    if posterior:
        items += f"<li>{_esc(i18n.t('about_robust', lang, robust=f'{flips.ROBUST:.0%}'))}</li>"
    return (f'<section id="glossary"><h2>{_esc(i18n.t("glossary", lang))}</h2><ul>{items}'
            "</ul></section>")


def _method_html(comparison: Comparison, lang: str, versions: Mapping[str, str]) -> str:
    seeds = comparison.seeds
    seed_list = ", ".join(map(str, seeds)) if len(seeds) <= 12 else \
        f"{seeds[0]}, {seeds[1]}, …, {seeds[-1]}"
    common = {"seed_list": seed_list, "weeks": comparison.weeks,
              "seconds": f"{comparison.seconds:.1f}", "workers": comparison.workers}
    if comparison.posterior is None:
        texts = [i18n.t("method_text", lang, seeds=len(seeds), **common)]
    else:
        texts = [i18n.t("method_posterior", lang, draws=len(comparison.draws),
                        posterior=comparison.posterior.directory, spec=comparison.posterior.spec,
                        draw_seed=DRAW_SEED, seeds=comparison.seeds_per_draw, runs=len(seeds),
                        **common)]
    if any(comparison.structure.values()):
        texts.append(i18n.t("method_structure", lang,
                            items=caveat.structure_items(comparison.structure)))
    texts += [i18n.t("method_kept", lang, scenario=title(comparison, name, lang),
                     names=", ".join(kept)) for name, kept in comparison.kept.items()]
    items = "".join(f"<li><code>{_esc(k)}</code> {_esc(v)}</li>" for k, v in versions.items())
    text = " ".join(texts) if lang == "en" else "".join(texts)
    return (f'<h2>{_esc(i18n.t("method", lang))}</h2><p>{_esc(text)}</p>'
            f'<h3>{_esc(i18n.t("versions", lang))}</h3><ul class="note">{items}</ul>')


def page(comparison: Comparison, summary: pd.DataFrame, sentences: dict[str, list[str]],
         figures: list[plots.Rendered], lang: str, versions: Mapping[str, str],
         variants: Variants | None = None) -> str:
    """The whole report as one HTML page (inline CSS, images as data URIs, no links): the
    caveat, the summary, then plots, tables, structural alternatives and method."""
    digits = digits_by_output(summary)
    facts = caveat.facts(comparison.posterior, comparison.structure)
    flipped = len(flips.flipped(variants.frame)) if variants else 0
    alternatives = variants_section.section(variants.comparisons, variants.frame, lang,
                                            digits) if variants else ""
    names = " · ".join(title(comparison, n, lang) for n in comparison.names)
    subtitle = i18n.t("subtitle", lang, scenarios=names, seeds=len(comparison.seeds),
                      weeks=comparison.weeks) if comparison.posterior is None else \
        i18n.t("subtitle_posterior", lang, scenarios=names, draws=len(comparison.draws),
               seeds=comparison.seeds_per_draw, weeks=comparison.weeks)
    heading = i18n.t("page_title", lang)
    footer = i18n.t("generated", lang, version=versions.get("linli", "?"),
                    date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    body = [f"<h1>{_esc(heading)}</h1>", f'<p class="sub">{_esc(subtitle)}</p>',
            caveat.section(facts, lang), _summary_html(comparison, sentences, lang, flipped),
            _glossary_html(lang, comparison.posterior is not None),
            _scenarios_html(comparison, lang),
            _plots_html(comparison, figures, lang), f'<h2>{_esc(i18n.t("tables", lang))}</h2>',
            _means_html(comparison, summary, lang, digits),
            _differences_html(comparison, summary, lang, digits), alternatives,
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
          versions: Mapping[str, str] | None = None,
          alternatives: Variants | None = None) -> Report:
    """Sentences, plots, tables and page, all in memory (nothing is written).
    ``alternatives``: the comparison under every structural variant, ``comparison`` first."""
    i18n.check_lang(lang)
    versions = versions or all_versions()
    summary = (next(iter(alternatives.summaries.values())) if alternatives
               else comparison.summary(KEY_OUTPUTS))
    flipped = flips.flipped(alternatives.frame) if alternatives else []
    sentences = summary_sentences(comparison, summary, lang, flipped=flipped)
    figures = plots.render(comparison, lang)
    text = page(comparison, summary, sentences, figures, lang, versions, alternatives)
    facts = caveat.facts(comparison.posterior, comparison.structure)
    return Report(lang, text, summary, sentences, figures, caveat.text(facts, lang),
                  caveat.text(facts, lang, sources=True), alternatives)


def summary_table(comparison: Comparison, summary: pd.DataFrame, lang: str,
                  said: str = "") -> pd.DataFrame:
    """summary.csv (and variants.csv): the summary with each scenario's title and each
    output's name beside their stable ids, and the caveat ``said`` in a last column;
    headers (and yes/no) in ``lang``, the ids always in English."""
    table = summary.copy()
    at = list(table.columns).index("scenario")
    table.insert(at + 1, "scenario_title", [title(comparison, n, lang)
                                            for n in table["scenario"]])
    at = list(table.columns).index("output")
    table.insert(at + 1, "output_label", [i18n.label(c, lang) for c in table["output"]])
    if said:
        table["caveat"] = said
    if lang == "en":
        return table
    yes, no = i18n.YES_NO[lang]
    for column in ("part", "distinguishable", "robust", "flip", "flip_sign", "flip_robust"):
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
        **uncertainty_manifest(comparison),
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
        "variants": {name: uncertainty_manifest(c) for name, c in
                     report.variants.comparisons.items()} if report.variants else None,
    }


def uncertainty_manifest(comparison: Comparison) -> dict[str, Any]:
    """The parameter side of a comparison: posterior, draws, structure, values kept."""
    post = comparison.posterior
    return {
        "posterior": None if post is None else {
            "directory": str(post.directory), "spec": post.spec,
            "targets": list(post.targets), "variant": post.variant, "draw_seed": DRAW_SEED},
        "seeds_per_draw": comparison.seeds_per_draw if post is not None else None,
        "draw_of_seed": comparison.draw_of or None,
        "parameter_sets": comparison.draws,
        "structure": comparison.structure,
        "kept": comparison.kept,
    }


def write(comparison: Comparison, out: Path, lang: str = i18n.DEFAULT_LANG,
          started: float | None = None,
          alternatives: Mapping[str, Comparison] | None = None) -> tuple[Report, list[Path]]:
    """Build the report, then write every file into ``out`` (manifest.json last).

    ``started``: ``time.perf_counter()`` when the command began, for the wall time.
    ``alternatives``: the comparison under each structural variant, ``comparison`` first;
    then variants.csv holds every conclusion under each, and runs.parquet every run.
    """
    versions = all_versions()
    report = build(comparison, lang, versions,
                   variants(alternatives) if alternatives else None)
    paths = [out / "report.html", out / "summary.csv", out / "runs.parquet"]
    output.atomic_write(paths[0], lambda p: p.write_text(report.html, encoding="utf-8"))
    table = summary_table(comparison, report.summary, lang, report.cited)
    output.atomic_write(paths[1], lambda p: table.to_csv(p, index=False))
    runs = comparison.runs if not alternatives else pd.concat(
        [c.runs.assign(variant=name) for name, c in alternatives.items()], ignore_index=True)
    if alternatives:
        runs = runs[["variant", *[c for c in runs.columns if c != "variant"]]]
    output.atomic_write(paths[2], lambda p: runs.to_parquet(p, index=False))
    if report.variants is not None:
        flipped = summary_table(comparison, report.variants.frame, lang, report.cited)
        paths.append(out / "variants.csv")
        output.atomic_write(paths[-1], lambda p: flipped.to_csv(p, index=False))
    else:
        (out / "variants.csv").unlink(missing_ok=True)  # from an earlier --variants run
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
