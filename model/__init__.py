"""Linli's simulation: households in nested neighbour units (see docs/ODD.md).

The model imports nothing from ``scenarios``, ``experiments`` or any app.
"""

from .core import LinliModel
from .params import ParameterError, Params

__all__ = ["LinliModel", "ParameterError", "Params"]
