"""The trainer app without a browser: settings, runs, map, charts, animation, and the page's
components rendered in-process (``solara.render``). Browser tests: test_trainer_app.py."""

from __future__ import annotations

import re
import socket

import numpy as np
import pytest
from matplotlib import animation
from PIL import Image, ImageSequence
from typer.testing import CliRunner

import scenarios
from experiments.cli import app as cli_app
from model.interventions import InterventionError
from model.params import ParameterError
from trainer import animate, chart_data, charts, map_mpl, map_svg, map_tips, server
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


def test_svg_map_is_drawn_once_and_recoloured_by_codes():
    session = Session.start(small())
    session.step(2)
    sim = session.sims[0]
    geom = mp.build(sim.model.layout)
    snap = sim.snapshot()
    base = map_svg.base(geom, snap, "zh")
    n = sim.model.layout.households
    cells = base.split('data-codes="cell">')[1].split("</g>")[0]
    assert cells.count("<rect") == n and "<title>" not in base  # tips come on hover
    codes = map_svg.codes(geom, snap)
    assert codes["cell"] == "".join(map(str, mp.household_state(snap)))
    assert len(codes["courier"]) == len(sim.model.couriers)
    assert codes["business"] == "".join(str(int(v)) for v in sim.model.businesses.sharing)
    session.step()
    later = sim.snapshot()
    assert map_svg.base(geom, later, "zh") == base  # a week changes nothing drawn once
    assert map_svg.codes(geom, later)["cell"] != codes["cell"]


def test_map_tooltips_follow_the_week_in_both_languages():
    session = Session.start(small())
    session.step()
    sim = session.sims[0]
    geom = mp.build(sim.model.layout)
    snap = sim.snapshot()
    took_part = int(np.flatnonzero(snap.contributed)[0])
    tip = map_tips.tip(geom, snap, "household", took_part, "zh")
    assert tip.startswith(f"住户 #{took_part} · 单元 ") and "本周参与了" in tip
    en = map_tips.tip(geom, snap, "household", took_part, "en")
    assert en.startswith(f"Household #{took_part}") and not CJK.search(en)
    unit = int(sim.model.layout.unit_of[took_part])
    assert map_tips.tip(geom, snap, "unit", unit, "en").startswith(f"Unit {unit} (")
    assert map_tips.tip(geom, snap, "block", 0, "en").startswith("Grid cell 0 (")
    assert map_tips.tip(geom, snap, "courier", 0, "en").startswith("Courier #0")
    assert map_tips.tip(geom, snap, "household", 10**6, "en") == ""  # no such shape


def test_a_click_on_the_map_selects_what_interventions_need():
    sim = Sim(small().params(), 1, "wuchang-2023")
    snap = sim.snapshot()
    lay = sim.model.layout
    geom = mp.build(lay)
    h = 123
    picked = map_svg.target(snap, "household", h)
    assert picked == map_svg.Target(household=h, unit=int(lay.unit_of[h]),
                                    grid=int(lay.grid_of[h]))
    unit = map_svg.target(snap, "unit", 7)
    assert unit is not None and (unit.unit, unit.kind) == (7, "unit")
    assert map_svg.block_target(geom, snap, 1) == map_svg.Target(
        unit=int(np.flatnonzero(lay.grid_of_unit == 1)[0]), grid=1)
    first = int(sim.model.businesses.first_unit[1])
    assert map_svg.target(snap, "business", 1) == map_svg.Target(
        business=1, unit=first, grid=int(lay.grid_of_unit[first]))
    assert map_svg.target(snap, "courier", 0) is None
    layer = map_svg.layer("selection", geom, snap, "zh", picked)
    assert 'class="selected" data-kind="household"' in layer


def test_map_layers_mark_interventions_dashed_until_they_apply():
    session = Session.start(small())
    session.step(2)
    sim = session.sims[0]
    geom = mp.build(sim.model.layout)
    assert map_svg.layers(geom, sim.snapshot(), "zh")["marks"] == ""
    grid = int(np.flatnonzero(~sim.model.couriers.station_grid)[0])
    stations = map_svg.layer("stations", geom, sim.snapshot(), "en").count('class="station"')
    session.intervene([0], "open_station", {"grid": grid})
    session.intervene([0], "start_club", {"unit": int(np.flatnonzero(
        sim.model.layout.grid_of_unit == grid)[0])})
    marks = map_svg.layer("marks", geom, sim.snapshot(), "en")
    assert 'data-pending="1"' in marks and "stroke-dasharray" in marks
    session.step()
    snap = sim.snapshot()
    marks = map_svg.layer("marks", geom, snap, "en")
    assert 'data-pending="0"' in marks and "stroke-dasharray" not in marks
    assert map_svg.layer("stations", geom, snap, "en").count('class="station"') == stations + 1
    # a layer's inputs say when it must be redrawn
    assert map_svg.layer_inputs("stations", snap) != b""
    assert map_svg.layer_inputs("party", snap) == snap.party.tobytes()


def test_aggregated_map_colours_units_by_share():
    s = Settings.from_preset("small-units").changed(households=10000)
    session = Session.start(s)
    session.step()
    snap = session.snapshots()[0]
    geom = mp.build(snap.layout)
    assert geom.level == "unit"
    codes = map_svg.codes(geom, snap)["cell"]
    assert len(codes) == snap.layout.units
    expected = session.sims[0].model.unit_summary()["participation_rate_last_week"]
    assert codes == "".join(map(str, mp.share_bin(expected.to_numpy())))


# --- charts ---------------------------------------------------------------------------------

def test_chart_spec_names_every_panel_and_marks_mechanisms_not_in_the_scenario():
    session = Session.start(small(), preset_b="baseline")
    snaps = session.snapshots()
    spec = chart_data.spec(snaps, "zh")
    assert [p["key"] for p in spec["panels"]] == [p.key for p in chart_data.PANELS]
    assert spec["runs"] == ["A", "B"] and spec["panels"][0]["gap"]
    for panel in spec["panels"]:
        assert CJK.search(panel["title"]) and panel["unit"] and panel["help"]
    by_key = {p["key"]: p for p in spec["panels"]}
    assert by_key["groups"]["off"] == ""  # A has groups, B not: only B's lines are left out
    assert [s["off"] for s in by_key["groups"]["series"]] == [["B"], ["B"]]
    base = chart_data.spec(Session.start(small("baseline")).snapshots(), "en")
    panels = {p["key"]: p for p in base["panels"]}
    assert panels["groups"]["off"] == "not part of this scenario"
    co = {s["column"]: s["off"] for s in panels["co"]["series"]}
    assert co["co_plan"] == [""] and co["co_build"] == []


def test_charts_send_history_in_blocks_and_only_recent_weeks_each_week():
    session = Session.start(small())
    session.step(chart_data.FOLD + 3)
    snaps = session.snapshots()
    history, latest = chart_data.history(snaps), chart_data.latest(snaps)
    assert history[0]["week"] == list(range(1, chart_data.FOLD + 1))
    assert latest[0]["week"] == [chart_data.FOLD + 1, chart_data.FOLD + 2, chart_data.FOLD + 3]
    frame = snaps[0].frame
    joined = history[0]["participation_rate"] + latest[0]["participation_rate"]
    np.testing.assert_allclose(joined, frame["participation_rate"], atol=1e-5)
    session.step()
    assert chart_data.history(session.snapshots()) == history  # unchanged: not sent again


def test_week_axis_ends_at_fixed_points():
    assert [chart_data.x_max(w) for w in (0, 12, 13, 30, 104, 105, 600)] == [
        12, 12, 24, 52, 104, 208, 1040]


def test_chart_marks_one_line_per_run_and_week_with_what_happened():
    session = Session.start(small(), preset_b="baseline")
    session.step(3)
    session.intervene([0, 1], "post_red_list", {})
    session.intervene([0], "start_club", {"unit": 0})
    marks = chart_data.marks(session.snapshots(), "zh")
    assert marks == [{"run": 0, "week": 4, "pending": True, "text": "红榜 · 社团"},
                     {"run": 1, "week": 4, "pending": True, "text": "红榜"}]
    session.step()
    assert not any(m["pending"] for m in chart_data.marks(session.snapshots(), "en"))
    assert chart_data.x_end(session.snapshots()) == 12


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


def test_animation_frames_share_axes_and_legend_and_the_first_has_data():
    from matplotlib.figure import Figure

    sc = scenarios.load("small-units")
    weeks = 6
    frame = animate.chart_frame(sc.params, 2, sc.name, weeks)
    sim = Sim(sc.params, 2, sc.name)
    fig = Figure(figsize=(6, 4))
    ax = fig.add_axes((0.1, 0.3, 0.8, 0.6))
    seen = []
    for week in range(1, weeks + 1):
        sim.step()
        charts.draw_main(ax, [sim.snapshot()], "en", frame)
        fig.canvas.draw()
        legend = ax.get_legend().get_window_extent()
        seen.append((ax.get_xlim(), ax.get_ylim(), tuple(np.round(legend.bounds, 1))))
        if week == 1:  # one week: each line is a single visible dot
            dots = [line for line in ax.get_lines() if (line.get_gid() or "").startswith("now-")]
            assert len(dots) == 3 and all(len(d.get_xdata()) == 1 and d.get_marker() == "o"
                                          for d in dots)
    assert len(set(seen)) == 1  # nothing moves from frame to frame
    highest = sim.model.frame[list(charts.MAIN_COLUMNS)].to_numpy().max()
    assert highest <= frame.top < highest + 0.2 and frame.weeks == weeks


def test_animation_reports_progress_frame_by_frame(tmp_path):
    done = []
    animate.write("small-units", tmp_path / "p.gif", weeks=3, lang="en",
                  progress=lambda frame, total: done.append((frame, total)))
    assert done == [(1, 3), (2, 3), (3, 3)]


def test_animate_command_shows_progress_in_a_log(tmp_path):
    """Through the real entry point: not on a terminal, a line at each quarter of the frames
    (on a terminal, a progress bar)."""
    import subprocess
    import sys
    from pathlib import Path

    out = tmp_path / "a.gif"
    linli = Path(sys.executable).with_name("linli")  # the installed console script
    result = subprocess.run([str(linli), "animate", "small-units", "--weeks", "4", "--lang", "en",
                             "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if "Drawing frames" in line] == [
        f"Drawing frames {k}/4" for k in (1, 2, 3, 4)]
    assert "written" in result.stdout and out.is_file()


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
    """The page's state (``app_state``) with fresh per-tab values (small runs, so steps are
    quick); ``render()`` mounts ``page.Page``."""

    def __init__(self, state) -> None:
        self.state = state
        self.contexts: list = []

    def __getattr__(self, name: str):
        return getattr(self.state, name)

    def render(self):
        import solara

        from trainer import page as module

        _, rc = solara.render(module.Page(), handle_error=False)
        self.contexts.append(rc)
        return rc


@pytest.fixture
def page(monkeypatch):
    from trainer import app_state as state
    from trainer.server import FAST_ENV

    for key, value in FAST_ENV.items():  # the renderer ``linli app`` uses
        monkeypatch.setenv(key, value)

    state.PLAYING.set(False)
    state.LANG.set("zh")
    state.SETTINGS.set(small())
    state.AB.set(False)
    state.PRESET_B.set("baseline")
    state.MESSAGE.set(None)
    state.ERROR.set(None)
    state.SELECTED.set(None)
    state.PAINTED.set(-1)
    state.SESSION.set(None)
    under_test = PageUnderTest(state)
    yield under_test
    state.PLAYING.set(False)
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


def _maps(rc):
    from trainer.map_widget import MapWidget

    return rc.find(MapWidget).widgets


def _charts(rc):
    from trainer.charts_widget import ChartsWidget

    return rc.find(ChartsWidget).widget


def _text(rc, classes: str) -> str:
    """The text of the Html elements whose classes are exactly ``classes``."""
    import ipyvuetify as v

    return " ".join(str(c) for w in rc.find(v.Html, class_=classes).widgets
                    for c in w.children)


class Changes:
    """The synced traits a widget changes, with the size each would send."""

    def __init__(self, widget) -> None:
        import json

        self.sizes: dict[str, int] = {}

        def seen(change) -> None:
            if widget.trait_metadata(change["name"], "sync"):
                self.sizes[change["name"]] = len(json.dumps(change["new"], default=str))

        widget.observe(seen)


def test_page_steps_and_switches_language(page):
    import ipyvuetify as v

    rc = page.render()
    assert page.SESSION.value.week == 0
    (world,) = _maps(rc)
    assert world.frame["week"] == 0 and "网格 0" in world.base
    _button(rc, "linli-step").click()
    assert page.SESSION.value.week == 1
    assert world.frame["week"] == 1 and _charts(rc).data("latest")[0]["week"] == [1]
    assert "第 1 周" in _text(rc, "linli-week")
    assert _button(rc, "linli-step").children == ["下一周"]
    switch = rc.find(v.BtnToggle, class_="linli-lang").widget
    switch.v_model = 1  # what clicking "English" does in the browser
    assert _button(rc, "linli-step").children == ["Next week"]
    assert "grid 0" in world.base and _charts(rc).data("spec")["panels"][0]["title"] == (
        "Weekly participation")
    world.vue_hover({"kind": "household", "i": 0})
    assert world.tip["key"] == "household:0" and world.tip["text"].startswith("Household #0")
    switch.v_model = 0
    assert _button(rc, "linli-step").children == ["下一周"]
    assert world.tip["text"].startswith("住户 #0")


def test_a_week_sends_only_what_changed(page):
    """The map gets its colour codes (a few KB), the charts the weeks since their last block:
    nothing drawn once is sent again, and the controls are not re-rendered."""
    import ipyvuetify as v

    rc = page.render()
    (world,) = _maps(rc)
    charts_widget = _charts(rc)
    for _ in range(3):
        _button(rc, "linli-step").click()
    map_changes, chart_changes = Changes(world), Changes(charts_widget)
    preset = rc.find(v.Select, class_="linli-preset").widget
    preset_changes = Changes(preset)
    _button(rc, "linli-step").click()
    assert "base" not in map_changes.sizes and "frame" in map_changes.sizes
    assert sum(map_changes.sizes.values()) < 4 * page.SESSION.value.sims[0].model.layout.households
    assert set(chart_changes.sizes) <= {"latest_json", "marks_json", "x_end"}
    assert chart_changes.sizes["latest_json"] < 3000
    assert preset_changes.sizes == {}


def test_page_preset_and_reset_rebuild_the_model(page):
    rc = page.render()
    _button(rc, "linli-step").click()
    page.SETTINGS.set(page.SETTINGS.value.with_preset("baseline"))  # what the picker does
    assert page.SESSION.value.settings.preset == "wuchang-2023"  # not yet applied
    _button(rc, "linli-reset").click()
    session = page.SESSION.value
    assert session.week == 0 and session.sims[0].params == scenarios.load("baseline").params
    shown = _text(rc, "linli-note linli-summary")
    lay = session.sims[0].model.layout
    sizes = f"{lay.unit_size.min()}–{lay.unit_size.max()}"
    assert shown.startswith(f"3000 户 · {lay.units} 个邻里单元（每单元 {sizes} 户）")
    assert "红榜：关" in shown


def test_page_intervention_at_a_place_clicked_on_the_map(page):
    rc = page.render()
    (world,) = _maps(rc)
    _button(rc, "linli-iv-post_red_list").click()
    assert "第 1 周生效" in page.MESSAGE.value("zh") and "红榜" in page.MESSAGE.value("zh")
    sim = page.SESSION.value.sims[0]
    h = 57
    unit = int(sim.model.layout.unit_of[h])
    world.vue_pick({"kind": "household", "i": h})  # a click on household 57's square
    assert f"住户 #{h}" in _text(rc, "linli-selected")
    assert 'class="selected"' in world.selection
    _button(rc, "linli-iv-start_club").click()
    message = page.MESSAGE.value("zh")
    assert f"成立社团（单元 {unit}）" in message and "虚线框" in message and "第 1 周" in message
    assert 'data-pending="1"' in world.marks
    log = _html(rc, "linli-iv-log")[0].unsafe_innerHTML
    assert "第 1 周 · 张贴红榜" in log and f"成立社团 (单元 {unit})（待生效）" in log
    assert [m["pending"] for m in _charts(rc).data("marks")] == [True]
    _button(rc, "linli-step").click()
    assert [i.kind for i in sim.model.intervention_log] == ["post_red_list", "start_club"]
    assert "待生效" not in _html(rc, "linli-iv-log")[0].unsafe_innerHTML
    assert 'data-pending="0"' in world.marks


def test_page_ab_mode_shows_two_maps_that_describe_their_own_structure(page):
    page.AB.set(True)
    page.SETTINGS.set(page.SETTINGS.value.changed(couriers=5))
    rc = page.render()
    _button(rc, "linli-reset").click()
    a, b = page.SESSION.value.sims
    _button(rc, "linli-step").click()
    maps = _maps(rc)
    assert len(maps) == 2 and all(m.frame["week"] == 1 for m in maps)
    summaries = _text(rc, "linli-note linli-summary").split(" 3000 户")
    for sim, text in zip((a, b), summaries, strict=True):
        lay = sim.model.layout
        assert f"{lay.units} 个邻里单元" in text and f"{lay.count('grid')} 个网格" in text
        assert f"快递员：{len(sim.model.couriers)}" in text
    changed = _text(rc, "linli-note linli-changed")
    assert "快递员人数" in changed  # A differs from its preset, and says so
    assert _charts(rc).data("spec")["runs"] == ["A", "B"]


def test_page_reports_invalid_settings_and_keeps_the_run(page):
    rc = page.render()
    before = page.SESSION.value
    page.SETTINGS.set(page.SETTINGS.value.changed(households=50, unit_size=(100, 500)))
    _button(rc, "linli-reset").click()
    assert page.SESSION.value is before
    assert "参数无效" in page.ERROR.value("zh")


def test_play_keeps_to_the_speed_chosen(page, monkeypatch):
    """The play loop's schedule: at 5 weeks/s a slow week does not slow the next ones, and a
    page a week or more behind gets the missed weeks at once."""
    from trainer import app_state

    clock = {"now": 0.0}
    stepped: list[int] = []
    page.reset()  # a session without a rendered page, whose Play would start its own loop
    session = page.SESSION.value
    page.SPEED.set(5)

    def step(weeks: int = 1) -> None:
        stepped.append(weeks)
        clock["now"] += 0.5 if len(stepped) == 2 else 0.01  # the second week is slow
        for sim in session.sims:
            sim.week_count = getattr(sim, "week_count", 0) + weeks
        if len(stepped) == 6:
            page.PLAYING.set(False)

    monkeypatch.setattr(session, "step", step)
    monkeypatch.setattr(app_state.time, "monotonic", lambda: clock["now"])
    monkeypatch.setattr(app_state.time, "sleep", lambda s: clock.__setitem__(
        "now", clock["now"] + s))
    monkeypatch.setattr(app_state, "bump", lambda: None)
    page.PLAYING.set(True)
    app_state.play_loop()
    assert stepped[:2] == [1, 1] and stepped[2] == 2  # caught up the week the slow one cost
    assert clock["now"] == pytest.approx(sum(stepped) / 5, abs=0.05)  # 5 weeks a second


def test_only_the_newest_press_of_play_plays(page, monkeypatch):
    """Pause then Play while the loop sleeps: the old loop wakes to a newer one and stops, so
    the weeks do not come twice as fast."""
    from trainer import app_state

    page.reset()  # a session without a rendered page, whose Play would start its own loop
    session = page.SESSION.value
    stepped: list[int] = []

    def step(weeks: int = 1) -> None:
        stepped.append(weeks)
        if len(stepped) == 1:  # meanwhile: Pause, Play, and a new loop started
            app_state.PLAY_RUN.set(app_state.PLAY_RUN.peek() + 1)
        if len(stepped) == 5:
            page.PLAYING.set(False)

    monkeypatch.setattr(session, "step", step)
    monkeypatch.setattr(app_state.time, "sleep", lambda s: None)
    monkeypatch.setattr(app_state, "bump", lambda: None)
    page.PLAYING.set(True)
    app_state.play_loop()
    assert stepped == [1]


def test_play_waits_for_the_page_then_catches_up(page, monkeypatch):
    """A page slower than the speed chosen: each week waits until it is on the screen, and
    the weeks missed meanwhile come together in the next frame."""
    from trainer import app_state

    clock = {"now": 0.0}
    stepped: list[int] = []
    page.reset()
    session = page.SESSION.value
    page.SPEED.set(10)
    app_state.painted(0)  # a page that reports what it shows
    week = {"now": 0}

    def step(weeks: int = 1) -> None:
        stepped.append(weeks)
        week["now"] += weeks
        if len(stepped) == 12:
            page.PLAYING.set(False)

    def sleep(seconds: float) -> None:
        clock["now"] += seconds
        if clock["now"] >= paint_at["t"]:  # the page shows a week 0.35 s after it is sent
            app_state.painted(week["now"])

    paint_at = {"t": 0.0}

    def bump() -> None:
        paint_at["t"] = clock["now"] + 0.35

    monkeypatch.setattr(session, "step", step)
    monkeypatch.setattr(type(session), "week", property(lambda self: week["now"]))
    monkeypatch.setattr(app_state.time, "monotonic", lambda: clock["now"])
    monkeypatch.setattr(app_state.time, "sleep", sleep)
    monkeypatch.setattr(app_state, "bump", bump)
    page.PLAYING.set(True)
    app_state.play_loop()
    assert stepped[0] == 1 and all(w >= 3 for w in stepped[1:])  # ~0.35 s a frame at 10/s
    assert sum(stepped) / clock["now"] == pytest.approx(10, rel=0.15)


def test_page_says_it_shows_a_model_with_what_is_calibrated_and_assumed(page):
    """Issue 10: the app says, in both languages, that these are model results, what is
    calibrated to which field data and how much is assumed, with the scorecard's place."""
    import ipyvuetify as v

    from experiments.paramtable import counts

    tally = counts()
    rc = page.render()
    zh = _text(rc, "linli-note")
    assert "仿真模型的结果" in zh and "普通社区每周参与率" in zh
    assert f"{tally['calibrated']}个参数依据实地数据校准" in zh
    assert f"{tally['assumed']}个是假设值" in zh and "docs/VALIDATION.md" in zh
    rc.find(v.BtnToggle, class_="linli-lang").widget.v_model = 1
    en = _text(rc, "linli-note")
    assert "simulation model" in en and "Weekly participation in an ordinary community" in en
    assert f"{tally['assumed']} are assumptions" in en and "docs/VALIDATION.md" in en
