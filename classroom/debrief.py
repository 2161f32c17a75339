"""The debrief: one self-contained HTML file (room against shadow over time, the findings,
the decisions timeline, each player's and role's contributions) and the decision log as CSV
and Parquet, every file written atomically."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pandas as pd

from .findings import findings
from .labels import tr
from .svgchart import line_chart
from .world import World

ROOM_COLOUR, SHADOW_COLOUR = "#c62828", "#546e7a"
CHARTS = (("chart_participation", "participation_rate", True),  # (title, column, percent)
          ("chart_hours", "hours_per_household", False),
          ("chart_board", "board_listed", False))  # when boards are part of the run
CSS = """
body { font-family: 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif; max-width: 980px;
       margin: 24px auto; padding: 0 16px; color: #212121; }
table { border-collapse: collapse; margin: 8px 0 20px; font-size: 14px; }
td, th { border-bottom: 1px solid #e0e0e0; padding: 3px 10px; text-align: left; }
.note { color: #616161; } .charts svg { max-width: 100%; height: auto; }
li { margin: 6px 0; }
"""


def decision_text(decision: dict | None, lang: str) -> str:
    if decision is None:
        return "–"
    parts = []
    for key in ("take_part", "join_activity", "call_activity", "invite", "offer", "report"):
        if key in decision and (key in ("take_part", "join_activity") or decision[key]):
            label = tr("stay_out" if key == "take_part" and not decision[key] else key, lang)
            if key == "join_activity" and not decision[key]:
                label += f": {tr('no', lang)}"
            parts.append(label)
    if decision.get("invite") is False:
        parts.append(tr("invite_none", lang))
    if decision.get("nominate") is not None:
        parts.append(tr("nominated", lang, position=decision["nominate"] + 1))
    if decision.get("member") is not None:
        parts.append(tr("member_in" if decision["member"] else "member_out", lang))
    if decision.get("hours"):
        parts.append(f"{tr('hours', lang)} {decision['hours']:g}")
    return "; ".join(parts)


def html(world: World, lang: str) -> str:
    """The debrief page, in ``lang``."""
    with world._lock:
        room, shadow = world.room.frame, world.shadow.frame
        log = world.log.frame()
        events = list(world.timeline)
        found = findings(world)
        contributions = _contributions(world, log, lang)
    weeks = [int(w) for w in room["week"]] if not room.empty else []
    charts = ""
    if weeks:
        names = (tr("room_label", lang), tr("shadow_label", lang))
        charts = "".join(line_chart(tr(title, lang), weeks, [
            (names[0], ROOM_COLOUR, [float(v) for v in room[col]]),
            (names[1], SHADOW_COLOUR, [float(v) for v in shadow[col]])], percent=pct)
            for title, col, pct in CHARTS if room[col].notna().any())
    items = "".join(f'<li class="finding">{escape(tr(f.key, lang, **f.fields))}</li>'
                    for f in found)
    rows = []
    for e in log.itertuples():
        decision = json.loads(e.decision)
        rows.append(f"<tr><td>{e.round}</td><td>{e.first_week}–{e.last_week}</td>"
                    f"<td>{escape(e.pseudonym)}</td><td>{escape(tr('kind_' + e.role, lang))}"
                    f"</td><td>{escape(decision_text(decision, lang))}</td>"
                    f"<td>{escape(tr('src_' + e.source, lang))}</td></tr>")
    for ev in events:
        if ev.kind in ("facilitator", "setup", "player"):
            rows.append(f"<tr><td>{ev.round}</td><td>{ev.week}</td><td>"
                        f"{escape(str(ev.details.get('player', '')))}</td><td>{ev.kind}</td>"
                        f"<td>{escape(ev.text)} {escape(_details(ev.details))}</td><td></td></tr>")
    head = "".join(f"<th>{tr(k, lang)}</th>" for k in ("col_round", "col_weeks", "col_player",
                                                       "col_role", "col_decision", "col_source"))
    return (f"<!DOCTYPE html><html lang=\"{'zh-CN' if lang == 'zh' else 'en'}\"><head>"
            f"<meta charset=\"utf-8\"><title>{tr('debrief', lang)} · {escape(world.code)}"
            f"</title><style>{CSS}</style></head><body>"
            f"<h1>{tr('debrief', lang)} · {tr('title', lang)}</h1>"
            f"<p>{tr('debrief_intro', lang)}</p><p class=\"note\">{tr('model_note', lang)}</p>"
            f"<div class=\"charts\">{charts}</div>"
            f"<h2>{tr('findings', lang)}</h2><ul class=\"findings\">{items}</ul>"
            f"<h2>{tr('contributions', lang)}</h2>{contributions}"
            f"<h2>{tr('timeline', lang)}</h2><table class=\"timeline\"><tr>{head}</tr>"
            f"{''.join(rows)}</table></body></html>")


def _details(details: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in details.items() if k != "player")


def _contributions(world: World, log: pd.DataFrame, lang: str) -> str:
    """Per player: role, rounds taken part, hours given, other actions; then per role."""
    if log.empty:
        return ""
    pop = world.room.pop
    rows, by_role = [], {}
    for _player, entries in log.groupby("player", sort=True):
        first = entries.iloc[0]
        took = int(entries["decision_take_part"].fillna(False).astype(bool).sum()
                   + entries["decision_join_activity"].fillna(False).astype(bool).sum())
        hours = float(pop.total_hours[first.household]) if first.household >= 0 else 0.0
        actions = int(entries["decision_call_activity"].fillna(False).astype(bool).sum()
                      + entries["decision_offer"].fillna(False).astype(bool).sum())
        rows.append(f"<tr><td>{escape(first.pseudonym)}</td>"
                    f"<td>{escape(tr('kind_' + first.role, lang))}</td><td>{took}</td>"
                    f"<td>{hours:.1f}</td><td>{actions}</td></tr>")
        total = by_role.setdefault(first.role, [0, 0, 0.0, 0])
        total[0] += 1
        total[1] += took
        total[2] += hours
        total[3] += actions
    for role, (players, took, hours, actions) in by_role.items():
        rows.append(f"<tr><th>{escape(tr('kind_' + role, lang))} × {players}</th><th></th>"
                    f"<th>{took}</th><th>{hours:.1f}</th><th>{actions}</th></tr>")
    head = "".join(f"<th>{tr(k, lang)}</th>" for k in ("col_player", "col_role",
                                                       "col_rounds_part", "col_hours",
                                                       "col_actions"))
    return f"<table class=\"contributions\"><tr>{head}</tr>{''.join(rows)}</table>"


def export(world: World, directory: Path, lang: str, names: bool = False) -> list[Path]:
    """debrief.html, decisions.csv/.parquet and the room's and shadow's weekly outputs
    (weekly.csv/.parquet, a ``world`` column), each written atomically."""
    from experiments.running.output import atomic_write, write_frame

    page = html(world, lang)
    path = directory / "debrief.html"
    atomic_write(path, lambda p: p.write_text(page, encoding="utf-8"))
    with world._lock:
        room, shadow = world.room.frame, world.shadow.frame
        written = [path, *world.log.write(directory, names=names)]
    weekly = pd.concat([room.assign(world="room"), shadow.assign(world="shadow")],
                       ignore_index=True)
    return written + write_frame(directory, "weekly", weekly)
