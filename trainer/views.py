"""What the page shows of the runs: map(s) with their legend, the live charts, the red list.

Each week the map widget gets only its colour codes (and a layer when one changed) and the
charts only the weeks since their last block of history (``chart_data``).
"""

from __future__ import annotations

import functools
from typing import cast

import solara

from . import app_state as st
from . import chart_data, map_svg, map_tips
from . import map as mp
from .charts_widget import ChartsWidget, as_json
from .controls import note
from .labels import on_off, tr
from .map_widget import MapWidget
from .settings import Settings, unit_size_text
from .state import Session, Snapshot

CHANGED_KEYS = {"households": "households", "unit_size": "unit_size", "recognition": "board",
                "recognition_scope": "board_scope", "recognition_interval": "board_interval",
                "groups": "groups", "heads": "heads", "couriers": "couriers",
                "stations": "stations", "businesses": "businesses"}


# --- words -------------------------------------------------------------------------------------

def summary(snap: Snapshot, lang: str) -> str:
    """The run's structure, from its own layout, and its mechanisms."""
    lay = snap.layout
    sizes = (int(lay.unit_size.min()), int(lay.unit_size.max()))
    first = tr("summary", lang, households=lay.households, units=lay.units,
               sizes=unit_size_text(sizes), lis=lay.count("li"), grids=lay.count("grid"))
    second = tr("summary_mechanisms", lang, board=on_off("recognition" in snap.active, lang),
                groups=on_off("groups" in snap.active, lang),
                heads=on_off("heads" in snap.active, lang),
                couriers=len(snap.couriers), businesses=len(snap.businesses))
    return f"{first} · {second}"


@functools.cache
def _preset_settings(preset: str) -> Settings:
    return Settings.from_preset(preset)


def changed(settings: Settings, lang: str) -> str:
    """The controls that differ from the preset's own values, named ("" if none)."""
    preset = _preset_settings(settings.preset)
    names = [tr(label, lang) for field, label in CHANGED_KEYS.items()
             if getattr(settings, field) != getattr(preset, field)]
    return "、".join(names) if lang == "zh" else ", ".join(names)


def _chip(colour: str, text: str, border: str | None = None, ring: bool = False) -> str:
    edge = f"border: 2px solid {border};" if border else ""
    shape = "border-radius: 50%;" if ring else ""
    return (f'<span class="linli-key"><span class="chip" style="background:{colour};{edge}'
            f'{shape}"></span>{text}</span>')


def legend_html(level: str, lang: str, players: bool = False) -> str:
    """The map's legend; ``players``: with the ring around the classroom's players."""
    chips = ([_chip("#ffffff", tr("legend_players", lang), mp.PLAYER_COLOUR, ring=True)]
             if players else [])
    if level == "household":
        chips += [_chip(c, tr(k, lang)) for c, k in zip(mp.STATE_COLOURS, mp.STATE_KEYS,
                                                         strict=True)]
        chips += [_chip(mp.PARTY_COLOUR, tr("legend_party", lang)),
                  _chip(mp.HEAD_COLOUR, tr("legend_head", lang)),
                  _chip("#ffffff", tr("legend_listed", lang), mp.LISTED_COLOUR)]
    else:
        chips += [f"<span>{tr('legend_share', lang)}:</span>"]
        chips += [_chip(c, text) for c, text in mp.share_legend()]
    chips += [_chip("#ffffff", tr("legend_courier", lang), mp.COURIER_COLOUR),
              _chip(mp.STATION_COLOUR, tr("legend_station", lang)),
              _chip(mp.SHARING_COLOUR, tr("legend_business", lang), mp.BUSINESS_COLOURS[0]),
              _chip("#ffffff", tr("legend_intervention", lang), mp.INTERVENTION_COLOUR),
              _chip("#ffffff", tr("legend_selected", lang), map_svg.SELECTION_COLOUR)]
    return "".join(chips)


# --- components --------------------------------------------------------------------------------

@solara.component
def MapPanel(snap: Snapshot, geom: mp.MapGeometry, run: int, changes: str,
             highlight: mp.Highlight = mp.NO_HIGHLIGHT) -> None:
    """One run's map; ``highlight``: places ringed over it (the classroom's players)."""
    lang = st.LANG.value
    hovered, set_hovered = solara.use_state(cast(tuple[str, int] | None, None))
    base = solara.use_memo(lambda: map_svg.base(geom, snap, lang), [id(geom), lang])
    frame = solara.use_memo(lambda: {"week": snap.week, "codes": map_svg.codes(geom, snap)},
                            [id(snap)])
    chosen = st.SELECTED.value
    target = chosen.target if chosen is not None and chosen.run == run else None
    drawn = solara.use_memo(dict, [id(geom), lang])  # layer → (inputs, svg)
    layers = {}
    for name in map_svg.LAYERS:  # each redrawn only when what it shows changed
        inputs = map_svg.layer_inputs(name, snap, highlight) or (id(snap), target)
        if name not in drawn or drawn[name][0] != inputs:
            drawn[name] = (inputs, map_svg.layer(name, geom, snap, lang, target, highlight))
        layers[name] = drawn[name][1]
    tip = {}
    if hovered is not None:
        kind, i = hovered
        tip = {"key": f"{kind}:{i}", "text": map_tips.tip(geom, snap, kind, i, lang)}

    def hover(kind: str, i: int) -> None:
        set_hovered((kind, i) if kind else None)

    def pick(kind: str, i: int) -> None:
        found = (map_svg.block_target(geom, snap, i) if kind == "block"
                 else map_svg.target(snap, kind, i))
        st.select(run, found)

    prefix = f"{snap.label}: " if snap.label else ""
    with solara.Div(classes=["linli-map-panel"]):
        note(prefix + snap.scenario_title(lang), "linli-map-title")
        note(summary(snap, lang), "linli-note", "linli-summary")
        if changes:
            note(tr("summary_changed", lang, what=changes), "linli-note", "linli-changed")
        MapWidget.element(base=base, frame=frame, tip=tip, on_hover=hover, on_pick=pick,
                          on_painted=st.painted if run == 0 else None, **layers)


@solara.component
def Charts(snaps: list[Snapshot], session: Session) -> None:
    lang = st.LANG.value
    actives = tuple(tuple(sorted(s.active)) for s in snaps)
    spec = solara.use_memo(lambda: as_json(chart_data.spec(snaps, lang)),
                           [id(session), lang, actives])
    weeks = len(snaps[0].frame)
    history = solara.use_memo(lambda: as_json(chart_data.history(snaps)),
                              [id(session), chart_data.fold(weeks)])
    ChartsWidget.element(spec_json=spec, history_json=history,
                         latest_json=as_json(chart_data.latest(snaps)),
                         marks_json=as_json(chart_data.marks(snaps, lang)),
                         x_end=chart_data.x_end(snaps))


@solara.component
def BoardPanel(snap: Snapshot, session: Session) -> None:
    lang = st.LANG.value
    board = solara.use_memo(snap.board, [id(session), snap.label, snap.board_week])
    prefix = f"{snap.label}: " if snap.label else ""
    if snap.board_week is None or board.empty:
        text = (tr("board_empty", lang) if snap.board_week is None
                else tr("board_nobody", lang, week=snap.board_week))
        note(prefix + text, "linli-note", "linli-board")
        return
    shown = board.head(10)
    rows = "".join(f"<tr><td>#{r.household}</td><td>{r.unit}</td><td>{r.hours:.1f}</td></tr>"
                   for r in shown.itertuples())
    more = (f"<div class='linli-note'>{tr('board_more', lang, more=len(board) - len(shown))}"
            "</div>" if len(board) > len(shown) else "")
    solara.HTML(tag="div", classes=["linli-board"], unsafe_innerHTML=(
        f"<b>{prefix}{tr('board_list', lang, week=snap.board_week, count=len(board))}</b>"
        f"<table><tr><th>{tr('col_household', lang)}</th><th>{tr('col_unit', lang)}</th>"
        f"<th>{tr('col_hours', lang)}</th></tr>{rows}</table>{more}"))


@solara.component
def Views(session: Session) -> None:
    lang = st.LANG.value
    tick = st.TICK.value
    snaps = solara.use_memo(session.snapshots, [tick, id(session)])
    geoms = solara.use_memo(lambda: [mp.build(s.layout) for s in snaps], [id(session)])
    changes = solara.use_memo(lambda: changed(session.settings, lang), [id(session), lang])
    with solara.Div(classes=["linli-views"]):
        with solara.Div(classes=["linli-top", f"linli-runs-{len(snaps)}"]):
            with solara.Div(classes=["linli-maps"]):
                for run, (snap, geom) in enumerate(zip(snaps, geoms, strict=True)):
                    MapPanel(snap, geom, run, changes if run == 0 else "")
                solara.HTML(tag="div", classes=["linli-legend"],
                            unsafe_innerHTML=legend_html(geoms[0].level, lang))
            with solara.Div(classes=["linli-charts-col"]):
                Charts(snaps, session)
        with solara.Div(classes=["linli-below"]):
            for snap in snaps:
                BoardPanel(snap, session)
