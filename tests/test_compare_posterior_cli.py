"""`linli compare --posterior / --no-posterior / --variants` through the real entry point:
both kinds of interval and the caveat in every file, in both languages; the same outputs
on one and two workers; a flip flagged; clear errors. The variants' posteriors (not all
shipped yet) are stood in for in-process."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from linli_cli import clean, linli
from synthetic_posterior import spread_posterior, tiny_scenarios
from typer.testing import CliRunner

from experiments.calibration import variants as variant_registry
from experiments.cli import app
from experiments.reporting import posterior as posterior_lib

SMALL = ("--draws", 3, "--seeds", 2, "--weeks", 6)
NEW_COLUMNS = ("param_low", "param_high", "draws", "diff_param_low", "diff_param_high",
               "diff_chance_low", "diff_chance_high", "robust_share", "caveat")


@pytest.fixture(scope="module")
def setup(tmp_path_factory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("cli")
    tiny, small = tiny_scenarios(root / "scenarios")
    return tiny, small, spread_posterior(root / "posterior")


@pytest.fixture(scope="module")
def reports(setup, tmp_path_factory) -> dict[str, Path]:
    """The comparison with the synthetic posterior, in English and Chinese."""
    tiny, small, post = setup
    out = {}
    for lang in ("en", "zh"):
        out[lang] = tmp_path_factory.mktemp(f"report-{lang}")
        ran = linli("compare", tiny, small, "--posterior", post, *SMALL, "--lang", lang,
                    "--out", out[lang], "--overwrite")
        assert ran.code == 0, ran.text
    return out


def test_summary_csv_has_both_ranges_the_robust_share_and_the_caveat(reports):
    table = pd.read_csv(reports["en"] / "summary.csv")
    assert set(NEW_COLUMNS) <= set(table.columns)
    row = table[(table["scenario"] == "tiny-small") & (table["output"] == "participation_rate")]
    row = row.iloc[-1]
    assert row["draws"] == 3 and row["seeds"] == 6
    assert row["diff_param_low"] <= row["diff"] <= row["diff_param_high"]
    assert row["diff_chance_low"] < row["diff"] < row["diff_chance_high"]
    assert 0 <= row["robust_share"] <= 1
    assert table["caveat"].nunique() == 1
    said = table["caveat"].iloc[0]
    assert said.startswith("These are results of a simulation model")
    assert "Weekly participation in an ordinary community" in said
    assert "scorecard.html" in said and "docs/VALIDATION.md" in said
    assert "Sources of the field data: Weekly participation in an ordinary community: " \
           "Institute of Sociology, Chinese Academy of Social Sciences" in said
    zh = pd.read_csv(reports["zh"] / "summary.csv")
    assert {"差值参数范围下限（5%）", "差值随机范围下限（5%）", "方向一致的参数组合比例",
            "说明"} <= set(zh.columns)
    assert zh["说明"].iloc[0].startswith("以下均为仿真模型的结果")
    assert "普通社区每周参与率" in zh["说明"].iloc[0]
    assert set(zh["指标代码"]) == set(table["output"])  # ids stay in English


def test_report_shows_both_kinds_of_interval_and_the_caveat(reports):
    for lang, words in (("en", ("What these numbers are", "parameters: ", "chance: ±",
                                "plausible parameter sets", "scorecard.html",
                                "Households that take part in a quarter")),
                        ("zh", ("这些数字是什么", "参数：", "随机：±", "合理参数组合",
                                "scorecard.html", "一个季度内参与过的住户比例"))):
        page = (reports[lang] / "report.html").read_text(encoding="utf-8")
        for word in words:
            assert word in page, (lang, word)
        assert page.index('id="caveat"') < page.index('id="summary"')
        assert not re.search(r"\bd = ", page)
        assert 'id="plot-participation_difference"' in page


def test_manifest_records_the_draws(reports, setup):
    manifest = json.loads((reports["en"] / "manifest.json").read_text(encoding="utf-8"))
    post = posterior_lib.load(setup[2])
    assert manifest["posterior"]["directory"] == str(setup[2])
    assert manifest["parameter_sets"] == post.draws(3)
    assert manifest["draw_of_seed"] == [0, 0, 1, 1, 2, 2] and manifest["seeds_per_draw"] == 2


def test_same_outputs_on_one_and_two_workers(reports, setup, tmp_path):
    tiny, small, post = setup
    ran = linli("compare", tiny, small, "--posterior", post, *SMALL, "--lang", "en",
                "--workers", 2, "--out", tmp_path / "two")
    assert ran.code == 0, ran.text
    pd.testing.assert_frame_equal(pd.read_csv(reports["en"] / "summary.csv"),
                                  pd.read_csv(tmp_path / "two" / "summary.csv"),
                                  check_exact=True)
    pd.testing.assert_frame_equal(pd.read_parquet(reports["en"] / "runs.parquet"),
                                  pd.read_parquet(tmp_path / "two" / "runs.parquet"),
                                  check_exact=True)


def test_without_a_posterior_the_caveat_says_so(setup, tmp_path):
    tiny, small, _ = setup
    ran = linli("compare", tiny, small, "--no-posterior", "--seeds", 2, "--weeks", 3,
                "--lang", "en", "--out", tmp_path / "o")
    assert ran.code == 0, ran.text
    assert "Notcalibratedhere:noposteriorwasused" in ran.flat
    table = pd.read_csv(tmp_path / "o" / "summary.csv")
    assert table["draws"].eq(0).all() and table["diff_param_low"].isna().all()
    assert "intervals show chance only" in table["caveat"].iloc[0]


def test_variants_flag_a_conclusion_that_flips(tmp_path):
    """A scenario that makes the board motivate by reinforcement itself differs from the
    board it extends under the main model, but is that board under the reinforcement
    variant: robust under one formulation and not under the other."""
    own = tmp_path / "own-reinforcement.toml"
    own.write_text('extends = "red-list"\ntitle = { en = "Board by reinforcement", zh = '
                   '"红榜强化激励" }\n[recognition]\nmotive = "reinforcement"\n',
                   encoding="utf-8")
    for lang, note in (("en", "changes under another formulation"), ("zh", "结论会改变")):
        out = tmp_path / lang
        ran = linli("compare", "red-list", own, "--no-posterior", "--variants", "--seeds", 3,
                    "--weeks", 26, "--lang", lang, "--out", out)
        assert ran.code == 0, ran.text
        page = (out / "report.html").read_text(encoding="utf-8")
        assert 'id="variants"' in page and '<tr class="flip">' in page and note in page
    table = pd.read_csv(tmp_path / "en" / "variants.csv")
    rows = table[table["output"] == "participation_rate"].set_index("variant")
    assert list(rows.index) == list(variant_registry.VARIANTS)
    assert rows.loc["reinforcement", "diff"] == 0 and not rows.loc["reinforcement", "robust"]
    assert rows.loc["main", "direction"] == -1 and rows.loc["main", "robust"]
    assert rows["flip"].all() and rows["flip_robust"].all() and not rows["flip_sign"].any()
    runs = pd.read_parquet(tmp_path / "en" / "runs.parquet")
    assert list(runs.columns[:2]) == ["variant", "scenario"]
    assert set(runs["variant"]) == set(variant_registry.VARIANTS)
    assert "结构性替代假设" in (tmp_path / "zh" / "report.html").read_text(encoding="utf-8")


# --- errors -----------------------------------------------------------------------------------

def test_posterior_errors_are_one_line(setup, tmp_path):
    tiny, small, post = setup
    for args, words in (
            (("--posterior", tmp_path / "nowhere"), "does not exist"),
            (("--posterior", post, "--no-posterior"), "not both"),
            (("--posterior", post, "--variants"), "leave out --posterior")):
        ran = linli("compare", tiny, small, *args, "--out", tmp_path / "o")
        clean(ran)
        assert words in ran.err, ran.text
        assert not (tmp_path / "o").exists()
    broken = tmp_path / "broken"
    spread_posterior(broken)
    pd.read_parquet(broken / "posterior.parquet").drop(columns="weight").to_parquet(
        broken / "posterior.parquet")
    ran = linli("compare", tiny, small, "--posterior", broken, "--out", tmp_path / "o")
    clean(ran)
    assert "has no 'weight' column" in ran.err and "posterior.parquet" in ran.err


# --- the shipped posteriors ------------------------------------------------------------------

@pytest.mark.skipif(posterior_lib.default() is None, reason="no shipped core posterior")
def test_the_shipped_posterior_is_the_default(setup, tmp_path):
    tiny, small, _ = setup
    ran = linli("compare", tiny, small, "--draws", 2, "--weeks", 3, "--lang", "en", "--out",
                tmp_path / "o")
    assert ran.code == 0, ran.text
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["posterior"]["directory"] == str(posterior_lib.shipped("core"))
    assert manifest["seeds_per_draw"] == 3 and len(manifest["seeds"]) == 6
    assert "calibration“core”" in ran.flat  # the caveat, on the terminal too
    ran = linli("compare", tiny, small, "--no-posterior", "--draws", 5, "--seeds", 2,
                "--weeks", 3, "--out", tmp_path / "n")
    assert ran.code == 0, ran.text
    assert "--drawshasnoeffectwithoutaposterior" in ran.flat
    manifest = json.loads((tmp_path / "n" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["posterior"] is None and manifest["parameter_sets"] == []
    assert len(manifest["seeds"]) == 2


runner = CliRunner()


def test_variants_draw_from_their_own_posteriors(setup, tmp_path, monkeypatch):
    tiny, small, _ = setup
    shipped = tmp_path / "posteriors"
    spread_posterior(shipped / "core", spec="core")
    monkeypatch.setattr(variant_registry, "POSTERIORS", shipped)
    args = ["compare", str(tiny), str(small), "--variants", "--draws", "2", "--seeds", "2",
            "--weeks", "3", "--lang", "en"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "core-last-week" in result.output
    assert not (tmp_path / "missing").exists()
    spread_posterior(shipped / "core-last-week", spec="core-last-week",
                     variant={"participation": {"persistence": "last-week"}})
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text(encoding="utf-8"))
    used = {name: (v["posterior"]["spec"], v["structure"])
            for name, v in manifest["variants"].items()}
    assert used == {
        "main": ("core", {}),
        "last-week": ("core-last-week", {"participation": {"persistence": "last-week"}}),
        "reinforcement": ("core", {"recognition": {"motive": "reinforcement"}})}
    table = pd.read_csv(tmp_path / "o" / "variants.csv")
    moved = table[table["diff"] != 0]  # a zero mean difference has no direction to share
    assert len(moved) and moved["robust_share"].notna().all()
