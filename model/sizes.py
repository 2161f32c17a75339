"""Per-household quantities fixed by the layout: unit sizes through the channels (ODD §7.2),
the sight window, and the time cost."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import channels
from .params import Params
from .population import Population
from .structure import Layout


@dataclass(frozen=True)
class Sizes:
    """Per-household quantities fixed by the layout (the size channels, ODD §7.2)."""

    size: np.ndarray  # households in own unit
    others: np.ndarray  # size - 1
    others_safe: np.ndarray  # max(size - 1, 1), for divisions
    visible_share: np.ndarray
    benefit_share: np.ndarray
    acquaintance_limit: np.ndarray
    time_cost: np.ndarray  # log(mean budget / own budget)
    sight_lo: np.ndarray  # households seen: [sight_lo, sight_hi), oneself included
    sight_hi: np.ndarray
    seen: np.ndarray  # sight_hi - sight_lo - 1: households one sees
    seen_inverse: np.ndarray  # 1 / seen (0 where one sees no one)
    blind: np.ndarray | None  # households who see no one (None if there are none)
    density_weight: np.ndarray  # 1 / ((size - 1) · households with neighbours), else 0

    @classmethod
    def build(cls, params: Params, layout: Layout, pop: Population) -> Sizes:
        ch = params.size_channels
        size = layout.unit_size[layout.unit_of].astype(np.int32)
        unit_start = layout.unit_start[layout.unit_of]
        sight_lo, sight_hi = channels.sight_window(ch, unit_start, unit_start + size)
        seen = (sight_hi - sight_lo - 1).astype(np.int32)
        cost = np.log(params.residents.time_budget_mean / np.maximum(pop.time_budget, 0.05))
        return cls(
            size=size,
            others=size - 1,
            others_safe=np.maximum(size - 1, 1),
            visible_share=channels.visible_share(ch, size),
            benefit_share=channels.benefit_share(ch, size),
            acquaintance_limit=channels.acquaintance_limit(ch, size).astype(np.int32),
            time_cost=cost.astype(np.float32),
            sight_lo=sight_lo,
            sight_hi=sight_hi,
            seen=seen,
            seen_inverse=np.where(seen > 0, 1.0 / np.maximum(seen, 1), 0.0).astype(np.float32),
            blind=np.flatnonzero(seen == 0) if (seen == 0).any() else None,
            density_weight=np.where(size > 1, 1.0 / (np.maximum(size - 1, 1)
                                                     * max(int((size > 1).sum()), 1)), 0.0),
        )
