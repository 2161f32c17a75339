"""`linli compare`: common-random-number comparisons, their numbers, and their errors."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from typer.testing import CliRunner

import scenarios
from experiments.cli import app
from experiments.reporting import compare as compare_lib

runner = CliRunner()
NAMES = ("baseline", "small-units", "red-list")
SEEDS, WEEKS = 4, 12


def flat(text: str) -> str:
    """Output without whitespace, so Rich's line wrapping cannot split what we look for."""
    return "".join(text.split())


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def compare_dir(root: Path, workers: int) -> Path:
    out = root / f"w{workers}"
    result = invoke("compare", *NAMES, "--no-posterior", "--seeds", SEEDS, "--weeks", WEEKS,
                    "--workers", workers, "--lang", "en", "--out", out)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def one_worker(tmp_path_factory) -> Path:
    return compare_dir(tmp_path_factory.mktemp("compare"), 1)


# --- what is written ----------------------------------------------------------------------

def test_compare_writes_all_files(one_worker):
    names = {p.name for p in one_worker.iterdir()}
    assert {"report.html", "summary.csv", "runs.parquet", "manifest.json",
            "participation.png"} <= names
    assert not [n for n in names if n.endswith(".tmp")]
    manifest = json.loads((one_worker / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == sorted(names - {".linli-output.json"})


def test_manifest(one_worker):
    manifest = json.loads((one_worker / "manifest.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in manifest["scenarios"]] == list(NAMES)
    assert manifest["reference"] == "baseline"
    for entry in manifest["scenarios"]:
        assert entry["params"] == scenarios.load(entry["name"]).params.model_dump(mode="json")
        assert entry["title"]["en"] and entry["title"]["zh"]
    assert manifest["scenarios"][1]["extends_chain"] == ["small-units", "baseline"]
    assert manifest["seeds"] == list(range(SEEDS))
    assert (manifest["weeks"], manifest["workers"], manifest["lang"]) == (WEEKS, 1, "en")
    assert manifest["wall_seconds"] >= manifest["run_seconds"] > 0
    for package in ("python", "linli", "mesa", "numpy", "pandas", "matplotlib"):
        assert manifest["versions"].get(package), package


def test_runs_parquet_holds_every_run(one_worker):
    runs = pd.read_parquet(one_worker / "runs.parquet")
    assert len(runs) == len(NAMES) * SEEDS * WEEKS
    assert list(runs.columns[:3]) == ["scenario", "seed", "week"]  # no posterior: no draw
    counts = runs.groupby(["scenario", "seed"]).size()
    assert (counts == WEEKS).all() and len(counts) == len(NAMES) * SEEDS


def test_cli_prints_summary_and_progress(tmp_path):
    result = invoke("compare", "baseline", "small-units", "--no-posterior", "--seeds", 2,
                    "--weeks", 3, "--lang", "en", "--out", tmp_path / "o")
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert "4/4" in text  # runs done / total
    assert "Smallneighbourunits(10–20households)•Weeklyparticipation:" in text
    assert "writtento" in text


def test_default_out_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("compare", "baseline", "red-list", "--seeds", 2, "--draws", 2, "--weeks", 2)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "results" / "compare-baseline-red-list" / "report.html").is_file()


# --- the numbers ---------------------------------------------------------------------------

def t_half(values: np.ndarray) -> float:
    n = len(values)
    return stats.t.ppf(0.975, n - 1) * values.std(ddof=1) / math.sqrt(n)


def recompute(runs: pd.DataFrame, output: str, scenario: str, reference: str,
              week: int) -> dict[str, float]:
    """The summary row, from the raw runs with numpy/scipy only."""
    def values(name: str) -> np.ndarray:
        rows = runs[(runs["scenario"] == name) & (runs["week"] == week)].sort_values("seed")
        return rows[output].to_numpy(dtype=float)

    a, b = values(scenario), values(reference)
    row = {"mean": a.mean(), "low": a.mean() - t_half(a), "high": a.mean() + t_half(a)}
    if scenario != reference:
        d = a - b
        pooled = math.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2)
        row |= {"diff": d.mean(), "diff_low": d.mean() - t_half(d),
                "diff_high": d.mean() + t_half(d),
                "effect_size": d.mean() / pooled if pooled > 0 else np.nan}
    return row


def test_summary_equals_recomputation_from_runs(one_worker):
    runs = pd.read_parquet(one_worker / "runs.parquet")
    summary = pd.read_csv(one_worker / "summary.csv")
    assert set(summary["week"]) == {WEEKS}  # report weeks within 12 weeks: just the horizon
    assert set(summary["scenario"]) == set(NAMES)
    checked = 0
    for row in summary.itertuples():
        if not np.isfinite(row.mean):  # e.g. mean weeks to fix with problems switched off
            continue
        expected = recompute(runs, row.output, row.scenario, "baseline", row.week)
        for key, value in expected.items():
            np.testing.assert_allclose(getattr(row, key), value, rtol=1e-9, atol=1e-12,
                                       equal_nan=True, err_msg=f"{row.output} {key}")
            checked += 1
    assert checked > 60


def test_same_summary_on_one_and_two_workers(one_worker, tmp_path):
    two = compare_dir(tmp_path, 2)
    pd.testing.assert_frame_equal(pd.read_csv(one_worker / "summary.csv"),
                                  pd.read_csv(two / "summary.csv"), check_exact=True)
    pd.testing.assert_frame_equal(pd.read_parquet(one_worker / "runs.parquet"),
                                  pd.read_parquet(two / "runs.parquet"), check_exact=True)


def test_progress_callback_counts_every_run():
    calls: list[tuple[int, int]] = []
    compare_lib.compare(["baseline", "small-units"], seeds=3, weeks=2,
                        progress=lambda done, total: calls.append((done, total)))
    assert calls == [(i, 6) for i in range(1, 7)]


def test_identical_scenarios_cannot_be_told_apart(tmp_path):
    copy = tmp_path / "copy.toml"
    copy.write_text('extends = "baseline"\n[recognition]\nslots = 9\n', encoding="utf-8")
    result = compare_lib.compare(["baseline", scenarios.load(copy)], seeds=3, weeks=6)
    diffs = result.summary().dropna(subset=["diff"])
    assert (diffs["diff"] == 0).all()
    assert not diffs["distinguishable"].astype(bool).any()


# --- seeds_needed ---------------------------------------------------------------------------

def test_seeds_needed_without_information():
    assert compare_lib.seeds_needed(float("nan"), 0.1, 10) is None
    assert compare_lib.seeds_needed(0.1, float("nan"), 10) is None
    assert compare_lib.seeds_needed(0.1, 0.1, 1) is None
    assert compare_lib.seeds_needed(0.1, 0.0, 10) is None  # no difference to detect


@pytest.mark.parametrize(("sd", "diff"), [(0.02, 0.004), (0.01, 0.01), (1.0, 0.05)])
def test_seeds_needed_is_the_smallest_n_with_80_percent_power(sd, diff):
    n = compare_lib.seeds_needed(sd, diff, 10)

    def margin(m: int) -> float:
        return (stats.t.ppf(0.975, m - 1) + stats.t.ppf(0.8, m - 1)) * sd / math.sqrt(m)

    assert n >= 2
    assert margin(n) <= abs(diff) * (1 + 1e-12)
    if n > 2:
        assert margin(n - 1) > abs(diff)
    assert compare_lib.seeds_needed(sd, -diff, 10) == n  # the sign does not matter


def test_seeds_needed_grows_with_noise_and_shrinks_with_effect():
    needed = [compare_lib.seeds_needed(sd, 0.01, 10) for sd in (0.01, 0.02, 0.04, 0.08)]
    assert needed == sorted(needed) and needed[-1] > 10 * needed[0]
    needed = [compare_lib.seeds_needed(0.05, d, 10) for d in (0.001, 0.01, 0.1)]
    assert needed == sorted(needed, reverse=True)


def test_seeds_needed_gives_a_fair_chance_to_tell_apart():
    """With the seeds it asks for (true sd and difference), the 95% interval excludes zero
    in about 80% of experiments (the power it is computed for)."""
    rng = np.random.default_rng(7)
    sd, diff = 0.03, 0.01
    n = compare_lib.seeds_needed(sd, diff, 10)
    d = rng.normal(diff, sd, size=(4000, n))
    half = stats.t.ppf(0.975, n - 1) * d.std(axis=1, ddof=1) / math.sqrt(n)
    power = float((np.abs(d.mean(axis=1)) > half).mean())
    assert 0.75 <= power <= 0.9, power


@pytest.mark.slow
def test_small_units_beat_baseline_with_30_seeds():
    """Pattern: small units raise participation, clearly, at every report week."""
    result = compare_lib.compare(["baseline", "small-units"], seeds=30, weeks=52, workers=2)
    rows = result.summary(["participation_rate"]).dropna(subset=["diff"])
    assert list(rows["week"]) == [26, 52]
    assert rows["distinguishable"].astype(bool).all()
    assert (rows["diff_low"] > 0).all()
    assert (rows["seeds_needed"] <= 30).all()


# --- errors: exit code 2, a clear message, nothing written -----------------------------------

def expect_error(tmp_path: Path, *args: object, contains: tuple[str, ...]) -> str:
    out = tmp_path / "out"
    result = invoke("compare", *args, "--seeds", 2, "--weeks", 2, "--out", out)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for text in contains:
        assert flat(text) in flat(result.output), (text, result.output)
    assert not out.exists()
    return result.output


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_scenario(tmp_path):
    expect_error(tmp_path, "baseline", "smal-units",
                 contains=("unknown scenario 'smal-units'", "Did you mean 'small-units'?"))


def test_unknown_key(tmp_path):
    path = write(tmp_path, "typo.toml", 'extends = "baseline"\n[recognition]\nenabeld = true\n')
    expect_error(tmp_path, "baseline", path,
                 contains=("typo.toml", "recognition.enabeld",
                           "Did you mean 'recognition.enabled'?"))


def test_bad_value(tmp_path):
    path = write(tmp_path, "bad.toml", "[structure]\nunit_size = [20, 10]\n")
    expect_error(tmp_path, "baseline", path, contains=("bad.toml", "structure.unit_size"))


def test_nan_value(tmp_path):
    path = write(tmp_path, "nan.toml", 'extends = "red-list"\n[recognition]\nglow = nan\n')
    expect_error(tmp_path, "baseline", path,
                 contains=("nan.toml", "recognition.glow", "finite number"))


def test_circular_extends(tmp_path):
    a = write(tmp_path, "loop-a.toml", 'extends = "loop-b"\n')
    write(tmp_path, "loop-b.toml", 'extends = "loop-a"\n')
    expect_error(tmp_path, "baseline", a,
                 contains=("loop-a.toml", "circular 'extends'", "loop-b.toml"))


def test_every_scenario_is_checked_before_anything_runs(tmp_path, monkeypatch):
    def must_not_run(*args, **kwargs):
        raise AssertionError("compare ran before every scenario was validated")

    monkeypatch.setattr(compare_lib, "compare", must_not_run)
    path = write(tmp_path, "late.toml", "[participation]\nnot_a_parameter = 1\n")
    expect_error(tmp_path, "baseline", "small-units", path,
                 contains=("late.toml", "participation.not_a_parameter"))


def test_needs_two_scenarios(tmp_path):
    expect_error(tmp_path, "baseline", contains=("at least two scenarios",))


def test_scenario_names_must_differ(tmp_path):
    (tmp_path / "other").mkdir()
    path = write(tmp_path / "other", "baseline.toml", 'extends = "small-units"\n')
    expect_error(tmp_path, "baseline", path, contains=("both named 'baseline'",))


@pytest.mark.parametrize(("option", "value"), [("--seeds", "1"), ("--lang", "fr"),
                                               ("--workers", "0")])
def test_bad_options(tmp_path, option, value):
    out = tmp_path / "out"
    result = invoke("compare", "baseline", "small-units", option, value, "--out", out)
    assert result.exit_code == 2, result.output
    assert option in result.output
    assert not out.exists()
