"""Scenarios: built-ins load, ``extends`` merges, bad files fail with file and key named."""

from __future__ import annotations

from pathlib import Path

import pytest

import scenarios
from model.params import Params
from scenarios import ScenarioError

BUILTINS = scenarios.builtin_names()


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(name_or_path) -> str:
    with pytest.raises(ScenarioError) as info:
        scenarios.load(name_or_path)
    return str(info.value)


def test_builtin_names():
    files = sorted(p.stem for p in scenarios.BUILTIN_DIR.glob("*.toml"))
    assert files == BUILTINS
    assert {"baseline", "small-units", "huajin-5-5-4-5", "wuchang-2023"} <= set(BUILTINS)


@pytest.mark.parametrize("name", BUILTINS)
def test_builtin_loads_and_is_valid(name):
    sc = scenarios.load(name)
    assert sc.name == name
    assert isinstance(sc.params, Params)
    assert sc.params == Params.from_dict(sc.params.model_dump())  # re-validates
    assert sc.params == Params.from_dict(sc.overrides)
    assert sc.chain[0] == name and sc.chain[-1] == "baseline"
    assert sc.title.get("en") and sc.title.get("zh")
    assert sc.description.get("en") and sc.description.get("zh")
    assert sc.text("title", "zh") == sc.title["zh"]


def test_extends_merges():
    base = scenarios.load("baseline")
    small = scenarios.load("small-units")
    assert small.chain == ("small-units", "baseline")
    assert small.params.structure.households == base.params.structure.households == 3000
    assert small.params.structure.unit_size == (10, 20)
    assert base.params.structure.unit_size == (100, 500)
    # the child's own title replaces the inherited one
    assert small.title != base.title


def test_extends_chain_of_three():
    sc = scenarios.load("wuchang-district")
    assert sc.chain == ("wuchang-district", "wuchang-2023", "small-units", "baseline")
    p = sc.params
    assert p.structure.households == 375_000  # own
    assert p.heads.enabled and p.recognition.enabled and p.groups.enabled  # from wuchang-2023
    assert p.structure.unit_size == (10, 20)  # from small-units
    assert p.couriers.count == 600  # own value wins over wuchang-2023's 60


def test_sections_merge_key_by_key(tmp_path):
    write(tmp_path, "parent", "[recognition]\nenabled = true\nslots = 7\n")
    child = write(tmp_path, "child", 'extends = "parent"\n[recognition]\nslots = 2\n')
    p = scenarios.load(child).params
    assert p.recognition.enabled  # inherited from the parent's same section
    assert p.recognition.slots == 2


def test_file_in_tmp_extends_builtin(tmp_path):
    path = write(tmp_path, "mine", 'extends = "small-units"\n[structure]\nhouseholds = 800\n')
    sc = scenarios.load(path)
    assert sc.name == "mine"
    assert sc.chain == ("mine", "small-units", "baseline")
    assert sc.params.structure.households == 800
    assert sc.params.structure.unit_size == (10, 20)
    assert sc.title == scenarios.load("small-units").title  # inherited
    assert scenarios.load(str(path)).params == sc.params


def test_sibling_file_is_preferred_to_builtin(tmp_path):
    write(tmp_path, "baseline", "[structure]\nhouseholds = 999\n")
    child = write(tmp_path, "child", 'extends = "baseline"\n')
    assert scenarios.load(child).params.structure.households == 999


def test_unknown_key_names_file_and_key(tmp_path):
    path = write(tmp_path, "typo", "[structure]\nhousholds = 100\n")
    msg = error_of(path)
    assert str(path) in msg
    assert "structure.housholds" in msg
    assert "Did you mean 'structure.households'?" in msg


def test_unknown_key_in_parent_names_the_parent(tmp_path):
    parent = write(tmp_path, "parent", "[recognition]\nenabeld = true\n")
    child = write(tmp_path, "child", 'extends = "parent"\n')
    msg = error_of(child)
    assert str(parent) in msg
    assert "recognition.enabeld" in msg


def test_bad_value_names_file_and_key(tmp_path):
    path = write(tmp_path, "bad", "[structure]\nhouseholds = -3\n")
    msg = error_of(path)
    assert str(path) in msg
    assert "structure.households" in msg
    assert ">= 5" in msg


def test_bad_type_mix_names_file(tmp_path):
    path = write(tmp_path, "mix", "[residents]\nshare_free_rider = 0.9\n")
    msg = error_of(path)
    assert str(path) in msg and "sum to 1" in msg


def test_missing_extends_target(tmp_path):
    path = write(tmp_path, "orphan", 'extends = "no-such-parent"\n')
    msg = error_of(path)
    assert str(path) in msg
    assert "extends" in msg
    assert "no-such-parent" in msg


def test_extends_must_be_a_name(tmp_path):
    path = write(tmp_path, "num", "extends = 3\n")
    msg = error_of(path)
    assert str(path) in msg and "extends" in msg


def test_circular_extends(tmp_path):
    a = write(tmp_path, "a", 'extends = "b"\n')
    write(tmp_path, "b", 'extends = "a"\n')
    msg = error_of(a)
    assert str(a) in msg
    assert "b.toml" in msg  # the cycle is spelled out
    assert "circular" in msg
    assert "extends" in msg


def test_self_extends(tmp_path):
    path = write(tmp_path, "me", 'extends = "me"\n')
    msg = error_of(path)
    assert str(path) in msg and "circular" in msg


def test_invalid_toml(tmp_path):
    path = write(tmp_path, "broken", "[structure\nhouseholds = = 3\n")
    msg = error_of(path)
    assert str(path) in msg
    assert "TOML" in msg
    assert "line 1" in msg  # where the problem is


def test_title_must_be_a_table(tmp_path):
    path = write(tmp_path, "title", 'title = "just a string"\n')
    msg = error_of(path)
    assert str(path) in msg and "'title'" in msg


def test_missing_file(tmp_path):
    msg = error_of(tmp_path / "absent.toml")
    assert "absent.toml" in msg and "not found" in msg


def test_unknown_name_suggests_close_match():
    msg = error_of("smal-units")
    assert "unknown scenario 'smal-units'" in msg
    assert "Did you mean 'small-units'?" in msg
    for name in BUILTINS:
        assert name in msg


def test_unknown_name_without_close_match():
    msg = error_of("zzzz")
    assert "Did you mean" not in msg
    assert "baseline" in msg


def test_directory_in_cwd_does_not_shadow_builtin(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "baseline").mkdir()
    assert scenarios.load("baseline").params.structure.households == 3000


def test_local_scenarios_are_found_by_name(tmp_path, monkeypatch):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "mine.toml").write_text(
        'extends = "baseline"\n[recognition]\nenabled = true\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    sc = scenarios.load("mine")
    assert sc.params.recognition.enabled and sc.chain == ("mine", "baseline")
    assert scenarios.available()["mine"][1] == "local"
    assert scenarios.available()["baseline"][1] == "built-in"


def test_local_folder_from_environment_shadows_builtin(tmp_path, monkeypatch):
    (tmp_path / "baseline.toml").write_text(
        '[structure]\nhouseholds = 700\nunit_size = [100, 500]\n', encoding="utf-8")
    monkeypatch.setenv("LINLI_SCENARIOS", str(tmp_path))
    assert scenarios.available()["baseline"] == (tmp_path / "baseline.toml", "local")
    assert scenarios.load("baseline").params.structure.households == 700
