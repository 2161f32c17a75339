"""The community map's geometry and colours, shared by the SVG (app) and matplotlib
(animation) renderers.

Households are drawn as cells inside their neighbour unit's tile, and tiles are grouped in a
block per grid cell. With more households than a screen can show, each cell is a whole unit
(blocks per grid cell), and with very many, a whole grid cell (blocks per community); such
cells are coloured by the share of their households taking part this week. Coordinates are in
cell widths, y downwards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from model.structure import Layout

from .state import Snapshot

Level = Literal["household", "unit", "grid"]
HOUSEHOLD_LIMIT = 4000  # households drawn one by one up to this many
UNIT_LIMIT = 2500  # units drawn as tiles up to this many; beyond, grid cells

CELL = 0.88  # drawn size of a household cell (the rest of its slot is the gap)
TILE_GAP = 0.45  # between unit tiles inside a block
BLOCK_PAD = 0.6  # inside a block's frame
BLOCK_HEADER = 2.4  # room for the block's label (legible on a projector)
BLOCK_GAP = 1.0  # between blocks
ASPECT = 1.6  # width / height the map aims for

# household states
THIS_WEEK, RECENT, NONE = 0, 1, 2
STATE_COLOURS = ("#1b7837", "#a6dba0", "#e4e4e4")
STATE_KEYS = ("legend_this_week", "legend_recent", "legend_none")
# aggregated cells: share taking part this week, in bins
SHARE_BINS = (0.05, 0.10, 0.20, 0.40)
SHARE_COLOURS = ("#f0f0f0", "#d9f0d3", "#a6dba0", "#5aae61", "#1b7837")
PARTY_COLOUR = "#d32f2f"
HEAD_COLOUR = "#1a237e"
LISTED_COLOUR = "#f9a825"
COURIER_COLOUR = "#ef6c00"
STATION_COLOUR = "#00838f"
BUSINESS_COLOURS = ("#1565c0", "#6a1b9a", "#795548")  # office, shop, developer
SHARING_COLOUR = "#ffd54f"
INTERVENTION_COLOUR = "#c2185b"
FRAME_COLOUR = "#9e9e9e"
PLAYER_COLOUR = "#000000"  # the ring around a classroom player's place
MARK_WEEKS = 8  # an applied intervention stays outlined on the map this long
COURIER_MARKER = 0.34  # half the diagonal of a courier's diamond
BUSINESS_MARKER = 0.8  # side of a business's square


@dataclass(frozen=True)
class MapGeometry:
    """Where everything is drawn. Boxes are rows of (x0, y0, x1, y1)."""

    level: Level
    cells: np.ndarray  # top-left corner of each cell (household, unit or grid by level)
    cell_of_household: np.ndarray
    unit_box: np.ndarray  # per unit: its tile (household/unit level) or its grid's cell
    grid_box: np.ndarray  # per grid cell: its block (household/unit level) or its cell
    block_box: np.ndarray  # the frames drawn with a label
    block_kind: str  # "grid" or "community": what a block is
    width: float
    height: float

    @property
    def unit_centre(self) -> np.ndarray:
        b = self.unit_box
        return np.column_stack(((b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2))


def label_size(geom: MapGeometry) -> float:
    """Font size of block labels (cell widths): as tall as the room above the block's cells
    allows, but a label such as "社区 100" still fits in its block."""
    narrowest = float((geom.block_box[:, 2] - geom.block_box[:, 0]).min())
    return min(BLOCK_HEADER * 0.85, narrowest / 4.6)


def choose_level(layout: Layout) -> Level:
    if layout.households <= HOUSEHOLD_LIMIT:
        return "household"
    return "unit" if layout.units <= UNIT_LIMIT else "grid"


def build(layout: Layout, level: Level | None = None) -> MapGeometry:
    """Lay the map out for ``layout`` (deterministic; depends on the layout only)."""
    level = level or choose_level(layout)
    if level == "household":
        cols = max(1, math.ceil(math.sqrt(int(layout.unit_size.max()))))
        size = layout.unit_size.astype(np.int64)
        item_wh = np.column_stack((np.minimum(size, cols), -(-size // cols))).astype(float)
        block_of_item, gap = layout.grid_of_unit, TILE_GAP
    elif level == "unit":
        item_wh = np.ones((layout.units, 2))
        block_of_item, gap = layout.grid_of_unit, 0.15
    else:
        grids = layout.count("grid")
        first_unit = np.searchsorted(layout.grid_of_unit, np.arange(grids))
        item_wh = np.ones((grids, 2))
        block_of_item, gap = layout.community_of_unit[first_unit], 0.15
    item_xy, block_box = _blocks(item_wh, block_of_item, gap)
    item_box = np.column_stack((item_xy, item_xy + item_wh))
    width = float(block_box[:, 2].max()) if len(block_box) else 1.0
    height = float(block_box[:, 3].max()) if len(block_box) else 1.0

    if level == "household":
        k = np.arange(layout.households) - layout.unit_start[layout.unit_of]
        cells = item_xy[layout.unit_of] + np.column_stack((k % cols, k // cols))
        cell_of_household = np.arange(layout.households)
        unit_box, grid_box = item_box, block_box
    elif level == "unit":
        cells, cell_of_household = item_xy, layout.unit_of.astype(np.int64)
        unit_box, grid_box = item_box, block_box
    else:
        cells, cell_of_household = item_xy, layout.grid_of.astype(np.int64)
        unit_box, grid_box = item_box[layout.grid_of_unit], item_box
    return MapGeometry(level=level, cells=cells.astype(float),
                       cell_of_household=cell_of_household, unit_box=unit_box,
                       grid_box=grid_box, block_box=block_box,
                       block_kind="community" if level == "grid" else "grid",
                       width=width, height=height)


def _shelf(wh: np.ndarray, gap: float, max_width: float) -> tuple[np.ndarray, float, float]:
    """Place boxes left to right in rows no wider than ``max_width`` (each row as tall as
    its tallest box). Returns top-left corners and the total width and height."""
    xy = np.zeros_like(wh)
    x = y = row_h = width = 0.0
    for i, (w, h) in enumerate(wh):
        if x > 0 and x + w > max_width + 1e-9:
            y += row_h + gap
            x = row_h = 0.0
        xy[i] = (x, y)
        x += w + gap
        row_h = max(row_h, h)
        width = max(width, x - gap)
    return xy, width, y + row_h


def _shelf_with_aspect(wh: np.ndarray, gap: float,
                       aspect: float = ASPECT) -> tuple[np.ndarray, float, float]:
    """Shelf-pack with the row width whose result is closest to ``aspect`` (width / height).
    Returns top-left corners and the total width and height."""
    widths = np.cumsum(wh[:, 0] + gap) - gap  # a row of the first k boxes
    widths = np.unique(np.maximum(widths, wh[:, 0].max()))
    if len(widths) > 200:  # many blocks: try 200 row widths spread over the range
        widths = widths[np.linspace(0, len(widths) - 1, 200).astype(int)]
    best, packed = math.inf, None
    for width in widths:
        xy, w, h = _shelf(wh, gap, float(width))
        score = abs(math.log((w / h) / aspect))
        if score < best:
            best, packed = score, (xy, w, h)
    assert packed is not None
    return packed


def _blocks(item_wh: np.ndarray, block_of_item: np.ndarray,
            gap: float) -> tuple[np.ndarray, np.ndarray]:
    """Pack items into one block per id (items of a block are consecutive), then pack the
    blocks. Returns each item's top-left corner and each block's frame."""
    ids = np.asarray(block_of_item)
    starts = np.flatnonzero(np.concatenate(([True], np.diff(ids) != 0)))
    ends = np.append(starts[1:], len(ids))
    inner, sizes = [], []
    # a lone block takes the map's shape; several are a little wider than tall, so that a
    # row of blocks reads as a street
    aspect = ASPECT if len(starts) == 1 else 1.2
    for lo, hi in zip(starts, ends, strict=True):
        xy, w, h = _shelf_with_aspect(item_wh[lo:hi], gap, aspect)
        inner.append(xy)
        sizes.append((w + 2 * BLOCK_PAD, h + 2 * BLOCK_PAD + BLOCK_HEADER))
    block_wh = np.array(sizes, dtype=float)
    block_xy = _shelf_with_aspect(block_wh, BLOCK_GAP)[0]
    item_xy = np.zeros_like(item_wh)
    for b, (lo, hi) in enumerate(zip(starts, ends, strict=True)):
        item_xy[lo:hi] = inner[b] + block_xy[b] + (BLOCK_PAD, BLOCK_PAD + BLOCK_HEADER)
    block_box = np.column_stack((block_xy, block_xy + block_wh))
    return item_xy, block_box


# --- what each cell shows --------------------------------------------------------------------

def household_state(snap: Snapshot) -> np.ndarray:
    """THIS_WEEK, RECENT (in the last eight weeks, not this one) or NONE per household."""
    return np.where(snap.contributed, THIS_WEEK,
                    np.where(snap.recent > 0, RECENT, NONE)).astype(np.int8)


@dataclass(frozen=True)
class CellStats:
    """Per aggregated cell (unit or grid): households and how many of them do what."""

    size: np.ndarray
    this_week: np.ndarray
    recent: np.ndarray  # took part in the last eight weeks (this one included)
    party: np.ndarray
    heads: np.ndarray
    members: np.ndarray

    @property
    def share(self) -> np.ndarray:
        return self.this_week / np.maximum(self.size, 1)

    @property
    def recent_share(self) -> np.ndarray:
        return self.recent / np.maximum(self.size, 1)


def cell_stats(geom: MapGeometry, snap: Snapshot) -> CellStats:
    n = len(geom.cells)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(geom.cell_of_household, weights=mask, minlength=n).astype(int)

    return CellStats(size=count(np.ones(len(snap.contributed))), this_week=count(snap.contributed),
                     recent=count(snap.recent > 0), party=count(snap.party),
                     heads=count(snap.head > 0), members=count(snap.member))


def share_bin(share: np.ndarray) -> np.ndarray:
    """Index into SHARE_COLOURS for each share."""
    return np.searchsorted(np.asarray(SHARE_BINS), share, side="right")


def cell_colours(geom: MapGeometry, snap: Snapshot) -> list[str]:
    """The fill colour of every cell."""
    if geom.level == "household":
        return [STATE_COLOURS[s] for s in household_state(snap)]
    return [SHARE_COLOURS[b] for b in share_bin(cell_stats(geom, snap).share)]


def share_legend() -> list[tuple[str, str]]:
    """(colour, range text) for the share bins."""
    edges = (0.0, *SHARE_BINS)
    out = [(SHARE_COLOURS[i], f"{edges[i]:.0%}–{edges[i + 1]:.0%}")
           for i in range(len(SHARE_BINS))]
    return [*out, (SHARE_COLOURS[-1], f"≥ {SHARE_BINS[-1]:.0%}")]


def visible_marks(snap: Snapshot) -> list:
    """Interventions still outlined on the map: queued ones and those of the last weeks."""
    return [m for m in snap.marks if m.pending or snap.week - m.week < MARK_WEEKS]


def mark_box(geom: MapGeometry, snap: Snapshot, kind: str, details: dict) -> np.ndarray | None:
    """The box an intervention outlines (None: it has no place, e.g. the red list)."""
    if "household" in details:
        h = int(details["household"])
        if geom.level == "household":
            x, y = geom.cells[h]
            return np.array([x, y, x + 1, y + 1])
        return geom.unit_box[int(snap.layout.unit_of[h])]
    if "unit" in details:
        return geom.unit_box[int(details["unit"])]
    if "grid" in details:
        return geom.grid_box[int(details["grid"])]
    if "business" in details:
        b = int(details["business"])
        first = geom.unit_box[int(snap.businesses.first_unit[b])]
        last = geom.unit_box[int(snap.businesses.last_unit[b]) - 1]
        return np.array([min(first[0], last[0]), min(first[1], last[1]),
                         max(first[2], last[2]), max(first[3], last[3])])
    return None


def business_anchor(geom: MapGeometry, snap: Snapshot) -> np.ndarray:
    """Where each business's marker sits: the top-left corner of its first unit's tile."""
    return geom.unit_box[snap.businesses.first_unit, :2]


def business_boxes(geom: MapGeometry, snap: Snapshot) -> np.ndarray:
    """Each business's square in the SVG, over the corner of its first unit's tile."""
    corner = business_anchor(geom, snap) - 0.5
    return np.column_stack((corner, corner + BUSINESS_MARKER))


def courier_markers(paths: list[np.ndarray]) -> np.ndarray:
    """Where each courier's marker sits: the middle point of its route (``courier_paths``)."""
    middles = [real[len(real) // 2] for real in (p[~np.isnan(p[:, 0])] for p in paths)]
    return np.array(middles, dtype=float).reshape(-1, 2)


def courier_paths(geom: MapGeometry, snap: Snapshot) -> list[np.ndarray]:
    """Each courier's route as points through the centres of the tiles it crosses, nudged
    apart so overlapping routes stay visible; a jump where a route wraps is cut (NaN row)."""
    centre = geom.unit_centre
    span = float(np.median(geom.unit_box[:, 3] - geom.unit_box[:, 1])) if len(centre) else 1.0
    out = []
    for c, units in enumerate(snap.couriers.routes):
        pts = centre[units] + ((c % 7) - 3) * 0.06 * span
        jumps = np.flatnonzero(np.diff(units) < 0)  # where the route wraps to unit 0
        for j in jumps[::-1]:
            pts = np.insert(pts, j + 1, [np.nan, np.nan], axis=0)
        out.append(pts)
    return out


# --- the classroom's players -----------------------------------------------------------------

@dataclass(frozen=True)
class Highlight:
    """Places ringed on the map: the classroom's players (households and heads by household,
    couriers and businesses by index). Empty in the trainer."""

    households: tuple[int, ...] = ()
    couriers: tuple[int, ...] = ()
    businesses: tuple[int, ...] = ()


NO_HIGHLIGHT = Highlight()


def highlight_places(geom: MapGeometry, snap: Snapshot,
                     highlight: Highlight) -> list[tuple[str, int, np.ndarray]]:
    """(kind, index, box) of each highlighted place: a household's cell (or the unit or grid
    cell drawn for it), a courier's or business's marker (those are not drawn on grid maps)."""
    cells = geom.cells[geom.cell_of_household[list(highlight.households)]]
    out = [("household", h, np.array([x, y, x + CELL, y + CELL]))
           for h, (x, y) in zip(highlight.households, cells, strict=True)]
    if geom.level == "grid":
        return out
    if highlight.couriers:
        markers = courier_markers(courier_paths(geom, snap))
        out += [("courier", c, np.concatenate((markers[c] - COURIER_MARKER,
                                               markers[c] + COURIER_MARKER)))
                for c in highlight.couriers]
    boxes = business_boxes(geom, snap)
    return out + [("business", b, boxes[b]) for b in highlight.businesses]
