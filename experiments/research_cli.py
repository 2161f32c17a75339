"""Researchers' commands: ``linli sweep``, ``linli sensitivity``, ``linli query``.

``register(app)`` adds them to the ``linli`` command line (called by experiments.cli).
"""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the research commands to ``app``."""
