"""The classroom's Solara app: players join at ``/`` (with ``?room=CODE`` from the QR code),
the facilitator's projector page is ``/host?key=…``."""

from __future__ import annotations

import solara

from .host_page import HostPage
from .player_page import PlayerPage


@solara.component
def Layout(children: list | None = None) -> None:
    """No app bar and no tabs: a player's page must not link to the facilitator's."""
    solara.Div(children=children or [])


routes = [
    solara.Route(path="/", component=PlayerPage, label="play", layout=Layout),
    solara.Route(path="host", component=HostPage, label="host"),
]
