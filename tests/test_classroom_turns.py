"""How the classroom's server keeps a round's close quick (issue 12's 1 s target): the
projector's page draws a new round before the players' pages (``watch.Leads``), and what
lives for the whole session is kept out of the cyclic garbage collector's walk
(``registry.freeze_long_lived``)."""

from __future__ import annotations

import gc
import threading
import time

import pytest

from classroom import registry
from classroom.settings import RoomSettings
from classroom.watch import Leads, leads
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
