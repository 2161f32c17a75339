"""The page's controls: language, run buttons, scenario, settings, interventions, and the
note on what the numbers are.

None of them reads ``TICK``: a week going by does not re-render them.
"""

from __future__ import annotations

import functools
from typing import Any

import solara
from solara.alias import rv

import scenarios

from . import app_state as st
from .labels import LANGS, scope, tr
from .settings import SCOPES, household_choices, unit_size_choices, unit_size_text
from .state import Session


def note(text: str, *classes: str) -> None:
    """A line of text as a block of its own (``solara.Text`` is inline)."""
    rv.Html(tag="div", class_=" ".join(classes or ("linli-note",)), children=[text])


@solara.component
def LanguageSwitch() -> None:
    lang = st.LANG.value
    with solara.ToggleButtonsSingle(value=lang, on_value=st.LANG.set, mandatory=True,
                                    classes=["linli-lang"]):
        for code in LANGS:
            solara.Button(tr(f"lang_{code}", lang), value=code, text=True,
                          classes=[f"linli-lang-{code}"])


@solara.component
def RunControls() -> None:
    """Step, play/pause at a chosen speed, reset (highlighted when settings wait for it)."""
    lang = st.LANG.value
    playing = st.PLAYING.value
    session = st.session()
    pending = (st.SETTINGS.value != session.settings
               or (st.PRESET_B.value if st.AB.value else None) != session.preset_b)
    with solara.Row(classes=["linli-run"], gap="6px", style={"align-items": "center"}):
        solara.Button(tr("step", lang), on_click=st.step, color="primary", disabled=playing,
                      classes=["linli-step"])
        solara.Button(tr("pause" if playing else "play", lang),
                      on_click=lambda: st.PLAYING.set(not st.PLAYING.value), color="success",
                      classes=["linli-play"], attributes={"data-speed": str(st.SPEED.value)})
        with solara.ToggleButtonsSingle(value=st.SPEED.value, on_value=st.SPEED.set,
                                        mandatory=True, dense=True, classes=["linli-speed"]):
            for speed in st.SPEEDS:
                solara.Button(str(speed), value=speed, text=True, small=True,
                              classes=[f"linli-speed-{speed}"])
        solara.Text(tr("speed_short", lang), classes=["linli-note"])
        solara.Button(tr("reset", lang), on_click=st.reset, color="warning",
                      outlined=not pending, classes=["linli-reset"])
        if pending:
            solara.Text(tr("settings_pending", lang), classes=["linli-note", "linli-pending"])


@functools.cache
def _preset_items(lang: str) -> list[dict[str, str]]:
    return [{"text": scenarios.load(name).text("title", lang), "value": name}
            for name in scenarios.builtin_names()]


@solara.component
def ScenarioCard() -> None:
    lang = st.LANG.value
    s = st.SETTINGS.value
    items = _preset_items(lang)
    with solara.Card(tr("scenario", lang)):
        rv.Select(label=tr("preset", lang), items=items, v_model=s.preset, dense=True,
                  on_v_model=lambda name: st.SETTINGS.set(st.SETTINGS.value.with_preset(name)),
                  class_="linli-preset")
        note(scenarios.load(s.preset).text("description", lang))
        solara.Switch(label=tr("ab_mode", lang), value=st.AB.value, on_value=st.AB.set,
                      classes=["linli-ab"])
        if st.AB.value:
            rv.Select(label=tr("preset_b", lang), items=items, v_model=st.PRESET_B.value,
                      dense=True, on_v_model=st.PRESET_B.set, class_="linli-preset-b")
            note(tr("ab_note", lang))


@solara.component
def SettingsCard() -> None:
    lang = st.LANG.value
    s = st.SETTINGS.value

    def set_(**values: Any) -> None:
        st.SETTINGS.set(st.SETTINGS.value.changed(**values))

    with solara.Card(tr("settings", lang)):
        note(tr("settings_note", lang))
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


def _place(key: str, value: int, lang: str) -> str:
    return tr(f"iv_where_{key}", lang, **{key: value})


@solara.component
def InterventionCard() -> None:
    """The interventions, at the place last clicked on a map (none: only the red list)."""
    lang = st.LANG.value
    session = st.session()
    target_run = solara.use_reactive("A")
    ab = len(session.sims) == 2
    runs = {"A": [0], "B": [1], "both": [0, 1]}[target_run.value if ab else "A"]
    chosen = st.SELECTED.value
    t = chosen.target if chosen is not None and chosen.run < len(session.sims) else None

    def button(kind: str, text: str, details: Any, enabled: bool = True) -> None:
        solara.Button(text, outlined=kind != "post_red_list", block=True, disabled=not enabled,
                      color="error" if kind == "post_red_list" else None,
                      classes=[f"linli-iv-{kind}"],
                      on_click=lambda: st.intervene(kind, details, runs))

    with solara.Card(tr("interventions", lang), classes=["linli-iv-card"]):
        note(tr("interventions_note", lang))
        if ab:
            with solara.ToggleButtonsSingle(value=target_run.value, on_value=target_run.set,
                                            mandatory=True, classes=["linli-iv-runs"]):
                solara.Button("A", value="A", text=True)
                solara.Button("B", value="B", text=True)
                solara.Button(tr("both", lang), value="both", text=True)
        button("post_red_list", tr("do_post_red_list", lang), {})
        note(tr("pick_hint", lang))
        if t is None:
            where_text = tr("nothing_selected", lang)
        else:
            what = " · ".join(_place(key, getattr(t, key), lang)
                              for key in ("household", "business", "unit", "grid")
                              if getattr(t, key) is not None)
            where_text = (tr("selected", lang, map=session.sims[chosen.run].label, what=what)
                          if ab else tr("selected_single", lang, what=what))
        note(where_text, "linli-selected")
        if t is not None and t.unit is not None:
            unit_text = _place("unit", t.unit, lang)
            button("start_club", tr("do_start_club_at", lang, unit=unit_text), {"unit": t.unit})
            unit = t.unit
            button("appoint_head", tr("do_appoint_best", lang, unit=unit_text),
                   lambda sim: {"household": sim.best_in_unit(unit)})
        if t is not None and t.household is not None:
            button("appoint_head", tr("do_appoint_household", lang, household=t.household),
                   {"household": t.household})
        if t is not None and t.grid is not None:
            if len(session.sims[0].model.couriers):
                button("open_station", tr("do_open_station_at", lang,
                                          grid=_place("grid", t.grid, lang)), {"grid": t.grid})
            else:
                note(tr("no_couriers", lang))
        if t is not None and t.business is not None:
            button("offer_parking", tr("do_offer_parking_at", lang, business=t.business),
                   {"business": t.business})
        elif len(session.sims[0].model.businesses):
            note(tr("pick_business", lang))
        InterventionLog(session)


@solara.component
def InterventionLog(session: Session) -> None:
    lang = st.LANG.value
    _ = st.TICK.value  # the log changes when a week applies what was queued
    items = []
    for sim, marks in zip(session.sims, session.marks(), strict=True):
        prefix = f"{sim.label}: " if sim.label else ""
        for mark in marks:
            pending = tr("iv_pending", lang) if mark.pending else ""
            items.append(f"<li>{prefix}{tr('week', lang, week=mark.week)} · "
                         f"{tr('iv_' + mark.kind, lang)} ({st.where(mark, lang)}){pending}</li>")
    if items:
        solara.HTML(tag="div", classes=["linli-iv-log"], unsafe_innerHTML=(
            f"<b>{tr('iv_log', lang)}</b><ul style='margin:0'>{''.join(items)}</ul>"))


@functools.cache
def model_note(lang: str) -> tuple[str, ...]:
    """The caveat of runs at the model's calibrated defaults (shared with ``linli run``)."""
    from experiments.reporting.caveat import at_defaults

    return tuple(at_defaults(lang))


@solara.component
def ModelNoteCard() -> None:
    """What the numbers are: a model's results, what is calibrated and what assumed."""
    lang = st.LANG.value
    with solara.Card(tr("caveat_title", lang), classes=["linli-caveat"]):
        for sentence in model_note(lang):
            note(sentence)
