"""Live charts of the weekly outputs (matplotlib), with interventions marked.

One run draws solid lines; in A/B mode A is solid and B dashed on the same axes, and the gap
in overall participation is shaded. Fonts and styling come from ``experiments.plots.style``
(the comparison reports'), so Chinese is drawn with the installed CJK font.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from experiments.reporting.plots import style

from . import map as mp
from .labels import tr
from .state import Snapshot

LINESTYLES = ("-", "--")  # A, B
KIND_SERIES = (("participation_rate_party", "series_party", "#d32f2f"),
               ("participation_rate_nonparty", "series_nonparty", "#757575"),
               ("participation_rate_recent", "series_recent", "#ef6c00"),
               ("participation_rate_long_term", "series_long_term", "#1565c0"))
CO_SERIES = (("co_plan", "#6a1b9a"), ("co_build", "#1565c0"), ("co_manage", "#2e7d32"),
             ("co_evaluate", "#ef6c00"), ("co_share", "#8d6e63"))  # not the interventions' colour
OVERALL_COLOUR = "#1b7837"
GROUPS_COLOUR, MEMBERS_COLOUR = "#6a1b9a", "#00838f"
REPORTED_COLOUR, FIXED_COLOUR = "#ef6c00", "#2e7d32"
DPI = 90


def _column(snap: Snapshot, name: str) -> tuple[np.ndarray, np.ndarray]:
    f = snap.frame
    if f.empty or name not in f:
        return np.zeros(0), np.zeros(0)
    return f["week"].to_numpy(), f[name].to_numpy(dtype=float)


def _lines(ax: Axes, snaps: Sequence[Snapshot], name: str, colour: str, label: str,
           width: float = 1.6) -> None:
    for i, snap in enumerate(snaps):
        x, y = _column(snap, name)
        ax.plot(x, y, LINESTYLES[i], color=colour, lw=width, label=label if i == 0 else None)


def _bottom_zero(ax: Axes, empty_top: float) -> None:
    """y from 0; before any week is run, a sensible empty range."""
    if any(np.size(line.get_xdata()) for line in ax.get_lines()):
        ax.set_ylim(0, max(ax.get_ylim()[1], 1e-9) * 1.08)  # room above the highest line
    else:
        ax.set_ylim(0, empty_top)


def _share_axis(ax: Axes) -> None:
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    _bottom_zero(ax, 0.5)


def _count_axis(ax: Axes) -> None:
    _bottom_zero(ax, 5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def draw_participation(ax: Axes, snaps: Sequence[Snapshot], lang: str,
                       kinds: int = 0) -> None:
    """Overall participation (thick), and the first ``kinds`` of KIND_SERIES (thin)."""
    ax.set_title(tr("chart_participation", lang))
    _lines(ax, snaps, "participation_rate", OVERALL_COLOUR, tr("series_all", lang), width=2.4)
    if len(snaps) == 2:  # shade the gap between A and B
        (xa, ya), (xb, yb) = (_column(s, "participation_rate") for s in snaps)
        n = min(len(xa), len(xb))
        if n:
            ax.fill_between(xa[:n], ya[:n], yb[:n], color=OVERALL_COLOUR, alpha=0.15, lw=0)
    for column, key, colour in KIND_SERIES[:kinds]:
        _lines(ax, snaps, column, colour, tr(key, lang), width=1.2)
    if kinds:
        ax.legend(fontsize=8, loc="best")
    _share_axis(ax)


def draw_by_kind(ax: Axes, snaps: Sequence[Snapshot], lang: str) -> None:
    ax.set_title(tr("chart_by_kind", lang))
    for column, key, colour in KIND_SERIES:
        _lines(ax, snaps, column, colour, tr(key, lang), width=1.3)
    _share_axis(ax)
    ax.legend(fontsize=7, loc="best", ncol=2)


def draw_core(ax: Axes, snaps: Sequence[Snapshot], lang: str) -> None:
    ax.set_title(tr("chart_core", lang))
    _lines(ax, snaps, "core_volunteers", "#2e7d32", tr("series_all", lang))
    _share_axis(ax)


def draw_groups(ax: Axes, snaps: Sequence[Snapshot], lang: str) -> None:
    ax.set_title(tr("chart_groups", lang))
    _lines(ax, snaps, "groups", GROUPS_COLOUR, tr("series_groups", lang))
    _count_axis(ax)
    ax.tick_params(axis="y", colors=GROUPS_COLOUR)
    right = ax.twinx()
    _lines(right, snaps, "group_members", MEMBERS_COLOUR, tr("series_members", lang))
    _count_axis(right)
    right.grid(False)
    right.spines["right"].set_visible(True)
    right.tick_params(axis="y", colors=MEMBERS_COLOUR)
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    ax.legend(handles=handles, fontsize=7, loc="upper left")


def draw_problems(ax: Axes, snaps: Sequence[Snapshot], lang: str) -> None:
    ax.set_title(tr("chart_problems", lang))
    _lines(ax, snaps, "problems_reported", REPORTED_COLOUR, tr("series_reported", lang), 1.3)
    _lines(ax, snaps, "problems_fixed", FIXED_COLOUR, tr("series_fixed", lang), 1.3)
    _count_axis(ax)
    ax.legend(fontsize=7, loc="upper left")


def draw_co(ax: Axes, snaps: Sequence[Snapshot], lang: str) -> None:
    ax.set_title(tr("chart_co", lang))
    for column, colour in CO_SERIES:
        _lines(ax, snaps, column, colour, tr(column, lang), width=1.3)
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=7, loc="upper left", ncol=3)


PANELS: tuple[Callable[[Axes, Sequence[Snapshot], str], None], ...] = (
    draw_participation, draw_by_kind, draw_core, draw_groups, draw_problems, draw_co)


def mark_interventions(ax: Axes, snaps: Sequence[Snapshot], lang: str,
                       labelled: bool = False) -> None:
    """A vertical line at each intervention's week (dotted while queued)."""
    rows: dict[int, set[str]] = {}  # labels already written at each week
    for i, snap in enumerate(snaps):
        for mark in snap.marks:
            style_ = ":" if mark.pending else LINESTYLES[i]
            ax.axvline(mark.week, color=mp.INTERVENTION_COLOUR, ls=style_, lw=1.2, alpha=0.8,
                       gid=f"intervention-{mark.kind}")
            written = rows.setdefault(mark.week, set())
            if labelled and mark.kind not in written:
                row = len(written)
                written.add(mark.kind)
                ax.annotate(tr("iv_short_" + mark.kind, lang), (mark.week, 1.0),
                            xycoords=("data", "axes fraction"), xytext=(3, -10 - 10 * row),
                            textcoords="offset points", fontsize=7,
                            color=mp.INTERVENTION_COLOUR)


def _x_range(ax: Axes, snaps: Sequence[Snapshot]) -> None:
    last = max([s.week for s in snaps] + [m.week for s in snaps for m in s.marks])
    ax.set_xlim(0.5, max(10, last + 1))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))


def dashboard(snaps: Sequence[Snapshot], lang: str, width: float = 12.0) -> Figure:
    """The six live charts in one figure."""
    with style(lang):
        fig = Figure(figsize=(width, width * 0.5), dpi=DPI)
        # fixed margins: a constrained layout would double the drawing time of a live step
        fig.subplots_adjust(left=0.045, right=0.975, bottom=0.08,
                            top=0.88 if len(snaps) == 2 else 0.9, wspace=0.28, hspace=0.42)
        axes = fig.subplots(2, 3)
        for k, (ax, draw) in enumerate(zip(axes.flat, PANELS, strict=True)):
            draw(ax, snaps, lang)
            mark_interventions(ax, snaps, lang, labelled=k == 0)
            _x_range(ax, snaps)
            ax.set_xlabel(tr("axis_week", lang), fontsize=8)
        if len(snaps) == 2:
            fig.suptitle(tr("ab_lines", lang, a=snaps[0].scenario_title(lang),
                            b=snaps[1].scenario_title(lang)), fontsize=10)
        elif snaps[0].week == 0:
            fig.suptitle(tr("press_step", lang), fontsize=10, color="#616161")
        FigureCanvasAgg(fig)
    return fig


def draw_main(ax: Axes, snaps: Sequence[Snapshot], lang: str) -> None:
    """The main chart for animations: participation overall and by party membership."""
    draw_participation(ax, snaps, lang, kinds=2)
    mark_interventions(ax, snaps, lang, labelled=True)
    _x_range(ax, snaps)
    ax.set_xlabel(tr("axis_week", lang))


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def dashboard_png(snaps: Sequence[Snapshot], lang: str, width: float = 12.0) -> bytes:
    with style(lang):  # savefig re-draws: keep the fonts
        return png(dashboard(snaps, lang, width))
