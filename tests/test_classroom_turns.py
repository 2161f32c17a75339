"""How the classroom's server keeps a round's close quick (issue 12's 1 s target): the
projector's page draws a new round before the players' pages (``watch.Leads``) and shows a
round's close at once even while it gathers submissions (``watch.gather``), its players'
rows redraw only when players change, and what lives for the whole session is kept out of
the cyclic garbage collector's walk (``registry.freeze_long_lived``)."""

from __future__ import annotations

import gc
import threading
import time

import pytest

from classroom import registry
from classroom.auth import Request
from classroom.settings import RoomSettings
from classroom.watch import Leads, gather, leads
from classroom.world import World


def test_without_a_leading_page_nobody_waits() -> None:
    assert Leads().wait(version=7, timeout=5.0) is True  # returns at once


def test_a_page_waits_until_the_leading_page_has_drawn_the_change() -> None:
    ahead = Leads()
    ahead.drew(page=1, version=3)
    assert ahead.wait(3, timeout=0.0) is True  # already drawn
    assert ahead.wait(4, timeout=0.05) is False  # not yet: the wait gives up after its time
    waited: list[float] = []

    def follower() -> None:
        start = time.monotonic()
        assert ahead.wait(4, timeout=10.0)
        waited.append(time.monotonic() - start)

    thread = threading.Thread(target=follower)
    thread.start()
    time.sleep(0.2)
    assert thread.is_alive()  # still waiting for the projector
    ahead.drew(page=1, version=4)
    thread.join(timeout=5.0)
    assert not thread.is_alive()
    assert 0.15 < waited[0] < 5.0


def test_a_closed_leading_page_holds_nobody_up() -> None:
    ahead = Leads()
    ahead.drew(page=1, version=3)
    ahead.drew(page=2, version=9)
    assert ahead.wait(9, timeout=0.0) is False  # page 1 has not drawn version 9
    ahead.leave(page=1)
    assert ahead.wait(9, timeout=0.0) is True


def test_each_world_has_its_own_leading_pages() -> None:
    settings = RoomSettings(households=300, timer_seconds=None)
    one, other = World(settings, code="ABCDE"), World(settings, code="FGHIJ")
    leads(one).drew(page=1, version=5)
    assert leads(one) is leads(one)
    assert leads(other).wait(6, timeout=0.0) is True  # the other room's projector is not it


def room_of_two() -> tuple[World, list]:
    w = World(RoomSettings(households=300, timer_seconds=None, rounds=10), code="ABCDE")
    tickets = [w.join("ABCDE", name) for name in ("Ann", "Bo")]
    w.start()
    return w, tickets


def take_part(w: World, ticket, hours: float = 2.0) -> None:
    p = w.players[ticket.player]
    w.submit(Request.signed(ticket.token, ticket.player, w.round, p.seq + 1,
                            {"take_part": True, "hours": hours}))


def gather_in_thread(w: World, seconds: float) -> tuple[threading.Thread, list]:
    """``gather`` from the world's state now; the result: (version, seconds taken)."""
    out: list = []
    version, stage = w.version, (w.round, w.open)

    def run() -> None:
        start = time.monotonic()
        out.append(gather(w, version, stage, seconds, threading.Event()))
        out.append(time.monotonic() - start)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def test_submissions_within_the_settling_time_are_drawn_together() -> None:
    w, (ann, bo) = room_of_two()
    thread, out = gather_in_thread(w, seconds=0.4)
    take_part(w, ann)
    take_part(w, ann, hours=3.0)  # a change of mind: the round stays open
    thread.join(timeout=10.0)
    assert w.open and out[0] == w.version  # both changes, in one redraw
    assert out[1] >= 0.35  # the full settling time: nothing closed


def test_a_round_closing_while_the_projector_settles_is_drawn_at_once() -> None:
    w, (ann, bo) = room_of_two()
    take_part(w, ann)
    first_round = w.round
    thread, out = gather_in_thread(w, seconds=30.0)
    time.sleep(0.1)
    assert thread.is_alive()  # a submission alone waits for others to gather
    take_part(w, bo)  # the last player: the round closes, the next opens
    thread.join(timeout=10.0)
    assert not thread.is_alive() and out[1] < 5.0  # not the 30 s
    assert w.round == first_round + 1 and out[0] == w.version


def test_the_projectors_player_rows_redraw_only_when_players_change() -> None:
    import ipyvuetify as v
    import solara

    from classroom import host_page

    w, (ann, bo) = room_of_two()
    version = solara.reactive(w.version)

    @solara.component
    def Side() -> None:
        host_page.Players(w, version.value)

    _, rc = solara.render(Side(), handle_error=False)
    try:
        box = rc.find(v.Html, class_="cl-players-box").widget
        drawn = host_page.PlayerRows.render_count
        take_part(w, ann)
        version.set(w.version)
        assert box.attributes["data-decided"] == ann.player  # one attribute tells who decided
        assert host_page.PlayerRows.render_count == drawn  # the forty rows are not redrawn
        w.rename(bo.player, "Bob")
        version.set(w.version)
        assert host_page.PlayerRows.render_count == drawn + 1  # a rename does redraw them
        rc.find(v.Btn, children=["Bob"]).assert_single()
    finally:
        rc.close()


@pytest.fixture
def fresh_registry(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(registry, "_world", None)
    monkeypatch.setattr(registry, "_config", registry.Config(
        settings=RoomSettings(households=300, timer_seconds=None), code="ABCDE"))
    yield
    gc.unfreeze()


def test_the_room_and_what_was_loaded_before_it_are_frozen_once_built(fresh_registry) -> None:
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    world = registry.world()
    assert gc.get_freeze_count() > 100_000  # the libraries and both models
    # the room's own objects are among the frozen: the collector no longer walks them
    assert not any(o is world for o in gc.get_objects())
    assert registry.world() is world
