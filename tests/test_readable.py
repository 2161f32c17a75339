"""Output people read: scenarios as tables, sweep results by design point, sensitivity
sorted and explained, next steps after a sweep, switched-off mechanisms, plain reports in
both languages with units on every axis."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest
from linli_cli import linli
from matplotlib.figure import Figure

import scenarios as scenario_lib
from experiments.reporting import compare as compare_lib
from experiments.reporting import i18n, plots, report
from experiments.sweeping import spec as spec_lib
from experiments.sweeping.store import Store
from experiments.sweeping.sweep import run_sweep

SMALL = "[structure]\nhouseholds = 300\nunit_size = [10, 20]\n"
PROBLEMS = 'extends = "small"\ntitle = { en = "With problems", zh = "有问题上报" }\n' \
           "[problems]\nenabled = true\n"
SOBOL = """
model = "experiments.analysis.sensitivity:ishigami"
weeks = 1
seed = 5
[design]
method = "sobol"
samples = 64
[parameters]
x1 = { range = [-3.14159, 3.14159] }
x2 = { range = [-3.14159, 3.14159] }
x3 = { range = [-3.14159, 3.14159] }
"""
FACTORIAL = """
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
"participation.intercept" = [-1.0, 0.0, 1.0]
"""


# --- scenarios -----------------------------------------------------------------------------

def test_scenarios_show_is_a_table_with_units_meanings_and_what_differs():
    ran = linli("scenarios", "show", "small-units", columns=120)
    assert ran.code == 0, ran.text
    assert not ran.out.lstrip().startswith("{")
    assert "★ differs from baseline" in ran.out
    line = next(x for x in ran.out.splitlines() if "unit_size" in x)
    assert "★" in line and "[10, 20] ([100, 500])" in line and "households" in line
    assert "Households per neighbour unit" in ran.out  # its meaning
    households = next(x for x in ran.out.splitlines() if "│ households " in x)
    assert "★" not in households  # inherited, not changed
    assert "switched off here (as in baseline): recognition, groups" in ran.out
    every = linli("scenarios", "show", "small-units", "--all", columns=120)
    assert "recognition: Recognition boards" in every.out


def test_scenarios_show_marks_what_a_root_scenario_changes_from_the_defaults():
    ran = linli("scenarios", "show", "baseline", columns=120)
    assert ran.code == 0 and "★ differs from the model's defaults" in ran.out


def test_scenarios_list_does_not_cut_chinese_titles_at_80_columns():
    ran = linli("scenarios", columns=80)
    assert ran.code == 0, ran.text
    assert "…" not in ran.out
    flat = ran.flat.replace("│", "")
    for name in scenario_lib.builtin_names():
        zh = scenario_lib.load(name).text("title", "zh")
        assert "".join(zh.split()) in flat, zh


# --- sweeps --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def factorial(tmp_path_factory) -> Store:
    root = tmp_path_factory.mktemp("factorial")
    (root / "spec.toml").write_text(FACTORIAL, encoding="utf-8")
    run_sweep(spec_lib.load(root / "spec.toml"), root / "store", workers=0)
    return Store(root / "store")


def test_results_shows_outputs_by_design_point_without_sql(factorial, tmp_path):
    ran = linli("results", factorial.dir, "--out", tmp_path / "a", columns=120)
    assert ran.code == 0, ran.text
    rows = [x for x in ran.out.splitlines() if re.match(r"│ \d ", x)]
    assert len(rows) == 3
    assert "participation.intercept" in ran.out and "95% interval" in ran.out
    table = pd.read_csv(tmp_path / "a" / "results-participation_rate-week4.csv")
    metrics = factorial.metrics().query("week == 4").groupby("point")["participation_rate"]
    assert table["mean"].tolist() == pytest.approx(metrics.mean().tolist())
    assert table["ok"].tolist() == [2, 2, 2] and table["failed"].tolist() == [0, 0, 0]
    assert table["low"].lt(table["mean"]).all() and table["high"].gt(table["mean"]).all()
    png = tmp_path / "a" / "results-participation_rate-week4.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    means = [float(x.split("│")[6]) for x in rows]  # point, parameter, ok, failed, lost, mean
    assert means == pytest.approx(table["mean"].tolist(), rel=1e-3)
    ordered = linli("results", factorial.dir, "--sort", "--out", tmp_path / "b", columns=120)
    means = [float(x.split("│")[6]) for x in ordered.out.splitlines()
             if re.match(r"│ \d ", x)]
    assert means == sorted(means, reverse=True)


def test_results_of_an_unknown_output_names_the_known_ones(factorial):
    ran = linli("results", factorial.dir, "--output", "participation")
    assert ran.code == 2 and "Didyoumean'participation_rate'" in ran.flat


def test_a_sweep_ends_with_the_next_commands(tmp_path):
    (tmp_path / "spec.toml").write_text(SOBOL.replace("64", "4"), encoding="utf-8")
    ran = linli("sweep", tmp_path / "spec.toml", "--out", tmp_path / "my store", "--workers",
                "0")
    assert ran.code == 0, ran.text
    quoted = f"'{tmp_path / 'my store'}'"
    for command in (f"linli results {quoted}", f"linli query {quoted} \"select",
                    f"linli sensitivity {quoted}", f"linli discover {quoted} --threshold"):
        assert command in ran.out, command


def test_sensitivity_is_sorted_by_importance_and_explains_its_columns(tmp_path):
    (tmp_path / "spec.toml").write_text(SOBOL, encoding="utf-8")
    run_sweep(spec_lib.load(tmp_path / "spec.toml"), tmp_path / "store", workers=0)
    ran = linli("sensitivity", tmp_path / "store", "--output", "y", columns=120)
    assert ran.code == 0, ran.text
    order = [x.split("│")[1].strip() for x in ran.out.splitlines()
             if re.match(r"│ x\d ", x)]
    st = pd.read_csv(tmp_path / "store" / "analysis" / "sobol-y-week1.csv")
    assert order == st["parameter"].tolist()
    assert st["ST"].is_monotonic_decreasing and order[-1] == "x3"  # x3 acts only jointly
    assert "S1:theshareoftheoutput'svariation" in ran.flat
    assert "SortedbyST" in ran.flat


# --- switched-off mechanisms ----------------------------------------------------------------

@pytest.fixture(scope="module")
def with_problems(tmp_path_factory) -> compare_lib.Comparison:
    root = tmp_path_factory.mktemp("mechanisms")
    (root / "small.toml").write_text(SMALL, encoding="utf-8")
    (root / "problems.toml").write_text(PROBLEMS, encoding="utf-8")
    return compare_lib.compare([root / "small.toml", root / "problems.toml"], seeds=3, weeks=8)


def test_a_switched_off_mechanism_is_not_part_of_the_scenario(with_problems):
    assert not with_problems.part("problems_fixed", "small")
    assert with_problems.part("problems_fixed", "problems")
    assert not with_problems.part("co_plan", "problems")  # councils are off in both
    assert not with_problems.part("co_build", "small")  # no businesses: not part
    summary = with_problems.summary()
    off = summary[(summary["scenario"] == "small") & (summary["output"] == "problems_fixed")]
    assert not off["part"].any() and off["mean"].isna().all()  # not a zero
    on = summary[(summary["scenario"] == "problems") & (summary["output"] == "problems_fixed")]
    assert on["part"].all() and on["mean"].notna().all() and on["diff"].isna().all()


def test_nan_from_the_model_counts_as_not_part_of_the_scenario(with_problems):
    runs = with_problems.runs.copy()
    runs.loc[runs["scenario"] == "problems", "co_plan"] = float("nan")
    frozen = compare_lib.Comparison(with_problems.scenarios, with_problems.seeds,
                                    with_problems.weeks, runs, with_problems.units, 1.0)
    assert not frozen.part("co_plan", "problems")


def test_the_report_says_not_part_of_this_scenario_instead_of_zeros(with_problems):
    for lang, words in (("en", "not part of the reference scenario"),
                        ("zh", "参照情景不包含此项")):
        built = report.build(with_problems, lang)
        lines = built.sentences["problems"]
        fixed = next(x for x in lines if x.startswith(i18n.label("problems_fixed", lang)))
        assert words in fixed and "from 0" not in fixed and "从0" not in fixed
        assert i18n.t("not_part_cell", lang) in built.html  # the means table


def test_the_run_summary_says_not_part_of_this_scenario(tmp_path):
    (tmp_path / "small.toml").write_text(SMALL, encoding="utf-8")
    (tmp_path / "problems.toml").write_text(PROBLEMS, encoding="utf-8")
    ran = linli("run", tmp_path / "problems.toml", "--weeks", "3", "--out", tmp_path / "o",
                columns=200)
    assert ran.code == 0, ran.text
    assert "plan 共谋 not part of this scenario" in ran.out
    assert "manage 共管 not part of this scenario" in ran.out
    assert "build 共建 not part of this scenario" in ran.out  # no businesses
    assert re.search(r"evaluate 共评 \d\.\d\d", ran.out)  # problems are on
    members = [x.split("│")[7].strip() for x in ran.out.splitlines() if re.match(r"│ \d", x)]
    assert members and set(members) == {"–"}  # interest groups are off: not "0"


# --- plain reports -------------------------------------------------------------------------

def test_the_report_speaks_plainly(with_problems):
    for lang in i18n.LANGS:
        page = report.build(with_problems, lang).html
        assert not re.search(r"\bd = ", page)  # no effect sizes for non-statisticians
        for key in report.GLOSSARY:
            assert html.escape(i18n.t(key, lang)) in page, key
        lead = i18n.t("lead", "en", reference="x", seeds=1, weeks=1)
        assert "95% confidence" in lead and "not chance" in lead


def test_every_panel_has_a_y_axis_label_with_its_unit(with_problems):
    for lang in i18n.LANGS:
        with plots.style(lang):
            for plot in plots.PLOTS:
                fig: Figure = plots.figure(plot, with_problems, lang)
                for ax in fig.axes:
                    if ax.get_visible() and ax.get_label() != "<colorbar>":
                        assert ax.get_ylabel().strip(), (plot.name, ax.get_title())
    assert i18n.axis_label("participation_rate", "en") == "Weekly participation (%)"
    assert i18n.axis_label("group_members", "zh") == "兴趣小组成员户数（户）"


def test_overlapping_lines_stay_visible(with_problems):
    fig = plots.figure(plots.PLOTS[0], with_problems, "en")
    lines = [line for line in fig.axes[0].get_lines()]
    widths = sorted(line.get_linewidth() for line in lines)
    assert widths[-1] >= 2 * widths[0]  # the reference wide, underneath
    reference = max(lines, key=lambda line: line.get_linewidth())
    assert reference.get_zorder() < min(line.get_zorder() for line in lines
                                        if line is not reference)


def test_zh_compare_is_chinese_down_to_progress_and_summary_headers(tmp_path):
    (tmp_path / "small.toml").write_text(SMALL, encoding="utf-8")
    (tmp_path / "problems.toml").write_text(PROBLEMS, encoding="utf-8")
    ran = linli("compare", tmp_path / "small.toml", tmp_path / "problems.toml", "--seeds", "2",
                "--weeks", "3", "--out", tmp_path / "o", "--lang", "zh")
    assert ran.code == 0, ran.text
    assert "已完成运行" in ran.out and "已写入" in ran.out
    assert not re.search(r"\bruns\b(?!\.parquet)|written", ran.out)
    summary = pd.read_csv(tmp_path / "o" / "summary.csv")
    assert list(summary.columns[:4]) == ["情景代码", "情景", "指标代码", "指标"]
    assert all(re.search(r"[\u4e00-\u9fff]", c) for c in summary.columns)
    assert set(summary["情景代码"]) == {"small", "problems"}  # stable ids, in English
    assert "participation_rate" in set(summary["指标代码"])
    assert set(summary["本情景包含此项"]) == {"是", "否"}
    en = linli("compare", tmp_path / "small.toml", tmp_path / "problems.toml", "--seeds", "2",
               "--weeks", "3", "--out", tmp_path / "en", "--lang", "en")
    assert en.code == 0 and "scenario_title" in Path(tmp_path / "en" / "summary.csv").read_text()
