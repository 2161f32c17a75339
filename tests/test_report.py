"""Comparison reports: sentences, Chinese fonts in the plots, and the page in a real browser."""

from __future__ import annotations

import base64
import html
import json
import re
import subprocess
import warnings
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text
from scipy import stats

from experiments.reporting import compare as compare_lib
from experiments.reporting import i18n, plots, report
from model.core import LinliModel

CHROMIUM = Path("/usr/bin/chromium")
CJK = re.compile(r"[\u4e00-\u9fff]")
NAMES = ("baseline", "small-units", "red-list")


@pytest.fixture(scope="module")
def comparison() -> compare_lib.Comparison:
    return compare_lib.compare(NAMES, seeds=3, weeks=12)


@pytest.fixture(scope="module")
def written(comparison, tmp_path_factory) -> dict[str, tuple[report.Report, Path]]:
    """The report in both languages, written to disk."""
    out = {}
    for lang in i18n.LANGS:
        directory = tmp_path_factory.mktemp(f"report-{lang}")
        built, _ = report.write(comparison, directory, lang)
        out[lang] = built, directory
    return out


# --- sentences ------------------------------------------------------------------------------

EXAMPLE = {"output": "participation_rate", "week": 52, "seeds": 30, "mean": 0.227,
           "diff": 0.078, "diff_low": 0.072, "diff_high": 0.084, "distinguishable": True,
           "seeds_needed": 2}


def test_sentence_in_english_and_chinese():
    """Under its scenario's heading a sentence names the output, not the scenario again."""
    assert report.sentence(EXAMPLE, 0.149, "en") == (
        "Weekly participation: up from 14.9% to 22.7% by week 52 (+7.8 points; 95% interval "
        "+7.2 to +8.4).")
    assert report.sentence(EXAMPLE, 0.149, "zh") == (
        "每周参与率：第52周从14.9%提高到22.7%（差值+7.8个百分点，95%区间+7.2至+8.4）。")


def test_sentence_for_a_decrease_uses_a_true_minus():
    row = {**EXAMPLE, "output": "mean_weeks_to_fix", "mean": 4.1, "diff": -1.1,
           "diff_low": -1.6, "diff_high": -0.6}
    text = report.sentence(row, 5.2, "en")
    assert text == ("Mean weeks to fix a problem: down from 5.2 weeks to 4.1 weeks by week 52 "
                    "(−1.1 weeks; 95% interval −1.6 to −0.6).")
    assert "降低到4.1周" in report.sentence(row, 5.2, "zh")


def test_sentence_when_the_interval_includes_zero():
    row = {**EXAMPLE, "mean": 0.151, "diff": 0.002, "diff_low": -0.003, "diff_high": 0.007,
           "distinguishable": False, "seeds_needed": 240, "seeds": 10}
    en = report.sentence(row, 0.149, "en")
    assert en.startswith("Weekly participation: 15.1% against 14.9% at week 52, too close to "
                         "tell apart (the 95% interval of the difference, −0.3 to +0.7, "
                         "includes zero).")
    assert en.endswith("About 240 seeds would be needed to tell them apart.")
    zh = report.sentence(row, 0.149, "zh")
    assert "差别太小，无法区分" in zh and "包含零" in zh
    assert zh.endswith("约需240个随机种子才能区分。")


def test_sentence_never_claims_fewer_seeds_than_were_run():
    """seeds_needed uses the normal quantile, the interval uses t: near the edge it can
    ask for fewer seeds than were run; the report then says 'more than'."""
    row = {**EXAMPLE, "diff": 0.01, "diff_low": -0.001, "diff_high": 0.021,
           "distinguishable": False, "seeds_needed": 9, "seeds": 10}
    assert "A few more than 10 seeds" in report.sentence(row, 0.149, "en")
    row["seeds_needed"] = float("nan")
    assert "exactly zero" in report.sentence(row, 0.149, "en")


def test_sentence_for_identical_runs_and_missing_numbers():
    row = {**EXAMPLE, "mean": 0.149, "diff": 0.0, "diff_low": 0.0, "diff_high": 0.0,
           "distinguishable": False}
    assert "exactly as in the reference at week 52, 14.9%" in report.sentence(row, 0.149, "en")
    assert report.sentence({**EXAMPLE, "mean": float("nan")}, 0.1, "en") is None


def test_sentence_for_a_negligible_difference():
    """Float noise in a zero difference makes seeds_needed astronomically large."""
    row = {**EXAMPLE, "diff": 1e-18, "diff_low": -0.006, "diff_high": 0.006,
           "distinguishable": False, "seeds_needed": 1.6e31, "seeds": 4}
    en = report.sentence(row, 0.227, "en")
    assert en.endswith("The difference is negligible: more than 10,000 seeds would be needed "
                       "to tell them apart.")
    assert "interval of the difference, −0.6 to +0.6," in en
    zh = report.sentence(row, 0.227, "zh")
    assert zh.endswith("需要超过10,000个随机种子才能区分。")


def test_no_sentence_when_nothing_happens_in_either():
    row = {**EXAMPLE, "output": "group_members", "mean": 0.0, "diff": 0.0, "diff_low": 0.0,
           "diff_high": 0.0, "distinguishable": False}
    assert report.sentence(row, 0.0, "en") is None


def test_switched_off_mechanisms_are_not_part_of_the_scenario_not_zero():
    row = {**EXAMPLE, "output": "problems_fixed", "mean": 17.3, "part": True}
    en = report.sentence(row, float("nan"), "en", ref_part=False)
    assert en == "Problems fixed per week: 17.3 by week 52; not part of the reference scenario."
    off = {**row, "part": False, "mean": float("nan")}
    assert report.sentence(off, 17.3, "en") == ("Problems fixed per week: not part of this "
                                                "scenario (17.3 in the reference at week 52).")
    assert "本情景不包含此项" in report.sentence(off, 17.3, "zh")
    assert report.sentence(off, float("nan"), "en", ref_part=False) is None
    assert "0.0" not in en


def test_one_number_format_per_quantity():
    """The decimals of an output are the same in every sentence and table of a report."""
    summary = pd.DataFrame([
        {"output": "participation_rate", "mean": 0.2, "low": 0.1995, "high": 0.2005,
         "diff": 0.01, "diff_low": 0.0095, "diff_high": 0.0105},
        {"output": "participation_rate", "mean": 0.3, "low": 0.2, "high": 0.4,
         "diff": 0.1, "diff_low": 0.05, "diff_high": 0.15}])
    digits = report.digits_by_output(summary)
    assert digits == {"participation_rate": 2}  # what the narrowest interval needs
    assert report.places("participation_rate", 0.3, 0.2, 0.4) == 1  # alone: one decimal
    rows = [{**EXAMPLE, **r, "distinguishable": True} for r in summary.to_dict("records")]
    texts = [report.sentence(r, 0.2, "en", digits["participation_rate"]) for r in rows]
    assert "20.00%" in texts[0] and "30.00%" in texts[1]


def test_quotes_inside_a_title_become_single_quotes():
    assert report.quotable("快递小哥当“眼睛”") == "快递小哥当‘眼睛’"


def test_summary_sentences_come_from_the_summary(written, comparison):
    built, directory = written["en"]
    summary = pd.read_csv(directory / "summary.csv")
    row = summary[(summary["scenario"] == "small-units") & (summary["output"] ==
                  "participation_rate") & (summary["week"] == comparison.weeks)].iloc[0]
    first = built.sentences["small-units"][0]
    assert f"{100 * row['mean']:.1f}%" in first
    assert f"{100 * row['diff']:+.1f} points" in first
    assert set(built.sentences) == {"small-units", "red-list"}


# --- the files --------------------------------------------------------------------------

def test_report_is_self_contained(written):
    for lang, (built, directory) in written.items():
        page = (directory / "report.html").read_text(encoding="utf-8")
        assert page == built.html
        for forbidden in ("http://", "https://", "<script", "<link", "@import", "url("):
            assert forbidden not in page, (lang, forbidden)
        sources = re.findall(r'<img [^>]*src="([^"]+)"', page)
        pngs = sorted(directory.glob("*.png"))
        assert len(sources) == len(pngs) >= 5
        embedded = {base64.b64decode(s.removeprefix("data:image/png;base64,")) for s in sources}
        assert all(s.startswith("data:image/png;base64,") for s in sources)
        assert embedded == {p.read_bytes() for p in pngs}


def test_summary_comes_first(written):
    page = written["en"][0].html
    assert page.index('id="summary"') < min(page.index("<img"), page.index("<table"))
    assert "Weekly participation" in page
    assert ("<h3>Small neighbour units (10–20 households)</h3><ul>\n<li>Weekly participation: "
            "up from") in page  # the scenario named once, in its heading


def test_zh_report_is_in_chinese(written):
    page = written["zh"][0].html
    assert '<html lang="zh-CN">' in page
    assert "结论摘要" in page and "<h3>小邻里（10–20户）</h3><ul>\n<li>每周参与率：第12周从" in page


def test_skipped_plots_are_named(written):
    built, directory = written["en"]
    skipped = {f.name for f in built.figures if f.skipped}
    assert {"groups", "problems"} <= skipped  # no groups, no problem reporting in these
    assert not (directory / "groups.png").exists()
    assert "Not drawn because every value is zero or missing in every scenario" in built.html
    assert "Interest groups" in built.html
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["plots_skipped"]) == skipped


# --- strings --------------------------------------------------------------------------------

def test_every_string_in_both_languages_with_the_same_fields():
    for key, texts in i18n.TEXT.items():
        assert set(texts) == set(i18n.LANGS), key
        assert i18n.placeholders(texts["en"]) == i18n.placeholders(texts["zh"]), key
    for column, texts in i18n.COLUMNS.items():
        assert set(texts) == set(i18n.LANGS), column
        assert column in i18n.KIND, column


def test_every_output_column_has_a_label(small_model: LinliModel):
    small_model.run_for(1)
    for column in [*small_model.frame.columns, *compare_lib.KEY_OUTPUTS]:
        assert column in i18n.COLUMNS, column
        assert column in i18n.KIND, column


def test_unknown_language():
    with pytest.raises(ValueError, match="zh, en"):
        i18n.t("summary", "fr")


# --- Chinese in the plots ---------------------------------------------------------------------

def font_family(text) -> str:
    """The family of the font file matplotlib picks for a text."""
    path = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
    return font_manager.get_font(path).family_name


def saving_warnings(fig: Figure) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plots.png(fig)
    return [str(w.message) for w in caught]


@pytest.mark.skipif(plots.cjk_font() is None, reason="no CJK font installed (fonts-noto-cjk)")
def test_zh_plots_use_a_cjk_font_and_miss_no_glyph(comparison):
    checked = 0
    with plots.style("zh"):
        for plot in plots.PLOTS:
            frame = comparison.units if plot.source == "units" else comparison.runs
            if not plots.has_data(frame, plot.columns):
                continue
            fig = plots.figure(plot, comparison, "zh")
            texts = [t for t in fig.findobj(Text) if CJK.search(t.get_text())]
            assert texts, plot.name
            for text in texts:
                assert "CJK" in font_family(text), (plot.name, text.get_text())
                checked += 1
            missing = [m for m in saving_warnings(fig) if "missing from font" in m]
            assert not missing, (plot.name, missing)
    assert checked > 20


def test_missing_glyphs_would_be_caught():
    """The check above can fail: Chinese in a Latin-only font warns while saving."""
    with mpl.rc_context({"font.family": ["DejaVu Sans"]}):
        fig = Figure()
        fig.subplots().set_title("每周参与率")
        assert any("missing from font" in m for m in saving_warnings(fig))


def test_no_cjk_font_warns(comparison, monkeypatch):
    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    assert plots.font_families("zh") == [plots.LATIN_FAMILY]
    with pytest.warns(plots.CJKFontWarning, match="fonts-noto-cjk"):
        plots.warn_if_no_cjk_font("zh", [])
    with pytest.warns(plots.CJKFontWarning):  # English titles may hold Chinese too
        plots.warn_if_no_cjk_font("en", ["Recognition boards (红榜)"])


def test_cli_warns_without_cjk_font(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from experiments.cli import app

    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    result = CliRunner().invoke(app, ["compare", "baseline", "small-units", "--seeds", "2",
                                      "--weeks", "2", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output and "fonts-noto-cjk" in "".join(result.output.split())
    assert 'id="no-cjk-font"' in (tmp_path / "o" / "report.html").read_text(encoding="utf-8")


def test_unit_size_bins():
    """Per bin: the mean over seeds of each seed's mean over the bin's units, t-interval."""
    units = pd.DataFrame({
        "scenario": ["b"] * 4 + ["a"] * 8,
        "seed": [0, 0, 1, 1] + [0] * 4 + [1] * 4,
        "size": [50, 50, 50, 50] + [10, 10, 100, 100] * 2,
        "participation_rate": [0.3] * 4 + [0.1, 0.3, 0.5, 0.5, 0.2, 0.2, 0.7, 0.5],
    })
    table = plots.unit_size_bins(units, ["a", "b"]).set_index(["scenario", "size"])
    assert list(dict.fromkeys(table.index.get_level_values(0))) == ["a", "b"]
    assert table.loc[("a", 10), ["mean", "low", "high"]].tolist() == pytest.approx([0.2] * 3)
    half = stats.t.ppf(0.975, 1) * np.std([0.5, 0.6], ddof=1) / np.sqrt(2)
    assert table.loc[("a", 100), ["mean", "low", "high"]].tolist() == pytest.approx(
        [0.55, 0.55 - half, 0.55 + half])
    assert table.loc[("b", 50), "count"] == 2


# --- the page in Chromium -----------------------------------------------------------------------

FACTS_JS = """() => ({
    text: document.body.innerText,
    images: Array.from(document.images).map(i => i.complete ? i.naturalWidth : 0),
    lang: document.documentElement.lang,
})"""


def page_facts(path: Path, tmp_path: Path) -> dict:
    """Body text, image widths and language of the page as Chromium renders it."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return page_facts_subprocess(path, tmp_path)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--no-sandbox", "--headless", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(path.resolve().as_uri(), wait_until="load")
            facts = page.evaluate(FACTS_JS)
            facts["screenshot"] = page.screenshot(full_page=True)
        finally:
            browser.close()
    return facts


def page_facts_subprocess(path: Path, tmp_path: Path) -> dict:
    """Without Playwright: ``chromium --dump-dom`` of a copy that writes the facts into it."""
    probe = tmp_path / "probe.html"
    script = ("<script>addEventListener('load', () => { const f = document.createElement('pre');"
              f" f.id = 'facts'; f.textContent = JSON.stringify(({FACTS_JS})());"
              " document.body.appendChild(f); });</script>")
    probe.write_text(path.read_text(encoding="utf-8").replace("</body>", script + "</body>"),
                     encoding="utf-8")
    dom = subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
                          "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    found = re.search(r'<pre id="facts">(.*?)</pre>', dom, re.S)
    assert found, dom[-2000:]
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")
@pytest.mark.parametrize("lang", i18n.LANGS)
def test_report_renders_in_chromium(written, lang, tmp_path):
    built, directory = written[lang]
    facts = page_facts(directory / "report.html", tmp_path)
    text = " ".join(facts["text"].split())
    for line in built.sentences["small-units"]:
        assert " ".join(line.split()) in text
    images = facts["images"]
    assert len(images) == sum(not f.skipped for f in built.figures)
    assert all(width > 0 for width in images), images
    assert facts["lang"] == ("zh-CN" if lang == "zh" else "en")
    if lang == "zh":
        assert len(CJK.findall(text)) > 200
    if "screenshot" in facts:
        (tmp_path / f"report-{lang}.png").write_bytes(facts["screenshot"])


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")
def test_chromium_fallback_without_playwright(written, tmp_path):
    built, directory = written["zh"]
    facts = page_facts_subprocess(directory / "report.html", tmp_path)
    assert all(width > 0 for width in facts["images"]) and facts["images"]
    assert built.sentences["small-units"][0] in facts["text"]


def test_rewriting_a_directory_removes_plots_that_are_now_skipped(tmp_path):
    with_groups = compare_lib.compare(["baseline", "interest-groups"], seeds=2, weeks=3)
    report.write(with_groups, tmp_path, "en")
    assert (tmp_path / "groups.png").is_file()
    without = compare_lib.compare(["baseline", "small-units"], seeds=2, weeks=3)
    _, paths = report.write(without, tmp_path, "en")
    assert not (tmp_path / "groups.png").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)
