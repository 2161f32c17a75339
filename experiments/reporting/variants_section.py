"""The report's section on structural alternatives: each variant, and every conclusion under
each, the ones that flip marked."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import i18n
from .caveat import structure_items
from .compare import Comparison
from .formatting import fmt_diff


def _cell(row: Mapping[str, Any], lang: str, digits: int) -> str:
    diff = fmt_diff(row["output"], row["diff"], lang, digits)
    if row["direction"] == 0:
        return f'<td class="unclear">{html.escape(i18n.t("unclear_cell", lang))}<br><small>' \
               f"{html.escape(diff)}</small></td>"
    share = float(row["robust_share"])
    text = f"{diff} ({share:.0%})" if np.isfinite(share) else diff
    css = "" if row["robust"] else ' class="fragile"'
    return f"<td{css}>{html.escape(text)}</td>"


def _variant_item(name: str, comparison: Comparison, lang: str) -> str:
    from experiments.calibration.variants import VARIANTS

    variant = VARIANTS.get(name)
    title = variant.text("title", lang) if variant else name
    where = (i18n.t("variant_posterior", lang, posterior=comparison.posterior.spec)
             if comparison.posterior is not None else i18n.t("variant_defaults", lang))
    text = i18n.t("list_sep", lang).join(b for b in (structure_items(comparison.structure),
                                                     where) if b)
    if variant and comparison.posterior is not None:  # why this posterior
        text += (". " if lang == "en" else "。") + variant.text("note", lang)
    return (f"<li><b>{html.escape(title)}</b> (<code>{html.escape(name)}</code>): "
            f"{html.escape(text)}</li>")


def section(comparisons: Mapping[str, Comparison], frame: pd.DataFrame, lang: str,
            digits: Mapping[str, int]) -> str:
    """The HTML section: the variants, how many conclusions flip, and the table."""
    esc = html.escape
    main = next(iter(comparisons.values()))
    week = main.report_weeks()[-1]
    parts = [f'<section id="variants"><h2>{esc(i18n.t("variants", lang))}</h2>',
             f'<p class="note">{esc(i18n.t("variants_note", lang, week=week))}</p><ul>',
             *(_variant_item(name, c, lang) for name, c in comparisons.items()), "</ul>"]
    if frame.empty:
        return "\n".join([*parts, "</section>"])
    conclusions = frame.groupby(["scenario", "output"], sort=False)
    count = sum(bool(rows["flip"].iloc[0]) for _, rows in conclusions)
    key = "variants_flips" if count else "variants_none"
    parts.append(f'<p id="flips"><b>{esc(i18n.t(key, lang, count=count, total=len(conclusions)))}'
                 "</b></p>")
    head = (f'<th class="l">{esc(i18n.t("conclusion", lang))}</th>'
            + "".join(f"<th>{esc(name)}</th>" for name in comparisons)
            + f'<th class="l">{esc(i18n.t("flip", lang))}</th>')
    rows = []
    for (scenario, output), group in conclusions:
        label = f"{main.scenarios[main.names.index(scenario)].text('title', lang)}: " \
                f"{i18n.label(output, lang)}"
        cells = "".join(_cell(r, lang, digits.get(output, 1)) for r in group.to_dict("records"))
        first = group.iloc[0]
        reasons = [i18n.t(k, lang) for k in ("flip_sign", "flip_robust") if first[k]]
        css = ' class="flip"' if first["flip"] else ""
        rows.append(f'<tr{css}><td class="l">{esc(label)}</td>{cells}<td class="l">'
                    f"{esc(i18n.t('list_sep', lang).join(reasons))}</td></tr>")
    parts.append(f"<table><tr>{head}</tr>{''.join(rows)}</table></section>")
    return "\n".join(parts)
