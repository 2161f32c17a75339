"""The five channels through which unit size acts (ODD §7.2). Nothing else reads unit size.

Each function takes the sizes of the groups concerned and returns the size-dependent quantity.
A channel switched off replaces it by something that does not depend on unit size (each
docstring says what), so its effect vanishes.
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


def sight_window(ch: SizeChannels, unit_start: np.ndarray,
                 unit_end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per household, the slice [lo, hi) of households whose contributions it sees.

    On: the ``sight_range`` nearest households of its own unit (the whole unit if smaller).
    Off: the ``sight_range`` nearest households along the street, whatever the unit, so how
    much a household sees no longer depends on its unit's size.
    """
    n = len(unit_start)
    if not ch.visibility:
        unit_start, unit_end = np.zeros(n, dtype=np.int64), np.full(n, n, dtype=np.int64)
    width = np.minimum(ch.sight_range + 1, unit_end - unit_start)  # includes oneself
    lo = np.clip(np.arange(n) - ch.sight_range // 2, unit_start, unit_end - width)
    return lo, lo + width


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


def ranking_scope(ch: SizeChannels, scope_of: np.ndarray, slots: int) -> tuple[np.ndarray,
                                                                               np.ndarray]:
    """(scope each household is ranked in, names listed per ranking scope).

    On: each board ranks its own scope and lists ``slots`` names, so the chance of being
    listed falls as the scope grows. Off: one ranking over everyone with ``slots`` names per
    ``reference_size`` households; each board shows its own residents who made that list, so
    the chance no longer depends on the size of the scope.
    """
    if not ch.recognition_chance:
        everyone = np.zeros(len(scope_of), dtype=scope_of.dtype)
        return everyone, np.array([slots * len(scope_of) / ch.reference_size])
    return scope_of, np.full(int(scope_of[-1]) + 1, float(slots))


def head_posts(ch: SizeChannels, unit_size: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Neighbour-head posts per unit: one per unit, so the share of households holding a post
    (and receiving a head's invitations) falls with unit size. Off: one post per
    ``reference_size`` households, stochastically rounded, so that share no longer depends
    on unit size."""
    if ch.head_span:
        return np.ones(unit_size.shape, dtype=np.int64)
    expected = unit_size / ch.reference_size
    return np.floor(expected + rng.random(unit_size.shape)).astype(np.int64)
