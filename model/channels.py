"""The channels through which unit size acts on households (ODD §7.2). Nothing else reads
unit size.

Each function takes where households are and returns the size-dependent quantity. A channel
switched off replaces the administrative unit by something that does not depend on how the
street is cut into units (each docstring says what), so its effect vanishes.
"""

from __future__ import annotations

import numpy as np

from .params import SizeChannels


def street_window(width: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per household, the slice [lo, hi) of the ``width`` households nearest along the street
    (oneself included), shifted inward at the ends of the street."""
    width = min(width, n)
    lo = np.clip(np.arange(n) - (width - 1) // 2, 0, n - width)
    return lo, lo + width


def sight_window(ch: SizeChannels, unit_start: np.ndarray,
                 unit_end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per household, the slice [lo, hi) of households whose contributions it sees.

    On (``visibility``): the ``sight_range`` nearest households of its own unit (the whole unit
    if smaller). Off: the ``sight_range`` nearest households along the street, whatever the
    unit, so how much a household sees no longer depends on its unit's size.
    """
    n = len(unit_start)
    if not ch.visibility:
        unit_start, unit_end = np.zeros(n, dtype=np.int64), np.full(n, n, dtype=np.int64)
    width = np.minimum(ch.sight_range + 1, unit_end - unit_start)  # includes oneself
    lo = np.clip(np.arange(n) - ch.sight_range // 2, unit_start, unit_end - width)
    return lo, lo + width


def acquaintance_pool(ch: SizeChannels, unit_start: np.ndarray,
                      unit_end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per household, the slice [lo, hi) of households it can get to know (oneself included).

    On (``acquaintance_pool``): its own unit — the unit's activities are where neighbours
    meet. Off: the ``reference_size`` households nearest along the street, whatever the unit.
    """
    if ch.acquaintance_pool:
        return unit_start.astype(np.int64), unit_end.astype(np.int64)
    return street_window(ch.reference_size, len(unit_start))


def acquaintance_limit(ch: SizeChannels, pool_others: np.ndarray) -> np.ndarray:
    """Most neighbours of the pool one can know: the pool, capped by ``dunbar_cap`` (a
    cognitive limit that holds whatever the channels)."""
    return np.minimum(pool_others, ch.dunbar_cap)


def visible_share(ch: SizeChannels, pool_others: np.ndarray) -> np.ndarray:
    """Share of one's acquaintance pool that can see one's contribution: the ``sight_range``
    nearest, ``min(1, sight_range / (pool − 1))``."""
    return np.minimum(1.0, ch.sight_range / np.maximum(pool_others, 1)).astype(np.float32)


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


def head_territory(ch: SizeChannels, unit_of: np.ndarray) -> np.ndarray:
    """Per household, the territory of its neighbour head: one head post per territory.

    On (``head_span``): its unit — small units need more heads, and a head of a large unit
    has more households to look after and invite. Off: street segments of
    ``reference_size`` consecutive households, whatever the units, so posts, a head's load
    and its invitations per household no longer depend on unit size.
    """
    if ch.head_span:
        return unit_of
    return (np.arange(len(unit_of)) // ch.reference_size).astype(unit_of.dtype)
