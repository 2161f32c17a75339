"""Trainers' commands: ``linli app`` and ``linli animate``.

``register(app)`` adds them to the ``linli`` command line (called by experiments.cli); heavy
imports (Solara, the animation writer) happen inside the commands.
"""

from __future__ import annotations

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

    try:
        frames = animate.write(scenario, out, weeks=weeks, seed=seed, lang=lang.value, fps=fps)
    except animate.AnimationError as err:
        _fail(str(err))
    else:
        Console().print(f"written {out} ({frames} frames)", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the trainer commands to ``app``."""
    app.command("app")(app_command)
    app.command("animate")(animate_command)
