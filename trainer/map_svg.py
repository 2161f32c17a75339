"""The community map as SVG for the app, in three parts so that a week sends little:

- ``base``: everything that stays while a run lasts (blocks, unit tiles, one shape per cell,
  courier routes, businesses), drawn once per run and language;
- ``codes``: per cell, courier and business, one character for its colour this week (the page
  recolours only the shapes whose character changed);
- ``layers``: the few marks drawn over the map (party members, heads, the red list, the
  classroom's players, stations, interventions, the selected target), each re-sent only when
  it changes.

Hovering or clicking a shape names it as ``(kind, index)``: ``map_tips.tip`` writes its
tooltip and ``target`` says what a click on it selects.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np

from . import map as mp
from .labels import tr
from .state import Snapshot

CELL = mp.CELL


def _f(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _rect(box, cls: str = "", extra: str = "") -> str:
    x0, y0, x1, y1 = (float(v) for v in box)
    klass = f' class="{cls}"' if cls else ""
    return (f'<rect{klass} x="{_f(x0)}" y="{_f(y0)}" width="{_f(x1 - x0)}" '
            f'height="{_f(y1 - y0)}"{extra}/>')


# --- the part drawn once ------------------------------------------------------------------------

def _style(geom: mp.MapGeometry, stroke: float) -> str:
    colours = mp.STATE_COLOURS if geom.level == "household" else mp.SHARE_COLOURS
    route = max(0.06, stroke * 1.5)
    return ("<style>"
            + "".join(f".cells .k{i}{{fill:{c}}}" for i, c in enumerate(colours))
            + f".cells rect{{width:{_f(CELL)}px;height:{_f(CELL)}px}}"
            + (f".cells rect{{stroke:#bdbdbd;stroke-width:{_f(stroke)}px}}"
               if geom.level != "household" else "")
            + ".deco,.route,.labels,[data-layer]>*{pointer-events:none}"
            + "[data-layer] [data-tip]{pointer-events:auto}"
            + f".route{{fill:none;stroke:{mp.COURIER_COLOUR};stroke-opacity:0.05;"
            + f"stroke-width:{_f(route)}px}}"
            + ".couriers .near .route{stroke-opacity:0.16}"
            + ".couriers>g:hover .route{stroke-opacity:0.95;stroke-width:0.3px}"
            + f".couriers .k1 .marker{{fill:{mp.COURIER_COLOUR}}}"
            + ".couriers .k0 .marker{fill:#ffffff}"
            + f".businesses .k1{{fill:{mp.SHARING_COLOUR}}}.businesses .k0{{fill:#ffffff}}"
            + f"[data-items]>*:hover{{stroke:#212121;stroke-width:{_f(max(0.1, stroke * 2))}px}}"
            + "</style>")


def base(geom: mp.MapGeometry, snap: Snapshot, lang: str) -> str:
    """The map's fixed shapes as one ``<svg>`` (scales to its container's width). Uses only
    what does not change during a run: the layout, couriers' routes, businesses' places."""
    font = mp.label_size(geom)
    stroke = max(0.05, geom.width / 900)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="linli-map-svg" '
        f'data-level="{geom.level}" '
        f'viewBox="-0.6 -0.6 {_f(geom.width + 1.2)} {_f(geom.height + 1.2)}" '
        f'width="100%" height="100%" preserveAspectRatio="xMidYMin meet">',
        _style(geom, stroke),
    ]
    parts += _blocks(geom, lang, font, stroke)
    if geom.level == "household":
        parts += _tiles(geom, stroke)
    parts.append(f'<g class="cells" data-items="{geom.level}" data-codes="cell">')
    parts += [f'<rect x="{_f(x)}" y="{_f(y)}"/>' for x, y in geom.cells]
    parts.append("</g>")
    parts += _couriers(geom, snap, stroke)
    parts += _businesses(geom, snap)
    parts += [f'<g data-layer="{name}"></g>' for name in LAYERS]
    parts.append("</svg>")
    return "".join(parts)


def _blocks(geom: mp.MapGeometry, lang: str, font: float, stroke: float) -> list[str]:
    out = ['<g class="blocks" data-items="block">']
    out += [_rect(box, extra=f' rx="0.4" fill="#fafafa" stroke="{mp.FRAME_COLOUR}" '
                             f'stroke-width="{_f(stroke)}"') for box in geom.block_box]
    out.append(f'</g><g class="labels" font-size="{_f(font)}" fill="#424242">')
    key = "block_grid" if geom.block_kind == "grid" else "block_community"
    out += [f'<text x="{_f(box[0] + mp.BLOCK_PAD)}" y="{_f(box[1] + mp.BLOCK_PAD + font * 0.8)}">'
            f"{escape(tr(key, lang, id=b))}</text>" for b, box in enumerate(geom.block_box)]
    out.append("</g>")
    return out


def _tiles(geom: mp.MapGeometry, stroke: float) -> list[str]:
    grow = np.array([-0.2, -0.2, 0.2 - (1 - CELL), 0.2 - (1 - CELL)])
    out = [f'<g class="tiles" data-items="unit" fill="#ffffff" stroke="#bdbdbd" '
           f'stroke-width="{_f(stroke)}">']
    out += [_rect(box + grow) for box in geom.unit_box]
    out.append("</g>")
    return out


def _couriers(geom: mp.MapGeometry, snap: Snapshot, stroke: float) -> list[str]:
    cv = snap.couriers
    if len(cv) == 0 or geom.level == "grid":  # at grid level routes would cover everything
        return []
    out = ['<g class="couriers" data-items="courier" data-codes="courier">']
    width = max(0.06, stroke * 1.5)
    paths = mp.courier_paths(geom, snap)
    for c, (pts, (x, y)) in enumerate(zip(paths, mp.courier_markers(paths), strict=True)):
        # a faint route (stronger if it passes a station); hovering the marker shows it fully
        dash = "" if cv.near_station[c] else f' stroke-dasharray="{_f(width * 4)} {_f(width * 3)}"'
        lines = []
        for seg in np.split(pts, np.flatnonzero(np.isnan(pts[:, 0]))):
            seg = seg[~np.isnan(seg[:, 0])]
            if len(seg):
                points = " ".join(f"{_f(x)},{_f(y)}" for x, y in seg)
                lines.append(f'<polyline class="route" points="{points}"{dash}/>')
        r = mp.COURIER_MARKER
        near = ' class="near"' if cv.near_station[c] else ""
        out.append(f'<g{near}>{"".join(lines)}'
                   f'<path class="marker" d="M{_f(x)} {_f(y - r)}l{_f(r)} {_f(r)}l{_f(-r)} '
                   f'{_f(r)}l{_f(-r)} {_f(-r)}z" stroke="{mp.COURIER_COLOUR}" '
                   f'stroke-width="0.1"/></g>')
    out.append("</g>")
    return out


def _businesses(geom: mp.MapGeometry, snap: Snapshot) -> list[str]:
    bv = snap.businesses
    if len(bv) == 0 or geom.level == "grid":
        return []
    out = ['<g class="businesses" data-items="business" data-codes="business">']
    for b, box in enumerate(mp.business_boxes(geom, snap)):
        out.append(_rect(box, extra=f' stroke="{mp.BUSINESS_COLOURS[int(bv.kind[b])]}" '
                                    'stroke-width="0.16"'))
    out.append("</g>")
    return out


# --- what changes week by week ------------------------------------------------------------------

def _chars(values: np.ndarray) -> str:
    return "".join(map(str, np.asarray(values, dtype=np.int64).tolist()))


def codes(geom: mp.MapGeometry, snap: Snapshot) -> dict[str, str]:
    """One digit per shape of each recoloured group: a cell's state or share bin, whether a
    courier joined an activity this week, whether a business shares its parking or rooms."""
    if geom.level == "household":
        cells = mp.household_state(snap)
    else:
        cells = mp.share_bin(mp.cell_stats(geom, snap).share)
    out = {"cell": _chars(cells)}
    if geom.level != "grid":
        out["courier"] = _chars(snap.couriers.active)
        out["business"] = _chars(snap.businesses.sharing)
    return out


@dataclass(frozen=True)
class Target:
    """What a click on the map selected, as intervention details understand it."""

    household: int | None = None
    unit: int | None = None
    grid: int | None = None
    business: int | None = None

    @property
    def kind(self) -> str:
        """The most precise thing selected."""
        for key in ("household", "business", "unit", "grid"):
            if getattr(self, key) is not None:
                return key
        return "none"


def target(snap: Snapshot, kind: str, i: int) -> Target | None:
    """What clicking shape ``i`` of group ``kind`` selects (None: nothing to select)."""
    lay = snap.layout
    if kind == "household" and 0 <= i < lay.households:
        return Target(household=i, unit=int(lay.unit_of[i]), grid=int(lay.grid_of[i]))
    if kind == "unit" and 0 <= i < lay.units:
        return Target(unit=i, grid=int(lay.grid_of_unit[i]))
    if kind in ("grid", "station") and 0 <= i < lay.count("grid"):
        units = np.flatnonzero(lay.grid_of_unit == i)  # a grid's first unit stands for it
        return Target(unit=int(units[0]), grid=i)
    if kind == "business" and 0 <= i < len(snap.businesses):
        first = int(snap.businesses.first_unit[i])
        return Target(business=i, unit=first, grid=int(lay.grid_of_unit[first]))
    return None


def block_target(geom: mp.MapGeometry, snap: Snapshot, i: int) -> Target | None:
    """A click on a block: its grid cell (blocks are communities on the most crowded maps)."""
    return target(snap, "grid", i) if geom.block_kind == "grid" else None


# --- marks drawn over the map -------------------------------------------------------------------

LAYERS = ("party", "heads", "listed", "players", "stations", "marks", "selection")
SELECTION_COLOUR = "#1565c0"


def layers(geom: mp.MapGeometry, snap: Snapshot, lang: str, selected: Target | None = None,
           highlight: mp.Highlight = mp.NO_HIGHLIGHT) -> dict[str, str]:
    """The SVG inside each ``<g data-layer=…>`` (empty string: nothing to draw)."""
    return {name: layer(name, geom, snap, lang, selected, highlight) for name in LAYERS}


def layer_inputs(name: str, snap: Snapshot,
                 highlight: mp.Highlight = mp.NO_HIGHLIGHT) -> bytes | mp.Highlight:
    """What layer ``name`` is drawn from: equal inputs, equal layer (so a page can skip
    redrawing it). Marks and the selection depend on more (b""): redraw those each week."""
    if name == "players":
        return highlight
    arrays = {"party": snap.party, "heads": snap.head, "listed": snap.listed,
              "stations": snap.station_grid}
    return arrays[name].tobytes() if name in arrays else b""


def layer(name: str, geom: mp.MapGeometry, snap: Snapshot, lang: str,
          selected: Target | None = None, highlight: mp.Highlight = mp.NO_HIGHLIGHT) -> str:
    """One of LAYERS as SVG."""
    font = mp.label_size(geom)
    stroke = max(0.05, geom.width / 900)
    c = geom.cells
    if name in ("party", "heads", "listed") and geom.level != "household":
        return ""
    if name == "party":
        dots = "".join(f'<circle cx="{_f(x + 0.25)}" cy="{_f(y + 0.25)}" r="0.15"/>'
                       for x, y in c[snap.party])
        return f'<g fill="{mp.PARTY_COLOUR}">{dots}</g>' if dots else ""
    if name == "heads":
        marks = "".join(f'<path d="M{_f(x + CELL - 0.42)} {_f(y + 0.08)}h0.36v0.36z"/>'
                        for x, y in c[snap.head > 0])
        return f'<g fill="{mp.HEAD_COLOUR}">{marks}</g>' if marks else ""
    if name == "listed":
        boxes = "".join(f'<rect x="{_f(x + 0.06)}" y="{_f(y + 0.06)}" width="{_f(CELL - 0.12)}" '
                        f'height="{_f(CELL - 0.12)}"/>' for x, y in c[snap.listed])
        return (f'<g fill="none" stroke="{mp.LISTED_COLOUR}" stroke-width="0.14">{boxes}</g>'
                if boxes else "")
    if name == "players":
        return _players(geom, snap, highlight, stroke)
    if name == "stations":
        return _stations(geom, snap, font)
    if name == "marks":
        return _interventions(geom, snap, lang, font, stroke)
    if name == "selection":
        return _selection(geom, snap, selected, stroke) if selected is not None else ""
    raise ValueError(f"unknown layer {name!r}")


def _stations(geom: mp.MapGeometry, snap: Snapshot, font: float) -> str:
    """A station sits in its grid block's top-right corner (or in its grid cell's corner
    when the map shows grid cells)."""
    out = []
    for g in np.flatnonzero(snap.station_grid):
        x1, y0 = geom.grid_box[g][2], geom.grid_box[g][1]
        if geom.level == "grid":
            box = (x1 - 0.55, y0 + 0.05, x1 - 0.15, y0 + 0.45)
        else:
            s = font * 1.1
            box = (x1 - s - 0.3, y0 + 0.25, x1 - 0.3, y0 + 0.25 + s)
        out.append(_rect(box, cls="station",
                         extra=f' data-tip="station:{int(g)}" rx="0.1" '
                               f'fill="{mp.STATION_COLOUR}" stroke="#ffffff" stroke-width="0.05"'))
    return "".join(out)


def _players(geom: mp.MapGeometry, snap: Snapshot, highlight: mp.Highlight,
             stroke: float) -> str:
    """A ring around each player's place (its cell or marker), named by kind and index."""
    pad = 0.18
    rings = "".join(
        f'<ellipse class="linli-player-mark" data-kind="{kind}" data-index="{i}" '
        f'cx="{_f((x0 + x1) / 2)}" cy="{_f((y0 + y1) / 2)}" '
        f'rx="{_f((x1 - x0) / 2 + pad)}" ry="{_f((y1 - y0) / 2 + pad)}"/>'
        for kind, i, (x0, y0, x1, y1) in mp.highlight_places(geom, snap, highlight))
    width = max(0.2, stroke * 4)
    return (f'<g fill="none" stroke="{mp.PLAYER_COLOUR}" stroke-width="{_f(width)}">{rings}</g>'
            if rings else "")


def _outline(box, pad: float, width: float, colour: str, dash: str = "", extra: str = "") -> str:
    return _rect((box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad),
                 extra=f'{extra} fill="none" stroke="{colour}" stroke-width="{_f(width)}"{dash}')


def _interventions(geom: mp.MapGeometry, snap: Snapshot, lang: str, font: float,
                   stroke: float) -> str:
    """One outline per place with its interventions' short names joined in one label (so two
    interventions in one place never write over each other); dashed while any is queued."""
    places: dict[tuple[float, ...], list] = {}
    for mark in mp.visible_marks(snap):
        box = mp.mark_box(geom, snap, mark.kind, mark.details)
        if box is not None:
            places.setdefault(tuple(float(v) for v in box), []).append(mark)
    out = []
    pad = 0.35
    for box, marks in places.items():
        pending = any(m.pending for m in marks)
        dash = f' stroke-dasharray="{_f(font * 0.4)} {_f(font * 0.25)}"' if pending else ""
        kinds = " ".join(dict.fromkeys(m.kind for m in marks))
        out.append(_outline(box, pad, max(0.18, stroke * 3), mp.INTERVENTION_COLOUR, dash,
                            extra=f' class="intervention" data-kind="{kinds}"'
                                  f' data-pending="{int(pending)}"'))
        names = " · ".join(dict.fromkeys(tr("iv_short_" + m.kind, lang) for m in marks))
        out.append(f'<text x="{_f(box[0])}" y="{_f(box[1] - pad - 0.15)}" '
                   f'font-size="{_f(font * 0.8)}" fill="{mp.INTERVENTION_COLOUR}" '
                   f'stroke="#ffffff" stroke-width="{_f(font * 0.25)}" paint-order="stroke">'
                   f"{escape(names)}</text>")
    return "".join(out)


def _selection(geom: mp.MapGeometry, snap: Snapshot, selected: Target, stroke: float) -> str:
    details = {selected.kind: getattr(selected, selected.kind)}
    box = mp.mark_box(geom, snap, selected.kind, details)
    if box is None:
        return ""
    width = max(0.22, stroke * 4)
    return _outline(box, 0.2, width, SELECTION_COLOUR,
                    extra=f' class="selected" data-kind="{selected.kind}"')
