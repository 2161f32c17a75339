"""The trainer app in a real browser: ``linli app`` started here, driven by Playwright in
headless Debian Chromium, with every request that leaves this machine blocked and recorded.

Each test opens its own tab (its own session on the server). Fast, in-process checks of the
same page are in test_trainer.py.
"""

from __future__ import annotations

import base64
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest
from PIL import Image

from trainer import map as mp

CHROMIUM = Path("/usr/bin/chromium")
LOCAL = {"localhost", "127.0.0.1"}
TIMEOUT = 30_000  # ms

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at "
                                                     "/usr/bin/chromium (apt-get install "
                                                     "chromium; scripts/bootstrap --dev)"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("localhost", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """``linli app --port <free port>`` in a subprocess; yields its URL and its log file."""
    port = _free_port()
    log = tmp_path_factory.mktemp("app") / "app.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "experiments.cli", "app", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, cwd=log.parent,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the app did not start:\n{log.read_text()}")
            time.sleep(0.3)
        yield url, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM),
                                      args=["--no-sandbox", "--headless", "--disable-gpu"])
        yield chromium
        chromium.close()


class Tab:
    """One browser tab on the app, with the requests it tried to send off this machine."""

    def __init__(self, page, outside: list[str]) -> None:
        self.page = page
        self.outside = outside

    def click(self, selector: str) -> None:
        self.page.locator(selector).first.click()

    def week(self) -> list[str]:
        return self.page.eval_on_selector_all(".linli-map-svg", "m => m.map(e => e.dataset.week)")

    def wait_week(self, week: int) -> None:
        self.page.wait_for_function(
            "w => { const m = [...document.querySelectorAll('.linli-map-svg')];"
            " return m.length > 0 && m.every(e => e.dataset.week === w); }",
            arg=str(week), timeout=TIMEOUT)

    def step(self, week: int) -> None:
        self.click(".linli-step")
        self.wait_week(week)

    def shot(self, selector: str) -> np.ndarray:
        png = self.page.locator(selector).first.screenshot()
        return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)

    def drawn(self, selector: str) -> bool:
        """Whether a screenshot of ``selector`` shows a picture, not a blank area (polls while
        the browser is still painting)."""
        deadline = time.monotonic() + 15
        while True:
            if _varied(self.shot(selector)):
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.3)

    def chart(self) -> np.ndarray:
        """The charts image as the server sent it (a PNG data URL), decoded."""
        encoded = self.page.evaluate("""async () => {
            const response = await fetch(document.querySelector('.linli-charts').src);
            const bytes = new Uint8Array(await response.arrayBuffer());
            let text = '';
            for (const b of bytes) text += String.fromCharCode(b);
            return btoa(text);
        }""")
        png = base64.b64decode(encoded)
        return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)

    def chart_source(self) -> str:
        return self.page.eval_on_selector(".linli-charts", "i => i.src")

    def wait_chart_change(self, source: str) -> None:
        self.page.wait_for_function("s => document.querySelector('.linli-charts').src !== s",
                                    arg=source, timeout=TIMEOUT)


@pytest.fixture
def tab(browser, server) -> Iterator[Tab]:
    url, _ = server
    outside: list[str] = []
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()

    def route(r) -> None:  # no network but this machine
        if urlparse(r.request.url).hostname in LOCAL:
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(url)
    page.wait_for_selector(".linli-map-svg", timeout=60_000)
    page.wait_for_selector(".linli-charts", timeout=TIMEOUT)
    yield Tab(page, outside)
    context.close()
    assert outside == [], f"the page tried to reach the internet: {outside}"


def _varied(pixels: np.ndarray) -> bool:
    return pixels.std() > 8 and len(np.unique(pixels.reshape(-1, 3), axis=0)) > 20


def _near(pixels: np.ndarray, colour: str, tol: float = 40) -> int:
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
    return int((np.abs(pixels - rgb).sum(axis=2) < tol).sum())


def _marked(pixels: np.ndarray) -> int:
    """Pixels of the interventions' magenta (drawn half-transparent, so by hue, not exactly)."""
    assert mp.INTERVENTION_COLOUR == "#c2185b"
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return int(((r - g > 80) & (b - g > 25) & (r > b)).sum())


def test_page_loads_offline_with_map_charts_and_tooltips(tab, server):
    _, log = server
    assert "http://localhost:" in log.read_text()  # the address is printed
    assert tab.outside == []
    assert tab.drawn(".linli-map")
    assert tab.drawn(".linli-charts")
    assert _varied(tab.chart())
    page = tab.page
    assert page.locator(".linli-map-svg rect.s2").count() == 3000  # one cell per household
    cell = page.locator(".linli-map-svg rect.s2").first
    cell.hover()
    box = cell.bounding_box()
    title = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).querySelector('title').textContent",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    assert title.startswith("住户 #0 · 单元 0 · 网格 0")


def test_step_advances_the_week_and_the_participation_chart(tab):
    before, source = tab.chart(), tab.chart_source()
    assert tab.week() == ["0"]
    tab.step(1)
    assert tab.page.locator(".linli-week").inner_text() == "第 1 周"
    assert tab.page.locator(".linli-map-svg rect.s0").count() > 0  # took part this week
    tab.wait_chart_change(source)
    source = tab.chart_source()
    tab.step(2)  # two weeks make a line
    tab.wait_chart_change(source)
    after = tab.chart()
    # the participation line (dark green) is drawn in the first panel
    first_panel = (slice(0, after.shape[0] // 2), slice(0, after.shape[1] // 3))
    assert _near(after[first_panel], "#1b7837") > _near(before[first_panel], "#1b7837") + 30


def test_play_runs_weeks_until_paused(tab):
    tab.click(".linli-play")
    tab.page.wait_for_function(
        "() => Number(document.querySelector('.linli-map-svg').dataset.week) >= 3",
        timeout=TIMEOUT)
    tab.click(".linli-play")  # now labelled Pause
    tab.page.wait_for_function(
        "() => document.querySelector('.linli-play').textContent.includes('播放')",
        timeout=TIMEOUT)
    time.sleep(1.5)  # a week being stepped when Pause was pressed still arrives
    paused = tab.week()
    time.sleep(1.5)
    assert tab.week() == paused


def test_changing_the_preset_and_resetting_rebuilds_the_model(tab):
    tab.step(1)
    tab.click(".linli-preset")
    tab.page.locator(".v-menu__content .v-list-item", has_text="基线：改革前的大网格").click()
    tab.page.wait_for_selector(".linli-pending", timeout=TIMEOUT)  # not applied yet
    assert "197 个邻里单元" in tab.page.locator(".linli-summary").inner_text()
    tab.click(".linli-reset")
    tab.wait_week(0)
    tab.page.wait_for_function(
        "() => document.querySelector('.linli-summary').textContent.includes('10 个邻里单元')",
        timeout=TIMEOUT)
    summary = tab.page.locator(".linli-summary").inner_text()
    assert "红榜：关" in summary and "快递员：0" in summary
    assert tab.page.locator(".linli-pending").count() == 0
    assert tab.page.locator(".linli-map-svg .courier").count() == 0


def test_an_intervention_shows_on_the_map_and_the_charts(tab):
    page = tab.page
    tab.step(1)
    stations = page.locator(".linli-map-svg .station").count()
    before, source = tab.chart(), tab.chart_source()
    tab.click(".linli-iv-open_station")  # grid 0
    page.wait_for_selector(".linli-map-svg .intervention[data-kind='open_station']",
                           timeout=TIMEOUT)
    assert "第 2 周生效" in page.locator(".linli-message").inner_text()
    assert "stroke-dasharray" in page.eval_on_selector(
        ".linli-map-svg .intervention", "e => e.outerHTML")  # queued: dashed
    tab.step(2)
    tab.wait_chart_change(source)
    assert page.locator(".linli-map-svg .station").count() == stations + 1
    assert "stroke-dasharray" not in page.eval_on_selector(
        ".linli-map-svg .intervention", "e => e.outerHTML")  # applied: solid
    after = tab.chart()
    assert _marked(after) > _marked(before) + 300  # a line in each of the six panels
    assert "开设驿站" in page.locator(".linli-iv-log").inner_text()


def test_switching_language_changes_the_labels_and_back(tab):
    page = tab.page
    source = tab.chart_source()
    tab.click(".linli-lang-en")
    page.wait_for_function(
        "() => document.querySelector('.linli-step').textContent.includes('Step one week')",
        timeout=TIMEOUT)
    assert page.locator(".linli-title").inner_text() == "Linli · co-governance trainer"
    assert page.locator(".linli-week").inner_text() == "Week 0"
    page.wait_for_function(  # the map's tooltips too
        "() => document.querySelector('.linli-map-svg rect.s2 title').textContent"
        ".startsWith('Household #0')", timeout=TIMEOUT)
    tab.wait_chart_change(source)  # the charts are redrawn in English
    tab.click(".linli-lang-zh")
    page.wait_for_function(
        "() => document.querySelector('.linli-step').textContent.includes('下一周')",
        timeout=TIMEOUT)
    assert page.locator(".linli-title").inner_text() == "邻里 · 居民参与共治演示"


def test_chinese_is_drawn_with_a_cjk_font(tab):
    """The browser reports which installed fonts it drew a node's text with."""
    cdp = tab.page.context.new_cdp_session(tab.page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    for selector in (".linli-title", ".linli-step .v-btn__content", ".linli-summary"):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        cjk = [f for f in fonts if "CJK" in f["familyName"] or "Han" in f["familyName"]]
        assert cjk and sum(f["glyphCount"] for f in cjk) >= 3, (selector, fonts)


def test_ab_mode_steps_both_scenarios_together(tab):
    page = tab.page
    tab.click(".linli-ab")
    page.wait_for_selector(".linli-preset-b", timeout=TIMEOUT)
    tab.click(".linli-reset")
    page.wait_for_function("() => document.querySelectorAll('.linli-map-svg').length === 2",
                           timeout=TIMEOUT)
    tab.step(1)
    tab.step(2)
    assert tab.week() == ["2", "2"]
    titles = page.locator(".linli-map-panel h3").all_inner_texts()
    assert titles[0].startswith("A: 武昌2023") and titles[1].startswith("B: 基线")
