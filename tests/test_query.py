"""``linli query``: a read-only sandbox over the store's own tables, printed readably."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from linli_cli import clean, linli

from experiments.sweeping import query as query_lib
from experiments.sweeping import spec as spec_lib
from experiments.sweeping.store import Store
from experiments.sweeping.sweep import run_sweep

TINY = """
title = "tiny"
scenario = "baseline"
weeks = 4
replicates = 2
seed = 3
[fixed]
"structure.households" = 200
"structure.unit_size" = [10, 20]
[design]
method = "factorial"
[parameters]
"participation.intercept" = [-1.0, 0.0]
[outputs]
every = 2
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    root = tmp_path_factory.mktemp("query")
    (root / "tiny.toml").write_text(TINY, encoding="utf-8")
    run_sweep(spec_lib.load(root / "tiny.toml"), root / "store", workers=0)
    return Store(root / "store")


def snapshot(directory: Path) -> dict[str, str]:
    """Every file under ``directory`` with a hash of its content."""
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("sql", "words"), [
    ("COPY (SELECT 1) TO 'DIR/spec.json'", "onlySELECTqueriesareallowed,notCOPY"),
    ("COPY (SELECT * FROM runs) TO 'DIR/runs/part-999999.parquet'", "notCOPY"),
    ("ATTACH '/tmp/linli-query-test.duckdb'", "notATTACH"),
    ("SELECT * FROM read_csv('/etc/passwd')", "filesystemoperationsaredisabled"),
    ("SELECT * FROM read_parquet('DIR/design.parquet')", "filesystemoperationsaredisabled"),
    ("SELECT * FROM glob('/etc/*')", "filesystemoperationsaredisabled"),
    ("SET enable_external_access = true", "notSET"),
    ("SELECT 1; DROP TABLE runs", "onestatementatatime(2given)"),
    ("INSTALL httpfs", "notLOAD"),
    ("", "emptyquery"),
    ("  ;  ", "emptyquery"),
])
def test_queries_cannot_write_read_files_or_destroy(store, sql, words):
    before = snapshot(store.dir)
    ran = linli("query", store.dir, sql.replace("DIR", str(store.dir)))
    clean(ran)
    assert words in ran.flat, ran.text
    assert "root:" not in ran.text  # nothing of /etc/passwd
    assert snapshot(store.dir) == before
    assert not Path("/tmp/linli-query-test.duckdb").exists()
    assert len(query_lib.run(store, "select * from runs")) == 4  # still a working store


def test_query_prints_text_as_it_is(store):
    ran = linli("query", store.dir, "SELECT '[/bold]' AS a, 'a [b] c' AS b, "
                "chr(27) || '[2Jx' AS c")
    assert ran.code == 0, ran.text
    assert "[/bold]" in ran.out and "a [b] c" in ran.out
    assert "\x1b" not in ran.out and "\\x1b[2Jx" in ran.out  # no escape sequence gets out


def test_dotted_column_names_say_to_quote_them(store):
    ran = linli("query", store.dir, "SELECT structure.unit_size FROM runs")
    clean(ran)
    assert 'mustbeindoublequotes:write"structure.unit_size"' in ran.flat
    quoted = linli("query", store.dir, 'SELECT DISTINCT "structure.unit_size" FROM runs')
    assert quoted.code == 0 and "[10, 20]" in quoted.out


def test_a_wide_table_prints_one_record_at_a_time(store):
    ran = linli("query", store.dir, "SELECT * FROM runs", columns=80)
    assert ran.code == 0, ran.text
    columns = len(store.runs().columns)
    assert columns > 100
    assert f"{columns} columns do not fit in 80 characters" in ran.out
    assert "structure.households" in ran.out and "residents.share_conditional" in ran.out
    assert "row 1" in ran.out and "1 more rows (4 in all)" in ran.out


def test_a_narrow_table_prints_as_a_table(store):
    ran = linli("query", store.dir, "SELECT point, count(*) AS n FROM runs GROUP BY point "
                "ORDER BY point")
    assert ran.code == 0, ran.text
    assert "do not fit" not in ran.out
    assert [line.split()[1:4:2] for line in ran.out.splitlines() if line.startswith("│")] \
        == [["0", "2"], ["1", "2"]]


@pytest.mark.parametrize("target", ["runs/part-999999.parquet", "design.csv"])
def test_query_out_is_never_inside_the_store(store, target):
    before = snapshot(store.dir)
    ran = linli("query", store.dir, "SELECT 1", "--out", store.dir / target)
    clean(ran)
    assert "insidetheresultsdirectory" in ran.flat
    assert snapshot(store.dir) == before


def test_query_out_into_the_analysis_folder_or_elsewhere(store, tmp_path):
    ran = linli("query", store.dir, "SELECT * FROM metrics", "--out", tmp_path / "m.csv")
    assert ran.code == 0, ran.text
    assert (tmp_path / "m.csv").read_text().count("\n") == 1 + len(store.metrics())
