"""Sensitivity analysis and scenario discovery on sweep stores: the Sobol pipeline recovers the
Ishigami function's known indices; Morris, PRIM and their errors on small model sweeps."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from experiments.analysis import discovery
from experiments.analysis import sensitivity as sa
from experiments.analysis.sensitivity import AnalysisError
from experiments.cli import app
from experiments.sweeping import spec as spec_lib
from experiments.sweeping.store import Store
from experiments.sweeping.sweep import run_sweep

runner = CliRunner()

ISHIGAMI = f"""
title = "Ishigami"
model = "experiments.analysis.sensitivity:ishigami"
weeks = 1
seed = 11

[design]
method = "sobol"
samples = 1024

[parameters]
x1 = [{-math.pi}, {math.pi}]
x2 = [{-math.pi}, {math.pi}]
x3 = [{-math.pi}, {math.pi}]
"""

SMALL_MODEL = """
scenario = "small-units"
weeks = 6
replicates = 2
seed = 3

[fixed]
"structure.households" = 200

[design]
method = "sobol"
samples = 8

[parameters]
"participation.intercept" = [-2.0, 1.0]
"structure.unit_size" = [5, 30]

[outputs]
columns = ["participation_rate", "mean_weeks_to_fix"]
every = 3
"""


def flat(text: str) -> str:
    return "".join(text.split())


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def sweep(tmp_path: Path, text: str, name: str, workers: int = 0, **kwargs) -> Store:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    run_sweep(spec_lib.load(path), tmp_path / name, workers=workers, **kwargs)
    return Store(tmp_path / name)


@pytest.fixture(scope="module")
def ishigami_store(tmp_path_factory) -> Store:
    return sweep(tmp_path_factory.mktemp("ishigami"), ISHIGAMI, "ishigami", batch_size=1024)


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Store:
    return sweep(tmp_path_factory.mktemp("small"), SMALL_MODEL, "small", workers=2)


def test_sobol_pipeline_recovers_ishigami_indices(ishigami_store):
    assert len(ishigami_store.runs()) == 1024 * 5  # N·(D+2)
    analysis = sa.analyse(ishigami_store, output="y")
    table = analysis.table.set_index("parameter")
    truth = sa.ishigami_indices().set_index("parameter")
    for index in ("S1", "ST"):
        error = (table[index] - truth[index]).abs()
        assert (error < 0.05).all(), (index, table[index].to_dict())
        assert (table[f"{index}_conf"] < 0.12).all()
    assert not any("power of 2" in w or "small" in w for w in analysis.warnings)


def test_sensitivity_cli_writes_table_and_chart(ishigami_store, tmp_path):
    result = invoke("sensitivity", ishigami_store.dir, "--output", "y", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert "S1_conf" in result.output and "x3" in result.output
    csv, png = tmp_path / "sobol-y-week1.csv", tmp_path / "sobol-y-week1.png"
    assert csv.read_text().splitlines()[0] == "parameter,S1,S1_conf,ST,ST_conf"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_sobol_on_a_small_model_sweep_warns_that_n_is_small(small_store, tmp_path):
    assert len(small_store.runs()) == 8 * 4 * 2
    analysis = sa.analyse(small_store, "participation_rate", week=6)
    assert analysis.replicates == 2 and analysis.week == 6
    assert sorted(analysis.table["parameter"]) == ["participation.intercept",
                                                   "structure.unit_size"]
    assert analysis.table["ST"].is_monotonic_decreasing  # most important first
    assert np.isfinite(analysis.table[["S1", "ST"]].to_numpy()).all()
    assert any("N = 8 is small" in w for w in analysis.warnings)
    result = invoke("sensitivity", small_store.dir, "--week", "3")
    assert result.exit_code == 0, result.output
    assert "warning:N=8issmall" in flat(result.output)
    assert (small_store.dir / "analysis" / "sobol-participation_rate-week3.png").is_file()


def test_sobol_samples_not_a_power_of_two_warns(tmp_path):
    with pytest.warns(UserWarning, match="power of 2"):  # from the spec, and from SALib
        store = sweep(tmp_path, ISHIGAMI.replace("samples = 1024", "samples = 12"), "odd")
    assert any("not a power of 2" in w for w in sa.analyse(store, "y").warnings)


def test_morris_on_a_small_model_sweep(tmp_path):
    text = SMALL_MODEL.replace('method = "sobol"\nsamples = 8',
                               'method = "morris"\nsamples = 4\nlevels = 4')
    store = sweep(tmp_path, text, "morris")
    assert len(store.runs()) == 4 * 3 * 2
    analysis = sa.analyse(store)
    assert list(analysis.table.columns) == ["parameter", "mu_star", "mu_star_conf", "mu",
                                            "sigma"]
    table = analysis.table.set_index("parameter")
    # a higher intercept raises participation in every trajectory: μ = μ* > 0
    assert table.loc["participation.intercept", "mu"] > 0
    assert table.loc["participation.intercept", "mu_star"] == pytest.approx(
        table.loc["participation.intercept", "mu"])
    assert any("4 trajectories is few" in w for w in analysis.warnings)
    written = sa.write(analysis, tmp_path / "out")
    assert [p.name for p in written] == ["morris-participation_rate-week6.csv",
                                         "morris-participation_rate-week6.png"]


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"output": "participaton_rate"}, "Did you mean 'participation_rate'"),
    ({"week": 4}, "week 4 was not kept"),
    ({"output": "mean_weeks_to_fix"}, "NaN or infinite"),
])
def test_sensitivity_errors(small_store, kwargs, words):
    with pytest.raises(AnalysisError, match=words):
        sa.analyse(small_store, **kwargs)


def test_sensitivity_needs_every_point_and_a_sampled_design(tmp_path):
    # unit sizes above the 200 households are rejected by the model: about half the points fail
    failing = SMALL_MODEL.replace("[5, 30]", "[5, 400]").replace("samples = 8", "samples = 4")
    store = sweep(tmp_path, failing, "failing")
    with pytest.raises(AnalysisError, match="have no successful run"):
        sa.analyse(store)
    factorial = SMALL_MODEL.replace('method = "sobol"\nsamples = 8', 'method = "factorial"')
    result = invoke("sensitivity", sweep(tmp_path, factorial.replace(
        "[-2.0, 1.0]", "[-2.0]").replace("[5, 30]", "[5]"), "factorial").dir)
    assert result.exit_code == 2
    assert "needsasobolormorrisdesign" in flat(result.output)


DISCOVERY = """
scenario = "small-units"
weeks = 6
replicates = 1
seed = 8

[fixed]
"structure.households" = 200

[design]
method = "lhs"
samples = 60

[parameters]
"participation.intercept" = [-3.0, 2.0]
"ties.decay_rate" = [0.0, 0.01]
"recognition.enabled" = { values = [true, false] }

[outputs]
columns = ["participation_rate"]
"""


def test_prim_finds_the_parameter_that_keeps_participation_up(tmp_path):
    store = sweep(tmp_path, DISCOVERY, "lhs")
    rates = store.metrics()["participation_rate"]
    threshold = float(rates.median())
    found = discovery.discover(store, threshold=threshold)
    box = found.box.set_index("parameter")
    assert box.loc["participation.intercept", "restricted"]
    assert box.loc["participation.intercept", "low"] > -3.0
    assert found.density > 0.8 and found.cases == 60 and found.of_interest == 30
    wider = discovery.discover(store, threshold=threshold, min_coverage=0.9)
    assert wider.coverage >= 0.9 and wider.mass >= found.mass
    low = discovery.discover(store, threshold=threshold, below=True).box.set_index("parameter")
    assert low.loc["participation.intercept", "high"] < 2.0  # low participation: low intercept
    result = invoke("discover", store.dir, "--threshold", threshold, "--out", tmp_path / "d")
    assert result.exit_code == 0, result.output
    assert "participation.intercept" in result.output
    names = sorted(p.name for p in (tmp_path / "d").iterdir())
    assert names == [".linli-output.json", f"{found.stem}.csv", f"{found.stem}.png"]


def test_prim_needs_cases_on_both_sides(tmp_path):
    store = sweep(tmp_path, DISCOVERY.replace("samples = 60", "samples = 6"), "few")
    result = invoke("discover", store.dir, "--threshold", "0.99")
    assert result.exit_code == 2
    assert "norunof6hasparticipation_rateabove0.99" in flat(result.output)
