"""The classroom's shared world without a browser (issue 12): joining, signed submissions,
rounds and their timer, concurrency, the model hook, the shadow world and the exported log."""

from __future__ import annotations

import json
import threading

import numpy as np
import pandas as pd
import pytest

from classroom.auth import Request
from classroom.settings import RoomSettings
from classroom.world import JoinError, SubmitError, World
from model.core import LinliModel
from model.external import ExternalDecisions


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def world(**changes) -> World:
    settings = RoomSettings(**{"households": 300, "timer_seconds": None, "rounds": 10,
                               **changes})
    return World(settings, code="ABCDE", clock=Clock())


RULE_FREE = {"household": {"take_part": True, "hours": 2.0},
             "head": {"take_part": True, "hours": 2.0},
             "courier": {"join_activity": True}, "business": {"offer": False}}


def decide(w: World, ticket, decision=None, seq: int | None = None) -> None:
    p = w.players[ticket.player]
    w.submit(Request.signed(ticket.token, ticket.player, w.round,
                            p.seq + 1 if seq is None else seq,
                            decision or RULE_FREE[ticket.role.kind]))


def test_join_needs_the_room_code():
    w = world()
    with pytest.raises(JoinError, match="wrong room code"):
        w.join("ABCDF", "Li")
    assert not w.players
    ticket = w.join(" abc-de ", "Li")  # as typed on a phone
    assert ticket.role.kind == "household" and not ticket.resumed
    with pytest.raises(JoinError):
        w.join("ABCDE", "   ")


def test_roles_follow_the_facilitators_pattern_and_players_share_a_unit():
    w = world(roles=("household", "head", "courier", "business"), players_per_unit=3)
    kinds = [w.join("ABCDE", f"n{i}").role for i in range(8)]
    assert [r.kind for r in kinds] == ["household", "head", "courier", "business"] * 2
    households = [r for r in kinds if r.household >= 0]
    assert len({r.household for r in households}) == 4
    assert len({r.unit for r in households[:3]}) == 1  # three players per unit
    head = kinds[1]
    assert w.room.pending_interventions[0].details == {"household": head.household}
    assert w.shadow.pending_interventions[0].details == {"household": head.household}


def test_a_scenario_without_couriers_gives_households_instead():
    w = world(scenario="baseline", roles=("courier",), households=600)
    assert w.join("ABCDE", "a").role.kind == "household"


def test_reconnect_with_name_and_token_resumes_the_role():
    w = world()
    first = w.join("ABCDE", "Wang")
    again = w.join("ABCDE", "wang", token=first.token)
    assert again.resumed and again.player == first.player and again.role == first.role
    with pytest.raises(JoinError, match="taken"):
        w.join("ABCDE", "Wang")  # the name without its token
    with pytest.raises(JoinError, match="taken"):
        w.join("ABCDE", "Wang", token="x" * 32)
    with pytest.raises(JoinError, match="another name"):
        w.join("ABCDE", "Zhao", token=first.token)  # one device, one role
    device = "d" * 32
    third = w.join("ABCDE", "Zhao", token=device)  # a page's own device token is kept
    assert third.token == device


def test_one_player_cannot_submit_for_another():
    w = world()
    a, b = w.join("ABCDE", "a"), w.join("ABCDE", "b")
    w.start()
    with pytest.raises(SubmitError, match="signed"):  # a's token, b's id
        w.submit(Request.signed(a.token, b.player, 1, 1, {"take_part": True}))
    good = Request.signed(a.token, a.player, 1, 1, {"take_part": True})
    edited = Request(b.player, good.round, good.seq, good.decision, good.mac)
    with pytest.raises(SubmitError, match="signed"):
        w.submit(edited)
    changed = Request(a.player, 1, 1, {"take_part": False}, good.mac)
    with pytest.raises(SubmitError, match="signed"):
        w.submit(changed)
    w.submit(good)
    with pytest.raises(SubmitError, match="replayed"):
        w.submit(good)
    assert w.players[b.player].decision is None
    assert w.players[a.player].decision == {"take_part": True, "hours": None, "member": None,
                                            "report": False}
    with pytest.raises(SubmitError, match="not open"):  # a round that is not open
        w.submit(Request.signed(a.token, a.player, 2, 5, {"take_part": True}))
    with pytest.raises(SubmitError, match="no such player"):
        w.view(b.player, a.token)


def test_a_role_can_only_make_its_own_decisions():
    w = world(roles=("courier", "household"))
    courier, household = w.join("ABCDE", "c"), w.join("ABCDE", "h")
    w.start()
    with pytest.raises(SubmitError, match="cannot decide take_part"):
        decide(w, courier, {"take_part": True})
    with pytest.raises(SubmitError, match="hours"):
        decide(w, household, {"take_part": True, "hours": 99})
    with pytest.raises(SubmitError, match="true or false"):
        decide(w, household, {"take_part": "yes"})


def test_the_round_closes_when_everyone_has_decided():
    w = world()
    tickets = [w.join("ABCDE", f"n{i}") for i in range(3)]
    w.start()
    for t in tickets[:2]:
        decide(w, t)
    assert w.round == 1 and w.open and w.room.week == 0
    decide(w, tickets[0], {"take_part": False})  # a change of mind replaces the decision
    decide(w, tickets[2])
    assert w.round == 2 and w.room.week == 1 and w.shadow.week == 1
    log = w.log.frame()
    assert len(log) == 3 and set(log["source"]) == {"submitted"}
    assert not log.loc[log.player == tickets[0].player, "decision_take_part"].item()


def test_the_timer_closes_a_round_and_undecided_players_keep_their_last_choice():
    w = world(timer_seconds=60, weeks_per_round=2)
    a, b = w.join("ABCDE", "a"), w.join("ABCDE", "b")
    w.start()
    decide(w, a, {"take_part": True, "hours": 3.0})
    w.clock.now += 59
    assert not w.tick() and w.round == 1
    w.clock.now += 1
    assert w.tick() and w.round == 2 and w.room.week == 2
    w.clock.now += 60
    assert w.tick() and w.round == 3 and w.room.week == 4
    log = w.log.frame().set_index(["round", "player"])
    assert log.loc[(1, a.player), "source"] == "submitted"
    assert log.loc[(1, b.player), "source"] == "model"  # never decided: the model's rule
    assert log.loc[(2, a.player), "source"] == "kept"
    assert log.loc[(2, a.player), "decision_hours"] == 3.0
    assert w.room.pop.hours[a.role.household] == np.float32(3.0)


def test_pause_stops_the_timer():
    w = world(timer_seconds=10)
    w.join("ABCDE", "a")
    w.start()
    w.pause()
    w.clock.now += 100
    assert not w.tick() and w.open and w.round == 1
    w.start()
    w.clock.now += 10
    assert w.tick() and w.round == 2


def test_concurrent_submissions_are_each_recorded_once():
    n = 30
    w = world(roles=("household",), players_per_unit=5, households=600)
    tickets = [w.join("ABCDE", f"player {i}") for i in range(n)]
    w.start()
    versions: list[int] = []
    w.subscribe(versions.append)
    barrier = threading.Barrier(n)
    errors: list[Exception] = []
    refused: list[Exception] = []

    def play(ticket) -> None:
        request = Request.signed(ticket.token, ticket.player, 1, 1,
                                 {"take_part": True, "hours": 1.5})
        barrier.wait()
        try:
            w.submit(request)
        except SubmitError as err:
            errors.append(err)
        try:
            w.submit(request)  # sent twice (a double tap, a retry): refused
        except SubmitError as err:
            refused.append(err)

    threads = [threading.Thread(target=play, args=(t,)) for t in tickets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors and len(refused) == n
    assert w.round == 2 and w.room.week == 1
    log = w.log.frame()
    assert len(log) == n and log["player"].is_unique
    assert log["decision_take_part"].all() and (log["source"] == "submitted").all()
    assert versions and versions == sorted(versions)
    households = [t.role.household for t in tickets]
    assert w.room.pop.contributed[households].all()


def test_subscribers_hear_of_every_change_and_wait_returns():
    w = world()
    heard: list[int] = []
    stop = w.subscribe(heard.append)
    version = w.version
    w.join("ABCDE", "a")
    assert heard == [version + 1] and w.wait(version, timeout=0) == version + 1
    stop()
    w.start()
    assert heard == [version + 1]


def test_players_decisions_change_the_model_state():
    w = world(roles=("household",), players_per_unit=6, households=600)
    tickets = [w.join("ABCDE", f"n{i}") for i in range(6)]
    unit = tickets[0].role.unit
    w.start()
    for _ in range(8):
        for t in tickets:
            decide(w, t, {"take_part": True, "hours": 6.0})
    room, shadow = w.room, w.shadow
    households = [t.role.household for t in tickets]
    assert room.pop.contributed[households].all()
    assert np.all(room.pop.hours[households] == np.float32(6.0))
    assert np.all(room.pop.weeks_active[households] == 8)
    # the unit's other households saw their neighbours take part: beliefs moved
    lay = room.layout
    others = np.setdiff1d(np.arange(lay.unit_start[unit], lay.unit_start[unit]
                                    + lay.unit_size[unit]), households)
    assert room.pop.belief[others].mean() > shadow.pop.belief[others].mean()
    assert not room.frame.equals(shadow.frame)
    # the rule's own chance is still what the log records for the players
    assert (w.log.frame()["rule_propensity"].between(0, 1)).all()


def test_a_kicked_players_household_goes_back_to_the_rule():
    w = world()
    a, b = w.join("ABCDE", "a"), w.join("ABCDE", "b")
    w.start()
    decide(w, a, {"take_part": True})
    assert w.room.external.take_part[a.role.household] == -1  # set when the round closes
    w.kick(b.player)  # everyone left has decided: the round closes
    assert w.round == 2 and w.room.external.take_part[a.role.household] == 1
    assert w.room.external.take_part[b.role.household] == -1
    with pytest.raises(SubmitError):
        decide(w, b)
    with pytest.raises(SubmitError):
        w.view(b.player, b.token)  # the removed player's page says so
    again = w.join("ABCDE", "b2", token=b.token)  # the same phone may join anew
    assert again.player != b.player
    w.rename(a.player, "A. Li")
    assert w.players[a.player].name == "A. Li"


def test_no_external_decision_leaves_the_run_unchanged():
    plain = LinliModel({"structure": {"households": 300}}, rng=3, agents=False)
    hooked = LinliModel({"structure": {"households": 300}}, rng=3, agents=False)
    hooked.external = ExternalDecisions.none(300, len(hooked.couriers))
    for _ in range(10):
        plain.step()
        hooked.step()
    pd.testing.assert_frame_equal(plain.frame, hooked.frame)


def test_shadow_and_room_are_identical_when_players_play_as_the_model_would():
    """Players who choose what the model's rule chose for their household (read from a plain
    run one week ahead: taking part, hours, reporting) and leave invitations and nominations to
    the rule leave the room identical to the shadow, and both to a plain run."""
    w = world(roles=("household", "head", "household", "courier", "business"),
              scenario="wuchang-2023", households=400)
    tickets = [w.join("ABCDE", f"n{i}") for i in range(10)]
    plain = LinliModel(w.params, rng=w.settings.seed, agents=False)
    for t in tickets:  # the set-up the room gave both worlds: its heads
        if t.role.kind == "head":
            plain.intervene("appoint_head", household=t.role.household)
    w.start()
    reported = 0
    for _ in range(6):
        households = plain.problems.reports.copy()
        couriers = plain.couriers.reports.copy()
        plain.step()
        for t in tickets:
            r = t.role
            if r.kind in ("household", "head"):
                took = bool(plain.pop.contributed[r.household])
                told = bool(plain.problems.reports[r.household] > households[r.household])
                d = {"take_part": took, "report": told,
                     "hours": float(plain.pop.hours[r.household]) if took else None}
            elif r.kind == "courier":
                told = bool(plain.couriers.reports[r.courier] > couriers[r.courier])
                d = {"join_activity": bool(plain.couriers.active[r.courier]), "report": told}
            else:
                d = {"offer": False}
            reported += told
            decide(w, t, d)
    assert w.round == 7 and w.room.week == 6
    assert reported > 0  # some player reported as the rule did (the rule's report stands)
    pd.testing.assert_frame_equal(w.room.frame, w.shadow.frame)
    pd.testing.assert_frame_equal(w.shadow.frame, plain.frame)
    for name in ("contributed", "hours", "belief", "known", "trust", "habit", "head"):
        assert np.array_equal(getattr(w.room.pop, name), getattr(plain.pop, name)), name


def test_exported_log_uses_pseudonyms_and_is_written_whole(tmp_path):
    w = world()
    tickets = [w.join("ABCDE", name) for name in ("李明", "Wang Fang")]
    w.start()
    for t in tickets:
        decide(w, t)
    paths = w.log.write(tmp_path)
    text = (tmp_path / "decisions.csv").read_text(encoding="utf-8")
    assert "李明" not in text and "Wang Fang" not in text
    frame = pd.read_parquet(tmp_path / "decisions.parquet")
    assert "name" not in frame and set(frame["pseudonym"]) == {"P01", "P02"}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)
    named = w.log.frame(names=True)
    assert set(named["name"]) == {"李明", "Wang Fang"}
    assert frame["seen"].str.contains("neighbours_took_part").all()


def test_debrief_is_self_contained_with_findings_and_written_whole(tmp_path):
    from classroom import debrief

    w = world(roles=("household", "head"), households=600)
    tickets = [w.join("ABCDE", name) for name in ("李明", "Wang Fang", "Zhou")]
    w.start()
    for r in range(3):
        for t in tickets:
            extra = {"call_activity": r == 0} if t.role.kind == "head" else {}
            decide(w, t, {"take_part": True, "hours": 2.0, **extra})
    for lang in ("zh", "en"):
        out = tmp_path / lang
        paths = debrief.export(w, out, lang)
        page = (out / "debrief.html").read_text(encoding="utf-8")
        assert "李明" not in page and "Wang Fang" not in page  # pseudonyms only
        assert "<script" not in page and "http" not in page.replace(
            'xmlns="http://www.w3.org/2000/svg"', "")  # nothing to fetch
        assert page.count("<svg") == 3 and 3 <= page.count('class="finding"') <= 4
        assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)
    weekly = pd.read_parquet(tmp_path / "en" / "weekly.parquet")
    assert set(weekly["world"]) == {"room", "shadow"} and weekly["week"].max() == 3
    assert "participation averaged" in (tmp_path / "en" / "debrief.html").read_text()


def test_facilitator_interventions_reach_both_worlds_and_the_timeline():
    w = world()
    w.join("ABCDE", "a")
    w.intervene("post_red_list")
    assert [i.kind for i in w.room.pending_interventions] == ["post_red_list"]
    assert [i.kind for i in w.shadow.pending_interventions] == ["post_red_list"]
    assert w.timeline[-1].kind == "facilitator"
    from model.interventions import InterventionError

    with pytest.raises(InterventionError):
        w.intervene("start_club", unit=10**6)
    assert len(w.room.pending_interventions) == len(w.shadow.pending_interventions) == 1


def test_a_players_page_shows_names_as_text_and_only_their_own_view():
    from classroom.player_page import view_html

    w = world(roles=("household", "courier"))
    t = w.join("ABCDE", "<img src=x onerror=1>")
    c = w.join("ABCDE", "c")
    w.start()
    page = view_html(w.view(t.player, t.token), w.settings.rounds, "en")
    assert "<img" not in page and "&lt;img" in page
    assert 'data-key="neighbours"' in page and 'data-key="route"' not in page
    courier = view_html(w.view(c.player, c.token), w.settings.rounds, "zh")
    assert 'data-key="route"' in courier and 'data-key="neighbours"' not in courier


def test_players_choose_to_join_or_leave_an_interest_group():
    """Membership is a player's standing choice: forced in (joining the active group of the
    household's interest nearby) or out; other households are left to the rule."""
    w = world(roles=("household",), players_per_unit=10, households=600, seed=2)
    tickets = [w.join("ABCDE", f"n{i}") for i in range(10)]
    w.start()
    for _ in range(6):  # a group gets founded by the rule
        for t in tickets:
            decide(w, t, {"take_part": True})
    reg, pop = w.room.groups, w.room.pop
    seen = {t.player: w.players[t.player].seen for t in tickets}  # at the round's start
    joinable = [t for t in tickets
                if seen[t.player]["group"] < 0 and seen[t.player]["group_nearby"] >= 0]
    assert joinable  # (seed 2: two players have a group of their interest nearby)
    for member in (True, False):
        for t in tickets:
            decide(w, t, {"take_part": True, "member": member if t in joinable else None})
        for t in joinable:
            expected = seen[t.player]["group_nearby"] if member else -1
            assert pop.group[t.role.household] == expected
            assert w.players[t.player].seen["group"] == expected  # and they see it
        assert np.array_equal(reg.members, np.bincount(pop.group[pop.group >= 0],
                                                       minlength=len(reg)))
    assert (w.shadow.pop.group[[t.role.household for t in joinable]] == -1).all()
    with pytest.raises(SubmitError, match="member"):
        decide(w, tickets[0], {"take_part": True, "member": "yes"})


def test_an_external_report_adds_one_report_of_a_problem_in_sight():
    """Two identical runs; in one, the household with the most unreported problems in sight
    reports: it has exactly one report more, and nothing else drew differently that week."""
    params = {"structure": {"households": 600}, "problems": {"enabled": True}}
    a = LinliModel(params, rng=5, agents=False)
    b = LinliModel(params, rng=5, agents=False)
    for _ in range(6):
        a.step()
        b.step()
    book, s = a.problems, a.sizes
    waiting = book.place[book.reported_week < 0]
    in_sight = ((waiting[None, :] >= s.sight_lo[:, None])
                & (waiting[None, :] < s.sight_hi[:, None])).sum(axis=1)
    h = int(np.argmax(in_sight))
    assert in_sight[h] >= 2
    a.external = ExternalDecisions.none(600, len(a.couriers))
    a.external.report[h] = True
    a.step()
    b.step()
    assert a.problems.reports[h] == b.problems.reports[h] + 1
    assert a.problems.totals["reported"] == b.problems.totals["reported"] + 1
    assert np.array_equal(a.pop.contributed, b.pop.contributed)


def test_players_report_problems_they_see():
    """The report reaches the room's problem book and the log; it is not kept."""
    w = world(roles=("household", "courier"), players_per_unit=4, households=600)
    tickets = [w.join("ABCDE", f"n{i}") for i in range(8)]
    w.start()
    book = w.room.problems
    for _ in range(10):
        seen = {t.player: w.players[t.player].seen for t in tickets}
        before = book.totals["reported"]
        reporters = [t for t in tickets if seen[t.player].get("problems_in_sight", 0) > 0
                     or seen[t.player].get("problems_on_route", 0)
                     > seen[t.player].get("problems_on_route_reported", 0)]
        for t in tickets:
            base = RULE_FREE[t.role.kind]
            decide(w, t, {**base, "report": t in reporters})
        if reporters:
            assert book.totals["reported"] > before
            break
    assert reporters, "no problem in sight of any player in 10 weeks"
    log = w.log.frame()
    assert log.loc[log["round"] == w.round - 1, "decision_report"].any()
    # one-off: after the round's first week the players' households make no more reports
    assert not (w.room.external.report == 1).any()
    assert set(w.room.external.report[[t.role.household for t in tickets
                                       if t.role.household >= 0]]) == {0}


def test_a_head_invites_neighbours_and_the_debrief_says_who_took_part():
    w = world(roles=("head", "household"), households=600)
    head, other = w.join("ABCDE", "head"), w.join("ABCDE", "other")
    w.start()
    decide(w, head, {"take_part": True, "invite": True})
    decide(w, other, {"take_part": True})
    entry = w.log.frame().set_index("player").loc[head.player]
    outcome = json.loads(entry["outcome"])
    invited = outcome["invited"]
    assert 0 < len(invited) <= 5 and head.role.household not in invited  # (5 not yet invited)
    lay = w.room.layout
    assert set(lay.unit_of[invited]) == {head.role.unit}
    assert w.room.pop.invited[invited].all()  # the week's invitation term applied to them
    assert outcome["invited_took_part"] == int(w.room.pop.contributed[invited].sum())
    assert not (w.room.external.invite > 0).any()  # one-off: the rule's again after a week
    decide(w, head, {"take_part": True})  # no invitation this round
    decide(w, other, {"take_part": True})
    assert json.loads(w.log.frame().iloc[-2]["outcome"]) == {}
    from classroom.findings import findings

    keys = [f.key for f in findings(w)]
    assert "finding_invite" in keys and len(keys) <= 4


def party_and_other(w: World):
    """Tickets of a party member's household and of another household, among joiners."""
    party = other = None
    for i in range(40):
        t = w.join("ABCDE", f"p{i}")
        if t.role.party_invites and party is None:
            party = t
        elif not t.role.party_invites and other is None:
            other = t
        if party and other:
            return party, other
    raise AssertionError("no party member's household among 40 joiners")


def test_a_party_members_household_chooses_its_own_invitations():
    w = world(roles=("household",), households=600)
    party, other = party_and_other(w)
    w.start()
    h = party.role.household
    count = w.room.params.heads.party_invites
    assert w.players[party.player].seen["party_invites"] == count > 0
    assert "party_invites" not in w.players[other.player].seen
    with pytest.raises(SubmitError, match="invite must be null"):  # the control: not its choice
        decide(w, other, {"take_part": True, "invite": True})
    decide(w, party, {"take_part": True, "invite": True})
    w.close_round()
    invited = json.loads(w.log.frame().set_index("player").loc[party.player, "outcome"])[
        "invited"]
    territory = w.room.sizes.territory_of
    assert len(invited) == count and h not in invited
    assert set(territory[invited]) == {territory[h]}
    decide(w, party, {"take_part": True, "invite": False})
    w.close_round()
    assert w.room.external.invite[h] == 0  # none of the rule's invitations from it this round
    decide(w, party, {"take_part": True})
    w.close_round()
    assert w.room.external.invite[h] == -1  # the control: no choice, the rule's invitations
    from classroom.findings import findings

    assert "finding_invite_party" in [f.key for f in findings(w)]


def test_without_heads_a_party_members_household_has_no_invitations_to_choose():
    w = world(roles=("household",), households=600, scenario="wuchang-2023-no-heads")
    party, _ = party_and_other(w)
    w.start()
    assert not w.room.active("heads")
    assert w.players[party.player].seen["party_invites"] == 0


def test_classroom_refuses_an_out_that_is_a_file_before_serving(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    linli = Path(sys.executable).with_name("linli")
    (tmp_path / "taken").write_text("x")
    ran = subprocess.run([str(linli), "classroom", "--host", "127.0.0.1", "--port", "1",
                          "--out", str(tmp_path / "taken")], capture_output=True, text=True,
                         timeout=120)
    assert ran.returncode != 0 and "Traceback" not in ran.stderr + ran.stdout
    assert "taken" in ran.stderr + ran.stdout


def test_classroom_help_and_a_bad_scenario_import_nothing_heavy():
    import subprocess
    import sys
    from pathlib import Path

    linli = Path(sys.executable).with_name("linli")
    ran = subprocess.run([sys.executable, "-X", "importtime", str(linli), "classroom",
                          "--help"], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0 and "--scenario" in ran.stdout
    names = {line.rsplit("|", 1)[1].strip() for line in ran.stderr.splitlines()
             if line.startswith("import time:") and "|" in line}
    heavy = {n for n in names if n.split(".")[0] in ("mesa", "solara", "pandas", "numpy",
                                                     "segno", "model")}
    assert not heavy, sorted(heavy)
    bad = subprocess.run([str(linli), "classroom", "--scenario", "no-such-scenario"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr + bad.stdout


def test_an_external_courier_choice_sets_only_that_couriers_activity():
    params = {"structure": {"households": 600}, "couriers": {"count": 20}}
    a = LinliModel(params, rng=4, agents=False)
    b = LinliModel(params, rng=4, agents=False)
    a.external = ExternalDecisions.none(600, 20)
    a.external.courier_active[3] = 1
    a.external.courier_active[5] = 0
    for _ in range(3):
        a.step()
        b.step()
        assert a.couriers.active[3] and not a.couriers.active[5]
        others = np.setdiff1d(np.arange(20), [3, 5])
        assert np.array_equal(a.couriers.active[others], b.couriers.active[others])


def test_a_sessions_decisions_are_queried_like_a_sweep_and_read_only(tmp_path):
    """Data for research: `linli query SESSION` reads the decision log and the weekly outputs
    of both worlds, through the same sandbox as a sweep (no writes, no other files)."""
    import subprocess
    import sys
    from pathlib import Path

    from classroom import debrief

    w = world()
    tickets = [w.join("ABCDE", name) for name in ("李明", "Wang Fang")]
    w.start()
    for _ in range(2):
        for t in tickets:
            decide(w, t)
    debrief.export(w, tmp_path, "en")
    linli = Path(sys.executable).with_name("linli")

    def query(sql: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(linli), "query", str(tmp_path), sql, "--out",
                               str(tmp_path / "analysis" / "q.csv")], capture_output=True,
                              text=True, timeout=120)

    ran = query("SELECT pseudonym, COUNT(*) AS rounds, SUM(decision_take_part::INT) AS took "
                "FROM decisions GROUP BY 1 ORDER BY 1")
    assert ran.returncode == 0, ran.stderr
    answer = pd.read_csv(tmp_path / "analysis" / "q.csv")
    assert answer.to_dict("list") == {"pseudonym": ["P01", "P02"], "rounds": [2, 2],
                                      "took": [2, 2]}
    ran = query("SELECT world, MAX(week) AS weeks FROM weekly GROUP BY 1 ORDER BY 1")
    assert ran.returncode == 0, ran.stderr
    assert pd.read_csv(tmp_path / "analysis" / "q.csv").to_dict("list") == {
        "world": ["room", "shadow"], "weeks": [2, 2]}
    before = sorted(p.name for p in tmp_path.iterdir())
    for hostile in (f"COPY (SELECT 1) TO '{tmp_path / 'x.csv'}'",
                    f"SELECT * FROM read_csv('{tmp_path / 'decisions.csv'}')"):
        ran = query(hostile)
        assert ran.returncode != 0 and "Traceback" not in ran.stderr + ran.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_head_nominates_a_neighbour_it_saw_take_part_and_only_such():
    w = world(roles=("head", "household"), scenario="red-list", households=600)
    head, other = w.join("ABCDE", "head"), w.join("ABCDE", "other")
    w.start()
    for _ in range(2):
        decide(w, head, {"take_part": True})
        decide(w, other, {"take_part": True})
    seen = w.players[head.player].seen
    assert seen["unit_contributors"], "nobody in the head's unit took part in two weeks"
    position, hours = seen["unit_contributors"][-1]  # the fewest hours
    role = head.role
    own = role.household - role.unit_start
    for bad in (own, role.unit_households, -1, True, "1"):
        with pytest.raises(SubmitError, match="nominate"):
            decide(w, head, {"take_part": True, "nominate": bad})
    with pytest.raises(SubmitError, match="cannot decide nominate"):
        decide(w, other, {"take_part": True, "nominate": 0})
    decide(w, head, {"take_part": True, "nominate": position})
    nominee = role.neighbour(position)
    decide(w, other, {"take_part": True})
    assert w.room.external.nominate[nominee]  # stands until the board is posted
    entry = w.log.frame().set_index(["round", "player"]).loc[(3, head.player)]
    assert entry["decision_nominate"] == position
    assert json.loads(entry["outcome"])["nominated"] == nominee
    assert w.room.pop.period_hours[nominee] >= hours  # it took part: the board may list it
    while w.room.board.week is None or w.room.board.week < 4:
        decide(w, head, {"take_part": True})
        decide(w, other, {"take_part": True})
    assert w.room.board.listed[nominee]
    assert not w.room.external.nominate.any()  # used up by the posting
    from classroom.findings import findings

    found = {f.key: f.fields for f in findings(w)}
    assert found["finding_nominate"]["nominated"] == 1
    assert found["finding_nominate"]["listed"] == 1
    assert "finding_invite" not in found  # the head invited nobody of its own
    assert w.players[other.player].seen.get("unit_contributors") is None  # a head's view only


def test_a_business_joins_residents_activities_round_after_round():
    w = world(roles=("business",), scenario="co-building", households=600)
    business = w.join("ABCDE", "b")
    w.start()
    decide(w, business, {"offer": False, "join_activity": True})
    assert w.room.external.business_join[business.role.business]
    w.close_round()  # undecided: the standing choice is kept
    assert w.room.external.business_join[business.role.business]
    partnership = w.room.businesses.partnership[business.role.business]
    assert partnership > w.shadow.businesses.partnership[business.role.business]
    decide(w, business, {"offer": False, "join_activity": False})
    assert not w.room.external.business_join.any()


def test_the_phone_offers_invitations_to_a_party_members_household(monkeypatch):
    import ipyvuetify as v
    import solara

    from classroom import player_page, registry

    w = world(roles=("household",), households=600)
    party, other = party_and_other(w)
    w.start()
    monkeypatch.setattr(registry, "_world", w)
    monkeypatch.setattr(registry, "_config", registry.Config(settings=w.settings, code="ABCDE"))
    monkeypatch.setattr(player_page, "LANG", solara.reactive("en"))  # not the shared default

    def page(ticket, invites: int):
        return solara.render(player_page.Decide(ticket, "household", 2.0, "rule", False, False,
                                                (), invites), handle_error=False)[1]

    rc = page(other, 0)  # the control: nothing to invite, no choice shown
    try:
        assert not rc.find(v.BtnToggle, class_="cl-invite").widgets
    finally:
        rc.close()
    rc = page(party, w.players[party.player].seen["party_invites"])
    try:
        rc.find(v.Btn, children=["Invite 1 who rarely take part"]).assert_single()
        rc.find(v.BtnToggle, class_="cl-invite").widget.v_model = 1  # rule, in, out: "in"
        rc.find(v.Btn, class_="cl-take-part").widget.click()
        assert w.players[party.player].decision["invite"] is True
    finally:
        rc.close()
