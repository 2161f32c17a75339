"""Where households live (ODD §7.1), as id arrays.

Two layers over the same street. The **physical** layer: buildings, runs of consecutive
households drawn independently of any grouping, which own the public goods and shared spaces
their residents share. The **organisational** nesting: unit (邻) → 里 → grid (网格) →
community, units being runs of consecutive households cut by the scenario's unit size.
Households are numbered along the street, so a unit is a contiguous slice and the households
closest in number are the ones upstairs, downstairs, left and right. Re-drawing the units
never moves a building.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .params import Structure

LEVELS = ("unit", "li", "grid", "community")


@dataclass(frozen=True)
class Layout:
    """Who lives where. Every ``*_of`` array maps a household to the id at that level."""

    unit_of: np.ndarray  # household → unit
    li_of: np.ndarray  # household → 里
    grid_of: np.ndarray  # household → grid cell
    community_of: np.ndarray  # household → community
    unit_start: np.ndarray  # first household of each unit (units are contiguous)
    unit_size: np.ndarray  # households per unit
    li_of_unit: np.ndarray  # unit → 里
    grid_of_unit: np.ndarray  # unit → grid
    community_of_unit: np.ndarray  # unit → community
    building_of: np.ndarray  # household → physical building (independent of the units)

    @property
    def households(self) -> int:
        return len(self.unit_of)

    @property
    def units(self) -> int:
        return len(self.unit_size)

    def count(self, level: str) -> int:
        """Number of distinct ids at a level."""
        return int(self.of(level)[-1]) + 1

    def of(self, level: str) -> np.ndarray:
        """Household → id array for one of LEVELS."""
        return getattr(self, f"{level}_of")

    def size_of(self, level: str) -> np.ndarray:
        """Per household: number of households in its own group at ``level``."""
        ids = self.of(level)
        return np.bincount(ids)[ids]


def build_layout(structure: Structure, rng: np.random.Generator) -> Layout:
    """Lay out the buildings, then the units by a target unit size (fixed or range) or by an
    explicit ladder. Buildings are drawn first, so the same seed gives the same buildings
    whatever the unit size."""
    n = structure.households
    b_lo, b_hi = structure.building_size
    buildings = _draw_sizes(n, min(b_lo, n), min(b_hi, n), rng)
    building_of = np.repeat(np.arange(len(buildings), dtype=np.int32), buildings)
    if structure.ladder is not None:
        per_unit, units_per_li, li_per_grid, grids_per_community = structure.ladder
        sizes = _split_fixed(n, per_unit)
        unit_ids = np.arange(len(sizes))
        li_of_unit = unit_ids // units_per_li
        grid_of_unit = li_of_unit // li_per_grid
        community_of_unit = grid_of_unit // grids_per_community
    else:
        lo, hi = structure.unit_size
        sizes = _draw_sizes(n, lo, hi, rng)
        start = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        # Pack consecutive units into 里, grids and communities of about the target size.
        li_of_unit = _renumber(start // structure.li_size)
        li_start = _group_start(start, li_of_unit)
        grid_of_unit = _renumber((li_start // structure.grid_size)[li_of_unit])
        grid_start = _group_start(start, grid_of_unit)
        community_of_unit = _renumber((grid_start // structure.community_size)[grid_of_unit])
    return _layout(sizes, li_of_unit, grid_of_unit, community_of_unit, building_of)


def _layout(sizes, li_of_unit, grid_of_unit, community_of_unit, building_of) -> Layout:
    sizes = np.asarray(sizes, dtype=np.int32)
    unit_of = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
    start = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
    li_of_unit = li_of_unit.astype(np.int32)
    grid_of_unit = grid_of_unit.astype(np.int32)
    community_of_unit = community_of_unit.astype(np.int32)
    return Layout(
        unit_of=unit_of,
        li_of=li_of_unit[unit_of],
        grid_of=grid_of_unit[unit_of],
        community_of=community_of_unit[unit_of],
        unit_start=start,
        unit_size=sizes,
        li_of_unit=li_of_unit,
        grid_of_unit=grid_of_unit,
        community_of_unit=community_of_unit,
        building_of=building_of,
    )


def _split_fixed(n: int, size: int) -> np.ndarray:
    """Units of ``size``; the remainder forms one smaller last unit."""
    full, rest = divmod(n, size)
    return np.array([size] * full + ([rest] if rest else []), dtype=np.int64)


def _draw_sizes(n: int, lo: int, hi: int, rng: np.random.Generator) -> np.ndarray:
    """Unit sizes drawn uniformly from [lo, hi] until n households are placed.

    The last unit takes what is left; if that is below ``lo`` it joins the unit before it.
    """
    draws = rng.integers(lo, hi + 1, size=n // lo + 1)
    ends = np.cumsum(draws)
    k = int(np.searchsorted(ends, n))  # first unit that reaches n
    sizes = draws[: k + 1].copy()
    sizes[k] = n - (ends[k - 1] if k else 0)
    if sizes[k] < lo and k > 0:
        sizes[k - 1] += sizes[k]
        sizes = sizes[:k]
    return sizes.astype(np.int64)


def _renumber(ids: np.ndarray) -> np.ndarray:
    """Map sorted non-decreasing ids to 0, 1, 2, … without gaps."""
    change = np.concatenate(([0], (np.diff(ids) != 0).astype(np.int64)))
    return np.cumsum(change)


def _group_start(unit_start: np.ndarray, group_of_unit: np.ndarray) -> np.ndarray:
    """First household number of each group (groups are runs of consecutive units)."""
    first = np.concatenate(([True], np.diff(group_of_unit) != 0))
    return unit_start[first]
