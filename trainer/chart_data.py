"""What the live charts show, as plain data for the page: the panels (titles, units, series,
colours, which mechanism each needs), the weekly values, and the interventions' weeks.

The values go out in two parts so that a week sends only a few rows: ``history`` (every week
up to the last multiple of ``FOLD``, unchanged for ``FOLD`` weeks) and ``latest`` (the weeks
since). A page that joins late gets both and so the whole run.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import map as mp
from .labels import tr
from .state import Snapshot

FOLD = 32  # weeks per block of history sent at once
X_STEPS = (12, 24, 52, 104, 208, 520)  # the week axis ends at the first that fits; ticks at
# quarters of it


@dataclass(frozen=True)
class Series:
    column: str
    label: str  # key in labels.TEXT
    colour: str
    width: float = 1.6
    right: bool = False  # on the right-hand axis
    needs: tuple[str, ...] = ()  # mechanisms of which one must run, else "not in scenario"


@dataclass(frozen=True)
class Panel:
    key: str  # chart_<key>, unit_<key>, help_<key> in labels.TEXT
    axis: str  # "share" (0–100 %), "count" or "index" (0–1)
    series: tuple[Series, ...]
    needs: tuple[str, ...] = ()
    right_axis: str = ""  # "count" if some series use a right-hand axis


OVERALL_COLOUR = "#1b7837"
KIND_SERIES = (Series("participation_rate_party", "series_party", "#d32f2f"),
               Series("participation_rate_nonparty", "series_nonparty", "#757575"),
               Series("participation_rate_recent", "series_recent", "#ef6c00"),
               Series("participation_rate_long_term", "series_long_term", "#1565c0"))
CO_SERIES = (Series("co_plan", "co_plan", "#6a1b9a", needs=("councils",)),
             Series("co_build", "co_build", "#1565c0"),
             Series("co_manage", "co_manage", "#2e7d32", needs=("commons",)),
             Series("co_evaluate", "co_evaluate", "#ef6c00", needs=("problems",)),
             Series("co_share", "co_share", "#8d6e63", needs=("problems", "commons")))
PANELS = (
    Panel("participation", "share", (Series("participation_rate", "series_all",
                                            OVERALL_COLOUR, 2.6),)),
    Panel("by_kind", "share", KIND_SERIES),
    Panel("core", "share", (Series("core_volunteers", "series_all", "#2e7d32"),)),
    Panel("groups", "count", (Series("groups", "series_groups", "#6a1b9a"),
                              Series("group_members", "series_members", "#00838f",
                                     right=True)), needs=("groups",), right_axis="count"),
    Panel("problems", "count", (Series("problems_reported", "series_reported", "#ef6c00"),
                                Series("problems_fixed", "series_fixed", "#2e7d32")),
          needs=("problems",)),
    Panel("co", "index", CO_SERIES),
)
COLUMNS = tuple(dict.fromkeys(s.column for p in PANELS for s in p.series))


def _runs(snaps: Sequence[Snapshot]) -> list[str]:
    return [s.label for s in snaps]


def _off(needs: tuple[str, ...], snaps: Sequence[Snapshot]) -> list[str]:
    """Labels of the runs in which none of ``needs`` runs ("" is the only run)."""
    if not needs:
        return []
    return [s.label for s in snaps if not any(n in s.active for n in needs)]


def spec(snaps: Sequence[Snapshot], lang: str) -> dict[str, Any]:
    """Everything about the charts that does not change week by week (in ``lang``)."""
    runs = _runs(snaps)
    panels = []
    for p in PANELS:
        off = _off(p.needs, snaps)
        series = []
        for s in p.series:
            series_off = _off(s.needs or p.needs, snaps)
            series.append({"column": s.column, "name": tr(s.label, lang), "colour": s.colour,
                           "width": s.width, "right": s.right, "off": series_off})
        panels.append({
            "key": p.key, "title": tr(f"chart_{p.key}", lang), "unit": tr(f"unit_{p.key}", lang),
            "help": tr(f"help_{p.key}", lang), "axis": p.axis, "right_axis": p.right_axis,
            "series": series, "gap": p.key == "participation" and len(snaps) == 2,
            "off": tr("not_in_scenario", lang) if off and len(off) == len(runs) else "",
        })
    return {
        "lang": lang, "runs": runs, "panels": panels,
        "run_names": [f"{s.label}: {s.scenario_title(lang)}" if s.label else ""
                      for s in snaps],
        "text": {key: tr(key, lang) for key in ("axis_week", "legend_iv_line", "charts_head",
                                                "not_in_scenario", "iv_log")},
        "line_styles": ["solid", "dashed"],
        "intervention_colour": mp.INTERVENTION_COLOUR,
    }


def rows(snap: Snapshot, start: int, stop: int | None = None) -> dict[str, list]:
    """Weeks ``start`` ≤ index < ``stop`` of the run's weekly outputs, by column, rounded,
    with NaN as None (JSON null: a gap in the line)."""
    f = snap.frame
    if f.empty:
        return {"week": []}
    columns = [c for c in COLUMNS if c in f.columns]
    block = f.iloc[start:stop]
    values = np.round(block[columns].to_numpy(dtype=float), 5).T.tolist()
    out: dict[str, list] = {"week": block["week"].astype(int).tolist()}
    for column, series in zip(columns, values, strict=True):
        out[column] = [None if math.isnan(v) else v for v in series]
    return out


def fold(week: int) -> int:
    """Weeks held in ``history`` at ``week``."""
    return week // FOLD * FOLD


def history(snaps: Sequence[Snapshot]) -> list[dict[str, list]]:
    """Per run, the weeks up to ``fold(week)``."""
    return [rows(s, 0, fold(len(s.frame))) for s in snaps]


def latest(snaps: Sequence[Snapshot]) -> list[dict[str, list]]:
    """Per run, the weeks after ``fold(week)``."""
    return [rows(s, fold(len(s.frame))) for s in snaps]


def x_max(week: int) -> int:
    """Where the week axis ends: fixed for long stretches, so the lines grow into it."""
    for end in X_STEPS:
        if week <= end:
            return end
    return -(-week // X_STEPS[-1]) * X_STEPS[-1]


def marks(snaps: Sequence[Snapshot], lang: str) -> list[dict[str, Any]]:
    """Vertical lines: one per run and week with interventions (dotted while queued), with
    what happened for the tooltip."""
    out = []
    for r, snap in enumerate(snaps):
        weeks: dict[int, list] = {}
        for mark in snap.marks:
            weeks.setdefault(mark.week, []).append(mark)
        for week, items in sorted(weeks.items()):
            names = " · ".join(dict.fromkeys(tr("iv_short_" + m.kind, lang) for m in items))
            out.append({"run": r, "week": week, "pending": any(m.pending for m in items),
                        "text": names})
    return out


def x_end(snaps: Sequence[Snapshot]) -> int:
    """The end of the week axis for these runs (queued interventions included)."""
    return x_max(max([s.week for s in snaps] + [m.week for s in snaps for m in s.marks]))
