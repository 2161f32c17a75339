"""The ``linli`` command line and atomic output."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import scenarios
from experiments.cli import app
from experiments.running import output
from model.core import LinliModel

runner = CliRunner()


def flat(text: str) -> str:
    """Output without whitespace, so Rich's line wrapping cannot split what we look for."""
    return "".join(text.split())


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "run"
    result = invoke("run", "small-units", "--weeks", "5", "--seed", "7", "--out", out)
    assert result.exit_code == 0, result.output
    return out


def test_run_writes_all_outputs(run_dir):
    names = sorted(p.name for p in run_dir.iterdir())
    assert names == [".linli-output.json",  # whose output this is (the output guard's mark)
                     "manifest.json", "metrics.csv", "metrics.parquet", "units.csv"]


def test_run_metrics(run_dir):
    csv = pd.read_csv(run_dir / "metrics.csv")
    parquet = pd.read_parquet(run_dir / "metrics.parquet")
    assert len(csv) == 5
    assert csv["week"].tolist() == [1, 2, 3, 4, 5]
    pd.testing.assert_frame_equal(csv, parquet, check_dtype=False)
    # the same seed through the Python API gives the same numbers
    sc = scenarios.load("small-units")
    model = LinliModel(sc.params, rng=7, agents=False)
    model.run_for(5)
    pd.testing.assert_frame_equal(parquet, model.frame, check_dtype=False)


def test_run_manifest(run_dir):
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    sc = scenarios.load("small-units")
    assert manifest["scenario"] == "small-units"
    assert manifest["extends_chain"] == ["small-units", "baseline"]
    assert manifest["seed"] == 7
    assert manifest["weeks"] == 5
    assert manifest["params"] == sc.params.model_dump(mode="json")
    assert manifest["households"] == 3000
    versions = manifest["versions"]
    for package in ("python", "linli", "mesa", "numpy", "pandas"):
        assert versions.get(package), package
    units = pd.read_csv(run_dir / "units.csv")
    assert len(units) == manifest["units"]
    assert units["size"].sum() == 3000
    assert units["size"].between(10, 29).all()


def test_run_prints_a_summary(tmp_path):
    result = invoke("run", "baseline", "--weeks", "3", "--out", tmp_path / "o")
    assert result.exit_code == 0, result.output
    assert "3,000households" in flat(result.output)
    assert "written:" in result.output


def test_run_says_it_is_a_model_and_what_is_calibrated(tmp_path):
    """Issue 10: the terminal and the manifest say these are a model's results, what is
    calibrated to which field data and how much is assumed (both languages in the manifest);
    a scenario that sets a calibrated value itself is named."""
    from experiments.paramtable import counts

    assumed = counts()["assumed"]
    result = invoke("run", "baseline", "--weeks", "3", "--out", tmp_path / "o")
    text = flat(result.output)
    assert "simulationmodel" in text and f"{assumed}areassumptions" in text
    assert "WeeklyparticipationinanordinarycommunitY".lower() in text.lower()
    caveat = json.loads((tmp_path / "o" / "manifest.json").read_text("utf-8"))["caveat"]
    assert "docs/VALIDATION.md" in caveat["en"] and "仿真模型的结果" in caveat["zh"]
    assert f"{assumed}个是假设值" in caveat["zh"] and "itself" not in caveat["en"]
    own = tmp_path / "own.toml"
    own.write_text('extends = "baseline"\n[participation]\nintercept = -1.0\n', "utf-8")
    result = invoke("run", own, "--weeks", "3", "--out", tmp_path / "own")
    assert result.exit_code == 0, result.output
    assert "setsparticipation.interceptitself" in flat(result.output)


def test_unknown_scenario(tmp_path):
    out = tmp_path / "out"
    result = invoke("run", "smal-units", "--weeks", "5", "--out", out)
    assert result.exit_code == 2
    text = flat(result.output)
    assert "unknownscenario'smal-units'" in text
    assert "Didyoumean'small-units'?" in text
    assert "Traceback" not in result.output
    assert not out.exists()


def test_scenario_file_with_typo(tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text('extends = "small-units"\n[recognition]\nenabeld = true\n',
                    encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("run", path, "--weeks", "5", "--out", out)
    assert result.exit_code == 2
    text = flat(result.output)
    assert "recognition.enabeld" in text
    assert "Didyoumean'recognition.enabled'?" in text
    assert "typo.toml" in text
    assert "Traceback" not in result.output
    assert not out.exists()


def test_scenario_file_with_bad_value(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[structure]\nunit_size = [20, 10]\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("run", path, "--out", out)
    assert result.exit_code == 2
    assert "structure.unit_size" in flat(result.output)
    assert not out.exists()


def test_scenarios_lists_every_builtin():
    result = invoke("scenarios")
    assert result.exit_code == 0, result.output
    for name in scenarios.builtin_names():
        assert name in result.output
        assert flat(scenarios.load(name).title["en"])[:12] in flat(result.output)


def test_scenarios_show_prints_resolved_params():
    result = invoke("scenarios", "show", "small-units", "--json")
    assert result.exit_code == 0, result.output
    first, _, rest = result.output.partition("\n")
    assert "small-units" in first and "baseline" in first
    shown = json.loads(rest)
    assert shown == scenarios.load("small-units").params.model_dump(mode="json")
    assert shown["structure"]["households"] == 3000  # inherited from baseline
    assert shown["structure"]["unit_size"] == [10, 20]


def test_scenarios_show_baseline():
    result = invoke("scenarios", "show", "baseline", "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output.partition("\n")[2])
    assert shown["structure"]["unit_size"] == [100, 500]
    assert shown["recognition"]["enabled"] is False


def test_scenarios_show_unknown():
    result = invoke("scenarios", "show", "basline")
    assert result.exit_code == 2
    assert "Didyoumean'baseline'?" in flat(result.output)


# --- atomic_write -------------------------------------------------------------------------

def test_atomic_write_leaves_no_temp_file(tmp_path):
    target = tmp_path / "sub" / "data.txt"
    output.atomic_write(target, lambda p: p.write_text("hello", encoding="utf-8"))
    assert target.read_text(encoding="utf-8") == "hello"
    assert [p.name for p in target.parent.iterdir()] == ["data.txt"]
    output.atomic_write(target, lambda p: p.write_text("again", encoding="utf-8"))
    assert target.read_text(encoding="utf-8") == "again"
    assert [p.name for p in target.parent.iterdir()] == ["data.txt"]


def test_atomic_write_keeps_old_file_if_writer_raises(tmp_path):
    target = tmp_path / "data.txt"
    target.write_text("old", encoding="utf-8")

    def half_then_fail(p: Path) -> None:
        p.write_text("half a fi", encoding="utf-8")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        output.atomic_write(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["data.txt"]


def test_atomic_write_failure_on_new_file_leaves_nothing(tmp_path):
    def fail(p: Path) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        output.atomic_write(tmp_path / "new.csv", fail)
    assert list(tmp_path.iterdir()) == []


def test_write_frame_and_json(tmp_path):
    frame = pd.DataFrame({"week": [1, 2], "rate": [0.25, 0.5]})
    paths = output.write_frame(tmp_path, "m", frame)
    assert [p.name for p in paths] == ["m.csv", "m.parquet"]
    pd.testing.assert_frame_equal(pd.read_csv(paths[0]), frame)
    pd.testing.assert_frame_equal(pd.read_parquet(paths[1]), frame)
    output.write_json(tmp_path / "x.json", {"a": 1, "中": "文"})
    assert json.loads((tmp_path / "x.json").read_text(encoding="utf-8")) == {"a": 1, "中": "文"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.csv", "m.parquet", "x.json"]
