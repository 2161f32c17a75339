"""Mechanism patterns and their negative controls (ODD §1.2), declared once, as data.

A **pattern** names the mechanism it exercises and one or more **effects**: an output of a
setting (scenario plus overrides) against a reference, on the same seeds and parameter draws,
with the direction and band the mechanism should produce. Each pattern has one or more
**controls**: the same kind of comparison with the mechanism removed or never triggered, in
which the effect must vanish (or, where said, must not appear). The scorecard runs them
(``experiments.validation.scorecard``); ``tests/test_validation.py`` and
``tests/test_cogovernance.py`` assert the same patterns, and ``tests/test_scorecard.py``
checks that both use the same scenarios and controls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from experiments.analysis.unit_size_curve import CHANNELS_OFF

Text = Mapping[str, str]  # {"en": …, "zh": …}


@dataclass(frozen=True)
class Match:
    """Re-set ``parameter`` (dotted) in each run, between ``low`` and ``high`` from ``start``,
    until the setting's ``level`` output equals the reference's on the same seed and draw
    (within ``tolerance``): a mechanism removed "at the same level", for every parameter
    draw, not only at the defaults."""

    parameter: str
    level: Measure
    start: float
    low: float
    high: float
    tolerance: float = 0.001


@dataclass(frozen=True)
class Measure:
    """One number per run: the mean of ``output`` over ``weeks`` (first, last), or with
    ``growth`` its change per week from the first week to the last. With ``match``, the
    setting is first re-matched to a reference level (``Match``)."""

    scenario: str
    output: str
    weeks: tuple[int, int]
    overrides: Mapping[str, Any] = field(default_factory=dict)
    growth: bool = False
    match: Match | None = None

    def value(self, frame: pd.DataFrame) -> float:
        series = frame.set_index("week")[self.output]
        first, last = self.weeks
        if self.growth:
            return float(series.loc[last] - series.loc[first]) / (last - first)
        return float(series.loc[first:last].mean())


@dataclass(frozen=True)
class Expect:
    """What a comparison's 95% interval must show: ``above`` a value, ``below`` a value,
    ``between`` two values, or ``near_zero`` (inside ±``margin``: the effect vanished)."""

    kind: Literal["above", "below", "between", "near_zero"]
    low: float = float("-inf")
    high: float = float("inf")

    def holds(self, low: float, high: float) -> bool:
        """Whether the interval [low, high] meets the expectation."""
        if self.kind == "above":
            return low > self.low
        if self.kind == "below":
            return high < self.high
        return self.low <= low and high <= self.high


def above(value: float) -> Expect:
    return Expect("above", low=value)


def below(value: float) -> Expect:
    return Expect("below", high=value)


def between(low: float, high: float) -> Expect:
    return Expect("between", low=low, high=high)


def near_zero(margin: float) -> Expect:
    return Expect("near_zero", low=-margin, high=margin)


@dataclass(frozen=True)
class Comparison:
    """``setting`` minus ``reference`` per run (with ``relative``: their ratio minus one),
    and what its 95% interval across runs must show."""

    what: Text
    setting: Measure
    reference: Measure
    expect: Expect
    relative: bool = False

    @property
    def measures(self) -> tuple[Measure, Measure]:
        return self.setting, self.reference

    def value(self, setting: float, reference: float) -> float:
        return setting / reference - 1.0 if self.relative else setting - reference


@dataclass(frozen=True)
class Pattern:
    """A mechanism, its effects and its negative controls, and the tests that assert them."""

    id: str
    title: Text
    mechanism: Text
    effects: tuple[Comparison, ...]
    controls: tuple[Comparison, ...]
    source: str
    tests: tuple[str, ...]  # "tests/<file>.py::<test function>"

    @property
    def comparisons(self) -> tuple[Comparison, ...]:
        return self.effects + self.controls

    def measures(self) -> Iterable[Measure]:
        for comparison in self.comparisons:
            yield from comparison.measures


# --- the patterns ----------------------------------------------------------------------------

PLATEAU = (40, 52)
RATE = "participation_rate"
CLUB = {"structure": {"households": 9500, "community_size": 9500},
        "groups": {"founding_rate": 0.0}}
NO_RECRUITMENT = {**CLUB, "groups": {"founding_rate": 0.0, "contact_rate": 0.0,
                                     "tie_rate": 0.0}}
HABIT_OFF = {"participation": {"beta_habit": 0.0}}
# habit off, the intercept re-set in each run so the weekly level of weeks 40–52 matches
# baseline's (−0.7 at the defaults: tests/test_validation.py MATCHED_INTERCEPT)
REMATCHED = Match("participation.intercept", Measure("baseline", "participation_rate", (40, 52)),
                  start=-0.7, low=-6.0, high=4.0)
NO_COURIERS = {"couriers": {"count": 0}}
TRUST_STILL = {"trust_if_fixed": 0.0, "trust_if_ignored": 0.0, "beta_satisfaction": 0.0}
COUNCILS = {"problems": {"enabled": True}, "councils": {"enabled": True, "interval": 4}}


def _rate(scenario: str, match: Match | None = None, **overrides: Any) -> Measure:
    return Measure(scenario, RATE, PLATEAU, overrides, match=match)


def _club_growth(weeks: tuple[int, int], overrides: Mapping[str, Any] = CLUB) -> Measure:
    return Measure("interest-groups", "largest_group", weeks, overrides, growth=True)


def _couriers(output: str, weeks: tuple[int, int], **couriers: Any) -> Measure:
    return Measure("couriers", output, weeks, {"couriers": couriers} if couriers else {})


def _stations(stations: int, **couriers: Any) -> Measure:
    return _couriers("courier_report_share", (52, 52), stations=stations, **couriers)


def _office(workers: float, moves: bool) -> Measure:
    problems = {"workers_per_1000": workers} | ({} if moves else TRUST_STILL)
    return Measure("couriers", "trust", (52, 52), {**NO_COURIERS, "problems": problems})


def _spaces(scenario_overrides: Mapping[str, Any], **commons: Any) -> Measure:
    overrides = dict(scenario_overrides) | ({"commons": commons} if commons else {})
    return Measure("rotation-duty", "space_quality", PLATEAU, overrides)


def _council(**councils: Any) -> Measure:
    return _spaces({**COUNCILS, "councils": {**COUNCILS["councils"], **councils}})


PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        id="V3",
        title={"en": "A posted recognition board raises participation",
               "zh": "张贴红榜提升参与"},
        mechanism={"en": "the posted board: the listing chance one can see, the glow of being "
                         "listed, thanks, shown participation (ODD §7.4)",
                   "zh": "已张贴的红榜：可见的上榜机会、上榜的荣誉感、致谢、公示的参与情况"},
        effects=(Comparison(
            {"en": "weekly participation, weeks 40–52: red-list against baseline (relative "
                   "change)",
             "zh": "第40–52周每周参与率：红榜情景相对基线的变化（相对值）"},
            _rate("red-list"), _rate("baseline"), between(0.05, 0.40), relative=True),),
        controls=(
            Comparison({"en": "boards switched on but never posted, against baseline",
                        "zh": "启用红榜但从未张贴，与基线比较"},
                       _rate("red-list", recognition={"interval": 5000}), _rate("baseline"),
                       near_zero(0.01)),
            Comparison({"en": "boards posted where nobody sees them (visibility 0), against "
                              "baseline",
                        "zh": "红榜张贴后无人看到（可见度为0），与基线比较"},
                       _rate("red-list", recognition={"visibility": 0.0}), _rate("baseline"),
                       near_zero(0.01)),
        ),
        source="Kosfeld & Neckermann 2011; Gallus 2017",
        tests=("tests/test_validation.py::test_v3_boards_raise_participation_by_a_field_sized_"
               "effect",
               "tests/test_validation.py::test_v3_control_a_board_never_posted_does_nothing",
               "tests/test_validation.py::test_v3_control_a_board_nobody_sees_does_nothing"),
    ),
    Pattern(
        id="V4",
        title={"en": "Small units participate more than grid-sized units",
               "zh": "小邻里的参与高于网格规模的单元"},
        mechanism={"en": "the size channels: seeing within one's unit, the chance of being "
                         "listed, neighbours one knows, a head's reach (ODD §7.2)",
                   "zh": "规模作用的渠道：单元内可见、上榜机会、熟识的邻居、邻里长的覆盖范围"},
        effects=(Comparison(
            {"en": "weekly participation, weeks 40–52: small-units (10–20 households) against "
                   "baseline (100–500)",
             "zh": "第40–52周每周参与率：小邻里（10–20户）与基线（100–500户）之差"},
            _rate("small-units"), _rate("baseline"), above(0.01)),),
        controls=(Comparison(
            {"en": "the same with every size channel switched off",
             "zh": "关闭所有规模渠道后的同一比较"},
            _rate("small-units", size_channels=CHANNELS_OFF),
            _rate("baseline", size_channels=CHANNELS_OFF), near_zero(0.015)),),
        source="Banyuetan report: units of 10–20 households",
        tests=("tests/test_validation.py::test_v4_small_units_participate_more_than_grid_sized_"
               "units",),
    ),
    Pattern(
        id="V5",
        title={"en": "Habit makes a core of regulars", "zh": "参与习惯形成稳定的核心参与者"},
        mechanism={"en": "habit and role identity from taking part (ODD §7.3)",
                   "zh": "参与形成的习惯与角色认同"},
        effects=(Comparison(
            {"en": "households that took part in the 13 weeks to week 52: baseline against "
                   "habit switched off, the weekly level re-matched (the intercept re-set in "
                   "each run; −0.7 at the defaults)",
             "zh": "截至第52周的13周内参与过的住户比例：基线与关闭习惯之差（每次运行重新设定截距"
                   "以保持每周参与水平；默认参数下为−0.7）"},
            Measure("baseline", "reach_13w", (52, 52)),
            Measure("baseline", "reach_13w", (52, 52), HABIT_OFF, match=REMATCHED),
            below(-0.05)),
            Comparison(
            {"en": "weeks taken part in those 13 weeks, per household that took part: baseline "
                   "against habit off, re-matched",
             "zh": "这13周内参与者的平均参与周数：基线与关闭习惯（重新设定截距）之差"},
            Measure("baseline", "occasions_13w", (52, 52)),
            Measure("baseline", "occasions_13w", (52, 52), HABIT_OFF, match=REMATCHED),
            above(0.3)),
        ),
        controls=(Comparison(
            {"en": "habit off, re-matched: the weekly level itself is the same (so the lower "
                   "reach is who takes part, not how many)",
             "zh": "关闭习惯并重新设定截距后，每周参与水平本身不变（参与面较窄源于谁参与，"
                   "而非参与多少）"},
            _rate("baseline", match=REMATCHED, **HABIT_OFF), _rate("baseline"),
            near_zero(0.015)),),
        source="CNCS 2007; Statistics Canada 2010; Mohan & Bulloch 2012; Lally et al. 2010",
        tests=("tests/test_validation.py::test_v5_habit_makes_a_core_of_regulars",),
    ),
    Pattern(
        id="V6",
        title={"en": "A seeded club grows in an S-curve", "zh": "能人发起的兴趣小组呈S形增长"},
        mechanism={"en": "contact and tie recruitment among those with interest and time; "
                         "crowding (ODD §7.5)",
                   "zh": "在有兴趣、有时间的居民中通过接触和邻里关系招募成员；拥挤效应"},
        effects=(
            Comparison({"en": "growth of the largest group, households per week: weeks "
                              "20–60 against weeks 1–5 (slow start)",
                        "zh": "最大小组每周新增成员户数：第20–60周与第1–5周之差（起步慢）"},
                       _club_growth((20, 60)), _club_growth((1, 5)), above(1.0)),
            Comparison({"en": "growth, households per week: weeks 20–60 against weeks "
                              "92–104 (slow end: growth stops by behaviour)",
                        "zh": "每周新增成员户数：第20–60周与第92–104周之差"
                              "（后期放缓：增长因行为而止）"},
                       _club_growth((20, 60)), _club_growth((92, 104)), above(1.0)),
        ),
        controls=(Comparison(
            {"en": "contact and tie recruitment off: weeks 20–60 against weeks 1–5",
             "zh": "关闭接触招募和关系招募：第20–60周与第1–5周之差"},
            _club_growth((20, 60), NO_RECRUITMENT), _club_growth((1, 5), NO_RECRUITMENT),
            near_zero(0.1)),),
        source="Banyuetan report: a running club of 300+",
        tests=("tests/test_validation.py::test_v6_a_seeded_club_grows_in_an_s_curve_and_stops_"
               "by_behaviour",
               "tests/test_validation.py::test_v6_control_no_recruitment_no_growth"),
    ),
    Pattern(
        id="C1",
        title={"en": "Couriers report more problems, and problems are fixed sooner",
               "zh": "快递员让更多问题得到上报、更快解决"},
        mechanism={"en": "couriers' reports (ODD §7.7, §7.8)", "zh": "快递员随手上报"},
        effects=(
            Comparison({"en": "share of problems reported, week 52: couriers against none",
                        "zh": "第52周问题上报率：有快递员与无快递员之差"},
                       _couriers("share_reported", (52, 52)),
                       _couriers("share_reported", (52, 52), count=0), above(0.05)),
            Comparison({"en": "mean weeks to fix, weeks 26–52: couriers against none",
                        "zh": "第26–52周问题平均解决用时：有快递员与无快递员之差"},
                       _couriers("mean_weeks_to_fix", (26, 52)),
                       _couriers("mean_weeks_to_fix", (26, 52), count=0), below(0.0)),
        ),
        controls=(
            Comparison({"en": "couriers who never report (report rate 0): share reported",
                        "zh": "从不上报的快递员（上报概率为0）：问题上报率"},
                       _couriers("share_reported", (52, 52), report_rate=0.0),
                       _couriers("share_reported", (52, 52), count=0), near_zero(0.001)),
            Comparison({"en": "couriers who never report: weeks to fix",
                        "zh": "从不上报的快递员：问题平均解决用时"},
                       _couriers("mean_weeks_to_fix", (26, 52), report_rate=0.0),
                       _couriers("mean_weeks_to_fix", (26, 52), count=0), near_zero(0.01)),
        ),
        source="Banyuetan report: a rider reported a missing manhole cover",
        tests=("tests/test_cogovernance.py::test_couriers_report_more_and_faster",),
    ),
    Pattern(
        id="C2",
        title={"en": "Service stations make couriers report more", "zh": "驿站让快递员上报更多"},
        mechanism={"en": "attachment of couriers to the community through stations (ODD §7.7)",
                   "zh": "驿站增强快递员对社区的归属"},
        effects=(Comparison(
            {"en": "couriers' share of reports, week 52: a station in every grid (10) against "
                   "none",
             "zh": "第52周快递员上报占比：每个网格一处驿站（10处）与无驿站之差"},
            _stations(10), _stations(0), above(0.0)),),
        controls=(Comparison(
            {"en": "the same when attachment does not change reporting (boost 1)",
             "zh": "归属感不改变上报行为（倍数为1）时的同一比较"},
            _stations(10, attached_report_boost=1.0), _stations(0, attached_report_boost=1.0),
            near_zero(0.001)),),
        source="Banyuetan report: 15 service stations",
        tests=("tests/test_cogovernance.py::test_stations_make_couriers_report_more",),
    ),
    Pattern(
        id="C5",
        title={"en": "Rotating duty keeps shared spaces better", "zh": "轮值管护让公共空间更好"},
        mechanism={"en": "rotating duty: turns of upkeep assigned in rotation (ODD §7.10)",
                   "zh": "轮值：按轮次分配的管护班次"},
        effects=(Comparison(
            {"en": "shared-space quality (0–1), weeks 40–52: a duty roster against none",
             "zh": "第40–52周公共空间品质（0–1）：有轮值与无轮值之差"},
            _spaces({}), _spaces({}, rotation=False), above(0.02)),),
        controls=(Comparison(
            {"en": "a roster whose turns give no upkeep and carry no duty: no better than none",
             "zh": "轮值班次既无管护时长也无责任感：不优于无轮值"},
            _spaces({}, duty_hours=0.0, beta_duty=0.0), _spaces({}, rotation=False),
            below(0.005)),),
        source="Banyuetan report: rotation duty at Dushi Taoyuan",
        tests=("tests/test_cogovernance.py::test_rotation_keeps_shared_spaces_better",),
    ),
    Pattern(
        id="C7",
        title={"en": "Ignored reports lower trust", "zh": "上报无人处理会降低信任"},
        mechanism={"en": "trust after fixed and ignored reports (ODD §7.8)",
                   "zh": "问题解决或被忽视后信任的变化"},
        effects=(Comparison(
            {"en": "mean trust, week 52: an office with no capacity against an ample one",
             "zh": "第52周平均信任度：无处理能力的社区办公室与处理能力充足者之差"},
            _office(0.0, moves=True), _office(10.0, moves=True), below(-0.02)),),
        controls=(Comparison(
            {"en": "the same when fixes and ignored reports do not move trust",
             "zh": "问题解决与否都不影响信任时的同一比较"},
            _office(0.0, moves=False), _office(10.0, moves=False), near_zero(0.01)),),
        source="issue 9 point 5 (trust can fall)",
        tests=("tests/test_cogovernance.py::test_ignored_reports_lower_trust",),
    ),
    Pattern(
        id="C8",
        title={"en": "Councils that choose spaces improve them",
               "zh": "议事会选择公共空间后空间品质提升"},
        mechanism={"en": "the council's decision and the shared fund (ODD §7.11)",
                   "zh": "议事会的决定与公共资金"},
        effects=(Comparison(
            {"en": "shared-space quality (0–1), weeks 40–52: councils whose fund pays for "
                   "upkeep against a fund that pays for none",
             "zh": "第40–52周公共空间品质（0–1）：资金用于管护的议事会与资金不支付管护者之差"},
            _council(), _council(fund_hours=0.0), above(0.0)),),
        controls=(Comparison(
            {"en": "a fund that pays for no upkeep, against no councils at all",
             "zh": "不支付管护的资金，与完全没有议事会比较"},
            _council(fund_hours=0.0), _council(enabled=False), near_zero(0.02)),),
        source="Banyuetan report: councils and votes at Huajin",
        tests=("tests/test_cogovernance.py::test_councils_that_choose_spaces_improve_them",),
    ),
)


def select(ids: Iterable[str] | None = None) -> tuple[Pattern, ...]:
    """The patterns with these ids (all by default); unknown ids raise ValueError."""
    if ids is None:
        return PATTERNS
    by_id = {p.id: p for p in PATTERNS}
    wanted = list(dict.fromkeys(ids))
    unknown = [i for i in wanted if i not in by_id]
    if unknown:
        raise ValueError(f"unknown pattern '{unknown[0]}'; patterns: {', '.join(by_id)}")
    return tuple(by_id[i] for i in wanted)
