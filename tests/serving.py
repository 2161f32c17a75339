"""Start an installed ``linli`` web command on 127.0.0.1 for a browser test, and stop it.

Shared by the trainer app's and the classroom's browser tests: a free port, the entry point
in a subprocess with its output in a log file, a wait on the server's state (it answers 200)
bounded by a backstop, and a clean stop (terminate, then kill)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(args: list[str], log: Path, cwd: Path, backstop_s: float) -> Iterator[str]:
    """``linli ARGS --host 127.0.0.1 --port <free port>`` running until the block ends;
    yields its base URL once it answers (fails the test if it never does)."""
    port = free_port()
    linli = Path(sys.executable).with_name("linli")
    with log.open("w") as sink:
        proc = subprocess.Popen([str(linli), *args, "--host", "127.0.0.1", "--port", str(port)],
                                stdout=sink, stderr=subprocess.STDOUT, cwd=cwd,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + backstop_s
        while True:  # the server's state: answering
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"linli {args[0]} did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def chromium() -> Iterator[object]:
    """Headless Debian Chromium through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
