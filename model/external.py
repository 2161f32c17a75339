"""External decisions (ODD §6, §7.3–§7.9): some households', couriers' and businesses' weekly
choices made outside the model, by people (a classroom's players), instead of by the model's
rule.

An input, never a scripted outcome: only the forced agents' own take-part decision, hours,
interest-group membership, courier activity, reports of problems they can see, invitations
to their neighbours, nominations for the board and a business joining residents' activities
are set; everything else (what others see, beliefs, ties, listings, partnerships, how
problems are answered) follows from them through the same arrays and rules as for any
household. The rule still runs, and draws its random numbers, for everyone, so the model's
other agents meet the same random numbers whether or not anyone is forced (a forced choice
equal to the rule's gives the identical run).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .population import Population

RULE = -1  # the model's rule decides


@dataclass
class ExternalDecisions:
    """Per-household and per-courier overrides, applied every week until changed.

    ``take_part``: int8, −1 the rule decides, 0 does not take part, 1 takes part;
    ``hours``: float32, the hours a forced contributor gives (NaN: the rule's hours);
    ``member``: int8, −1 the rule decides, 0 not in an interest group (leaves, or does not
    join), 1 in the group of its interest in its catchment (joins it if one is active and has
    room; stays);
    ``courier_active``: int8 per courier, −1 the rule, 0 or 1;
    ``report`` (per household) and ``courier_report`` (per courier): int8, −1 the rule's
    reports, 0 none (the rule's reports by it this week are withdrawn), 1 one report — the
    rule's if it drew one, else of the oldest open, unreported problem in sight (on the route);
    ``invite``: int16 per household, −1 the rule's invitations, 0 none (it is not one of the
    rule's inviters), k > 0 instead of the rule's it invites the k neighbours of its territory
    least active lately who are not yet invited (whom: ``invited_by``, filled by the model);
    ``nominate``: bool per household, nominated for the next board: a nominated contributor
    ranks ahead of the unnominated of its ranking scope; the posting uses the nominations up;
    ``business_join``: bool per business, joins the residents' activities near it this week
    (the rule's businesses never join explicitly).
    """

    take_part: np.ndarray
    hours: np.ndarray
    member: np.ndarray
    courier_active: np.ndarray
    report: np.ndarray
    courier_report: np.ndarray
    invite: np.ndarray
    nominate: np.ndarray
    business_join: np.ndarray
    invited_by: dict[int, np.ndarray] = field(default_factory=dict)  # filled by the model

    @classmethod
    def none(cls, households: int, couriers: int, businesses: int = 0) -> ExternalDecisions:
        """Nobody forced: the run is the model's own."""
        return cls(take_part=np.full(households, RULE, dtype=np.int8),
                   hours=np.full(households, np.nan, dtype=np.float32),
                   member=np.full(households, RULE, dtype=np.int8),
                   courier_active=np.full(couriers, RULE, dtype=np.int8),
                   report=np.full(households, RULE, dtype=np.int8),
                   courier_report=np.full(couriers, RULE, dtype=np.int8),
                   invite=np.full(households, RULE, dtype=np.int16),
                   nominate=np.zeros(households, dtype=bool),
                   business_join=np.zeros(businesses, dtype=bool))

    def apply_households(self, pop: Population, hours_per_contribution: float) -> None:
        """Overwrite this week's ``contributed`` and ``hours`` of forced households (after the
        rule has drawn, so the draws are the same either way)."""
        forced = np.flatnonzero(self.take_part >= 0)
        if len(forced) == 0:
            return
        takes = self.take_part[forced] == 1
        rule_hours = pop.time_budget[forced] * np.float32(hours_per_contribution)
        chosen = self.hours[forced]
        hours = np.where(np.isnan(chosen), rule_hours, chosen).astype(np.float32)
        pop.contributed[forced] = takes
        pop.hours[forced] = hours * takes

    def apply_couriers(self, active: np.ndarray) -> None:
        """Overwrite this week's activity of forced couriers."""
        forced = self.courier_active >= 0
        active[forced] = self.courier_active[forced] == 1

    def apply_groups(self, pop: Population, registry: Any, max_size: int) -> None:
        """After the week's joining and quitting by the rule: forced households leave (a
        group's leader stays) or join their catchment's active same-interest group while it
        has room. Recounts the members."""
        forced = np.flatnonzero(self.member >= 0)
        if len(forced) == 0:
            return
        leaders = registry.leader[registry.active]
        wants = self.member[forced] == 1
        leave = forced[~wants & (pop.group[forced] >= 0) & ~np.isin(forced, leaders)]
        pop.group[leave] = -1
        registry.recount(pop)
        join = forced[wants & (pop.group[forced] < 0)]
        for household, group in zip(join, registry.active_in_cell[registry.cell_of[join]],
                                    strict=True):
            if group >= 0 and registry.members[group] < max_size:
                pop.group[household] = group
                registry.members[group] += 1
