"""Field targets, calibration specs and `linli calibrate` (ODD §9): the targets library, the
statistics, the specs' checks, the particle store, and the command end to end — resumable
after kill -9 and identical on any backend."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.calibration import spec as spec_lib
from experiments.calibration import targets as targets_lib
from experiments.calibration.store import ChunkTable, DamagedChunkWarning
from tests.linli_cli import LINLI, linli

TINY = """
title = "tiny"
targets = ["weekly-participation"]
seed = 3
[screening]
trajectories = 2
keep = 1
[abc]
population = 8
generations = 2
min_epsilon = 0.01
max_simulations = 200
predictive_draws = 2
[parameters]
"participation.intercept" = [-3.0, 0.0]
"participation.beta_trust" = [0.0, 2.0]
"""


# --- the targets library ----------------------------------------------------------------------

def test_the_library_has_enough_targets_and_a_third_validate():
    library = targets_lib.load()
    roles = [t.role for t in library]
    assert len(library) >= 10
    assert roles.count("validate") >= len(library) / 3
    for target in library:
        assert target.source.citation and target.quantity
        assert set(target.title) >= {"en", "zh"}
        assert target.observed.low < target.observed.high
        assert target.observed.sd == pytest.approx(
            (target.observed.high - target.observed.low) / 4)


def frames(values: dict[str, list[float]]) -> pd.DataFrame:
    weeks = len(next(iter(values.values())))
    return pd.DataFrame({"week": np.arange(1, weeks + 1), **values})


def statistic(**kw) -> targets_lib.Statistic:
    return targets_lib.Statistic(scenario="baseline", output="x", **kw)


def test_statistics_window_ratio_per_household_relative_and_half_time():
    own = frames({"x": [1.0, 2.0, 3.0, 4.0], "y": [2.0, 2.0, 2.0, 2.0]})
    ref = frames({"x": [1.0, 1.0, 1.0, 2.0], "y": [1.0] * 4})
    key, ref_key = "baseline{}", 'red-list{}'
    homes = {key: 10, ref_key: 10}
    assert statistic(weeks=(2, 3)).compute({key: own}, homes) == pytest.approx(2.5)
    assert statistic(weeks=(2, 3), divide_by="y").compute({key: own}, homes) == 1.25
    assert statistic(weeks=(4, 4), per_household=True).compute({key: own}, homes) == 0.4
    relative = statistic(weeks=(3, 4), relative_to={"scenario": "red-list"})
    assert relative.compute({key: own, ref_key: ref}, homes) == pytest.approx(3.5 / 1.5 - 1)
    assert statistic(half_time=4).compute({key: own}, homes) == 2.0  # first week >= 2


@pytest.mark.parametrize(("change", "message"), [
    ({"role": "tune"}, "role"),
    ({"observed": {"value": 5, "low": 1, "high": 2, "precision": "measured"}}, "low <= value"),
    ({"statistic": {"scenario": "baseline", "output": "x"}}, "exactly one of"),
    ({"title": {"en": "only English"}}, "zh"),
])
def test_bad_target_files_are_named(tmp_path, change, message):
    import tomllib

    base = tomllib.loads((targets_lib.TARGET_DIR / "retention.toml").read_text("utf-8"))
    base.update(change)
    path = tmp_path / "retention.toml"
    path.write_text(_toml(base), encoding="utf-8")
    with pytest.raises(targets_lib.TargetError, match=message) as err:
        targets_lib.load_file(path)
    assert "retention.toml" in str(err.value)


def _toml(data: dict, prefix: str = "") -> str:
    """A minimal TOML writer for the test's nested tables of scalars."""
    import json

    lines, tables = [], []
    for key, value in data.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    for key, value in tables:
        inner = ", ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in value.items()
                          if not isinstance(v, dict))
        lines.append(f"{key} = {{ {inner} }}")
    return "\n".join(lines)


# --- specs ------------------------------------------------------------------------------------

def spec_file(tmp_path: Path, text: str = TINY) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("edit", "message"), [
    (('"weekly-participation"', '"retention"'), "validation targets and are never used"),
    (('"participation.beta_trust"', '"participation.beta_trusst"'), "Did you mean"),
    (("[0.0, 2.0]", "[-1.0, 2.0]"), "leaves the allowed range"),
    (("[0.0, 2.0]", "[2.0, 0.0]"), "low < high"),
    (('"weekly-participation"', '"no-such-target"'), "unknown target"),
])
def test_bad_specs_are_refused_with_the_reason(tmp_path, edit, message):
    with pytest.raises(spec_lib.SpecError, match=message):
        spec_lib.load(spec_file(tmp_path, TINY.replace(*edit)))


def test_shipped_specs_load_and_fit_only_calibration_targets():
    for name in spec_lib.available():
        spec = spec_lib.load(name)
        assert all(t.role == "calibrate" for t in spec.library())


# --- the store ------------------------------------------------------------------------------

def test_a_damaged_chunk_is_quarantined_and_named(tmp_path):
    table = ChunkTable(tmp_path, "particles")
    table.write(pd.DataFrame({"a": [1, 2]}), "one")
    table.write(pd.DataFrame({"a": [3]}), "two")
    (tmp_path / "particles" / "two.parquet").write_bytes(b"not parquet")
    with pytest.warns(DamagedChunkWarning, match="two.parquet"):
        assert table.read()["a"].tolist() == [1, 2]
    assert (tmp_path / "quarantine" / "particles" / "two.parquet").exists()


# --- the command ------------------------------------------------------------------------------

def test_calibrate_runs_end_to_end_and_resumes_without_new_simulations(tmp_path):
    spec = spec_file(tmp_path)
    out = tmp_path / "fit"
    first = linli("calibrate", spec, "--out", out, "--workers", "1", timeout=900)
    assert first.code == 0, first.text
    for name in ("posterior.parquet", "posterior.json", "parameters.csv", "screening.csv",
                 "predictive.csv", "report.md", "marginals.png", "pairs.png", "predictive.png"):
        assert (out / name).exists(), name
    posterior = pd.read_parquet(out / "posterior.parquet")
    assert "participation.intercept" in posterior and posterior["weight"].sum() == (
        pytest.approx(1.0))
    checks = pd.read_csv(out / "predictive.csv")
    assert set(checks["target"]) == {t.id for t in targets_lib.load()}  # validation included
    chunks = sorted((out / "particles").glob("*.parquet"))
    again = linli("calibrate", spec, "--out", out, "--workers", "1", timeout=900)
    assert again.code == 0, again.text
    assert sorted((out / "particles").glob("*.parquet")) == chunks  # nothing new simulated
    pd.testing.assert_frame_equal(pd.read_parquet(out / "posterior.parquet"), posterior)


def test_calibrate_refuses_a_validation_target_before_any_work(tmp_path):
    spec = spec_file(tmp_path, TINY.replace('"weekly-participation"', '"board-effect"'))
    ran = linli("calibrate", spec, "--out", tmp_path / "fit")
    assert ran.code == 2 and "neverusedinafit" in ran.flat, ran.text
    assert not (tmp_path / "fit").exists()


@pytest.mark.slow
def test_killed_and_rerun_gives_the_same_posterior(tmp_path):
    """kill -9 in the middle of the fit, run the same command again: the posterior equals
    that of an uninterrupted run (nothing lost, nothing simulated twice)."""
    spec = spec_file(tmp_path)
    clean = tmp_path / "clean"
    assert linli("calibrate", spec, "--out", clean, "--workers", "1", timeout=900).code == 0
    killed = tmp_path / "killed"
    process = subprocess.Popen([str(LINLI), "calibrate", str(spec), "--out", str(killed),
                                "--workers", "1"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and not list((killed / "particles").glob("t001-*")):
        time.sleep(0.2)  # wait until generation 0 has a chunk on disk
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert list((killed / "particles").glob("t001-*")), "the run ended before it was killed"
    resumed = linli("calibrate", spec, "--out", killed, "--workers", "1", timeout=900)
    assert resumed.code == 0, resumed.text
    pd.testing.assert_frame_equal(pd.read_parquet(killed / "posterior.parquet"),
                                  pd.read_parquet(clean / "posterior.parquet"))


@pytest.mark.slow
def test_the_same_posterior_on_one_or_two_processes_and_on_dask(tmp_path):
    from distributed import LocalCluster

    spec = spec_file(tmp_path)
    one, two, dask = tmp_path / "one", tmp_path / "two", tmp_path / "dask"
    assert linli("calibrate", spec, "--out", one, "--workers", "1", timeout=900).code == 0
    assert linli("calibrate", spec, "--out", two, "--workers", "2", timeout=900).code == 0
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None, host="127.0.0.1") as cluster:
        ran = linli("calibrate", spec, "--out", dask, "--scheduler", cluster.scheduler_address,
                    timeout=900)
    assert ran.code == 0, ran.text
    expected = pd.read_parquet(one / "posterior.parquet")
    for other in (two, dask):
        pd.testing.assert_frame_equal(pd.read_parquet(other / "posterior.parquet"), expected)


def test_no_heavy_import_for_help():
    ran = subprocess.run([sys.executable, "-X", "importtime", str(LINLI), "calibrate", "--help"],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0
    assert "pyabc" not in ran.stderr  # pyabc is imported only when a fit runs


def test_calibrated_defaults_are_the_shipped_posterior_means():
    """Every parameter tagged `calibrated` is a fitted parameter of the shipped posterior,
    and its default is that posterior's mean (to three significant digits)."""
    import json

    from model.params import CALIBRATED, SECTIONS

    shipped = Path(spec_lib.__file__).parent / "posteriors" / "core"
    fitted = json.loads((shipped / "posterior.json").read_text("utf-8"))["fitted"]
    posterior = pd.read_parquet(shipped / "posterior.parquet")
    tagged = {f"{section}.{name}" for section, cls in SECTIONS.items()
              for name, field in cls.model_fields.items()
              if (field.json_schema_extra or {}).get("source") == CALIBRATED}
    assert tagged == set(fitted)
    for dotted, mean in fitted.items():
        section, name = dotted.split(".")
        default = SECTIONS[section].model_fields[name].default
        assert float(f"{mean:.3g}") == default, dotted
        weighted = float(np.sum(posterior[dotted] * posterior["weight"]))
        assert weighted == pytest.approx(mean)
