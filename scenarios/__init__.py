"""Named scenarios: TOML files of parameter overrides, with ``extends`` and clear errors.

A scenario file has optional top-level ``extends``, ``title`` and ``description`` (each a
table ``{ en = "...", zh = "..." }``), and one table per parameter section
(``[structure]``, ``[recognition]``, …) as in ``model.params``.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from model.params import ParameterError, Params, check_keys, deep_merge

BUILTIN_DIR = Path(__file__).parent
META_KEYS = ("extends", "title", "description")


class ScenarioError(ValueError):
    """A scenario cannot be found, read or validated; the message names file and key."""


@dataclass(frozen=True)
class Scenario:
    """A resolved scenario: its name, bilingual texts, overrides and validated parameters."""

    name: str
    path: Path
    title: dict[str, str]
    description: dict[str, str]
    overrides: dict[str, Any] = field(repr=False)
    params: Params = field(repr=False)
    chain: tuple[str, ...] = ()  # this scenario, then what it extends, outermost last

    def text(self, which: str, lang: str = "en") -> str:
        texts = getattr(self, which)
        return texts.get(lang) or texts.get("en") or self.name


def builtin_names() -> list[str]:
    """Names of the scenarios shipped with Linli."""
    return sorted(p.stem for p in BUILTIN_DIR.glob("*.toml"))


def local_dirs() -> list[Path]:
    """Folders of local scenarios: those in $LINLI_SCENARIOS (separated by os.pathsep), then
    ./scenarios if it exists (and is not the built-in folder itself)."""
    dirs = [Path(d) for d in os.environ.get("LINLI_SCENARIOS", "").split(os.pathsep) if d]
    here = Path.cwd() / "scenarios"
    if here.is_dir() and here.resolve() != BUILTIN_DIR.resolve():
        dirs.append(here)
    return [d for d in dirs if d.is_dir()]


def available() -> dict[str, tuple[Path, str]]:
    """Every scenario by name → (file, "local" or "built-in"); a local file of the same name
    as a built-in one takes its place."""
    found = {p.stem: (p, "built-in") for p in sorted(BUILTIN_DIR.glob("*.toml"))}
    for folder in reversed(local_dirs()):  # earlier folders win
        found.update({p.stem: (p, "local") for p in sorted(folder.glob("*.toml"))})
    return dict(sorted(found.items()))


def find(name_or_path: str | Path) -> Path:
    """A built-in scenario name or a path to a .toml file → the file's path."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.is_file():
        if not candidate.is_file():
            raise ScenarioError(f"scenario file not found: {candidate}")
        return candidate
    known = available()
    if str(name_or_path) in known:
        return known[str(name_or_path)][0]
    names = list(known)
    close = difflib.get_close_matches(str(name_or_path), names, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    raise ScenarioError(
        f"unknown scenario '{name_or_path}'.{hint} Known scenarios: {', '.join(names)}; "
        "or give a path to a .toml file.")


def load(name_or_path: str | Path) -> Scenario:
    """Read, resolve ``extends`` and validate a scenario. Nothing runs until this succeeds."""
    path = find(name_or_path)
    overrides, chain, meta = _resolve(path, ())
    try:
        params = Params.from_dict(overrides)
    except ParameterError as err:
        raise ScenarioError(f"{path}: {err}") from None
    return Scenario(
        name=path.stem,
        path=path,
        title=meta.get("title", {}),
        description=meta.get("description", {}),
        overrides=overrides,
        params=params,
        chain=chain,
    )


def _read(path: Path) -> dict[str, Any]:
    """A TOML file as UTF-8 text (a byte-order mark, as some editors write, is accepted)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
        return tomllib.loads(text)
    except UnicodeDecodeError as err:
        raise ScenarioError(f"{path}: not UTF-8 text (byte {err.start + 1} cannot be read); "
                            "save it as UTF-8") from None
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"{path}: not valid TOML: {err}") from None
    except OSError as err:
        raise ScenarioError(f"{path}: cannot read: {err.strerror}") from None


def _resolve(path: Path, seen: tuple[str, ...]):
    """Overrides of ``path`` merged over those of what it extends (recursively)."""
    key = str(path.resolve())
    if key in seen:
        raise ScenarioError(f"{path}: circular 'extends': {' → '.join([*seen, key])}")
    data = _read(path)
    meta = {k: data.pop(k) for k in META_KEYS if k in data}
    for k in ("title", "description"):
        if k in meta and not isinstance(meta[k], dict):
            raise ScenarioError(f"{path}: '{k}' must be a table like {{ en = \"...\", "
                                f"zh = \"...\" }} (got {meta[k]!r})")
    try:  # check keys here so the error names this file, not the one that extends it
        check_keys(data)
    except ParameterError as err:
        raise ScenarioError(f"{path}: {err}") from None
    chain: tuple[str, ...] = (path.stem,)
    base: dict[str, Any] = {}
    inherited_meta: dict[str, Any] = {}
    if "extends" in meta:
        parent = meta["extends"]
        if not isinstance(parent, str):
            raise ScenarioError(f"{path}: 'extends' must be a scenario name (got {parent!r})")
        sibling = path.parent / (parent if parent.endswith(".toml") else f"{parent}.toml")
        try:
            parent_path = sibling if sibling.is_file() else find(parent)
        except ScenarioError as err:
            raise ScenarioError(f"{path}: extends: {err}") from None
        base, parent_chain, inherited_meta = _resolve(parent_path, (*seen, key))
        chain += parent_chain
    merged_meta = {**inherited_meta, **{k: v for k, v in meta.items() if k != "extends"}}
    return deep_merge(base, data), chain, merged_meta
