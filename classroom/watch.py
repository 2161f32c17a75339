"""Telling each open page that the shared world changed.

Solara keeps ``reactive`` state per browser tab, and a change made by one tab's thread cannot
re-render another tab. So each page starts a small thread of its own, running in that page's
kernel context, that waits on the world's version (``World.wait``) and, when what the page
shows (``key``) has changed, bumps the page's own reactive counter. The thread stops when the
page goes away or its kernel closes (it wakes once a second to notice). The countdown is
counted in the page (``Countdown``), so it redraws nothing here.

When a round opens or closes every page redraws at once, and the server's threads share one
interpreter lock: drawn all together, the projector's page (the largest) came last. So after
a round opens or closes the projector's page (``lead=True``) draws first: the others wait
for it (``Leads``), at most ``LEAD_SECONDS``. The projector gathers submissions that come
together into one redraw (``settle``), but a round's close ends that pause at once
(``gather``).
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Hashable

import solara
from solara.server import kernel_context

from .world import World

WAKE_SECONDS = 1.0
LEAD_SECONDS = 0.3  # the longest a page waits for the projector to draw a new round


class Leads:
    """The version each leading page of a world has drawn, which the others can wait for."""

    def __init__(self) -> None:
        self._drawn: dict[int, int] = {}
        self._changed = threading.Condition()

    def drew(self, page: int, version: int) -> None:
        with self._changed:
            self._drawn[page] = version
            self._changed.notify_all()

    def leave(self, page: int) -> None:
        with self._changed:
            self._drawn.pop(page, None)
            self._changed.notify_all()

    def wait(self, version: int, timeout: float) -> bool:
        """Until every leading page has drawn ``version`` (at most ``timeout`` s); whether
        they had."""
        with self._changed:
            return self._changed.wait_for(
                lambda: all(v >= version for v in self._drawn.values()), timeout=timeout)


_leads: weakref.WeakKeyDictionary[World, Leads] = weakref.WeakKeyDictionary()
_leads_lock = threading.Lock()


def leads(world: World) -> Leads:
    """The world's leading pages (the projector's)."""
    with _leads_lock:
        return _leads.setdefault(world, Leads())


def gather(world: World, version: int, stage: tuple[int, bool], seconds: float,
           stop: threading.Event) -> int:
    """Let changes gather for ``seconds``, but no longer than the round stays at ``stage``
    (a round's opening or close is shown at once); the world's version then."""
    deadline = time.monotonic() + seconds
    while not stop.is_set() and (world.round, world.open) == stage:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        version = world.wait(version, left)
    return world.version


def use_world(world: World, counter: solara.Reactive[int], key: Callable[[], Hashable],
              settle: float = 0.0, lead: bool = False) -> None:
    """Re-render (bump ``counter``) whenever ``key()`` changes with the world; with
    ``settle`` (s), changes that follow within it are shown in the same render (the
    facilitator's page, which changes with every submission) — but a round's opening or
    close at once. With ``lead``, this page draws a round's opening or close before the pages
    without it."""
    key_ref = solara.use_ref(key)
    key_ref.current = key
    context = kernel_context.get_current_context()

    def start() -> Callable[[], None]:
        stop = threading.Event()
        page = id(stop)
        ahead = leads(world)

        def loop() -> None:
            last, version = key_ref.current(), world.version
            stage = (world.round, world.open)
            if lead:
                ahead.drew(page, version)
            try:
                while not stop.is_set() and not context.closed_event.is_set():
                    version = world.wait(version, WAKE_SECONDS)
                    if stop.is_set():
                        return
                    if settle:  # returns at once if the round has moved on
                        version = gather(world, version, stage, settle, stop)
                    try:
                        now = key_ref.current()
                    except Exception:  # the page's player was removed: show it  # noqa: BLE001
                        now = None
                    moved, stage = (world.round, world.open) != stage, (world.round, world.open)
                    if now != last:
                        last = now
                        if moved and not lead:
                            ahead.wait(version, LEAD_SECONDS)
                        with context:
                            counter.set(counter.peek() + 1)
                    if lead:
                        ahead.drew(page, version)
            finally:
                if lead:
                    ahead.leave(page)

        threading.Thread(target=loop, name="classroom-watch", daemon=True).start()
        return stop.set

    solara.use_effect(start, [])
