"""Problems and reporting (ODD §7.8): problems arise in units, residents and couriers notice
and report them through the app, the community office fixes reported ones, and reporters
learn from what happened to their reports. Fixes seen raise trust, ignored reports lower it;
residents judge the problems they see against what they have come to expect."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import councils, couriers

if TYPE_CHECKING:
    from ..core import LinliModel
    from ..external import ExternalDecisions

KINDS = ("safety", "environment", "parking", "facility")
SAFETY, ENVIRONMENT, PARKING, FACILITY = range(4)
NO_ONE = -1
_FIXED, _IGNORED = 1, 2


class ProblemBook:
    """Open problems as arrays, plus counters of what has happened so far."""

    def __init__(self, model: LinliModel) -> None:
        n, units = model.layout.households, model.layout.units
        self.unit = np.zeros(0, dtype=np.int64)
        self.place = np.zeros(0, dtype=np.int64)  # the household it is next to
        self.kind = np.zeros(0, dtype=np.int8)
        self.opened = np.zeros(0, dtype=np.int64)
        self.reported_week = np.zeros(0, dtype=np.int64)  # -1: not reported
        self.reporter = np.zeros(0, dtype=np.int64)  # household or courier index
        self.by_courier = np.zeros(0, dtype=bool)
        self.open_seen = np.zeros(n, dtype=np.int64)  # open problems within sight
        self.arisen_by_unit = np.zeros((units, len(KINDS)), dtype=np.int64)
        self.rate_cut = np.zeros((units, len(KINDS)))  # share of new problems avoided
        # residents as reporters: report-again multiplier and first-outcome bookkeeping
        self.report_mult = np.ones(n)
        self.reports = np.zeros(n, dtype=np.int64)
        self.first_outcome = np.zeros(n, dtype=np.int8)  # 0 none, 1 fixed, 2 ignored
        self.first_outcome_week = np.full(n, -1, dtype=np.int64)
        self.next_report_week = np.full(n, -1, dtype=np.int64)  # first report after that
        self.second_outcome_week = np.full(n, -1, dtype=np.int64)  # next outcome after that
        self.totals = {"arisen": 0, "reported": 0, "by_couriers": 0, "fixed": 0,
                       "ignored": 0}
        self.week: dict[str, float] = {}
        self.recent_fix_weeks: list[np.ndarray] = []  # weeks-to-fix of the last 4 weeks
        self.expected_seen = np.zeros(n)  # open problems in sight one expects
        if model.params.problems.enabled:
            _backlog(model, self)

    def __len__(self) -> int:
        return len(self.unit)

    def _keep(self, mask: np.ndarray) -> None:
        for name in ("unit", "place", "kind", "opened", "reported_week", "reporter", "by_courier"):
            setattr(self, name, getattr(self, name)[mask])


def step(model: LinliModel) -> None:
    """Arise, notice and report, fix, ignore, lapse — in that order; then expectations."""
    pr = model.params.problems
    if not pr.enabled:
        return
    book, rng = model.problems, model.streams.problems
    _arise(model)
    _report(model)
    if model.external is not None:  # reports made outside the model (ODD §6)
        external_reports(model, model.external.report, model.external.courier_report)
    fixed = _fix(model)
    _ignore(model, fixed)
    lapsed = (book.reported_week < 0) & (rng.random(len(book)) < pr.self_resolve_rate)
    book._keep(~(fixed | lapsed))
    book.open_seen = _seen_from(model, book.place)
    book.expected_seen += pr.expectation_adapt * (book.open_seen - book.expected_seen)


def _backlog(model: LinliModel, book: ProblemBook) -> None:
    """The problems open at the start (``backlog_weeks`` of new ones, none reported yet),
    which is also what residents expect to see."""
    pr, lay = model.params.problems, model.layout
    rates = _rates(pr) * pr.backlog_weeks
    counts = model.streams.problems.poisson(lay.unit_size[:, None] * rates[None, :])
    book.totals["arisen"] += _add(model, book, counts, opened=0)
    book.open_seen = _seen_from(model, book.place)
    book.expected_seen = book.open_seen.astype(np.float64)


def _rates(pr) -> np.ndarray:
    return np.array([pr.rate_safety, pr.rate_environment, pr.rate_parking, pr.rate_facility])


def _arise(model: LinliModel) -> None:
    """New problems per unit and kind: Poisson(rate · households · (1 − cut))."""
    pr, book, lay = model.params.problems, model.problems, model.layout
    counts = model.streams.problems.poisson(
        lay.unit_size[:, None] * _rates(pr)[None, :] * (1.0 - book.rate_cut))
    book.arisen_by_unit += counts
    new = _add(model, book, counts, opened=model.week)
    book.totals["arisen"] += new
    book.week = {"arisen": new}


def _add(model: LinliModel, book: ProblemBook, counts: np.ndarray, opened: int) -> int:
    """Append ``counts[unit, kind]`` new unreported problems at random places of their unit."""
    lay, rng = model.layout, model.streams.problems
    cells = np.repeat(np.arange(counts.size), counts.ravel())
    new = len(cells)
    unit = cells // len(KINDS)
    place = lay.unit_start[unit] + (rng.random(new) * lay.unit_size[unit]).astype(np.int64)
    book.unit = np.concatenate((book.unit, unit))
    book.place = np.concatenate((book.place, place))
    book.kind = np.concatenate((book.kind, (cells % len(KINDS)).astype(np.int8)))
    book.opened = np.concatenate((book.opened, np.full(new, opened)))
    book.reported_week = np.concatenate((book.reported_week, np.full(new, -1)))
    book.reporter = np.concatenate((book.reporter, np.full(new, NO_ONE)))
    book.by_courier = np.concatenate((book.by_courier, np.zeros(new, dtype=bool)))
    return new


def resident_weights(model: LinliModel) -> np.ndarray:
    """Per household: hazard of noticing and reporting one open problem within its sight.

    Noticing rises with engagement (this week's propensity) and time at home (time budget
    relative to the mean, at most 2); reporting follows the report-again multiplier.
    """
    pr, pop = model.params.problems, model.pop
    home = np.minimum(2.0, pop.time_budget / model.params.residents.time_budget_mean)
    p = pr.notice_rate * pop.propensity * home * pr.report_rate * model.problems.report_mult
    return -np.log1p(-np.minimum(p, 0.999))


def _report(model: LinliModel) -> None:
    """Each unreported problem is reported with chance 1 − exp(−(H_residents + H_couriers)):
    the households within sight of its place (the visibility channel's window, ODD §7.2) and
    the couriers whose route passes its place; the reporter is drawn in proportion to the
    individual hazards."""
    book, rng, week, s = model.problems, model.streams.problems, model.week, model.sizes
    waiting = np.flatnonzero(book.reported_week < 0)
    place = book.place[waiting]
    res_cum = np.concatenate(([0.0], np.cumsum(resident_weights(model))))
    res_lo, res_hi = s.sight_lo[place], s.sight_hi[place]
    h_res = res_cum[res_hi] - res_cum[res_lo]
    if len(model.couriers):
        cou_cum = np.concatenate(([0.0], np.cumsum(np.tile(couriers.report_weights(model), 3))))
        cou_lo, cou_hi = model.couriers.covering(place)
        h_cou = cou_cum[cou_hi] - cou_cum[cou_lo]
    else:
        h_cou = np.zeros(len(waiting))
    total = h_res + h_cou
    reported = rng.random(len(waiting)) < -np.expm1(-total)
    idx = waiting[reported]
    total, h_res, h_cou = total[reported], h_res[reported], h_cou[reported]
    by_courier = rng.random(len(idx)) * total < h_cou
    draw = rng.random(len(idx))  # the reporter, in proportion to the individual hazards
    reporter = _pick(res_cum, res_lo[reported], res_hi[reported], draw)
    if len(model.couriers):
        position = _pick(cou_cum, cou_lo[reported], cou_hi[reported], draw)
        courier = model.couriers.wrapped_order()[np.minimum(position, 3 * len(model.couriers)
                                                            - 1)]
        reporter = np.where(by_courier, courier, reporter)
    if model.external is not None:  # reports an outside decision withdraws (ODD §6)
        keep = ~_withdrawn(model.external, reporter, by_courier)
        idx, reporter, by_courier = idx[keep], reporter[keep], by_courier[keep]
    if len(model.couriers):
        np.add.at(model.couriers.reports, reporter[by_courier], 1)
    book.reported_week[idx] = week
    book.reporter[idx] = reporter
    book.by_courier[idx] = by_courier
    residents = reporter[~by_courier]
    np.add.at(book.reports, residents, 1)
    waiting_next = residents[(book.first_outcome[residents] > 0)
                             & (book.next_report_week[residents] < 0)]
    book.next_report_week[waiting_next] = week
    book.totals["reported"] += len(idx)
    book.totals["by_couriers"] += int(by_courier.sum())
    book.week.update(reported=len(idx), reported_by_couriers=int(by_courier.sum()))


def _withdrawn(external: ExternalDecisions, reporter: np.ndarray,
               by_courier: np.ndarray) -> np.ndarray:
    """Per drawn report: its reporter's outside decision is not to report this week."""
    out = np.zeros(len(reporter), dtype=bool)
    resident = ~by_courier
    out[resident] = external.report[reporter[resident]] == 0
    out[by_courier] = external.courier_report[reporter[by_courier]] == 0
    return out


def external_reports(model: LinliModel, households: np.ndarray, couriers_: np.ndarray) -> None:
    """Households (``households == 1``) and couriers (``couriers_ == 1``) who chose outside
    the model to report, and whom the rule did not draw as reporters this week, report the
    oldest open, unreported problem in their sight (on their route), if there is one;
    counted as any report. Draws no random numbers."""
    book, week, s = model.problems, model.week, model.sizes
    this_week = book.reported_week == week
    reporters = [(int(h), False) for h in np.flatnonzero(households == 1)]
    reporters += [(int(c), True) for c in np.flatnonzero(couriers_ == 1)]
    for who, by_courier in reporters:
        if (this_week & (book.reporter == who) & (book.by_courier == by_courier)).any():
            continue  # the rule's report is the one it chose to make
        if by_courier:
            seen = np.isin(book.place, model.couriers.households(who))
        else:
            seen = (book.place >= s.sight_lo[who]) & (book.place < s.sight_hi[who])
        waiting = np.flatnonzero(seen & (book.reported_week < 0))
        if len(waiting) == 0:
            continue
        problem = waiting[np.argmin(book.opened[waiting])]
        book.reported_week[problem] = week
        book.reporter[problem] = who
        book.by_courier[problem] = by_courier
        if by_courier:
            model.couriers.reports[who] += 1
            book.totals["by_couriers"] += 1
            book.week["reported_by_couriers"] = book.week.get("reported_by_couriers", 0) + 1
        else:
            book.reports[who] += 1
            if book.first_outcome[who] > 0 and book.next_report_week[who] < 0:
                book.next_report_week[who] = week
        book.totals["reported"] += 1
        book.week["reported"] = book.week.get("reported", 0) + 1


def _pick(cum: np.ndarray, lo: np.ndarray, hi: np.ndarray, draw: np.ndarray) -> np.ndarray:
    """Index in [lo, hi) drawn in proportion to the weights whose running sum is ``cum``."""
    target = cum[lo] + draw * (cum[hi] - cum[lo])
    return np.clip(np.searchsorted(cum, target, side="right") - 1, lo, np.maximum(hi - 1, lo))


def _fix(model: LinliModel) -> np.ndarray:
    """The office fixes reported problems up to its weekly capacity: those where a council
    chose to fix problems first (§7.11), then the longest-waiting."""
    pr, book, week = model.params.problems, model.problems, model.week
    rng = model.streams.problems
    capacity = pr.workers_per_1000 * model.layout.households / 1000 * pr.fixes_per_worker
    capacity = int(np.floor(capacity + rng.random()))
    ready = np.flatnonzero((book.reported_week >= 0)
                           & (week - book.reported_week >= pr.response_weeks))
    first = councils.fixes_first(model)
    priority = (~first[book.place[ready]] if first is not None
                else np.zeros(len(ready), dtype=bool))
    order = ready[np.lexsort((rng.random(len(ready)), book.reported_week[ready], priority))]
    done = order[:capacity]
    fixed = np.zeros(len(book), dtype=bool)
    fixed[done] = True
    book.recent_fix_weeks = [*book.recent_fix_weeks[-3:], week - book.opened[done]]
    book.totals["fixed"] += len(done)
    book.week["fixed"] = len(done)
    _learn(model, done, pr.again_if_fixed, _FIXED)
    # a fix raises the trust of the households within sight of it (the reporter's twice)
    pop = model.pop
    fixes_seen = _seen_from(model, book.place[done])
    gain = 1.0 - (1.0 - pr.trust_if_fixed) ** fixes_seen
    pop.trust += (gain * (1.0 - pop.trust)).astype(np.float32)
    reporters = book.reporter[done][~book.by_courier[done]]
    np.add.at(pop.trust, reporters, np.float32(pr.trust_if_fixed) * (1 - pop.trust[reporters]))
    return fixed


def _ignore(model: LinliModel, fixed: np.ndarray) -> None:
    """Reports still unfixed ``ignored_after`` weeks on count as ignored (once): the reporter
    learns, and the households within sight of the problem lose trust (the reporter twice)."""
    pr, book, pop = model.params.problems, model.problems, model.pop
    ignored = np.flatnonzero((book.reported_week >= 0) & ~fixed
                             & (model.week - book.reported_week == pr.ignored_after))
    _learn(model, ignored, pr.again_if_ignored, _IGNORED)
    book.totals["ignored"] += len(ignored)
    book.week["ignored"] = len(ignored)
    if len(ignored) == 0:
        return
    seen = _seen_from(model, book.place[ignored])
    loss = 1.0 - (1.0 - pr.trust_if_ignored) ** seen
    pop.trust -= (loss * pop.trust).astype(np.float32)
    reporters = book.reporter[ignored][~book.by_courier[ignored]]
    np.subtract.at(pop.trust, reporters, np.float32(pr.trust_if_ignored) * pop.trust[reporters])


def _learn(model: LinliModel, problems: np.ndarray, factor: float, outcome: int) -> None:
    """Scale the reporters' report propensity by ``factor``; note residents' first outcome."""
    book, cap = model.problems, model.params.problems.max_report_boost
    by_courier = book.by_courier[problems]
    residents = book.reporter[problems][~by_courier]
    np.multiply.at(book.report_mult, residents, factor)
    np.clip(book.report_mult, 1 / cap, cap, out=book.report_mult)
    second = residents[(book.first_outcome[residents] > 0)
                       & (book.first_outcome_week[residents] < model.week)
                       & (book.second_outcome_week[residents] < 0)]
    book.second_outcome_week[second] = model.week
    first = residents[book.first_outcome[residents] == 0]
    book.first_outcome[first] = outcome
    book.first_outcome_week[first] = model.week
    if len(model.couriers):
        mult = model.couriers.report_mult
        np.multiply.at(mult, book.reporter[problems][by_courier], factor)
        np.clip(mult, 1 / cap, cap, out=mult)


def _seen_from(model: LinliModel, places: np.ndarray) -> np.ndarray:
    """Per household: how many of ``places`` lie within its sight window."""
    s = model.sizes
    at = np.bincount(places, minlength=model.layout.households)
    cum = np.concatenate(([0], np.cumsum(at)))
    return cum[s.sight_hi] - cum[s.sight_lo]


def problem_gap(model: LinliModel) -> np.ndarray | None:
    """Per household: ``satisfaction_cost · (expected − seen)`` open problems in sight —
    positive when fewer problems are in sight than one expects (None if problems are off)."""
    pr = model.params.problems
    if not pr.enabled:
        return None
    book = model.problems
    return pr.satisfaction_cost * (book.expected_seen - book.open_seen)


def utility_term(model: LinliModel) -> np.ndarray | float:
    """Satisfaction with the problems one sees, against what one expects (both signs)."""
    gap = problem_gap(model)
    if gap is None:
        return 0.0
    return model.params.problems.beta_satisfaction * gap


def mean_weeks_to_fix(book: ProblemBook) -> float:
    """Mean weeks from arising to fix over problems fixed in the last four weeks."""
    recent = np.concatenate(book.recent_fix_weeks) if book.recent_fix_weeks else np.zeros(0)
    return float(recent.mean()) if len(recent) else float("nan")
