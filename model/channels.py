"""The five channels through which unit size acts (ODD §7.2). Nothing else reads unit size.

Each function takes the sizes of the groups concerned and returns the size-dependent quantity.
A channel switched off uses ``reference_size`` (or no cap) instead, so its effect vanishes.
"""

from __future__ import annotations

import numpy as np

from .params import SizeChannels


def visible_share(ch: SizeChannels, size: np.ndarray) -> np.ndarray:
    """Share of a unit's other households that can see one household's contribution."""
    others = np.maximum(size - 1, 1)
    if not ch.visibility:
        return np.ones(size.shape, dtype=np.float32)
    return np.minimum(1.0, ch.sight_range / others).astype(np.float32)


def acquaintance_limit(ch: SizeChannels, size: np.ndarray) -> np.ndarray:
    """Most unit neighbours a household can know: the unit, capped by ``dunbar_cap``."""
    others = size - 1
    if not ch.acquaintance_cap:
        return others
    return np.minimum(others, ch.dunbar_cap)


def benefit_share(ch: SizeChannels, size: np.ndarray) -> np.ndarray:
    """A household's share of the shared benefit its unit produces (1 / size)."""
    if not ch.benefit_share:
        return np.full(size.shape, 1.0 / ch.reference_size, dtype=np.float32)
    return (1.0 / size).astype(np.float32)


def board_slots(ch: SizeChannels, slots: int, scope_size: np.ndarray) -> np.ndarray:
    """Names a board lists per scope: fixed, or (switched off) in proportion to scope size."""
    if not ch.recognition_chance:
        return slots * scope_size / ch.reference_size
    return np.full(scope_size.shape, float(slots))


def invitation_reach(ch: SizeChannels, invites: float, size: np.ndarray) -> np.ndarray:
    """Chance that one inviter's ``invites`` per week reach a given household of the unit."""
    others = np.maximum(size - 1, 1) if ch.head_span else np.full(size.shape, ch.reference_size - 1)
    return np.minimum(1.0, invites / others).astype(np.float32)
