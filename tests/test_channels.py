"""The five size channels of model/channels.py, switched on and off."""

from __future__ import annotations

import numpy as np
import pytest

from model import channels
from model.params import SizeChannels

SIZES = np.array([5, 100])
ALL_OFF = {"visibility": False, "recognition_chance": False, "acquaintance_cap": False,
           "benefit_share": False, "head_span": False}


def on(**kw) -> SizeChannels:
    return SizeChannels(**kw)


def off(**kw) -> SizeChannels:
    return SizeChannels(**{**ALL_OFF, **kw})


def same(values: np.ndarray) -> bool:
    return bool(np.allclose(values, values[0]))


# --- visibility ---------------------------------------------------------------------------

def test_visibility_on():
    ch = on(sight_range=20)
    share = channels.visible_share(ch, np.array([2, 5, 21, 41, 101, 401]))
    # units smaller than the sight range are fully seen; beyond it, sight_range / others
    assert share.tolist() == pytest.approx([1.0, 1.0, 1.0, 0.5, 0.2, 0.05])
    assert share.dtype == np.float32
    assert not same(channels.visible_share(ch, SIZES))


def test_visibility_single_household_unit():
    assert channels.visible_share(on(), np.array([1])).tolist() == [1.0]


def test_visibility_off_ignores_size():
    share = channels.visible_share(off(), SIZES)
    assert share.tolist() == [1.0, 1.0]


# --- acquaintance cap ------------------------------------------------------------------------

@pytest.mark.parametrize("cap", [1, 15, 50])
def test_acquaintance_on_is_min_of_others_and_cap(cap):
    sizes = np.array([1, 2, 5, 16, 17, 100, 1000])
    limit = channels.acquaintance_limit(on(dunbar_cap=cap), sizes)
    assert limit.tolist() == np.minimum(sizes - 1, cap).tolist()


def test_acquaintance_off_is_uncapped():
    # switched off there is no cap: one can know every unit neighbour, so the share of the
    # unit one can know (limit / others) is 1 whatever the size
    limit = channels.acquaintance_limit(off(dunbar_cap=15), SIZES)
    assert limit.tolist() == [4, 99]
    assert same(limit / (SIZES - 1))
    # on, the share falls with size
    capped = channels.acquaintance_limit(on(dunbar_cap=15), SIZES)
    assert (capped / (SIZES - 1)).tolist() == pytest.approx([1.0, 15 / 99])


# --- benefit share -------------------------------------------------------------------------

def test_benefit_share_on_is_one_over_size():
    sizes = np.array([1, 5, 15, 100])
    assert channels.benefit_share(on(), sizes).tolist() == pytest.approx(1 / sizes)


@pytest.mark.parametrize("reference", [2, 15, 300])
def test_benefit_share_off_uses_reference_size(reference):
    share = channels.benefit_share(off(reference_size=reference), SIZES)
    assert share.tolist() == pytest.approx([1 / reference] * 2)


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


# --- head span (posts per unit) ---------------------------------------------------------------

def test_head_posts_on_one_per_unit():
    posts = channels.head_posts(on(), np.array([1, 5, 100, 500]), np.random.default_rng(0))
    assert posts.tolist() == [1, 1, 1, 1]
    # so the share of households holding a post falls with unit size
    assert (posts / np.array([1, 5, 100, 500])).tolist() == [1, 0.2, 0.01, 0.002]


@pytest.mark.parametrize("reference", [2, 15, 40])
def test_head_posts_off_in_proportion_to_size(reference):
    rng = np.random.default_rng(1)
    sizes = np.array([5, 100])
    draws = np.array([channels.head_posts(off(reference_size=reference), sizes, rng)
                      for _ in range(4000)])
    share = draws.mean(axis=0) / sizes  # posts per household, in expectation
    assert share == pytest.approx([1 / reference] * 2, rel=0.05)
    # stochastic rounding: each unit gets floor or ceil of size / reference
    for col, size in enumerate(sizes):
        assert set(np.unique(draws[:, col])) <= {size // reference, size // reference + 1}


# --- every channel: off means no dependence on size -------------------------------------------

def _size_dependent_values(ch: SizeChannels) -> dict[str, np.ndarray]:
    others = np.maximum(SIZES - 1, 1)
    lo, hi, unit_of = windows(ch, *SIZES)
    return {
        "sight_window": np.array([(hi - lo)[unit_of == 0][0], (hi - lo)[unit_of == 1][0]]),
        "visibility": channels.visible_share(ch, SIZES),
        "acquaintance_cap": channels.acquaintance_limit(ch, SIZES) / others,
        "benefit_share": channels.benefit_share(ch, SIZES),
        "recognition_chance": listing_chance(ch, scopes(*SIZES), 5)[[0, -1]],
        "head_span": channels.head_posts(ch, SIZES * 60, np.random.default_rng(0)) / (SIZES * 60),
    }


@pytest.mark.parametrize("name", sorted(ALL_OFF))
def test_each_switch_removes_only_its_own_size_effect(name):
    values_on = _size_dependent_values(on())
    values_one_off = _size_dependent_values(on(**{name: False}))
    for channel, values in values_on.items():
        assert not same(values), f"{channel} should depend on size when on"
    for channel, values in values_one_off.items():
        if channel == name or (name == "visibility" and channel == "sight_window"):
            assert same(values), f"{channel} still depends on size when off"
        else:
            assert np.allclose(values, values_on[channel]), f"{name} switched {channel}"
