"""``linli validate`` through the real entry point: the quick scorecard CI runs, its files,
and one-line errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from linli_cli import clean, linli
from test_terminal import HEAVY, imported

from experiments.calibration.targets import load as load_targets
from experiments.validation.patterns import PATTERNS


@pytest.mark.slow
def test_quick_scorecard_as_ci_runs_it(tmp_path):
    """Every target and every pattern, through the real entry point, in minutes: the files,
    the roles, every negative control vanishing and every effect showing at the defaults, and
    the opening paragraph saying what the numbers are."""
    out = tmp_path / "quick"
    ran = linli("validate", "--quick", "--lang", "en", "--workers", "2", "--out", out,
                timeout=900)
    assert ran.code == 0, ran.text
    assert "validation targets pass" in ran.out and "written:" in ran.out
    assert sorted(p.name for p in out.iterdir()) == [
        ".linli-output.json", "manifest.json", "scorecard.csv", "scorecard.html",
        "scorecard.md"]
    table = pd.read_csv(out / "scorecard.csv")
    targets = table[table["kind"] == "target"]
    assert sorted(targets["id"]) == sorted(t.id for t in load_targets())
    assert set(targets.loc[targets["role"] == "calibrate", "id"]) == {
        t.id for t in load_targets() if t.role == "calibrate"}
    patterns = table[table["kind"] == "pattern"]
    assert set(patterns["id"]) == {p.id for p in PATTERNS}
    assert (patterns["runs"] == 4).all()
    failing = patterns.loc[~patterns["passes"], ["id", "check", "model", "model_low",
                                                 "model_high"]]
    assert failing.empty, failing.to_string()  # each control makes its effect vanish
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["quick"] and manifest["runs"] == 4 and manifest["posterior"] is None

    text = (out / "scorecard.md").read_text(encoding="utf-8")
    first = text.split("\n\n")[1]
    assert first.startswith("These are results of Linli, a simulation model, not "
                            "measurements.")
    assert "4 runs with different random seeds at the model's default parameters" in first
    assert "chance alone" in first and "quick version" in first
    assert "以下是“邻里”仿真模型的结果，不是实地测量。" in text.split("\n\n")[2]
    assert "```\nlinli validate --quick --lang en\n```" in text
    page = (out / "scorecard.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page and "src=" not in page


def test_chinese_scorecard_of_a_few_targets_and_one_pattern(tmp_path):
    ran = linli("validate", "--target", "launch", "--target", "board-effect", "--pattern",
                "V3", "--seeds", "2", "--workers", "1", "--out", tmp_path / "zh")
    assert ran.code == 0, ran.text
    text = (tmp_path / "zh" / "scorecard.md").read_text(encoding="utf-8")
    assert text.startswith("# 模型验证记分卡\n\n以下是“邻里”仿真模型的结果")
    assert "> In English: These are results of Linli" in text
    table = pd.read_csv(tmp_path / "zh" / "scorecard.csv")
    assert list(table.columns[:3]) == ["类别", "代码", "检验"]
    assert list(table["代码"]) == ["board-effect", "launch", "V3", "V3", "V3"]
    assert set(table["通过"]) <= {"是", "否"}
    assert "linli validate --seeds 2 --target launch --target board-effect --pattern V3 " \
           "--lang zh" in text
    again = linli("validate", "--target", "launch", "--pattern", "V3", "--seeds", "2",
                  "--out", tmp_path / "zh")
    assert again.code == 0, again.text  # its own earlier output is no obstacle


@pytest.mark.parametrize(("args", "message"), [
    (["--posterior", "no/such/dir"], "does not exist"),
    (["--target", "launch", "--target", "nonsense"], "unknown target 'nonsense'"),
    (["--pattern", "V42"], "unknown pattern 'V42'"),
    (["--draws", "3"], "--draws needs --posterior"),
    (["--quick", "--docs"], "--docs writes the full scorecard"),
])
def test_errors_are_one_line(tmp_path, args, message):
    ran = linli("validate", *args, "--out", tmp_path / "out")
    clean(ran)
    assert "".join(message.split()) in ran.flat
    assert not (tmp_path / "out").exists()  # nothing ran, nothing written


def test_a_corrupt_posterior_is_one_line(tmp_path):
    post = tmp_path / "post"
    post.mkdir()
    (post / "posterior.json").write_text('{"spec": "x", "targets": [], "fixed": {}}',
                                         encoding="utf-8")
    (post / "posterior.parquet").write_bytes(b"not parquet at all")
    ran = linli("validate", "--posterior", post, "--out", tmp_path / "out")
    clean(ran)
    assert "cannotread" in ran.flat and "posterior.parquet" in ran.flat


def test_out_that_is_a_file_or_holds_other_output_is_refused(tmp_path):
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    ran = linli("validate", "--target", "launch", "--out", tmp_path / "a-file")
    clean(ran)
    assert "isafile" in ran.flat
    other = tmp_path / "other"
    other.mkdir()
    (other / "data.txt").write_text("keep", encoding="utf-8")
    ran = linli("validate", "--target", "launch", "--out", other)
    clean(ran)
    assert "alreadyholds" in ran.flat and (other / "data.txt").read_text() == "keep"


def test_help_imports_nothing_heavy():
    heavy = {m for m in imported("validate", "--help")
             if m.split(".")[0] in HEAVY or m in HEAVY}
    assert not heavy, sorted(heavy)
