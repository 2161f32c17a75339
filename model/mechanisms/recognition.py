"""Recognition boards, 红榜 (ODD §7.4): what a posted board shows, and what those who see it
make of it.

Nothing acts before a board exists: the listing motive starts at the first posting (or at an
announcement, ``recognition.announce``) and comes from what a household can see on its board —
the hours of the names listed there against the hours it would give itself. Listings and
thanks reach only the households who see the board, and they habituate; the board also shows
how many took part, which moves the beliefs of those who see it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..channels import ranking_scope

if TYPE_CHECKING:
    from ..core import LinliModel


class Board:
    """The boards' state: ranking scopes, who sees a board, what the latest posting showed."""

    def __init__(self, model: LinliModel) -> None:
        rec, lay = model.params.recognition, model.layout
        self.scope_of, self.slots = ranking_scope(model.params.size_channels,
                                                  lay.of(rec.scope), rec.slots)
        self.scope_size = np.bincount(self.scope_of)
        self.board_of = lay.of(rec.scope)  # the board a household looks at
        self.sees = model.streams.board.random(lay.households) < rec.visibility
        self.listed = np.zeros(lay.households, dtype=bool)
        self.thanked = np.zeros(lay.households, dtype=bool)
        self.hours = np.zeros(lay.households, dtype=np.float32)  # of those listed
        self.week: int | None = None  # when the latest board was posted
        self.postings = 0  # boards posted so far
        # the listing motive of the latest posting (it changes only when a board is posted)
        self.motive: np.ndarray | None = None
        self.motive_of = -1  # the posting ``motive`` belongs to
        self.period_end = 0  # last completed week the latest board covered
        # the latest posting, per ranking scope: the listed hours, sorted and padded with 0
        # for slots left empty, stored as one array with an offset per scope
        self.bars = np.zeros(0)
        self.bar_first = np.zeros(len(self.slots), dtype=np.int64)
        self.bar_count = np.zeros(len(self.slots), dtype=np.int64)
        self.shown_rate = np.zeros(int(self.board_of[-1]) + 1)  # weekly rate each board showed

    @property
    def posted(self) -> bool:
        return self.week is not None


def listing_chance(model: LinliModel) -> np.ndarray:
    """Per household, the chance of a listing it can infer from its board.

    After a posting: the share of the listed names (empty slots counting as 0 hours) whose
    hours are below those the household would give if it took part every week of a period.
    Announced but not yet posted: the announced slots over the competitors it believes there
    are, ``min(1, slots / (belief · scope size))``. Otherwise 0.
    """
    rec, pop, board = model.params.recognition, model.pop, model.board
    if not board.posted:
        if not rec.announce:
            return np.zeros(pop.size, dtype=np.float32)
        competitors = np.maximum(1.0, pop.belief * board.scope_size[board.scope_of])
        return np.minimum(1.0, board.slots[board.scope_of] / competitors).astype(np.float32)
    potential = (rec.interval * model.params.participation.hours_per_contribution
                 * pop.time_budget)
    top = float(board.bars.max(initial=0.0)) + 1.0
    scope = board.scope_of
    keys = np.repeat(np.arange(len(board.bar_count)), board.bar_count) * top + board.bars
    beaten = np.searchsorted(keys, scope * top + np.minimum(potential, top - 0.5))
    beaten = beaten - board.bar_first[scope]
    count = board.bar_count[scope]
    return np.where(count > 0, beaten / np.maximum(count, 1), 0.0).astype(np.float32)


def utility_term(model: LinliModel) -> np.ndarray | float:
    """The listing motive of those who see a board, plus the glow of a listing or thanks."""
    rec, pop, board = model.params.recognition, model.pop, model.board
    if not model.active("recognition"):
        return 0.0
    if not rec.enabled:  # only a board posted by an intervention: its glow
        return pop.glow
    if rec.motive == "reinforcement":  # no look ahead: only the glow of past boards
        return pop.glow
    if not (board.posted or rec.announce):
        return 0.0
    if board.posted and board.motive_of == board.postings:  # nothing it reads has changed
        return board.motive + pop.glow
    habituated = rec.habituation ** pop.streak.astype(np.float32)
    motive = board.sees * (rec.beta_listed * listing_chance(model) * habituated)
    if board.posted:
        board.motive, board.motive_of = motive, board.postings
    return motive + pop.glow


def step(model: LinliModel) -> None:
    """Let the glow fade; every ``interval`` weeks post the boards."""
    rec, pop = model.params.recognition, model.pop
    if not model.active("recognition"):
        return
    pop.glow *= np.float32(rec.glow_decay)
    if rec.enabled and model.week % rec.interval == 0:
        post(model, completed=model.week)


def post(model: LinliModel, completed: int) -> None:
    """List the period's top contributors per ranking scope and thank all contributors; those
    who see the board take in their own listing or thanks and the participation it shows.
    ``completed`` is the last week whose decisions the board covers."""
    rec, pop, board = model.params.recognition, model.pop, model.board
    rng = model.streams.board
    hours = pop.period_hours
    slots = np.floor(board.slots + rng.random(board.slots.shape)).astype(np.int64)
    ties = rng.random(pop.size)  # one draw per household, contributor or not
    # rank the period's contributors within each scope: most hours first, ties at random;
    # nominated contributors (ODD §6) ahead of the others
    who = np.flatnonzero(hours > 0)
    scope = board.scope_of[who]
    keys = [ties[who], -hours[who], scope]
    nominated = _nominated(model)
    if nominated is not None:
        keys.insert(2, ~nominated[who])
    order = np.lexsort(keys)
    who, scope = who[order], scope[order]
    rank = np.arange(len(who)) - np.searchsorted(scope, scope)
    listed = np.zeros(pop.size, dtype=bool)
    listed[who] = rank < slots[scope]
    thanked = (hours > 0) & rec.thanks
    _remember_bars(board, slots, listed, hours)

    sees = board.sees
    listing_glow = rec.glow * rec.habituation ** pop.streak.astype(np.float32)
    thanks_glow = rec.beta_thanks * rec.habituation ** pop.thanked_times.astype(np.float32)
    pop.glow += (sees * (listed * listing_glow + (thanked & ~listed) * thanks_glow)
                 ).astype(np.float32)
    pop.streak[:] = np.where(listed, pop.streak + 1, 0)
    pop.thanked_times += thanked & sees
    _show_participation(model, weeks=completed - board.period_end)

    board.listed[:] = listed
    board.thanked[:] = thanked
    board.hours[:] = np.where(listed, hours, 0.0)
    board.week = model.week
    board.postings += 1
    board.period_end = completed
    hours[:] = 0.0
    pop.period_weeks[:] = 0
    if nominated is not None:  # the posting uses the nominations up
        nominated[:] = False


def _nominated(model: LinliModel) -> np.ndarray | None:
    """Households nominated for this board from outside the model (ODD §6), or None."""
    ext = model.external
    return ext.nominate if ext is not None and ext.nominate.any() else None


def _remember_bars(board: Board, slots: np.ndarray, listed: np.ndarray,
                   hours: np.ndarray) -> None:
    """Store each ranking scope's listed hours, ascending, padded with 0 for empty slots."""
    scopes = len(slots)
    shown = np.zeros(int(slots.sum()))
    first = np.concatenate(([0], np.cumsum(slots)[:-1]))
    who = np.flatnonzero(listed)
    scope = board.scope_of[who]
    order = np.lexsort((hours[who], scope))
    who, scope = who[order], scope[order]
    filled = np.bincount(scope, minlength=scopes)
    # empty slots (value 0) come first in each scope, then the listed hours ascending
    position = first[scope] + (slots - filled)[scope] + (
        np.arange(len(who)) - np.searchsorted(scope, scope))
    shown[position] = hours[who]
    board.bars, board.bar_first, board.bar_count = shown, first, slots


def _show_participation(model: LinliModel, weeks: int) -> None:
    """Each board shows its scope's weekly participation over the ``weeks`` of the period;
    those who see it move their belief toward it with weight ``norm_weight · belief_learning``."""
    rec, pop, board = model.params.recognition, model.pop, model.board
    per_board = np.bincount(board.board_of, weights=pop.period_weeks,
                            minlength=len(board.shown_rate))
    households = np.bincount(board.board_of, minlength=len(board.shown_rate))
    board.shown_rate[:] = per_board / np.maximum(households * max(weeks, 1), 1)
    weight = np.float32(rec.norm_weight * model.params.participation.belief_learning)
    shown = board.shown_rate[board.board_of].astype(np.float32)
    pop.belief += board.sees * weight * (shown - pop.belief)
