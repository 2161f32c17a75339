"""The trainer app's page (Solara), laid out for a 1366×768 projector: run controls and the
week in a header; scenario, interventions and settings in a side bar that scrolls on its own;
map(s), legend and the six live charts filling the rest of the screen; the red list below.

Mesa's SolaraViz page is not used as a whole: its controls are English-only, it rebuilds a
model from keyword arguments (Linli builds one from a scenario preset and ``Params``), and its
space and plot components expect a Mesa space and DataCollector, which Linli's vectorised
model does not have. This page follows its pattern (a reactive model, a play loop run by
``solara.lab.use_task``, step / play / reset) in plain Solara, with every word in ``labels``.

State is per browser tab (``app_state``); the map and the charts are Vue widgets
(``map_widget``, ``charts_widget``) that change only what a week changed.
"""

from __future__ import annotations

import reacton.core
import solara
import solara.lab
from solara.alias import rv

from . import app_state as st
from .controls import (
    InterventionCard,
    LanguageSwitch,
    ModelNoteCard,
    RunControls,
    ScenarioCard,
    SettingsCard,
)
from .labels import tr
from .views import Views

CSS = """
.linli-app { font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'Roboto', sans-serif;
             height: 100vh; display: flex; flex-direction: column; overflow: hidden;
             font-size: 14px; }
.linli-app .v-btn { text-transform: none; letter-spacing: normal; }
.linli-app .v-btn-toggle { flex-wrap: wrap; }
.linli-header { flex: none; display: flex; align-items: center; gap: 6px 14px; flex-wrap: nowrap;
                padding: 4px 12px; border-bottom: 1px solid #e0e0e0; min-height: 58px; }
.linli-title { font-size: 17px; font-weight: 700; white-space: nowrap; }
.linli-speed .v-btn { min-width: 34px !important; padding: 0 6px !important; }
.linli-week { font-size: 20px; font-weight: 700; white-space: nowrap; min-width: 5.5em; }
/* a message shows and goes without moving anything: at most two lines, in a fixed header */
.linli-header .linli-message, .linli-header .linli-error { flex: 1 1 0; min-width: 0; margin: 0;
                padding: 3px 10px; font-size: 14px; line-height: 1.3; max-height: 46px;
                overflow: hidden; }
.linli-header .linli-lang { margin-left: auto; }
.linli-header .linli-message-slot { flex: 1 1 0; height: 46px; }
.linli-body { flex: 1 1 auto; min-height: 0; display: grid;
              grid-template-columns: 300px minmax(0, 1fr); }
.linli-side { overflow-y: auto; padding: 8px; border-right: 1px solid #eeeeee; }
.linli-side .v-card { margin-bottom: 10px; }
.linli-side .v-card__title { font-size: 17px; padding: 8px 12px; }
.linli-main { overflow-y: auto; padding: 6px 12px; }
.linli-top { display: grid; grid-template-columns: minmax(0, 45fr) minmax(0, 55fr); gap: 14px;
             height: 100%; min-height: 560px; }
.linli-maps { display: flex; flex-direction: column; min-height: 0; gap: 4px; }
.linli-map-panel { flex: 1 1 0; min-height: 0; display: flex; flex-direction: column; }
.linli-map-panel .linli-map-box { flex: 1 1 0; min-height: 80px; }
.linli-map-panel .linli-map { position: absolute; inset: 0; }
.linli-map-title { font-size: 16px; font-weight: 700; }
.linli-charts-col { min-height: 0; }
.linli-charts-col .linli-charts { height: 100%; display: flex; flex-direction: column; }
.linli-charts-col .linli-chart-grid { flex: 1 1 0; min-height: 0;
                                      grid-template-rows: repeat(3, minmax(0, 1fr)); }
.linli-charts-col .linli-panel { height: auto; min-height: 0; }
.linli-legend { display: flex; flex-wrap: wrap; gap: 2px 14px; font-size: 14px; flex: none; }
.linli-legend .chip { display: inline-block; width: 13px; height: 13px; margin-right: 4px;
                      vertical-align: -1px; border-radius: 2px; }
.linli-board table { border-collapse: collapse; font-size: 14px; }
.linli-board td, .linli-board th { padding: 1px 10px; text-align: right; }
.linli-board th { border-bottom: 1px solid #bdbdbd; }
.linli-views { height: 100%; }
.linli-below { padding-top: 10px; display: flex; flex-wrap: wrap; gap: 10px 32px; }
.linli-note { color: #616161; font-size: 14px; }
.linli-side .linli-note { margin-bottom: 6px; }
.linli-caveat .linli-note { font-size: 13px; }
.linli-side .v-text-field { margin-top: 16px; }  /* room for the label floating above */
.linli-selected { font-weight: 600; margin: 2px 0 4px 0; }
.linli-iv-card .v-btn { margin-top: 6px; height: auto !important; min-height: 36px;
                       padding: 4px 12px !important; }
.linli-iv-card .v-btn__content { white-space: normal; line-height: 1.25; flex: 1 1 auto; }
.linli-iv-log { font-size: 14px; margin-top: 8px; }
"""


@solara.component
def WeekCounter() -> None:
    """The week, in its own component: the only part of the header a week re-renders."""
    _ = st.TICK.value
    week = st.session().week
    rv.Html(tag="span", class_="linli-week", attributes={"data-week": str(week)},
            children=[tr("week", st.LANG.value, week=week)])


@solara.component
def Header() -> None:
    lang = st.LANG.value
    with solara.Div(classes=["linli-header"]):
        solara.Text(tr("app_title", lang), classes=["linli-title"])
        WeekCounter()
        RunControls()
        if st.ERROR.value is not None:
            solara.Error(st.ERROR.value(lang), classes=["linli-error"], dense=True, icon=False)
        elif st.MESSAGE.value is not None:
            solara.Success(st.MESSAGE.value(lang), classes=["linli-message"], dense=True,
                           icon=False)
        else:  # keeps the header's height
            solara.Div(classes=["linli-message-slot"])
        LanguageSwitch()


@solara.component
def Page() -> None:
    render = reacton.core.get_render_context()
    if st.RENDER.peek() is not render:  # peek: the page does not re-render for it
        st.RENDER.set(render)
    solara.lab.use_task(st.play_loop, dependencies=[st.PLAYING.value], prefer_threaded=True)
    if st.SESSION.value is None:
        st.reset()
    session = st.SESSION.value
    lang = st.LANG.value
    solara.Title(tr("app_title", lang))
    if session is None:  # the default settings failed to build: show why
        solara.Error(st.ERROR.value(lang) if st.ERROR.value else "")
        return
    solara.Style(CSS)
    with solara.Div(classes=["linli-app"]):
        Header()
        with solara.Div(classes=["linli-body"]):
            with solara.Div(classes=["linli-side"]):
                ScenarioCard()
                InterventionCard()
                SettingsCard()
                ModelNoteCard()
            with solara.Div(classes=["linli-main"]):
                Views(session)
