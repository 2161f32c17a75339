"""The size channels of model/channels.py, switched on and off (ODD §7.2)."""

from __future__ import annotations

import numpy as np
import pytest

from model import channels
from model.params import SizeChannels

SIZES = np.array([5, 100])
ALL_OFF = {"visibility": False, "recognition_chance": False, "acquaintance_pool": False,
           "head_span": False}


def on(**kw) -> SizeChannels:
    return SizeChannels(**kw)


def off(**kw) -> SizeChannels:
    return SizeChannels(**{**ALL_OFF, **kw})


def same(values: np.ndarray) -> bool:
    return bool(np.allclose(values, values[0]))


# --- who sees one's contribution, and whom one can know ------------------------------------

def test_visible_share_is_sight_range_over_the_pool():
    share = channels.visible_share(on(sight_range=20), np.array([0, 1, 4, 20, 40, 100, 400]))
    # pools smaller than the sight range are fully seen; beyond it, sight_range / others
    assert share.tolist() == pytest.approx([1.0, 1.0, 1.0, 1.0, 0.5, 0.2, 0.05])
    assert share.dtype == np.float32


@pytest.mark.parametrize("cap", [1, 15, 50])
def test_acquaintance_limit_is_min_of_pool_and_cap(cap):
    others = np.array([0, 1, 4, 15, 16, 99, 999])
    limit = channels.acquaintance_limit(on(dunbar_cap=cap), others)
    assert limit.tolist() == np.minimum(others, cap).tolist()


def pools(ch: SizeChannels, *sizes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    unit_of = scopes(*sizes)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))[unit_of]
    ends = starts + np.asarray(sizes)[unit_of]
    lo, hi = channels.acquaintance_pool(ch, starts, ends)
    return lo, hi, unit_of


def test_acquaintance_pool_on_is_the_unit():
    lo, hi, unit_of = pools(on(), 5, 100, 1)
    assert np.all(unit_of[lo] == unit_of) and np.all(unit_of[hi - 1] == unit_of)
    assert (hi - lo).tolist() == [5] * 5 + [100] * 100 + [1]


@pytest.mark.parametrize("reference", [2, 15, 40])
def test_acquaintance_pool_off_is_a_street_window_whatever_the_units(reference):
    lo, hi, _ = pools(off(reference_size=reference), 5, 100, 1, 60)
    idx = np.arange(len(lo))
    assert np.all(hi - lo == reference)
    assert np.all((lo <= idx) & (idx < hi))  # oneself included
    assert lo.min() == 0 and hi.max() == 166


def test_street_window_is_centred_and_shifted_at_the_ends():
    lo, hi = channels.street_window(5, 12)
    assert lo.tolist() == [0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 7, 7]
    assert (hi - lo).tolist() == [5] * 12
    lo, hi = channels.street_window(50, 3)  # wider than the street: the whole street
    assert lo.tolist() == [0, 0, 0] and hi.tolist() == [3, 3, 3]


# --- recognition chance (ranking scope) ------------------------------------------------------

def scopes(*sizes: int) -> np.ndarray:
    """Household → scope id for consecutive scopes of the given sizes."""
    return np.repeat(np.arange(len(sizes)), sizes)


def listing_chance(ch: SizeChannels, scope_of: np.ndarray, slots: int) -> np.ndarray:
    """Per household: names listed in its ranking scope / households ranked there."""
    ranked_in, names = channels.ranking_scope(ch, scope_of, slots)
    return (names / np.bincount(ranked_in))[ranked_in]


def test_ranking_scope_on_fixed_slots_per_board():
    scope_of = scopes(5, 100, 3000)
    ranked_in, names = channels.ranking_scope(on(), scope_of, 5)
    assert np.array_equal(ranked_in, scope_of)  # each board ranks its own scope
    assert names.tolist() == [5.0, 5.0, 5.0]
    # so the chance of a listing falls with the scope's size
    chance = listing_chance(on(), scopes(*SIZES), 5)
    assert chance[0] == pytest.approx(1.0) and chance[-1] == pytest.approx(0.05)


def test_ranking_scope_off_one_ranking_in_proportion():
    ch = off(reference_size=15)
    scope_of = scopes(*SIZES)
    ranked_in, names = channels.ranking_scope(ch, scope_of, 5)
    assert np.all(ranked_in == 0)  # one ranking over everyone
    assert names.tolist() == pytest.approx([5 * 105 / 15])
    chance = listing_chance(ch, scope_of, 5)
    assert same(chance)  # the chance of a listing no longer depends on size
    assert chance[0] == pytest.approx(5 / 15)


# --- sight window (what a household sees) ------------------------------------------------------

def windows(ch: SizeChannels, *sizes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    unit_of = scopes(*sizes)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))[unit_of]
    ends = starts + np.asarray(sizes)[unit_of]
    lo, hi = channels.sight_window(ch, starts, ends)
    return lo, hi, unit_of


@pytest.mark.parametrize("sight", [1, 4, 20, 200])
def test_sight_window_on_stays_in_the_unit(sight):
    sizes = (5, 100, 1, 37, 2)
    lo, hi, unit_of = windows(on(sight_range=sight), *sizes)
    idx = np.arange(len(unit_of))
    unit_size = np.asarray(sizes)[unit_of]
    assert np.all((lo <= idx) & (idx < hi))  # oneself included
    assert np.array_equal(hi - lo, np.minimum(sight + 1, unit_size))
    assert np.all(unit_of[lo] == unit_of) and np.all(unit_of[hi - 1] == unit_of)
    # the nearest: nobody of the unit outside the window is closer than someone inside
    start = np.concatenate(([0], np.cumsum(sizes)[:-1]))[unit_of]
    end = start + unit_size
    farthest_in = np.maximum(idx - lo, hi - 1 - idx)
    left_out = np.where(lo > start, idx - (lo - 1), np.iinfo(np.int64).max)
    right_out = np.where(hi < end, hi - idx, np.iinfo(np.int64).max)
    assert np.all(farthest_in <= np.minimum(left_out, right_out))


def test_sight_window_on_depends_on_size():
    lo, hi, unit_of = windows(on(sight_range=20), *SIZES)
    seen = hi - lo - 1
    assert set(seen[unit_of == 0]) == {4} and set(seen[unit_of == 1]) == {20}


def test_sight_window_off_ignores_units():
    lo, hi, _ = windows(off(sight_range=20), *SIZES, 60)
    idx = np.arange(len(lo))
    assert np.all((lo <= idx) & (idx < hi))
    seen = hi - lo - 1
    assert np.all(seen == 20)  # units of 5 and 100 see the same number of households
    assert lo.min() == 0 and hi.max() == 165


# --- head span (the territory a neighbour head looks after) ----------------------------------

def test_head_territory_on_is_the_unit():
    unit_of = scopes(1, 5, 100, 500)
    assert np.array_equal(channels.head_territory(on(), unit_of), unit_of)
    # one post per territory: the share of households holding a post falls with unit size
    posts_per_household = 1 / np.bincount(unit_of)
    assert posts_per_household.tolist() == [1, 0.2, 0.01, 0.002]


@pytest.mark.parametrize("reference", [2, 15, 40])
def test_head_territory_off_is_street_segments(reference):
    unit_of = scopes(5, 100, 1, 60)
    territory = channels.head_territory(off(reference_size=reference), unit_of)
    sizes = np.bincount(territory)
    assert np.all(sizes[:-1] == reference) and 0 < sizes[-1] <= reference
    assert np.all(np.diff(territory) >= 0)  # consecutive households


# --- every channel: off means no dependence on size -------------------------------------------

def _territory_sizes(ch: SizeChannels) -> np.ndarray:
    """Households per territory of the first and the last unit."""
    unit_of = scopes(*(SIZES * 3))
    territory = channels.head_territory(ch, unit_of)
    sizes = np.bincount(territory)[territory]
    return np.array([sizes[0], sizes[-1]])


def _size_dependent_values(ch: SizeChannels) -> dict[str, np.ndarray]:
    lo, hi, unit_of = windows(ch, *SIZES)
    pool_lo, pool_hi, _ = pools(ch, *SIZES)
    first, last = unit_of == 0, unit_of == 1
    return {
        "visibility": np.array([(hi - lo)[first][0], (hi - lo)[last][0]]),
        "acquaintance_pool": np.array([(pool_hi - pool_lo)[first][0],
                                       (pool_hi - pool_lo)[last][0]]),
        "recognition_chance": listing_chance(ch, scopes(*SIZES), 5)[[0, -1]],
        "head_span": _territory_sizes(ch),
    }


@pytest.mark.parametrize("name", sorted(ALL_OFF))
def test_each_switch_removes_only_its_own_size_effect(name):
    values_on = _size_dependent_values(on())
    values_one_off = _size_dependent_values(on(**{name: False}))
    for channel, values in values_on.items():
        assert not same(values), f"{channel} should depend on size when on"
    for channel, values in values_one_off.items():
        if channel == name:
            assert same(values), f"{channel} still depends on size when off"
        else:
            assert np.allclose(values, values_on[channel]), f"{name} switched {channel}"
