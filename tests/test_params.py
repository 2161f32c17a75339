"""Parameters: defaults, unknown keys with suggestions, bad values with clear messages."""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError

from model.params import SECTIONS, ParameterError, Params, Structure, field_info


def error_of(data: dict) -> ParameterError:
    with pytest.raises(ParameterError) as info:
        Params.from_dict(data)
    return info.value


def assert_friendly(err: ParameterError) -> str:
    """The message is ours, not pydantic's: no traceback, no docs link, no chained cause."""
    msg = str(err)
    assert not isinstance(err, ValidationError)
    assert err.__cause__ is None
    assert err.__context__ is None or err.__suppress_context__
    for raw in ("pydantic", "errors.pydantic.dev", "validation error for", "Traceback",
                "type=", "input_value="):
        assert raw not in msg, f"raw pydantic text {raw!r} in: {msg}"
    return msg


def test_defaults_validate():
    p = Params.from_dict()
    assert p == Params() == Params.from_dict({}) == Params.from_dict(None)
    # round trip through a plain dict
    assert Params.from_dict(p.model_dump()) == p
    assert p.structure.unit_size == (10, 20)
    r = p.residents
    assert math.isclose(r.share_conditional + r.share_free_rider + r.share_hump
                        + r.share_unconditional, 1.0)


def test_every_default_lies_in_its_documented_range():
    for section, cls in SECTIONS.items():
        for name in cls.model_fields:
            allowed, doc = field_info(section, name)
            assert doc, f"{section}.{name} has no description"
            value = getattr(getattr(Params(), section), name)
            for bound in filter(None, allowed.split(" and ")):
                op, limit = bound.split(" ")
                limit = float(limit)
                ok = {">=": value >= limit, ">": value > limit, "<=": value <= limit,
                      "<": value < limit}[op]
                assert ok, f"default {section}.{name}={value} violates {bound}"


def _typo(name: str) -> str:
    """One letter doubled: close to ``name`` and to nothing else in practice."""
    i = len(name) // 2
    return name[:i] + name[i] + name[i:]


@pytest.mark.parametrize("section", sorted(SECTIONS))
def test_unknown_key_in_every_section(section):
    for name in SECTIONS[section].model_fields:
        typo = _typo(name)
        msg = assert_friendly(error_of({section: {typo: 1}}))
        assert f"'{section}.{typo}'" in msg
        assert f"Did you mean '{section}.{name}'?" in msg


def test_unknown_key_without_a_close_match_lists_allowed_names():
    msg = str(error_of({"heads": {"zzzzqqq": 1}}))
    assert "'heads.zzzzqqq'" in msg
    assert "Did you mean" not in msg
    assert "invites_per_week" in msg and "party_first" in msg


def test_unknown_section_and_top_level_key():
    msg = str(error_of({"strucutre": {"households": 100}}))
    assert "'strucutre'" in msg and "Did you mean 'structure'?" in msg
    msg = str(error_of({"weeeks": 10}))
    assert "'weeeks'" in msg and "Did you mean 'weeks'?" in msg


def test_section_must_be_a_table():
    msg = str(error_of({"structure": 5}))
    assert "structure" in msg and "table" in msg


@pytest.mark.parametrize("bad", [-5, 0, [-3, 10], [0, 5]])
def test_non_positive_unit_size(bad):
    msg = assert_friendly(error_of({"structure": {"unit_size": bad}}))
    assert "structure.unit_size" in msg
    assert ">= 1" in msg


def test_unit_size_range_reversed():
    msg = assert_friendly(error_of({"structure": {"unit_size": [20, 10]}}))
    assert "structure.unit_size" in msg
    assert "lo <= hi" in msg
    assert "[20, 10]" in msg


def test_unit_size_larger_than_population():
    msg = assert_friendly(error_of({"structure": {"households": 50, "unit_size": [10, 60]}}))
    assert "structure.unit_size" in msg and "structure.households" in msg


def test_unit_size_single_number_means_fixed():
    assert Params.from_dict({"structure": {"unit_size": 12}}).structure.unit_size == (12, 12)
    assert Structure(unit_size=7).unit_size == (7, 7)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
@pytest.mark.parametrize(("section", "name", "allowed"), [
    ("participation", "cc_slope", ">= 0 and <= 1.5"),
    ("residents", "time_budget_mean", "> 0 and <= 40"),
    ("recognition", "glow", ">= 0 and <= 20"),
])
def test_nan_and_inf_rejected(value, section, name, allowed):
    msg = assert_friendly(error_of({section: {name: value}}))
    assert f"{section}.{name}" in msg
    assert allowed in msg
    assert "finite" in msg


@pytest.mark.parametrize(("section", "name", "allowed"), [
    ("structure", "households", ">= 5 and <= 2000000"),
    ("recognition", "slots", ">= 1 and <= 1000"),
    ("weeks", None, ">= 1 and <= 5200"),
])
def test_string_for_an_int(section, name, allowed):
    data = {section: "many"} if name is None else {section: {name: "many"}}
    msg = assert_friendly(error_of(data))
    assert (section if name is None else f"{section}.{name}") in msg
    assert allowed in msg
    assert "'many'" in msg


@pytest.mark.parametrize(("section", "name", "value", "allowed"), [
    ("structure", "households", 4, ">= 5"),
    ("participation", "free_rider_level", 1.0, "< 1"),
    ("participation", "belief_learning", 0.0, "> 0"),
    ("size_channels", "reference_size", 1, ">= 2"),
    ("groups", "max_size", 2, ">= 3"),
])
def test_out_of_range_names_field_and_range(section, name, value, allowed):
    msg = assert_friendly(error_of({section: {name: value}}))
    assert f"{section}.{name}" in msg
    assert allowed in msg
    assert f"got {value!r}" in msg


def test_literal_field_lists_allowed_values():
    msg = assert_friendly(error_of({"recognition": {"scope": "street"}}))
    assert "recognition.scope" in msg
    for value in ("unit", "li", "grid", "community"):
        assert f"'{value}'" in msg


def test_type_mix_must_sum_to_one():
    msg = assert_friendly(error_of({"residents": {"share_hump": 0.5}}))
    for name in ("share_conditional", "share_free_rider", "share_hump", "share_unconditional"):
        assert name in msg
    assert "sum to 1" in msg
    assert "1.3600" in msg  # 0.50 + 0.30 + 0.50 + 0.06
    # a mix that does sum to 1 is fine
    p = Params.from_dict({"residents": {"share_conditional": 0.2, "share_free_rider": 0.3,
                                        "share_hump": 0.2, "share_unconditional": 0.3}})
    assert p.residents.share_unconditional == 0.3


def test_ladder_entries_positive():
    msg = assert_friendly(error_of({"structure": {"ladder": [5, 0, 4, 5]}}))
    assert "structure.ladder" in msg and ">= 1" in msg


def test_several_problems_reported_together():
    msg = str(error_of({"structure": {"households": 1}, "heads": {"invites_per_week": -1}}))
    assert "structure.households" in msg
    assert "heads.invites_per_week" in msg


def test_replace_applies_nested_overrides_and_keeps_the_rest():
    base = Params.from_dict({"structure": {"households": 600}})
    new = base.replace({"recognition": {"enabled": True, "slots": 3},
                        "structure": {"unit_size": [5, 8]}})
    assert new.recognition.enabled and new.recognition.slots == 3
    assert new.recognition.interval == base.recognition.interval
    assert new.structure.unit_size == (5, 8)
    assert new.structure.households == 600  # sibling kept
    # the original is untouched (and immutable)
    assert not base.recognition.enabled and base.structure.unit_size == (10, 20)
    with pytest.raises(ValidationError):
        base.weeks = 3  # type: ignore[misc]
    assert base.replace({}) == base


def test_replace_validates():
    base = Params()
    with pytest.raises(ParameterError, match=r"Did you mean 'recognition\.enabled'"):
        base.replace({"recognition": {"enabeld": True}})
    with pytest.raises(ParameterError, match=r"structure\.households"):
        base.replace({"structure": {"households": 0}})
    with pytest.raises(ParameterError, match="sum to 1"):
        base.replace({"residents": {"share_free_rider": 0.9}})


@pytest.mark.parametrize(("section", "name", "value"), [
    ("structure", "households", "3000"),
    ("participation", "intercept", "0.5"),
    ("participation", "intercept", True),
    ("recognition", "enabled", 1),
    ("recognition", "enabled", "yes"),
])
def test_loose_types_are_rejected(section, name, value):
    msg = assert_friendly(error_of({section: {name: value}}))
    assert f"{section}" in msg and name in msg
    assert repr(value) in msg


def test_ladder_ignores_unit_size_but_checks_its_own_unit():
    p = Params.from_dict({"structure": {"households": 200, "unit_size": [100, 500],
                                        "ladder": [5, 5, 4, 5]}})
    assert p.structure.ladder == (5, 5, 4, 5)
    msg = assert_friendly(error_of({"structure": {"households": 5, "ladder": [6, 5, 4, 5]}}))
    assert "structure.ladder" in msg
