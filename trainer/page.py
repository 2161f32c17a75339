"""The trainer app's page (Solara): controls on the left; map, charts and red list on the right.

Mesa's SolaraViz page is not used as a whole: its controls are English-only, it rebuilds a
model from keyword arguments (Linli builds one from a scenario preset and ``Params``), and its
space and plot components expect a Mesa space and DataCollector, which Linli's vectorised
model does not have. This page follows its pattern (a reactive model, a play loop run by
``solara.lab.use_task``, step / play / reset) in plain Solara, with every word in ``labels``.

State is per browser tab (``solara.reactive`` values live in each tab's kernel).
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable
from typing import Any, cast

import solara
import solara.lab
from solara.alias import rv

import scenarios
from model.interventions import InterventionError
from model.params import ParameterError

from . import charts, map_svg
from . import map as mp
from .labels import DEFAULT_LANG, LANGS, on_off, scope, tr
from .settings import (
    DEFAULT_PRESET,
    SCOPES,
    Settings,
    household_choices,
    unit_size_choices,
    unit_size_text,
)
from .state import Mark, Session, Snapshot

Text = Callable[[str], str]  # a message that can be shown in either language

LANG = solara.reactive(os.environ.get("LINLI_LANG", DEFAULT_LANG))
SETTINGS = solara.reactive(Settings.from_preset(DEFAULT_PRESET))
AB = solara.reactive(False)
PRESET_B = solara.reactive("baseline")
SESSION = solara.reactive(cast(Session | None, None))
TICK = solara.reactive(0)  # bumped whenever the models change
PLAYING = solara.reactive(False)
SPEED = solara.reactive(2)  # weeks per second
MESSAGE = solara.reactive(cast(Text | None, None))
ERROR = solara.reactive(cast(Text | None, None))

CSS = """
.linli-app { font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'Roboto', sans-serif; }
.linli-app .v-card { margin-bottom: 10px; }
.linli-app .v-btn { text-transform: none; letter-spacing: normal; }
.linli-app .v-btn-toggle { flex-wrap: wrap; }
.linli-legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 13px; margin: 4px 0; }
.linli-legend .chip { display: inline-block; width: 12px; height: 12px; margin-right: 4px;
                      vertical-align: -1px; border-radius: 2px; }
.linli-board table { border-collapse: collapse; font-size: 13px; }
.linli-board td, .linli-board th { padding: 1px 10px; text-align: right; }
.linli-board th { border-bottom: 1px solid #bdbdbd; }
.linli-note { color: #616161; font-size: 13px; }
.linli-week { font-size: 20px; font-weight: 600; }
"""


# --- actions ---------------------------------------------------------------------------------

def _session() -> Session:
    session = SESSION.value
    assert session is not None
    return session


def _bump() -> None:
    TICK.set(TICK.value + 1)


def reset() -> None:
    """Rebuild the model(s) from the controls (keeps the old ones if they are invalid)."""
    PLAYING.set(False)
    try:
        session = Session.start(SETTINGS.value, PRESET_B.value if AB.value else None)
    except (ParameterError, scenarios.ScenarioError) as err:
        message = str(err)
        ERROR.set(lambda lang: tr("bad_settings", lang, error=message))
        return
    ERROR.set(None)
    MESSAGE.set(None)
    SESSION.set(session)
    _bump()


def step() -> None:
    MESSAGE.set(None)  # "queued for next week" is history once the week has run
    _session().step()
    _bump()


def play_loop() -> None:
    """Step while playing, about SPEED weeks a second: when drawing a week takes longer than
    1/SPEED s, several weeks are stepped between drawings. One press of Play runs at most the
    scenario's horizon (``params.weeks``), so a tab left playing does not run for ever."""
    session = _session()
    stop_at = session.week + session.sims[0].params.weeks
    weeks = 1
    MESSAGE.set(None)
    while PLAYING.value:
        started = time.monotonic()
        weeks = min(weeks, stop_at - session.week)
        session.step(weeks)
        _bump()
        if session.week >= stop_at:
            PLAYING.set(False)
            MESSAGE.set(lambda lang: tr("play_stopped", lang, weeks=stop_at))
            return
        spent = time.monotonic() - started
        time.sleep(max(0.0, weeks / SPEED.value - spent))
        weeks = max(1, min(10, round(spent * SPEED.value)))


def intervene(kind: str, details: dict[str, Any] | Callable[[Any], dict[str, Any]],
              targets: list[int]) -> None:
    """Queue an intervention on the chosen runs and say when it takes effect."""
    session = _session()
    try:
        marks = session.intervene(targets, kind, details)
    except InterventionError as err:
        message = str(err)
        ERROR.set(lambda lang: tr("intervention_error", lang, error=message))
        return
    ERROR.set(None)
    first = marks[0]
    MESSAGE.set(lambda lang: tr("queued", lang, what=tr("iv_" + kind, lang),
                                where=where(first, lang), week=first.week))
    _bump()


def where(mark: Mark, lang: str) -> str:
    for key in ("household", "unit", "grid", "business"):
        if key in mark.details:
            return tr(f"iv_where_{key}", lang, **{key: mark.details[key]})
    return tr("iv_where_all", lang)


# --- header and controls -----------------------------------------------------------------------

@solara.component
def LanguageSwitch() -> None:
    lang = LANG.value
    with solara.ToggleButtonsSingle(value=lang, on_value=LANG.set, mandatory=True,
                                    classes=["linli-lang"]):
        for code in LANGS:
            solara.Button(tr(f"lang_{code}", lang), value=code, text=True,
                          classes=[f"linli-lang-{code}"])


@solara.component
def Header(week: int) -> None:
    lang = LANG.value
    with solara.Row(justify="space-between", style={"align-items": "center"}):
        solara.HTML(tag="h2", unsafe_innerHTML=tr("app_title", lang),
                    classes=["linli-title"], style="margin: 4px 0")
        solara.Text(tr("week", lang, week=week), classes=["linli-week"])
        LanguageSwitch()


@functools.cache
def _preset_items(lang: str) -> list[dict[str, str]]:
    return [{"text": scenarios.load(name).text("title", lang), "value": name}
            for name in scenarios.builtin_names()]


@solara.component
def ScenarioCard() -> None:
    lang = LANG.value
    s = SETTINGS.value
    items = _preset_items(lang)
    with solara.Card(tr("scenario", lang)):
        rv.Select(label=tr("preset", lang), items=items, v_model=s.preset, dense=True,
                  on_v_model=lambda name: SETTINGS.set(SETTINGS.value.with_preset(name)),
                  class_="linli-preset")
        solara.Text(scenarios.load(s.preset).text("description", lang), classes=["linli-note"])
        solara.Switch(label=tr("ab_mode", lang), value=AB.value, on_value=AB.set,
                      classes=["linli-ab"])
        if AB.value:
            rv.Select(label=tr("preset_b", lang), items=items, v_model=PRESET_B.value,
                      dense=True, on_v_model=PRESET_B.set, class_="linli-preset-b")


@solara.component
def SettingsCard() -> None:
    lang = LANG.value
    s = SETTINGS.value

    def set_(**values: Any) -> None:
        SETTINGS.set(SETTINGS.value.changed(**values))

    with solara.Card(tr("settings", lang)):
        solara.Text(tr("settings_note", lang), classes=["linli-note"])
        rv.Select(label=tr("households", lang), items=household_choices(s.households),
                  v_model=s.households, dense=True, on_v_model=lambda v: set_(households=v))
        sizes = unit_size_choices(s.unit_size)
        rv.Select(label=tr("unit_size", lang), dense=True,
                  items=[{"text": unit_size_text(z), "value": i} for i, z in enumerate(sizes)],
                  v_model=sizes.index(s.unit_size),
                  on_v_model=lambda i: set_(unit_size=sizes[i]))
        solara.Switch(label=tr("board", lang), value=s.recognition,
                      on_value=lambda v: set_(recognition=v))
        if s.recognition:
            rv.Select(label=tr("board_scope", lang), dense=True, v_model=s.recognition_scope,
                      items=[{"text": scope(k, lang), "value": k} for k in SCOPES],
                      on_v_model=lambda v: set_(recognition_scope=v))
            solara.SliderInt(f"{tr('board_interval', lang)}: {s.recognition_interval}",
                             value=s.recognition_interval, min=1,
                             max=13, on_value=lambda v: set_(recognition_interval=v))
        solara.Switch(label=tr("groups", lang), value=s.groups, on_value=lambda v: set_(groups=v))
        solara.Switch(label=tr("heads", lang), value=s.heads, on_value=lambda v: set_(heads=v))
        solara.SliderInt(f"{tr('couriers', lang)}: {s.couriers}", value=s.couriers, min=0,
                         max=max(100, s.couriers), on_value=lambda v: set_(couriers=v))
        solara.SliderInt(f"{tr('stations', lang)}: {s.stations}", value=s.stations, min=0,
                         max=max(10, s.stations), on_value=lambda v: set_(stations=v))
        solara.SliderInt(f"{tr('businesses', lang)}: {s.businesses}", value=s.businesses, min=0,
                         max=max(30, s.businesses), on_value=lambda v: set_(businesses=v))
        solara.InputInt(tr("seed", lang), value=s.seed,
                        on_value=lambda v: set_(seed=max(0, int(v or 0))))


@solara.component
def RunCard() -> None:
    lang = LANG.value
    session = _session()
    pending = (SETTINGS.value != session.settings
               or (PRESET_B.value if AB.value else None) != session.preset_b)
    with solara.Card(tr("run", lang)):
        with solara.Row(style={"flex-wrap": "wrap", "gap": "6px"}):
            solara.Button(tr("step", lang), on_click=step, color="primary",
                          disabled=PLAYING.value, classes=["linli-step"])
            solara.Button(tr("pause" if PLAYING.value else "play", lang),
                          on_click=lambda: PLAYING.set(not PLAYING.value),
                          color="success", classes=["linli-play"])
            solara.Button(tr("reset", lang), on_click=reset, color="warning",
                          outlined=not pending, classes=["linli-reset"])
        if pending:
            solara.Text(tr("settings_pending", lang), classes=["linli-note", "linli-pending"])
        solara.SliderInt(f"{tr('speed', lang)}: {SPEED.value}", value=SPEED.value, min=1, max=10,
                         on_value=SPEED.set)


@solara.component
def InterventionCard() -> None:
    lang = LANG.value
    session = _session()
    a = session.sims[0].model
    lay = a.layout
    unit = solara.use_reactive(0)
    household = solara.use_reactive(0)
    grid = solara.use_reactive(0)
    business = solara.use_reactive(0)
    head_mode = solara.use_reactive("best")
    target = solara.use_reactive("A")
    ab = len(session.sims) == 2
    targets = {"A": [0], "B": [1], "both": [0, 1]}[target.value if ab else "A"]

    with solara.Card(tr("interventions", lang)):
        solara.Text(tr("interventions_note", lang), classes=["linli-note"])
        if ab:
            with solara.ToggleButtonsSingle(value=target.value, on_value=target.set,
                                            mandatory=True):
                solara.Button("A", value="A", text=True)
                solara.Button("B", value="B", text=True)
                solara.Button(tr("both", lang), value="both", text=True)
        solara.Button(tr("do_post_red_list", lang), color="error", outlined=True, block=True,
                      on_click=lambda: intervene("post_red_list", {}, targets),
                      classes=["linli-iv-post_red_list"])
        solara.SliderInt(f"{tr('unit', lang)} {unit.value}", value=min(unit.value, lay.units - 1),
                         min=0,
                         max=lay.units - 1, on_value=unit.set)
        solara.Button(tr("do_start_club", lang), outlined=True, block=True,
                      on_click=lambda: intervene("start_club", {"unit": unit.value}, targets),
                      classes=["linli-iv-start_club"])
        with solara.ToggleButtonsSingle(value=head_mode.value, on_value=head_mode.set,
                                        mandatory=True):
            solara.Button(tr("head_best", lang), value="best", text=True, small=True)
            solara.Button(tr("head_chosen", lang), value="chosen", text=True, small=True)
        if head_mode.value == "chosen":
            solara.SliderInt(f"{tr('household', lang)} #{household.value}",
                             value=min(household.value, lay.households - 1),
                             min=0, max=lay.households - 1, on_value=household.set)
            head_details: Any = {"household": household.value}
        else:
            chosen_unit = unit.value
            head_details = lambda sim: {"household": sim.best_in_unit(chosen_unit)}  # noqa: E731
        solara.Button(tr("do_appoint_head", lang), outlined=True, block=True,
                      on_click=lambda: intervene("appoint_head", head_details, targets),
                      classes=["linli-iv-appoint_head"])
        grids = lay.count("grid")
        solara.SliderInt(f"{tr('grid', lang)} {grid.value}", value=min(grid.value, grids - 1),
                         min=0,
                         max=max(grids - 1, 0), on_value=grid.set)
        no_couriers = len(a.couriers) == 0
        solara.Button(tr("do_open_station", lang), outlined=True, block=True,
                      disabled=no_couriers, classes=["linli-iv-open_station"],
                      on_click=lambda: intervene("open_station", {"grid": grid.value}, targets))
        if no_couriers:
            solara.Text(tr("no_couriers", lang), classes=["linli-note"])
        n_biz = len(a.businesses)
        if n_biz:
            solara.SliderInt(f"{tr('business', lang)} #{business.value}",
                             value=min(business.value, n_biz - 1), min=0,
                             max=n_biz - 1, on_value=business.set)
        solara.Button(tr("do_offer_parking", lang), outlined=True, block=True,
                      disabled=n_biz == 0, classes=["linli-iv-offer_parking"],
                      on_click=lambda: intervene("offer_parking",
                                                 {"business": business.value}, targets))
        if n_biz == 0:
            solara.Text(tr("no_businesses", lang), classes=["linli-note"])


# --- views -------------------------------------------------------------------------------------

def _chip(colour: str, text: str, border: str | None = None) -> str:
    edge = f"border: 2px solid {border};" if border else ""
    return (f'<span><span class="chip" style="background:{colour};{edge}"></span>'
            f"{text}</span>")


def legend_html(level: str, lang: str) -> str:
    if level == "household":
        chips = [_chip(c, tr(k, lang)) for c, k in zip(mp.STATE_COLOURS, mp.STATE_KEYS,
                                                        strict=True)]
        chips += [_chip(mp.PARTY_COLOUR, tr("legend_party", lang)),
                  _chip(mp.HEAD_COLOUR, tr("legend_head", lang)),
                  _chip("#ffffff", tr("legend_listed", lang), mp.LISTED_COLOUR)]
    else:
        chips = [f"<span>{tr('legend_share', lang)}:</span>"]
        chips += [_chip(c, text) for c, text in mp.share_legend()]
    chips += [_chip("#ffffff", tr("legend_courier", lang), mp.COURIER_COLOUR),
              _chip(mp.STATION_COLOUR, tr("legend_station", lang)),
              _chip(mp.SHARING_COLOUR, tr("legend_business", lang), mp.BUSINESS_COLOURS[0]),
              _chip("#ffffff", tr("legend_intervention", lang), mp.INTERVENTION_COLOUR)]
    return "".join(chips)


def summary(snap: Snapshot, lang: str) -> str:
    p, lay = snap.params, snap.layout
    first = tr("summary", lang, households=lay.households, units=lay.units,
               grids=lay.count("grid"))
    second = tr("summary_mechanisms", lang, board=on_off(p.recognition.enabled, lang),
                groups=on_off(p.groups.enabled, lang), heads=on_off(p.heads.enabled, lang),
                couriers=p.couriers.count, businesses=p.businesses.count)
    return f"{first} · {second}"


@solara.component
def MapPanel(snap: Snapshot, geom: mp.MapGeometry, svg: str) -> None:
    lang = LANG.value
    prefix = f"{snap.label}: " if snap.label else ""
    with solara.Column(classes=["linli-map-panel"], gap="2px"):
        solara.HTML(tag="h3", unsafe_innerHTML=prefix + snap.scenario_title(lang),
                    style="margin: 0")
        solara.Text(summary(snap, lang), classes=["linli-note", "linli-summary"])
        solara.Text(tr(f"map_level_{geom.level}", lang), classes=["linli-note"])
        solara.HTML(tag="div", unsafe_innerHTML=svg, classes=["linli-map"])


@solara.component
def BoardPanel(snap: Snapshot) -> None:
    lang = LANG.value
    board = snap.board()
    prefix = f"{snap.label}: " if snap.label else ""
    if snap.board_week is None or board.empty:
        text = (tr("board_empty", lang) if snap.board_week is None
                else tr("board_nobody", lang, week=snap.board_week))
        solara.Text(prefix + text, classes=["linli-note", "linli-board"])
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
def InterventionLog(snaps: list[Snapshot]) -> None:
    lang = LANG.value
    items = []
    for snap in snaps:
        prefix = f"{snap.label}: " if snap.label else ""
        for mark in snap.marks:
            pending = tr("iv_pending", lang) if mark.pending else ""
            items.append(f"<li>{prefix}{tr('week', lang, week=mark.week)} · "
                         f"{tr('iv_' + mark.kind, lang)} ({where(mark, lang)}){pending}</li>")
    if items:
        solara.HTML(tag="div", classes=["linli-iv-log"], unsafe_innerHTML=(
            f"<b>{tr('iv_log', lang)}</b><ul style='margin:0'>{''.join(items)}</ul>"))


@solara.component
def Views(session: Session) -> None:
    lang = LANG.value
    tick = TICK.value
    snaps = solara.use_memo(session.snapshots, [tick, id(session)])
    geoms = solara.use_memo(lambda: [mp.build(s.layout) for s in snaps], [id(session)])
    svgs = solara.use_memo(lambda: [map_svg.render(g, s, lang)
                                    for g, s in zip(geoms, snaps, strict=True)],
                           [tick, id(session), lang])
    png = solara.use_memo(lambda: charts.dashboard_png(snaps, lang), [tick, id(session), lang])

    with solara.Column(gap="6px"):
        with solara.Columns([1] * len(snaps)):
            for snap, geom, svg in zip(snaps, geoms, svgs, strict=True):
                MapPanel(snap, geom, svg)
        solara.HTML(tag="div", classes=["linli-legend"],
                    unsafe_innerHTML=legend_html(geoms[0].level, lang))
        solara.HTML(tag="h3", unsafe_innerHTML=tr("charts", lang), style="margin: 6px 0 0 0")
        solara.Image(png, width="100%", classes=["linli-charts"])
        with solara.Columns([1] * len(snaps)):
            for snap in snaps:
                BoardPanel(snap)
        InterventionLog(snaps)


@solara.component
def Page() -> None:
    solara.lab.use_task(play_loop, dependencies=[PLAYING.value], prefer_threaded=True)
    _ = TICK.value  # re-render (the week in the header) whenever the models change
    if SESSION.value is None:
        reset()
    session = SESSION.value
    lang = LANG.value
    solara.Title(tr("app_title", lang))
    if session is None:  # the default settings failed to build: show why
        solara.Error(ERROR.value(lang) if ERROR.value else "")
        return
    solara.Style(CSS)
    with solara.Column(classes=["linli-app"], style={"padding": "8px 16px"}):
        Header(session.week)
        with solara.Columns([1, 3]):
            with solara.Column(gap="0px"):
                ScenarioCard()
                RunCard()
                InterventionCard()
                SettingsCard()
            with solara.Column(gap="4px"):
                if ERROR.value is not None:
                    solara.Error(ERROR.value(lang), classes=["linli-error"])
                if MESSAGE.value is not None:
                    solara.Info(MESSAGE.value(lang), classes=["linli-message"])
                Views(session)
