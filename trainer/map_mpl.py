"""The community map drawn with matplotlib (for animations and slides); the same geometry,
colours and markers as the app's SVG map, without tooltips."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from . import map as mp
from .labels import tr
from .state import Snapshot

CELL = mp.CELL


def _squares(xy: np.ndarray, size: float) -> np.ndarray:
    """(n, 4, 2) corners of squares with top-left corners ``xy``."""
    x, y = xy[:, 0], xy[:, 1]
    return np.stack([np.column_stack((x, y)), np.column_stack((x + size, y)),
                     np.column_stack((x + size, y + size)), np.column_stack((x, y + size))],
                    axis=1)


def _boxes(boxes: np.ndarray) -> np.ndarray:
    x0, y0, x1, y1 = boxes.T
    return np.stack([np.column_stack((x0, y0)), np.column_stack((x1, y0)),
                     np.column_stack((x1, y1)), np.column_stack((x0, y1))], axis=1)


def points_per_cell(ax: Axes, geom: mp.MapGeometry) -> float:
    """Size of one cell in points, for marker sizes (the axes keep an equal aspect)."""
    fig = ax.get_figure(root=True)
    assert isinstance(fig, Figure)
    bbox = ax.get_position()
    width_pt, height_pt = (bbox.width * fig.get_figwidth() * 72,
                           bbox.height * fig.get_figheight() * 72)
    return min(width_pt / (geom.width + 1.2), height_pt / (geom.height + 1.2))


def draw(ax: Axes, geom: mp.MapGeometry, snap: Snapshot, lang: str,
         legend: bool = True) -> None:
    """Draw the map of ``snap`` on ``ax`` (cleared first)."""
    ax.clear()
    ax.set_xlim(-0.6, geom.width + 0.6)
    ax.set_ylim(geom.height + 0.6, -0.6)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ppc = points_per_cell(ax, geom)
    font = max(5.0, min(11.0, ppc * mp.label_size(geom)))

    ax.add_collection(PolyCollection(list(_boxes(geom.block_box)), facecolors="#fafafa",
                                     edgecolors=mp.FRAME_COLOUR, linewidths=0.6))
    key = "block_grid" if geom.block_kind == "grid" else "block_community"
    if len(geom.block_box) <= 60:  # labels would crowd a map of many blocks
        for b, box in enumerate(geom.block_box):
            ax.text(box[0] + mp.BLOCK_PAD, box[1] + mp.BLOCK_PAD, tr(key, lang, id=b),
                    fontsize=font * 0.8, va="top", color="#424242")
    if geom.level == "household":
        tiles = geom.unit_box + np.array([-0.2, -0.2, 0.2 - (1 - CELL), 0.2 - (1 - CELL)])
        ax.add_collection(PolyCollection(list(_boxes(tiles)), facecolors="#ffffff",
                                         edgecolors="#bdbdbd", linewidths=0.4))
    ax.add_collection(PolyCollection(list(_squares(geom.cells, CELL)),
                                     facecolors=mp.cell_colours(geom, snap), linewidths=0))
    if geom.level == "household":
        _household_marks(ax, geom, snap, ppc)
    _stations(ax, geom, snap, ppc)
    if geom.level != "grid":
        _couriers(ax, geom, snap, ppc)
        _businesses(ax, geom, snap, ppc)
    _interventions(ax, geom, snap, lang, font)
    if legend:
        ax.legend(handles=legend_handles(geom, lang), loc="upper left",
                  bbox_to_anchor=(0.0, 0.0), ncol=3, fontsize=7, frameon=False,
                  handlelength=1.2, columnspacing=1.0)


def _household_marks(ax: Axes, geom: mp.MapGeometry, snap: Snapshot, ppc: float) -> None:
    listed = np.flatnonzero(snap.listed)
    if len(listed):
        ax.add_collection(PolyCollection(list(_squares(geom.cells[listed] + 0.06, CELL - 0.12)),
                                         facecolors="none", edgecolors=mp.LISTED_COLOUR,
                                         linewidths=max(0.6, ppc * 0.12)))
    party = geom.cells[snap.party]
    ax.scatter(party[:, 0] + 0.25, party[:, 1] + 0.25, s=(ppc * 0.3) ** 2, c=mp.PARTY_COLOUR,
               linewidths=0, zorder=3)
    heads = geom.cells[snap.head > 0]
    ax.scatter(heads[:, 0] + CELL - 0.25, heads[:, 1] + 0.25, s=(ppc * 0.4) ** 2, marker="v",
               c=mp.HEAD_COLOUR, linewidths=0, zorder=3)


def _stations(ax: Axes, geom: mp.MapGeometry, snap: Snapshot, ppc: float) -> None:
    grids = np.flatnonzero(snap.station_grid)
    if len(grids) == 0:
        return
    if geom.level == "grid":
        xy = geom.cells[grids] + CELL / 2
    else:  # the grid block's top-right corner, as in the SVG
        xy = np.column_stack((geom.grid_box[grids, 2] - 1.0, geom.grid_box[grids, 1] + 0.9))
    ax.scatter(xy[:, 0], xy[:, 1], s=(ppc * 1.1) ** 2, marker="s", c=mp.STATION_COLOUR,
               zorder=4)


def _couriers(ax: Axes, geom: mp.MapGeometry, snap: Snapshot, ppc: float) -> None:
    cv = snap.couriers
    if len(cv) == 0:
        return
    paths = mp.courier_paths(geom, snap)
    segments, alphas = [], []
    for c, pts in enumerate(paths):
        for seg in np.split(pts, np.flatnonzero(np.isnan(pts[:, 0]))):
            seg = seg[~np.isnan(seg[:, 0])]
            if len(seg) > 1:
                segments.append(seg)
                alphas.append(0.18 if cv.near_station[c] else 0.06)
    ax.add_collection(LineCollection(segments, colors=[(0.94, 0.42, 0.0, a) for a in alphas],
                                     linewidths=max(0.5, ppc * 0.1), zorder=2))
    middle = mp.courier_markers(paths)
    fill = np.where(cv.active[:, None], np.array([[0.94, 0.42, 0.0, 1.0]]),
                    np.array([[1.0, 1.0, 1.0, 1.0]]))
    ax.scatter(middle[:, 0], middle[:, 1], s=(ppc * 0.6) ** 2, marker="D", c=fill,
               edgecolors=mp.COURIER_COLOUR, linewidths=0.8, zorder=4)


def _businesses(ax: Axes, geom: mp.MapGeometry, snap: Snapshot, ppc: float) -> None:
    bv = snap.businesses
    if len(bv) == 0:
        return
    xy = mp.business_anchor(geom, snap) - 0.1
    fill = [mp.SHARING_COLOUR if s else "#ffffff" for s in bv.sharing]
    edge = [mp.BUSINESS_COLOURS[int(k)] for k in bv.kind]
    ax.scatter(xy[:, 0], xy[:, 1], s=(ppc * 0.8) ** 2, marker="s", c=fill, edgecolors=edge,
               linewidths=1.2, zorder=4)


def _interventions(ax: Axes, geom: mp.MapGeometry, snap: Snapshot, lang: str,
                   font: float) -> None:
    for mark in mp.visible_marks(snap):
        box = mp.mark_box(geom, snap, mark.kind, mark.details)
        if box is None:
            continue
        pad = 0.35
        ax.add_patch(Rectangle((box[0] - pad, box[1] - pad), box[2] - box[0] + 2 * pad,
                               box[3] - box[1] + 2 * pad, fill=False, zorder=5,
                               edgecolor=mp.INTERVENTION_COLOUR, linewidth=1.6,
                               linestyle="--" if mark.pending else "-"))
        ax.text(box[0], box[1] - pad - 0.2, tr("iv_short_" + mark.kind, lang),
                fontsize=font * 0.8, color=mp.INTERVENTION_COLOUR, zorder=5)


def legend_handles(geom: mp.MapGeometry, lang: str) -> list:
    """Legend entries for the map (what each colour and marker means)."""
    if geom.level == "household":
        handles: list = [Patch(color=c, label=tr(k, lang))
                         for c, k in zip(mp.STATE_COLOURS, mp.STATE_KEYS, strict=True)]
        handles += [Line2D([], [], ls="", marker="o", color=mp.PARTY_COLOUR,
                           label=tr("legend_party", lang)),
                    Line2D([], [], ls="", marker="v", color=mp.HEAD_COLOUR,
                           label=tr("legend_head", lang)),
                    Patch(facecolor="none", edgecolor=mp.LISTED_COLOUR, linewidth=1.5,
                          label=tr("legend_listed", lang))]
    else:
        handles = [Patch(color=c, label=text) for c, text in mp.share_legend()]
        handles[0].set_label(f"{tr('legend_share', lang)} {handles[0].get_label()}")
    handles += [Line2D([], [], ls="", marker="D", markerfacecolor="white",
                       color=mp.COURIER_COLOUR, label=tr("legend_courier", lang)),
                Line2D([], [], ls="", marker="s", color=mp.STATION_COLOUR,
                       label=tr("legend_station", lang)),
                Line2D([], [], ls="", marker="s", markerfacecolor=mp.SHARING_COLOUR,
                       color=mp.BUSINESS_COLOURS[0], label=tr("legend_business", lang)),
                Patch(facecolor="none", edgecolor=mp.INTERVENTION_COLOUR, linewidth=1.5,
                      label=tr("legend_intervention", lang))]
    return handles
