"""``linli classroom``: added to the ``linli`` command line by experiments.cli; Solara and
the model are imported inside the command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from experiments.terminal import fail as _fail
from trainer.cli import Lang


def classroom_command(
    scenario: Annotated[str, typer.Option(help="Built-in scenario the room plays in")] =
        "wuchang-2023",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on")] = 8766,
    host: Annotated[str, typer.Option(help="Address to listen on (default: this laptop's "
                                           "address on the room's network; 127.0.0.1: "
                                           "this machine only)", show_default=False)] = "",
    lang: Annotated[Lang, typer.Option(help="Language the pages open in")] = Lang.zh,
    households: Annotated[int, typer.Option(min=50, max=10_000,
                                            help="Households in the community")] = 600,
    rounds: Annotated[int, typer.Option(min=1, max=200, help="Rounds to play")] = 10,
    weeks_per_round: Annotated[int, typer.Option(min=1, max=52,
                                                 help="Model weeks per round")] = 1,
    timer: Annotated[float, typer.Option(min=0, help="Seconds per round (0: no timer)")] = 90,
    seed: Annotated[int, typer.Option(min=0, help="Random seed")] = 1,
    out: Annotated[Path, typer.Option(help="Where debriefs are exported (each session in a "
                                           "folder of its own)")] = Path("results/classroom"),
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Use --out even if it holds "
                                                                "other output")] = False,
) -> None:
    """Run a classroom: trainees join from phones on the room's Wi-Fi and play households,
    heads, couriers and businesses in one community, against a shadow world."""
    import scenarios
    from experiments.running.outdir import OutputError, claim
    from trainer.server import ServerError

    from . import server
    from .settings import RoomSettings

    try:
        scenarios.load(scenario)
    except scenarios.ScenarioError as err:
        _fail(str(err))
    settings = RoomSettings(scenario=scenario, households=households, seed=seed,
                            rounds=rounds, weeks_per_round=weeks_per_round,
                            timer_seconds=timer or None)
    try:
        claim(out, "classroom", "classroom", overwrite=overwrite)  # before anything starts
        server.serve(settings, host, port, lang.value, str(out))
    except (ServerError, OutputError) as err:
        _fail(str(err))


def register(app: typer.Typer) -> None:
    app.command("classroom")(classroom_command)
