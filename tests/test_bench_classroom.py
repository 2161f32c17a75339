"""The 40-player benchmark's harness (benchmarks/bench_classroom.py), run small: it must keep
measuring what it says, so the figures in benchmarks/README.md can be reproduced from a fresh
clone. No time is asserted here (the benchmark's target is for the benchmark to report)."""

from __future__ import annotations

import pytest
from serving import CHROMIUM

from benchmarks import bench_classroom

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at "
                                                     "/usr/bin/chromium"),
]


def test_small_room_is_measured_round_by_round() -> None:
    results = bench_classroom.measure(players=3, rounds=2, households=600, timer=0)
    rows = results["rounds"]
    assert [r["round"] for r in rows] == [1, 2]
    for r in rows:
        # each screen is taken after the last press, and the first press came no later
        assert 0 <= r["projector_ms"] <= r["last_press_to_last_screen_ms"]
        assert 0 <= r["slowest_phone_ms"] <= r["last_press_to_last_screen_ms"]
        assert r["last_press_to_last_screen_ms"] == max(r["projector_ms"], r["slowest_phone_ms"])
        assert r["first_press_to_last_screen_ms"] >= r["last_press_to_last_screen_ms"]
    assert results["outside"] == []  # nothing left the machine
    text = bench_classroom.report(results)
    assert "3 players, 600 households, no timer" in text
    lines = text.splitlines()
    assert len(lines) == 2 + len(rows) + 1  # header, a row per round, the verdict
    within = all(r["last_press_to_last_screen_ms"] <= bench_classroom.TARGET_MS for r in rows)
    assert results["met"] is within
    assert lines[-1].endswith("— met" if within else "— NOT met")
