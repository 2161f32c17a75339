"""``linli animate``: the community map and the participation chart, one frame per week,
written as a GIF (Pillow) or an MP4 (ffmpeg) for slides.

The run is simulated once before drawing (a few milliseconds a week) so that every frame
shares the same axes (``charts.Frame``) and legend; ``progress`` hears of each frame drawn.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import matplotlib
from matplotlib import animation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import scenarios
from experiments.reporting.plots import style, warn_if_no_cjk_font
from model.params import ParameterError, Params

from . import charts, map_mpl
from . import map as mp
from .labels import check_lang, tr
from .state import Sim

DPI = 100


class AnimationError(ValueError):
    """The animation cannot be written (format, missing ffmpeg, unknown scenario)."""


def _bundled_ffmpeg() -> bool:
    """Point matplotlib at the ffmpeg that the imageio-ffmpeg package ships, if any."""
    try:
        import imageio_ffmpeg
    except ImportError:
        return False
    try:
        matplotlib.rcParams["animation.ffmpeg_path"] = imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError:
        return False
    return animation.writers.is_available("ffmpeg")


def writer_for(path: Path, fps: int) -> animation.AbstractMovieWriter:
    """PillowWriter for .gif; FFMpegWriter for .mp4 (system ffmpeg, else the bundled one)."""
    suffix = path.suffix.lower()
    if suffix == ".gif":
        return animation.PillowWriter(fps=fps)
    if suffix == ".mp4":
        if not (animation.writers.is_available("ffmpeg") or _bundled_ffmpeg()):
            raise AnimationError("writing .mp4 needs ffmpeg, which was not found on this "
                                 "machine: write a .gif instead (--out FILE.gif), or install "
                                 "ffmpeg (Debian/Ubuntu: apt-get install ffmpeg)")
        return animation.FFMpegWriter(fps=fps, codec="h264", extra_args=["-pix_fmt", "yuv420p"])
    raise AnimationError(f"unknown animation format '{path.suffix}': use .gif or .mp4")


Progress = Callable[[int, int], None]  # (frames written, frames in all)


def chart_frame(params: Params, seed: int, name: str, weeks: int) -> charts.Frame:
    """The chart axes that fit the whole run (simulated here, without drawing)."""
    sim = Sim(params, seed, name, title={})
    for _ in range(weeks):
        sim.step()
    frame = sim.model.frame
    values = frame[[c for c in charts.MAIN_COLUMNS if c in frame]].to_numpy(dtype=float)
    return charts.Frame.fitting(values, weeks)


def write(scenario: str, out: Path, weeks: int = 52, seed: int = 1, lang: str = "zh",
          fps: int = 4, progress: Progress | None = None) -> int:
    """Run ``scenario`` for ``weeks`` weeks and write one frame per week to ``out`` (written
    to a temporary file beside it, then renamed, so ``out`` is never half written).
    Returns the number of frames."""
    check_lang(lang)
    out = Path(out)
    writer = writer_for(out, fps)
    if not out.parent.is_dir():
        raise AnimationError(f"folder {out.parent} does not exist")
    try:
        sc = scenarios.load(scenario)
    except (scenarios.ScenarioError, ParameterError) as err:
        raise AnimationError(str(err)) from None
    frame = chart_frame(sc.params, seed, sc.name, weeks)
    sim = Sim(sc.params, seed, sc.name, title=sc.title)
    geom = mp.build(sim.model.layout)
    warn_if_no_cjk_font(lang, [sc.text("title", lang)])

    fd, name = tempfile.mkstemp(prefix=f".{out.stem}-", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o666 & ~umask)  # as an ordinary new file, not mkstemp's owner-only mode
    try:
        with style(lang):
            fig = Figure(figsize=(12.8, 6.0), dpi=DPI)
            FigureCanvasAgg(fig)
            map_ax = fig.add_axes((0.01, 0.13, 0.57, 0.78))
            chart_ax = fig.add_axes((0.64, 0.26, 0.34, 0.62))
            fig.legend(handles=map_mpl.legend_handles(geom, lang), loc="lower left",
                       bbox_to_anchor=(0.01, 0.0), ncol=5, fontsize=8, frameon=False,
                       handlelength=1.2, columnspacing=1.2)
            with writer.saving(fig, str(tmp), dpi=DPI):
                for done in range(1, weeks + 1):
                    sim.step()
                    snap = sim.snapshot()
                    map_mpl.draw(map_ax, geom, snap, lang, legend=False)
                    charts.draw_main(chart_ax, [snap], lang, frame)
                    fig.suptitle(tr("animation_title", lang, title=snap.scenario_title(lang),
                                    week=snap.week), fontsize=14, x=0.01, ha="left",
                                 fontweight="bold")
                    writer.grab_frame()
                    if progress is not None:
                        progress(done, weeks)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return weeks
