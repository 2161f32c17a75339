"""How numbers read in comparison reports: one number format per quantity, shares in
percent and their differences in points, a true minus sign."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import i18n

BASE_PLACES = {"share": 1, "count": 1, "weeks": 1, "index": 2, "number": 2}
MINUS = "\u2212"


def finite(row: Mapping[str, Any], *keys: str) -> bool:
    return all(row.get(k) is not None and np.isfinite(float(row[k])) for k in keys)


def scale(column: str, value: float) -> float:
    """Shares are shown in percent (and their differences in points)."""
    return value * 100 if i18n.KIND.get(column) == "share" else value


def places(column: str, *values: float) -> int:
    """Decimals for ``column``: enough that half the interval ``values[-2]``..``values[-1]``
    shows a significant digit and its ends keep their signs (at most two more than usual);
    none for counts of 100 and more.
    """
    kind = i18n.KIND.get(column, "number")
    base = BASE_PLACES.get(kind, 2)
    finite = [abs(scale(column, v)) for v in values if np.isfinite(v)]
    if kind == "count" and finite and (min(finite) >= 100 or all(float(v).is_integer()
                                                                  for v in finite)):
        base = 0
    if len(values) >= 2 and all(np.isfinite(values[-2:])):
        half = abs(scale(column, values[-1]) - scale(column, values[-2])) / 2
        if half > 0:
            base = min(max(base, math.ceil(-math.log10(half))), base + 2)
    ends = [scale(column, v) for v in values[-2:] if np.isfinite(v) and v != 0]
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
                     for _, r in rows.iterrows() if finite(r, "diff")]
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
    text = number(scale(column, value), digits)
    if kind == "share" and np.isfinite(value):
        return f"{text}%"
    if kind == "weeks" and np.isfinite(value):
        return text + i18n.t("unit_weeks", lang)
    return text


def fmt_diff(column: str, value: float, lang: str, digits: int, unit: bool = True) -> str:
    """A difference: +7.8 points / +7.8个百分点, −0.5 weeks, +31."""
    text = number(scale(column, value), digits, sign=True)
    if not unit or not np.isfinite(value):
        return text
    kind = i18n.KIND.get(column, "number")
    if kind == "share":
        return text + i18n.t("unit_points", lang)
    if kind == "weeks":
        return text + i18n.t("unit_weeks", lang)
    return text
