"""Start-up time of the ``linli`` command line, side by side with a bare Python start.

Run from the repository root, with the project's environment::

    python -m benchmarks.bench_startup              # 7 rounds (~30 s)
    python -m benchmarks.bench_startup --rounds 15  # steadier medians on a busy machine

Every row is a fresh process of the installed ``linli`` console script (the real entry
point); the rows take turns, round by round, so a machine that gets busier part-way slows
them alike. Columns: the median and fastest wall time, and the median as a multiple of
``python -c pass`` measured in the same rounds (the ratio is steadier than seconds when other
processes share the CPUs). The target (issue 11) is under 0.5 s for ``--help``, listing
scenarios and argument errors. ``--imports`` adds, per row, the slowest imports by
cumulative time (``python -X importtime``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

LINLI = Path(sys.executable).with_name("linli")
TARGET_SECONDS = 0.5
ROWS: dict[str, list[str]] = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "python -c 'import typer, rich'": [sys.executable, "-c", "import typer, rich.console"],
    "linli --help": [str(LINLI), "--help"],
    "linli run --help": [str(LINLI), "run", "--help"],
    "linli scenarios": [str(LINLI), "scenarios"],
    "linli run baseline --weeks x (argument error)": [str(LINLI), "run", "baseline", "--weeks",
                                                      "x"],
    "linli run no-such-scenario (error)": [str(LINLI), "run", "no-such-scenario"],
}
TARGETS = ("linli --help", "linli scenarios", "linli run baseline --weeks x (argument error)")


def once(command: list[str]) -> float:
    """Wall seconds of one run of ``command`` (its output discarded)."""
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "COLUMNS": "100"}, check=False)
    return time.perf_counter() - start


def slowest_imports(command: list[str], n: int = 5) -> list[tuple[str, float]]:
    """The top-level imports of ``command`` with the largest cumulative time."""
    program = command[1:] if command[0] == sys.executable else [str(LINLI), *command[1:]]
    done = subprocess.run([sys.executable, "-X", "importtime", *program], capture_output=True,
                          text=True, check=False)
    found = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        if cumulative.strip().isdigit() and not name.startswith("  "):  # top level only
            found.append((name.strip(), int(cumulative) / 1e6))
    return sorted(found, key=lambda item: -item[1])[:n]


def busy_cpus(seconds: float = 0.5) -> float | None:
    """CPUs kept busy by other processes over ``seconds`` (Linux /proc/stat)."""
    def sample() -> tuple[int, int]:
        with open("/proc/stat") as f:
            ticks = [int(v) for v in f.readline().split()[1:]]
        return sum(ticks[:8]) - ticks[3] - ticks[4], sum(ticks[:8])

    try:
        busy0, total0 = sample()
        time.sleep(seconds)
        busy1, total1 = sample()
    except (OSError, ValueError, IndexError):
        return None
    return (busy1 - busy0) / max(total1 - total0, 1) * (os.cpu_count() or 1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="runs of every row (default 7)")
    parser.add_argument("--imports", action="store_true",
                        help="also list each row's slowest imports")
    args = parser.parse_args(argv)
    busy = busy_cpus()
    for command in ROWS.values():  # warm the file cache and .pyc files once
        once(command)
    times: dict[str, list[float]] = {name: [] for name in ROWS}
    for _ in range(args.rounds):
        for name, command in ROWS.items():
            times[name].append(once(command))
    base = statistics.median(times["python -c pass (baseline)"])
    print(f"linli start-up, {args.rounds} rounds; Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs, busy before: "
          f"{'?' if busy is None else f'{busy:.1f}'}")
    print(f"{'command':48} {'median s':>9} {'fastest s':>10} {'× python':>9}  target")
    for name, seconds in times.items():
        median = statistics.median(seconds)
        target = ""
        if name in TARGETS:
            target = "ok" if median < TARGET_SECONDS else f"over {TARGET_SECONDS} s"
        print(f"{name:48} {median:9.3f} {min(seconds):10.3f} {median / base:9.1f}  {target}")
        if args.imports and name != "python -c pass (baseline)":
            for module, cumulative in slowest_imports(ROWS[name]):
                print(f"{'':52}{module:32} {cumulative:6.3f} s")


if __name__ == "__main__":
    main()
