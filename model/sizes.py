"""Per-household quantities fixed by the layout: the size channels (ODD §7.2) — the sight
window, the acquaintance pool, the heads' territories — and the share of the building's
public good."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import channels
from .params import Params
from .structure import Layout


@dataclass(frozen=True)
class Sizes:
    """Per-household quantities fixed by the layout (ODD §7.2)."""

    size: np.ndarray  # households in own unit
    pool_lo: np.ndarray  # acquaintance pool: [pool_lo, pool_hi), oneself included
    pool_hi: np.ndarray
    others: np.ndarray  # neighbours in the pool (pool − 1)
    others_safe: np.ndarray  # max(others, 1), for divisions
    visible_share: np.ndarray  # share of the pool that sees one's contribution
    acquaintance_limit: np.ndarray  # most neighbours one can know
    building_share: np.ndarray  # 1 / households of one's building (the public good's MPCR)
    sight_lo: np.ndarray  # households seen: [sight_lo, sight_hi), oneself included
    sight_hi: np.ndarray
    seen: np.ndarray  # sight_hi - sight_lo - 1: households one sees
    seen_inverse: np.ndarray  # 1 / seen (0 where one sees no one)
    density_weight: np.ndarray  # 1 / (others · households with neighbours), else 0
    territory_of: np.ndarray  # household → its neighbour head's territory (head_span)
    territory_size: np.ndarray  # households per territory

    @classmethod
    def build(cls, params: Params, layout: Layout) -> Sizes:
        ch = params.size_channels
        size = layout.unit_size[layout.unit_of].astype(np.int32)
        unit_start = layout.unit_start[layout.unit_of]
        unit_end = unit_start + size
        sight_lo, sight_hi = channels.sight_window(ch, unit_start, unit_end)
        pool_lo, pool_hi = channels.acquaintance_pool(ch, unit_start, unit_end)
        others = (pool_hi - pool_lo - 1).astype(np.int32)
        seen = (sight_hi - sight_lo - 1).astype(np.int32)
        building = np.bincount(layout.building_of)[layout.building_of]
        with_neighbours = max(int((others > 0).sum()), 1)
        territory_of = channels.head_territory(ch, layout.unit_of)
        return cls(
            size=size,
            pool_lo=pool_lo,
            pool_hi=pool_hi,
            others=others,
            others_safe=np.maximum(others, 1),
            visible_share=channels.visible_share(ch, others),
            acquaintance_limit=channels.acquaintance_limit(ch, others).astype(np.int32),
            building_share=(1.0 / building).astype(np.float32),
            sight_lo=sight_lo,
            sight_hi=sight_hi,
            seen=seen,
            seen_inverse=np.where(seen > 0, 1.0 / np.maximum(seen, 1), 0.0).astype(np.float32),
            density_weight=np.where(others > 0, 1.0 / (np.maximum(others, 1)
                                                       * with_neighbours), 0.0),
            territory_of=territory_of,
            territory_size=np.bincount(territory_of),
        )


def time_cost(params: Params, time_budget: np.ndarray) -> np.ndarray:
    """``ln(mean budget / own budget)``: the cost of an hour to a household (ODD §7.3)."""
    cost = np.log(params.residents.time_budget_mean / np.maximum(time_budget, 0.05))
    return cost.astype(np.float32)
