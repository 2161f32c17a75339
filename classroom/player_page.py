"""The player's page, mobile first: join with the room code and a name, then each round see
what the role could see and decide. Only this player's own view is ever read
(``World.view`` needs the player's token); decisions go out as signed requests."""

from __future__ import annotations

import hashlib
import hmac
from html import escape
from typing import Any, cast
from urllib.parse import parse_qs

import solara
from solara.alias import rv

from . import decisions, registry
from .auth import Request
from .countdown import Countdown
from .labels import tr
from .roles import Role
from .watch import use_world
from .world import JoinError, PlayerView, SubmitError, Ticket

HOURS = (1.0, 2.0, 3.0, 4.0, 6.0, 8.0)
COUNTDOWN_STEP = 10  # s: a phone shows the time left to ten seconds, then the last ten by one
CHOICE = {"rule": None, "in": True, "out": False}  # a three-way choice (group, invitations)
CSS = """
.cl-player { font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'Roboto', sans-serif;
             max-width: 520px; margin: 0 auto; padding: 10px 14px 40px; font-size: 17px; }
.cl-player .v-btn { text-transform: none; letter-spacing: normal; }
.cl-top { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
.cl-top h1 { font-size: 20px; margin: 6px 0; }
.cl-role { font-size: 18px; font-weight: 700; margin: 8px 0; }
.cl-round { font-size: 16px; margin: 4px 0 10px; color: #37474f; }
.cl-player .cl-countdown { float: right; margin: 10px 0 0 8px; font-size: 16px; font-weight: 700;
                           color: #e65100; }
.cl-seen { background: #f5f5f5; border-radius: 8px; padding: 8px 12px 8px 28px; margin: 8px 0; }
.cl-seen li { margin: 4px 0; }
.cl-actions > .v-btn { width: 100%; min-height: 52px; margin: 6px 0; font-size: 18px; }
.cl-member, .cl-invite, .cl-nominate { display: flex; flex-wrap: wrap; height: auto !important;
                                        margin: 6px 0; }
.cl-hours { display: flex; flex-wrap: wrap; margin-bottom: 8px; }
.cl-hours .v-btn { min-width: 44px !important; min-height: 44px; }
.cl-status { margin: 10px 0; padding: 8px 12px; border-radius: 8px; background: #fff8e1; }
.cl-status[data-decided="1"] { background: #e8f5e9; }
.cl-error { color: #b71c1c; margin: 8px 0; }
.cl-note { color: #616161; font-size: 14px; }
"""

LANG = solara.reactive(registry.config().lang)
TICKET = solara.reactive(cast(Ticket | None, None))
VERSION = solara.reactive(0)
ERROR = solara.reactive("")


def device_token() -> str:
    """This browser's token: derived from Solara's session cookie and the room's secret, so
    the same browser finds its role again, and no other browser can compute it."""
    key = registry.config().key.encode() or b"linli"
    session = solara.get_session_id().encode()
    return hmac.new(key, session, hashlib.sha256).hexdigest()


def role_text(role: Role, name: str, lang: str) -> str:
    what = tr(f"role_{role.kind}", lang, unit=role.unit, courier=role.courier,
              business=role.business)
    return tr("you_are", lang, name=name, role=what)


def seen_lines(role: Role, seen: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """(key, sentence) for each thing the role sees."""
    if not seen:
        return []
    out = [("week", tr("see_week", lang, week=seen["week"]))]
    if role.kind == "courier":
        units = ", ".join(str(u) for u in seen["route_units"])
        out += [("route", tr("see_route", lang, units=units, **seen)),
                ("route_problems", tr("see_route_problems", lang, **seen)),
                ("station", tr("see_station" if seen["near_station"] else "see_no_station",
                               lang, **seen))]
        return out
    if role.kind == "business":
        units = "–".join(str(u) for u in seen["units"])
        sharing = tr("sharing_yes" if seen["sharing"] else "sharing_no", lang)
        out += [("near", tr("see_business", lang, **{**seen, "units": units})),
                ("partnership", tr("see_partnership", lang, partnership=seen["partnership"],
                                   sharing=sharing))]
        return out
    took = tr("took_yes" if seen["i_took_part"] else "took_no", lang)
    out += [("neighbours", tr("see_neighbours", lang, **seen)),
            ("known", tr("see_known", lang, **seen)),
            ("me", tr("see_me", lang, took=took, **seen)),
            ("head", tr("see_head" if seen["unit_has_head"] else "see_no_head", lang)),
            ("group", tr("see_group", lang, **seen) if seen["group"] >= 0
             else tr("see_group_nearby", lang, **seen) if seen.get("group_nearby", -1) >= 0
             else tr("see_no_group", lang)),
            ("board", tr("see_board", lang, **seen) if seen["board_week"] is not None
             else tr("see_no_board", lang)),
            ("problems", tr("see_problems", lang, **seen))]
    if seen["invited"]:
        out.append(("invited", tr("see_invited", lang)))
    if seen["i_am_listed"]:
        out.append(("listed", tr("see_listed", lang)))
    if seen.get("party_invites"):
        out.append(("party", tr("see_party", lang, count=seen["party_invites"])))
    if role.kind == "head":
        out.append(("unit", tr("see_unit_head", lang, **seen)))
        if "unit_contributors" in seen:
            out.append(("contributors", _contributors_line(seen["unit_contributors"], lang)))
    return out


def _contributors_line(contributors: list, lang: str) -> str:
    if not contributors:
        return tr("see_no_contributors", lang)
    sep = "，" if lang == "zh" else ", "
    return tr("see_contributors", lang, who=sep.join(
        tr("nominee", lang, position=int(k) + 1, hours=f"{h:g}") for k, h in contributors))


@solara.component
def LanguageButton() -> None:
    lang = LANG.value
    other = "en" if lang == "zh" else "zh"
    solara.Button(tr("lang_other", lang), on_click=lambda: LANG.set(other), text=True,
                  classes=["cl-lang"])


@solara.component
def JoinForm(code: str) -> None:
    lang = LANG.value
    typed_code, set_code = solara.use_state(code)
    name, set_name = solara.use_state("")

    def join() -> None:
        try:
            ticket = registry.world().join(typed_code, name, token=device_token())
        except JoinError as err:
            ERROR.set(_join_error(str(err), lang))
            return
        ERROR.set("")
        TICKET.set(ticket)

    rv.Html(tag="h2", children=[tr("join_title", lang)])
    solara.InputText(tr("room_code", lang), value=typed_code, on_value=set_code,
                     continuous_update=True, classes=["cl-code-input"])
    solara.InputText(tr("your_name", lang), value=name, on_value=set_name,
                     continuous_update=True, classes=["cl-name-input"])
    with solara.Div(classes=["cl-actions"]):
        solara.Button(tr("join", lang), on_click=join, color="primary",
                      disabled=not (typed_code.strip() and name.strip()),
                      classes=["cl-join"])
    rv.Html(tag="div", class_="cl-note", children=[tr("join_note", lang)])


def _join_error(error: str, lang: str) -> str:
    for part, key in (("wrong room code", "err_wrong room code"), ("taken", "err_taken"),
                      ("another name", "err_device"), ("full", "err_full")):
        if part in error:
            return tr(key, lang)
    return tr("err_other", lang, error=error)


@solara.component
def Decide(ticket: Ticket, kind: str, first_hours: float, first_member: str,
           groups: bool, problems: bool, nominees: tuple = (), invites: int = 0) -> None:
    """The role's choices; pressing a choice sends it. (Its arguments rarely change from
    round to round, so a new round does not redraw the buttons.) ``groups``: a group to be
    in exists (the membership choice shows); ``problems``: an unreported problem is in sight
    (the report box shows); ``nominees``: a head's neighbours who took part since the last
    board, (position, hours), when boards are part of the run; ``invites``: how many
    neighbours the household invites if the player chooses to (a head, a party member's
    household; 0: no invitations to choose)."""
    lang = LANG.value
    hours, set_hours = solara.use_state(first_hours)
    member, set_member = solara.use_state(first_member)
    report, set_report = solara.use_state(False)
    reports = {"report": report} if problems else {}
    call, set_call = solara.use_state(False)
    invite, set_invite = solara.use_state("rule")
    nominee, set_nominee = solara.use_state(-1)
    join, set_join = solara.use_state(False)

    def send(decision: dict[str, Any]) -> None:
        world = registry.world()
        current = world.view(ticket.player, ticket.token)  # the latest round and seq
        request = Request.signed(ticket.token, ticket.player, current.round, current.seq + 1,
                                 decision)
        try:
            world.submit(request)
        except SubmitError as err:
            ERROR.set(tr("err_submit", lang, error=str(err)))
            return
        ERROR.set("")

    # options that come and go sit in containers that stay, so the buttons never move while
    # the page redraws (a button that moves can lose a tap)
    with solara.Div(classes=["cl-actions"]):
        with solara.Div(classes=["cl-report"]):
            if problems and kind in ("household", "head", "courier"):
                solara.Checkbox(label=tr("report", lang), value=report, on_value=set_report)
        if kind in ("household", "head"):
            rv.Html(tag="div", children=[tr("hours", lang)])
            with solara.ToggleButtonsSingle(value=hours, on_value=set_hours, mandatory=True,
                                            classes=["cl-hours"]):
                for h in HOURS:
                    solara.Button(f"{h:g}", value=h, text=True, classes=[f"cl-hours-{h:g}"])
            if invites:
                with solara.ToggleButtonsSingle(value=invite, on_value=set_invite,
                                                mandatory=True, classes=["cl-invite"]):
                    for choice in ("rule", "in", "out"):
                        solara.Button(tr(f"invite_{choice}", lang, count=invites), value=choice,
                                      text=True, classes=[f"cl-invite-{choice}"])
            if kind == "head":
                with solara.Div(classes=["cl-call"]):
                    solara.Checkbox(label=tr("call_activity", lang), value=call,
                                    on_value=set_call)
                with solara.Div(classes=["cl-nominate-box"]):
                    if nominees:
                        rv.Html(tag="div", children=[tr("nominate", lang)])
                        with solara.ToggleButtonsSingle(value=nominee, on_value=set_nominee,
                                                        mandatory=True,
                                                        classes=["cl-nominate"]):
                            solara.Button(tr("nominate_nobody", lang), value=-1, text=True,
                                          classes=["cl-nominate-nobody"])
                            for position, given in nominees:
                                solara.Button(tr("nominee", lang, position=position + 1,
                                                 hours=f"{given:g}"),
                                              value=position, text=True,
                                              classes=[f"cl-nominate-{position}"])
            with solara.Div(classes=["cl-member-box"]):
                if groups:
                    with solara.ToggleButtonsSingle(value=member, on_value=set_member,
                                                    mandatory=True, classes=["cl-member"]):
                        for choice in ("rule", "in", "out"):
                            solara.Button(tr(f"member_{choice}", lang), value=choice,
                                          text=True, classes=[f"cl-member-{choice}"])
            extra: dict[str, Any] = {"member": CHOICE[member], **reports}
            if invites:
                extra["invite"] = CHOICE[invite]
            if kind == "head":
                extra.update(call_activity=call, nominate=nominee if nominee >= 0 else None)
            solara.Button(tr("take_part", lang), color="primary", classes=["cl-take-part"],
                          on_click=lambda: send({"take_part": True, "hours": hours, **extra}))
            solara.Button(tr("stay_out", lang), classes=["cl-stay-out"],
                          on_click=lambda: send({"take_part": False, **extra}))
        elif kind == "courier":
            solara.Button(tr("join_activity", lang), color="primary", classes=["cl-take-part"],
                          on_click=lambda: send({"join_activity": True, **reports}))
            solara.Button(tr("stay_out", lang), classes=["cl-stay-out"],
                          on_click=lambda: send({"join_activity": False, **reports}))
        else:
            with solara.Div(classes=["cl-business-join"]):
                solara.Checkbox(label=tr("business_join", lang), value=join,
                                on_value=set_join)
            solara.Button(tr("offer", lang), color="primary", classes=["cl-take-part"],
                          on_click=lambda: send({"offer": True, "join_activity": join}))
            solara.Button(tr("stay_out", lang), classes=["cl-stay-out"],
                          on_click=lambda: send({"offer": False, "join_activity": join}))


def _decision_words(decision: dict[str, Any], lang: str) -> str:
    from .debrief import decision_text

    return decision_text(decision, lang)


def view_html(view: PlayerView, rounds: int, lang: str) -> str:
    """The role, the round, what the role sees and whether this round is decided."""
    if view.finished:
        status = tr("finished", lang)
    elif view.open:
        status = tr("round_of", lang, round=view.round, rounds=rounds)
    elif view.round == 0:
        status = tr("waiting_start", lang)
    else:
        status = (tr("round_of", lang, round=view.round, rounds=rounds) + " · "
                  + tr("waiting_round", lang))
    parts = [f'<div class="cl-role" data-kind="{view.role.kind}">'
             f"{escape(role_text(view.role, view.name, lang))}</div>",
             f'<div class="cl-round" data-round="{view.round}" data-open="{int(view.open)}" '
             f'data-finished="{int(view.finished)}">{escape(status)}</div>']
    lines = seen_lines(view.role, view.seen, lang)
    if lines:
        items = "".join(f'<li data-key="{k}">{escape(text)}</li>' for k, text in lines)
        parts.append(f'<div>{escape(tr("you_see", lang))}</div><ul class="cl-seen">{items}</ul>')
    if view.open:
        if view.decision is not None:
            text = tr("decided", lang, what=_decision_words(view.decision, lang))
        else:
            text = tr("not_decided" if view.last else "not_decided_first", lang)
        parts.append(f'<div class="cl-status" data-decided="{int(view.decision is not None)}">'
                     f"{escape(text)}</div>")
    return "".join(parts)


@solara.component
def Play(ticket: Ticket) -> None:
    lang = LANG.value
    world = registry.world()
    _ = VERSION.value

    def key() -> tuple:
        v = world.view(ticket.player, ticket.token)
        return (v.round, v.open, v.finished, str(v.decision), v.last is not None, v.name,
                v.deadline)  # the page counts the seconds down itself

    use_world(world, VERSION, key)
    try:
        view = world.view(ticket.player, ticket.token)
    except SubmitError:  # removed by the facilitator
        rv.Html(tag="div", class_="cl-removed", children=[tr("removed", lang)])
        with solara.Div(classes=["cl-actions"]):
            solara.Button(tr("join_again", lang), on_click=lambda: TICKET.set(None),
                          classes=["cl-rejoin"])
        return
    Countdown.element(seconds=view.seconds_left, step=COUNTDOWN_STEP,
                      text=tr("seconds_left", lang, seconds="{seconds}"),
                      about=tr("seconds_about", lang, seconds="{seconds}"))
    # one block of HTML for everything a round changes: one widget update per page
    solara.HTML(tag="div", classes=["cl-view"],
                unsafe_innerHTML=view_html(view, world.settings.rounds, lang))
    if view.open:
        mine = view.decision or view.last or {}
        member = {None: "rule", True: "in", False: "out"}[mine.get("member")]
        groups = (view.seen.get("group", -1) >= 0 or view.seen.get("group_nearby", -1) >= 0
                  or member != "rule")
        seen = view.seen
        problems = (seen.get("problems_in_sight", 0) > 0
                    or seen.get("problems_on_route", 0) > seen.get("problems_on_route_reported", 0))
        nominees = tuple(tuple(c) for c in seen.get("unit_contributors", ()))
        invites = (decisions.INVITES if view.role.kind == "head"
                   else int(seen.get("party_invites", 0)))
        Decide(ticket, view.role.kind, float(mine.get("hours") or 2.0), member, groups,
               problems, nominees, invites)


@solara.component
def PlayerPage() -> None:
    router = solara.use_router()
    query = parse_qs(router.search or "")
    asked = query.get("lang", [""])[0]

    def open_in_asked_language() -> None:
        if asked in ("zh", "en"):
            LANG.set(asked)

    solara.use_effect(open_in_asked_language, [asked])
    lang = LANG.value
    solara.Title(tr("title", lang))
    solara.Style(CSS)
    with solara.Div(classes=["cl-player"]):
        with solara.Div(classes=["cl-top"]):
            rv.Html(tag="h1", children=[tr("title", lang)])
            LanguageButton()
        ticket = TICKET.value
        if ticket is None:
            JoinForm(query.get("room", [""])[0])
        else:
            Play(ticket)
        if ERROR.value:
            rv.Html(tag="div", class_="cl-error", children=[ERROR.value])
