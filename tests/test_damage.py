"""Results survive damage: corrupt or empty chunks, lost workers and schedulers, and a
directory made read-only mid-sweep."""

from __future__ import annotations

import os
import shutil
import stat
from concurrent.futures import CancelledError, Executor, Future
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from linli_cli import clean, linli, unprivileged

from experiments.sweeping import spec as spec_lib
from experiments.sweeping.store import RELEASED, DamagedChunkWarning, Store
from experiments.sweeping.sweep import SweepError, run_sweep

SPEC = """
model = "experiments.analysis.sensitivity:ishigami"
weeks = 1
seed = 4
replicates = 2
[design]
method = "factorial"
[parameters]
x1 = [0.0, 1.0, 2.0]
x2 = [0.0, 1.0]
x3 = [0.5]
"""
RUNS = 12


def write_spec(directory: Path, text: str = SPEC) -> Path:
    path = directory / "spec.toml"
    path.write_text(text, encoding="utf-8")
    return path


def chunked(directory: Path) -> Store:
    """A finished sweep whose merged files are split back into one chunk per run (as a
    sweep leaves them before compacting), so one chunk can be damaged alone."""
    run_sweep(spec_lib.load(write_spec(directory)), directory / "store", workers=0)
    store = Store(directory / "store")
    for table in ("runs", "metrics"):
        merged = next((store.dir / table).glob("merged-*.parquet"))
        data = pq.read_table(merged)
        for i in range(data.num_rows):
            pq.write_table(data.slice(i, 1), store.dir / table / f"part-{i + 1:06d}.parquet")
        merged.unlink()
    return store


@pytest.fixture
def store(tmp_path) -> Store:
    return chunked(tmp_path)


@pytest.mark.parametrize(("table", "damage"), [("runs", "truncate"), ("metrics", "truncate"),
                                               ("metrics", "empty"), ("runs", "garbage")])
def test_a_damaged_chunk_is_named_quarantined_and_only_its_runs_run_again(store, table,
                                                                        damage):
    whole = store.metrics()
    chunk = store.dir / table / "part-000005.parquet"
    if damage == "truncate":
        chunk.write_bytes(chunk.read_bytes()[:100])
    elif damage == "empty":
        chunk.write_bytes(b"")
    else:
        chunk.write_bytes(b"not parquet at all")
    with pytest.warns(DamagedChunkWarning, match="part-000005.parquet"):
        store.runs() if table == "runs" else store.metrics()
    # readers name it and go on; the CLI says so in one line
    ran = linli("query", store.dir, f"select count(*) as n from {table}")
    assert ran.code == 0 and "damagedchunk" in ran.flat and "part-000005.parquet" in ran.flat
    result = run_sweep(spec_lib.load(store.dir.parent / "spec.toml"), store.dir, workers=0)
    assert result.ran == 1 and result.skipped == RUNS - 1  # just the damaged chunk's run
    assert [p.name for p, _ in result.quarantined] == ["part-000005.parquet"] * (
        2 if table == "runs" else 1)  # a runs chunk takes the metrics it committed along
    assert (store.dir / "quarantine" / table / "part-000005.parquet").is_file()
    runs = store.runs()
    assert len(runs) == RUNS and (runs["status"] == "ok").all()
    metrics = store.metrics()
    assert not metrics.duplicated(["point", "replicate", "week"]).any()
    pd.testing.assert_frame_equal(metrics, whole)  # the same numbers as before the damage


def test_the_cli_reports_the_quarantine(store):
    chunk = store.dir / "runs" / "part-000002.parquet"
    chunk.write_bytes(chunk.read_bytes()[:50])
    ran = linli("sweep", store.dir.parent / "spec.toml", "--out", store.dir, "--workers", "0")
    assert ran.code == 0, ran.text
    assert "damagedchunkpart-000002.parquet" in ran.flat and "wasmovedto" in ran.flat
    assert "Thissweepran1(1ok" in ran.flat


def test_discover_and_sensitivity_on_a_damaged_store_give_no_traceback(store):
    for chunk in (store.dir / "runs").glob("*.parquet"):
        chunk.write_bytes(b"")
    ran = linli("discover", store.dir, "--output", "y", "--threshold", "0.5")
    clean(ran)
    assert "damagedchunk" in ran.flat and "norun" in ran.flat


def test_a_damaged_spec_json_is_a_clear_error(store):
    (store.dir / "spec.json").write_text("1")
    ran = linli("query", store.dir, "select 1")
    clean(ran)
    assert "spec.jsonisdamaged" in ran.flat


# --- runs lost to infrastructure -------------------------------------------------------

class Flaky(Executor):
    """Runs tasks in this process; the ``cancel``-th task comes back cancelled (a lost
    scheduler cancels what it held) and from the ``close``-th submit on it refuses work."""

    def __init__(self, cancel: int, close: int) -> None:
        self.submitted, self.cancel, self.close = 0, cancel, close

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        self.submitted += 1
        if self.submitted >= self.close:
            raise RuntimeError("ClosedClientError: the client was closed")
        future: Future = Future()
        if self.submitted == self.cancel:
            future.set_exception(CancelledError())
        else:
            future.set_result(fn(*args, **kwargs))
        return future


def test_a_lost_scheduler_ends_the_sweep_and_a_plain_rerun_finishes_it(tmp_path):
    spec = spec_lib.load(write_spec(tmp_path))
    with pytest.raises(SweepError, match=r"cannot hand out work any more \(RuntimeError: "
                       r"ClosedClientError.*runs finished here are saved.*run the same "
                       "command again"):
        run_sweep(spec, tmp_path / "out", executor=Flaky(cancel=2, close=5), batch_size=1)
    runs = Store(tmp_path / "out").runs()
    assert set(runs["status"]) == {"ok", "lost"}
    lost = runs[runs["status"] == "lost"]
    assert len(lost) == 1 and lost["error"].str.contains("CancelledError").all()
    again = run_sweep(spec, tmp_path / "out", workers=0)  # no --retry-failed
    assert again.ran == RUNS - 3 and again.status == {"ok": RUNS}


def test_older_stores_lost_runs_recorded_as_failed_are_retried(tmp_path):
    spec = spec_lib.load(write_spec(tmp_path))
    run_sweep(spec, tmp_path / "out", workers=0)
    store = Store(tmp_path / "out")
    path = next((store.dir / "runs").glob("*.parquet"))
    table = pq.read_table(path).to_pandas()
    table.loc[:1, "status"] = "failed"
    table.loc[:1, "error"] = "task failed: CancelledError: "
    table.to_parquet(path, index=False)
    assert run_sweep(spec, store.dir, workers=0).ran == 2


def test_the_cli_never_says_0_failed_when_runs_failed_or_were_lost(tmp_path):
    spec = spec_lib.load(write_spec(tmp_path))
    with pytest.raises(SweepError):
        run_sweep(spec, tmp_path / "out", executor=Flaky(cancel=1, close=3), batch_size=1)
    ran = linli("sweep", tmp_path / "spec.toml", "--out", tmp_path / "out", "--workers", "0")
    assert ran.code == 0, ran.text
    assert f"{RUNS}runsinthedesign:{RUNS}ok,0failed,0lost" in ran.flat
    assert "Thissweepran11" in ran.flat  # the lost run and the nine never handed out


@pytest.mark.slow
def test_losing_the_dask_scheduler_is_one_clear_line_and_a_rerun_resumes(tmp_path):
    """A real scheduler closed mid-sweep."""
    import subprocess
    import sys
    import time

    distributed = pytest.importorskip("distributed")
    slow = SPEC.replace("experiments.analysis.sensitivity:ishigami", "test_damage:slow_model")
    write_spec(tmp_path, slow)
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent)}
    cmd = [str(Path(sys.executable).with_name("linli")), "sweep", str(tmp_path / "spec.toml"),
           "--out", str(tmp_path / "out"), "--scheduler", cluster.scheduler_address,
           "--batch-size", "1"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((tmp_path / "out" / "runs").glob(
            "*.parquet")) if (tmp_path / "out" / "runs").is_dir() else []) < 2:
        time.sleep(0.1)
    cluster.close()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, out + err
    assert "Traceback" not in out + err
    assert "runsfinishedherearesaved" in "".join(err.split()), err
    again = linli("sweep", tmp_path / "spec.toml", "--out", tmp_path / "out", "--workers", "1",
                  env={"PYTHONPATH": str(Path(__file__).parent)})
    assert again.code == 0, again.text
    assert Store(tmp_path / "out").runs()["status"].eq("ok").sum() == RUNS


def slow_model(params: dict[str, float], seed: int, weeks: int) -> dict[str, float]:
    import time

    time.sleep(0.5)
    return {"y": params["x1"]}


# --- a directory made read-only mid-sweep -------------------------------------------------

def chmod_directory(params: dict[str, float], seed: int, weeks: int) -> dict[str, float]:
    """A model that makes its sweep's directory read-only at its third point."""
    if params["x1"] == 2.0:
        for folder in (Path(os.environ["LINLI_TEST_OUT"]),
                       *Path(os.environ["LINLI_TEST_OUT"]).iterdir()):
            if folder.is_dir():
                folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    return {"y": params["x1"]}


def test_a_directory_made_read_only_mid_sweep_releases_its_lock(tmp_path):
    prefix = unprivileged()
    if prefix is None:
        pytest.skip("no way to drop root's permission override here")
    write_spec(tmp_path, SPEC.replace("experiments.analysis.sensitivity:ishigami",
                                      "test_damage:chmod_directory"))
    out = tmp_path / "out"
    env = {"LINLI_TEST_OUT": str(out), "PYTHONPATH": str(Path(__file__).parent)}
    try:
        ran = linli("sweep", tmp_path / "spec.toml", "--out", out, "--workers", "0",
                    "--batch-size", "1", env=env, prefix=prefix)
    finally:
        for folder in (out, *out.iterdir()):
            if folder.is_dir():
                folder.chmod(0o755)
    clean(ran)
    assert "cannotwriteto" in ran.flat and "makeitwritableandrunthesamecommandagain" in ran.flat
    lock = out / ".lock"
    assert not lock.exists() or lock.read_text().strip() == RELEASED
    done = len(Store(out).runs())
    assert 0 < done < RUNS
    again = linli("sweep", tmp_path / "spec.toml", "--out", out, "--workers", "0",
                  env={**env, "LINLI_TEST_OUT": str(tmp_path / "elsewhere")})
    assert again.code == 0, again.text  # the lock was free: no "being written by another"
    assert len(Store(out).runs()) == RUNS and not lock.exists()
    shutil.rmtree(tmp_path / "elsewhere", ignore_errors=True)
