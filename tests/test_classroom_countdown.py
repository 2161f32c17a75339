"""The countdown's arithmetic as the page runs it (``countdown.SHOWN_JS``, in Chromium): the
projector counts every second; a phone (``step`` 10) shows the time left to ten seconds and
counts the last ten one by one, so it draws a sixth as many changes in a two-minute round."""

from __future__ import annotations

import pytest
from serving import CHROMIUM, chromium

from classroom.countdown import SHOWN_JS, TEMPLATE

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs Debian's chromium at /usr/bin/chromium")


@pytest.fixture(scope="module")
def page():
    with chromium() as browser:
        context = browser.new_context()
        yield context.new_page()
        context.close()


def shown(page, left_ms: float, step: int) -> list:
    return page.evaluate(f"([l, s]) => ({SHOWN_JS})(l, s)", [left_ms, step])


def changes(page, seconds: int, step: int) -> list[int]:
    """Every number the page shows, following its own timing, over ``seconds``."""
    return page.evaluate(f"""([left, step]) => {{
        const f = ({SHOWN_JS}), out = [];
        for (let guard = 0; guard < 10000; guard++) {{
            const [s, next] = f(left, step);
            out.push(s);
            if (next === null) return out;
            left -= next;
        }}
        return out;
    }}""", [seconds * 1000, step])


def test_the_template_runs_the_tested_arithmetic() -> None:
    assert SHOWN_JS.strip() in TEMPLATE


def test_by_the_second_each_number_shows_until_the_next_second(page) -> None:
    assert shown(page, 3200, 1) == [3, 205]
    assert shown(page, 119_600, 1) == [119, 605]
    assert shown(page, 400, 1) == [0, None]  # at zero it stops: the server closes the round


def test_a_phone_rounds_up_to_ten_seconds_then_counts_the_last_ten(page) -> None:
    assert shown(page, 119_600, 10) == [120, 8605]  # 111 s left is still "about 120"
    assert shown(page, 110_900, 10) == [110, 9905]  # 101–110 s left: "about 110"
    assert shown(page, 15_000, 10) == [20, 4005]
    assert shown(page, 10_500, 10) == [10, 505]  # the last ten, one by one
    assert shown(page, 10_999, 10) == [10, 1004]


def test_a_phone_draws_a_sixth_of_the_changes_and_still_reaches_zero(page) -> None:
    projector = changes(page, 120, step=1)
    phone = changes(page, 120, step=10)
    assert projector == list(range(120, -1, -1))  # every second
    assert phone == [120, 110, 100, 90, 80, 70, 60, 50, 40, 30, 20, *range(10, -1, -1)]
    assert len(phone) * 5 < len(projector)
