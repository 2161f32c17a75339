"""The participation chart of ``linli animate`` (matplotlib), with interventions marked.

Every frame of an animation uses the same ``Frame``: the week axis runs over the whole
animation and the value axis up to the highest value it will reach, so nothing jumps from
one frame to the next; the legend sits below the axes; the current week is a dot on each line,
so the first frame (one week) already shows data. In A/B, A is solid and B dashed. Fonts
and styling come from ``experiments.reporting.plots.style`` (the comparison reports').
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator, PercentFormatter

from . import map as mp
from .chart_data import KIND_SERIES, OVERALL_COLOUR
from .labels import tr
from .state import Snapshot

LINESTYLES = ("-", "--")  # A, B
MAIN_COLUMNS = ("participation_rate", *(s.column for s in KIND_SERIES[:2]))


@dataclass(frozen=True)
class Frame:
    """The chart's fixed axes: weeks 0..``weeks``, values 0..``top``."""

    weeks: int
    top: float

    @classmethod
    def fitting(cls, values: np.ndarray, weeks: int) -> Frame:
        """Axes for lines reaching at most max(``values``): the top rounded up to 10 %."""
        finite = np.asarray(values, dtype=float)
        finite = finite[np.isfinite(finite)]
        highest = float(finite.max()) if finite.size else 0.0
        return cls(weeks=max(1, weeks), top=min(1.0, max(0.1, math.ceil(highest * 10.5) / 10)))


def _column(snap: Snapshot, name: str) -> tuple[np.ndarray, np.ndarray]:
    f = snap.frame
    if f.empty or name not in f:
        return np.zeros(0), np.zeros(0)
    return f["week"].to_numpy(), f[name].to_numpy(dtype=float)


def mark_interventions(ax: Axes, snaps: Sequence[Snapshot]) -> None:
    """A vertical line at each intervention's week (dotted while queued)."""
    for i, snap in enumerate(snaps):
        for mark in snap.marks:
            ax.axvline(mark.week, color=mp.INTERVENTION_COLOUR, lw=1.2, alpha=0.8,
                       ls=":" if mark.pending else LINESTYLES[i],
                       gid=f"intervention-{mark.kind}")


def draw_main(ax: Axes, snaps: Sequence[Snapshot], lang: str, frame: Frame) -> None:
    """Participation overall (thick) and of party / other households, on ``frame``'s axes;
    a dot marks each line's latest week."""
    ax.clear()
    ax.set_title(tr("chart_participation", lang))
    series = [("participation_rate", OVERALL_COLOUR, tr("series_all", lang), 2.6)]
    series += [(s.column, s.colour, tr(s.label, lang), 1.4) for s in KIND_SERIES[:2]]
    for column, colour, label, width in series:
        for i, snap in enumerate(snaps):
            x, y = _column(snap, column)
            ax.plot(x, y, LINESTYLES[i], color=colour, lw=width,
                    label=label if i == 0 else None, gid=f"series-{column}")
            if len(x):
                ax.plot(x[-1:], y[-1:], "o", color=colour, ms=width + 3, gid=f"now-{column}")
    mark_interventions(ax, snaps)
    ax.set_xlim(0, frame.weeks + 0.5)
    ax.set_ylim(0, frame.top)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(tr("axis_week", lang))
    ax.set_ylabel(tr("unit_participation", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.16), ncol=3, frameon=False,
              fontsize=10, handlelength=1.6)
