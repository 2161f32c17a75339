"""Experiment specs: a TOML file naming a base scenario, the parameters to vary and a design.

A spec is validated completely before anything runs or is written; every error names the file
and the key. Layout (``experiments/sweeping/specs/*.toml`` are examples)::

    title = "..."                    # optional, with description
    scenario = "baseline"            # built-in scenario name or .toml path (relative to the spec)
    weeks = 104
    replicates = 10                  # seeds per design point
    seed = 20261201                  # root seed: run seeds are derived from it
    # model = "package.module:function"   # another model (see ``custom model`` below)

    [fixed]                          # overrides on the scenario, by dotted name
    "groups.enabled" = true

    [design]
    method = "factorial"             # factorial | lhs | sobol | morris
    # samples = 256                  # lhs: points; sobol: base samples N; morris: trajectories
    # levels = 4                     # morris: grid levels (even)
    # second_order = false           # sobol: also second-order indices

    [parameters]                     # what varies, by dotted name
    "structure.unit_size" = [5, 10, 20, 40]                    # factorial: these values
    "participation.beta_civic" = { range = [1.0, 3.0] }        # a range [lo, hi]
    "recognition.interval" = { range = [1, 13], levels = 4 }   # factorial: 4 levels in the range
    "ties.meet_rate" = { dist = "loguniform", range = [0.01, 0.1] }
    "residents.civic_mean" = { dist = "truncnormal", mean = 0.25, sd = 0.05, range = [0, 1] }

    [outputs]
    columns = ["participation_rate", "trust"]    # default: every weekly column
    every = 4                                    # every 4th week and the last; 0: last only

The scenario with ``[fixed]`` must be valid by itself, and each value or range bound must be
allowed for its parameter; a combination of values that the model rejects (e.g. behavioural
shares that do not sum to 1) is recorded as a failed run when the sweep reaches it.

Distributions (``dist``): ``uniform`` and ``loguniform`` (``range``), ``triangular``
(``range``, ``mode``), ``normal`` (``mean``, ``sd``; not in factorial or Morris designs) and
``truncnormal`` (``mean``, ``sd``, ``range``). A sampled value is the distribution's quantile
at the design's unit coordinate.

A bare list is the values in a factorial design and a range ``[lo, hi]`` in the others. Integer
parameters get integers: a range gives each integer in it equal chance, a distribution is
rounded. ``structure.unit_size = k`` means a fixed unit size of ``k`` households.

Custom model: with ``model = "module:function"``, ``function(params, seed, weeks)`` gets a
dict of the varied values and returns a mapping of outputs (or a weekly DataFrame with a
``week`` column); parameter names are then free, ranges real-valued, and there is no scenario
or ``[fixed]``. ``experiments.analysis.sensitivity:ishigami`` is one (a test function with known
Sobol indices).
"""

from __future__ import annotations

import difflib
import hashlib
import importlib
import json
import math
import tomllib
import typing
import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import ConfigDict, TypeAdapter, ValidationError
from scipy import stats

import scenarios as scenario_lib
from model.params import SECTIONS, ParameterError, Params

SPEC_DIR = Path(__file__).parent / "specs"
METHODS = ("factorial", "lhs", "sobol", "morris")
DISTRIBUTIONS = ("uniform", "loguniform", "triangular", "normal", "truncnormal")
TOP_KEYS = ("title", "description", "scenario", "model", "weeks", "replicates", "seed",
            "fixed", "design", "parameters", "outputs")
DESIGN_KEYS = ("method", "samples", "levels", "second_order")
OUTPUT_KEYS = ("columns", "every")
FACTOR_KEYS = ("values", "range", "levels", "dist", "mean", "sd", "mode")
_EPS = 1e-12  # unit coordinates are kept inside (0, 1) for unbounded distributions


class SpecError(ValueError):
    """A spec cannot be read or is invalid; the message names the file and the key."""


Kind = Literal["int", "float", "bool", "choice", "size", "other", "any"]


@dataclass(frozen=True)
class ParamInfo:
    """What one parameter accepts: its kind and a checker of single values."""

    name: str
    kind: Kind
    adapter: TypeAdapter | None = field(default=None, repr=False, compare=False)

    def check(self, value: Any) -> str | None:
        """None if ``value`` is allowed on its own (cross-field rules are checked per run)."""
        if self.adapter is None:
            return None
        if self.kind == "size" and isinstance(value, int) and not isinstance(value, bool):
            value = (value, value)
        if isinstance(value, list):
            value = tuple(value)
        try:
            self.adapter.validate_python(value)
        except ValidationError as err:
            return "; ".join(e["msg"] for e in err.errors())
        return None


@cache
def linli_parameters() -> dict[str, ParamInfo]:
    """Every model parameter by dotted name (``section.field``)."""
    config = ConfigDict(strict=True, allow_inf_nan=False)
    found = {}
    for section, cls in SECTIONS.items():
        for name, info in cls.model_fields.items():
            kind = _kind(info.annotation)
            typ: Any = Annotated[info.annotation, *info.metadata] if info.metadata \
                else info.annotation
            found[f"{section}.{name}"] = ParamInfo(f"{section}.{name}", kind,
                                                   TypeAdapter(typ, config=config))
    return found


def _kind(annotation: Any) -> Kind:
    if annotation is bool:
        return "bool"
    if annotation is int:
        return "int"
    if annotation is float:
        return "float"
    if typing.get_origin(annotation) is Literal:
        return "choice"
    if typing.get_origin(annotation) is tuple and typing.get_args(annotation) == (int, int):
        return "size"
    return "other"


@dataclass(frozen=True)
class Factor:
    """One varied parameter: a list of values, a range or a distribution."""

    name: str
    form: Literal["values", "range", "dist"]
    integer: bool
    values: tuple[Any, ...] = ()
    low: float = 0.0
    high: float = 0.0
    levels: int | None = None
    dist: str = "uniform"
    mean: float = 0.0
    sd: float = 0.0
    mode: float = 0.0

    @property
    def bounded(self) -> bool:
        return not (self.form == "dist" and self.dist == "normal")

    @property
    def column_type(self) -> Literal["int", "float", "bool", "str", "json"]:
        """How the factor's values are stored: a number, a flag, a text, or JSON text."""
        if self.form != "values":
            return "int" if self.integer else "float"
        vals = self.values
        if all(isinstance(v, bool) for v in vals):
            return "bool"
        if all(isinstance(v, int) and not isinstance(v, bool) for v in vals):
            return "int"
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in vals):
            return "float"
        if all(isinstance(v, str) for v in vals):
            return "str"
        return "json"

    def factorial_levels(self) -> list[Any]:
        """The values a factorial design crosses."""
        if self.form == "values":
            return [self.cast(v) for v in self.values]
        assert self.levels is not None
        grid = np.linspace(self.low, self.high, self.levels)
        return [self.cast(round(float(v)) if self.integer else float(v)) for v in grid]

    def from_unit(self, u: np.ndarray) -> list[Any]:
        """The values at unit coordinates ``u`` in [0, 1] (quantiles of the factor)."""
        u = np.asarray(u, dtype=float)
        if self.form == "values":
            index = np.minimum((u * len(self.values)).astype(int), len(self.values) - 1)
            return [self.cast(self.values[i]) for i in index.tolist()]
        if self.form == "range" and self.integer:
            span = int(self.high) - int(self.low) + 1
            return np.minimum(int(self.low) + np.floor(u * span).astype(int),
                              int(self.high)).tolist()
        if self.form == "range":
            return (self.low + u * (self.high - self.low)).tolist()
        values = self._distribution().ppf(np.clip(u, _EPS, 1 - _EPS))
        return np.rint(values).astype(int).tolist() if self.integer else values.tolist()

    def cast(self, value: Any) -> Any:
        if self.column_type == "float" and not isinstance(value, bool):
            return float(value)
        return value

    def _distribution(self):
        lo, hi = self.low, self.high
        if self.dist == "loguniform":
            return stats.loguniform(lo, hi)
        if self.dist == "triangular":
            return stats.triang((self.mode - lo) / (hi - lo), loc=lo, scale=hi - lo)
        if self.dist == "normal":
            return stats.norm(self.mean, self.sd)
        return stats.truncnorm((lo - self.mean) / self.sd, (hi - self.mean) / self.sd,
                               loc=self.mean, scale=self.sd)

    def canonical(self) -> dict[str, Any]:
        """The factor as plain JSON data (for the store and the spec fingerprint)."""
        data: dict[str, Any] = {"name": self.name, "form": self.form, "integer": self.integer,
                                "column_type": self.column_type}
        if self.form == "values":
            data["values"] = list(self.values)
        else:
            data.update(range=[self.low, self.high], levels=self.levels)
        if self.form == "dist":
            data.update(dist=self.dist, mean=self.mean, sd=self.sd, mode=self.mode)
        return data


@dataclass(frozen=True)
class DesignSpec:
    method: str
    samples: int | None = None
    levels: int = 4
    second_order: bool = False


@dataclass(frozen=True)
class Outputs:
    columns: tuple[str, ...] | None = None  # None: every column the model reports
    every: int = 0  # keep weeks every, 2·every, … and the last; 0: the last only

    def weeks(self, weeks: int) -> list[int]:
        kept = list(range(self.every, weeks + 1, self.every)) if self.every else []
        return kept if kept and kept[-1] == weeks else [*kept, weeks]


@dataclass(frozen=True)
class Spec:
    """A validated experiment spec."""

    name: str
    source: str  # the file (or "<spec>")
    text: str  # the TOML as written
    title: str
    description: str
    scenario: str | None
    model: str | None
    base: Params | None  # scenario + fixed overrides (None for a custom model)
    fixed: dict[str, Any]
    factors: tuple[Factor, ...]
    design: DesignSpec
    replicates: int
    seed: int
    weeks: int
    outputs: Outputs

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.factors)

    def canonical(self) -> dict[str, Any]:
        """What determines the results (not title or file name), as plain JSON data."""
        return {
            "model": self.model or "linli",
            "base": None if self.base is None else self.base.model_dump(mode="json"),
            "factors": [f.canonical() for f in self.factors],
            "design": {"method": self.design.method, "samples": self.design.samples,
                       "levels": self.design.levels, "second_order": self.design.second_order},
            "replicates": self.replicates,
            "seed": self.seed,
            "weeks": self.weeks,
            "outputs": {"columns": None if self.outputs.columns is None
                        else list(self.outputs.columns), "every": self.outputs.every},
        }

    def fingerprint(self) -> str:
        text = json.dumps(self.canonical(), sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def find(name_or_path: str | Path) -> Path:
    """A path to a spec file, or the name of one shipped in experiments/sweeping/specs/."""
    candidate = Path(name_or_path)
    if candidate.is_file():
        return candidate
    shipped = SPEC_DIR / f"{name_or_path}.toml"
    if candidate.suffix != ".toml" and shipped.is_file():
        return shipped
    if candidate.suffix == ".toml":
        raise SpecError(f"spec file not found: {candidate}")
    names = sorted(p.stem for p in SPEC_DIR.glob("*.toml"))
    close = difflib.get_close_matches(str(name_or_path), names, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    raise SpecError(f"unknown spec '{name_or_path}'.{hint} Shipped specs: {', '.join(names)}; "
                    "or give a path to a .toml file.")


def load(name_or_path: str | Path) -> Spec:
    """Read and validate a spec file; raises SpecError naming the file and key."""
    path = find(name_or_path)
    try:
        text = path.read_bytes().decode("utf-8-sig")  # a byte-order mark is accepted
    except UnicodeDecodeError as err:
        raise SpecError(f"{path}: not UTF-8 text (byte {err.start + 1} cannot be read); save "
                        "it as UTF-8") from None
    except OSError as err:
        raise SpecError(f"{path}: cannot read: {err.strerror}") from None
    return parse(text, source=str(path), base_dir=path.parent, name=path.stem)


def parse(text: str, source: str = "<spec>", base_dir: Path | None = None,
          name: str = "spec") -> Spec:
    """Validate spec TOML text (``base_dir`` resolves a relative scenario path)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SpecError(f"{source}: not valid TOML: {err}") from None
    return _Parser(source, base_dir or Path.cwd()).spec(data, text, name)


class _Parser:
    def __init__(self, source: str, base_dir: Path) -> None:
        self.source = source
        self.base_dir = base_dir

    def fail(self, key: str, message: str) -> typing.NoReturn:
        raise SpecError(f"{self.source}: {key}: {message}")

    def spec(self, data: dict[str, Any], text: str, name: str) -> Spec:
        self.known_keys(data, TOP_KEYS, "")
        model = self.optional(data, "model", str)
        if model is not None:
            self.model_function(model)
        params = None if model else linli_parameters()
        scenario = self.optional(data, "scenario", str)
        if model and scenario:
            self.fail("scenario", "a custom model has no scenario; remove 'scenario' or 'model'")
        if not model and scenario is None:
            self.fail("scenario", "missing: name the base scenario (e.g. scenario = \"baseline\")")
        fixed = self.dotted(self.table(data, "fixed"), "fixed", params)
        if model and fixed:
            self.fail("fixed", "a custom model gets only the varied parameters; keep its "
                      "constants in the function")
        base = None if model else self.base(scenario or "", fixed)
        design = self.design(self.table(data, "design", required=True))
        raw = self.dotted(self.table(data, "parameters", required=True), "parameters", params)
        if not raw:
            self.fail("parameters", "empty: name at least one parameter to vary")
        for key in raw:
            if key in fixed:
                self.fail(f"parameters.{_q(key)}", "is also in [fixed]; keep it in one place")
        factors = tuple(self.factor(key, value, design.method, params)
                        for key, value in raw.items())
        self.check_design(design, factors)
        weeks = self.integer(data, "weeks", 1, 5200,
                             default=base.weeks if base is not None else None)
        outputs = self.outputs(self.table(data, "outputs"), model is not None)
        return Spec(
            name=name, source=self.source, text=text,
            title=self.optional(data, "title", str) or name,
            description=self.optional(data, "description", str) or "",
            scenario=scenario, model=model, base=base, fixed=fixed, factors=factors,
            design=design,
            replicates=self.integer(data, "replicates", 1, 100_000, default=1),
            seed=self.integer(data, "seed", 0, 2**63 - 1, default=None,
                              missing="give a root seed (every run's seed derives from it)"),
            weeks=weeks, outputs=outputs)

    # -- generic helpers

    def known_keys(self, data: dict[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f" Did you mean '{prefix}{close[0]}'?" if close else ""
                self.fail(f"{prefix}{key}", f"unknown key.{hint} Allowed: {', '.join(allowed)}")

    def optional(self, data: dict[str, Any], key: str, typ: type) -> Any:
        value = data.get(key)
        if value is not None and not isinstance(value, typ):
            self.fail(key, f"expected {typ.__name__}, got {value!r}")
        return value

    def table(self, data: dict[str, Any], key: str, required: bool = False) -> dict[str, Any]:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(key, f"missing: add a [{key}] table")
            return {}
        if not isinstance(value, dict):
            self.fail(key, f"expected a table [{key}], got {value!r}")
        return value

    def integer(self, data: dict[str, Any], key: str, lo: int, hi: int,
                default: int | None, prefix: str = "", missing: str = "") -> int:
        value = data.get(key, default)
        if value is None:
            self.fail(prefix + key, f"missing{': ' if missing else ''}{missing}")
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(prefix + key, f"expected an integer, got {value!r}")
        if not lo <= value <= hi:
            self.fail(prefix + key, f"must be between {lo:,} and {hi:,} (got {value:,})")
        return value

    def model_function(self, ref: str) -> None:
        module, _, name = ref.partition(":")
        if not module or not name:
            self.fail("model", f"expected 'package.module:function' (got {ref!r})")
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ImportError as err:
            self.fail("model", f"cannot import {module}: {err}")
        if not callable(found):
            self.fail("model", f"{module} has no function '{name}'")

    # -- parameter names

    def dotted(self, table: dict[str, Any], where: str,
               params: dict[str, ParamInfo] | None) -> dict[str, Any]:
        """Flatten ``{"a.b": v}`` and ``{a = {b = v}}`` to dotted names; check they exist."""
        flat: dict[str, Any] = {}
        for key, value in table.items():
            if params is not None and "." not in key and key in SECTIONS \
                    and isinstance(value, dict):
                for sub, inner in value.items():
                    flat[f"{key}.{sub}"] = inner
            else:
                flat[key] = value
        for key in flat:
            if params is None:
                if not key.isidentifier():
                    self.fail(f"{where}.{_q(key)}", "a custom model's parameter names must be "
                              "Python identifiers")
            elif key == "weeks":
                self.fail(f"{where}.weeks", "set the horizon with the top-level 'weeks'")
            elif key not in params:
                close = difflib.get_close_matches(key, list(params), n=1)
                hint = f" Did you mean '{close[0]}'?" if close else ""
                self.fail(f"{where}.{_q(key)}", f"unknown parameter.{hint} Parameters are "
                          "'section.name', e.g. 'structure.unit_size' (see docs/ODD.md)")
        return flat

    def base(self, scenario: str, fixed: dict[str, Any]) -> Params:
        path = Path(scenario)
        if path.suffix == ".toml" and not path.is_absolute():
            path = self.base_dir / path
        try:
            sc = scenario_lib.load(path if path.suffix == ".toml" else scenario)
        except scenario_lib.ScenarioError as err:
            self.fail("scenario", str(err))
        for key, value in fixed.items():
            problem = linli_parameters()[key].check(value)
            if problem:
                self.fail(f"fixed.{_q(key)}", f"{problem} (got {value!r})")
        try:
            return sc.params.replace(nest(fixed))
        except ParameterError as err:
            self.fail("fixed", str(err))

    # -- design and factors

    def design(self, table: dict[str, Any]) -> DesignSpec:
        self.known_keys(table, DESIGN_KEYS, "design.")
        method = table.get("method")
        if method not in METHODS:
            close = difflib.get_close_matches(str(method), METHODS, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            self.fail("design.method", f"expected one of {', '.join(METHODS)} "
                      f"(got {method!r}).{hint}")
        samples = table.get("samples")
        if method == "factorial":
            if samples is not None:
                self.fail("design.samples", "a factorial design crosses every level; "
                          "remove 'samples'")
        else:
            samples = self.integer(table, "samples", 2, 10_000_000, default=None,
                                   prefix="design.", missing=f"how many {_SAMPLES[method]}")
        levels = table.get("levels", 4)
        if "levels" in table and method != "morris":
            self.fail("design.levels", "only a Morris design has grid levels (for a factorial "
                      "range, give 'levels' on the parameter)")
        if not isinstance(levels, int) or isinstance(levels, bool) or levels < 2 \
                or levels % 2:
            self.fail("design.levels", f"must be an even integer >= 2 (got {levels!r})")
        second = table.get("second_order", False)
        if "second_order" in table and method != "sobol":
            self.fail("design.second_order", "only a Sobol design has second-order indices")
        if not isinstance(second, bool):
            self.fail("design.second_order", f"expected true or false, got {second!r}")
        if method == "sobol" and samples is not None and samples & (samples - 1):
            warnings.warn(f"{self.source}: design.samples = {samples} is not a power of 2; "
                          "Sobol sequences converge best at powers of 2", stacklevel=4)
        return DesignSpec(method, samples, levels, second)

    def check_design(self, design: DesignSpec, factors: tuple[Factor, ...]) -> None:
        if design.method in ("morris", "sobol") and len(factors) < 2:
            self.fail("parameters", f"a {design.method} design needs at least two parameters")
        if design.method in ("morris", "factorial"):
            for f in factors:
                if not f.bounded:
                    self.fail(f"parameters.{_q(f.name)}", f"a {design.method} design needs "
                              "bounded parameters; use 'truncnormal' with a range")

    def factor(self, name: str, value: Any, method: str,
               params: dict[str, ParamInfo] | None) -> Factor:
        key = f"parameters.{_q(name)}"
        info = params[name] if params is not None else ParamInfo(name, "any")
        if isinstance(value, list):
            if method == "factorial":
                value = {"values": value}
            elif len(value) == 2:
                value = {"range": value}
            else:
                self.fail(key, "outside a factorial design a bare list is a range [lo, hi]; "
                          "for a choice among values write { values = [...] }")
        if not isinstance(value, dict):
            self.fail(key, "expected a list of values, a range [lo, hi], or a table "
                      f"{{ values = [...] }}, {{ range = [lo, hi] }}, {{ dist = ... }} "
                      f"(got {value!r})")
        self.known_keys(value, FACTOR_KEYS, f"{key}.")
        if "values" in value:
            return self.values_factor(key, info, value)
        if info.kind in ("bool", "choice", "other"):
            self.fail(key, f"{name} takes {_KIND_TEXT[info.kind]}: give {{ values = [...] }}")
        factor = self.range_factor(key, info, value, method)
        return factor

    def values_factor(self, key: str, info: ParamInfo, table: dict[str, Any]) -> Factor:
        extra = set(table) - {"values"}
        if extra:
            self.fail(key, f"'values' cannot be combined with {', '.join(sorted(extra))}")
        values = table["values"]
        if not isinstance(values, list) or not values:
            self.fail(f"{key}.values", f"expected a non-empty list, got {values!r}")
        for v in values:
            problem = info.check(v)
            if problem:
                self.fail(key, f"value {v!r} not allowed: {problem}")
        if info.kind == "float":
            values = [float(v) for v in values]
        if len({json.dumps(v) for v in values}) < len(values):
            self.fail(key, f"repeated value in {values!r}")
        return Factor(info.name, "values", info.kind in ("int", "size"), values=tuple(values))

    def range_factor(self, key: str, info: ParamInfo, table: dict[str, Any],
                     method: str) -> Factor:
        dist = table.get("dist", "uniform")
        if dist not in DISTRIBUTIONS:
            close = difflib.get_close_matches(str(dist), DISTRIBUTIONS, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            self.fail(f"{key}.dist", f"expected one of {', '.join(DISTRIBUTIONS)} "
                      f"(got {dist!r}).{hint}")
        wants = {"uniform": {"range"}, "loguniform": {"range"}, "triangular": {"range", "mode"},
                 "normal": {"mean", "sd"}, "truncnormal": {"mean", "sd", "range"}}[dist]
        given = set(table) - {"dist", "levels"}
        if given != wants:
            self.fail(key, f"a {dist} parameter needs {', '.join(sorted(wants))}"
                      + (f" (not {', '.join(sorted(given - wants))})" if given - wants else ""))
        integer = info.kind in ("int", "size")  # a custom model's ranges are real-valued
        low = high = 0.0
        if "range" in table:
            low, high = self.bounds(f"{key}.range", table["range"], integer and dist == "uniform")
        numbers = {k: self.number(f"{key}.{k}", table[k]) for k in ("mean", "sd", "mode")
                   if k in table}
        if numbers.get("sd", 1.0) <= 0:
            self.fail(f"{key}.sd", f"must be > 0 (got {numbers['sd']})")
        if dist == "loguniform" and low <= 0:
            self.fail(f"{key}.range", f"a loguniform range must be above 0 (got {low})")
        if dist == "triangular" and not low <= numbers["mode"] <= high:
            self.fail(f"{key}.mode", f"must lie in the range [{low}, {high}]")
        checks = [low, high] if "range" in table else [numbers["mean"]]
        for v in checks:
            problem = info.check(round(v) if integer else v)
            if problem:
                self.fail(key, f"{v!r} not allowed: {problem}")
        levels = table.get("levels")
        if method == "factorial":
            if dist != "uniform":
                self.fail(key, "a factorial design crosses values: give { values = [...] } or "
                          "{ range = [lo, hi], levels = n }")
            if levels is None:
                self.fail(key, "a range in a factorial design needs 'levels' (how many evenly "
                          "spaced values), or give { values = [...] }")
        elif levels is not None:
            self.fail(f"{key}.levels", f"only used by a factorial design (this is "
                      f"{method}; Morris levels go in [design])")
        if levels is not None and (not isinstance(levels, int) or isinstance(levels, bool)
                                   or levels < 2):
            self.fail(f"{key}.levels", f"must be an integer >= 2 (got {levels!r})")
        factor = Factor(info.name, "range" if dist == "uniform" else "dist", integer,
                        low=low, high=high, levels=levels, dist=dist,
                        mean=numbers.get("mean", 0.0), sd=numbers.get("sd", 0.0),
                        mode=numbers.get("mode", 0.0))
        if levels is not None:
            grid = factor.factorial_levels()
            if len(set(grid)) < len(grid):
                self.fail(f"{key}.levels", f"{levels} levels in [{low:g}, {high:g}] repeat "
                          f"integers ({grid}); use fewer levels or {{ values = [...] }}")
        return factor

    def bounds(self, key: str, value: Any, integer: bool) -> tuple[float, float]:
        if not isinstance(value, list) or len(value) != 2:
            self.fail(key, f"expected [lo, hi], got {value!r}")
        lo, hi = (self.number(key, v) for v in value)
        if integer and not all(float(v).is_integer() for v in (lo, hi)):
            self.fail(key, f"an integer parameter needs integer bounds (got {value!r})")
        if not lo < hi:
            self.fail(key, f"lo must be below hi (got {value!r})")
        return (int(lo), int(hi)) if integer else (float(lo), float(hi))

    def number(self, key: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not math.isfinite(value):
            self.fail(key, f"expected a number, got {value!r}")
        return value

    def outputs(self, table: dict[str, Any], custom: bool) -> Outputs:
        self.known_keys(table, OUTPUT_KEYS, "outputs.")
        columns = table.get("columns")
        if columns is not None:
            if not isinstance(columns, list) or not columns \
                    or not all(isinstance(c, str) for c in columns):
                self.fail("outputs.columns", f"expected a list of column names, got {columns!r}")
            known = None if custom else metric_columns()
            for c in columns:
                if known is not None and c not in known:
                    close = difflib.get_close_matches(c, known, n=1)
                    hint = f" Did you mean '{close[0]}'?" if close else ""
                    self.fail("outputs.columns", f"unknown column '{c}'.{hint} Known: "
                              f"{', '.join(known)}")
                if c == "week":
                    self.fail("outputs.columns", "'week' is always kept")
            columns = tuple(dict.fromkeys(columns))
        every = self.integer(table, "every", 0, 5200, default=0, prefix="outputs.")
        return Outputs(columns, every)


_SAMPLES = {"lhs": "points to sample", "sobol": "base samples N (a power of 2; the design has "
            "N·(D+2) points, N·(2D+2) with second_order)",
            "morris": "trajectories (the design has trajectories·(D+1) points)"}
_KIND_TEXT = {"bool": "true or false", "choice": "one of a few names", "other": "a list"}


@cache
def metric_columns() -> tuple[str, ...]:
    """The weekly columns the model reports (from a one-week run of a tiny model)."""
    from model.core import LinliModel

    model = LinliModel({"structure": {"households": 20}}, rng=0, agents=False)
    model.run_for(1)
    return tuple(c for c in model.frame.columns if c != "week")


def nest(flat: dict[str, Any]) -> dict[str, Any]:
    """``{"a.b": 1}`` → ``{"a": {"b": 1}}``."""
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        section, name = key.split(".", 1)
        nested.setdefault(section, {})[name] = value
    return nested


def _q(key: str) -> str:
    return f'"{key}"' if "." in key else key

