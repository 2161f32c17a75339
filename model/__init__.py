"""Linli's simulation: households in nested neighbour units (see docs/ODD.md).

The model imports nothing from ``scenarios``, ``experiments`` or any app. ``LinliModel``
(which needs Mesa) is imported on first use, so reading parameters stays quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .params import ParameterError, Params

if TYPE_CHECKING:
    from .core import LinliModel

__all__ = ["LinliModel", "ParameterError", "Params"]


def __getattr__(name: str) -> Any:
    if name == "LinliModel":
        from .core import LinliModel

        return LinliModel
    raise AttributeError(f"module 'model' has no attribute '{name}'")
