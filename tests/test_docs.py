"""docs/ODD.md stays true to the code: parameter table, outputs, sections, step order."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from pathlib import Path

import pytest

from experiments import paramtable
from model.core import LinliModel
from model.params import SECTIONS

ROOT = Path(__file__).resolve().parent.parent
ODD = ROOT / "docs" / "ODD.md"

# The submodel calls of LinliModel.step whose order ODD §3 documents.
STEP_CALLS = ("heads.step", "groups.step", "couriers.step", "commons.assign",
              "participation.decide", "participation.observe", "commons.step", "problems.step",
              "businesses.step", "councils.step", "recognition.step", "metrics.collect")


@pytest.fixture(scope="module")
def odd() -> str:
    return ODD.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def small_model() -> LinliModel:
    model = LinliModel({"structure": {"households": 300}}, rng=1)
    model.run_for(2)
    return model


def section(text: str, number: str) -> str:
    """The text of ODD section ``number`` ("3", "7.8"): from its heading to the next heading
    of the same or a higher level."""
    heading = re.compile(rf"^(#+)\s+{re.escape(number)}\.?\s", re.MULTILINE)
    found = heading.search(text)
    assert found, f"docs/ODD.md has no heading for section {number}"
    level = len(found.group(1))
    following = re.compile(rf"^#{{1,{level}}}\s", re.MULTILINE)
    end = following.search(text, found.end())
    return text[found.end(): end.start() if end else len(text)]


def without_table(text: str) -> str:
    start = text.index(paramtable.BEGIN)
    end = text.index(paramtable.END) + len(paramtable.END)
    return text[:start] + text[end:]


# --- (a) the parameter table is the generated one ---------------------------------------------

def test_parameter_table_matches_params(odd):
    hint = "run `python -m experiments.paramtable --write` to regenerate it"
    assert paramtable.BEGIN in odd and paramtable.END in odd, (
        f"docs/ODD.md lacks the parameter table markers; add them in §8 and {hint}")
    start = odd.index(paramtable.BEGIN)
    end = odd.index(paramtable.END) + len(paramtable.END)
    assert odd[start:end] == paramtable.block(), (
        f"the parameter table in docs/ODD.md is out of step with model/params.py: {hint}")


# --- (b) every output column is documented in §7.13 -------------------------------------------

def test_every_weekly_column_is_documented(odd, small_model):
    outputs = section(odd, "7.13")
    columns = list(small_model.frame.columns)
    assert columns, "the model produced no output columns"
    missing = [c for c in columns if f"`{c}`" not in outputs]
    assert not missing, f"columns of LinliModel.frame not described in ODD §7.13: {missing}"


def test_every_unit_summary_column_is_documented(odd, small_model):
    outputs = section(odd, "7.13")
    missing = [c for c in small_model.unit_summary().columns if f"`{c}`" not in outputs]
    assert not missing, (
        f"columns of LinliModel.unit_summary() not described in ODD §7.13: {missing}")


# --- (c) every parameter section is named (outside the generated table) -----------------------

@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_parameter_section_is_described(odd, name):
    assert f"`{name}`" in without_table(odd), (
        f"parameter section `{name}` (model.params.SECTIONS) is not named in docs/ODD.md "
        "outside the generated table (see §8)")


# --- (d) §3 lists the submodels in the order LinliModel.step calls them ----------------------

def step_call_order() -> list[str]:
    """The STEP_CALLS made in LinliModel.step, in source order (first occurrence of each)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(LinliModel.step)))
    calls = []
    for node in ast.walk(tree):
        func = getattr(node, "func", None)
        if (isinstance(node, ast.Call) and isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)):
            name = f"{func.value.id}.{func.attr}"
            if name in STEP_CALLS:
                calls.append((node.lineno, node.col_offset, name))
    return list(dict.fromkeys(name for *_, name in sorted(calls)))


def documented_order(text: str) -> list[str]:
    """The STEP_CALLS named in backticks in ``text``, in order of first mention."""
    names = re.findall(r"`(?:model\.)?(?:mechanisms\.)?([A-Za-z_]+\.[A-Za-z_]+)", text)
    return list(dict.fromkeys(n for n in names if n in STEP_CALLS))


def test_step_calls_every_documented_submodel():
    order = step_call_order()
    assert sorted(order) == sorted(STEP_CALLS), (
        f"LinliModel.step no longer makes the calls ODD §3 documents: found {order}, "
        f"expected all of {list(STEP_CALLS)}")


def test_process_overview_follows_step_order(odd):
    code = step_call_order()
    documented = documented_order(section(odd, "3"))
    assert documented == code, (
        f"ODD §3 lists the submodels as {documented}, LinliModel.step calls them as {code}")


def test_order_check_detects_a_swap():
    code = step_call_order()
    swapped = code[:]
    swapped[2], swapped[4] = swapped[4], swapped[2]
    text = "\n".join(f"{k}. `{name}` — ..." for k, name in enumerate(swapped, 1))
    assert documented_order(text) == swapped != code


# --- section numbers cited by the code exist -------------------------------------------------

def test_cited_odd_sections_exist(odd):
    cited = set()
    for folder in ("model", "experiments", "tests", "benchmarks", "scenarios"):
        for path in (ROOT / folder).rglob("*.py"):
            cited |= set(re.findall(r"ODD §(\d+(?:\.\d+)*)", path.read_text(encoding="utf-8")))
    headings = set(re.findall(r"^#+\s+(\d+(?:\.\d+)*)\.?\s", odd, re.MULTILINE))
    missing = sorted(cited - headings)
    assert not missing, f"the code cites ODD sections that docs/ODD.md lacks: {missing}"
