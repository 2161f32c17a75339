"""One output-directory guard for every command, checked before any work."""

from __future__ import annotations

import json
import os
import stat

import pytest
from linli_cli import clean, linli, unprivileged

from experiments.running import outdir

SMALL = "[structure]\nhouseholds = 200\nunit_size = [10, 20]\n"
SPEC = """
model = "experiments.analysis.sensitivity:ishigami"
weeks = 1
seed = 1
[design]
method = "factorial"
[parameters]
x1 = [0.0, 1.0]
x2 = [0.0]
x3 = [0.0]
"""


@pytest.fixture
def files(tmp_path):
    """Two small scenarios and a spec, and a plain file where a directory is expected."""
    (tmp_path / "one.toml").write_text(SMALL, encoding="utf-8")
    (tmp_path / "two.toml").write_text('extends = "one"\nweeks = 3\n', encoding="utf-8")
    (tmp_path / "spec.toml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "a-file").write_text("not a directory", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("command", [
    ["run", "one.toml"],
    ["compare", "one.toml", "two.toml", "--seeds", "100000"],  # would run for hours
    ["sweep", "spec.toml"],
])
def test_a_file_as_out_is_refused_before_any_work(files, command):
    ran = linli(*command, "--out", files / "a-file", cwd=files)
    clean(ran)
    assert "isafile,notadirectory;giveadirectory" in ran.flat
    assert ran.seconds < 60  # before: compare failed only after every simulation
    assert (files / "a-file").read_text() == "not a directory"


def test_an_out_below_a_file_is_refused(files):
    ran = linli("run", "one.toml", "--out", files / "a-file" / "sub", cwd=files)
    clean(ran)
    assert "a-fileisafile" in ran.flat


@pytest.mark.parametrize("command", [["run", "one.toml"],
                                     ["compare", "one.toml", "two.toml", "--seeds", "100000"],
                                     ["sweep", "spec.toml"]])
def test_an_out_in_a_read_only_directory_is_refused_before_any_work(files, command):
    prefix = unprivileged()
    if prefix is None:
        pytest.skip("no way to drop root's permission override here")
    locked = files / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    try:
        ran = linli(*command, "--out", locked / "out", cwd=files, prefix=prefix)
    finally:
        locked.chmod(0o755)
    clean(ran)
    assert "cannotwriteto" in ran.flat and "Permissiondenied" in ran.flat
    assert ran.seconds < 60
    assert list(locked.iterdir()) == []


def test_run_refuses_another_scenario_s_output_unless_overwrite(files):
    out = files / "out"
    assert linli("run", "one.toml", "--weeks", "2", "--out", out, cwd=files).code == 0
    again = linli("run", "one.toml", "--weeks", "2", "--seed", "5", "--out", out, cwd=files)
    assert again.code == 0, again.text  # the same command's earlier output: replaced
    other = linli("run", "two.toml", "--out", out, cwd=files)
    clean(other)
    assert "alreadyholdstheoutputof`linlirun`forone;chooseanother--out,orgive--overwrite" \
        in other.flat
    assert json.loads((out / "manifest.json").read_text())["scenario"] == "one"
    forced = linli("run", "two.toml", "--out", out, "--overwrite", cwd=files)
    assert forced.code == 0, forced.text
    assert json.loads((out / "manifest.json").read_text())["scenario"] == "two"


def test_compare_refuses_a_directory_with_other_output(files):
    out = files / "out"
    assert linli("run", "one.toml", "--weeks", "2", "--out", out, cwd=files).code == 0
    ran = linli("compare", "one.toml", "two.toml", "--seeds", "100000", "--out", out, cwd=files)
    clean(ran)
    assert "`linlirun`forone" in ran.flat and ran.seconds < 60
    assert not (out / "report.html").exists()


def test_foreign_files_are_never_taken_without_overwrite(files):
    out = files / "thesis"
    out.mkdir()
    (out / "thesis.tex").write_text("precious", encoding="utf-8")
    for command in (["run", "one.toml"], ["sweep", "spec.toml"]):
        ran = linli(*command, "--out", out, cwd=files)
        clean(ran)
        assert "alreadyholdsotherfiles(thesis.tex)" in ran.flat
    assert sorted(p.name for p in out.iterdir()) == ["thesis.tex"]


def test_a_command_that_fails_leaves_no_directory_behind(files):
    out = files / "new" / "deeper"
    ran = linli("sweep", "spec.toml", "--out", out, "--scheduler", "tcp://127.0.0.1:9",
                cwd=files, timeout=120)
    clean(ran)
    assert not (files / "new").exists()


def test_claim_marks_the_directory_and_recognises_it(tmp_path):
    out = tmp_path / "o"
    outdir.claim(out, "run", "baseline")
    assert json.loads((out / outdir.MARKER).read_text()) == {"command": "run",
                                                              "key": "baseline"}
    (out / "metrics.csv").write_text("x")
    outdir.claim(out, "run", "baseline")
    with pytest.raises(outdir.OutputError, match="`linli run` for baseline"):
        outdir.claim(out, "run", "small-units")
    with pytest.raises(outdir.OutputError, match="`linli run` for baseline"):
        outdir.claim(out, "compare", "baseline")
    outdir.claim(out, "compare", "a b", overwrite=True)
    assert json.loads((out / outdir.MARKER).read_text())["command"] == "compare"


def test_check_file(tmp_path):
    with pytest.raises(outdir.OutputError, match=r"must end in \.csv or \.parquet"):
        outdir.check_file(tmp_path / "x.json", (".csv", ".parquet"))
    (tmp_path / "d.csv").mkdir()
    with pytest.raises(outdir.OutputError, match="is a directory"):
        outdir.check_file(tmp_path / "d.csv", (".csv",))
    outdir.check_file(tmp_path / "new" / "x.csv", (".csv",))
    assert os.path.isdir(tmp_path / "new")


def test_analysis_folders_take_analyses_but_not_other_files(files):
    from experiments.sweeping import spec as spec_lib
    from experiments.sweeping.sweep import run_sweep

    run_sweep(spec_lib.load(files / "spec.toml"), files / "store", workers=0)
    earlier = files / "store" / "analysis"
    earlier.mkdir()
    (earlier / "prim-y-week1-above-0.5.csv").write_text("written before markers")
    ran = linli("results", files / "store", "--output", "y", cwd=files)
    assert ran.code == 0, ran.text
    assert (earlier / "results-y-week1.csv").is_file()
    mine = files / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    refused = linli("results", files / "store", "--output", "y", "--out", mine, cwd=files)
    clean(refused)
    assert "alreadyholdsotherfiles(notes.txt)" in refused.flat
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]
