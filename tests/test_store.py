"""The results store: committed chunks, crash-safe compaction, the lock, and DuckDB queries."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from experiments.cli import app
from experiments.sweeping import query as query_lib
from experiments.sweeping import spec as spec_lib
from experiments.sweeping.store import Store, StoreError
from experiments.sweeping.sweep import run_sweep

runner = CliRunner()

TINY = """
scenario = "small-units"
weeks = 3
replicates = 3
seed = 5

[fixed]
"structure.households" = 100

[design]
method = "factorial"

[parameters]
"participation.intercept" = [-1.0, 0.0]

[outputs]
every = 1
"""


def flat(text: str) -> str:
    return "".join(text.split())


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def spec(tmp_path) -> spec_lib.Spec:
    path = tmp_path / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    return spec_lib.load(path)


@pytest.fixture
def swept(tmp_path, spec) -> Store:
    run_sweep(spec, tmp_path / "store", workers=0, batch_size=1)
    return Store(tmp_path / "store")


def test_store_layout_and_tables(swept):
    names = sorted(p.name for p in swept.dir.iterdir())
    assert names == ["design.parquet", "metrics", "runs", "spec.json", "spec.toml"]
    assert [p.name for p in (swept.dir / "runs").iterdir()] == ["merged-000001-000006.parquet"]
    assert swept.info()["points"] == 2 and swept.info()["runs"] == 6
    assert (swept.dir / "spec.toml").read_text(encoding="utf-8") == TINY
    runs = swept.runs()
    assert runs[["point", "replicate"]].values.tolist() == [[p, r] for p in (0, 1)
                                                            for r in (0, 1, 2)]
    assert runs["participation.intercept"].tolist() == [-1.0] * 3 + [0.0] * 3
    assert runs["worker"].str.fullmatch(rf"{socket.gethostname()}:\d+").all()
    metrics = swept.metrics()
    assert len(metrics) == 6 * 3 and len(metrics.columns) > 20  # every column, every week
    assert swept.design()["participation.intercept"].tolist() == [-1.0, 0.0]


def test_uncommitted_metrics_chunk_is_ignored_then_removed(tmp_path, spec):
    out = tmp_path / "store"
    run_sweep(spec, out, workers=0, batch_size=1)
    store = Store(out)
    before = store.metrics()
    # a sweep killed between writing a batch's metrics and its runs chunk leaves this:
    orphan = out / "metrics" / "part-000099.parquet"
    shutil.copy(next((out / "metrics").glob("*.parquet")), orphan)
    (out / "runs" / ".part-000099.parquet.abc.tmp").write_text("half a file")
    pd.testing.assert_frame_equal(store.metrics(), before)
    with store.writer():
        pass  # the next sweep cleans up on taking the lock
    assert not orphan.exists()
    assert not list((out / "runs").glob(".*.tmp"))


def test_compaction_interrupted_before_removing_chunks_loses_and_duplicates_nothing(
        tmp_path, spec):
    out = tmp_path / "store"
    run_sweep(spec, out, workers=0, batch_size=1)
    store = Store(out)
    runs, metrics = store.runs(all_attempts=True), store.metrics()
    # recreate chunks beside the merged files, as if the merge was renamed in but the
    # chunks it covers were not yet removed
    for table in ("runs", "metrics"):
        merged = next((out / table).glob("merged-*.parquet"))
        data = pq.read_table(merged)
        for i in range(data.num_rows):
            pq.write_table(data.slice(i, 1), out / table / f"part-{i + 1:06d}.parquet")
    assert len(list((out / "runs").iterdir())) == 7
    pd.testing.assert_frame_equal(store.runs(all_attempts=True), runs)
    pd.testing.assert_frame_equal(store.metrics(), metrics)
    with store.writer() as writer:
        writer.compact()
    assert len(list((out / "runs").iterdir())) == 1
    pd.testing.assert_frame_equal(store.runs(all_attempts=True), runs)


def test_stale_lock_of_a_dead_process_is_taken_over(tmp_path, swept):
    dead = subprocess.Popen(["true"])
    dead.wait()
    lock = swept.dir / ".lock"
    lock.write_text(f"{dead.pid} {socket.gethostname()}\n")
    with swept.writer():
        assert lock.read_text().split()[0] == str(os.getpid())
    assert not lock.exists()


@pytest.mark.parametrize("owner", ["live", "other-host"])
def test_lock_of_a_live_or_remote_process_is_an_error(swept, owner):
    lock = swept.dir / ".lock"
    text = f"1 {socket.gethostname()}" if owner == "live" else "12345 another-machine"
    lock.write_text(text + "\n")  # pid 1 is alive on every Linux machine
    with pytest.raises(StoreError, match="being written by another sweep") as err, \
            swept.writer():
        pass
    assert "remove the lock file" in str(err.value)
    assert lock.read_text().strip() == text  # left alone


def test_directory_with_other_files_is_not_taken(tmp_path, spec):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    with pytest.raises(StoreError, match="not a sweep store"):
        run_sweep(spec, out, workers=0)
    assert sorted(p.name for p in out.iterdir()) == ["thesis.tex"]


def test_query_views(swept):
    def one(sql: str):
        return query_lib.run(swept, sql).iloc[0, 0]

    assert one("select count(*) from runs") == 6
    mean = one("select avg(participation_rate) from metrics where week = 3")
    expected = swept.metrics().query("week == 3")["participation_rate"].mean()
    assert mean == pytest.approx(expected)
    joined = query_lib.run(swept, 'select r."participation.intercept" as b, '
                           "avg(m.participation_rate) as p from runs r join metrics m "
                           "using (point, replicate) where m.week = 3 group by b order by b")
    assert joined["b"].tolist() == [-1.0, 0.0]
    assert joined["p"].iloc[0] < joined["p"].iloc[1]  # a higher intercept, more participation
    assert one("select count(*) from design") == 2


def test_query_cli_prints_and_writes(swept, tmp_path):
    result = invoke("query", swept.dir, "select point, count(*) as n from runs group by point "
                    "order by point")
    assert result.exit_code == 0, result.output
    assert "point" in result.output and "3" in result.output
    for suffix, read in ((".csv", pd.read_csv), (".parquet", pd.read_parquet)):
        target = tmp_path / f"q{suffix}"
        result = invoke("query", swept.dir, "select * from metrics", "--out", target)
        assert result.exit_code == 0, result.output
        assert len(read(target)) == 18


@pytest.mark.parametrize(("args", "words"), [
    (["select nothing from nowhere"], "queryfailed"),
    (["select 1", "--out", "x.txt"], "--outmustendin.csvor.parquet"),
])
def test_query_errors(swept, args, words):
    result = invoke("query", swept.dir, *args)
    assert result.exit_code == 2
    assert words in flat(result.output)


def test_query_on_a_directory_that_is_not_a_store(tmp_path: Path):
    result = invoke("query", tmp_path, "select 1")
    assert result.exit_code == 2
    assert "isnotasweepstore" in flat(result.output)
