"""The trainer app in a real browser: ``linli app`` started here, driven by Playwright in
headless Debian Chromium at a projector's 1366×768, with every request that leaves this
machine blocked and recorded.

Every wait is on the page's state (the ``data-week`` of the week counter, the maps and the
charts; an element appearing; a text changing), never on the clock: ``BACKSTOP`` only bounds a
wait that would otherwise hang. Each test opens its own tab (its own session on the server).
Fast, in-process checks of the same page are in test_trainer.py.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest
from PIL import Image
from serving import CHROMIUM, chromium, served

from trainer.settings import Settings
from trainer.state import Session

LOCAL = {"localhost", "127.0.0.1"}
VIEWPORT = {"width": 1366, "height": 768}  # a projector
BACKSTOP = 120_000  # ms: only a page that never reaches the state waited for hits it

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at "
                                                     "/usr/bin/chromium (apt-get install "
                                                     "chromium; scripts/bootstrap --dev)"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """``linli app`` (the installed entry point) on 127.0.0.1 in a subprocess; yields its URL
    and its log file."""
    log = tmp_path_factory.mktemp("app") / "app.log"
    with served(["app"], log, log.parent, BACKSTOP / 1000) as url:
        yield url, log


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


# JS: pairs of elements (matching a selector) whose boxes overlap by more than 1 px each way
OVERLAPS_JS = """
(selector) => {
  const els = [...document.querySelectorAll(selector)].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
  });
  const boxes = els.map(e => e.getBoundingClientRect());
  const out = [];
  for (let i = 0; i < els.length; i++) for (let j = i + 1; j < els.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (els[i].contains(els[j]) || els[j].contains(els[i])) continue;
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (w > 1 && h > 1) out.push([els[i].textContent.trim(), els[j].textContent.trim()]);
  }
  return out;
}
"""


class Tab:
    """One browser tab on the app, with the requests it tried to send off this machine."""

    def __init__(self, page, outside: list[str]) -> None:
        self.page = page
        self.outside = outside

    def click(self, selector: str) -> None:
        self.page.locator(selector).first.click()

    def weeks(self) -> list[str]:
        return self.page.eval_on_selector_all("[data-week]", "m => m.map(e => e.dataset.week)")

    def wait(self, script: str, arg=None) -> None:
        self.page.wait_for_function(script, arg=arg, timeout=BACKSTOP)

    def wait_week(self, week: int) -> None:
        """Until the week counter, every map and the charts all show ``week``."""
        self.wait("w => { const m = [...document.querySelectorAll('[data-week]')];"
                  " return m.length >= 3 && m.every(e => e.dataset.week === w); }", str(week))

    def wait_count(self, selector: str, n: int) -> None:
        """Until ``n`` elements match ``selector`` (each widget updates on its own message)."""
        self.wait("([s, n]) => document.querySelectorAll(s).length === n", [selector, n])

    def wait_text(self, selector: str, part: str) -> str:
        """Until the first element matching ``selector`` contains ``part``; its text."""
        self.wait("([s, t]) => { const e = document.querySelector(s);"
                  " return e !== null && e.textContent.includes(t); }", [selector, part])
        return self.text(selector)

    def step(self, week: int) -> None:
        self.click(".linli-step")
        self.wait_week(week)

    def text(self, selector: str) -> str:
        return self.page.locator(selector).first.inner_text()

    def shot(self, selector: str) -> np.ndarray:
        png = self.page.locator(selector).first.screenshot()
        return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)

    def overlaps(self, selector: str) -> list:
        return self.page.evaluate(OVERLAPS_JS, selector)

    def box(self, selector: str) -> dict:
        return self.page.locator(selector).first.bounding_box()


@pytest.fixture
def tab(browser, server) -> Iterator[Tab]:
    url, _ = server
    outside: list[str] = []
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()

    def route(r) -> None:  # no network but this machine
        if urlparse(r.request.url).hostname in LOCAL:
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(url)
    new = Tab(page, outside)
    new.wait_week(0)  # map, charts and counter drawn
    yield new
    context.close()
    assert outside == [], f"the page tried to reach the internet: {outside}"


def _default_session(preset: str = "wuchang-2023") -> Session:
    """The model a tab runs on ``preset`` (same settings and seed), to know where things are."""
    return Session.start(Settings.from_preset(preset))


def _structure(preset: str) -> str:
    """How a map panel describes ``preset``'s structure (zh), from the model's own layout."""
    lay = _default_session(preset).sims[0].model.layout
    lo, hi = int(lay.unit_size.min()), int(lay.unit_size.max())
    sizes = f"{lo}" if lo == hi else f"{lo}–{hi}"
    return f"{lay.units} 个邻里单元（每单元 {sizes} 户）"


def drawn(pixels: np.ndarray) -> tuple[float, int]:
    """How much of a screenshot is drawn on (the share of pixels not near-white) and with how
    many colours: a blank element gives (0, 1). (The map at week 0 is mostly one colour, so
    its spread of values is small: 7–11 on 0–255 over the runs measured.)"""
    ink = float((pixels < 245).any(axis=2).mean())
    return ink, len(np.unique(pixels.reshape(-1, 3), axis=0))


def test_page_loads_offline_with_map_charts_and_tooltips(tab, server):
    _, log = server
    assert "http://127.0.0.1:" in log.read_text()  # the address is printed
    page = tab.page
    for part in (".linli-map", ".linli-charts"):
        ink, colours = drawn(tab.shot(part))
        assert ink > 0.02 and colours > 20, f"{part} looks blank: {ink:.1%}, {colours} colours"
    assert page.locator(".linli-map .cells rect").count() == 3000  # one cell per household
    assert page.locator(".linli-map .cells rect.k2").count() == 3000  # nobody yet
    assert page.locator(".linli-charts .linli-panel").count() == 6
    # an idle page is still: nothing redraws itself (a resize loop once redrew the charts
    # every frame); counting changes needs a stretch of time, so this one waits a second
    changes = page.evaluate("""() => new Promise(resolve => {
        let n = 0;
        const observer = new MutationObserver(records => { n += records.length; });
        observer.observe(document.body, {subtree: true, childList: true, attributes: true,
                                         characterData: true});
        setTimeout(() => { observer.disconnect(); resolve(n); }, 1000);
    })""")
    assert changes == 0
    page.locator(".linli-map .cells rect").first.hover()
    tab.wait("() => document.querySelector('.linli-tip') !== null")
    assert tab.text(".linli-tip").startswith("住户 #0 · 单元 0 · 网格 0")


def test_step_recolours_the_map_and_extends_the_charts(tab):
    page = tab.page
    line = ".linli-panel[data-panel=participation] path.series"
    assert page.locator(line).get_attribute("d") == ""
    tab.step(1)
    assert tab.text(".linli-week") == "第 1 周"
    session = _default_session()
    session.step()
    took_part = int(session.sims[0].model.pop.contributed.sum())
    assert page.locator(".linli-map .cells rect.k0").count() == took_part  # same run
    assert page.locator(line).get_attribute("d").count("M") == 1  # one point, shown as a dot
    dot = ".linli-panel[data-panel=participation] circle.now"
    assert page.locator(dot).count() == 1 and page.locator(dot).bounding_box()["width"] > 4
    tab.step(2)
    d = page.locator(line).get_attribute("d")
    assert d.count("M") == 1 and d.count("L") == 1  # a line through weeks 1 and 2


def test_play_runs_at_the_speed_chosen_until_paused(tab):
    page = tab.page
    tab.click(".linli-speed-5")
    tab.wait("() => document.querySelector('.linli-play').dataset.speed === '5'")
    tab.click(".linli-play")
    # the week and the time of each change the page shows, until week 12
    seen = page.evaluate("""() => new Promise(resolve => {
        const seen = [];
        const read = () => {
          const w = Number(document.querySelector('.linli-week').dataset.week);
          if (!seen.length || seen[seen.length - 1][0] !== w) seen.push([w, performance.now()]);
          if (w >= 12) { observer.disconnect(); resolve(seen); }
        };
        const observer = new MutationObserver(read);
        observer.observe(document.body, {subtree: true, attributes: true, childList: true});
        read();
    })""")
    tab.click(".linli-play")  # now labelled Pause
    tab.wait("() => document.querySelector('.linli-play').textContent.includes('播放')"
             " && !document.querySelector('.linli-step').disabled")
    (w0, t0), (w1, t1) = seen[1], seen[-1]  # from the first change seen after pressing Play
    rate = (w1 - w0) / ((t1 - t0) / 1000)
    assert 3.0 < rate < 7.0, seen  # 5 weeks a second, give or take a loaded machine
    paused = int(tab.weeks()[0])
    tab.step(paused + 1)  # paused: the next week comes from Step alone
    assert set(tab.weeks()) == {str(paused + 1)}


def test_changing_the_preset_and_resetting_rebuilds_the_model(tab):
    tab.step(1)
    tab.click(".linli-preset")
    tab.page.locator(".v-menu__content .v-list-item", has_text="基线：改革前的大网格").click()
    tab.wait("() => document.querySelector('.linli-pending') !== null")  # not applied yet
    assert _structure("wuchang-2023") in tab.text(".linli-summary")
    tab.click(".linli-reset")
    tab.wait("s => document.querySelector('.linli-summary').textContent.includes(s)",
             _structure("baseline"))
    tab.wait_week(0)
    summary = tab.text(".linli-summary")
    assert "红榜：关" in summary and "快递员：0" in summary
    tab.wait_count(".linli-pending", 0)
    tab.wait_count(".linli-map .couriers", 0)
    off = tab.wait_text(".linli-panel[data-panel=groups] .linli-panel-off", "此情景")
    assert off == "此情景未包含该机制"  # groups are not in the baseline


def test_an_intervention_clicked_on_the_map_shows_on_the_map_and_the_charts(tab):
    page = tab.page
    tab.step(1)
    model = _default_session().sims[0].model
    lay = model.layout
    grid = int(np.flatnonzero(~model.couriers.station_grid)[-1])  # one without a station
    h = int(np.flatnonzero(lay.grid_of == grid)[5])
    stations = page.locator(".linli-map [data-layer=stations] .station").count()
    page.locator(".linli-map .cells rect").nth(h).click()
    tab.wait_text(".linli-selected", f"#{h}")
    tab.wait_count(".linli-map .selected", 1)
    tab.click(".linli-iv-open_station")
    tab.wait_count(".linli-map .intervention", 1)
    message = tab.wait_text(".linli-message", "第 2 周生效")
    assert f"开设驿站（网格 {grid}），第 2 周生效" in message and "地图上以虚线框标出" in message
    outline = page.locator(".linli-map .intervention")
    assert outline.get_attribute("data-pending") == "1" and outline.get_attribute(
        "stroke-dasharray")
    marks = page.locator(".linli-charts line.mark")
    tab.wait("() => document.querySelectorAll('.linli-charts line.mark').length === 6")
    assert {marks.nth(i).get_attribute("stroke-dasharray") for i in range(6)} == {"2 4"}
    tab.step(2)
    tab.wait("() => document.querySelector('.linli-map .intervention')"
             ".dataset.pending === '0'")
    assert page.locator(".linli-map [data-layer=stations] .station").count() == stations + 1
    assert {marks.nth(i).get_attribute("stroke-dasharray") for i in range(6)} == {""}
    tab.wait_text(".linli-iv-log", "开设驿站")
    assert "待生效" not in tab.text(".linli-iv-log")


def test_switching_language_changes_the_labels_and_back(tab):
    page = tab.page
    tab.click(".linli-lang-en")
    tab.wait("() => document.querySelector('.linli-step').textContent"
             ".includes('Next week')")
    assert tab.text(".linli-title") == "Linli · co-governance trainer"
    assert tab.text(".linli-week") == "Week 0"
    tab.wait("() => document.querySelector('.linli-panel-title').textContent"
             ".includes('Weekly participation')")
    assert page.locator(".linli-map .labels text").first.text_content() == "grid 0"
    page.locator(".linli-map .cells rect").first.hover()
    tab.wait("() => (document.querySelector('.linli-tip') || {}).textContent"
             "?.startsWith('Household #0')")
    tab.click(".linli-lang-zh")
    tab.wait("() => document.querySelector('.linli-step').textContent.includes('下一周')")
    assert tab.text(".linli-title") == "邻里 · 居民参与共治演示"


def test_chinese_is_drawn_with_a_cjk_font(tab):
    """The browser reports which installed fonts it drew a node's text with."""
    cdp = tab.page.context.new_cdp_session(tab.page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    for selector in (".linli-title", ".linli-step .v-btn__content", ".linli-summary",
                     ".linli-panel-title"):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        cjk = [f for f in fonts if "CJK" in f["familyName"] or "Han" in f["familyName"]]
        assert cjk and sum(f["glyphCount"] for f in cjk) >= 3, (selector, fonts)


def test_ab_mode_steps_both_scenarios_and_describes_each(tab):
    page = tab.page
    tab.click(".linli-ab")
    tab.wait("() => document.querySelector('.linli-preset-b') !== null")
    tab.click(".linli-reset")
    tab.wait("() => document.querySelectorAll('.linli-map').length === 2")
    tab.step(1)
    tab.step(2)
    assert tab.weeks() == ["2", "2", "2", "2"]  # counter, two maps, charts
    titles = page.locator(".linli-map-title").all_inner_texts()
    assert titles[0].startswith("A: 武昌2023") and titles[1].startswith("B: 基线")
    a, b = page.locator(".linli-summary").all_inner_texts()
    assert _structure("wuchang-2023") in a and "快递员：60" in a
    assert _structure("baseline") in b and "快递员：0" in b
    assert page.locator(".linli-charts").get_attribute("data-runs") == "2"
    assert page.locator(".linli-panel[data-panel=participation] polygon.gap").count() == 1
    dashed = page.locator(".linli-charts path.series[data-run='1']").first
    assert dashed.get_attribute("stroke-dasharray")


# --- a 1366×768 projector ----------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "ab"), [("zh", False), ("en", False), ("zh", True),
                                          ("en", True)])
def test_projector_shows_legend_and_charts_without_scrolling_and_nothing_overlaps(
        tab, lang, ab):
    page = tab.page
    if lang == "en":
        tab.click(".linli-lang-en")
        tab.wait("() => document.querySelector('.linli-title').textContent.startsWith('Linli')")
    if ab:
        tab.click(".linli-ab")
        tab.wait("() => document.querySelector('.linli-preset-b') !== null")
        tab.click(".linli-reset")
        tab.wait("() => document.querySelectorAll('.linli-map').length === 2")
    for week in range(1, 4):
        tab.step(week)
    page.locator(".linli-map .cells rect").nth(40).click()
    tab.wait("() => document.querySelector('.linli-iv-start_club') !== null")
    tab.click(".linli-iv-start_club")
    tab.wait_text(".linli-message", "4")
    tab.wait("() => document.querySelectorAll('.linli-charts line.mark').length > 0")
    tab.wait_count(".linli-map .intervention", 1)  # on map A (the default target)
    assert page.evaluate("() => window.scrollY === 0 && document.scrollingElement.scrollHeight"
                         " <= window.innerHeight")
    inside = ("linli-legend", "linli-charts", "linli-message", "linli-week", "linli-step",
              "linli-play")
    for cls in inside:  # everything a trainer points at is on the screen, unscrolled
        box = tab.box(f".{cls}")
        assert box["x"] >= 0 and box["y"] >= 0, cls
        assert box["x"] + box["width"] <= VIEWPORT["width"] + 0.5, (cls, box)
        assert box["y"] + box["height"] <= VIEWPORT["height"] + 0.5, (cls, box)
    for box in page.locator(".linli-map").all():
        b = box.bounding_box()
        assert b["y"] + b["height"] <= VIEWPORT["height"] and b["height"] > 120
    sizes = page.evaluate("""() => [...document.querySelectorAll(
        '.linli-charts text, .linli-charts .linli-key, .linli-panel-title, .linli-panel-unit,'
        + ' .linli-legend .linli-key, .linli-message')].map(
        e => [e.textContent.trim(), parseFloat(getComputedStyle(e).fontSize)])""")
    small = [(text, size) for text, size in sizes if size < 14]
    assert len(sizes) > 60 and small == []
    assert tab.overlaps(".linli-charts text, .linli-charts .linli-key, .linli-panel-title") == []
    assert tab.overlaps(".linli-legend .linli-key") == []
    assert tab.overlaps(".linli-header > *") == []
    assert tab.overlaps(".linli-side .linli-note, .linli-side label, .linli-side .v-btn") == []
    assert tab.overlaps(".linli-map .labels text") == []
    message = tab.text(".linli-message")
    assert ("第 4 周" in message) if lang == "zh" else ("week 4" in message)
    assert page.eval_on_selector(".linli-message",  # all of it shows (it is not cut off)
                                 "e => e.scrollHeight <= e.clientHeight + 1")
    header = tab.box(".linli-header")["height"]
    tab.step(4)  # the message goes; the header keeps its height, so nothing moves
    assert tab.box(".linli-header")["height"] == header


def test_a_click_on_the_map_selects_that_unit(tab):
    """Clicking a unit's tile (its rim, outside its households' squares) chooses the unit;
    the buttons then act on it."""
    page = tab.page
    lay = _default_session().sims[0].model.layout
    unit = 42
    tile = page.locator(".linli-map .tiles rect").nth(unit).bounding_box()
    x, y = page.evaluate("""(u) => {  // a point where the tile itself is on top
        const tile = document.querySelectorAll('.linli-map .tiles rect')[u];
        const r = tile.getBoundingClientRect();
        for (let y = r.bottom - 1; y > r.top; y -= 1)
          for (let x = r.right - 1; x > r.left; x -= 1)
            if (document.elementFromPoint(x, y) === tile) return [x, y];
        return null;
    }""", unit)
    page.mouse.click(x, y)
    chosen = tab.wait_text(".linli-selected", f"单元 {unit}")
    assert chosen == f"已选：单元 {unit} · 网格 {lay.grid_of_unit[unit]}"
    assert tab.wait_text(".linli-iv-start_club", str(unit)) == f"在单元 {unit}成立兴趣社团"
    tab.wait_count(".linli-map .selected[data-kind=unit]", 1)
    box = page.locator(".linli-map .selected").bounding_box()  # outlines that tile
    assert box["x"] <= tile["x"] + 1 and box["x"] + box["width"] >= tile["x"] + tile["width"] - 1
    # a click on a household selects it, its unit and its grid cell
    h = int(lay.unit_start[unit + 1])
    page.locator(".linli-map .cells rect").nth(h).click()
    assert f"单元 {unit + 1}" in tab.wait_text(".linli-selected", f"#{h}")
