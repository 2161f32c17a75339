"""Running the real ``linli`` entry point (the installed console script) in a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

LINLI = Path(sys.executable).with_name("linli")
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Ran:
    """What a ``linli`` call printed and returned, and how long it took."""

    code: int
    out: str
    err: str
    seconds: float

    @property
    def text(self) -> str:
        return self.out + self.err

    @property
    def flat(self) -> str:
        """Everything printed, without whitespace (Rich's wrapping cannot split a match)."""
        return "".join(self.text.split())


def linli(*args: object, cwd: Path | None = None, columns: int = 100, timeout: float = 300,
          env: dict[str, str] | None = None, prefix: list[str] | None = None) -> Ran:
    """``linli ARGS`` in ``cwd`` (default: the repository), ``columns`` wide."""
    environment = {**os.environ, "COLUMNS": str(columns), "LINES": "50", **(env or {})}
    environment.pop("FORCE_COLOR", None)
    start = time.perf_counter()
    done = subprocess.run([*(prefix or []), str(LINLI), *map(str, args)], cwd=cwd or ROOT,
                          capture_output=True, text=True, timeout=timeout, env=environment)
    return Ran(done.returncode, done.stdout, done.stderr, time.perf_counter() - start)


def unprivileged() -> list[str] | None:
    """A command prefix under which file permissions hold even for root (setpriv without
    the capabilities that override them); [] when not root; None if there is no way."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        return None
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", "--bounding-set", caps, "--inh-caps", caps]


def clean(ran: Ran) -> None:
    """An error is one line (plus what Typer adds), exit code 2, never a traceback."""
    assert ran.code == 2, ran.text
    assert "Traceback" not in ran.text, ran.text
    assert "error" in ran.err.lower(), ran.text
