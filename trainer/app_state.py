"""The page's state (one set of ``solara.reactive`` values per browser tab) and what the
buttons do: reset, step, play, queue an intervention, choose a place on the map.

Only ``TICK`` says that the models moved on: the components that show the week read it, the
controls do not, so a week re-renders the views and nothing else.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, cast

import solara

import scenarios
from model.interventions import InterventionError
from model.params import ParameterError

from .labels import DEFAULT_LANG, tr
from .map_svg import Target
from .settings import DEFAULT_PRESET, Settings
from .state import Mark, Session

Text = Callable[[str], str]  # a message that can be shown in either language
SPEEDS = (1, 2, 5, 10)  # weeks per second the play button can run at


@dataclass(frozen=True)
class Selection:
    """A place chosen by clicking map ``run`` (index into the session's runs)."""

    run: int
    target: Target


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
SELECTED = solara.reactive(cast(Selection | None, None))
RENDER = solara.reactive(cast(Any, None))  # the page's render context (set by the page)
PLAY_RUN = solara.reactive(0)  # which press of Play the running loop belongs to
PAINTED = solara.reactive(-1)  # the last week the page reported on screen (-1: none yet)
PAINT_WAIT = 1.0  # s: Play waits at most this long for the page to show a week


def session() -> Session:
    current = SESSION.value
    assert current is not None
    return current


def bump() -> None:
    TICK.set(TICK.value + 1)


def batch() -> AbstractContextManager:
    """Changes made inside re-render the page once, not once per component that shows
    them (reacton's batch: its render context as a context manager)."""
    return RENDER.peek() or nullcontext()


def reset() -> None:
    """Rebuild the model(s) from the controls (keeps the old ones if they are invalid)."""
    PLAYING.set(False)
    try:
        new = Session.start(SETTINGS.value, PRESET_B.value if AB.value else None)
    except (ParameterError, scenarios.ScenarioError) as err:
        message = str(err)
        ERROR.set(lambda lang: tr("bad_settings", lang, error=message))
        return
    ERROR.set(None)
    MESSAGE.set(None)
    SELECTED.set(None)
    SESSION.set(new)
    bump()


def step() -> None:
    with batch():
        MESSAGE.set(None)  # "queued for next week" is history once the week has run
        session().step()
        bump()


def play_loop() -> None:
    """Step while playing at SPEED weeks a second, on a fixed schedule (a slow week does not
    slow the next ones). Each week waits until the page shows it; a page that falls behind by
    a week or more then gets several weeks at once, so the weeks per second still hold.

    One press of Play runs at most the scenario's horizon (``params.weeks``), so a tab left
    playing does not run for ever. A loop still asleep when Pause and Play are pressed again
    stops when it wakes: only the newest press plays."""
    current = session()
    stop_at = current.week + current.sims[0].params.weeks
    run = PLAY_RUN.peek() + 1
    PLAY_RUN.set(run)
    MESSAGE.set(None)
    due = time.monotonic()
    while PLAYING.peek() and PLAY_RUN.peek() == run:
        interval = 1 / SPEED.value
        late = max(0.0, time.monotonic() - due)
        weeks = min(10, 1 + int(late / interval), stop_at - current.week)
        with batch():
            current.step(weeks)
            bump()
        _wait_painted(current.week, run)
        if current.week >= stop_at:
            PLAYING.set(False)
            MESSAGE.set(lambda lang: tr("play_stopped", lang, weeks=stop_at))
            return
        due = max(due + weeks * interval, time.monotonic() - 1.0)  # at most 1 s owed
        time.sleep(max(0.0, due - time.monotonic()))


def painted(week: int) -> None:
    """The page shows ``week`` (reported by the map once the frame is painted)."""
    PAINTED.set(week)


def _wait_painted(week: int, run: int) -> None:
    """Until the page shows ``week`` (at most PAINT_WAIT s), if a page reports at all: so a
    slow browser gets fewer frames, each several weeks on, instead of a growing queue."""
    if PAINTED.peek() < 0:
        return
    until = time.monotonic() + PAINT_WAIT
    while PAINTED.peek() < week and time.monotonic() < until and PLAY_RUN.peek() == run:
        time.sleep(0.005)


def select(run: int, target: Target | None) -> None:
    if target is not None:
        SELECTED.set(Selection(run, target))


def intervene(kind: str, details: dict[str, Any] | Callable[[Any], dict[str, Any]],
              targets: list[int]) -> None:
    """Queue an intervention on the chosen runs; say when it takes effect and where it
    shows."""
    try:
        marks = session().intervene(targets, kind, details)
    except InterventionError as err:
        message = str(err)
        ERROR.set(lambda lang: tr("intervention_error", lang, error=message))
        return
    ERROR.set(None)
    first = marks[0]
    shows = "queued_nomap" if kind == "post_red_list" else "queued_map"

    def text(lang: str) -> str:
        return " ".join([tr("queued", lang, what=tr("iv_" + kind, lang),
                            where=where(first, lang), week=first.week),
                         tr(shows, lang)])

    MESSAGE.set(text)
    bump()


def where(mark: Mark, lang: str) -> str:
    for key in ("household", "unit", "grid", "business"):
        if key in mark.details:
            return tr(f"iv_where_{key}", lang, **{key: mark.details[key]})
    return tr("iv_where_all", lang)
