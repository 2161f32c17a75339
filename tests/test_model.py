"""The model: every scenario runs, output columns and ranges, reproducibility, Mesa agents,
import boundaries, per-unit summaries, and mechanisms that are switched off stay off."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import scenarios
from model import metrics
from model.agents import Business, Courier, PartyMember, Resident
from model.core import LinliModel
from model.mechanisms.businesses import KINDS as BUSINESS_KINDS
from model.population import HeadRank

ROOT = Path(__file__).resolve().parents[1]
SMALL = {"structure": {"households": 600}}


def _collect_keys() -> list[str]:
    """The column names of the weekly frame (their meanings are checked in test_docs)."""
    model = LinliModel(SMALL, rng=0, agents=False)
    model.run_for(1)
    return list(model.frame.columns)


COLUMNS = _collect_keys()
RATES = [c for c in COLUMNS if c.startswith("participation_rate")] + [
    "ever_participated", "core_volunteers", "neighbour_head_coverage", "head_vacancy",
    "head_candidates", "invited", "reach_13w", "retention_52w", "hours_top10_share", "habit",
    "tie_density", "trust", "belief", "participation_gini"]
COUNTS = ["groups", "group_members", "largest_group", "group_cap_weeks", "board_listed",
          "board_thanked"]
# columns that are NaN exactly when their mechanism is not part of the run
MECHANISM_COLUMNS = {
    "heads": ["neighbour_head_coverage", "head_vacancy", "head_candidates", "invited"],
    "groups": ["groups", "group_members", "largest_group", "group_cap_weeks"],
    "recognition": ["board_listed", "board_thanked"],
}
# columns undefined in the first weeks (a 13-week window; a year and a window)
WARMING_UP = {"reach_13w": 12, "occasions_13w": 12, "retention_52w": 64}


def scenario_model(name: str, seed: int = 1, agents: bool = True) -> LinliModel:
    params = scenarios.load(name).params.replace(SMALL)
    return LinliModel(params, rng=seed, agents=agents)


def test_documented_columns_are_read():
    assert len(COLUMNS) == len(set(COLUMNS)) >= 20
    assert {"week", "participation_rate", "tie_density", "participation_gini"} <= set(COLUMNS)
    assert set(RATES + COUNTS) <= set(COLUMNS)


@pytest.mark.parametrize("name", scenarios.builtin_names())
def test_every_scenario_runs(name):
    model = scenario_model(name)
    assert model.layout.households == 600
    model.run_for(10)
    frame = model.frame
    assert len(frame) == 10
    assert list(frame.columns) == COLUMNS
    assert frame["week"].tolist() == list(range(1, 11))
    assert model.week == 10
    off = {col for mechanism, cols in MECHANISM_COLUMNS.items()
           if not getattr(model.params, mechanism).enabled for col in cols}
    for col in off:
        assert frame[col].isna().all(), f"{col}: {name} has no such mechanism, expected NaN"
    for col in RATES:
        values = frame[col].iloc[WARMING_UP.get(col, 0):]
        if col in off:
            continue
        if col == "participation_rate_members":  # undefined while nobody is a member
            assert values[frame["group_members"] == 0].isna().all()
            values = values[frame["group_members"] > 0]
        assert values.notna().all(), col
        assert values.between(0, 1).all(), (col, values.tolist())
    assert frame["reach_13w"].iloc[:12].isna().all()
    for col in set(COUNTS) - off:
        assert (frame[col] >= 0).all() and (frame[col] == frame[col].round()).all(), col
    if "group_members" not in off:
        assert (frame["group_members"] <= 600).all()
        assert (frame["group_cap_weeks"] == 0).all()  # the safety cap never binds
    if "board_listed" not in off:
        assert (frame["board_listed"] <= frame["board_thanked"]).all()
    assert (frame.fillna(0) >= 0).all().all()  # every output is a share, count or amount
    # the ever-participated share never falls
    assert (np.diff(frame["ever_participated"]) >= 0).all()
    # the frame agrees with the arrays at the last week
    pop = model.pop
    last = frame.iloc[-1]
    assert last["participation_rate"] == pytest.approx(pop.contributed.mean())
    assert last["ever_participated"] == pytest.approx((pop.weeks_active > 0).mean())
    assert last["participation_gini"] == pytest.approx(metrics.gini(pop.weeks_active))
    if "group_members" not in off:
        assert last["group_members"] == (pop.group >= 0).sum()
    # state invariants
    assert np.all(pop.known >= 0) and np.all(pop.known <= model.sizes.acquaintance_limit)
    assert np.all((pop.trust >= 0) & (pop.trust <= 1))
    assert np.all((pop.belief >= 0) & (pop.belief <= 1))
    assert np.all(pop.hours[~pop.contributed] == 0)
    assert np.all(pop.weeks_active <= 10)


def test_gini():
    assert metrics.gini(np.zeros(5)) == 0.0
    assert metrics.gini(np.full(7, 3.0)) == pytest.approx(0.0)
    assert metrics.gini(np.array([0, 0, 0, 10])) == pytest.approx(0.75)  # (n-1)/n
    x = np.array([1.0, 2.0, 3.0, 4.0])
    mean_abs_diff = np.abs(x[:, None] - x[None, :]).mean()
    assert metrics.gini(x) == pytest.approx(mean_abs_diff / (2 * x.mean()))


@pytest.mark.parametrize("name", ["small-units", "wuchang-2023"])
def test_same_seed_same_frame_different_seed_different_frame(name):
    frames = []
    for seed in (5, 5, 6):
        model = scenario_model(name, seed)
        model.run_for(10)
        frames.append(model.frame)
    pd.testing.assert_frame_equal(frames[0], frames[1])
    assert not frames[0].equals(frames[2])


@pytest.mark.parametrize("name", ["small-units", "wuchang-2023"])
def test_agent_views_do_not_change_the_run(name):
    with_agents, without = scenario_model(name, 3), scenario_model(name, 3, agents=False)
    with_agents.run_for(10)
    without.run_for(10)
    pd.testing.assert_frame_equal(with_agents.frame, without.frame)


def test_agent_sets_per_kind():
    model = scenario_model("wuchang-2023")
    p = model.params
    by_type = model.agents_by_type
    assert set(by_type) == {Resident, PartyMember, Courier, Business}
    assert len(by_type[Resident]) == int((~model.pop.party).sum())
    assert len(by_type[PartyMember]) == int(model.pop.party.sum())
    assert len(by_type[Courier]) == p.couriers.count == 60
    assert len(by_type[Business]) == p.businesses.count == 10
    assert len(model.agents) == 600 + 60 + 10
    # every household has exactly one view, party members as PartyMember
    residents = [*by_type[Resident], *by_type[PartyMember]]
    indices = sorted(a.index for a in residents)
    assert indices == list(range(600))
    assert sorted(a.index for a in by_type[PartyMember]) == np.flatnonzero(
        model.pop.party).tolist()
    for courier in by_type[Courier]:
        households = model.couriers.households(courier.index)
        assert len(households) == min(p.couriers.route_households, 600)
        assert np.array_equal(courier.route, np.unique(model.layout.unit_of[households]))
        assert courier.route.min() >= 0 and courier.route.max() < model.layout.units
    for business in by_type[Business]:
        assert business.kind in BUSINESS_KINDS
        assert np.all(business.nearby_units < model.layout.units)


def test_no_courier_or_business_agents_by_default(small_model):
    assert set(small_model.agents_by_type) == {Resident, PartyMember}
    assert len(small_model.agents) == 600


def test_agents_false_creates_none(make_model):
    assert len(make_model(agents=False).agents) == 0


def test_resident_properties_read_the_arrays(make_model):
    model = make_model({"heads": {"enabled": True}, "groups": {"enabled": True}})
    model.run_for(3)
    pop, lay = model.pop, model.layout
    residents = list(model.agents_by_type[Resident]) + list(model.agents_by_type[PartyMember])
    assert pop.contributed.sum() > 0
    assert len([a for a in residents if a.contributed]) == int(pop.contributed.sum())
    assert sum(a.weeks_active for a in residents) == int(pop.weeks_active.sum())
    assert sum(a.head != HeadRank.NONE for a in residents) == int((pop.head > 0).sum())
    assert sum(a.group is not None for a in residents) == int((pop.group >= 0).sum())
    for a in residents[::37]:
        i = a.index
        assert a.unit == lay.unit_of[i] and a.grid == lay.grid_of[i]
        assert a.behavioural_type == pop.btype[i]
        assert a.propensity == pytest.approx(float(pop.propensity[i]))
        assert a.belief == pytest.approx(float(pop.belief[i]))
        assert a.trust == pytest.approx(float(pop.trust[i]))
        assert a.recent_arrival == bool(pop.recent[i])
        assert a.known_neighbours == pop.known[i]
    # a view follows later changes of the arrays
    a = residents[0]
    pop.trust[a.index] = 0.123
    assert a.trust == pytest.approx(0.123)


def test_agentset_select(small_model):
    model = small_model
    model.run_for(2)
    residents = model.agents_by_type[Resident]
    recent = residents.select(lambda a: a.recent_arrival)
    assert len(recent) == int((model.pop.recent & ~model.pop.party).sum())
    assert all(a.recent_arrival for a in recent)
    party = model.agents.select(agent_type=PartyMember)
    assert len(party) == int(model.pop.party.sum())
    assert len(model.agents.select(lambda a: a.contributed)) == int(model.pop.contributed.sum())
    assert len(residents.select(at_most=10)) == 10


def test_model_does_not_import_experiments_or_scenarios_ast():
    files = sorted((ROOT / "model").rglob("*.py"))
    assert len(files) >= 10
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""] if node.level == 0 else []
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top not in {"experiments", "scenarios"}, f"{path.name} imports {name}"


def test_model_does_not_import_experiments_or_scenarios_runtime():
    code = ("import sys, model.core, model.agents, model.metrics\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('experiments', 'scenarios'))\n"
            "print(','.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, timeout=60, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("overrides", [{}, {"structure": {"unit_size": [100, 300]}},
                                       {"structure": {"ladder": [5, 5, 4, 5]}}])
def test_unit_summary(make_model, overrides):
    model = make_model(overrides)
    model.run_for(4)
    summary = model.unit_summary()
    lay, pop = model.layout, model.pop
    assert len(summary) == lay.units
    assert summary["unit"].tolist() == list(range(lay.units))
    assert int(summary["size"].sum()) == 600
    assert np.array_equal(summary["size"], lay.unit_size)
    assert np.array_equal(summary["grid"], lay.grid_of_unit)
    assert summary["participation_rate"].between(0, 1).all()
    assert summary["tie_density"].between(0, 1).all()
    # weighting the units by their size gives back the population figures
    w = summary["size"] / 600
    assert (w * summary["participation_rate_last_week"]).sum() == pytest.approx(
        pop.contributed.mean())
    assert (w * summary["participation_rate"]).sum() == pytest.approx(
        pop.weeks_active.mean() / 4)
    assert summary["party_households"].sum() == pop.party.sum()


def test_channels_off_make_sizes_uniform(make_model):
    off = {k: False for k in ("visibility", "recognition_chance", "acquaintance_pool",
                              "head_span")}
    model = make_model({"size_channels": off, "structure": {"unit_size": [3, 60]}})
    s, ch = model.sizes, model.params.size_channels
    assert len(np.unique(s.size)) > 10
    assert np.all(s.others == ch.reference_size - 1)
    assert len(np.unique(s.visible_share)) == 1
    assert np.all(s.acquaintance_limit == min(ch.reference_size - 1, ch.dunbar_cap))
    assert np.all(s.sight_hi - s.sight_lo - 1 == ch.sight_range)
    on = make_model({"structure": {"unit_size": [3, 60]}}).sizes
    assert np.array_equal(on.others, on.size - 1)
    assert len(np.unique(on.visible_share)) > 10
    assert on.acquaintance_limit.max() == ch.dunbar_cap
    assert np.array_equal(on.sight_hi - on.sight_lo, np.minimum(on.size, ch.sight_range + 1))


def test_the_public_good_belongs_to_buildings_not_units():
    """Re-drawing unit boundaries over the same buildings changes neither the buildings nor
    the benefit term of any household (ODD §7.1, §7.3)."""
    from model.mechanisms import participation

    models = [LinliModel({"structure": {"households": 900, "unit_size": size}}, rng=4,
                         agents=False) for size in (1, 5, [10, 20], 100, 400)]
    first = models[0]
    benefit = [m.params.participation.beta_benefit * m.params.participation.benefit_multiplier
               * m.sizes.building_share for m in models]
    for model, term in zip(models[1:], benefit[1:], strict=True):
        assert not np.array_equal(model.layout.unit_of, first.layout.unit_of)
        assert np.array_equal(model.layout.building_of, first.layout.building_of)
        assert np.array_equal(term, benefit[0])
    # and the term is what the decision rule uses: the fixed part differs by nothing else
    # than the (unit-independent) traits, which are the same for the same seed
    rules = [participation.Rule.build(m.params, m.pop, m.sizes) for m in models]
    assert all(np.array_equal(r.fixed, rules[0].fixed) for r in rules[1:])


# --- mechanisms switched off leave their state untouched --------------------------------------

def test_recognition_off(make_model):
    model = make_model({"recognition": {"enabled": False}})
    model.run_for(10)
    assert model.frame["board_listed"].isna().all()
    assert model.frame["board_thanked"].isna().all()
    assert not model.pop.glow.any()
    assert not model.pop.streak.any()
    assert not model.board.listed.any()
    assert model.pop.period_hours.sum() == pytest.approx(model.pop.total_hours.sum())


def test_recognition_on_posts_boards(make_model):
    model = make_model({"recognition": {"enabled": True, "interval": 4, "slots": 3,
                                        "scope": "li"}})
    model.run_for(10)
    frame = model.frame.set_index("week")
    assert (frame.loc[[1, 2, 3], "board_listed"] == 0).all()
    listed = frame.loc[[4, 8], "board_listed"]
    assert (listed > 0).all()
    # fixed slots: at most 3 names per 里
    assert (listed <= 3 * model.layout.count("li")).all()
    assert model.pop.streak.max() >= 1
    assert model.pop.glow.max() > 0


def test_groups_off(make_model):
    model = make_model({"groups": {"enabled": False}})
    model.run_for(10)
    assert model.frame["groups"].isna().all()
    assert model.frame["group_members"].isna().all()
    assert len(model.groups) == 0
    assert np.all(model.pop.group == -1)
    assert not model.pop.bridges.any()


def test_groups_on_are_seeded(make_model):
    model = make_model({"groups": {"enabled": True, "seed_leaders": 2},
                        "residents": {"share_skilled": 0.05}})
    pop, reg = model.pop, model.groups
    communities = model.layout.count("community")
    assert np.all(np.bincount(model.layout.community_of, weights=pop.skilled) >= 2)
    model.run_for(1)
    groups = model.frame["groups"].iloc[0]
    # two seed leaders per community; two with the same interest share one group
    assert communities <= groups <= 2 * communities
    assert groups == len(reg) == len(np.unique(reg.cell))
    assert np.all(pop.skilled[reg.leader])  # skilled residents first
    assert np.array_equal(pop.group[reg.leader], np.arange(len(reg)))  # leaders are members
    members = pop.group[pop.group >= 0]
    assert members.max() < len(reg)


def test_heads_off(make_model):
    model = make_model({"heads": {"enabled": False}})
    model.run_for(10)
    assert model.frame["neighbour_head_coverage"].isna().all()
    assert model.frame["invited"].isna().all()
    assert not model.pop.head.any()
    assert not model.pop.invited.any()


def test_heads_on_fill_the_chain(make_model):
    model = make_model({"heads": {"enabled": True}, "structure": {"ladder": [5, 5, 4, 5]}})
    model.run_for(1)
    pop, lay = model.pop, model.layout
    # a unit's post is filled exactly when the unit has a willing household (week 1: the
    # candidates are the willing); one building head (or higher) per 里 with a neighbour
    # head; one grid head per grid with one
    has_candidate = np.bincount(lay.unit_of, weights=pop.willing, minlength=lay.units) > 0
    heads_per_unit = np.bincount(lay.unit_of, weights=pop.head > 0, minlength=lay.units)
    assert np.array_equal(heads_per_unit, has_candidate.astype(float))
    assert 0 < has_candidate.mean() < 1  # some posts stay vacant: the pool is finite
    assert model.frame["neighbour_head_coverage"].iloc[0] == pytest.approx(
        has_candidate[lay.unit_of].mean())
    assert np.all(pop.willing[pop.head > 0])
    li_with_head = np.bincount(lay.li_of, weights=pop.head > 0) > 0
    assert np.array_equal(np.bincount(lay.li_of, weights=pop.head >= HeadRank.BUILDING),
                          li_with_head.astype(float))
    grid_with_head = np.bincount(lay.grid_of, weights=pop.head > 0) > 0
    assert np.array_equal(np.bincount(lay.grid_of, weights=pop.head == HeadRank.GRID),
                          grid_with_head.astype(float))
    # party members first: a unit with a willing party household has a party head
    willing_party = np.bincount(lay.unit_of, weights=pop.party & pop.willing) > 0
    head_is_party = np.bincount(lay.unit_of, weights=(pop.head > 0) & pop.party) > 0
    assert np.array_equal(willing_party, head_is_party)
    model.run_for(9)
    assert (model.frame["invited"] > 0).all()
