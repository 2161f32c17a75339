"""Trainers' commands: ``linli app`` and ``linli animate``.

``register(app)`` adds them to the ``linli`` command line (called by experiments.cli); heavy
imports (Solara, the animation writer) happen inside the commands.
"""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the trainer commands to ``app``."""
