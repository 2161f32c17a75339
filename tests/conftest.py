"""Shared fixtures: small models that build in milliseconds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from model.core import LinliModel
from model.params import Params

SMALL_HOUSEHOLDS = 600


def _small_model(overrides: dict[str, Any] | Params | None = None, rng: int = 42,
                 agents: bool = True) -> LinliModel:
    """A 600-household model; ``overrides`` are merged over the small default."""
    if isinstance(overrides, Params):
        params = overrides
    else:
        params = Params.from_dict({"structure": {"households": SMALL_HOUSEHOLDS}})
        if overrides:
            params = params.replace(overrides)
    return LinliModel(params, rng=rng, agents=agents)


@pytest.fixture
def make_model() -> Callable[..., LinliModel]:
    """Factory: ``make_model(overrides=None, rng=42, agents=True)`` → a small LinliModel."""
    return _small_model


@pytest.fixture
def small_model() -> LinliModel:
    """``LinliModel({"structure": {"households": 600}}, rng=42)``, not yet stepped."""
    return LinliModel({"structure": {"households": SMALL_HOUSEHOLDS}}, rng=42)
