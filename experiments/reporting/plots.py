"""Plots for comparison reports (matplotlib, Agg), labelled in Chinese or English.

``render(comparison, lang)`` draws every plot in ``PLOTS`` to PNG bytes, skipping a plot
whose columns are zero or missing in every scenario. Chinese needs a CJK font:
``cjk_font()`` finds one (Noto Sans CJK from Debian's fonts-noto-cjk, or a common
alternative) and it is set explicitly on every text; without one, ``render`` warns.
"""

from __future__ import annotations

import functools
import io
import textwrap
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator, NullFormatter, PercentFormatter, ScalarFormatter
from scipy import stats

from . import i18n
from .compare import LEVEL, Comparison

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Sans SC",
                "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
                "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", "SimHei")
LATIN_FAMILY = "DejaVu Sans"  # ships with matplotlib
REFERENCE_COLOUR = "#4d4d4d"
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
           "#17becf", "#bcbd22")
DPI = 110
CO_COLUMNS = ("co_plan", "co_build", "co_manage", "co_evaluate", "co_share")


class CJKFontWarning(UserWarning):
    """No CJK font was found: Chinese labels would render as empty boxes."""


@dataclass(frozen=True)
class Plot:
    """One figure of the report: file stem, title key, the columns it needs, how to draw."""

    name: str
    title: str  # i18n key
    columns: tuple[str, ...]
    draw: Callable[[Figure, Comparison, str], None]
    caption: str = "caption_band"
    source: str = "runs"  # or "units"
    shaded: bool = True  # bands over weeks (their caption says what the shading is)


@dataclass(frozen=True)
class Rendered:
    """A plot drawn to PNG, or skipped because it has no data."""

    name: str
    title: str
    caption: str
    png: bytes | None

    @property
    def skipped(self) -> bool:
        return self.png is None


# --- fonts -----------------------------------------------------------------------------

@functools.cache
def cjk_font() -> str | None:
    """The family name of an installed CJK font, or None."""
    found = _first_cjk_family()
    if found is None:  # a font cache made before the fonts were installed: look again
        for path in font_manager.findSystemFonts():
            if any(k in Path(path).name.lower() for k in ("cjk", "wqy", "sourcehan", "yahei")):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        found = _first_cjk_family()
    return found


def _first_cjk_family() -> str | None:
    names = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in names), None)


def font_families(lang: str) -> list[str]:
    """Font families in order of preference: the CJK font first for Chinese.

    English keeps the CJK font as a fallback for Chinese words inside English titles.
    """
    cjk = cjk_font()
    if cjk is None:
        return [LATIN_FAMILY]
    return [cjk, LATIN_FAMILY] if lang == "zh" else [LATIN_FAMILY, cjk]


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds Chinese (CJK) characters."""
    return any("\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffef" for ch in text)


def warn_if_no_cjk_font(lang: str, texts: list[str]) -> None:
    """Warn (CJKFontWarning) when Chinese will be drawn but no CJK font is installed."""
    if cjk_font() is None and (lang == "zh" or any(has_cjk(t) for t in texts)):
        warnings.warn(i18n.t("no_cjk_font", "en"), CJKFontWarning, stacklevel=2)


@contextmanager
def style(lang: str) -> Iterator[None]:
    """Matplotlib settings for report figures, with the fonts of ``lang`` set explicitly."""
    with mpl.rc_context({
        "font.family": font_families(lang),
        "font.size": 10,
        "axes.titlesize": 11,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "legend.frameon": False,
    }):
        yield


# --- data helpers ------------------------------------------------------------------------

def has_data(frame: pd.DataFrame, columns: tuple[str, ...]) -> bool:
    """Whether any of ``columns`` has a finite non-zero value."""
    present = [c for c in columns if c in frame]
    if not present:
        return False
    values = frame[present].to_numpy(dtype=float)
    return bool((np.isfinite(values) & (values != 0)).any())


def colours(comparison: Comparison) -> dict[str, str]:
    """One colour per scenario, the reference in dark grey."""
    others = [n for n in comparison.names if n != comparison.reference]
    return {comparison.reference: REFERENCE_COLOUR,
            **{n: COLOURS[i % len(COLOURS)] for i, n in enumerate(others)}}


def scenario_label(comparison: Comparison, name: str, lang: str, width: int = 44) -> str:
    """The scenario's title in ``lang``, wrapped for a legend."""
    sc = comparison.scenarios[comparison.names.index(name)]
    return textwrap.fill(sc.text("title", lang), width)


def unit_size_bins(units: pd.DataFrame, scenario_order: list[str]) -> pd.DataFrame:
    """Per scenario and size bin: mean unit participation and its 95% interval across seeds.

    Bins are log-spaced over all scenarios' sizes, so the same sizes share a bin.
    """
    sizes = units["size"].to_numpy(dtype=float)
    edges = np.unique(np.round(np.geomspace(sizes.min(), sizes.max() + 1, 13)))
    binned = units.assign(bin=np.clip(np.digitize(sizes, edges) - 1, 0, len(edges) - 2))
    per_seed = binned.groupby(["scenario", "bin", "seed"], sort=False).agg(
        rate=("participation_rate", "mean"), size=("size", "mean")).reset_index()
    out = per_seed.groupby(["scenario", "bin"], sort=False).agg(
        mean=("rate", "mean"), std=("rate", "std"), count=("rate", "count"),
        size=("size", "mean")).reset_index()
    half = stats.t.ppf(0.5 + LEVEL / 2, np.maximum(out["count"] - 1, 1)) * out["std"] \
        / np.sqrt(out["count"])
    out["low"], out["high"] = out["mean"] - half.fillna(0), out["mean"] + half.fillna(0)
    out["order"] = out["scenario"].map({name: i for i, name in enumerate(scenario_order)})
    return out.sort_values(["order", "bin"]).drop(columns=["order", "std"]) \
        .reset_index(drop=True)


# --- drawing helpers ------------------------------------------------------------------

def _format_axis(ax: Axes, column: str) -> None:
    kind = i18n.KIND.get(column)
    if kind == "share":
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
    elif kind == "count":
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def _bands(ax: Axes, comparison: Comparison, column: str, lang: str,
           linestyle: str = "-", alpha: float = 0.2) -> None:
    """Mean line and 95% band per scenario, over weeks. The reference is drawn wide and
    underneath, the others narrow on top, so a line another one overlaps stays visible;
    scenarios the output is not part of are left out and named in the panel."""
    band = comparison.bands(column)
    low_key, high_key = ("low", "high") if comparison.posterior is None else \
        ("param_low", "param_high")  # with a posterior: the range across parameter sets
    left_out = []
    for name, colour in colours(comparison).items():
        if not comparison.part(column, name):
            left_out.append(name)
            continue
        rows = band[band["scenario"] == name]
        low = rows[low_key].clip(lower=0)  # every output is non-negative (tables: exact)
        reference = name == comparison.reference
        ax.fill_between(rows["week"], low, rows[high_key], color=colour, alpha=alpha,
                        linewidth=0)
        ax.plot(rows["week"], rows["mean"], color=colour, linestyle=linestyle,
                linewidth=3.2 if reference else 1.5, alpha=0.55 if reference else 1.0,
                zorder=2 if reference else 3)
    if left_out:
        names = i18n.t("list_sep", lang).join(scenario_label(comparison, n, lang, 200)
                                              for n in left_out)
        ax.text(0.01, 0.98, i18n.t("not_part_of", lang, names=names), transform=ax.transAxes,
                ha="left", va="top", fontsize=8, color="#777777", wrap=True)
    ax.set_xlabel(i18n.t("axis_week", lang))
    ax.set_xlim(1, comparison.weeks)
    _format_axis(ax, column)


def _panel(ax: Axes, comparison: Comparison, column: str, lang: str) -> None:
    """One output over weeks with bands, titled, its unit on the y axis; a note instead if
    it is all zero or part of no scenario."""
    ax.set_title(i18n.label(column, lang), loc="left")
    ax.set_ylabel(i18n.axis_label(column, lang, with_name=False))
    part_somewhere = any(comparison.part(column, n) for n in comparison.names)
    if not part_somewhere or not has_data(comparison.runs, (column,)):
        note = "all_zero" if part_somewhere else "not_part_anywhere"
        ax.text(0.5, 0.5, i18n.t(note, lang), transform=ax.transAxes, ha="center",
                va="center", color="#777777")
        ax.set_xlim(1, comparison.weeks)
        ax.set_xlabel(i18n.t("axis_week", lang))
        return
    _bands(ax, comparison, column, lang)


def _scenario_legend(fig: Figure, comparison: Comparison, lang: str) -> None:
    """Legend of the scenarios' colours, below the axes; the reference marked."""
    handles = [Line2D([], [], color=c, linewidth=2) for c in colours(comparison).values()]
    labels = [scenario_label(comparison, n, lang) for n in colours(comparison)]
    reference = i18n.t("reference", lang)
    labels[0] = f"{labels[0]} ({reference})" if lang == "en" else f"{labels[0]}（{reference}）"
    fig.legend(handles, labels, loc="outside lower center", ncols=2 if len(labels) > 1 else 1,
               fontsize=9)


# --- the plots --------------------------------------------------------------------------

def draw_single(column: str) -> Callable[[Figure, Comparison, str], None]:
    """A plot of one output over weeks with 95% bands."""
    def draw(fig: Figure, comparison: Comparison, lang: str) -> None:
        ax = fig.subplots()
        _bands(ax, comparison, column, lang)
        ax.set_ylabel(i18n.axis_label(column, lang))
        _scenario_legend(fig, comparison, lang)
    return draw


def draw_difference(column: str) -> Callable[[Figure, Comparison, str], None]:
    """The paired difference of one output from the reference over weeks, per scenario,
    with its 95% interval (with a posterior: its range across parameter sets)."""
    def draw(fig: Figure, comparison: Comparison, lang: str) -> None:
        ax = fig.subplots()
        band = comparison.difference_bands(column)
        low, high = ("low", "high") if comparison.posterior is None else \
            ("param_low", "param_high")
        factor = 100.0 if i18n.KIND.get(column) == "share" else 1.0
        for name, colour in colours(comparison).items():
            if name == comparison.reference or not (
                    comparison.part(column, name) and comparison.part(column,
                                                                      comparison.reference)):
                continue
            rows = band[band["scenario"] == name]
            ax.fill_between(rows["week"], factor * rows[low], factor * rows[high],
                            color=colour, alpha=0.2, linewidth=0)
            ax.plot(rows["week"], factor * rows["mean"], color=colour, linewidth=1.5)
        ax.axhline(0, color=REFERENCE_COLOUR, linewidth=2.4, alpha=0.55, zorder=1)
        ax.set_xlabel(i18n.t("axis_week", lang))
        ax.set_xlim(1, comparison.weeks)
        unit = "axis_points" if factor != 1.0 else "axis_difference"
        ax.set_ylabel(i18n.t(unit, lang))
        _scenario_legend(fig, comparison, lang)
    return draw


def draw_panels(columns: tuple[str, ...], ncols: int | None = None,
                sharey: bool = False) -> Callable[[Figure, Comparison, str], None]:
    """Small multiples: one panel per output over weeks."""
    ncols = ncols or len(columns)
    nrows = -(-len(columns) // ncols)

    def draw(fig: Figure, comparison: Comparison, lang: str) -> None:
        axes = fig.subplots(nrows, ncols, sharey=sharey, squeeze=False).ravel()
        for ax, column in zip(axes, columns, strict=False):
            _panel(ax, comparison, column, lang)
        for ax in axes[len(columns):]:
            ax.set_visible(False)
        _scenario_legend(fig, comparison, lang)
    return draw


def draw_by_kind(fig: Figure, comparison: Comparison, lang: str) -> None:
    """Participation of party vs non-party, and recent vs long-term households."""
    axes = fig.subplots(1, 2, sharey=True)
    pairs = (("panel_party", "participation_rate_party", "participation_rate_nonparty"),
             ("panel_tenure", "participation_rate_recent", "participation_rate_long_term"))
    for ax, (title, solid, dashed) in zip(axes, pairs, strict=True):
        _bands(ax, comparison, solid, lang, alpha=0.15)
        _bands(ax, comparison, dashed, lang, linestyle="--", alpha=0.1)
        ax.set_title(i18n.t(title, lang), loc="left")  # the title says which line is which
        ax.set_ylabel(i18n.axis_label("participation_rate", lang))
    _scenario_legend(fig, comparison, lang)


def draw_by_unit_size(fig: Figure, comparison: Comparison, lang: str) -> None:
    """Mean unit participation against unit size (log-binned), per scenario."""
    ax = fig.subplots()
    table = unit_size_bins(comparison.units, comparison.names)
    table = table[table["count"] >= max(2, len(comparison.seeds) // 2)]  # bins most seeds have
    for name, colour in colours(comparison).items():
        rows = table[table["scenario"] == name]
        ax.errorbar(rows["size"], rows["mean"],
                    yerr=[rows["mean"] - rows["low"], rows["high"] - rows["mean"]],
                    color=colour, marker="o", markersize=4, capsize=3, linewidth=1.4)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xticks([t for t in (5, 10, 20, 50, 100, 200, 500, 1000, 2000)
                   if table["size"].min() / 1.5 <= t <= table["size"].max() * 1.5])
    ax.set_xlabel(i18n.label("size", lang))
    ax.set_ylabel(i18n.axis_label("participation_rate", lang))
    _format_axis(ax, "participation_rate")
    _scenario_legend(fig, comparison, lang)


PLOTS: tuple[Plot, ...] = (
    Plot("participation", "plot_participation", ("participation_rate",),
         draw_single("participation_rate")),
    Plot("participation_difference", "plot_participation_difference",
         ("participation_rate",), draw_difference("participation_rate"),
         caption="caption_difference"),
    Plot("participation_by_kind", "plot_by_kind",
         ("participation_rate_party", "participation_rate_nonparty",
          "participation_rate_recent", "participation_rate_long_term"), draw_by_kind),
    Plot("participation_by_unit_size", "plot_by_unit_size", ("participation_rate",),
         draw_by_unit_size, caption="caption_by_unit_size", source="units", shaded=False),
    Plot("core_volunteers", "plot_core", ("core_volunteers",), draw_single("core_volunteers"),
         caption="caption_core"),
    Plot("groups", "plot_groups", ("groups", "group_members"),
         draw_panels(("groups", "group_members"))),
    Plot("problems", "plot_problems", ("problems_fixed", "mean_weeks_to_fix"),
         draw_panels(("problems_fixed", "mean_weeks_to_fix"))),
    Plot("tie_density", "plot_ties", ("tie_density",), draw_single("tie_density")),
    Plot("co_governance", "plot_co", CO_COLUMNS, draw_panels(CO_COLUMNS, ncols=3, sharey=True),
         caption="caption_co"),
)
SIZES = {"participation_by_kind": (10, 5.2), "groups": (10, 5), "problems": (10, 5),
         "co_governance": (11, 7.2)}


def figure(plot: Plot, comparison: Comparison, lang: str) -> Figure:
    """Draw ``plot`` on a new Agg figure (call inside ``style(lang)``)."""
    fig = Figure(figsize=SIZES.get(plot.name, (9, 5.2)), layout="constrained", dpi=DPI)
    FigureCanvasAgg(fig)
    plot.draw(fig, comparison, lang)
    for ax in fig.axes:  # every output is non-negative (a difference includes 0): show 0
        if ax.get_ylim()[0] > 0:
            ax.set_ylim(bottom=0)
    fig.suptitle(i18n.t(plot.title, lang), fontsize=13, x=0.01, ha="left", fontweight="bold")
    return fig


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def caption(plot: Plot, comparison: Comparison, lang: str) -> str:
    """The caption of ``plot``: what its shading is (95% intervals, or with a posterior the
    range across parameter sets), then what it shows."""
    own = i18n.t(plot.caption, lang)
    if not plot.shaded:
        return own
    shade = i18n.t("shade_seeds" if comparison.posterior is None else "shade_params", lang)
    return f"{shade} {own}" if lang == "en" else shade + own


def render(comparison: Comparison, lang: str) -> list[Rendered]:
    """Every plot of ``PLOTS`` as PNG bytes; a plot with no data is returned with png=None."""
    i18n.check_lang(lang)
    titles = [sc.text("title", lang) for sc in comparison.scenarios]
    warn_if_no_cjk_font(lang, titles)
    out = []
    with style(lang):
        for plot in PLOTS:
            frame = comparison.units if plot.source == "units" else comparison.runs
            title, text = i18n.t(plot.title, lang), caption(plot, comparison, lang)
            if not has_data(frame, plot.columns):
                out.append(Rendered(plot.name, title, text, None))
                continue
            out.append(Rendered(plot.name, title, text, png(figure(plot, comparison, lang))))
    return out
