"""Trainers' commands: ``linli app`` and ``linli animate``.

``register(app)`` adds them to the ``linli`` command line (called by experiments.cli); heavy
imports (Solara, the animation writer) happen inside the commands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from experiments.terminal import fail as _fail


class Lang(StrEnum):
    zh = "zh"
    en = "en"


def app_command(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on")] = 8765,
    host: Annotated[str, typer.Option(help="Address to listen on (localhost: this machine "
                                           "only)")] = "localhost",
    lang: Annotated[Lang, typer.Option(help="Language the page opens in")] = Lang.zh,
) -> None:
    """Start the trainer app, a local web page that works without internet; print its address."""
    from . import server

    try:
        server.serve(host, port, lang.value)
    except server.ServerError as err:
        _fail(str(err))


def animate_command(
    scenario: Annotated[str, typer.Argument(help="Built-in scenario name or path to a .toml")],
    out: Annotated[Path, typer.Option(help="Output file: .gif (always works) or .mp4 "
                                           "(needs ffmpeg)")],
    weeks: Annotated[int, typer.Option(min=1, max=520, help="Weeks to animate (one frame "
                                                             "each)")] = 52,
    seed: Annotated[int, typer.Option(min=0, help="Random seed")] = 1,
    lang: Annotated[Lang, typer.Option(help="Language of the labels")] = Lang.zh,
    fps: Annotated[int, typer.Option(min=1, max=60, help="Frames (weeks) per second")] = 4,
) -> None:
    """Write the map and the participation chart, week by week, as a GIF or MP4 for slides."""
    from . import animate
    from .labels import tr

    try:
        with frame_progress(lang.value, weeks) as progress:
            frames = animate.write(scenario, out, weeks=weeks, seed=seed, lang=lang.value,
                                   fps=fps, progress=progress)
    except animate.AnimationError as err:
        _fail(str(err))
    else:
        Console().print(tr("animate_written", lang.value, out=out, frames=frames),
                        highlight=False, markup=False)


@contextmanager
def frame_progress(lang: str, total: int) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on a terminal (on stderr); elsewhere, as in a log, a line at each
    quarter of the frames."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from .labels import tr

    console = Console(stderr=True)
    label = tr("animate_progress", lang)
    if console.is_terminal:
        with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), console=console,
                      transient=True) as bar:
            task = bar.add_task(label, total=total)
            yield lambda done, _total: bar.update(task, completed=done)
        return
    marks = {max(1, round(total * q / 4)) for q in (1, 2, 3, 4)}

    def report(done: int, frames: int) -> None:
        if done in marks:
            console.print(f"{label} {done}/{frames}", highlight=False, markup=False)

    yield report


def register(app: typer.Typer) -> None:
    """Add the trainer commands to ``app``."""
    app.command("app")(app_command)
    app.command("animate")(animate_command)
