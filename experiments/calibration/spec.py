"""Calibration specs: which targets to fit, which parameters are free (with priors), the
screening and the ABC-SMC budget.

A spec is a TOML file (built-in ones in ``experiments/calibration/specs/``)::

    title = "Core behaviour against the field targets"
    targets = ["weekly-participation", "quarterly-reach"]   # calibration targets only
    seed = 1

    [screening]             # Morris elementary effects over every free parameter
    trajectories = 6
    keep = 4                # the parameters that move the targets most go into the fit

    [abc]                   # pyabc ABC-SMC
    population = 200
    generations = 5
    min_epsilon = 1.0       # stop when the median distance (mean squared z per target) is below
    max_simulations = 5000
    predictive_draws = 60   # posterior-predictive runs, every target

    [parameters]            # uniform priors within each parameter's allowed range
    "participation.intercept" = [-3.0, 0.0]

    [variant.participation] # optional: a structural alternative, in every setting
    persistence = "last-week"
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from model.params import SECTIONS, field_info

from .targets import Library, TargetError
from .targets import load as load_targets

SPEC_DIR = Path(__file__).parent / "specs"


class SpecError(ValueError):
    """A calibration spec is missing or invalid; the message names the file and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Screening(_Strict):
    trajectories: int = Field(6, ge=2, le=1000)
    keep: int = Field(4, ge=1, le=100)
    levels: int = Field(4, ge=2, le=20)


class Abc(_Strict):
    population: int = Field(200, ge=4, le=100_000)
    generations: int = Field(5, ge=1, le=100)
    min_epsilon: float = Field(1.0, gt=0)
    max_simulations: int = Field(5000, ge=10)
    batch: int = Field(0, ge=0, le=100_000)  # particles per batch; 0: four per worker
    predictive_draws: int = Field(60, ge=2, le=10_000)


class Prior(_Strict):
    """A uniform prior on ``[low, high]``."""

    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Prior:
        if not self.low < self.high:
            raise ValueError(f"a prior needs low < high (got [{self.low}, {self.high}])")
        return self

    @property
    def width(self) -> float:
        return self.high - self.low


class Spec(_Strict):
    name: str = ""
    title: str = ""
    targets: tuple[str, ...]
    seed: int = Field(1, ge=0)
    variant: dict[str, Any] = Field(default_factory=dict)  # structural switches, every setting
    screening: Screening = Screening()
    abc: Abc = Abc()
    parameters: dict[str, Prior]

    @model_validator(mode="before")
    @classmethod
    def _priors(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("parameters"), dict):
            data = {**data, "parameters": {
                k: {"low": v[0], "high": v[1]} if isinstance(v, list | tuple) and len(v) == 2
                else v for k, v in data["parameters"].items()}}
        return data

    @model_validator(mode="after")
    def _check(self) -> Spec:
        if not self.parameters:
            raise ValueError("parameters: name at least one free parameter")
        for dotted, prior in self.parameters.items():
            _check_parameter(dotted, prior)
        if self.screening.keep > len(self.parameters):
            object.__setattr__(self, "screening",
                               self.screening.model_copy(update={"keep": len(self.parameters)}))
        return self

    @model_validator(mode="after")
    def _variant(self) -> Spec:
        from model.params import ParameterError, Params

        try:
            Params.from_dict(self.variant)
        except ParameterError as err:
            raise ValueError(f"variant: {err}") from None
        return self

    @property
    def names(self) -> list[str]:
        return list(self.parameters)

    def library(self) -> Library:
        """The spec's targets; every one must be a calibration target."""
        library = load_targets().select(self.targets)
        wrong = [t.id for t in library if t.role != "calibrate"]
        if wrong:
            raise SpecError(f"targets: {', '.join(wrong)} are validation targets and are never "
                            "used in a fit (role = 'validate'); fit only calibration targets")
        return library


def _check_parameter(dotted: str, prior: Prior) -> None:
    section, _, name = dotted.partition(".")
    if section not in SECTIONS or name not in SECTIONS[section].model_fields:
        known = [f"{s}.{n}" for s, c in SECTIONS.items() for n in c.model_fields]
        close = difflib.get_close_matches(dotted, known, n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise ValueError(f"unknown parameter '{dotted}'.{hint}")
    annotation = SECTIONS[section].model_fields[name].annotation
    if annotation not in (int, float):
        raise ValueError(f"{dotted} is not a number and cannot be calibrated")
    field = SECTIONS[section].model_fields[name]
    for meta in field.metadata:
        for attr, ok in (("ge", lambda b: prior.low >= b), ("gt", lambda b: prior.low > b),
                         ("le", lambda b: prior.high <= b), ("lt", lambda b: prior.high < b)):
            bound = getattr(meta, attr, None)
            if bound is not None and not ok(bound):
                raise ValueError(f"{dotted}: prior [{prior.low}, {prior.high}] leaves the "
                                 f"allowed range ({field_info(section, name)[0]})")


def available() -> dict[str, Path]:
    return {p.stem: p for p in sorted(SPEC_DIR.glob("*.toml"))}


def load(ref: str | Path) -> Spec:
    """A built-in spec by name, or a path to a spec file."""
    path = Path(ref)
    if not path.suffix:
        specs = available()
        if str(ref) not in specs:
            raise SpecError(f"unknown calibration spec '{ref}'; built-in: "
                            f"{', '.join(specs) or 'none'} (or give a path to a .toml file)")
        path = specs[str(ref)]
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise SpecError(f"{path}: cannot read calibration spec: {err}") from None
    try:
        spec = Spec.model_validate({"name": path.stem, **data})
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'spec'}: "
                             f"{e['msg'].removeprefix('Value error, ')}" for e in err.errors())
        raise SpecError(f"{path}: {problems}") from None
    try:
        spec.library()
    except TargetError as err:
        raise SpecError(f"{path}: targets: {err}") from None
    return spec
