"""How fast the trainer app feels: "next week" clicks timed in a real browser, side by side
with the model's own step.

The app is served on 127.0.0.1 only (``trainer.server.serve`` in a subprocess) and driven by
Playwright in headless Debian Chromium at the projector size (1366×768), every request that
would leave the machine blocked. A step is timed inside the page, from the click to the first
painted frame in which the page shows the new week: the header's week counter, every
``[data-week]`` element (maps, charts) and every chart image (if the charts are images) have
all changed. Nothing waits on the clock.

Run from the repository root::

    python -m benchmarks.bench_app               # 20 steps, A/B, red list, play (~1–2 min)
    python -m benchmarks.bench_app --steps 40 --out /tmp/app.json

Rows:

- ``model step``: ``Session.step()`` in this process on the same settings (3,000 households,
  ``wuchang-2023``), no page: the floor a browser step cannot beat;
- ``page, no browser``: the step button's handler in this process (``solara.render`` of the
  page): the model step, the re-render and the widget updates, without websocket or browser;
- ``browser step``: the click-to-painted time described above; below it, the part until the
  last websocket message before the week showed (the server's work and the transfer; the rest
  is the browser's);
- ``after red list``: the first step after "post the red list now" (the board redraws);
- ``A/B step``: both maps and the charts of two runs;
- ``play``: weeks per second actually shown while playing at the speed the slider says.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
VIEWPORT = {"width": 1366, "height": 768}
HOST = "127.0.0.1"
BACKSTOP_MS = 120_000  # only if the page never shows the week (then the run fails)
TARGET_MS = 150.0  # issue 11: per week in the browser at 3,000 households

# Runs in the page: click, then resolve at the first frame painted after the page shows
# ``week``. A MutationObserver and a per-frame check both look; whichever sees it first.
STEP_JS = """
async ([selector, week, backstop]) => {
  const images = () => [...document.querySelectorAll('img.linli-charts, .linli-charts img')];
  const before = new Map(images().map(i => [i, i.src]));
  const counter = document.querySelector('.linli-week');
  const pattern = new RegExp('(^|\\\\D)' + week + '(\\\\D|$)');
  const shows = () => {
    const marked = [...document.querySelectorAll('[data-week]')];
    return counter !== null && pattern.test(counter.textContent)
      && marked.length > 0 && marked.every(e => e.dataset.week === String(week))
      && images().every(i => i.complete && i.naturalWidth > 0 && before.get(i) !== i.src);
  };
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const messages = window.__linliMessages || [];
  let shown = 0;
  const t0 = performance.now();
  document.querySelector(selector).click();
  await new Promise((resolve, reject) => {
    const done = () => {
      if (shows()) { shown = performance.now(); observer.disconnect(); resolve(); return true; }
    };
    const observer = new MutationObserver(done);
    observer.observe(document.body, {subtree: true, childList: true, attributes: true,
                                     characterData: true});
    const tick = () => { if (!done()) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    setTimeout(() => reject(new Error('week ' + week + ' never shown')), backstop);
  });
  await frame();  // the frame with the new week has been painted
  const total = performance.now() - t0;
  const last = messages.filter(t => t > t0 && t <= shown).pop();
  return [total, last === undefined ? null : last - t0];
}
"""

# Runs before the page's own scripts: note when each websocket message arrives, so that a step
# splits into the server's part (click → last message before the week shows) and the
# browser's (that message → painted).
WS_PROBE_JS = """
(() => {
  window.__linliMessages = [];
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    ws.addEventListener('message', () => window.__linliMessages.push(performance.now()));
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, Native);
})();
"""

# Runs in the page: record the time of every change of the week counter for ``ms``.
PLAY_JS = """
async ([ms]) => {
  const seen = [];
  const read = () => {
    const m = document.querySelector('[data-week]');
    const w = m ? Number(m.dataset.week) : NaN;
    if (!seen.length || seen[seen.length - 1][0] !== w) seen.push([w, performance.now()]);
  };
  const observer = new MutationObserver(read);
  observer.observe(document.body, {subtree: true, attributes: true, childList: true});
  read();
  await new Promise(r => setTimeout(r, ms));
  observer.disconnect();
  return seen;
}
"""


def summary(times: list[float]) -> dict[str, float]:
    """Median, 90th percentile, min and max of ``times`` (ms)."""
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {"median": statistics.median(ordered), "p90": p90, "min": ordered[0],
            "max": ordered[-1], "n": len(ordered)}


def model_steps(steps: int) -> list[float]:
    """``Session.step()`` alone, in this process, on the app's default settings (ms)."""
    from trainer.settings import DEFAULT_PRESET, Settings
    from trainer.state import Session

    session = Session.start(Settings.from_preset(DEFAULT_PRESET))
    session.step()  # as in the browser, the first step is not timed
    out = []
    for _ in range(steps):
        t0 = time.perf_counter()
        session.step()
        out.append((time.perf_counter() - t0) * 1e3)
    return out


def page_steps(steps: int) -> list[float]:
    """The page's own work for a week, in this process with no browser: the step button's
    handler, i.e. the model step, the re-render and the widget updates it sends (ms)."""
    import ipyvuetify as v
    import solara

    try:
        from trainer.server import FAST_ENV  # the renderer settings ``linli app`` uses
    except ImportError:
        FAST_ENV = {}
    for key, value in FAST_ENV.items():
        os.environ.setdefault(key, value)
    from trainer import page

    _, rc = solara.render(page.Page(), handle_error=False)
    try:
        button = rc.find(v.Btn, class_="linli-step").widget
        button.click()  # as in the browser, the first step is not timed
        out = []
        for _ in range(steps):
            t0 = time.perf_counter()
            button.click()
            out.append((time.perf_counter() - t0) * 1e3)
        return out
    finally:
        rc.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def app_server(lang: str) -> Iterator[str]:
    """The trainer app on 127.0.0.1 in a subprocess; yields its URL."""
    port = _free_port()
    code = f"from trainer.server import serve; serve({HOST!r}, {port}, {lang!r})"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"the app did not start: {proc.communicate()[1][-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


class Page:
    """One tab on the app (Playwright page) with the actions the benchmark needs."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.server_ms: list[float | None] = []  # click → last message before the week showed

    def week(self) -> int:
        return int(self.page.get_attribute("[data-week]", "data-week"))

    def step(self) -> float:
        """Click "next week"; ms until the next week is painted."""
        total, server = self.page.evaluate(STEP_JS, [".linli-step", self.week() + 1,
                                                     BACKSTOP_MS])
        self.server_ms.append(server)
        return float(total)

    def steps(self, n: int) -> list[float]:
        self.server_ms = []
        return [self.step() for _ in range(n)]

    def click(self, selector: str) -> None:
        self.page.locator(selector).first.click()

    def wait(self, script: str) -> None:
        self.page.wait_for_function(script, timeout=BACKSTOP_MS)

    def play(self, seconds: float, speed: int | None = None) -> dict[str, float]:
        """Press play (at ``speed`` weeks/s if the page offers it), watch the week for
        ``seconds``, pause. Weeks per second and frames (distinct weeks shown) per second
        from the first to the last change seen, and the largest gap between two changes."""
        chooser = self.page.locator(f".linli-speed-{speed}")
        if speed is not None and chooser.count():
            chooser.first.click()
            self.wait(f"() => document.querySelector('.linli-play').dataset.speed === "
                      f"'{speed}'")
        setting = float(self.page.get_attribute(".linli-play", "data-speed") or 2)
        self.click(".linli-play")
        seen = self.page.evaluate(PLAY_JS, [seconds * 1000])
        self.click(".linli-play")
        self.wait("() => !document.querySelector('.linli-step').disabled")
        changes = seen[1:]
        out = {"speed_setting": setting, "weeks_per_s": 0.0, "frames_per_s": 0.0,
               "max_gap_ms": seconds * 1000}
        if len(changes) >= 2:
            span = (changes[-1][1] - changes[0][1]) / 1000
            out.update(weeks_per_s=(changes[-1][0] - changes[0][0]) / span,
                       frames_per_s=(len(changes) - 1) / span,
                       max_gap_ms=max(b[1] - a[1] for a, b in zip(changes, changes[1:],
                                                                 strict=False)))
        return out


@contextmanager
def browser_page(url: str) -> Iterator[Page]:
    """A 1366×768 tab on ``url`` with every request off this machine blocked."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=VIEWPORT)
        context.add_init_script(WS_PROBE_JS)
        page = context.new_page()
        outside: list[str] = []

        def route(r: Any) -> None:
            if urlparse(r.request.url).hostname in {HOST, "localhost"}:
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(url)
        page.wait_for_selector("[data-week]", timeout=BACKSTOP_MS)
        page.wait_for_selector(".linli-step", timeout=BACKSTOP_MS)
        try:
            yield Page(page)
        finally:
            browser.close()
        if outside:
            raise RuntimeError(f"the page tried to reach the internet: {outside}")


def measure(steps: int, lang: str, play_seconds: float) -> dict[str, Any]:
    """Every row of the benchmark."""
    from benchmarks.bench_model import busy_cpus

    results: dict[str, Any] = {"busy_cpus_before": busy_cpus()}
    results["model"] = summary(model_steps(steps))
    results["page"] = summary(page_steps(steps))
    with app_server(lang) as url, browser_page(url) as tab:
        results["first_step_ms"] = tab.step()
        results["browser"] = summary(tab.steps(steps))
        server = [t for t in tab.server_ms if t is not None]
        if server:
            results["server_part"] = summary(server)
        tab.click(".linli-iv-post_red_list")
        tab.wait("() => document.querySelector('.linli-message') !== null")
        results["after_red_list_ms"] = tab.step()
        if play_seconds > 0:
            results["play"] = [tab.play(play_seconds), tab.play(play_seconds, speed=10)]
        tab.click(".linli-ab")
        tab.click(".linli-reset")
        tab.wait("() => document.querySelectorAll('.linli-map-svg').length === 2")
        tab.step()
        results["ab"] = summary(tab.steps(max(5, steps // 2)))
    results["ratio"] = results["browser"]["median"] / max(results["model"]["median"], 1e-9)
    return results


def report(r: dict[str, Any]) -> str:
    def row(name: str, s: dict[str, float]) -> str:
        return (f"{name:<22} {s['n']:>5}  {s['median']:>9.1f}  {s['p90']:>9.1f}  "
                f"{s['min']:>8.1f}  {s['max']:>8.1f}")

    lines = [f"{'':<22} {'steps':>5}  {'median ms':>9}  {'p90 ms':>9}  {'min ms':>8}  "
             f"{'max ms':>8}",
             row("model step (no page)", r["model"]),
             row("page, no browser", r["page"]),
             row("browser step", r["browser"]),
             *([row("  click → last message", r["server_part"])] if "server_part" in r else []),
             row("A/B browser step", r["ab"]),
             "",
             f"first step            {r['first_step_ms']:9.1f} ms",
             f"first after red list  {r['after_red_list_ms']:9.1f} ms",
             f"browser / model       {r['ratio']:9.1f}x (median step)"]
    for p in r.get("play", []):
        lines.append(f"play at {p['speed_setting']:2.0f} weeks/s set  {p['weeks_per_s']:5.2f} "
                     f"weeks/s shown in {p['frames_per_s']:5.2f} frames/s "
                     f"(largest gap {p['max_gap_ms']:.0f} ms)")
    verdict = "met" if r["browser"]["median"] <= TARGET_MS else "not met"
    lines.append(f"target ≤ {TARGET_MS:.0f} ms per week (median): {verdict}")
    busy = r.get("busy_cpus_before")
    if busy is not None and busy > 0.3:
        lines.append(f"note: other processes kept {busy:.1f} CPUs busy before the run")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=20, help="timed steps (default 20)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--play-seconds", type=float, default=5.0,
                        help="how long to watch play (0: skip)")
    parser.add_argument("--out", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        parser.error(f"needs Debian's chromium at {CHROMIUM} (scripts/bootstrap --dev)")
    results = measure(args.steps, args.lang, args.play_seconds)
    results["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count(),
                          "platform": platform.platform()}
    print(report(results))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
