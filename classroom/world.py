"""The shared world of a classroom: one room, its players and rounds, the community they play
in and its shadow. It lives on the server, outside any browser tab's state; every method takes
the world's lock, so concurrent joins and submissions from many tabs are safe, and every
change bumps ``version`` and notifies the subscribers (each open page).

The **room** is the community the players act in; the **shadow** is the same community, seed
and facilitator's interventions with model households in the players' places (nothing the
players decided reaches it), so the debrief can show what the room changed.
"""

from __future__ import annotations

import contextlib
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from model.core import LinliModel
from model.external import ExternalDecisions
from model.interventions import InterventionError
from model.params import Params

from . import auth, decisions
from .log import DecisionLog, Entry
from .roles import Role, RoleBook
from .settings import RoomSettings
from .sight import rule_inputs, sight

MAX_NAME = 24


class JoinError(ValueError):
    """A join refused: wrong room code, a name taken, the room full."""


class SubmitError(ValueError):
    """A submission refused: unknown player, bad signature, replayed, round not open, or a
    decision the role cannot make."""


@dataclass
class Player:
    id: str
    name: str
    token: str
    role: Role
    pseudonym: str
    seq: int = 0  # the last sequence number accepted
    decision: dict[str, Any] | None = None  # submitted for the open round
    last: dict[str, Any] | None = None  # the latest decision of any round
    seen: dict[str, Any] = field(default_factory=dict)  # at the open round's start
    state: dict[str, Any] = field(default_factory=dict)  # the rule's inputs then (research)
    active: bool = True  # False once the facilitator removed the player


@dataclass(frozen=True)
class Ticket:
    """What a player's page keeps after joining (the token is the player's secret)."""

    player: str
    token: str
    role: Role
    pseudonym: str
    resumed: bool


@dataclass(frozen=True)
class PlayerView:
    """Everything one player's page may show: their own role, sight and decision."""

    player: str
    name: str
    role: Role
    round: int  # the open round (or the last closed one when none is open)
    open: bool
    finished: bool
    seconds_left: float | None
    deadline: float | None  # when the open round's timer runs out (the world's clock)
    seen: dict[str, Any]
    decision: dict[str, Any] | None  # submitted this round
    last: dict[str, Any] | None
    seq: int
    version: int


@dataclass(frozen=True)
class Event:
    """A line of the timeline: a round closing, an intervention, a player joining."""

    round: int
    week: int
    kind: str
    text: str
    details: dict[str, Any] = field(default_factory=dict)


def clean_name(text: str) -> str:
    """A display name: trimmed, no control characters, at most MAX_NAME characters."""
    name = " ".join("".join(ch for ch in text if unicodedata.category(ch)[0] != "C").split())
    if not name:
        raise JoinError("enter a name")
    if len(name) > MAX_NAME:
        raise JoinError(f"a name has at most {MAX_NAME} characters")
    return name


class World:
    """One classroom session. ``clock`` (seconds, monotonic) is injectable for tests."""

    def __init__(self, settings: RoomSettings, params: Params | None = None,
                 code: str | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.params = params if params is not None else room_params(settings)
        self.code = code or auth.new_code()
        self.clock = clock
        self.room = LinliModel(self.params, rng=settings.seed, agents=False)
        self.shadow = LinliModel(self.params, rng=settings.seed, agents=False)
        self.room.external = ExternalDecisions.none(self.room.layout.households,
                                                    len(self.room.couriers),
                                                    len(self.room.businesses))
        self.roles = RoleBook(self.room, settings)
        self.log = DecisionLog()
        self.timeline: list[Event] = []
        self.players: dict[str, Player] = {}
        self.version = 0
        self.round = 0  # the open round, or the last closed one
        self.open = False
        self.paused = False
        self.deadline: float | None = None
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._listeners: list[Callable[[int], None]] = []
        self._pending_note = False

    # --- notifications -------------------------------------------------------------------

    def subscribe(self, listener: Callable[[int], None]) -> Callable[[], None]:
        """Call ``listener(version)`` after every change (outside the lock); returns the
        function that unsubscribes."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def wait(self, version: int, timeout: float) -> int:
        """Until the version differs from ``version`` (at most ``timeout`` s); the version."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != version, timeout=timeout)
            return self.version

    def _bump(self) -> None:
        """Under the lock: a change; listeners run when the outermost call returns."""
        self.version += 1
        self._pending_note = True
        self._changed.notify_all()

    def _notify(self) -> None:
        if not self._pending_note:
            return
        with self._lock:
            self._pending_note = False
            version, listeners = self.version, list(self._listeners)
        for listener in listeners:
            with contextlib.suppress(Exception):  # a closed page must not stop the others
                listener(version)

    # --- players -------------------------------------------------------------------------

    def join(self, code: str, name: str, token: str | None = None) -> Ticket:
        """Join with the room code; the same name with its token resumes that player."""
        try:
            with self._lock:
                return self._join(code, name, token)
        finally:
            self._notify()

    def _join(self, code: str, name: str, token: str | None) -> Ticket:
        if not auth.same(auth.normal_code(code), self.code):
            raise JoinError("wrong room code")
        name = clean_name(name)
        key = name.casefold()
        for p in self.players.values():
            if p.name.casefold() == key:
                if token is None or not auth.same(token, p.token) or not p.active:
                    raise JoinError("this name is taken in this room; choose another")
                return Ticket(p.id, p.token, p.role, p.pseudonym, resumed=True)
        if token is not None and any(auth.same(token, p.token) for p in self.players.values()
                                     if p.active):
            raise JoinError("this device already plays in this room under another name")
        if len(self.players) >= self.settings.max_players:
            raise JoinError("the room is full")
        role = self.roles.next()
        if role is None:
            raise JoinError("the community has no role left for another player")
        number = len(self.players) + 1
        if token is None or len(token) < auth.MIN_TOKEN:
            token = auth.new_token()
        player = Player(f"p{number:02d}", name, token, role, f"P{number:02d}")
        self.players[player.id] = player
        if role.kind == "head":  # part of the set-up: the same head in the shadow
            self._both("appoint_head", {"household": role.household}, setup=True)
        player.seen = sight(self.room, role)
        player.state = rule_inputs(self.room, role)
        self.timeline.append(Event(self.round, self.room.week, "join", player.pseudonym,
                                   {"role": role.kind, "place": role.place()}))
        self._bump()
        return Ticket(player.id, token, role, player.pseudonym, resumed=False)

    def kick(self, player: str) -> None:
        """Remove a player: the model's rule decides for their household again."""
        with self._lock:
            p = self.players[player]
            p.active = False
            decisions.to_external(p.role, None, self.room.external)
            self._bump()
            self._close_if_all_decided()
        self._notify()

    def rename(self, player: str, name: str) -> None:
        with self._lock:
            name = clean_name(name)
            if any(q.name.casefold() == name.casefold() for q in self.players.values()
                   if q.id != player):
                raise JoinError("this name is taken in this room; choose another")
            self.players[player].name = name
            self._bump()
        self._notify()

    def active_players(self) -> list[Player]:
        with self._lock:
            return [p for p in self.players.values() if p.active]

    # --- rounds --------------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self.round >= self.settings.rounds and not self.open

    def start(self) -> None:
        """Open the next round (or resume a paused one: its timer starts again)."""
        with self._lock:
            self.paused = False
            if self.open:
                self._arm_timer()
            elif not self.finished:
                self._open_round()
            self._bump()
        self._notify()

    def pause(self) -> None:
        """Stop the timer; the open round stays open, and no next round opens by itself."""
        with self._lock:
            self.paused = True
            self.deadline = None
            self._bump()
        self._notify()

    def set_timer(self, seconds: float | None) -> None:
        with self._lock:
            self.settings = _replace(self.settings, timer_seconds=seconds)
            if self.open and not self.paused:
                self._arm_timer()
            self._bump()
        self._notify()

    def set_weeks_per_round(self, weeks: int) -> None:
        with self._lock:
            self.settings = _replace(self.settings, weeks_per_round=weeks)
            self._bump()
        self._notify()

    def seconds_left(self) -> float | None:
        with self._lock:
            if not self.open or self.deadline is None:
                return None
            return max(0.0, self.deadline - self.clock())

    def tick(self) -> bool:
        """Close the open round if its timer ran out (the server calls this a few times a
        second); True if a round closed."""
        with self._lock:
            due = self.open and self.deadline is not None and self.clock() >= self.deadline
            if due:
                self._close_round()
        self._notify()
        return due

    def close_round(self) -> None:
        """The facilitator closes the open round now."""
        with self._lock:
            if self.open:
                self._close_round()
        self._notify()

    def _arm_timer(self) -> None:
        t = self.settings.timer_seconds
        self.deadline = None if t is None else self.clock() + t

    def _open_round(self) -> None:
        self.round += 1
        self.open = True
        self._arm_timer()
        for p in self.players.values():
            p.decision = None
            p.seen = sight(self.room, p.role)
            p.state = rule_inputs(self.room, p.role)

    def _close_if_all_decided(self) -> None:
        active = [p for p in self.players.values() if p.active]
        if self.open and active and all(p.decision is not None for p in active):
            self._close_round()

    def _close_round(self) -> None:
        room, shadow = self.room, self.shadow
        first = room.week + 1
        chosen: list[tuple[Player, dict[str, Any] | None, str]] = []
        for p in self.players.values():
            if not p.active:
                continue
            if p.decision is not None:
                d, source = p.decision, "submitted"
            elif p.last is not None:
                d, source = decisions.kept(p.last), "kept"
            else:
                d, source = None, "model"
            decisions.to_external(p.role, d, room.external)
            for kind, details in decisions.interventions(p.role, d):
                try:
                    room.intervene(kind, **details)
                except InterventionError as err:  # e.g. no businesses: noted, not fatal
                    self.timeline.append(Event(self.round, room.week, "refused", str(err)))
                    continue
                self.timeline.append(Event(self.round, first, "player", kind,
                                           {"player": p.pseudonym, **details}))
            if d is not None:
                p.last = d
            chosen.append((p, d, source))
        for week in range(self.settings.weeks_per_round):
            room.step()
            shadow.step()
            if week == 0:  # reports and invitations are one-off: the round's first week
                decisions.end_one_offs(room.external)
                invited = dict(room.external.invited_by)
        self.log.add([self._entry(p, d, source, first, invited.get(p.role.household))
                      for p, d, source in chosen])
        self.timeline.append(Event(self.round, room.week, "round", f"round {self.round}",
                                   {"weeks": [first, room.week]}))
        self.open = False
        self.deadline = None
        if not self.paused and not self.finished:
            self._open_round()
        self._bump()

    def _entry(self, p: Player, d: dict[str, Any] | None, source: str, first: int,
               invited: np.ndarray | None) -> Entry:
        room, shadow, role = self.room, self.shadow, p.role
        outcome: dict[str, Any] = {}
        if invited is not None:  # whom the player's invitations reached, and who took part
            outcome = {"invited": [int(h) for h in invited],
                       "invited_took_part": int(room.pop.contributed[invited].sum())}
        if d is not None and d.get("nominate") is not None:
            outcome["nominated"] = role.neighbour(d["nominate"])
        propensity = (float(room.pop.propensity[role.household]) if role.household >= 0
                      else float("nan"))
        r, s = room._rows[-1], shadow._rows[-1]
        return Entry(
            round=self.round, first_week=first, last_week=room.week, player=p.id,
            pseudonym=p.pseudonym, name=p.name, role=role.kind, place=role.place(),
            unit=role.unit, household=role.household, courier=role.courier,
            business=role.business, seen=dict(p.seen), decision=None if d is None else dict(d),
            outcome=outcome, state=dict(p.state), source=source,
            shadow_took_part=(bool(shadow.pop.contributed[role.household])
                              if role.household >= 0 else None), rule_propensity=propensity,
            room_participation=float(r["participation_rate"]),
            shadow_participation=float(s["participation_rate"]),
            room_hours=float(r["hours_per_household"]),
            shadow_hours=float(s["hours_per_household"]))

    # --- decisions -----------------------------------------------------------------------

    def submit(self, request: auth.Request) -> None:
        """Record a player's decision for the open round (a later one replaces it); the round
        closes when every player has decided."""
        try:
            with self._lock:
                p = self.players.get(request.player)
                if p is None or not p.active:
                    raise SubmitError("no such player in this room")
                if not request.valid_for(p.token):
                    raise SubmitError("the request is not signed by this player")
                if request.seq <= p.seq:
                    raise SubmitError("this request was already used (replayed)")
                if not self.open or request.round != self.round:
                    raise SubmitError(f"round {request.round} is not open")
                try:
                    decision = decisions.check(p.role, request.decision)
                except decisions.DecisionError as err:
                    raise SubmitError(str(err)) from None
                p.seq = request.seq
                p.decision = decision
                self._bump()
                self._close_if_all_decided()
        finally:
            self._notify()

    def view(self, player: str, token: str) -> PlayerView:
        """What ``player``'s page shows (refused without the player's token)."""
        with self._lock:
            p = self.players.get(player)
            if p is None or not p.active or not auth.same(token, p.token):
                raise SubmitError("no such player in this room")
            return PlayerView(player=p.id, name=p.name, role=p.role, round=self.round,
                              open=self.open, finished=self.finished,
                              seconds_left=self.seconds_left(),
                              deadline=self.deadline if self.open else None, seen=dict(p.seen),
                              decision=p.decision, last=p.last, seq=p.seq,
                              version=self.version)

    # --- the facilitator -----------------------------------------------------------------

    def intervene(self, kind: str, **details: Any) -> None:
        """A live intervention (ODD §7.14) in the room and the shadow alike."""
        with self._lock:
            self._both(kind, details, setup=False)
            self._bump()
        self._notify()

    def _both(self, kind: str, details: dict[str, Any], setup: bool) -> None:
        self.room.intervene(kind, **details)  # raises InterventionError: nothing queued
        self.shadow.intervene(kind, **details)
        self.timeline.append(Event(self.round, self.room.week + 1,
                                   "setup" if setup else "facilitator", kind, dict(details)))

    def read(self, fn: Callable[[], Any]) -> Any:
        """``fn()`` under the world's lock (a consistent read of both models)."""
        with self._lock:
            return fn()

    def frames(self) -> tuple[Any, Any]:
        """The room's and the shadow's weekly outputs so far (copies)."""
        with self._lock:
            return self.room.frame, self.shadow.frame

    def decided(self) -> dict[str, bool]:
        """Per active player: decided this round."""
        with self._lock:
            return {p.id: p.decision is not None for p in self.players.values() if p.active}

    def player_households(self) -> np.ndarray:
        with self._lock:
            return np.array([p.role.household for p in self.players.values()
                             if p.active and p.role.household >= 0], dtype=np.int64)


def room_params(settings: RoomSettings) -> Params:
    """The scenario's parameters, with the room's number of households if set."""
    import scenarios

    params = scenarios.load(settings.scenario).params
    if settings.households is not None:
        params = params.replace({"structure": {"households": settings.households}})
    return params


def _replace(settings: RoomSettings, **changes: Any) -> RoomSettings:
    from dataclasses import replace

    return replace(settings, **changes)
