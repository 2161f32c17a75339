"""The participation curve over unit sizes (ODD §7.2): the same households and buildings cut
into units of 1 … 400, many seeds, with the size channels on and off.

    python -m experiments.analysis.unit_size_curve [--seeds 20] [--weeks 52] [--workers 2]

prints a Markdown table (mean of weekly participation over weeks 40–52, with its 95%
interval across seeds) for ``baseline`` and ``wuchang-2023``; ``docs/ODD.md`` quotes it.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable

import pandas as pd

import scenarios
from model.params import Params

from ..running.runner import run_seeds, window_mean
from ..running.stats import mean_ci

SIZES = (1, 2, 3, 5, 8, 10, 15, 20, 30, 50, 100, 200, 400)
CHANNELS_OFF = {"visibility": False, "recognition_chance": False, "acquaintance_pool": False,
                "head_span": False}


def sized(scenario: str, size: int, channels: bool) -> Params:
    """``scenario`` with fixed units of ``size`` households (channels on or all off)."""
    overrides: dict = {"structure": {"unit_size": size}}
    if not channels:
        overrides["size_channels"] = CHANNELS_OFF
    return scenarios.load(scenario).params.replace(overrides)


def curve(scenario: str, channels: bool, seeds: int, weeks: int, workers: int,
          sizes: Iterable[int] = SIZES, first: int = 40) -> pd.DataFrame:
    """One row per unit size: mean participation over weeks ``first``–``weeks`` with its
    95% interval across seeds, and the mean neighbour-head coverage at the end."""
    rows = []
    for size in sizes:
        frames = run_seeds(sized(scenario, size, channels), seeds, weeks=weeks,
                           workers=workers)
        ci = mean_ci(window_mean(frames, "participation_rate", first, weeks))
        coverage = window_mean(frames, "neighbour_head_coverage", weeks, weeks).mean()
        rows.append({"scenario": scenario, "channels": "on" if channels else "off",
                     "unit_size": size, "participation": ci.estimate, "low": ci.low,
                     "high": ci.high, "head_coverage": coverage})
    return pd.DataFrame(rows)


def markdown(table: pd.DataFrame) -> str:
    """Sizes as rows, one column per (scenario, channels): ``mean [low, high]`` in %."""
    cells = table.assign(cell=[f"{100 * m:.1f} [{100 * lo:.1f}, {100 * hi:.1f}]"
                               for m, lo, hi in zip(table.participation, table.low,
                                                    table.high, strict=True)])
    wide = cells.pivot(index="unit_size", columns=["scenario", "channels"], values="cell")
    header = ["unit size", *(f"{s}, channels {c}" for s, c in wide.columns)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for size, row in wide.iterrows():
        lines.append("| " + " | ".join([str(size), *row.tolist()]) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    table = pd.concat([curve(name, channels, args.seeds, args.weeks, args.workers)
                       for name in ("baseline", "wuchang-2023") for channels in (True, False)])
    print(markdown(table))


if __name__ == "__main__":
    main()
