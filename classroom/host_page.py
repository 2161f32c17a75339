"""The facilitator's projector page: room code, join address and QR code; start, pause,
close a round, the timer and weeks per round; who has decided; the room's map, and its charts
against the shadow world (the trainer's widgets); findings and the debrief export.

It opens only with the facilitator's key in its address (printed by ``linli classroom``):
players on the same network cannot drive the room.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import cast
from urllib.parse import parse_qs

import solara
from solara.alias import rv

from model.interventions import InterventionError
from model.mechanisms.heads import best_in_unit
from trainer import app_state as trainer_state
from trainer import map as mp
from trainer.labels import tr as trainer_tr
from trainer.page import CSS as TRAINER_CSS
from trainer.state import Sim
from trainer.views import Charts, MapPanel, legend_html

from . import auth, debrief, registry
from .countdown import Countdown
from .findings import findings
from .labels import tr
from .qr import qr_svg
from .watch import use_world
from .world import JoinError, Player, World

TIMERS = (30.0, 60.0, 90.0, 120.0, 0.0)  # 0: no timer
WEEKS = (1, 2, 4)
SETTLE = 0.25  # s: submissions arriving together redraw the page once (a close: at once)
CSS = """
.cl-host { font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'Roboto', sans-serif;
           height: 100vh; display: grid; grid-template-columns: 330px minmax(0, 1fr);
           font-size: 15px; overflow: hidden; }
.cl-host .v-btn { text-transform: none; letter-spacing: normal; }
.cl-side { overflow-y: auto; padding: 8px 12px; border-right: 1px solid #e0e0e0; }
.cl-main { overflow-y: auto; padding: 6px 12px; display: flex; flex-direction: column; }
.cl-code { font-size: 40px; font-weight: 800; letter-spacing: 4px; }
.cl-join-url { font-size: 15px; word-break: break-all; }
.cl-qr svg { width: 180px; height: 180px; }
.cl-host-round { font-size: 20px; font-weight: 700; margin: 4px 0; }
.cl-host .cl-countdown { font-size: 20px; font-weight: 700; color: #e65100; }
.cl-players { border-collapse: collapse; font-size: 14px; width: 100%; }
.cl-players td { padding: 1px 4px; border-bottom: 1px solid #eee; }
.cl-players .cl-rename { text-transform: none; padding: 0 4px !important; }
.cl-players td.cl-mark { color: #e65100; }
.cl-players .cl-mark-yes { display: none; }
.cl-host-views { flex: 1 1 auto; min-height: 520px; display: grid;
                 grid-template-columns: minmax(0, 45fr) minmax(0, 55fr); gap: 12px; }
.cl-host-views .linli-map-panel { height: 100%; }
.cl-findings li { margin: 4px 0; }
.cl-exported { color: #2e7d32; word-break: break-all; }
"""

LANG = solara.reactive(registry.config().lang)
VERSION = solara.reactive(0)
EXPORTED = solara.reactive(cast(str | None, None))


def set_lang(lang: str) -> None:
    LANG.set(lang)
    trainer_state.LANG.set(lang)


@solara.component
def Controls(world: World, version: int) -> None:
    lang = LANG.value
    timer = world.settings.timer_seconds or 0.0
    label = tr("resume", lang) if world.paused and world.open else tr("start", lang)

    def start() -> None:
        registry.freeze_long_lived()  # the players' pages, built while they joined
        world.start()

    with solara.Row(classes=["cl-controls"]):
        solara.Button(label, on_click=start, color="primary", classes=["cl-start"],
                      disabled=(world.open and not world.paused) or world.finished)
        solara.Button(tr("pause", lang), on_click=world.pause, classes=["cl-pause"],
                      disabled=world.paused or not world.open)
        solara.Button(tr("close_round", lang), on_click=world.close_round,
                      classes=["cl-close"], disabled=not world.open)
    rv.Html(tag="div", children=[tr("timer", lang)])
    with solara.ToggleButtonsSingle(value=timer, mandatory=True, classes=["cl-timer"],
                                    on_value=lambda s: world.set_timer(s or None)):
        # the room's own timer is among the choices (a toggle without it chose another)
        for s in (*sorted({*TIMERS, timer} - {0.0}), 0.0):
            solara.Button(f"{s:g}s" if s else tr("no_timer", lang), value=s, text=True,
                          small=True, classes=[f"cl-timer-{s:g}"])
    rv.Html(tag="div", children=[tr("weeks_per_round", lang)])
    with solara.ToggleButtonsSingle(value=world.settings.weeks_per_round, mandatory=True,
                                    on_value=world.set_weeks_per_round, classes=["cl-weeks"]):
        for w in WEEKS:
            solara.Button(str(w), value=w, text=True, small=True)


@solara.component
def Interventions(world: World, version: int) -> None:
    """The facilitator's live interventions (ODD §7.14), in the room and the shadow alike, at
    the place last clicked on the map (the trainer's labels and map selection)."""
    lang = LANG.value
    error, set_error = solara.use_state("")
    chosen = trainer_state.SELECTED.value
    t = chosen.target if chosen is not None else None

    def button(kind: str, text: str, details: dict) -> None:
        def do() -> None:
            try:
                world.intervene(kind, **details)
            except InterventionError as err:
                set_error(str(err))
                return
            set_error("")

        solara.Button(text, on_click=do, outlined=kind != "post_red_list", block=True,
                      classes=[f"cl-iv-{kind}"])

    rv.Html(tag="h3", children=[trainer_tr("interventions", lang)])
    button("post_red_list", trainer_tr("do_post_red_list", lang), {})
    rv.Html(tag="div", class_="linli-note", children=[trainer_tr("pick_hint", lang)])
    if t is not None and t.unit is not None:
        unit = trainer_tr("iv_where_unit", lang, unit=t.unit)
        button("start_club", trainer_tr("do_start_club_at", lang, unit=unit), {"unit": t.unit})
        best = world.read(lambda: best_in_unit(world.room, t.unit))
        button("appoint_head", trainer_tr("do_appoint_best", lang, unit=unit),
               {"household": best})
    if t is not None and t.household is not None:
        button("appoint_head", trainer_tr("do_appoint_household", lang,
                                          household=t.household), {"household": t.household})
    if t is not None and t.grid is not None and len(world.room.couriers):
        grid = trainer_tr("iv_where_grid", lang, grid=t.grid)
        button("open_station", trainer_tr("do_open_station_at", lang, grid=grid),
               {"grid": t.grid})
    if t is not None and t.business is not None:
        button("offer_parking", trainer_tr("do_offer_parking_at", lang, business=t.business),
               {"business": t.business})
    if error:
        rv.Html(tag="div", class_="cl-error", children=[error])


@solara.component
def Players(world: World, version: int) -> None:
    lang = LANG.value
    decided = world.decided()
    players = world.active_players()
    rv.Html(tag="h3", children=[tr("players", lang, count=len(players))])
    ids = tuple(p.id for p in players)
    solara.Style(solara.use_memo(lambda: decided_css(ids), [ids]))
    # who has decided is one attribute around the table (``decided_css`` shows each row's
    # mark): a submission, or a round's close, is one update of this page, not one per row,
    # and the rows themselves redraw only when players join, leave or are renamed
    rows = tuple((p.id, p.name, p.role.kind) for p in players)
    rv.Html(tag="div", class_="cl-players-box", children=[PlayerRows(world, rows, lang)],
            attributes={"data-decided": " ".join(pid for pid in ids if decided.get(pid, False))})


@solara.component
def PlayerRows(world: World, rows: tuple[tuple[str, str, str], ...], lang: str) -> None:
    """One row per player (id, name, role kind): rename and remove."""
    editing, set_editing = solara.use_state(cast(str | None, None))
    text, set_text = solara.use_state("")
    error, set_error = solara.use_state("")

    def rename() -> None:
        try:
            world.rename(cast(str, editing), text)
        except JoinError as err:
            set_error(str(err))
            return
        set_error("")
        set_editing(None)

    def name_cell(pid: str, name: str) -> list:
        if editing == pid:
            return [solara.InputText("", value=text, on_value=set_text,
                                     continuous_update=True, classes=["cl-rename-input"]),
                    solara.Button("OK", on_click=rename, small=True, classes=["cl-rename-ok"])]

        def edit() -> None:
            set_text(name)
            set_editing(pid)

        return [solara.Button(name, text=True, small=True, classes=["cl-rename"],
                              on_click=edit)]

    table = []
    for pid, name, kind in rows:
        table.append(rv.Html(tag="tr", attributes={"data-player": pid}, children=[
            rv.Html(tag="td", class_="cl-name", children=name_cell(pid, name)),
            rv.Html(tag="td", children=[tr(f"kind_{kind}", lang)]),
            rv.Html(tag="td", class_="cl-mark", children=[
                rv.Html(tag="span", class_="cl-mark-yes", children=[tr("decided_mark", lang)]),
                rv.Html(tag="span", class_="cl-mark-no", children=[tr("waiting_mark", lang)])]),
            rv.Html(tag="td", children=[solara.Button(
                tr("kick", lang), on_click=lambda pid=pid: world.kick(pid), text=True,
                small=True, classes=["cl-kick"])]),
        ]))
    rv.Html(tag="table", class_="cl-players", children=table)
    if error:
        rv.Html(tag="div", class_="cl-error", children=[error])


def decided_css(ids: Iterable[str]) -> str:
    """Per player: their row shows the decided mark when ``data-decided`` around the players
    table lists them (changes only when players join or leave)."""
    rules = []
    for pid in ids:
        row = f'.cl-players-box[data-decided~="{pid}"] tr[data-player="{pid}"]'
        rules.append(f"{row} td.cl-mark {{ color: #2e7d32; }} {row} .cl-mark-yes "
                     f"{{ display: inline; }} {row} .cl-mark-no {{ display: none; }}")
    return "\n".join(rules)


@solara.component
def Debrief(world: World, version: int) -> None:
    lang = LANG.value
    # findings read the whole log: shown between rounds (paused) and at the end, so a
    # round's close (the moment every screen waits for) does not wait for them
    quiet = world.finished or world.paused
    found = solara.use_memo(lambda: findings(world) if quiet else [],
                            [world.round, world.room.week, quiet])

    def export() -> None:
        out = registry.config().out_dir
        debrief.export(world, out, lang)
        EXPORTED.set(str((out / "debrief.html").resolve()))

    # the same elements in the same order whatever changes (a button that moves while the
    # page redraws can lose a click)
    solara.Button(tr("export", lang), on_click=export, classes=["cl-export"],
                  disabled=world.round == 0)
    done = EXPORTED.value or ""
    rv.Html(tag="div", class_="cl-exported" if done else "cl-not-exported",
            attributes={"data-path": done},
            children=[tr("exported", lang, path=done) if done else ""])
    items = "".join(f"<li>{escape(tr(f.key, lang, **f.fields))}</li>" for f in found)
    solara.HTML(tag="div", classes=["cl-findings-box"], unsafe_innerHTML=(
        f"<h3>{escape(tr('findings', lang))}</h3><ul class='cl-findings'>{items}</ul>"
        if found else ""))


def player_places(players: Iterable[Player]) -> mp.Highlight:
    """Where the players are, for the map: households (heads included), couriers, businesses."""
    roles = [p.role for p in players]
    return mp.Highlight(
        households=tuple(sorted(r.household for r in roles if r.household >= 0)),
        couriers=tuple(sorted(r.courier for r in roles if r.courier >= 0)),
        businesses=tuple(sorted(r.business for r in roles if r.business >= 0)))


@solara.component
def Views(world: World, version: int) -> None:
    lang = LANG.value
    week = world.room.week
    titles = {"A": {"zh": tr("room_label", "zh"), "en": tr("room_label", "en")},
              "B": {"zh": tr("shadow_label", "zh"), "en": tr("shadow_label", "en")}}
    sims = solara.use_memo(lambda: [
        Sim.wrap(world.room, world.settings.seed, world.settings.scenario, "A", titles["A"]),
        Sim.wrap(world.shadow, world.settings.seed, world.settings.scenario, "B",
                 titles["B"])], [id(world)])
    snaps = solara.use_memo(lambda: world.read(lambda: [s.snapshot() for s in sims]),
                            [week, len(world.timeline)])
    geom = solara.use_memo(lambda: mp.build(snaps[0].layout), [id(world)])
    # the same object while the places are the same (a submission or a rename bumps the
    # version but moves nobody), so the map is not redrawn for it
    now = player_places(world.active_players())
    places = solara.use_memo(lambda: now, [now])
    with solara.Div(classes=["cl-host-views"]):
        with solara.Div(classes=["linli-maps"]):
            MapPanel(snaps[0], geom, 0, "", places)
            solara.HTML(tag="div", classes=["linli-legend"],
                        unsafe_innerHTML=legend_html(geom.level, lang, players=True))
        with solara.Div(classes=["linli-charts-col"]):
            Charts(snaps, cast(object, world))


@solara.component
def HostPage() -> None:
    router = solara.use_router()
    query = parse_qs(router.search or "")
    cfg = registry.config()
    lang = LANG.value
    solara.Title(tr("host_title", lang))
    if not cfg.key or not auth.same(query.get("key", [""])[0], cfg.key):
        rv.Html(tag="p", class_="cl-not-allowed", children=[tr("not_allowed", lang)])
        return
    Host(registry.world())


@solara.component
def Host(world: World) -> None:
    cfg = registry.config()
    lang = LANG.value
    _ = VERSION.value

    def key() -> int:
        return world.version  # the countdown counts itself down (``Countdown``)

    use_world(world, VERSION, key, settle=SETTLE, lead=True)

    def trainer_language() -> None:
        trainer_state.LANG.set(lang)  # the trainer's map and charts read their own

    solara.use_effect(trainer_language, [lang])
    solara.Style(TRAINER_CSS + CSS)
    status = tr("round_of", lang, round=world.round, rounds=world.settings.rounds)
    with solara.Div(classes=["cl-host", "linli-app"]):
        with solara.Div(classes=["cl-side"]):
            with solara.Row():
                rv.Html(tag="b", children=[tr("host_title", lang)])
                other = "en" if lang == "zh" else "zh"
                solara.Button(tr("lang_other", lang), on_click=lambda: set_lang(other),
                              text=True, classes=["cl-lang"])
            rv.Html(tag="div", class_="cl-host-round", attributes={
                "data-round": str(world.round), "data-open": str(int(world.open)),
                "data-week": str(world.room.week), "data-finished": str(int(world.finished)),
                "data-players": str(len(world.active_players())),
                "data-interventions": str(sum(e.kind == "facilitator" for e in world.timeline))},
                children=[status])
            Countdown.element(seconds=world.seconds_left(),
                              text=tr("seconds_left", lang, seconds="{seconds}"))
            rv.Html(tag="div", children=[tr("room_code", lang)])
            rv.Html(tag="div", class_="cl-code", children=[world.code])
            rv.Html(tag="div", children=[tr("join_at", lang)])
            rv.Html(tag="div", class_="cl-join-url", children=[cfg.join_url])
            svg = solara.use_memo(lambda: qr_svg(cfg.join_url), [cfg.join_url])
            solara.HTML(tag="div", classes=["cl-qr"], unsafe_innerHTML=svg)
            Controls(world, world.version)
            Players(world, world.version)
            Interventions(world, world.version)
            Debrief(world, world.version)
        with solara.Div(classes=["cl-main"]):
            Views(world, world.version)
