"""The measured figures behind the patterns of ODD §1.2 and §9 (the tests assert their bands).

    python -m experiments.analysis.pattern_figures [--seeds 20] [--workers 2]

prints Markdown: one line per pattern with its mean and 95% interval across seeds (paired
differences on common random numbers), and the persistence figures of `baseline` and
`wuchang-2023` quoted in ODD §7.3.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

import numpy as np
import pandas as pd

import scenarios
from model.params import Params

from ..running.runner import run_seeds, window_mean
from ..running.stats import Interval, diff_ci, mean_ci
from .unit_size_curve import CHANNELS_OFF

PERSISTENCE = {  # column, week: what ODD §7.3 quotes
    "reach_13w": ("13-week reach (week 52)", 52),
    "occasions_13w": ("occasions per active household in 13 weeks (week 52)", 52),
    "hours_top10_share": ("share of hours given by the top 10%, weeks 1–52", 52),
    "retention_52w": ("retention, weeks 40–52 → 92–104", 104),
    "ever_participated": ("ever took part by week 104", 104),
}


def scenario(name: str, **overrides) -> Params:
    return scenarios.load(name).params.replace(overrides)


def pct(ci: Interval, digits: int = 1) -> str:
    return (f"{100 * ci.estimate:.{digits}f}% [{100 * ci.low:.{digits}f}, "
            f"{100 * ci.high:.{digits}f}]")


def points(ci: Interval) -> str:
    return f"{100 * ci.estimate:+.2f} points [{100 * ci.low:+.2f}, {100 * ci.high:+.2f}]"


def plain(ci: Interval, digits: int = 2) -> str:
    return f"{ci.estimate:.{digits}f} [{ci.low:.{digits}f}, {ci.high:.{digits}f}]"


def figures(seeds: int, workers: int) -> list[tuple[str, str]]:
    """(pattern id, measured figure) for every pattern of ODD §1.2."""
    run: Callable[..., pd.DataFrame] = lambda p, weeks=104, n=seeds: run_seeds(  # noqa: E731
        p, n, weeks=weeks, workers=workers)
    rate = lambda f, a, b: window_mean(f, "participation_rate", a, b)  # noqa: E731
    base, boards = run(scenario("baseline")), run(scenario("red-list"))
    out = [
        ("T1", "weekly participation, baseline, weeks 40–52: " + pct(mean_ci(rate(base, 40, 52)))),
        ("T2", "13-week reach, baseline, week 52: "
         + pct(mean_ci(window_mean(base, "reach_13w", 52, 52)))),
    ]
    club = run(scenario("interest-groups", structure={"households": 9500,
                                                      "community_size": 9500},
                        groups={"founding_rate": 0.0}), n=10)
    out.append(("T7", "largest group at week 104 (9,500 households, 10 seeds): "
                + plain(mean_ci(window_mean(club, "largest_group", 104, 104)), 0)
                + f"; weeks the cap bound: {int(club['group_cap_weeks'].max())}"))
    riders = run(scenario("baseline", residents={
        "share_conditional": 0, "share_free_rider": 1, "share_hump": 0,
        "share_unconditional": 0}), weeks=12)
    out.append(("V1", "all free riders, weeks 4–12: " + pct(mean_ci(rate(riders, 4, 12)), 2)))
    out.append(("V2", "week 1: " + pct(mean_ci(rate(base, 1, 1))) + "; weeks 1–2 minus 20–30: "
                + points(diff_ci(rate(base, 1, 2), rate(base, 20, 30), paired=True))))
    never = run(scenario("red-list", recognition={"interval": 5000}))
    unseen = run(scenario("red-list", recognition={"visibility": 0.0}))
    out.append(("V3", "red-list − baseline, weeks 40–52: "
                + points(diff_ci(rate(boards, 40, 52), rate(base, 40, 52), paired=True))
                + "; relative: " + pct(mean_ci(rate(boards, 40, 52) / rate(base, 40, 52) - 1))
                + "; never posted: "
                + points(diff_ci(rate(never, 40, 52), rate(base, 40, 52), paired=True))
                + "; seen by nobody: "
                + points(diff_ci(rate(unseen, 40, 52), rate(base, 40, 52), paired=True))))
    small = run(scenario("small-units"), weeks=52)
    small_off = run(scenario("small-units", size_channels=CHANNELS_OFF), weeks=52)
    base_off = run(scenario("baseline", size_channels=CHANNELS_OFF), weeks=52)
    out.append(("V4", "small-units − baseline, weeks 40–52: "
                + points(diff_ci(rate(small, 40, 52), rate(base, 40, 52), paired=True))
                + "; channels off: "
                + points(diff_ci(rate(small_off, 40, 52), rate(base_off, 40, 52),
                                 paired=True))))
    flat = run(scenario("baseline", participation={"beta_habit": 0.0, "intercept": -0.52}))
    out.append(("V5", "retention " + pct(mean_ci(window_mean(base, "retention_52w", 104, 104)))
                + "; top-10% hours share "
                + pct(mean_ci(window_mean(base, "hours_top10_share", 52, 52)))
                + "; habit off at the same level: reach "
                + points(diff_ci(window_mean(flat, "reach_13w", 52, 52),
                                 window_mean(base, "reach_13w", 52, 52), paired=True))
                + ", occasions "
                + plain(mean_ci(window_mean(flat, "occasions_13w", 52, 52)))
                + " vs " + plain(mean_ci(window_mean(base, "occasions_13w", 52, 52)))))
    growth = np.diff(club.pivot(index="week", columns="seed",
                                values="largest_group").mean(axis=1).to_numpy())
    out.append(("V6", f"fastest growth in week {int(np.argmax(growth)) + 2}; "
                f"mean growth first 4 weeks {growth[:4].mean():.2f}, peak "
                f"{growth.max():.1f}, last 10 weeks {growth[-10:].mean():.2f} members/week"))
    return out


def persistence(seeds: int, workers: int) -> pd.DataFrame:
    """The persistence figures of ODD §7.3 for `baseline` and `wuchang-2023`."""
    rows = {}
    for name in ("baseline", "wuchang-2023"):
        frames = run_seeds(scenario(name), seeds, weeks=104, workers=workers)
        rows[name] = {label: plain(mean_ci(window_mean(frames, col, week, week)),
                                   1 if col == "occasions_13w" else 2)
                      for col, (label, week) in PERSISTENCE.items()}
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    for pattern, figure in figures(args.seeds, args.workers):
        print(f"- **{pattern}**: {figure}")
    print()
    table = persistence(args.seeds, args.workers)
    print("| | " + " | ".join(table.columns) + " |")
    print("|---|" + "---|" * len(table.columns))
    for label, row in table.iterrows():
        print(f"| {label} | " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
