"""Sentences and table cells of comparisons run with a posterior: each difference with its
range across plausible parameter sets, chance's ± for a single run, and how robust it is."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import numpy as np

from . import i18n
from .flips import ROBUST
from .formatting import finite, fmt_diff, fmt_value, number, scale


def share(value: float) -> str:
    """A share of parameter sets: 97%."""
    return f"{value:.0%}"


def chance(column: str, row: Mapping[str, Any], lang: str, digits: int) -> str:
    """Chance's ± for a single run, with the unit: 1.2 points / 1.2个百分点."""
    half = (float(row["diff_chance_high"]) - float(row["diff_chance_low"])) / 2
    return fmt_diff(column, half, lang, digits).lstrip("+")


def sentence(row: Mapping[str, Any], lang: str, digits: int, fields: dict[str, Any]) -> str:
    """The summary sentence of a difference: effect, robustness, chance. ``fields``: the
    output, week, levels and difference as ``report.sentence`` writes them."""
    column = row["output"]
    fields = {**fields,
              "plow": fmt_diff(column, row["diff_param_low"], lang, digits, unit=False),
              "phigh": fmt_diff(column, row["diff_param_high"], lang, digits)}
    space = " " if lang == "en" else ""
    if not bool(row["distinguishable"]):
        return i18n.t("unclear_posterior", lang, **fields)
    up = row["diff"] > 0
    parts = [i18n.t("raise_posterior" if up else "lower_posterior", lang, **fields)]
    if finite(row, "robust_share"):
        key = "robust" if row["robust_share"] >= ROBUST else "fragile"
        parts.append(i18n.t(key, lang, share=share(row["robust_share"]),
                            direction=i18n.t("direction_up" if up else "direction_down", lang),
                            **fields))
    if finite(row, "diff_chance_low", "diff_chance_high"):
        parts.append(i18n.t("chance", lang, chance=chance(column, row, lang, digits)))
    return space.join(parts)


def difference_cell(column: str, r: Mapping[str, Any], lang: str, digits: int) -> str:
    """One cell of the differences table: the difference, the parameters' range, chance's ±
    and the share of parameter sets with its direction; grey when chance can explain it,
    yellow when it is not robust."""
    esc = html.escape
    diff = fmt_diff(column, r["diff"], lang, digits, unit=False)
    lines = []
    if finite(r, "diff_param_low", "diff_param_high"):
        lines.append(i18n.t("cell_param", lang,
                            low=fmt_diff(column, r["diff_param_low"], lang, digits, unit=False),
                            high=fmt_diff(column, r["diff_param_high"], lang, digits,
                                          unit=False)))
    if finite(r, "diff_chance_low", "diff_chance_high"):
        half = (r["diff_chance_high"] - r["diff_chance_low"]) / 2
        lines.append(i18n.t("cell_chance", lang, chance=number(scale(column, half), digits)))
    if finite(r, "robust_share"):
        lines.append(i18n.t("cell_share", lang, share=share(r["robust_share"])))
    small = "<br>".join(esc(line) for line in lines)
    if not bool(r["distinguishable"]):
        css = ' class="unclear"'
    elif finite(r, "robust_share") and r["robust_share"] < ROBUST:
        css = ' class="fragile"'
    else:
        css = ""
    return f"<td{css}>{esc(diff)}<br><small>{small}</small></td>"


def means_cell(column: str, r: Mapping[str, Any], lang: str, digits: int) -> str:
    """One cell of the means table: the mean and the range across parameter sets."""
    esc = html.escape
    value = fmt_value(column, r["mean"], lang, digits)
    if not np.isfinite(float(r["param_low"])):
        return f"<td>{esc(value)}</td>"
    return (f"<td>{esc(value)}<br><small>[{esc(number(scale(column, r['param_low']), digits))}"
            f", {esc(number(scale(column, r['param_high']), digits))}]</small></td>")
