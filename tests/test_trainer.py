"""The trainer app without a browser: settings, runs, map, charts, animation, and the page's
components rendered in-process (``solara.render``). Browser tests: test_trainer_app.py."""

from __future__ import annotations

import re
import socket
import warnings

import numpy as np
import pytest
from matplotlib import animation
from PIL import Image, ImageSequence
from typer.testing import CliRunner

import scenarios
from experiments.cli import app as cli_app
from model.interventions import InterventionError
from model.params import ParameterError
from trainer import animate, charts, map_mpl, map_svg, server
from trainer import map as mp
from trainer.labels import TEXT
from trainer.settings import Settings
from trainer.state import Session, Sim

CJK = re.compile(r"[\u4e00-\u9fff]")


def small(preset: str = "wuchang-2023", households: int = 600, **changes) -> Settings:
    return Settings.from_preset(preset).changed(households=households, **changes)


# --- labels ---------------------------------------------------------------------------------

def test_every_label_has_both_languages_and_the_same_fields():
    from experiments.reporting.i18n import placeholders

    for key, texts in TEXT.items():
        assert set(texts) == {"zh", "en"}, key
        assert placeholders(texts["zh"]) == placeholders(texts["en"]), key
        assert CJK.search(texts["zh"]) or key.startswith("lang_"), key


# --- settings -------------------------------------------------------------------------------

@pytest.mark.parametrize("preset", scenarios.builtin_names())
def test_untouched_controls_give_the_preset_exactly(preset):
    assert Settings.from_preset(preset).params() == scenarios.load(preset).params


def test_controls_override_the_preset():
    s = Settings.from_preset("baseline").changed(recognition=True, recognition_scope="unit",
                                                 recognition_interval=2, couriers=5,
                                                 stations=2, unit_size=(10, 20), seed=7)
    p = s.params()
    assert (p.recognition.enabled, p.recognition.scope, p.recognition.interval) == (
        True, "unit", 2)
    assert (p.couriers.count, p.couriers.stations, p.structure.unit_size) == (5, 2, (10, 20))


def test_a_unit_size_replaces_a_ladder():
    s = Settings.from_preset("huajin-5-5-4-5")
    assert s.unit_size == (5, 5) and s.params().structure.ladder is not None
    p = s.changed(unit_size=(10, 20)).params()
    assert p.structure.ladder is None and p.structure.unit_size == (10, 20)


def test_invalid_controls_raise_a_readable_error():
    with pytest.raises(ParameterError, match="unit_size"):
        Settings.from_preset("baseline").changed(households=50).params()


# --- runs -----------------------------------------------------------------------------------

def test_the_board_keeps_the_hours_it_listed():
    sim = Sim(small(recognition_interval=4).params(), 3, "wuchang-2023")
    for _ in range(4):
        sim.step()
    snap = sim.snapshot()
    board = snap.board()
    assert snap.board_week == 4 and len(board) > 0
    # the first board counts every hour since week 1
    listed = board["household"].to_numpy()
    np.testing.assert_allclose(board["hours"], sim.model.pop.total_hours[listed], rtol=1e-5)
    assert (board["unit"] == sim.model.layout.unit_of[listed]).all()
    assert board["hours"].is_monotonic_decreasing


def test_best_in_unit_prefers_a_party_member_who_is_not_yet_head():
    sim = Sim(small(heads=False).params(), 1, "wuchang-2023")
    lay, pop = sim.model.layout, sim.model.pop
    unit = int(np.flatnonzero(np.bincount(lay.unit_of, weights=pop.party) > 0)[0])
    best = sim.best_in_unit(unit)
    assert lay.unit_of[best] == unit and pop.party[best]
    pop.head[best] = 1
    assert sim.best_in_unit(unit) != best


def test_ab_runs_step_together_and_interventions_are_all_or_none():
    session = Session.start(small(), preset_b="baseline")
    a, b = session.sims
    assert a.seed == b.seed and (a.label, b.label) == ("A", "B")
    session.step(3)
    assert a.week == b.week == 3
    too_big = b.model.layout.units  # a unit A has but B has not
    assert a.model.layout.units > too_big
    with pytest.raises(InterventionError):
        session.intervene([0, 1], "start_club", {"unit": too_big})
    assert not a.model.pending_interventions and not b.model.pending_interventions
    marks = session.intervene([0, 1], "appoint_head",
                              lambda sim: {"household": sim.best_in_unit(0)})
    assert [m.week for m in marks] == [4, 4] and all(m.pending for m in marks)
    session.step()
    assert all(s.snapshot().marks[0].pending is False for s in session.sims)


# --- map ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("households", "unit_size", "level"), [
    (50, (10, 20), "household"), (3000, (100, 500), "household"), (3000, (5, 5), "household"),
    (10000, (10, 20), "unit"), (60000, (10, 20), "grid")])
def test_map_levels_and_cells_that_do_not_overlap(households, unit_size, level):
    s = Settings.from_preset("small-units").changed(households=households, unit_size=unit_size)
    sim = Sim(s.params(), 1, "small-units")
    geom = mp.build(sim.model.layout)
    assert geom.level == level
    cells = geom.cells
    assert len(np.unique(cells, axis=0)) == len(cells)  # one slot per cell
    inside = ((cells >= 0) & (cells + mp.CELL <= [geom.width, geom.height])).all()
    assert inside
    box = geom.grid_box if level != "grid" else geom.block_box
    assert len(box) > 0
    assert 0.4 < geom.width / geom.height < 4


def test_household_cells_sit_in_their_unit_tile_and_grid_block():
    sim = Sim(small().params(), 1, "wuchang-2023")
    lay = sim.model.layout
    geom = mp.build(lay)
    tile = geom.unit_box[lay.unit_of]
    block = geom.grid_box[lay.grid_of]
    c = geom.cells
    assert ((c >= tile[:, :2]) & (c + 1 <= tile[:, 2:] + 1e-9)).all()
    assert ((c >= block[:, :2]) & (c + 1 <= block[:, 2:])).all()


def test_svg_map_has_a_tooltip_per_household_and_marks_interventions():
    session = Session.start(small())
    session.step(2)
    sim = session.sims[0]
    geom = mp.build(sim.model.layout)
    svg = map_svg.render(geom, sim.snapshot(), "zh")
    n = sim.model.layout.households
    assert len(re.findall(r'<rect class="s[012]"', svg)) == n
    assert len(re.findall(r"<title>住户 #", svg)) == n
    assert 'class="intervention"' not in svg
    grid = int(np.flatnonzero(~sim.model.couriers.station_grid)[0])
    session.intervene([0], "open_station", {"grid": grid})
    svg = map_svg.render(geom, sim.snapshot(), "en")
    assert "stroke-dasharray" in re.search(r'<rect class="intervention"[^>]*>', svg).group(0)
    stations = svg.count('class="station"')
    session.step()
    svg = map_svg.render(geom, sim.snapshot(), "en")
    assert svg.count('class="station"') == stations + 1
    cells = svg.split('<g class="cells">')[1]
    assert "<title>Household #" in cells and not CJK.search(cells)


def test_aggregated_map_colours_units_by_share():
    s = Settings.from_preset("small-units").changed(households=10000)
    session = Session.start(s)
    session.step()
    snap = session.snapshots()[0]
    geom = mp.build(snap.layout)
    svg = map_svg.render(geom, snap, "zh")
    assert geom.level == "unit" and len(re.findall(r'<rect class="b\d"', svg)) == snap.layout.units
    shares = mp.cell_stats(geom, snap).share
    expected = session.sims[0].model.unit_summary()["participation_rate_last_week"]
    np.testing.assert_allclose(shares, expected)


# --- charts ---------------------------------------------------------------------------------

def _ink(png: bytes) -> float:
    from io import BytesIO

    return float(np.asarray(Image.open(BytesIO(png)).convert("L"), dtype=float).std())


def test_dashboard_draws_and_marks_interventions_without_missing_glyphs():
    session = Session.start(small(), preset_b="baseline")
    session.step(3)
    session.intervene([0], "post_red_list", {})
    session.step(2)
    snaps = session.snapshots()
    for lang in ("zh", "en"):
        with warnings.catch_warnings():
            warnings.filterwarnings("error", message=".*missing from.*font")
            fig = charts.dashboard(snaps, lang)
            png = charts.dashboard_png(snaps, lang)
        assert _ink(png) > 10
        marks = [line for ax in fig.axes for line in ax.get_lines()
                 if (line.get_gid() or "").startswith("intervention-")]
        assert len(marks) == 6  # one per panel, at week 4
        assert all(line.get_xdata()[0] == 4 for line in marks)
    titles = [ax.get_title() for ax in charts.dashboard(snaps, "zh").axes if ax.get_title()]
    assert titles[0] == "每周参与率" and all(CJK.search(t) for t in titles)


# --- animation ------------------------------------------------------------------------------

def test_animation_gif_has_one_frame_per_week_and_is_written_atomically(tmp_path):
    out = tmp_path / "demo.gif"
    assert animate.write("small-units", out, weeks=3, seed=2, lang="zh", fps=5) == 3
    with Image.open(out) as gif:
        frames = list(ImageSequence.Iterator(gif))
        assert len(frames) == 3 and gif.size == (1280, 600)
        assert np.asarray(frames[-1].convert("L"), dtype=float).std() > 10
    assert [p.name for p in tmp_path.iterdir()] == ["demo.gif"]
    assert out.stat().st_mode & 0o044  # readable by others, not mkstemp's 0600


def test_map_draws_with_matplotlib_at_every_level():
    from matplotlib.figure import Figure

    for households in (600, 10000, 60000):
        sim = Sim(small(households=households).params(), 1, "wuchang-2023")
        sim.step()
        geom = mp.build(sim.model.layout)
        fig = Figure(figsize=(6, 4))
        ax = fig.add_axes((0, 0, 1, 1))
        map_mpl.draw(ax, geom, sim.snapshot(), "en")
        assert len(ax.collections) >= 2


def test_mp4_without_ffmpeg_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(animation.writers, "is_available", lambda name: False)
    with pytest.raises(animate.AnimationError, match=r"ffmpeg.*\.gif"):
        animate.write("baseline", tmp_path / "demo.mp4", weeks=1)
    with pytest.raises(animate.AnimationError, match="use .gif or .mp4"):
        animate.write("baseline", tmp_path / "demo.avi", weeks=1)
    assert list(tmp_path.iterdir()) == []


def test_mp4_is_written_with_the_expected_frames(tmp_path):
    """With ffmpeg (the system's or the one imageio-ffmpeg ships) an MP4 has one frame a
    week; counted by decoding it with the same ffmpeg."""
    import re
    import subprocess

    import matplotlib

    out = tmp_path / "demo.mp4"
    animate.write("baseline", out, weeks=3, lang="en")
    assert out.is_file() and out.stat().st_size > 0
    ffmpeg = matplotlib.rcParams["animation.ffmpeg_path"]
    probe = subprocess.run([ffmpeg, "-i", str(out), "-map", "0:v:0", "-f", "null", "-"],
                           capture_output=True, text=True, timeout=60)
    counts = re.findall(r"frame=\s*(\d+)", probe.stderr)
    assert counts and int(counts[-1]) == 3, probe.stderr[-500:]


def test_animate_command(tmp_path):
    out = tmp_path / "a.gif"
    result = CliRunner().invoke(cli_app, ["animate", "baseline", "--weeks", "2", "--lang", "en",
                                          "--out", str(out)])
    assert result.exit_code == 0, result.output
    printed = " ".join(result.output.split())  # the console may wrap long lines
    assert "2 frames" in printed and out.is_file()
    result = CliRunner().invoke(cli_app, ["animate", "no-such", "--out", str(out)])
    assert result.exit_code == 2 and "unknown scenario" in " ".join(result.output.split())


# --- server ---------------------------------------------------------------------------------

def test_app_command_refuses_a_taken_port():
    with socket.socket() as sock:
        sock.bind(("localhost", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(server.ServerError, match=f"{port}.*--port"):
            server.check_port("localhost", port)
        result = CliRunner().invoke(cli_app, ["app", "--port", str(port)])
    assert result.exit_code == 2 and "--port" in result.output


def test_front_end_assets_match_solara():
    server.check_assets()  # the pinned pair is installed


# --- the page, rendered in-process ----------------------------------------------------------

class PageUnderTest:
    """The page module with fresh per-tab state (small runs, so steps are quick)."""

    def __init__(self, module) -> None:
        self.module = module
        self.contexts: list = []

    def __getattr__(self, name: str):
        return getattr(self.module, name)

    def render(self):
        import solara

        _, rc = solara.render(self.module.Page(), handle_error=False)
        self.contexts.append(rc)
        return rc


@pytest.fixture
def page():
    from trainer import page as module

    module.PLAYING.set(False)
    module.LANG.set("zh")
    module.SETTINGS.set(small())
    module.AB.set(False)
    module.PRESET_B.set("baseline")
    module.MESSAGE.set(None)
    module.ERROR.set(None)
    module.SESSION.set(None)
    under_test = PageUnderTest(module)
    yield under_test
    module.PLAYING.set(False)
    for rc in under_test.contexts:  # unmount, so later state changes reach no old page
        rc.close()


def _button(rc, cls: str):
    import ipyvuetify as v

    return rc.find(v.Btn, class_=cls).widget


def _html(rc, cls: str):
    import solara

    found = [w for w in rc.find(solara.widgets.HTML).widgets
             if cls in w.attributes.get("class", "").split()]
    assert found, cls
    return found


def test_page_steps_and_switches_language(page):
    import ipyvuetify as v

    rc = page.render()
    assert page.SESSION.value.week == 0
    first = _html(rc, "linli-map")[0].unsafe_innerHTML
    assert 'data-week="0"' in first
    _button(rc, "linli-step").click()
    assert page.SESSION.value.week == 1
    assert 'data-week="1"' in _html(rc, "linli-map")[0].unsafe_innerHTML
    step = _button(rc, "linli-step")
    assert step.children == ["下一周"]
    switch = rc.find(v.BtnToggle, class_="linli-lang").widget
    switch.v_model = 1  # what clicking "English" does in the browser
    assert _button(rc, "linli-step").children == ["Step one week"]
    assert "<title>Household #" in _html(rc, "linli-map")[0].unsafe_innerHTML
    switch.v_model = 0
    assert _button(rc, "linli-step").children == ["下一周"]


def test_page_preset_and_reset_rebuild_the_model(page):
    import ipyvuetify as v

    rc = page.render()
    _button(rc, "linli-step").click()
    page.SETTINGS.set(page.SETTINGS.value.with_preset("baseline"))  # what the picker does
    assert page.SESSION.value.settings.preset == "wuchang-2023"  # not yet applied
    _button(rc, "linli-reset").click()
    session = page.SESSION.value
    assert session.week == 0 and session.sims[0].params == scenarios.load("baseline").params
    shown = rc.find(v.Html, class_="linli-note linli-summary").widget.children[0]
    assert shown.startswith("3000 户 · 10 个邻里单元") and "红榜：关" in shown


def test_page_intervention_is_queued_and_marked(page):

    rc = page.render()
    _button(rc, "linli-iv-post_red_list").click()
    _button(rc, "linli-iv-start_club").click()
    log = _html(rc, "linli-iv-log")[0].unsafe_innerHTML
    assert "第 1 周 · 张贴红榜" in log and "成立社团 (单元 0)（待生效）" in log
    assert 'class="intervention"' in _html(rc, "linli-map")[0].unsafe_innerHTML
    _button(rc, "linli-step").click()
    sim = page.SESSION.value.sims[0]
    assert [i.kind for i in sim.model.intervention_log] == ["post_red_list", "start_club"]
    assert "待生效" not in _html(rc, "linli-iv-log")[0].unsafe_innerHTML


def test_page_ab_mode_shows_two_maps(page):

    page.AB.set(True)
    rc = page.render()
    _button(rc, "linli-reset").click()
    assert len(page.SESSION.value.sims) == 2
    _button(rc, "linli-step").click()
    maps = _html(rc, "linli-map")
    assert len(maps) == 2 and all('data-week="1"' in m.unsafe_innerHTML for m in maps)


def test_page_reports_invalid_settings_and_keeps_the_run(page):

    rc = page.render()
    before = page.SESSION.value
    page.SETTINGS.set(page.SETTINGS.value.changed(households=50, unit_size=(100, 500)))
    _button(rc, "linli-reset").click()
    assert page.SESSION.value is before
    assert "参数无效" in page.ERROR.value("zh")
