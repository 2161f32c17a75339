"""Mesa agents: thin views over the population arrays (residents) or small state (others).

The weekly update is vectorised over the arrays; these objects let Mesa's AgentSet select,
inspect and draw individual agents (``model.agents_by_type[Resident].select(...)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from .population import BehaviouralType, HeadRank

if TYPE_CHECKING:
    from .core import LinliModel


class Resident(mesa.Agent):
    """A resident household; its state lives at ``index`` in ``model.pop``."""

    model: LinliModel

    def __init__(self, model: LinliModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    def _get(self, name: str):
        return getattr(self.model.pop, name)[self.index]

    @property
    def unit(self) -> int:
        return int(self.model.layout.unit_of[self.index])

    @property
    def grid(self) -> int:
        return int(self.model.layout.grid_of[self.index])

    @property
    def behavioural_type(self) -> BehaviouralType:
        return BehaviouralType(int(self._get("btype")))

    @property
    def contributed(self) -> bool:
        return bool(self._get("contributed"))

    @property
    def propensity(self) -> float:
        return float(self._get("propensity"))

    @property
    def belief(self) -> float:
        return float(self._get("belief"))

    @property
    def trust(self) -> float:
        return float(self._get("trust"))

    @property
    def recent_arrival(self) -> bool:
        return bool(self._get("recent"))

    @property
    def known_neighbours(self) -> int:
        return int(self._get("known"))

    @property
    def group(self) -> int | None:
        g = int(self._get("group"))
        return None if g < 0 else g

    @property
    def head(self) -> HeadRank:
        return HeadRank(int(self._get("head")))

    @property
    def weeks_active(self) -> int:
        return int(self._get("weeks_active"))


class PartyMember(Resident):
    """A resident household with a party member: stronger civic motivation, first in line
    for head posts, invites neighbours when it contributes."""


class Courier(mesa.Agent):
    """A delivery rider whose route crosses many units; a view over ``model.couriers``."""

    model: LinliModel

    def __init__(self, model: LinliModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def route(self) -> np.ndarray:
        return self.model.couriers.route(self.index)

    @property
    def attachment(self) -> float:
        return float(self.model.couriers.attachment[self.index])

    @property
    def near_station(self) -> bool:
        return bool(self.model.couriers.near_station[self.index])

    @property
    def reports(self) -> int:
        return int(self.model.couriers.reports[self.index])

    @property
    def active(self) -> bool:
        return bool(self.model.couriers.active[self.index])


class Business(mesa.Agent):
    """An office building, shop or developer near some units; a view over
    ``model.businesses``."""

    model: LinliModel

    def __init__(self, model: LinliModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def kind(self) -> str:
        from .mechanisms.businesses import KINDS

        return KINDS[int(self.model.businesses.kind[self.index])]

    @property
    def nearby_units(self) -> np.ndarray:
        return self.model.businesses.nearby(self.index)

    @property
    def resources(self) -> dict[str, float]:
        state = self.model.businesses
        return {"parking": float(state.parking[self.index]),
                "room": float(state.room[self.index])}

    @property
    def partnership(self) -> float:
        return float(self.model.businesses.partnership[self.index])

    @property
    def sharing(self) -> bool:
        return bool(self.model.businesses.sharing[self.index])
