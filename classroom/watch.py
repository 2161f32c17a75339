"""Telling each open page that the shared world changed.

Solara keeps ``reactive`` state per browser tab, and a change made by one tab's thread cannot
re-render another tab. So each page starts a small thread of its own, running in that page's
kernel context, that waits on the world's version (``World.wait``) and, when what the page
shows (``key``) has changed, bumps the page's own reactive counter. The thread stops when the
page goes away or its kernel closes; it also wakes once a second, for the countdown.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

import solara
from solara.server import kernel_context

from .world import World

WAKE_SECONDS = 1.0


def use_world(world: World, counter: solara.Reactive[int], key: Callable[[], Hashable],
              settle: float = 0.0) -> None:
    """Re-render (bump ``counter``) whenever ``key()`` changes with the world; with
    ``settle`` (s), changes that follow within it are shown in the same render (the
    facilitator's page, which changes with every submission)."""
    key_ref = solara.use_ref(key)
    key_ref.current = key
    context = kernel_context.get_current_context()

    def start() -> Callable[[], None]:
        stop = threading.Event()

        def loop() -> None:
            last, version = key_ref.current(), world.version
            while not stop.is_set() and not context.closed_event.is_set():
                version = world.wait(version, WAKE_SECONDS)
                if stop.is_set():
                    return
                if settle:
                    stop.wait(settle)
                    version = world.version
                try:
                    now = key_ref.current()
                except Exception:  # the page's player was removed: show it  # noqa: BLE001
                    now = None
                if now != last:
                    last = now
                    with context:
                        counter.set(counter.peek() + 1)

        threading.Thread(target=loop, name="classroom-watch", daemon=True).start()
        return stop.set

    solara.use_effect(start, [])
