"""Weekly reporters (ODD §7.13): one row per week, and per-unit summaries on request."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .mechanisms import commons, heads, problems

if TYPE_CHECKING:
    from .core import LinliModel

CORE_WEEKS = 6  # of the last 8


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


def _rate(mask: np.ndarray, of: np.ndarray) -> float:
    """Share of ``of`` for which ``mask`` holds (NaN if ``of`` is empty)."""
    size = np.count_nonzero(of)
    return np.count_nonzero(mask & of) / size if size else float("nan")


def collect(model: LinliModel) -> dict[str, float]:
    """The week's row; column meanings are in ODD §7.13."""
    pop, s = model.pop, model.sizes
    c = pop.contributed
    member = pop.group >= 0
    reg = model.groups
    n = pop.size
    rate = np.count_nonzero(c) / n
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
        "neighbour_head_coverage": heads.coverage(model),
        "invited": np.count_nonzero(pop.invited) / n,
        "groups": int(reg.active.sum()),
        "group_members": np.count_nonzero(member),
        "participation_rate_members": _rate(c, member),
        "tie_density": float((pop.known * s.density_weight).sum()),
        "bridging_ties": float(pop.bridges.sum()) / n,
        "trust": float(pop.trust.sum(dtype=np.float64)) / n,
        "belief": float(pop.belief.sum(dtype=np.float64)) / n,
        "participation_gini": gini(pop.weeks_active),
        "board_listed": np.count_nonzero(model.board.listed),
        "board_thanked": np.count_nonzero(model.board.thanked),
        **co_governance(model, rate),
    }


QUIET = {  # the co-governance columns while none of their mechanisms runs
    "problems_arisen": 0, "problems_open": 0, "problems_reported": 0,
    "reported_by_couriers": 0, "problems_fixed": 0, "mean_weeks_to_fix": float("nan"),
    "share_reported": 0.0, "courier_report_share": 0.0, "courier_reporters": 0,
    "couriers_active": 0, "partnerships_active": 0, "parking_shared": 0, "rooms_shared": 0,
    "space_quality": 0.0, "duty_turns": 0, "duty_turns_kept": 0, "council_turnout": 0.0,
    "satisfaction": 1.0,
}


def co_governance(model: LinliModel, participation_rate: float) -> dict[str, float]:
    """Problems, couriers, businesses, shared spaces, councils, and the five co-s (ODD §7.12).

    A mechanism switched off leaves its columns at 0 (``mean_weeks_to_fix``: NaN).
    """
    p, book, cou, biz = model.params, model.problems, model.couriers, model.businesses
    row = dict(QUIET)
    if p.problems.enabled:
        totals = book.totals
        row.update(
            problems_arisen=book.week.get("arisen", 0),
            problems_open=len(book),
            problems_reported=book.week.get("reported", 0),
            reported_by_couriers=book.week.get("reported_by_couriers", 0),
            problems_fixed=book.week.get("fixed", 0),
            mean_weeks_to_fix=problems.mean_weeks_to_fix(book),
            share_reported=totals["reported"] / totals["arisen"] if totals["arisen"] else 0.0,
            courier_report_share=(totals["by_couriers"] / totals["reported"]
                                  if totals["reported"] else 0.0),
        )
    if len(cou):
        row.update(courier_reporters=np.count_nonzero(cou.reports),
                   couriers_active=np.count_nonzero(cou.active))
    if len(biz):
        row.update(partnerships_active=np.count_nonzero(biz.sharing),
                   parking_shared=int(biz.parking[biz.sharing].sum()),
                   rooms_shared=np.count_nonzero(biz.sharing & biz.room))
    if p.commons.enabled:
        row.update(space_quality=float(model.spaces.quality.mean()),
                   duty_turns=model.spaces.turns, duty_turns_kept=model.spaces.kept)
    if p.councils.enabled:
        row["council_turnout"] = model.councils.turnout
    if p.problems.enabled or p.commons.enabled:
        satisfaction = problems.satisfaction(model) * (
            1.0 if not p.commons.enabled else 0.5 + 0.5 * commons.quality_of(model))
        row["satisfaction"] = float(np.mean(satisfaction))
    partnerships = np.count_nonzero(biz.sharing) / len(biz) if len(biz) else 0.0
    row.update(
        co_plan=row["council_turnout"],
        co_build=(participation_rate + partnerships) / 2 if len(biz) else participation_rate,
        co_manage=row["space_quality"],
        co_evaluate=row["share_reported"],
        co_share=row["satisfaction"] if p.problems.enabled or p.commons.enabled else 0.0,
    )
    return row


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
