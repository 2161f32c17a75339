"""The validation scorecard (experiments/validation): declared patterns agree with the tests,
expectations, measures, runs, the posterior, and the documents it writes."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import scenarios
from experiments.calibration.targets import load as load_targets
from experiments.validation import patterns as patterns_lib
from experiments.validation import render, runs
from experiments.validation.patterns import (
    PATTERNS,
    Comparison,
    Measure,
    Pattern,
    above,
    below,
    between,
    near_zero,
)
from experiments.validation.posterior import PosteriorError
from experiments.validation.posterior import load as load_posterior
from experiments.validation.scorecard import score, summarise_target
from model.params import Params

ROOT = Path(__file__).resolve().parent.parent


# --- the declared patterns agree with the tests ------------------------------------------------

def leaves(overrides: Mapping, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...],
                                                                             object]]:
    """(path, value) of every leaf of nested overrides."""
    for key, value in overrides.items():
        if isinstance(value, Mapping):
            yield from leaves(value, (*path, key))
        else:
            yield (*path, key), value


class Source:
    """What a test says: its strings, keyword names and numbers, with those of the helpers,
    fixtures and module constants it uses (followed three calls deep)."""

    def __init__(self, nodeid: str) -> None:
        file, name = nodeid.split("::")
        module = importlib.import_module(Path(file).stem)
        self.strings: set[str] = set()
        self.numbers: set[object] = set()
        self._seen: set[str] = set()
        self._read(module, name, depth=3)

    def _read(self, module, name: str, depth: int) -> None:
        if name in self._seen or not hasattr(module, name):
            return
        self._seen.add(name)
        value = getattr(module, name)
        if not callable(value):
            self._constant(value)
            return
        if getattr(value, "__module__", None) != module.__name__ or depth == 0:
            return
        tree = ast.parse(textwrap.dedent(inspect.getsource(value)))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                self.strings.add(node.value)
            elif isinstance(node, ast.Constant):
                self.numbers.add(node.value)
            elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) \
                    and isinstance(node.operand, ast.Constant):
                self.numbers.add(-node.operand.value)
            elif isinstance(node, ast.keyword) and node.arg:
                self.strings.add(node.arg)
            elif isinstance(node, ast.arg):
                self._read(module, node.arg, depth - 1)  # fixtures
            elif isinstance(node, ast.Name):
                self._read(module, node.id, depth - 1)

    def _constant(self, value: object) -> None:
        if isinstance(value, Mapping):
            for path, leaf in leaves(value):
                self.strings.update(path)
                self.numbers.add(leaf)
        elif isinstance(value, int | float):
            self.numbers.add(value)


def disagreements(pattern: Pattern) -> list[str]:
    """What the pattern declares that its tests do not use: scenarios, outputs, override
    names and values, the parameter a control re-matches."""
    said = [Source(nodeid) for nodeid in pattern.tests]
    strings = set().union(*(s.strings for s in said))
    numbers = set().union(*(s.numbers for s in said))
    missing = []
    for m in pattern.measures():
        missing += [f"scenario {m.scenario}"] * (m.scenario not in strings)
        missing += [f"output {m.output}"] * (m.output not in strings)
        for path, value in leaves(m.overrides):
            missing += [f"override {'.'.join(path)}"] * (path[-1] not in strings)
            missing += [f"value {'.'.join(path)} = {value}"] * (value not in numbers)
        if m.match is not None:
            missing += [f"re-matched {m.match.parameter}"] * (
                m.match.parameter.split(".")[1] not in strings and m.match.start not in numbers)
    return sorted(set(missing))


@pytest.mark.parametrize("pattern", PATTERNS, ids=[p.id for p in PATTERNS])
def test_declared_patterns_use_the_scenarios_and_controls_of_their_tests(pattern):
    assert pattern.tests
    assert not disagreements(pattern), (pattern.id, disagreements(pattern))


def test_the_agreement_check_notices_a_control_the_tests_do_not_use():
    v3 = patterns_lib.select(["V3"])[0]
    control = v3.controls[0]
    odd = replace(control, setting=replace(control.setting,
                                           overrides={"recognition": {"slots": 77}}))
    changed = replace(v3, controls=(odd, *v3.controls[1:]))
    assert disagreements(changed) == ["override recognition.slots",
                                      "value recognition.slots = 77"]


def test_patterns_cover_the_mechanisms_of_the_brief():
    ids = [p.id for p in PATTERNS]
    assert len(set(ids)) == len(ids)
    assert {"V3", "V4", "V5", "V6", "C1", "C2", "C5", "C8"} <= set(ids)
    assert len(patterns_lib.select(["V3"])[0].controls) == 2  # never posted, seen by nobody
    for p in PATTERNS:
        assert p.effects and p.controls, p.id
        assert {"en", "zh"} <= set(p.title) and {"en", "zh"} <= set(p.mechanism), p.id
        for c in p.comparisons:
            assert {"en", "zh"} <= set(c.what), p.id


def test_every_measure_is_a_valid_setting_with_a_real_output(small_model):
    small_model.step()
    columns = set(small_model.frame.columns)
    for p in PATTERNS:
        for m in p.measures():
            assert m.scenario in scenarios.available(), (p.id, m.scenario)
            assert isinstance(runs.measure_params(m, {}), Params)
            assert m.output in columns, (p.id, m.output)
            assert 1 <= m.weeks[0] <= m.weeks[1] <= 104, (p.id, m.weeks)


def test_unknown_patterns_are_named():
    with pytest.raises(ValueError, match="unknown pattern 'V99'; patterns: V3"):
        patterns_lib.select(["V3", "V99"])


# --- expectations, measures, comparisons --------------------------------------------------------

def test_expectations_judge_the_whole_interval():
    assert above(0.01).holds(0.011, 0.5) and not above(0.01).holds(0.01, 0.5)
    assert below(0.0).holds(-0.3, -0.001) and not below(0.0).holds(-0.3, 0.001)
    assert between(0.05, 0.4).holds(0.05, 0.4) and not between(0.05, 0.4).holds(0.04, 0.2)
    assert near_zero(0.01).holds(-0.01, 0.0) and not near_zero(0.01).holds(-0.002, 0.011)
    assert near_zero(0.01).holds(0.0, 0.0)


def test_measures_read_a_window_or_a_growth_per_week():
    frame = pd.DataFrame({"week": [1, 2, 3, 4, 5], "x": [0.0, 1.0, 2.0, 4.0, 8.0]})
    assert Measure("baseline", "x", (2, 4)).value(frame) == pytest.approx(7 / 3)
    assert Measure("baseline", "x", (1, 5), growth=True).value(frame) == pytest.approx(2.0)
    comparison = Comparison({}, Measure("a", "x", (1, 1)), Measure("b", "x", (1, 1)),
                            above(0), relative=True)
    assert comparison.value(1.2, 1.0) == pytest.approx(0.2)
    assert replace(comparison, relative=False).value(1.2, 1.0) == pytest.approx(0.2)
    assert replace(comparison, relative=False).value(3.0, 1.0) == 2.0


def test_pattern_overrides_win_over_a_parameter_draw_and_target_draws_over_overrides():
    theta = {"recognition.visibility": 0.9, "participation.intercept": -1.0}
    unseen = Measure("red-list", "participation_rate", (40, 52),
                     {"recognition": {"visibility": 0.0}})
    params = runs.measure_params(unseen, theta)
    assert params.recognition.visibility == 0.0  # the control stays a control
    assert params.participation.intercept == -1.0  # the draw reaches the rest
    from experiments.calibration.simulate import setting_params
    from experiments.calibration.targets import Setting

    drawn = setting_params(Setting(scenario="red-list",
                                   overrides={"recognition": {"visibility": 0.0}}), theta)
    assert drawn.recognition.visibility == 0.9  # as the calibration computed its targets


def test_replicates_cross_draws_with_the_same_seeds():
    assert [(r.draw, r.seed) for r in runs.replicates(3, None)] == [(None, 0), (None, 1),
                                                                    (None, 2)]
    crossed = runs.replicates(2, [{"a.b": 1.0}, {"a.b": 2.0}])
    assert [(r.draw, r.seed, r.theta["a.b"]) for r in crossed] == [
        (0, 0, 1.0), (0, 1, 1.0), (1, 0, 2.0), (1, 1, 2.0)]


@pytest.mark.parametrize("theta", [{}, {"participation.intercept": -1.1,
                                        "participation.beta_habit": 3.0}])
def test_habit_off_is_rematched_to_the_weekly_level_of_each_run(theta):
    """V5's reference removes habit at the same weekly level for any draw, not only at the
    defaults (where the intercept would be about −0.52)."""
    v5 = patterns_lib.select(["V5"])[0]
    measure = v5.effects[0].reference
    done = runs._Runs(seed=3)
    matched = runs.rematch(done, measure, theta)
    assert matched.participation.beta_habit == 0.0
    level = measure.match.level
    reference = done.need(runs.measure_params(level, theta), level.weeks[1])
    again = done.need(matched, level.weeks[1])
    done.run()
    assert abs(done.value(level, again) - done.value(level, reference)) <= 0.001
    if not theta:
        assert matched.participation.intercept == pytest.approx(-0.52, abs=0.15)
    else:
        assert matched.participation.intercept > -0.5  # more habit to replace


# --- the posterior ------------------------------------------------------------------------------

def write_posterior(directory: Path, particles: dict[str, list[float]],
                    weights: list[float], **info: object) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({**particles, "weight": weights}).to_parquet(directory / "posterior.parquet")
    data = {"spec": "test", "targets": ["weekly-participation"], "fitted": {},
            "fixed": {"participation.beta_trust": 1.2}, "simulations": 1, "generations": 1,
            "epsilon": 0.1} | info
    (directory / "posterior.json").write_text(json.dumps(data), encoding="utf-8")
    return directory


def test_posterior_draws_follow_the_weights_and_add_the_fixed(tmp_path):
    post = load_posterior(write_posterior(tmp_path / "p", {
        "participation.intercept": [-2.0, -1.0, -1.5]}, [0.0, 3.0, 1.0]))
    draws = post.draws(400, seed=5)
    values = np.array([d["participation.intercept"] for d in draws])
    assert set(values) <= {-1.0, -1.5} and -2.0 not in values  # weight 0: never drawn
    assert 0.65 < np.mean(values == -1.0) < 0.85  # weight 3 of 4
    assert all(d["participation.beta_trust"] == 1.2 for d in draws)
    assert post.draws(10, seed=5) == post.draws(10, seed=5)


@pytest.mark.parametrize(("damage", "message"), [
    ("missing", "does not exist"),
    ("file", "is not a directory"),
    ("no-json", "holds no posterior.json"),
    ("bad-json", "cannot read"),
    ("no-parquet", "holds no posterior.parquet"),
    ("bad-parquet", "cannot read"),
    ("no-weight", "no 'weight' column"),
    ("zero-weights", "weights must be"),
    ("unknown-parameter", "'participation.nonsense' is not a model parameter"),
    ("nan-value", "missing or infinite"),
    ("bad-fixed", "'fixed' must map"),
])
def test_a_damaged_posterior_is_named(tmp_path, damage, message):
    good = write_posterior(tmp_path / "p", {"participation.intercept": [-1.0, -1.2]},
                           [1.0, 1.0])
    target = good
    if damage == "missing":
        target = tmp_path / "nowhere"
    elif damage == "file":
        target = good / "posterior.json"
    elif damage == "no-json":
        (good / "posterior.json").unlink()
    elif damage == "bad-json":
        (good / "posterior.json").write_text("{not json", encoding="utf-8")
    elif damage == "no-parquet":
        (good / "posterior.parquet").unlink()
    elif damage == "bad-parquet":
        (good / "posterior.parquet").write_bytes(b"PAR1 truncated")
    elif damage == "no-weight":
        pd.DataFrame({"participation.intercept": [-1.0]}).to_parquet(good / "posterior.parquet")
    elif damage == "zero-weights":
        write_posterior(good, {"participation.intercept": [-1.0]}, [0.0])
    elif damage == "unknown-parameter":
        write_posterior(good, {"participation.nonsense": [1.0]}, [1.0])
    elif damage == "nan-value":
        write_posterior(good, {"participation.intercept": [float("nan")]}, [1.0])
    elif damage == "bad-fixed":
        write_posterior(good, {"participation.intercept": [-1.0]}, [1.0],
                        fixed={"participation.beta_trust": "high"})
    with pytest.raises(PosteriorError, match=message.replace("(", r"\(")):
        load_posterior(target)


# --- targets -------------------------------------------------------------------------------------

def test_a_target_passes_when_the_middle_90_percent_overlaps_the_observed_range():
    target = load_targets()["launch"]  # observed 25–60%
    inside = summarise_target(target, np.linspace(0.20, 0.26, 21), fitted=False)
    assert inside.low == pytest.approx(0.203) and inside.high == pytest.approx(0.257)
    assert inside.passes and inside.role == "validate"
    below_range = summarise_target(target, np.linspace(0.20, 0.2525, 21), fitted=False)
    assert below_range.high < 0.25 and not below_range.passes
    nothing = summarise_target(target, np.array([np.nan, np.nan]), fitted=False)
    assert nothing.passes is None
    assert summarise_target(target, np.ones(3) * 0.3, fitted=True).role == "calibrate"


# --- a small scorecard, end to end ---------------------------------------------------------------

@pytest.fixture(scope="module")
def small_card():
    library = load_targets().select(["launch", "weekly-participation"])
    return score(library, patterns_lib.select(["V3"]), seeds=3)


def test_small_scorecard_measures_targets_and_patterns(small_card):
    launch, weekly = sorted(small_card.targets, key=lambda r: r.target.id)
    assert weekly.role == "calibrate" and launch.role == "validate"
    assert len(launch.values) == 3 and 0.15 < launch.median < 0.35
    effect, never, unseen = small_card.checks
    assert effect.part == "effect" and effect.interval.low > 0.05 and effect.passes
    for control in (never, unseen):  # the board that acts through nothing: identical runs
        assert control.part == "control" and control.passes
        assert control.interval.low == control.interval.high == 0.0
        assert control.met == control.runs == 3


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_documents_say_what_the_numbers_are(small_card, lang):
    blocks = render.document(small_card, lang, "linli validate --lang " + lang,
                             {"linli": "0.1.0"})
    text = render.markdown(blocks)
    lead_en, lead_zh = render.lead(small_card, "en"), render.lead(small_card, "zh")
    assert lead_en in text and lead_zh in text  # the first paragraph, in both languages
    assert "not measurements" in lead_en and "不是实地测量" in lead_zh
    assert "3 runs with different random seeds" in lead_en and "chance alone" in lead_en
    assert "participation.intercept" in lead_en and "assumed" in lead_en
    assert "linli validate --lang " + lang in text
    page = render.html_page(blocks, lang)
    assert "<script" not in page and "http" not in page.replace("http-equiv", "")
    assert "<link" not in page and "src=" not in page


def test_a_missed_validation_target_is_listed_with_what_it_means(small_card):
    launch = next(r for r in small_card.targets if r.target.id == "launch")
    missed = replace(launch, values=np.full(3, 0.1), median=0.1, low=0.1, high=0.1)
    card = replace(small_card, targets=[missed if r is launch else r
                                        for r in small_card.targets])
    text = render.markdown(render.summary(card, "en"))
    assert "never used to tune the model" in text
    assert "- launch (A launch call draws many at first): the model gives 10.0% [10.0, 10.0], " \
           "observed 40.0% [25.0, 60.0]. Why: The launch call" in text
    assert "0 of 1 validation targets pass" in text


def test_reasons_explain_validation_targets_only():
    from experiments.validation.reasons import REASONS

    roles = {t.id: t.role for t in load_targets()}
    for target_id, text in REASONS.items():
        assert roles[target_id] == "validate", target_id
        assert {"en", "zh"} <= set(text), target_id


def test_markdown_tables_escape_pipes_and_mark_failures():
    table = render.Table(["a", "b"], [[render.Cell("x|y"), render.Cell("FAIL", "fail")]])
    text = render.markdown([render.Block("table", table=table)])
    assert text.splitlines() == ["| a | b |", "|---|---|", "| x\\|y | **FAIL** |"]


def test_csv_keeps_english_ids_under_headers_in_the_language(small_card):
    en, zh = render.csv_table(small_card, "en"), render.csv_table(small_card, "zh")
    assert list(en["id"]) == list(zh["代码"]) == ["weekly-participation", "launch", "V3", "V3",
                                                 "V3"]
    assert list(en["check"][2:]) == ["effect/1", "control/1", "control/2"]
    assert set(zh["通过"]) <= {"是", "否"} and set(en["passes"]) <= {True, False}
    assert list(zh["类别"]) == list(en["kind"])


def test_numbers_read_with_their_units():
    assert render.fmt(0.1034, "share", "en") == "10.3%"
    assert render.fmt(0.0186, "points", "en", sign=True) == "+1.86 points"
    assert render.fmt(-0.0186, "points", "zh", sign=True) == "\u22121.86个百分点"
    assert render.fmt(0.15, "relative", "en", sign=True) == "+15.0%"
    assert render.fmt(44.0, "weeks", "zh") == "44.0周"
    assert render.fmt(373.0, "count", "en") == "373"
    v3 = patterns_lib.select(["V3"])[0]
    assert render.comparison_kind(v3.effects[0]) == "relative"
    assert render.comparison_kind(v3.controls[0]) == "points"
    assert render.expectation(v3.controls[0].expect, "points", "en") == (
        "vanishes: within ±1.00 points of 0")
    targets = load_targets()
    assert render.target_kind(targets["board-effect"]) == "relative"
    assert render.target_kind(targets["club-growth-time"]) == "weeks"
    assert render.target_kind(targets["party-gradient"]) == "ratio"
    assert render.target_kind(targets["showcase-organisations"]) == "share"


def test_with_a_posterior_every_run_draws_its_parameters_and_says_so(tmp_path):
    post = load_posterior(write_posterior(
        tmp_path / "p", {"participation.intercept": [-2.5, -0.5]}, [1.0, 1.0],
        targets=["weekly-participation", "launch"]))
    library = load_targets().select(["launch", "weekly-participation"])
    card = score(library, patterns_lib.select(["V3"]), seeds=1, posterior=post, draws=6,
                 seed=2)
    thetas = [r.theta["participation.intercept"] for r in card.replicates]
    assert sorted(set(thetas)) == [-2.5, -0.5] and card.draws == 6
    assert all(r.theta["participation.beta_trust"] == 1.2 for r in card.replicates)
    launch = next(r for r in card.targets if r.target.id == "launch")
    low = launch.values[np.array(thetas) == -2.5]
    high = launch.values[np.array(thetas) == -0.5]
    assert high.min() > low.max()  # the draw reaches the runs
    assert launch.role == "calibrate"  # fitted by this posterior: it cannot validate
    assert "fitted by this posterior" in render.role(launch, "en")
    lead = render.lead(card, "en")
    assert "1 parameters (participation.intercept) were fitted by linli calibrate" in lead
    assert "(participation.beta_trust) keep the values it used" in lead
    assert "6 parameter sets drawn from the posterior, × 1 random seed(s) each" in lead
    assert "both the uncertainty of the fitted parameters and chance" in lead
    assert all(c.passes for c in card.checks if c.part == "control")
