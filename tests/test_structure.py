"""Layouts: unit sizes, contiguity, nesting, level sizes, the Huajin ladder, extremes."""

from __future__ import annotations

import time

import numpy as np
import pytest

from model.params import Params
from model.structure import LEVELS, Layout, _draw_sizes, build_layout


def layout_for(structure: dict, seed: int = 0) -> Layout:
    params = Params.from_dict({"structure": structure})
    return build_layout(params.structure, np.random.default_rng(seed))


def group_sizes(layout: Layout, level: str) -> np.ndarray:
    """Households per group at ``level``, in id order."""
    return np.bincount(layout.of(level))


def check_consistent(lay: Layout) -> None:
    """Every structural invariant a layout must satisfy, whatever built it."""
    n = lay.households
    # every household in exactly one unit, units contiguous and in order
    assert lay.unit_of.shape == (n,)
    assert lay.unit_of[0] == 0
    assert np.all(np.diff(lay.unit_of) >= 0)
    assert np.all(np.diff(lay.unit_of) <= 1)  # no unit id skipped
    assert int(lay.unit_size.sum()) == n
    assert np.array_equal(np.bincount(lay.unit_of, minlength=lay.units), lay.unit_size)
    assert np.all(lay.unit_size >= 1)
    starts = np.flatnonzero(np.diff(np.concatenate(([-1], lay.unit_of))))
    assert np.array_equal(starts, lay.unit_start)
    assert np.array_equal(lay.unit_start + lay.unit_size,
                          np.append(lay.unit_start[1:], n))
    # per-unit maps agree with the per-household maps
    for level in ("li", "grid", "community"):
        per_unit = getattr(lay, f"{level}_of_unit")
        assert per_unit.shape == (lay.units,)
        assert np.array_equal(per_unit[lay.unit_of], lay.of(level))
        # ids are 0..k-1 without gaps and in street order (groups are contiguous runs)
        assert per_unit[0] == 0
        assert np.all(np.diff(per_unit) >= 0)
        assert np.all(np.diff(per_unit) <= 1)
    # nesting: a unit lies in one 里, a 里 in one grid, a grid in one community
    for lower, upper in (("unit", "li"), ("li", "grid"), ("grid", "community")):
        low, up = lay.of(lower), lay.of(upper)
        pairs = np.unique(np.stack([low, up]), axis=1)
        assert pairs.shape[1] == lay.count(lower), f"a {lower} spans several {upper}s"
    # size_of agrees with the groups
    for level in LEVELS:
        assert np.array_equal(lay.size_of(level), group_sizes(lay, level)[lay.of(level)])


@pytest.mark.parametrize(("lo", "hi"), [(10, 20), (100, 500), (1, 1), (3, 4), (15, 15)])
@pytest.mark.parametrize("seed", range(5))
def test_draw_sizes_range_and_last_unit_rule(lo, hi, seed):
    rng = np.random.default_rng(seed)
    for n in [hi, hi + 1, 2 * lo + 1, 997, 3000, 3001]:
        n = max(n, lo)
        sizes = _draw_sizes(n, lo, hi, rng)
        assert int(sizes.sum()) == n
        assert np.all(sizes[:-1] >= lo) and np.all(sizes[:-1] <= hi)
        # the last unit takes the rest; below lo it joins the one before, so it lies in
        # [lo, hi + lo - 1] (or is the only unit)
        assert sizes[-1] >= lo
        assert sizes[-1] <= hi + lo - 1


def test_draw_sizes_merges_a_short_remainder():
    # fixed size 300 over 3100 households: 10 units of 300 leave 100 (< lo), which joins
    # the last unit
    sizes = _draw_sizes(3100, 300, 300, np.random.default_rng(0))
    assert sizes.tolist() == [300] * 9 + [400]
    # an exact multiple leaves no remainder
    assert _draw_sizes(3000, 300, 300, np.random.default_rng(0)).tolist() == [300] * 10


def test_draw_sizes_are_spread_over_the_range():
    sizes = _draw_sizes(300_000, 10, 20, np.random.default_rng(1))[:-1]
    counts = np.bincount(sizes, minlength=21)[10:]
    assert np.all(counts > 0)  # every size in [10, 20] occurs
    assert abs(sizes.mean() - 15) < 0.1  # uniform over [10, 20]


@pytest.mark.parametrize("structure", [
    {},
    {"households": 600},
    {"unit_size": [100, 500]},
    {"households": 7777, "unit_size": [3, 40], "li_size": 60, "grid_size": 250,
     "community_size": 2000},
    {"ladder": [5, 5, 4, 5]},
    {"households": 1234, "ladder": [7, 3, 2, 4]},
])
@pytest.mark.parametrize("seed", [0, 1])
def test_layout_invariants(structure, seed):
    lay = layout_for(structure, seed)
    assert lay.households == Params.from_dict({"structure": structure}).structure.households
    check_consistent(lay)


@pytest.mark.parametrize("seed", range(3))
def test_unit_sizes_in_range(seed):
    lay = layout_for({"households": 5000, "unit_size": [10, 20]}, seed)
    assert np.all(lay.unit_size[:-1] >= 10) and np.all(lay.unit_size[:-1] <= 20)
    assert 10 <= lay.unit_size[-1] <= 20 + 10 - 1


@pytest.mark.parametrize(("unit_size", "li", "grid", "community"), [
    ((10, 20), 50, 300, 3000),
    ((5, 12), 80, 400, 2000),
])
@pytest.mark.parametrize("seed", range(3))
def test_level_sizes_near_targets(unit_size, li, grid, community, seed):
    lay = layout_for({"households": 12000, "unit_size": list(unit_size), "li_size": li,
                      "grid_size": grid, "community_size": community}, seed)
    child_max = int(lay.unit_size.max())
    for level, target in (("li", li), ("grid", grid), ("community", community)):
        sizes = group_sizes(lay, level)
        # a group gathers the children that start inside its window of `target` households,
        # so it differs from the target by less than its largest child (the last group may
        # hold only the remainder)
        assert np.all(np.abs(sizes[:-1] - target) < child_max), (level, sizes)
        assert sizes[-1] < target + child_max
        assert abs(sizes[:-1].mean() - target) <= 0.1 * target
        assert lay.count(level) == pytest.approx(12000 / target, abs=1)
        child_max = int(sizes.max())


def test_huajin_ladder_levels_are_exact():
    lay = layout_for({"households": 3000, "ladder": [5, 5, 4, 5]})
    check_consistent(lay)
    for level, size in (("unit", 5), ("li", 25), ("grid", 100), ("community", 500)):
        sizes = group_sizes(lay, level)
        assert np.all(sizes == size), level
        assert lay.count(level) == 3000 // size
    # units of a 里 are consecutive: 5 per 里, 4 里 per grid, 5 grids per community
    assert np.array_equal(lay.li_of_unit, np.arange(600) // 5)
    assert np.array_equal(lay.grid_of_unit, np.arange(600) // 20)
    assert np.array_equal(lay.community_of_unit, np.arange(600) // 100)


def test_ladder_ignores_size_targets_and_rng():
    a = layout_for({"households": 1000, "ladder": [5, 5, 4, 5], "li_size": 7,
                    "grid_size": 999, "community_size": 11}, seed=1)
    b = layout_for({"households": 1000, "ladder": [5, 5, 4, 5]}, seed=2)
    for level in LEVELS:
        assert np.array_equal(a.of(level), b.of(level))


def test_ladder_remainder_forms_a_smaller_last_unit():
    lay = layout_for({"households": 503, "ladder": [5, 5, 4, 5]})
    check_consistent(lay)
    assert lay.unit_size.tolist() == [5] * 100 + [3]
    assert lay.count("community") == 2


def test_fixed_unit_size_is_one_change():
    base = Params.from_dict({"structure": {"households": 3000}})
    big = base.replace({"structure": {"unit_size": 300}})
    assert big.structure.unit_size == (300, 300)
    lay = build_layout(big.structure, np.random.default_rng(0))
    check_consistent(lay)
    assert np.all(lay.unit_size == 300)
    assert lay.units == 10
    # with the default grid size of 300 a unit is a whole grid cell: the "big grid"
    assert lay.count("grid") == 10
    assert np.array_equal(lay.grid_of, lay.unit_of)
    assert lay.count("community") == 1
    # ... and small units are the same parameter set with one value changed
    small = big.replace({"structure": {"unit_size": [10, 20]}})
    assert small.model_dump(exclude={"structure": {"unit_size"}}) == big.model_dump(
        exclude={"structure": {"unit_size"}})
    small_lay = build_layout(small.structure, np.random.default_rng(0))
    assert small_lay.units > 100
    assert small_lay.count("grid") == pytest.approx(10, abs=1)


def test_one_building():
    lay = layout_for({"households": 50})
    check_consistent(lay)
    assert lay.households == 50
    assert 50 // 20 <= lay.units <= 50 // 10
    assert lay.count("li") == 1
    assert lay.count("grid") == 1
    assert lay.count("community") == 1


def test_district_scale_layout_is_fast():
    params = Params.from_dict({"structure": {"households": 375_000}})
    start = time.perf_counter()
    lay = build_layout(params.structure, np.random.default_rng(7))
    seconds = time.perf_counter() - start
    assert seconds < 2.0
    assert lay.households == 375_000
    assert int(lay.unit_size.sum()) == 375_000
    assert 375_000 // 20 <= lay.units <= 375_000 // 10
    assert lay.units == pytest.approx(25_000, rel=0.02)  # ~25,000 units of 10–20 households
    assert lay.count("grid") == pytest.approx(375_000 / 300, abs=2)
    assert lay.count("community") == pytest.approx(375_000 / 3000, abs=1)
    check_consistent(lay)


def test_same_seed_same_layout_different_seed_different_layout():
    a, b, c = (layout_for({"households": 2000}, seed) for seed in (3, 3, 4))
    assert np.array_equal(a.unit_size, b.unit_size)
    assert not np.array_equal(a.unit_size, c.unit_size)
