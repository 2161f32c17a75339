"""The model behind the behavioural sensitivity sweep: weekly participation in five scenarios and
the effects users quote, each scenario run on the same seeds (common random numbers).

A spec names it as ``model = "experiments.analysis.sensitivity_model:full"`` (3,000
households, ``SEEDS`` seeds) or ``…:quick`` (600 households, one seed; for tests). The varied
weights (``participation_beta_civic`` for ``participation.beta_civic``) are applied to every
scenario. The run's own seed is not used: every
design point runs the same seeds, so the difference between two points is the weights'
doing and not the draw's, and a weight a scenario does not read changes nothing in it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from experiments.analysis.sensitivity_design import dotted
from model.core import LinliModel
from model.params import Params

SEEDS = 2  # per design point in the full study
SEED_ROOT = 20261210
WINDOW = 13  # outputs are means over the last 13 weeks of the run (weeks 40–52 of 52)
QUICK_HOUSEHOLDS = 600


@dataclass(frozen=True)
class Output:
    """One output of the study: its column, label and meaning (values in percentage points)."""

    column: str
    label: str
    meaning: str
    scenario: str
    versus: str | None = None  # an effect: scenario − versus, on the same seeds

    @property
    def effect(self) -> bool:
        return self.versus is not None


def _level(scenario: str) -> Output:
    return Output(f"participation_{scenario.replace('-', '_')}",
                  f"participation, {scenario}",
                  f"weekly participation in `{scenario}`, weeks 40–52 (%)", scenario)


def _effect(scenario: str) -> Output:
    return Output(f"effect_{scenario.replace('-', '_')}", f"{scenario} − baseline",
                  f"`{scenario}` minus `baseline`, weekly participation over weeks 40–52, "
                  "same seeds (percentage points)", scenario, "baseline")


SCENARIOS = ("baseline", "small-units", "red-list", "interest-groups", "wuchang-2023")
OUTPUTS: tuple[Output, ...] = (
    _level("baseline"), _level("wuchang-2023"),
    _effect("small-units"), _effect("red-list"), _effect("interest-groups"),
    _effect("wuchang-2023"),
    _level("small-units"), _level("red-list"), _level("interest-groups"),
)
MAIN = tuple(o for o in OUTPUTS if o.effect or o.scenario in ("baseline", "wuchang-2023"))


def common_seeds(n: int) -> list[int]:
    """The seeds every design point runs."""
    return [int(np.random.SeedSequence(SEED_ROOT, spawn_key=(i,)).generate_state(1)[0])
            for i in range(n)]


@functools.cache
def _scenario(name: str, households: int | None) -> Params:
    import scenarios

    params = scenarios.load(name).params
    return params.replace({"structure": {"households": households}}) if households else params


def participation(params: Params, seed: int, weeks: int) -> float:
    """Mean weekly participation (%) over the last ``WINDOW`` weeks of a run."""
    model = LinliModel(params, rng=seed, agents=False)
    model.run_for(weeks)
    rates = model.frame["participation_rate"].to_numpy()
    return 100 * float(rates[-WINDOW:].mean())


def outputs(values: dict[str, float], weeks: int, seeds: Sequence[int],
            households: int | None = None) -> dict[str, float]:
    """Every output of ``OUTPUTS`` with the weights ``values`` (by factor name), averaged over
    ``seeds``."""
    from experiments.sweeping.spec import nest

    overrides = nest({dotted(k): float(v) for k, v in values.items()})
    level = {name: float(np.mean([participation(_scenario(name, households).replace(overrides),
                                                seed, weeks) for seed in seeds]))
             for name in SCENARIOS}
    return {o.column: level[o.scenario] - (level[o.versus] if o.versus else 0.0)
            for o in OUTPUTS}


def full(params: dict[str, Any], seed: int, weeks: int) -> dict[str, float]:
    """The study's model: 3,000 households (the scenarios' own), ``SEEDS`` common seeds."""
    return outputs(params, weeks, common_seeds(SEEDS))


def quick(params: dict[str, Any], seed: int, weeks: int) -> dict[str, float]:
    """A small version for tests: 600 households, one seed."""
    return outputs(params, weeks, common_seeds(1), QUICK_HOUSEHOLDS)


def settings(model: str) -> tuple[int, int | None]:
    """Seeds per point and households (None: the scenarios' own) of ``model`` as a spec
    names it (``experiments.analysis.sensitivity_model:full``)."""
    return {f"{__name__}:full": (SEEDS, None),
            f"{__name__}:quick": (1, QUICK_HOUSEHOLDS)}[model]
