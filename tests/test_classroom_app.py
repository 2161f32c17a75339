"""The classroom in real browsers (issue 12): ``linli classroom`` started here on 127.0.0.1,
a facilitator and several players, each in their own headless-Chromium context (their own
cookies: their own device), every request that leaves this machine blocked and recorded.

Every wait is on the pages' state (``data-round``, ``data-open``, ``data-players``, an element
appearing), never on the clock; ``BACKSTOP`` only bounds a wait that would otherwise hang.
The World itself is tested without a browser in test_classroom.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest
from serving import CHROMIUM, chromium, served

LOCAL = {"localhost", "127.0.0.1"}
PROJECTOR = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 800}
BACKSTOP = 120_000  # ms
ROUNDS = 10  # a whole session, as the issue asks

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at "
                                                     "/usr/bin/chromium"),
]


@dataclass
class Room:
    host_url: str
    join_url: str
    code: str
    out: Path
    log: Path
    base: str


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def start_room(tmp: Path, *args: str) -> Iterator[Room]:
    """``linli classroom --host 127.0.0.1`` in a subprocess until the generator is closed."""
    log, out = tmp / "classroom.log", tmp / "out"
    with served(["classroom", "--out", str(out), *args], log, tmp, BACKSTOP / 1000) as base:
        text = log.read_text()
        host = re.search(r"(http://127\.0\.0\.1:\d+/host\?key=\S+)", text).group(1)
        join = re.search(r"(http://127\.0\.0\.1:\d+/\?room=(\w+))", text)
        yield Room(host, join.group(1), join.group(2), out, log, base)


@dataclass
class Device:
    """One browser context (a phone or the projector laptop) and the requests it tried to
    send off this machine."""

    context: object
    outside: list[str] = field(default_factory=list)

    def page(self, url: str):
        page = self.context.new_page()

        def route(r) -> None:
            if urlparse(r.request.url).hostname in LOCAL:
                r.continue_()
            else:
                self.outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(url)
        return page


def device(browser, viewport=PHONE) -> Device:
    return Device(browser.new_context(viewport=viewport))


def wait(page, script: str, arg=None) -> None:
    page.wait_for_function(script, arg=arg, timeout=BACKSTOP)


def wait_attr(page, selector: str, name: str, value: str) -> None:
    """Until the first element matching ``selector`` has data-``name`` = ``value``."""
    wait(page, "([s, n, v]) => { const e = document.querySelector(s);"
               " return e !== null && e.dataset[n] === v; }", [selector, name, value])


def join(page, name: str) -> str:
    """Fill the name (the code comes from the join URL), press Join; the role's kind."""
    page.wait_for_selector(".cl-name-input input", timeout=BACKSTOP)
    page.fill(".cl-name-input input", name)
    page.click(".cl-join")
    page.wait_for_selector(".cl-role", timeout=BACKSTOP)
    return page.get_attribute(".cl-role", "data-kind")


def seen_keys(page) -> set[str]:
    return set(page.eval_on_selector_all(".cl-seen li", "ls => ls.map(l => l.dataset.key)"))


@pytest.fixture(scope="module")
def room(tmp_path_factory) -> Iterator[Room]:
    yield from start_room(tmp_path_factory.mktemp("room"), "--timer", "0", "--rounds",
                          str(ROUNDS), "--households", "600", "--lang", "zh")


def test_a_facilitator_and_five_players_play_ten_rounds_and_export_the_debrief(browser, room):
    projector = device(browser, PROJECTOR)
    host = projector.page(room.host_url)
    host.wait_for_selector(".cl-code", timeout=BACKSTOP)
    assert host.inner_text(".cl-code") == room.code
    assert room.code in host.inner_text(".cl-join-url")
    assert host.locator(".cl-qr svg").count() == 1  # drawn locally

    intruder = device(browser)
    nosy = intruder.page(room.base + "/host")  # without the key: nothing to drive
    nosy.wait_for_selector(".cl-not-allowed", timeout=BACKSTOP)
    assert nosy.locator(".cl-start").count() == 0
    wrong = intruder.page(room.base + "/?room=ZZZZZ")
    join_error = "房间码不对"
    wrong.wait_for_selector(".cl-name-input input", timeout=BACKSTOP)
    wrong.fill(".cl-name-input input", "Mallory")
    wrong.click(".cl-join")
    wrong.wait_for_selector(".cl-error", timeout=BACKSTOP)
    assert join_error in wrong.inner_text(".cl-error") and wrong.locator(".cl-role").count() == 0

    phones = [device(browser) for _ in range(5)]
    names = ["李明", "Wang Fang", "张伟", "Chen Jie", "刘洋"]
    pages, kinds = [], []
    for i, (phone, name) in enumerate(zip(phones, names, strict=True)):
        url = room.join_url + ("&lang=en" if i % 2 else "")
        page = phone.page(url)
        kinds.append(join(page, name))
        pages.append(page)
    assert kinds == ["household", "household", "head", "household", "courier"]
    wait_attr(host, ".cl-host-round", "players", "5")
    assert "Player" not in pages[0].inner_text(".cl-role")  # zh
    assert "you play" in pages[1].inner_text(".cl-role")  # en, from ?lang=en

    # each sees what the role could see, and no map
    assert {"neighbours", "group", "board", "problems"} <= seen_keys(pages[0])
    assert "route" not in seen_keys(pages[0]) and "unit" not in seen_keys(pages[0])
    assert "unit" in seen_keys(pages[2])  # the head sees its unit's activity
    assert {"route", "route_problems"} <= seen_keys(pages[4])
    assert "neighbours" not in seen_keys(pages[4])
    for page in pages:
        assert page.locator(".linli-map, .cl-players, .cl-code").count() == 0

    host.click(".cl-start")
    for rnd in range(1, ROUNDS):
        for page in pages:
            wait_attr(page, ".cl-round", "round", str(rnd))
            wait_attr(page, ".cl-round", "open", "1")
        if rnd == 2:  # the facilitator posts the red list: in the room and the shadow
            host.click(".cl-iv-post_red_list")
            wait_attr(host, ".cl-host-round", "interventions", "1")
        for i, page in enumerate(pages):
            if i == 2 and rnd == 1:
                page.click(".cl-call label")  # the head calls an activity
                page.click(".cl-invite-in")  # and invites neighbours who rarely take part
            if i == 2 and rnd == 3:  # the head nominates a neighbour who took part
                nominate = page.locator(".cl-nominate button:not(.cl-nominate-nobody)")
                assert nominate.count() >= 1
                # its longest page still fits a phone: nothing sticks out sideways
                assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
                nominate.first.click()
            if i == 1:
                page.click(".cl-stay-out")
            else:
                page.click(".cl-hours-4" if i != 4 else ".cl-take-part")
                if i != 4:
                    page.click(".cl-take-part")
            if rnd == 1 and i == 0:  # a decision is acknowledged on the page
                wait_attr(page, ".cl-status", "decided", "1")
                wait(host, "() => [...document.querySelectorAll('.cl-players .cl-mark-yes')]"
                           ".filter(e => e.offsetParent !== null).length === 1")
        wait_attr(host, ".cl-host-round", "round", str(rnd + 1))
        wait_attr(host, ".cl-host-round", "week", str(rnd))
        if rnd == 1:  # reconnecting from the same phone with the same name resumes the role
            role = pages[0].inner_text(".cl-role")
            pages[0].close()
            pages[0] = phones[0].page(room.join_url)
            assert join(pages[0], names[0]) == "household"
            assert pages[0].inner_text(".cl-role") == role
            wait(pages[0], "() => [...document.querySelectorAll('.cl-seen li')]"
                           ".some(l => l.dataset.key === 'me' && l.textContent.includes('参加了'))")

    # the last round: two players do not decide; the facilitator closes it
    for page in pages[:3]:
        wait_attr(page, ".cl-round", "round", str(ROUNDS))
        page.click(".cl-take-part")
    host.click(".cl-close")
    for page in pages:
        wait_attr(page, ".cl-round", "finished", "1")
    wait_attr(host, ".cl-host-round", "finished", "1")
    host.locator(".cl-findings li").first.wait_for(timeout=BACKSTOP)
    assert host.locator(".cl-findings li").count() >= 3

    host.click(".cl-lang")  # the projector in English
    wait(host, "() => document.querySelector('.cl-export').textContent.includes('Export')")
    host.click(".cl-export")
    host.wait_for_selector(".cl-exported", timeout=BACKSTOP)
    path = Path(host.get_attribute(".cl-exported", "data-path"))
    assert path.parent.parent == room.out.resolve() and room.code in path.parent.name
    out = path.parent  # this session's own folder

    decisions = pd.read_parquet(out / "decisions.parquet")
    assert len(decisions) == 5 * ROUNDS and "name" not in decisions
    text = path.read_text(encoding="utf-8") + (out / "decisions.csv").read_text("utf-8")
    assert not any(name in text for name in names)  # pseudonyms only
    last = decisions[decisions["round"] == ROUNDS].set_index("pseudonym")
    assert list(last["source"]) == ["submitted"] * 3 + ["kept"] * 2
    stayed = decisions[(decisions.pseudonym == "P02") & (decisions["round"] < ROUNDS)]
    assert not stayed["decision_take_part"].any()
    head_first = decisions[(decisions.role == "head") & (decisions["round"] == 1)].iloc[0]
    assert head_first["decision_invite"] and head_first["decision_call_activity"]
    assert json.loads(head_first["outcome"])["invited"]  # whom the invitations reached
    head_third = decisions[(decisions.role == "head") & (decisions["round"] == 3)].iloc[0]
    nominee = json.loads(head_third["outcome"])["nominated"]
    assert pd.notna(head_third["decision_nominate"]) and nominee != head_third["household"]
    took = decisions[(decisions.pseudonym == "P01")]
    assert took["decision_hours"].tolist() == [4.0] * ROUNDS

    # the players changed the room; the shadow is a plain run of the same community and seed
    weekly = pd.read_parquet(out / "weekly.parquet")
    room_rows = weekly[weekly.world == "room"].drop(columns="world").reset_index(drop=True)
    shadow = weekly[weekly.world == "shadow"].drop(columns="world").reset_index(drop=True)
    assert not room_rows.equals(shadow)
    from classroom.settings import RoomSettings
    from classroom.world import room_params
    from model.core import LinliModel

    plain = LinliModel(room_params(RoomSettings(households=600)), rng=1, agents=False)
    head = int(decisions.loc[decisions.role == "head", "household"].iloc[0])
    plain.intervene("appoint_head", household=head)  # the room's set-up, in both worlds
    for week in range(1, ROUNDS + 1):
        if week == 2:
            plain.intervene("post_red_list")
        plain.step()
    pd.testing.assert_frame_equal(shadow, plain.frame, check_dtype=False)

    # the debrief opens offline, whole
    reader = device(browser, PROJECTOR)
    reader.context.set_offline(True)
    page = reader.context.new_page()
    page.goto(path.as_uri())
    assert page.locator("svg polyline").count() == 6 and page.locator(".finding").count() >= 3
    assert "post_red_list" in page.inner_text(".timeline")
    assert "Debrief" in page.title()

    for d in (projector, intruder, *phones, reader):
        d.context.close()
        assert d.outside == [], f"a page tried to reach the internet: {d.outside}"


def test_the_timer_closes_a_round_and_the_model_decides_for_the_undecided(browser,
                                                                          tmp_path):
    rooms = start_room(tmp_path, "--timer", "4", "--rounds", "2", "--lang", "en")
    room = next(rooms)
    try:
        projector, phone = device(browser, PROJECTOR), device(browser)
        host = projector.page(room.host_url)
        host.wait_for_selector(".cl-start", timeout=BACKSTOP)
        player = phone.page(room.join_url)
        assert join(player, "Sun") == "household"
        extra = phone.context.browser.new_context(viewport=PHONE)
        late = Device(extra).page(room.join_url)
        assert join(late, "Zhou") == "household"
        wait_attr(host, ".cl-host-round", "players", "2")
        host.locator("tr[data-player='p01'] .cl-rename").click()  # the facilitator renames
        host.locator(".cl-rename-input input").fill("Sun Li")
        host.click(".cl-rename-ok")
        wait(player, "() => document.querySelector('.cl-role').textContent.includes('Sun Li')")
        host.locator("tr[data-player='p02'] .cl-kick").click()  # and removes one
        wait_attr(host, ".cl-host-round", "players", "1")
        late.wait_for_selector(".cl-removed", timeout=BACKSTOP)  # told so
        late.click(".cl-rejoin")
        late.wait_for_selector(".cl-name-input input", timeout=BACKSTOP)
        extra.close()
        host.click(".cl-start")
        wait_attr(player, ".cl-round", "round", "1")
        # the countdown shows, and the page counts it down itself (no redraw from the server)
        wait(player, "() => document.querySelector('.cl-countdown').textContent"
                     ".endsWith('s left')")
        first = int(player.get_attribute(".cl-countdown", "data-seconds"))
        assert 0 < first <= 4
        wait(player, "s => Number(document.querySelector('.cl-countdown').dataset.seconds) < s",
             first)
        assert host.inner_text(".cl-countdown").endswith("s left")
        wait_attr(player, ".cl-round", "round", "2")  # nobody decided: the timer closed it
        wait_attr(host, ".cl-host-round", "week", "1")
        player.click(".cl-stay-out")
        wait_attr(player, ".cl-round", "finished", "1")
        wait_attr(host, ".cl-host-round", "finished", "1")
        host.click(".cl-export")
        host.wait_for_selector(".cl-exported", timeout=BACKSTOP)
        exported = Path(host.get_attribute(".cl-exported", "data-path")).parent
        log = pd.read_csv(exported / "decisions.csv")
        assert list(log["source"]) == ["model", "submitted"]
        assert json.loads(log["decision"].iloc[1]) == {"hours": None, "member": None,
                                                       "report": False, "take_part": False}
        for d in (projector, phone):
            d.context.close()
            assert d.outside == []
    finally:
        rooms.close()
