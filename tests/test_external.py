"""The model's hook for decisions made outside it (ODD §6): nominations for the board, a
business joining residents' activities, and a household's or head's own reports and
invitations replacing the rule's. Each has a negative control: the same run with the
decision not made (or its mechanism off) is unchanged."""

from __future__ import annotations

import numpy as np
import pandas as pd

import scenarios
from model.core import LinliModel
from model.external import ExternalDecisions

HOUSEHOLDS = 1500


def model(name: str, seed: int = 4, **sections) -> LinliModel:
    params = scenarios.load(name).params.replace(
        {"structure": {"households": HOUSEHOLDS}, **sections})
    m = LinliModel(params, rng=seed, agents=False)
    m.external = ExternalDecisions.none(HOUSEHOLDS, len(m.couriers), len(m.businesses))
    return m


def step_both(a: LinliModel, b: LinliModel, weeks: int = 1) -> None:
    for _ in range(weeks):
        a.step()
        b.step()


def twins(name: str, weeks: int, **sections) -> tuple[LinliModel, LinliModel]:
    a, b = model(name, **sections), model(name, **sections)
    step_both(a, b, weeks)
    return a, b


def last_unlisted_contributor(m: LinliModel) -> int:
    """A contributor of the current period whom the board would not list: the one with the
    fewest hours in the scope with the most contributors (beyond its slots)."""
    hours, scope = m.pop.period_hours, m.board.scope_of
    contributors = np.bincount(scope, weights=hours > 0)
    crowded = int(np.argmax(contributors))
    assert contributors[crowded] > m.board.slots[crowded] + 1
    who = np.flatnonzero((scope == crowded) & (hours > 0))
    return int(who[np.argmin(hours[who])])


def test_a_nominated_contributor_is_listed_ahead_of_those_with_more_hours():
    a, b = twins("red-list", weeks=3)  # the board posts at the end of week 4
    nominee = last_unlisted_contributor(a)
    a.external.nominate[nominee] = True
    step_both(a, b)
    assert a.board.listed[nominee] and not b.board.listed[nominee]  # negative control: b
    assert a.board.listed.sum() == b.board.listed.sum()  # it took someone's place
    displaced = np.flatnonzero(b.board.listed & ~a.board.listed)
    assert len(displaced) == 1
    assert not a.external.nominate.any()  # the posting used the nomination up
    # the glow reaches the nominee only if it sees the board
    gained = a.pop.glow[nominee] > b.pop.glow[nominee]
    assert gained == bool(a.board.sees[nominee])


def test_nominating_someone_who_did_not_take_part_lists_nobody_new():
    a, b = twins("red-list", weeks=3)
    idle = int(np.flatnonzero(a.pop.period_hours == 0)[0])
    a.external.nominate[idle] = True
    step_both(a, b, 3)
    assert np.array_equal(a.board.listed, b.board.listed)
    pd.testing.assert_frame_equal(a.frame, b.frame)


def test_nominations_without_boards_change_nothing():
    a, b = twins("baseline", weeks=3)
    a.external.nominate[:50] = True
    step_both(a, b, 6)
    pd.testing.assert_frame_equal(a.frame, b.frame)


def test_nominated_listings_move_behaviour_only_through_the_board():
    """Heads nominating the period's least active contributor at every posting: the nominees
    take part more afterwards than in the same seed without nominations; with nobody seeing
    the board (the negative control) the nominations change nothing at all."""

    def run(nominate: bool, visibility: float) -> tuple[LinliModel, np.ndarray]:
        m = model("red-list", recognition={"visibility": visibility})
        chosen: list[int] = []
        for week in range(1, 41):
            if nominate and week % 4 == 0:
                scope, hours = m.board.scope_of, m.pop.period_hours
                for s in range(len(m.board.slots)):
                    who = np.flatnonzero((scope == s) & (hours > 0))
                    if len(who):
                        pick = int(who[np.argmin(hours[who])])
                        m.external.nominate[pick] = True
                        chosen.append(pick)
            m.step()
        return m, np.array(sorted(set(chosen)))

    nominated, who = run(True, 1.0)
    plain, _ = run(False, 1.0)
    assert len(who) >= 5
    assert nominated.pop.weeks_active[who].sum() > plain.pop.weeks_active[who].sum()
    unseen, _ = run(True, 0.0)
    unseen_plain, _ = run(False, 0.0)
    pd.testing.assert_frame_equal(unseen.frame, unseen_plain.frame)


def test_a_business_joining_activities_grows_its_partnership():
    a, b = twins("co-building", weeks=2)
    a.external.business_join[0] = True
    step_both(a, b, 8)
    assert a.businesses.partnership[0] > b.businesses.partnership[0] + 0.05
    # negative control: the joining has no effect when joint activity adds no drive
    c, d = twins("co-building", weeks=2, businesses={"joint_activity": 0.0})
    c.external.business_join[0] = True
    step_both(c, d, 8)
    assert np.array_equal(c.businesses.partnership, d.businesses.partnership)
    pd.testing.assert_frame_equal(c.frame, d.frame)


def test_a_household_that_chooses_not_to_report_withdraws_only_its_own_reports():
    plain, _ = twins("co-building", weeks=0)
    for _ in range(12):
        before = plain.problems.reports.copy()
        plain.step()
        told = np.flatnonzero(plain.problems.reports > before)
        if len(told):
            break
    week, household = plain.week, int(told[0])
    hooked = model("co-building")
    for _ in range(week - 1):
        hooked.step()
    reported = hooked.problems.reports[household]
    hooked.external.report[household] = 0
    hooked.step()
    assert hooked.problems.reports[household] == reported  # its report withdrawn
    withdrawn = plain.problems.reports[household] - reported
    assert hooked.problems.totals["reported"] == plain.problems.totals["reported"] - withdrawn
    others = np.arange(HOUSEHOLDS) != household
    assert np.array_equal(hooked.problems.reports[others], plain.problems.reports[others])
    assert np.array_equal(hooked.pop.contributed, plain.pop.contributed)


def test_a_head_who_invites_nobody_leaves_its_territory_uninvited_by_it():
    a, b = twins("party-core", weeks=4, heads={"party_invites": 0})
    heads = np.flatnonzero(a.pop.head > 0)
    territory = a.sizes.territory_of
    a.external.invite[heads] = 0  # every head invites nobody
    step_both(a, b)
    invited_ordinary = a.pop.invited & (a.pop.head == 0)
    assert not invited_ordinary.any()
    assert (b.pop.invited & (b.pop.head == 0)).any()  # negative control: the rule invites
    # one head only: the other territories meet the same draws and the same invitations
    c, d = twins("party-core", weeks=4, heads={"party_invites": 0})
    head = int(np.flatnonzero(c.pop.head > 0)[0])
    c.external.invite[head] = 0
    step_both(c, d)
    elsewhere = territory != territory[head]
    assert np.array_equal(c.pop.invited[elsewhere], d.pop.invited[elsewhere])
    assert not (c.pop.invited & (territory == territory[head]) & (c.pop.head == 0)).any()
