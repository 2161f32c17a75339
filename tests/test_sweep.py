"""Sweeps: spec validation, designs and seeds, failures, resuming after kill -9, the lock,
and the same sweep on a Dask cluster."""

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
from typer.testing import CliRunner

from experiments.cli import app
from experiments.sweeping import design as design_lib
from experiments.sweeping import spec as spec_lib
from experiments.sweeping import sweep as sweep_lib
from experiments.sweeping.store import Store, StoreError
from experiments.sweeping.sweep import run_sweep
from model.params import Params

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent

SMALL = """
title = "small"
scenario = "small-units"
weeks = 10
replicates = 2
seed = 7

[fixed]
"structure.households" = 300
"groups.enabled" = true

[design]
method = "factorial"

[parameters]
"structure.unit_size" = [5, [10, 20]]
"recognition.enabled" = [true, false]

[outputs]
columns = ["participation_rate", "trust"]
every = 5
"""

# Residents' behavioural shares must sum to 1: two of the four combinations do not, so the
# model rejects half the design points with a ParameterError.
HALF_FAILING = """
scenario = "baseline"
weeks = 4
replicates = 2
seed = 1

[fixed]
"structure.households" = 200
"structure.unit_size" = 20

[design]
method = "factorial"

[parameters]
"residents.share_conditional" = [0.5, 0.6]
"residents.share_free_rider" = [0.3, 0.2]

[outputs]
columns = ["participation_rate"]
"""

# Long enough (about 3 s of work on 2 workers) to be killed part-way.
KILLABLE = """
scenario = "small-units"
weeks = 52
replicates = 15
seed = 99

[fixed]
"structure.households" = 2000

[design]
method = "factorial"

[parameters]
"participation.beta_civic" = [1.5, 2.5]
"ties.meet_rate" = [0.02, 0.05]

[outputs]
columns = ["participation_rate", "tie_density"]
every = 13
"""


def flat(text: str) -> str:
    return "".join(text.split())


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def write_spec(folder: Path, text: str, name: str = "spec") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def comparable(store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Runs (without what legitimately differs: timing, worker, attempt time) and metrics."""
    runs = store.runs().drop(columns=["seconds", "worker", "finished"])
    return runs, store.metrics()


def assert_same_results(a: Store, b: Store) -> None:
    runs_a, metrics_a = comparable(a)
    runs_b, metrics_b = comparable(b)
    pd.testing.assert_frame_equal(runs_a, runs_b)
    pd.testing.assert_frame_equal(metrics_a, metrics_b)


# ---------------------------------------------------------------------- specs


def test_shipped_specs_are_valid():
    sizes = {}
    for name in ("unit-size-boards-groups", "sobol-main", "morris-main"):
        spec = spec_lib.load(name)
        sizes[name] = len(design_lib.build(spec)) * spec.replicates
    assert sizes == {"unit-size-boards-groups": 225, "sobol-main": 8192, "morris-main": 360}


BAD_SPECS = [  # (replace this, with this, words the error must contain)
    ('seed = 7', 'seed = 7\nreplicate = 3', ["replicate", "Did you mean 'replicates'"]),
    ('"recognition.enabled" = [true, false]', '"recognition.enabld" = [true, false]',
     ['parameters."recognition.enabld"', "Did you mean 'recognition.enabled'"]),
    ('"recognition.enabled" = [true, false]', '"recognition.enabled" = { range = [0, 1] }',
     ['parameters."recognition.enabled"', "true or false"]),
    ('"structure.unit_size" = [5, [10, 20]]', '"participation.beta_civic" = { range = [3, 1], '
     'levels = 2 }', ['parameters."participation.beta_civic".range', "lo must be below hi"]),
    ('"structure.unit_size" = [5, [10, 20]]', '"participation.beta_civic" = [1.0, 99.0]',
     ['parameters."participation.beta_civic"', "99.0", "less than or equal to 10"]),
    ('"structure.unit_size" = [5, [10, 20]]', '"participation.beta_civic" = { range = [1, 3] }',
     ['parameters."participation.beta_civic"', "needs 'levels'"]),
    ('"structure.unit_size" = [5, [10, 20]]', '"recognition.interval" = { range = [1.5, 3], '
     'levels = 2 }', ['parameters."recognition.interval".range', "integer bounds"]),
    ('method = "factorial"', 'method = "sobl"', ["design.method", "Did you mean 'sobol'"]),
    ('method = "factorial"', 'method = "lhs"', ["design.samples", "missing"]),
    ('method = "factorial"', 'method = "morris"\nsamples = 4\nlevels = 3',
     ["design.levels", "even"]),
    ('weeks = 10', 'weeks = "ten"', ["weeks", "expected an integer"]),
    ('replicates = 2', 'replicates = 0', ["replicates", "between 1"]),
    ('columns = ["participation_rate", "trust"]', 'columns = ["participation"]',
     ["outputs.columns", "unknown column 'participation'", "Did you mean"]),
    ('scenario = "small-units"', 'scenario = "small-unit"',
     ["scenario", "Did you mean 'small-units'"]),
    ('"groups.enabled" = true', '"groups.enabled" = 1', ['fixed."groups.enabled"']),
    ('[outputs]', '[outputs]\n"weeks" = 3', ["outputs.weeks", "unknown key"]),
]


@pytest.mark.parametrize(("old", "new", "words"), BAD_SPECS)
def test_malformed_spec_is_a_clear_error_and_writes_nothing(tmp_path, old, new, words):
    assert old in SMALL
    path = write_spec(tmp_path, SMALL.replace(old, new), "bad")
    out = tmp_path / "out"
    result = invoke("sweep", path, "--out", out)
    assert result.exit_code == 2, result.output
    text = flat(result.output)
    assert "error:" in text and flat(str(path)) in text
    for word in words:
        assert flat(word) in text, (word, result.output)
    assert not out.exists()


def test_spec_errors_name_file_and_key(tmp_path):
    path = write_spec(tmp_path, SMALL.replace('"structure.unit_size"', '"structure.unit_sise"'))
    with pytest.raises(spec_lib.SpecError) as err:
        spec_lib.load(path)
    message = str(err.value)
    assert message.startswith(f"{path}: parameters.\"structure.unit_sise\": unknown parameter")
    assert "Did you mean 'structure.unit_size'" in message


def test_not_toml_and_unknown_spec_name(tmp_path):
    path = write_spec(tmp_path, "scenario = ")
    with pytest.raises(spec_lib.SpecError, match="not valid TOML"):
        spec_lib.load(path)
    with pytest.raises(spec_lib.SpecError, match="Did you mean 'sobol-main'"):
        spec_lib.load("sobol-mian")


def test_sobol_samples_not_power_of_two_warns(tmp_path):
    text = SMALL.replace('method = "factorial"', 'method = "sobol"\nsamples = 6').replace(
        '"structure.unit_size" = [5, [10, 20]]', '"structure.unit_size" = [5, 20]').replace(
        '"recognition.enabled" = [true, false]', '"participation.beta_civic" = [1.0, 3.0]')
    with pytest.warns(UserWarning, match="not a power of 2"):
        spec_lib.load(write_spec(tmp_path, text))


# ---------------------------------------------------------------------- designs and seeds


def test_factorial_crosses_values_and_unit_size_means_a_fixed_size(tmp_path):
    spec = spec_lib.load(write_spec(tmp_path, SMALL))
    d = design_lib.build(spec)
    assert [p["structure.unit_size"] for p in d.points] == [5, 5, [10, 20], [10, 20]]
    assert [p["recognition.enabled"] for p in d.points] == [True, False, True, False]
    params = spec.base.replace(spec_lib.nest(d.points[0]))
    assert params.structure.unit_size == (5, 5)
    assert params.groups.enabled and params.structure.households == 300


def test_sampled_integer_parameters_are_integers_in_range(tmp_path):
    text = SMALL.replace('method = "factorial"', 'method = "lhs"\nsamples = 40').replace(
        '"structure.unit_size" = [5, [10, 20]]', '"structure.unit_size" = [5, 8]').replace(
        '"recognition.enabled" = [true, false]',
        '"participation.beta_civic" = { dist = "triangular", range = [1.0, 3.0], mode = 2.0 }')
    spec = spec_lib.load(write_spec(tmp_path, text))
    d = design_lib.build(spec)
    sizes = [p["structure.unit_size"] for p in d.points]
    assert all(isinstance(s, int) for s in sizes) and set(sizes) == {5, 6, 7, 8}
    civic = np.array([p["participation.beta_civic"] for p in d.points])
    assert ((civic >= 1) & (civic <= 3)).all()
    again = design_lib.build(spec_lib.load(write_spec(tmp_path, text)))
    assert again.points == d.points  # the design is a function of the root seed


def test_run_seeds_are_per_point_and_replicate():
    seeds = {design_lib.run_seed(5, p, r) for p in range(20) for r in range(5)}
    assert len(seeds) == 100
    assert design_lib.run_seed(5, 3, 1) == design_lib.run_seed(5, 3, 1)
    assert design_lib.run_seed(5, 3, 1) != design_lib.run_seed(6, 3, 1)


# ---------------------------------------------------------------------- sweeps


def test_sweep_writes_store_and_resumes_without_rerunning(tmp_path):
    spec = spec_lib.load(write_spec(tmp_path, SMALL))
    first = run_sweep(spec, tmp_path / "out", workers=0)
    assert (first.total, first.ok, first.failed, first.skipped) == (8, 8, 0, 0)
    store = Store(tmp_path / "out")
    runs = store.runs()
    assert len(runs) == 8 and (runs["status"] == "ok").all()
    assert runs["structure.households"].eq(300).all()
    assert runs["recognition.enabled"].tolist() == [True] * 2 + [False] * 2 + [True] * 2 + \
        [False] * 2
    assert runs["structure.unit_size"].tolist()[::2] == ["5", "5", "[10, 20]", "[10, 20]"]
    assert runs["seed"].tolist() == [design_lib.run_seed(7, p, r) for p in range(4)
                                     for r in range(2)]
    assert runs["git"].str.len().max() in (0, 40) and runs["versions"].str.contains("mesa").all()
    metrics = store.metrics()
    assert metrics["week"].unique().tolist() == [5, 10]
    assert list(metrics.columns) == ["point", "replicate", "week", "participation_rate", "trust"]
    again = run_sweep(spec, tmp_path / "out", workers=0)
    assert (again.ran, again.skipped) == (0, 8)
    assert len(store.runs(all_attempts=True)) == 8


def test_same_results_whatever_workers_or_batching(tmp_path):
    spec = spec_lib.load(write_spec(tmp_path, SMALL))
    run_sweep(spec, tmp_path / "one", workers=0, batch_size=3)
    run_sweep(spec, tmp_path / "two", workers=2, batch_size=1)
    assert_same_results(Store(tmp_path / "one"), Store(tmp_path / "two"))


def test_half_failing_spec_records_failures_and_goes_on(tmp_path):
    spec = spec_lib.load(write_spec(tmp_path, HALF_FAILING))
    result = run_sweep(spec, tmp_path / "out", workers=2)
    assert (result.total, result.ok, result.failed) == (8, 4, 4)
    store = Store(tmp_path / "out")
    runs = store.runs()
    failed = runs[runs["status"] == "failed"]
    assert sorted(failed["point"].unique()) == [1, 2]
    assert failed["error"].str.contains("ParameterError").all()
    assert failed["error"].str.contains("must sum to 1").all()
    assert failed["traceback"].str.contains("Traceback").all()
    assert failed["residents.share_conditional"].tolist() == [0.5, 0.5, 0.6, 0.6]
    assert set(store.metrics()["point"]) == {0, 3}  # outputs of successful runs only
    # a re-run skips the failures; --retry-failed runs them again as attempt 2
    assert run_sweep(spec, tmp_path / "out", workers=0).ran == 0
    retried = run_sweep(spec, tmp_path / "out", workers=0, retry_failed=True)
    assert (retried.ran, retried.failed) == (4, 4)
    assert store.runs()["attempt"].tolist() == [1, 1, 2, 2, 2, 2, 1, 1]
    assert len(store.runs(all_attempts=True)) == 12


def test_cli_sweep_reports_failures(tmp_path):
    path = write_spec(tmp_path, HALF_FAILING)
    result = invoke("sweep", path, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert "8runsinthedesign:4ok,4failed,0lost" in text and "--retry-failed" in text
    again = invoke("sweep", path, "--out", tmp_path / "out")  # a rerun leaves them failed
    assert "4ok,4failed,0lost.Thissweepran0" in flat(again.output), again.output
    assert "4runsfailed" in flat(again.output)


def test_another_spec_into_the_same_directory_is_an_error(tmp_path):
    run_sweep(spec_lib.load(write_spec(tmp_path, SMALL)), tmp_path / "out", workers=0)
    before = sorted(p.name for p in (tmp_path / "out").rglob("*"))
    other = write_spec(tmp_path, SMALL.replace("seed = 7", "seed = 8"), "other")
    result = invoke("sweep", other, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "holdstheresultsofadifferentspec" in flat(result.output)
    assert "whatdiffers:seed" in flat(result.output)
    assert sorted(p.name for p in (tmp_path / "out").rglob("*")) == before


def test_a_second_sweep_on_a_locked_directory_is_an_error(tmp_path):
    path = write_spec(tmp_path, SMALL)
    store = Store(tmp_path / "out")
    with store.writer():  # this process holds the lock, as a running sweep would
        result = invoke("sweep", path, "--out", tmp_path / "out")
        assert result.exit_code == 2
        text = flat(result.output)
        assert "isbeingwrittenbyanothersweep" in text and f"process{os.getpid()}" in text
        with pytest.raises(StoreError, match="another sweep"):
            run_sweep(spec_lib.load(path), tmp_path / "out", workers=0)
    assert not (tmp_path / "out" / ".lock").exists()
    assert run_sweep(spec_lib.load(path), tmp_path / "out", workers=0).ok == 8


def _chunks(out: Path) -> int:
    folder = out / "runs"
    return len(list(folder.glob("part-*.parquet"))) if folder.is_dir() else 0


@pytest.mark.slow
def test_killed_sweep_resumes_with_every_run_exactly_once(tmp_path):
    path = write_spec(tmp_path, KILLABLE)
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "experiments.cli", "sweep", str(path), "--out", str(out),
           "--workers", "2", "--batch-size", "1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while _chunks(out) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    # while it runs, a second sweep on the same directory is refused
    with pytest.raises(StoreError, match="another sweep"):
        run_sweep(spec_lib.load(path), out, workers=0)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    store = Store(out)
    done = len(store.runs())
    assert 3 <= done < 60, done  # killed part-way, its finished batches kept
    assert (out / ".lock").exists()  # a stale lock, taken over below

    resumed = run_sweep(spec_lib.load(path), out, workers=2)
    assert resumed.skipped == done and resumed.ran == 60 - done
    runs = store.runs(all_attempts=True)
    assert len(runs) == 60 and not runs.duplicated(["point", "replicate"]).any()
    metrics = store.metrics()
    assert len(metrics) == 60 * 4 and not metrics.duplicated(["point", "replicate", "week"]).any()
    files = list((out / "runs").iterdir())  # compacted into one file
    assert len(files) == 1 and files[0].name.startswith("merged-000001-"), files

    run_sweep(spec_lib.load(path), tmp_path / "whole", workers=0)
    assert_same_results(store, Store(tmp_path / "whole"))


def crash_above_half(params: dict[str, float], seed: int, weeks: int) -> dict[str, float]:
    """A model whose process dies (as if killed or out of memory) when x > 0.5."""
    if params["x"] > 0.5:
        os._exit(1)
    return {"y": params["x"]}


def test_a_dead_worker_is_recorded_as_lost_and_the_next_sweep_runs_it_again(tmp_path):
    text = f"""
model = "{__name__}:crash_above_half"
weeks = 1
seed = 2
[design]
method = "factorial"
[parameters]
x = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7]
"""
    spec = spec_lib.load(write_spec(tmp_path, text))
    result = run_sweep(spec, tmp_path / "out", workers=2, batch_size=1)
    assert result.total == 6 and result.ok + result.lost == 6 and result.failed == 0
    runs = Store(tmp_path / "out").runs()
    assert len(runs) == 6 and not runs.duplicated(["point", "replicate"]).any()
    crashed = runs[runs["x"] > 0.5]
    assert (crashed["status"] == "lost").all()
    assert crashed["error"].str.contains("a worker process died").all()
    assert result.ok >= 1  # a fresh pool took over after the first death
    # lost runs are not model failures: a plain rerun (no --retry-failed) runs them again
    again = run_sweep(spec, tmp_path / "out", workers=2, batch_size=1)
    assert again.ran == result.lost and again.skipped == result.ok
    assert Store(tmp_path / "out").runs(all_attempts=True)["attempt"].max() == 2


@pytest.mark.slow
def test_dask_cluster_gives_the_same_runs_as_the_local_pool(tmp_path):
    distributed = pytest.importorskip("distributed")
    spec = spec_lib.load(write_spec(tmp_path, SMALL))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        result = invoke("sweep", tmp_path / "spec.toml", "--scheduler",
                        cluster.scheduler_address, "--out", tmp_path / "dask")
        assert result.exit_code == 0, result.output
        workers = set(Store(tmp_path / "dask").runs()["worker"])
    run_sweep(spec, tmp_path / "pool", workers=2)
    assert_same_results(Store(tmp_path / "dask"), Store(tmp_path / "pool"))
    assert len(workers) == 2  # both cluster workers ran batches


def test_unreachable_scheduler_is_a_clear_error_and_writes_nothing(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(sweep_lib, "CONNECT_TIMEOUT", "1s")
    path = write_spec(tmp_path, SMALL)
    result = invoke("sweep", path, "--scheduler", "tcp://127.0.0.1:9", "--out", tmp_path / "o")
    assert result.exit_code == 2
    assert "cannotreachtheDaskscheduler" in flat(result.output)
    assert not (tmp_path / "o").exists()


def test_params_replace_accepts_a_design_point():
    point = {"structure.unit_size": 12, "recognition.interval": 2}
    params = Params().replace(spec_lib.nest(point))
    assert params.structure.unit_size == (12, 12) and params.recognition.interval == 2
