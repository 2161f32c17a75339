"""The behavioural sensitivity study: ranges by one rule, a model on common seeds, the quick
Morris pipeline end to end (sweep → analysis → `linli sensitivity` → SENSITIVITY.md), and
weights of switched-off mechanisms ranked as doing nothing (the method's negative control)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import scenarios
from experiments.analysis import sensitivity as sa
from experiments.analysis import sensitivity_design as sd
from experiments.analysis import sensitivity_doc
from experiments.analysis import sensitivity_model as sm
from experiments.analysis import sensitivity_study as ss
from experiments.cli import app
from experiments.sweeping import spec as spec_lib
from experiments.sweeping.spec import linli_parameters
from experiments.sweeping.store import Store
from experiments.sweeping.sweep import run_sweep
from model.params import Params

SPECS = ("sensitivity-behaviour", "sensitivity-behaviour-quick")
SWITCHED_OFF_IN_BASELINE = ("recognition.", "groups.", "heads.", "problems.", "councils.",
                            "commons.")


@pytest.mark.parametrize("name", SPECS)
def test_shipped_specs_vary_every_weight_by_the_rule(name):
    spec = spec_lib.load(name)
    assert spec.design.method == "morris"
    assert [sd.dotted(f.name) for f in spec.factors] == list(sd.WEIGHTS)
    params = linli_parameters()
    for factor in spec.factors:
        r = sd.range_for(sd.dotted(factor.name))
        assert (factor.low, factor.high) == pytest.approx((r.low, r.high), rel=1e-5), r.name
        assert factor.dist == r.dist
        assert factor.low < r.default < factor.high  # the default is inside its range
        for bound in (factor.low, factor.high):
            assert params[r.name].check(bound) is None, (r.name, bound)


def test_the_range_rule():
    intercept = sd.range_for("participation.intercept")
    default = Params().participation.intercept
    assert (intercept.rule, intercept.low, intercept.high) == pytest.approx(
        ("intercept", default - 1.5, default + 1.5))
    visibility = sd.range_for("recognition.visibility")  # 0.5: odds 1 → ½ and 2
    assert (visibility.rule, visibility.low, visibility.high) == pytest.approx(
        ("odds", 1 / 3, 2 / 3), abs=1e-6)
    decay = sd.range_for("recognition.glow_decay")  # 0.8: odds 4 → 2 and 8
    assert (decay.low, decay.high) == pytest.approx((2 / 3, 8 / 9), abs=1e-6)
    slope = sd.range_for("participation.cc_slope")  # twice the default is cut to 1.5
    cc_slope = Params().participation.cc_slope
    assert cc_slope * 2 > 1.5
    assert (slope.rule, slope.low, slope.high) == pytest.approx(("factor", cc_slope / 2, 1.5))
    civic = sd.range_for("participation.beta_civic")
    assert (civic.low, civic.high, civic.dist) == (1.0, 4.0, "loguniform")


def test_factor_names_stand_for_exactly_one_parameter():
    assert [sd.dotted(sd.factor_name(n)) for n in sd.WEIGHTS] == list(sd.WEIGHTS)
    with pytest.raises(ValueError, match="names no model parameter"):
        sd.dotted("participation_beta_nothing")


def test_the_scenarios_leave_the_varied_weights_at_their_defaults():
    for name in sm.SCENARIOS:
        overrides = scenarios.load(name).overrides
        set_here = {f"{s}.{k}" for s, values in overrides.items() if isinstance(values, dict)
                    for k in values}
        assert not set_here & set(sd.WEIGHTS), name


def test_the_model_runs_the_same_seeds_at_every_point():
    weights = {"heads_beta_invite": 2.0}
    assert sm.quick(weights, 1, 8) == sm.quick(weights, 2, 8)  # the run's seed is not used
    default, invited = sm.quick({}, 1, 8), sm.quick(weights, 1, 8)
    assert invited["participation_baseline"] == default["participation_baseline"]  # no heads
    assert invited["participation_wuchang_2023"] != default["participation_wuchang_2023"]
    assert invited["effect_wuchang_2023"] == pytest.approx(
        invited["participation_wuchang_2023"] - invited["participation_baseline"])


CONTROL = """
model = "experiments.analysis.sensitivity_model:quick"
weeks = 8
seed = 5

[design]
method = "morris"
samples = 3
levels = 4

[parameters]
participation_intercept = { dist = "uniform", range = [-3, 0] }
heads_beta_invite = { dist = "loguniform", range = [0.5, 2] }
recognition_glow = { dist = "loguniform", range = [0.4, 1.6] }
"""


def test_a_weight_the_scenario_does_not_read_is_ranked_last(tmp_path):
    (tmp_path / "control.toml").write_text(CONTROL, encoding="utf-8")
    run_sweep(spec_lib.load(tmp_path / "control.toml"), tmp_path / "store", workers=0)
    table = sa.analyse(tmp_path / "store", "participation_baseline").table
    assert table["parameter"].tolist()[0] == "participation_intercept"
    assert (table.set_index("parameter").loc[["heads_beta_invite", "recognition_glow"],
                                            ["mu_star", "mu", "sigma"]] == 0).all().all()
    assert table.set_index("parameter").loc["participation_intercept", "mu_star"] > 1
    reform = sa.analyse(tmp_path / "store", "participation_wuchang_2023").table
    assert (reform.set_index("parameter")["mu_star"] > 0).all()  # wuchang-2023 reads all three


# ---------------------------------------------------------------------- the quick pipeline
# (slow: 88 points, and a chart per output)


@pytest.fixture(scope="module")
def quick(tmp_path_factory) -> Store:
    out = tmp_path_factory.mktemp("behaviour") / "quick"
    run_sweep(spec_lib.load("sensitivity-behaviour-quick"), out, workers=2)
    return Store(out)


@pytest.mark.slow
def test_switched_off_mechanisms_weights_are_ranked_as_doing_nothing(quick):
    table = sa.analyse(quick, "participation_baseline").table
    table["parameter"] = table["parameter"].map(sd.dotted)
    off = table["parameter"].str.startswith(SWITCHED_OFF_IN_BASELINE)
    assert off.sum() == 25
    assert (table.loc[off, ["mu_star", "sigma"]] == 0).all().all()
    # every weight the baseline reads acts, except perhaps the tie rates: new ties come over
    # months, and 600 households in 16 weeks may not show them
    slow = table["parameter"].str.startswith("ties.")
    assert (table.loc[~off & ~slow, "mu_star"] > 0).all()
    acts = table["mu_star"] > 0
    assert not off[: acts.sum()].any()  # ranked below every weight that acts
    intercept = table.set_index("parameter").loc["participation.intercept"]
    assert intercept["mu"] == pytest.approx(intercept["mu_star"])  # always raises it
    assert table["parameter"].head(3).tolist().count("participation.intercept") == 1
    boards = sa.analyse(quick, "effect_red_list").table.set_index("parameter")
    assert boards.loc["recognition_visibility", "mu_star"] > 0  # the board's own weight acts
    assert boards.loc["heads_beta_invite", "mu_star"] == 0


@pytest.mark.slow
def test_elementary_effects_agree_with_salib(quick):
    design = quick.design().sort_values("point")
    names = [f["name"] for f in quick.info()["spec"]["factors"]]
    y = sa.responses(quick, "effect_small_units", None)[0].reindex(design["point"]).to_numpy()
    effects = ss.elementary_effects(design, names, y)
    assert len(effects) == 2 * len(names)  # one step per weight per trajectory
    mu_star = effects.groupby("parameter")["effect"].apply(lambda e: e.abs().mean())
    table = sa.analyse(quick, "effect_small_units").table.set_index("parameter")
    assert np.allclose(mu_star.reindex(table.index), table["mu_star"])
    spread = sa.Spread.of(y)
    assert spread.points == 88 and spread.negative == pytest.approx((y < 0).mean())


@pytest.mark.slow
def test_sensitivity_cli_analyses_every_output_sorted_and_explained(quick, tmp_path):
    result = CliRunner().invoke(app, ["sensitivity", str(quick.dir), "--top", "5", "--out",
                                      str(tmp_path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for o in sm.OUTPUTS:
        assert f"morris: {o.column}, week 16" in result.output
        assert f"{o.column} over the 88 design points" in result.output
        csv = pd.read_csv(tmp_path / f"morris-{o.column}-week16.csv")
        assert len(csv) == 43 and csv["mu_star"].is_monotonic_decreasing
    assert "… and 38 less important parameters" in result.output
    assert "below 0 at" in result.output and "mu_star (μ*): how much" in result.output
    one = CliRunner().invoke(app, ["sensitivity", str(quick.dir), "--output", "effect_red_list",
                                   "--out", str(tmp_path / "one")])
    assert one.exit_code == 0, one.output
    assert [p.name for p in sorted((tmp_path / "one").glob("*.csv"))] == [
        "morris-effect_red_list-week16.csv"]


@pytest.mark.slow
def test_the_document_is_written_from_the_sweep(quick, tmp_path):
    written = sensitivity_doc.write(quick.dir, tmp_path, noise_seeds=2)
    text = (tmp_path / "SENSITIVITY.md").read_text(encoding="utf-8")
    for o in sm.OUTPUTS:
        assert f"### {o.label}" in text
        assert f"![μ*–σ, {o.label}](sensitivity/{o.column}.png)" in text
    assert "88 design points" in text and "Negative controls" in text
    assert "`heads.beta_invite`" in text  # a negative control of the baseline
    assert text.count("**Sign.**") == sum(o.effect for o in sm.OUTPUTS)
    for path in written:
        if path.suffix == ".png":
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    table = pd.read_csv(tmp_path / "sensitivity" / "morris.csv")
    assert len(table) == 43 * len(sm.OUTPUTS)
    assert set(table["source"]) <= {"assumed", "calibrated", "empirical"}
    assert "calibrated" in set(table["source"])


def test_the_document_refuses_another_sweep(tmp_path):
    spec = tmp_path / "ishigami.toml"
    spec.write_text(f'model = "experiments.analysis.sensitivity:ishigami"\nweeks = 1\nseed = 1\n'
                    f'[design]\nmethod = "morris"\nsamples = 2\n[parameters]\n'
                    f"x1 = [{-math.pi}, {math.pi}]\nx2 = [0, 1]\nx3 = [0, 1]\n", encoding="utf-8")
    run_sweep(spec_lib.load(spec), tmp_path / "store", workers=0)
    with pytest.raises(sa.AnalysisError, match="not of the behavioural sensitivity model"):
        sensitivity_doc.write(tmp_path / "store", tmp_path / "doc")
    assert not Path(tmp_path / "doc").exists()
