"""Weekly reporters (ODD §7.13): one row per week, and per-unit summaries on request.

A column belonging to a mechanism that is not part of the run is NaN ("not part of this
scenario"), never 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .mechanisms import commons, councils, heads, problems

if TYPE_CHECKING:
    from .core import LinliModel

CORE_WEEKS = 6  # of the last 8
WINDOW = 13  # weeks of a quarter: reach and occasions
YEAR = 52  # weeks between the two windows of the retention measure
NAN = float("nan")


class History:
    """Who took part in each of the last ``YEAR + WINDOW`` weeks, as packed bits (an
    observer only: nothing in the model reads it)."""

    def __init__(self, households: int) -> None:
        self.households = households
        self.weeks = np.zeros((YEAR + WINDOW, (households + 7) // 8), dtype=np.uint8)
        self.recorded = 0

    def record(self, contributed: np.ndarray) -> None:
        self.weeks[self.recorded % len(self.weeks)] = np.packbits(contributed)
        self.recorded += 1

    def _window(self, ago: int) -> np.ndarray:
        """Rows of the ``WINDOW`` weeks ending ``ago`` weeks before the latest."""
        latest = self.recorded - 1 - ago
        return self.weeks[np.arange(latest - WINDOW + 1, latest + 1) % len(self.weeks)]

    def reach(self) -> float:
        """Share of households that took part at least once in the last ``WINDOW`` weeks."""
        if self.recorded < WINDOW:
            return NAN
        return _count(np.bitwise_or.reduce(self._window(0), axis=0)) / self.households

    def occasions(self) -> float:
        """Mean weeks taken part in the last ``WINDOW`` among households that took part."""
        if self.recorded < WINDOW:
            return NAN
        rows = self._window(0)
        active = _count(np.bitwise_or.reduce(rows, axis=0))
        return _count(rows) / active if active else NAN

    def retention(self) -> float:
        """Share of the households active in the window ``YEAR`` weeks ago that are active
        in the latest window (weeks 40–52 → 92–104 at week 104)."""
        if self.recorded < YEAR + WINDOW:
            return NAN
        before = np.bitwise_or.reduce(self._window(YEAR), axis=0)
        now = np.bitwise_or.reduce(self._window(0), axis=0)
        active = _count(before)
        return _count(before & now) / active if active else NAN


def _count(bits: np.ndarray) -> int:
    return int(np.bitwise_count(bits).sum(dtype=np.int64))


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 = equal, → 1 = one holds all).

    ``G = Σ_i (2i − n − 1) x_(i) / (n Σx)`` over the sorted values; small non-negative
    integers (weeks taken part) are counted with a histogram instead of sorted.
    """
    x = np.asarray(values)
    n = len(x)
    if n == 0:
        return 0.0
    if np.issubdtype(x.dtype, np.integer) and x.min() >= 0:
        counts = np.bincount(x).astype(np.float64)
        levels = np.arange(len(counts), dtype=np.float64)
        before = np.cumsum(counts) - counts  # values ranked below each level
        # Σ over the ranks r = before+1 … before+count of (2r − n − 1)
        weight = counts * (2 * before + counts + 1) - counts * (n + 1)
        total = float((counts * levels).sum())
        return float((weight * levels).sum() / (n * total)) if total else 0.0
    x = np.sort(x.astype(np.float64))
    total = x.sum()
    if total == 0:
        return 0.0
    return float(((2.0 * np.arange(1, n + 1) - n - 1) * x).sum() / (n * total))


def top_share(values: np.ndarray, share: float = 0.1) -> float:
    """Share of the total held by the top ``share`` of households (NaN if the total is 0)."""
    total = float(values.sum(dtype=np.float64))
    if total <= 0:
        return NAN
    k = max(1, int(round(share * len(values))))
    top = np.partition(values, len(values) - k)[len(values) - k:]
    return float(top.sum(dtype=np.float64)) / total


def _rate(mask: np.ndarray, of: np.ndarray) -> float:
    """Share of ``of`` for which ``mask`` holds (NaN if ``of`` is empty)."""
    size = np.count_nonzero(of)
    return np.count_nonzero(mask & of) / size if size else NAN


def collect(model: LinliModel) -> dict[str, float]:
    """The week's row; column meanings are in ODD §7.13."""
    pop, s = model.pop, model.sizes
    c = pop.contributed
    n = pop.size
    rate = np.count_nonzero(c) / n
    history = model.history
    history.record(c)
    return {
        "week": model.week,
        "participation_rate": rate,
        "participation_rate_party": _rate(c, pop.party),
        "participation_rate_nonparty": _rate(c, ~pop.party),
        "participation_rate_recent": _rate(c, pop.recent),
        "participation_rate_long_term": _rate(c, ~pop.recent),
        "hours_per_household": float(pop.hours.sum()) / n,
        "ever_participated": np.count_nonzero(pop.weeks_active) / n,
        "core_volunteers": np.count_nonzero(heads.recent_weeks(pop.history) >= CORE_WEEKS) / n,
        "reach_13w": history.reach(),
        "occasions_13w": history.occasions(),
        "retention_52w": history.retention(),
        "hours_top10_share": top_share(pop.total_hours),
        "habit": float(pop.habit.sum(dtype=np.float64)) / n,
        "tie_density": float((pop.known * s.density_weight).sum()),
        "bridging_ties": float(pop.bridges.sum()) / n,
        "trust": float(pop.trust.sum(dtype=np.float64)) / n,
        "belief": float(pop.belief.sum(dtype=np.float64)) / n,
        "participation_gini": gini(pop.weeks_active),
        **_heads(model),
        **_groups(model, c),
        **_board(model),
        **co_governance(model),
    }


def _heads(model: LinliModel) -> dict[str, float]:
    if not model.active("heads"):
        return {"neighbour_head_coverage": NAN, "head_vacancy": NAN, "head_candidates": NAN,
                "invited": NAN}
    pop = model.pop
    return {"neighbour_head_coverage": heads.coverage(model),
            "head_vacancy": heads.vacancy(model),
            "head_candidates": np.count_nonzero(heads.candidates(model)) / pop.size,
            "invited": np.count_nonzero(pop.invited) / pop.size}


def _groups(model: LinliModel, contributed: np.ndarray) -> dict[str, float]:
    reg, pop = model.groups, model.pop
    if not model.active("groups"):
        return {"groups": NAN, "group_members": NAN, "largest_group": NAN,
                "participation_rate_members": NAN, "group_cap_weeks": NAN}
    member = pop.group >= 0
    return {"groups": int(reg.active.sum()),
            "group_members": np.count_nonzero(member),
            "largest_group": int(reg.members.max(initial=0)),
            "participation_rate_members": _rate(contributed, member),
            "group_cap_weeks": reg.cap_weeks}


def _board(model: LinliModel) -> dict[str, float]:
    if not model.active("recognition"):
        return {"board_listed": NAN, "board_thanked": NAN}
    board = model.board
    return {"board_listed": np.count_nonzero(board.listed),
            "board_thanked": np.count_nonzero(board.thanked)}


PROBLEM_COLUMNS = ("problems_arisen", "problems_open", "problems_reported",
                   "reported_by_couriers", "problems_fixed", "problems_ignored",
                   "mean_weeks_to_fix", "share_reported", "courier_report_share",
                   "reports_top10_share")
COURIER_COLUMNS = ("courier_reporters", "couriers_active")
BUSINESS_COLUMNS = ("partnership_mean", "partnerships_active", "parking_shared",
                    "rooms_shared")
COMMONS_COLUMNS = ("space_quality", "duty_turns", "duty_turns_kept")
COUNCIL_COLUMNS = ("council_turnout", *(f"council_{name}" for name in councils.OPTIONS))
CO_COLUMNS = ("co_plan", "co_build", "co_manage", "co_evaluate", "co_share")


def co_governance(model: LinliModel) -> dict[str, float]:
    """Problems, couriers, businesses, shared spaces, councils, and the five co-s (ODD §7.12).

    Columns of a mechanism that is not part of the run are NaN."""
    p, book, cou, biz = model.params, model.problems, model.couriers, model.businesses
    row = dict.fromkeys((*PROBLEM_COLUMNS, *COURIER_COLUMNS, *BUSINESS_COLUMNS,
                         *COMMONS_COLUMNS, *COUNCIL_COLUMNS, "satisfaction", *CO_COLUMNS), NAN)
    if p.problems.enabled:
        totals = book.totals
        row.update(
            problems_arisen=book.week.get("arisen", 0),
            problems_open=len(book),
            problems_reported=book.week.get("reported", 0),
            reported_by_couriers=book.week.get("reported_by_couriers", 0),
            problems_fixed=book.week.get("fixed", 0),
            problems_ignored=book.week.get("ignored", 0),
            mean_weeks_to_fix=problems.mean_weeks_to_fix(book),
            share_reported=totals["reported"] / totals["arisen"] if totals["arisen"] else NAN,
            courier_report_share=(totals["by_couriers"] / totals["reported"]
                                  if totals["reported"] and len(cou) else NAN),
            reports_top10_share=top_share(book.reports[book.reports > 0]),
        )
    if not len(cou):
        row["reported_by_couriers"] = NAN
    else:
        row.update(courier_reporters=np.count_nonzero(cou.reports),
                   couriers_active=np.count_nonzero(cou.active))
    if len(biz):
        row.update(partnership_mean=float(biz.partnership.mean()),
                   partnerships_active=np.count_nonzero(biz.sharing),
                   parking_shared=int(biz.parking[biz.sharing].sum()),
                   rooms_shared=np.count_nonzero(biz.sharing & biz.room))
    if p.commons.enabled:
        row.update(space_quality=float(model.spaces.quality.mean()),
                   duty_turns=model.spaces.turns, duty_turns_kept=model.spaces.kept)
    if p.councils.enabled and model.councils.held:
        row["council_turnout"] = model.councils.turnout
        row.update({f"council_{k}": v for k, v in councils.decision_shares(model).items()})
    satisfied = satisfaction(model)
    if satisfied is not None:
        row["satisfaction"] = float(satisfied.mean())
    row.update(
        co_plan=row["council_turnout"],
        co_build=row["partnerships_active"] / len(biz) if len(biz) else NAN,
        co_manage=row["space_quality"],
        co_evaluate=row["share_reported"],
        co_share=row["satisfaction"],
    )
    return row


def satisfaction(model: LinliModel) -> np.ndarray | None:
    """Per household, ``σ`` of its satisfaction terms (problems against expectation, space
    against expectation; §7.8, §7.10): 0.5 when everything is as expected (None when neither
    mechanism runs)."""
    p = model.params
    problem_gap, quality_gap = problems.problem_gap(model), commons.quality_gap(model)
    if problem_gap is None and quality_gap is None:
        return None
    logit = np.zeros(model.pop.size)
    if problem_gap is not None:
        logit += p.problems.beta_satisfaction * problem_gap
    if quality_gap is not None:
        logit += p.commons.beta_quality * quality_gap
    return 1.0 / (1.0 + np.exp(-logit))


def unit_summary(model: LinliModel) -> pd.DataFrame:
    """One row per unit: where it is, its size, and its participation so far."""
    lay, pop = model.layout, model.pop
    weeks = max(model.week, 1)
    per_unit = {
        name: np.bincount(lay.unit_of, weights=values, minlength=lay.units)
        for name, values in {
            "weeks_active": pop.weeks_active,
            "contributed": pop.contributed,
            "ties": pop.known / model.sizes.others_safe,
            "head": pop.head > 0,
            "party": pop.party,
            "members": pop.group >= 0,
        }.items()
    }
    size = lay.unit_size
    return pd.DataFrame({
        "unit": np.arange(lay.units),
        "li": lay.li_of_unit,
        "grid": lay.grid_of_unit,
        "community": lay.community_of_unit,
        "size": size,
        "participation_rate": per_unit["weeks_active"] / (size * weeks),
        "participation_rate_last_week": per_unit["contributed"] / size,
        "tie_density": per_unit["ties"] / size,
        "has_head": per_unit["head"] > 0,
        "party_households": per_unit["party"].astype(int),
        "group_members": per_unit["members"].astype(int),
    })


def caps_bound(model: LinliModel) -> dict[str, int]:
    """Weeks in which a safety cap bound (each should be 0; ODD §7.5)."""
    return {"groups.max_size": model.groups.cap_weeks}

