"""Everything ``linli`` prints is safe and quick: text that is not ours is never read as
markup, long titles print in linear time, limits hold, and start-up imports stay light."""

from __future__ import annotations

import io
import subprocess
import sys
import time

import pytest
from linli_cli import LINLI, ROOT, clean, linli
from rich.console import Console

from experiments import terminal
from experiments.running.limits import MAX_WEEKS, cpus
from experiments.sweeping import spec as spec_lib
from model.params import Params

SMALL = "[structure]\nhouseholds = 200\nunit_size = [10, 20]\n"
HEAVY = ("mesa", "pandas", "pyarrow", "matplotlib", "duckdb", "distributed", "dask", "scipy",
         "model.core", "SALib")


def scenario(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / f"{name}.toml"
    path.write_bytes(text.encode(encoding))
    return path


# --- markup ------------------------------------------------------------------------------

def test_a_path_that_looks_like_markup_is_named_as_it_is(tmp_path):
    ran = linli("run", "[/x].toml", "--out", tmp_path / "o")
    clean(ran)
    assert "scenario file not found: [/x].toml" in ran.err


def test_a_title_with_markup_and_control_characters_prints_as_written(tmp_path):
    path = scenario(tmp_path, "marked", 'title = { en = "a [/x] b [bold]c[/bold] d\\u001b[2J" }\n'
                    + SMALL)
    ran = linli("run", path, "--weeks", "1", "--out", tmp_path / "o")
    assert ran.code == 0, ran.text
    assert "a [/x] b [bold]c[/bold] d\\x1b[2J" in ran.out
    assert "\x1b" not in ran.out


def test_an_error_quotes_the_value_given_even_if_it_looks_like_markup(tmp_path):
    path = scenario(tmp_path, "street", '[recognition]\nscope = "[street]"\n')
    ran = linli("run", path, "--out", tmp_path / "o")
    clean(ran)
    assert "recognition.scope" in ran.err and "got '[street]'" in ran.err


def test_one_bad_local_scenario_does_not_break_the_list(tmp_path):
    local = tmp_path / "local"
    local.mkdir()
    scenario(local, "marked", 'title = { en = "[/x] title" }\n')
    scenario(local, "broken", "this is not toml [")
    scenario(local, "wrong", "[structure]\nhouseholds = -1\n")
    ran = linli("scenarios", env={"LINLI_SCENARIOS": str(local)})
    assert ran.code == 0, ran.text
    assert "[/x] title" in ran.out
    assert "broken (local)" in ran.out and "invalid" in ran.out and "notvalidTOML" in ran.flat
    assert "wrong (local)" in ran.out and "structure.households" in ran.flat
    assert "small-units" in ran.out  # the others are listed as before


# --- printing time -------------------------------------------------------------------------

@pytest.mark.parametrize("size", [50_000, 200_000])
def test_printing_a_huge_title_without_spaces_is_quick(size):
    console = Console(file=io.StringIO(), width=80, highlight=False)
    start = time.perf_counter()
    terminal.say("[bold]{title}[/] / {title}", to=console, title="x" * size)
    assert time.perf_counter() - start < 0.5  # Rich's highlighter took 81 s at 50 KB
    assert len(console.file.getvalue()) < 2 * terminal.MAX_SHOWN + 200
    assert f"({size:,} characters in all)" in console.file.getvalue()


def test_printing_time_is_linear_in_the_length_of_a_value():
    def seconds(n: int) -> float:
        console = Console(file=io.StringIO(), width=80, highlight=False)
        start = time.perf_counter()
        for _ in range(20):
            terminal.say("{v}", to=console, v="ab[/c]" * n)
        return time.perf_counter() - start

    seconds(1_000)  # warm up
    assert seconds(400_000) < 2.0  # shortened to MAX_SHOWN characters: bounded, whatever n


def test_a_200_kb_title_lists_and_runs_in_seconds(tmp_path):
    local = tmp_path / "local"
    local.mkdir()
    path = scenario(local, "huge", f'title = {{ en = "{"x" * 200_000}" }}\n' + SMALL)
    ran = linli("scenarios", env={"LINLI_SCENARIOS": str(local)})
    assert ran.code == 0 and ran.seconds < 100, ran.seconds  # before: > 300 s
    assert "(200,000charactersinall)" in ran.flat
    ran = linli("run", path, "--weeks", "1", "--out", tmp_path / "o")
    assert ran.code == 0 and ran.seconds < 100, ran.seconds


# --- limits --------------------------------------------------------------------------------

def test_the_week_limit_is_the_model_s():
    limit = next(m.le for m in Params.model_fields["weeks"].metadata if hasattr(m, "le"))
    assert MAX_WEEKS == limit == 5200


@pytest.mark.parametrize("command", [["run", "baseline"], ["compare", "baseline", "red-list"]])
def test_weeks_above_the_limit_are_refused_before_anything_runs(tmp_path, command):
    ran = linli(*command, "--weeks", "100000", "--out", tmp_path / "o")
    clean(ran)
    assert "Invalidvaluefor'--weeks':Inputshouldbelessthanorequalto5200" in ran.flat
    assert ran.seconds < 60 and not (tmp_path / "o").exists()  # before: 113 s and 31 MB


def test_workers_are_capped_at_the_cpus_and_it_is_said(tmp_path):
    ran = linli("compare", "baseline", "small-units", "--seeds", "2", "--weeks", "2",
                "--workers", "1000", "--out", tmp_path / "o", "--lang", "en")
    assert ran.code == 0, ran.text
    cpu_word = "CPU" if cpus() == 1 else "CPUs"
    assert f"--workers1,000ismorethanthe{cpus()}{cpu_word}here:using{cpus()}" in ran.flat


def test_workers_with_a_scheduler_are_said_to_be_unused(tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text('model = "experiments.analysis.sensitivity:ishigami"\nweeks = 1\nseed = 1\n'
                    '[design]\nmethod = "factorial"\n[parameters]\nx1 = [0.0]\nx2 = [0.0]\n'
                    "x3 = [0.0]\n", encoding="utf-8")
    taken = tmp_path / "a-file"
    taken.write_text("x")  # the output guard then stops it right after the options' check
    ran = linli("sweep", spec, "--workers", "4", "--scheduler", "tcp://127.0.0.1:9",
                "--out", taken)
    assert "--workersisnotusedwith--scheduler" in ran.flat
    clean(ran)


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = scenario(tmp_path, "bom", 'extends = "baseline"\nweeks = 52\n', encoding="utf-8-sig")
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
    ran = linli("scenarios", "show", path, "--json")
    assert ran.code == 0, ran.text
    assert '"weeks": 52' in ran.out
    spec = tmp_path / "bom-spec.toml"
    spec.write_bytes(("\ufeff" + 'scenario = "baseline"\nseed = 1\n[design]\n'
                      'method = "factorial"\n[parameters]\n"ties.meet_rate" = [0.01]\n')
                     .encode("utf-8"))
    assert spec_lib.load(spec).seed == 1


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    path = scenario(tmp_path, "latin", 'title = { en = "caf\xe9" }\n', encoding="latin-1")
    ran = linli("run", path, "--out", tmp_path / "o")
    clean(ran)
    assert "latin.toml:notUTF-8text" in ran.flat


def test_an_empty_scenario_file_runs_the_defaults_and_says_so(tmp_path):
    path = scenario(tmp_path, "empty", "")
    ran = linli("run", path, "--weeks", "1", "--out", tmp_path / "o")
    assert ran.code == 0, ran.text
    assert "empty.tomlsetsnoparametersandextendsnoscenario:itrunsthemodel'sdefaults" in ran.flat
    assert "setsnoparameters" not in linli("scenarios", "show", "baseline").flat


# --- start-up ------------------------------------------------------------------------------

def imported(*args: str) -> set[str]:
    """Modules the real ``linli`` imports to do ``args`` (python -X importtime)."""
    done = subprocess.run([sys.executable, "-X", "importtime", str(LINLI), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    assert names, done.stderr
    return names


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"], ["sweep", "--help"],
                                  ["run", "baseline", "--weeks", "x"],
                                  ["compare", "a", "b", "--seeds", "1"], ["query"]])
def test_help_and_argument_errors_import_nothing_heavy(args):
    heavy = {m for m in imported(*args) if m.split(".")[0] in HEAVY or m in HEAVY}
    assert not heavy, sorted(heavy)


def test_listing_scenarios_imports_nothing_heavy():
    heavy = {m for m in imported("scenarios") if m.split(".")[0] in HEAVY or m in HEAVY}
    assert not heavy, sorted(heavy)
