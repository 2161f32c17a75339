"""The behavioural sensitivity study's factors: every behavioural weight, and its range by one
rule applied to its default (``RULE``).

    python -m experiments.analysis.sensitivity_design   # the spec's [parameters] block

The shipped specs (``sensitivity-behaviour*.toml``) hold the block this prints; a test checks
that they still follow the rule at the current defaults. A custom model's parameter names are
identifiers, so a spec names ``participation.beta_civic`` as ``participation_beta_civic``
(``factor_name``, ``dotted``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from model.params import SECTIONS, Params

WEIGHTS: tuple[str, ...] = (
    # the decision rule (ODD §7.3)
    "participation.intercept", "participation.cc_slope", "participation.belief_learning",
    "participation.beta_civic", "participation.beta_time_cost", "participation.beta_trust",
    "participation.beta_social", "participation.audience_half", "participation.beta_benefit",
    "participation.beta_habit", "participation.habit_gain", "participation.habit_loss",
    "participation.trust_learning", "participation.achievement_half",
    "participation.free_rider_level", "participation.unconditional_level",
    # recognition boards (§7.4)
    "recognition.beta_listed", "recognition.beta_thanks", "recognition.glow",
    "recognition.glow_decay", "recognition.habituation", "recognition.norm_weight",
    "recognition.visibility",
    # interest groups (§7.5)
    "groups.beta_member", "groups.beta_team", "groups.contact_rate", "groups.tie_rate",
    "groups.quit_rate",
    # heads (§7.6)
    "heads.beta_invite", "heads.beta_head", "heads.duty_half", "heads.burnout_rate",
    "heads.willing_party", "heads.willing_other",
    # trust (§7.8, §7.11) and ties (§7.3)
    "problems.trust_if_fixed", "problems.trust_if_ignored", "councils.legitimacy_trust",
    "councils.overruled_trust", "ties.meet_rate", "ties.decay_rate",
    # the other logit weights of the decision (§7.8, §7.10)
    "problems.beta_satisfaction", "commons.beta_quality", "commons.beta_duty",
)

INTERCEPT_SPAN = 1.5  # the intercept varies this much either side of its default
FACTOR = 2.0  # other parameters: from default / FACTOR to default · FACTOR (or of the odds)
RULE = (
    "`participation.intercept`: its default ± 1.5 on the logit scale (uniform). "
    "Parameters bounded by 1 (probabilities, shares, weekly rates and retention factors): "
    "half to twice their odds p / (1 − p), so the range stays inside (0, 1) and both tails "
    "are treated alike (about half to twice the value when it is small). Every other weight, "
    "rate and size: half to twice its default, cut to the parameter's allowed range. Both "
    "log-uniform: the default sits in the middle of its range on a log scale."
)

Rule = Literal["intercept", "odds", "factor"]


@dataclass(frozen=True)
class Range:
    """One factor: its default, source tag, range and how the range was set."""

    name: str
    default: float
    source: str
    rule: Rule
    low: float
    high: float

    @property
    def dist(self) -> str:
        return "uniform" if self.rule == "intercept" else "loguniform"


def _field(name: str):
    section, key = name.split(".")
    return SECTIONS[section].model_fields[key]


def _bounds(name: str) -> tuple[float, float]:
    """The allowed range of a parameter (closed; infinite where unbounded)."""
    low, high = -math.inf, math.inf
    for meta in _field(name).metadata:
        for attr in ("ge", "gt"):
            if getattr(meta, attr, None) is not None:
                low = float(getattr(meta, attr))
        for attr in ("le", "lt"):
            if getattr(meta, attr, None) is not None:
                high = float(getattr(meta, attr))
    return low, high


def _default(name: str) -> float:
    section, key = name.split(".")
    return float(getattr(getattr(Params(), section), key))


def range_for(name: str) -> Range:
    """The range ``RULE`` gives ``name`` at its current default."""
    default, (low, high) = _default(name), _bounds(name)
    source = (_field(name).json_schema_extra or {}).get("source", "?")
    if name == "participation.intercept":
        return Range(name, default, source, "intercept", default - INTERCEPT_SPAN,
                     default + INTERCEPT_SPAN)
    if default <= 0:
        raise ValueError(f"{name}: the rule needs a positive default, not {default}")
    if high <= 1:
        odds = default / (1 - default)
        lo, hi = (o / (1 + o) for o in (odds / FACTOR, odds * FACTOR))
        return Range(name, default, source, "odds", round(lo, 6), round(hi, 6))
    return Range(name, default, source, "factor", max(default / FACTOR, low),
                 min(default * FACTOR, high))


def factor_name(name: str) -> str:
    """The spec's name of parameter ``name``: ``participation_beta_civic``."""
    return name.replace(".", "_", 1)


def dotted(factor: str) -> str:
    """The parameter a spec's factor name stands for (``participation.beta_civic``)."""
    found = [f"{s}.{factor[len(s) + 1:]}" for s, cls in SECTIONS.items()
             if factor.startswith(f"{s}_") and factor[len(s) + 1:] in cls.model_fields]
    if len(found) != 1:
        raise ValueError(f"'{factor}' names no model parameter (expected section_name, e.g. "
                         "participation_beta_civic)")
    return found[0]


def ranges() -> list[Range]:
    """Every factor's range, in the order of ``WEIGHTS``."""
    return [range_for(name) for name in WEIGHTS]


def parameters_toml() -> str:
    """The ``[parameters]`` block of a spec varying every weight over its range."""
    lines = ["[parameters]"]
    for r in ranges():
        bounds = f"[{r.low:.6g}, {r.high:.6g}]"
        lines.append(f'{factor_name(r.name)} = {{ dist = "{r.dist}", range = {bounds} }}'
                     f"  # default {r.default:g}, {r.source}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(parameters_toml())
