"""Validation: the model reproduces the patterns of ODD §1.2 across many seeds, with CIs.

Every test names the mechanism it exercises and carries a negative control: the mechanism
removed (or never triggered), the pattern must vanish. Each pattern has a role (ODD §9):
``calibration`` targets set a parameter value, and their tests only check that the
calibrated model still sits in the target band — they validate nothing; ``validation``
patterns were never used to set a value. Validation patterns the model does not meet are
kept as strict xfails with the reason, so they are reported, not hidden, and a change that
makes them pass is noticed. Intervals are 95% t-intervals across seeds; paired comparisons
use the same seeds (common random numbers: every submodel draws from its own stream).
"""

from __future__ import annotations

import numpy as np
import pytest

import scenarios
from experiments.analysis.unit_size_curve import CHANNELS_OFF
from experiments.running.runner import run_seeds, window_mean
from experiments.running.stats import diff_ci, equivalent, mean_ci
from model.core import LinliModel
from model.params import Params

pytestmark = pytest.mark.slow

SEEDS = 20


def scenario(name: str, **overrides) -> Params:
    return scenarios.load(name).params.replace(overrides)


def plateau(frames) -> np.ndarray:
    return window_mean(frames, "participation_rate", 40, 52)


@pytest.fixture(scope="module")
def baseline_frames():
    return run_seeds(scenario("baseline"), SEEDS, weeks=104, workers=2)


# --- calibration checks (role: calibration; these validate nothing) ---------------------------

def test_calibration_t1_weekly_participation_of_an_ordinary_community(baseline_frames):
    """T1 (calibrates participation.intercept): baseline weekly participation over weeks
    40–52 within the band derived from CASS 2022 (ODD §9)."""
    assert mean_ci(plateau(baseline_frames)).within(0.08, 0.15)


def test_calibration_t2_quarterly_reach(baseline_frames):
    """T2 (calibrates participation.beta_habit): share of households active in a 13-week
    window (week 52) within the CASS 2022 band (ODD §9)."""
    assert mean_ci(window_mean(baseline_frames, "reach_13w", 52, 52)).within(0.25, 0.45)


def big_community(**groups) -> Params:
    """``interest-groups`` in a community of Bairuijing's size (~9,500 households), one seeded
    club and no spontaneous foundings."""
    return scenario("interest-groups",
                    structure={"households": 9500, "community_size": 9500},
                    groups={"founding_rate": 0.0, **groups})


@pytest.fixture(scope="module")
def club_frames():
    return run_seeds(big_community(), 10, weeks=104, workers=2)


def test_calibration_t7_a_seeded_club_reaches_hundreds(club_frames):
    """T7 (calibrates groups.contact_rate): the running club seeded by one runner grew to
    300+ members (Banyuetan report); here the largest group at week 104, 10 seeds."""
    assert mean_ci(window_mean(club_frames, "largest_group", 104, 104)).low > 150


# --- V1 behavioural types ---------------------------------------------------------------------

def test_v1_free_riders_only_stop_within_weeks():
    """V1 (types, Fischbacher, Gächter & Fehr 2001). Everyone a free rider → participation
    near zero within weeks; control: the default mix participates."""
    riders = {"share_conditional": 0, "share_free_rider": 1, "share_hump": 0,
              "share_unconditional": 0}
    only = run_seeds(scenario("baseline", residents=riders), SEEDS, weeks=12)
    assert mean_ci(window_mean(only, "participation_rate", 4, 12)).high < 0.03
    mixed = run_seeds(scenario("baseline"), SEEDS, weeks=12)
    assert mean_ci(window_mean(mixed, "participation_rate", 4, 12)).low > 0.05


# --- V2 launch and decay ------------------------------------------------------------------

def test_v2_participation_decays_after_the_launch_call(baseline_frames):
    """V2 (conditional cooperation with belief learning; Ledyard 1995): the launch call's
    optimism (belief 0.5) fades — weeks 1–2 above weeks 20–30 by more than 5 points.
    Control: a launch belief equal to what households then see gives no such drop."""
    launch = window_mean(baseline_frames, "participation_rate", 1, 2)
    months = window_mean(baseline_frames, "participation_rate", 20, 30)
    assert diff_ci(launch, months, paired=True).low > 0.05
    settled = mean_ci(months).estimate
    calm = run_seeds(scenario("baseline", participation={"belief_initial": settled}), SEEDS,
                     weeks=30)
    drop = diff_ci(window_mean(calm, "participation_rate", 1, 2),
                   window_mean(calm, "participation_rate", 20, 30), paired=True)
    assert drop.high < 0.03, drop


@pytest.mark.xfail(strict=True, reason="validation target not met: week-1 participation is "
                   "about 25%, below the 30–50% first-round range of public-goods experiments "
                   "(Ledyard 1995); ODD §9")
def test_v2a_launch_in_the_first_round_range(baseline_frames):
    """V2a: week-one participation within 30–50% (Ledyard 1995, discounted for a field call)."""
    assert mean_ci(window_mean(baseline_frames, "participation_rate", 1, 1)).within(0.3, 0.5)


# --- V3 recognition boards ------------------------------------------------------------------

@pytest.fixture(scope="module")
def board_frames():
    return run_seeds(scenario("red-list"), SEEDS, weeks=104, workers=2)


def test_v3_boards_raise_participation_by_a_field_sized_effect(baseline_frames, board_frames):
    """V3 (recognition through the posted board, ODD §7.4): `red-list` raises participation
    over weeks 40–52 by a relative effect within the range of field experiments on
    recognition (+12%: Kosfeld & Neckermann 2011; +20%: Gallus 2017): 5–40%."""
    gain = diff_ci(plateau(board_frames), plateau(baseline_frames), paired=True)
    assert gain.low > 0
    relative = mean_ci(plateau(board_frames) / plateau(baseline_frames) - 1)
    assert relative.within(0.05, 0.40), relative


def test_v3_control_a_board_never_posted_does_nothing(baseline_frames):
    """V3 control: boards enabled but never posted (the first posting after the run) → no
    difference from `baseline`: the 95% interval contains 0 and lies within ±1 point."""
    never = run_seeds(scenario("red-list", recognition={"interval": 5000}), SEEDS, weeks=104,
                      workers=2)
    for first, last in ((1, 1), (40, 52), (92, 104)):
        diff = diff_ci(window_mean(never, "participation_rate", first, last),
                       window_mean(baseline_frames, "participation_rate", first, last),
                       paired=True)
        assert diff.low <= 0 <= diff.high and diff.within(-0.01, 0.01), (first, diff)


def test_v3_control_a_board_nobody_sees_does_nothing(baseline_frames):
    """V3 control: boards posted but seen by no one (`recognition.visibility = 0`) → no
    effect: the 95% interval of the difference contains 0, within ±1 point."""
    unseen = run_seeds(scenario("red-list", recognition={"visibility": 0.0}), SEEDS, weeks=104,
                       workers=2)
    diff = diff_ci(plateau(unseen), plateau(baseline_frames), paired=True)
    assert diff.low <= 0 <= diff.high and diff.within(-0.01, 0.01), diff


def test_v3_boards_act_only_after_the_first_posting(baseline_frames, board_frames):
    """V3: nothing before the first board (end of week 4): weeks 1–4 identical to
    `baseline`; an announcement at the launch call (`recognition.announce`) starts the
    listing motive in week 1."""
    for week in range(1, 5):
        assert np.array_equal(window_mean(board_frames, "participation_rate", week, week),
                              window_mean(baseline_frames, "participation_rate", week, week))
    announced = run_seeds(scenario("red-list", recognition={"announce": True}), SEEDS, weeks=4)
    early = diff_ci(window_mean(announced, "participation_rate", 1, 4),
                    window_mean(baseline_frames, "participation_rate", 1, 4), paired=True)
    assert early.low > 0, early


# --- V4 unit size -----------------------------------------------------------------------------

def by_size(name: str, sizes: tuple[int, ...], channels: bool, seeds: int = SEEDS):
    """Participation over weeks 40–52 per seed, per unit size (same buildings)."""
    overrides = {} if channels else {"size_channels": CHANNELS_OFF}
    return {size: plateau(run_seeds(scenario(name, structure={"unit_size": size},
                                             **overrides), seeds, weeks=52, workers=2))
            for size in sizes}


def test_v4_small_units_participate_more_than_grid_sized_units():
    """V4 (the size channels, ODD §7.2; Banyuetan report: units of 10–20 households make
    neighbours know each other and let one head reach everyone): `small-units` above
    `baseline` (units of 100–500) over weeks 40–52. Control: with the channels off the two
    layouts participate alike (90% interval within ±1.5 points)."""
    small = plateau(run_seeds(scenario("small-units"), SEEDS, weeks=52, workers=2))
    big = plateau(run_seeds(scenario("baseline"), SEEDS, weeks=52, workers=2))
    assert diff_ci(small, big, paired=True).low > 0.01
    off = {"size_channels": CHANNELS_OFF}
    small_off = plateau(run_seeds(scenario("small-units", **off), SEEDS, weeks=52, workers=2))
    big_off = plateau(run_seeds(scenario("baseline", **off), SEEDS, weeks=52, workers=2))
    same, ci = equivalent(small_off, big_off, margin=0.015, paired=True)
    assert same, ci


def test_v4_the_curve_is_flat_with_the_social_channels_off():
    """V4 control: with every size channel off, units of 1 to 400 households participate
    alike (each size against units of 15: 90% interval within ±1.5 points) — in `baseline`
    exactly, and in `wuchang-2023`, where the 里, grid, board and council scopes are still
    packed from units (ODD §7.2 lists these remaining dependences)."""
    for name, sizes in (("baseline", (1, 2, 5, 100, 400)), ("wuchang-2023", (1, 2, 5, 100, 400))):
        curve = by_size(name, (15, *sizes), channels=False, seeds=12)
        for size in sizes:
            same, ci = equivalent(curve[size], curve[15], margin=0.015, paired=True)
            assert same, (name, size, ci)


def test_v4_over_splitting_costs_participation():
    """V4 (the finite pool of heads and a unit's own audience, ODD §7.2, §7.6): in
    `wuchang-2023`, units of 2 participate less than units of 15 — a unit of two has one
    neighbour to see and be seen by and needs a head for every two households. Control:
    with the channels off the gap closes (±1.5 points at 5 vs 15, tested above)."""
    curve = by_size("wuchang-2023", (2, 15), channels=True, seeds=12)
    assert diff_ci(curve[15], curve[2], paired=True).low > 0.02


# --- V5 persistence ---------------------------------------------------------------------------

MATCHED_INTERCEPT = -0.52  # habit off, intercept re-set so the weekly level matches baseline


def test_v5_a_year_on_most_regulars_still_take_part(baseline_frames):
    """V5 (stable differences between households — type, civic motivation, time — and habit,
    ODD §7.3): of the households active in weeks 40–52, 55–80% are active again in weeks
    92–104 (annual retention of volunteers about two thirds: CNCS 2007, widened for 13-week
    windows)."""
    assert mean_ci(window_mean(baseline_frames, "retention_52w", 104, 104)).within(0.55, 0.80)


def test_v5_a_civic_core_gives_most_of_the_hours(baseline_frames):
    """V5 (habit; time budgets): the top 10% of households give 55–85% of the hours of
    weeks 1–52 (Canada 2010: the top 10% of volunteers gave 53% of hours; England: a third of
    adults give 90% — Mohan & Bulloch 2012)."""
    assert mean_ci(window_mean(baseline_frames, "hours_top10_share", 52, 52)).within(0.55, 0.85)


def test_v5_habit_makes_a_core_of_regulars(baseline_frames):
    """V5 (habit, ODD §7.3): participation is concentrated in regulars — at the same weekly
    level, fewer households take part in a quarter, each more often. Control: habit off
    (`beta_habit = 0`, the intercept re-set so the weekly level stays within 1.5 points) →
    13-week reach rises by more than 5 points and occasions per active household fall."""
    flat = run_seeds(scenario("baseline", participation={
        "beta_habit": 0.0, "intercept": MATCHED_INTERCEPT}), SEEDS, weeks=104, workers=2)
    same_level, level = equivalent(plateau(flat), plateau(baseline_frames), margin=0.015)
    assert same_level, f"re-match MATCHED_INTERCEPT: level difference {level}"
    reach = diff_ci(window_mean(flat, "reach_13w", 52, 52),
                    window_mean(baseline_frames, "reach_13w", 52, 52), paired=True)
    assert reach.low > 0.05, reach
    occasions = diff_ci(window_mean(baseline_frames, "occasions_13w", 52, 52),
                        window_mean(flat, "occasions_13w", 52, 52), paired=True)
    assert occasions.low > 0.3, occasions


# --- V6 interest groups -------------------------------------------------------------------

def test_v6_a_seeded_club_grows_in_an_s_curve_and_stops_by_behaviour(club_frames):
    """V6 (contact and tie recruitment among those with interest and time; crowding, ODD
    §7.5): growth slow at first, fastest in between, slow at the end; the safety cap never
    binds and the club stops well short of everyone who shares the interest."""
    members = club_frames.pivot(index="week", columns="seed", values="largest_group")
    growth = np.diff(members.mean(axis=1).to_numpy())
    peak = int(np.argmax(growth))
    assert 8 < peak < 90, peak
    assert growth[:4].mean() < growth[peak] / 3
    assert growth[-10:].mean() < growth[peak] / 3
    assert (club_frames["group_cap_weeks"] == 0).all()
    same_interest = 9500 / scenario("baseline").residents.interests
    assert members.iloc[-1].max() < 0.7 * same_interest


def test_v6_control_no_recruitment_no_growth():
    """V6 control: with contact and tie recruitment off the club stays its founder."""
    frames = run_seeds(big_community(contact_rate=0.0, tie_rate=0.0), 5, weeks=52)
    assert (frames["largest_group"] <= 1).all()


def member_gap(params: Params, seeds: int = SEEDS) -> list[float]:
    """Per seed: weeks 1–78 taken part, members minus non-members of the same behavioural
    type, tenure and time-budget tercile (mean over strata with ≥ 5 of each)."""
    gaps = []
    for seed in range(seeds):
        model = LinliModel(params, rng=seed, agents=False)
        model.run_for(78)
        pop = model.pop
        member = pop.group >= 0
        budget = np.digitize(pop.time_budget, np.quantile(pop.time_budget, [1 / 3, 2 / 3]))
        strata = []
        for key in np.unique(pop.btype * 10 + pop.recent * 3 + budget):
            stratum = (pop.btype * 10 + pop.recent * 3 + budget) == key
            m, n = member & stratum, ~member & stratum
            if m.sum() >= 5 and n.sum() >= 5:
                strata.append(pop.weeks_active[m].mean() - pop.weeks_active[n].mean())
        if strata:
            gaps.append(float(np.mean(strata)))
    return gaps


def test_v7_members_take_part_more_than_comparable_non_members():
    """V7 (belonging and volunteer teams, ODD §7.5): members take part in more weeks than
    non-members of the same type, tenure and time budget. Control: with belonging worth
    nothing (`beta_member = beta_team = 0`) the gap is much smaller."""
    params = big_community()
    with_belonging = member_gap(params, 10)
    without = member_gap(params.replace({"groups": {"beta_member": 0.0, "beta_team": 0.0}}),
                         10)
    assert mean_ci(with_belonging).low > 1.0
    assert diff_ci(with_belonging, without, paired=True).low > 1.0


# --- V8 reproducibility -------------------------------------------------------------------

def test_v8_same_seed_same_frame_on_any_number_of_processes():
    """V8: each seed's frame is identical when rerun on 1 and 2 processes; different seeds
    differ."""
    params = scenario("wuchang-2023", structure={"households": 800})
    first = run_seeds(params, 5, weeks=20)
    again = run_seeds(params, 5, weeks=20, workers=2)
    assert first.equals(again)
    by_seed = [f.drop(columns="seed").to_numpy() for _, f in first.groupby("seed")]
    assert not any(np.array_equal(by_seed[0], other) for other in by_seed[1:])
