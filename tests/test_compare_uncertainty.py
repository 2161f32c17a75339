"""Uncertainty in comparisons: common parameter draws, chance and parameter ranges kept
apart, robust shares, what a posterior's structure and a scenario's own values do, and
conclusions that flip between model variants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from synthetic_posterior import spread_posterior, tiny_scenarios, write_posterior

import scenarios as scenario_lib
from experiments.paramtable import counts as tag_counts
from experiments.reporting import caveat, flips, i18n, ranges
from experiments.reporting import compare as compare_lib
from experiments.reporting import posterior as posterior_lib
from experiments.reporting.formatting import fmt_diff, fmt_value
from experiments.reporting.uncertainty import decompose
from model.core import LinliModel

WEEKS = 5


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> list[scenario_lib.Scenario]:
    root = tmp_path_factory.mktemp("scenarios")
    return [scenario_lib.load(p) for p in tiny_scenarios(root)]


@pytest.fixture(scope="module")
def spread(tmp_path_factory) -> posterior_lib.Posterior:
    return posterior_lib.load(spread_posterior(tmp_path_factory.mktemp("post") / "spread"))


# --- the decomposition ----------------------------------------------------------------------

def test_decomposition_recovers_known_parameter_and_chance_spreads():
    rng = np.random.default_rng(3)
    draws, seeds, sd_param, sd_chance = 400, 4, 2.0, 1.0
    groups = np.repeat(np.arange(draws), seeds)
    x = 5 + rng.normal(0, sd_param, draws)[groups] + rng.normal(0, sd_chance, draws * seeds)
    out = {k: float(v[0]) for k, v in decompose(x[None, :], groups).items()}
    assert out["sd_param"] == pytest.approx(sd_param, rel=0.1)
    assert out["sd_chance"] == pytest.approx(sd_chance, rel=0.05)
    z = 1.6449  # 5–95% of a normal: ±1.645 sd
    assert out["param_high"] - out["param_low"] == pytest.approx(2 * z * sd_param, rel=0.12)
    assert out["chance_high"] - out["chance_low"] == pytest.approx(2 * z * sd_chance, rel=0.05)
    # the raw per-draw means are wider than the parameters alone: chance was taken out
    raw = np.quantile(x.reshape(draws, seeds).mean(axis=1), [0.05, 0.95])
    assert raw[1] - raw[0] > out["param_high"] - out["param_low"]


def test_without_a_posterior_there_is_no_parameter_range():
    x = np.array([[0.1, 0.2, 0.15, 0.12]])
    out = decompose(x, np.zeros(4, dtype=int), parameters=False)
    assert np.isnan(out["param_low"][0]) and np.isnan(out["robust_share"][0])
    assert out["chance_high"][0] > out["chance_low"][0]
    # one group: the 95% interval of the mean is the usual t-interval
    half = 3.182446305284263 * x.std(ddof=1) / 2
    assert out["high"][0] - out["mean"][0] == pytest.approx(half)


# --- chance and parameters kept apart in a comparison -----------------------------------------

EFFECTS = np.array([0.02, 0.03, 0.05, -0.01, 0.04])  # per draw; the mean is +0.026


def constructed(tiny, post, seeds_add_noise: bool) -> compare_lib.Comparison:
    """Five draws × three seeds, one week. The reference's level depends on the draw (and
    the seed, if ``seeds_add_noise``); the other scenario adds EFFECTS[draw]."""
    draws, per = len(EFFECTS), 3
    rng = np.random.default_rng(0)
    rows = []
    for seed in range(draws * per):
        draw = seed // per
        level = 0.1 + 0.01 * draw + (rng.normal(0, 0.02) if seeds_add_noise else 0.0)
        noise = rng.normal(0, 0.01) if seeds_add_noise else 0.0
        for sc, value in ((tiny[0], level), (tiny[1], level + EFFECTS[draw] + noise)):
            rows.append({"scenario": sc.name, "draw": draw, "seed": seed, "week": 1,
                         "participation_rate": value})
    sets = [{"participation.intercept": -2.5 + 0.5 * d} for d in range(draws)]
    return compare_lib.Comparison(tiny, list(range(draws * per)), 1, pd.DataFrame(rows),
                                  pd.DataFrame(), 0.0, posterior=post, draws=sets,
                                  draw_of=[s // per for s in range(draws * per)])


def test_seeds_that_add_no_noise_give_a_zero_chance_range(tiny, spread):
    d = constructed(tiny, spread, seeds_add_noise=False).difference(
        "participation_rate", tiny[1].name, 1)
    assert d["diff"] == pytest.approx(EFFECTS.mean(), abs=1e-12)
    assert d["diff_chance_high"] - d["diff_chance_low"] == pytest.approx(0, abs=1e-12)
    low, high = np.quantile(EFFECTS, [0.05, 0.95])
    assert (d["diff_param_low"], d["diff_param_high"]) == pytest.approx((low, high), abs=1e-12)
    assert d["robust_share"] == pytest.approx(0.8)  # four of five draws raise it


def test_with_chance_both_ranges_are_there(tiny, spread):
    d = constructed(tiny, spread, seeds_add_noise=True).difference(
        "participation_rate", tiny[1].name, 1)
    assert d["diff_chance_high"] - d["diff_chance_low"] > 0.01
    assert d["diff_param_high"] - d["diff_param_low"] > 0.02


def test_a_posterior_collapsed_to_one_point_gives_a_zero_parameter_range(tiny, tmp_path):
    point = posterior_lib.load(write_posterior(tmp_path / "point", {
        "participation.intercept": [-1.2, -1.2, -1.2], "participation.beta_habit": [2.4] * 3}))
    result = compare_lib.compare(tiny, seeds=3, weeks=WEEKS, posterior=point, draws=4)
    d = result.difference("participation_rate", tiny[1].name, WEEKS)
    assert d["diff_param_low"] == d["diff_param_high"] == d["diff"]
    assert d["diff_chance_high"] - d["diff_chance_low"] > 0  # chance is still there
    assert d["robust_share"] == 1.0
    band = result.bands("participation_rate")
    assert (band["param_low"] == band["param_high"]).all()


def test_identical_draws_are_one_parameter_set_whatever_chance_does(tiny, spread):
    """Draws of one parameter set: all their spread is chance, even where chance happens
    to line up with the draws."""
    result = constructed(tiny, spread, seeds_add_noise=False)
    same = [{"participation.intercept": -1.0}] * len(EFFECTS)
    collapsed = compare_lib.Comparison(result.scenarios, result.seeds, 1, result.runs,
                                       result.units, 0.0, posterior=spread, draws=same,
                                       draw_of=result.draw_of)
    d = collapsed.difference("participation_rate", tiny[1].name, 1)
    assert d["diff_param_low"] == d["diff_param_high"] == d["diff"]
    assert d["diff_chance_high"] - d["diff_chance_low"] > 0.04


# --- the draws ------------------------------------------------------------------------------

def test_parameter_draws_and_seeds_are_common_across_scenarios(tiny, spread):
    result = compare_lib.compare(tiny, seeds=2, weeks=WEEKS, posterior=spread, draws=3)
    assert result.seeds == list(range(6)) and result.draw_of == [0, 0, 1, 1, 2, 2]
    assert result.draws == spread.draws(3) == spread.draws(3)  # a fixed draw set
    assert len({tuple(d.items()) for d in result.draws}) > 1
    last = result.runs[result.runs["week"] == WEEKS]
    by_seed = last.pivot(index="seed", columns="scenario", values="draw")
    assert (by_seed.nunique(axis=1) == 1).all()  # run i: the same draw in every scenario
    for sc in tiny:  # and each run is the scenario with that draw, on that seed
        for seed in (1, 4):
            params, _ = compare_lib.run_params(sc, result.draws[result.draw_of[seed]], {})
            model = LinliModel(params, rng=seed, agents=False)
            model.run_for(WEEKS)
            mine = result.runs[(result.runs["scenario"] == sc.name)
                               & (result.runs["seed"] == seed)]
            assert mine["participation_rate"].tolist() == \
                model.frame["participation_rate"].tolist()


def test_the_draws_change_the_runs(tiny, spread):
    """Parameter sets far apart give far apart levels: the draws are really applied."""
    result = compare_lib.compare(tiny[:1], seeds=2, weeks=WEEKS, posterior=spread, draws=6)
    last = result.runs[result.runs["week"] == WEEKS]
    by_draw = last.groupby("draw")["participation_rate"].mean()
    intercepts = [result.draws[d]["participation.intercept"] for d in by_draw.index]
    assert np.corrcoef(intercepts, by_draw.to_numpy())[0, 1] > 0.8


def test_the_posterior_structure_is_applied_and_cannot_be_contradicted(tiny, tmp_path):
    last_week = {"participation": {"persistence": "last-week"}}
    post = posterior_lib.load(spread_posterior(tmp_path / "lw", variant=last_week))
    result = compare_lib.compare(tiny, seeds=2, weeks=WEEKS, posterior=post, draws=2)
    assert result.structure == last_week
    params, _ = compare_lib.run_params(tiny[0], result.draws[0], result.structure)
    assert params.participation.persistence == "last-week"
    with pytest.raises(ValueError, match="was fitted with"):
        compare_lib.compare(tiny, seeds=2, weeks=WEEKS, posterior=post, draws=2,
                            structure={"participation": {"persistence": "habit"}})


def test_a_scenario_keeps_the_values_it_sets_itself(tmp_path):
    path = tmp_path / "own.toml"
    path.write_text('extends = "baseline"\n[participation]\nintercept = -0.7\n'
                    'persistence = "last-week"\n', encoding="utf-8")
    sc = scenario_lib.load(path)
    theta = {"participation.intercept": -2.0, "participation.beta_habit": 2.5}
    params, kept = compare_lib.run_params(sc, theta, {"recognition": {"motive":
                                                                      "reinforcement"},
                                                      "participation": {"persistence": "habit"}})
    assert kept == ["participation.intercept", "participation.persistence"]
    assert params.participation.intercept == -0.7 and params.participation.beta_habit == 2.5
    assert params.participation.persistence == "last-week"
    assert params.recognition.motive == "reinforcement"


# --- posteriors that cannot be used -----------------------------------------------------------

@pytest.mark.parametrize(("particles", "message"), [
    ({"participation.intercpt": [-1.0]}, "'participation.intercpt' is not a model parameter"),
    ({"participation.persistence": [1.0]}, "'participation.persistence' is not a number"),
    ({"participation.intercept": [float("nan")]}, "missing or infinite"),
])
def test_unusable_posteriors_are_named(tmp_path, particles, message):
    write_posterior(tmp_path / "p", particles)
    with pytest.raises(posterior_lib.PosteriorError, match=message):
        posterior_lib.load(tmp_path / "p")


def test_missing_posterior_files_are_named(tmp_path):
    with pytest.raises(posterior_lib.PosteriorError, match="does not exist"):
        posterior_lib.load(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(posterior_lib.PosteriorError, match="no posterior.json"):
        posterior_lib.load(tmp_path / "empty")


# --- robustness in words --------------------------------------------------------------------

ROW = {"output": "participation_rate", "week": 104, "seeds": 60, "draws": 20, "mean": 0.227,
       "diff": 0.093, "diff_low": 0.081, "diff_high": 0.105, "diff_param_low": 0.04,
       "diff_param_high": 0.15, "diff_chance_low": 0.081, "diff_chance_high": 0.105,
       "robust_share": 0.97, "distinguishable": True}


def fields(lang: str, **row: float) -> dict[str, str]:
    """What report.sentence hands on: output, week, levels and difference, formatted."""
    row = {**ROW, **row}
    return {"week": 104, "seeds": 60, "output": i18n.label("participation_rate", lang),
            "value": fmt_value("participation_rate", row["mean"], lang, 1),
            "ref": fmt_value("participation_rate", 0.134, lang, 1),
            **{k: fmt_diff("participation_rate", row[f"diff{s}"], lang, 1, unit=not s)
               for k, s in (("diff", ""), ("low", "_low"), ("high", "_high"))}}


def test_a_robust_conclusion_in_english_and_chinese():
    assert ranges.sentence(ROW, "en", 1, fields("en")) == (
        "Weekly participation: up from 13.4% to 22.7% by week 104 (+9.3 points). Robust: "
        "higher in 97% of plausible parameter sets, by +4.0 to +15.0 points. Chance alone "
        "moves a single run by ±1.2 points.")
    zh = ranges.sentence(ROW, "zh", 1, fields("zh"))
    assert zh == ("每周参与率：第104周从13.4%提高到22.7%（差值+9.3个百分点）。结论稳健："
                  "在97%的合理参数组合下均提高，幅度为+4.0至+15.0个百分点。"
                  "仅随机因素就会使单次模拟结果浮动±1.2个百分点。")


def test_a_fragile_and_an_unclear_conclusion():
    fragile = ranges.sentence({**ROW, "robust_share": 0.7, "diff_param_low": -0.02}, "en", 1,
                              fields("en"))
    assert "Not robust: higher in only 70% of plausible parameter sets (−2.0 to +15.0 " \
           "points)" in fragile
    unclear = {**ROW, "distinguishable": False, "diff_param_low": -0.02, "diff": 0.004,
               "mean": 0.138,
               "diff_low": -0.002, "diff_high": 0.01}
    text = ranges.sentence(unclear, "en", 1, fields("en", **unclear))
    assert text == ("Weekly participation: 13.8% against 13.4% at week 104, too close to tell "
                    "apart (the 95% interval of the mean difference, −0.2 to +1.0, includes "
                    "zero). Across plausible parameter sets the difference lies between −2.0 "
                    "and +15.0 points.")


# --- what is calibrated and assumed -----------------------------------------------------------

def test_caveat_counts_follow_the_source_tags(tmp_path):
    none = caveat.facts(None).counts
    assert none["fitted"] == 0 and none["assumed"] == tag_counts()["assumed"]
    assert sum(tag_counts().values()) == none["total"]
    assumed_one = posterior_lib.load(write_posterior(tmp_path / "c", {
        "participation.beta_civic": [1.0, 2.0]}))  # tagged "assumed" in params.py
    counts = caveat.facts(assumed_one).counts
    assert counts["fitted"] == 1 and counts["assumed"] == none["assumed"] - 1
    assert counts["total"] == none["total"]
    assert counts["fitted"] + counts["empirical"] + counts["fixed"] + counts["assumed"] \
        == counts["total"]


def test_caveat_names_the_field_data_and_the_scorecard(spread):
    for lang, title in (("en", "Weekly participation in an ordinary community"),
                        ("zh", "普通社区每周参与率")):
        text = caveat.text(caveat.facts(spread), lang)
        assert title in text and "participation.intercept" in text
        assert "scorecard.html" in text and "docs/VALIDATION.md" in text
    assert "simulation model" in caveat.text(caveat.facts(None), "en")
    assert "本次未使用校准后验" in caveat.text(caveat.facts(None), "zh")


# --- conclusions that flip between variants -----------------------------------------------------

def summary(rows: list[tuple[str, float, bool, float]]) -> pd.DataFrame:
    """(output, diff, distinguishable, robust share) for the scenario 'x' at week 52."""
    return pd.DataFrame([{"scenario": "x", "output": o, "week": 52, "diff": d,
                          "diff_low": d - 0.01, "diff_high": d + 0.01, "diff_param_low": d,
                          "diff_param_high": d, "robust_share": s, "distinguishable": c}
                         for o, d, c, s in rows] + [{"scenario": "ref", "output": "a",
                                                     "week": 52, "diff": np.nan}])


def test_flips_on_a_constructed_case():
    summaries = {
        "main": summary([("a", 0.05, True, 0.97), ("b", 0.05, True, 0.97),
                         ("c", 0.05, True, 0.97), ("d", 0.001, False, 0.6)]),
        "other": summary([("a", -0.04, True, 0.95), ("b", 0.05, True, 0.6),
                          ("c", 0.04, True, 0.92), ("d", -0.001, False, 0.6)]),
    }
    table = flips.table(summaries, "ref", ["a", "b", "c", "d"], 52)
    first = table.groupby("output").first()
    assert first["flip_sign"].to_dict() == {"a": True, "b": False, "c": False, "d": False}
    assert first["flip_robust"].to_dict() == {"a": False, "b": True, "c": False, "d": False}
    assert flips.flipped(table) == [("x", "a"), ("x", "b")]
    assert list(table["variant"][:2]) == ["main", "other"]
