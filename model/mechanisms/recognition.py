"""Recognition boards, 红榜 (ODD §7.4): top contributors listed, thanks posted, habituation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..channels import ranking_scope

if TYPE_CHECKING:
    from ..core import LinliModel


class Board:
    """The board's ranking state per ranking scope (ODD §7.4; see channels.ranking_scope)."""

    def __init__(self, model: LinliModel) -> None:
        rec, lay = model.params.recognition, model.layout
        self.scope_of, self.slots = ranking_scope(model.params.size_channels,
                                                  lay.of(rec.scope), rec.slots)
        scope_size = np.bincount(self.scope_of)
        expected = np.maximum(1.0, model.params.participation.belief_initial * scope_size)
        self.chance = np.minimum(1.0, self.slots / expected).astype(np.float32)
        self.scope_first = np.concatenate(([0], np.cumsum(scope_size)[:-1]))
        self.listed = np.zeros(lay.households, dtype=bool)
        self.thanked = np.zeros(lay.households, dtype=bool)
        self.hours = np.zeros(lay.households, dtype=np.float32)  # of those listed
        self.week: int | None = None  # when the latest board was posted


def utility_term(model: LinliModel) -> np.ndarray | float:
    """Image value: expected listing (habituated), public thanks and the glow of a listing."""
    rec, pop = model.params.recognition, model.pop
    if not model.active("recognition"):
        return 0.0
    if not rec.enabled:  # only a board posted by an intervention: its glow
        return pop.glow
    board = model.board
    expected = rec.beta_listed * board.chance[board.scope_of] * rec.habituation**pop.streak
    return expected + rec.beta_thanks * rec.thanks + pop.glow


def step(model: LinliModel) -> None:
    """Let the glow fade; every ``interval`` weeks post the board."""
    rec, pop = model.params.recognition, model.pop
    if not model.active("recognition"):
        return
    pop.glow *= np.float32(rec.glow_decay)
    if rec.enabled and model.week % rec.interval == 0:
        post(model)


def post(model: LinliModel) -> None:
    """List the top contributors of the period per scope; thank all contributors."""
    rec, pop, board, rng = model.params.recognition, model.pop, model.board, model.rng
    hours = pop.period_hours
    slots = np.floor(board.slots + rng.random(board.slots.shape))  # stochastic rounding
    order = np.lexsort((rng.random(pop.size), -hours, board.scope_of))
    scope_sorted = board.scope_of[order]
    rank = np.arange(pop.size) - board.scope_first[scope_sorted]
    listed = np.zeros(pop.size, dtype=bool)
    listed[order] = (rank < slots[scope_sorted]) & (hours[order] > 0)

    board.listed[:] = listed
    board.thanked[:] = (hours > 0) & rec.thanks
    board.hours[:] = np.where(listed, hours, 0.0)
    board.week = model.week
    pop.streak[:] = np.where(listed, pop.streak + 1, 0)
    pop.glow += np.float32(rec.glow) * listed
    # the competition for the next board: who took part in the last `interval` weeks (at
    # most 8), whenever this board was posted
    window = (1 << min(rec.interval, 8)) - 1
    competitors = (pop.history & window) > 0
    contributors = np.bincount(board.scope_of, weights=competitors, minlength=len(board.slots))
    board.chance[:] = np.minimum(1.0, board.slots / np.maximum(1.0, contributors))
    hours[:] = 0.0
