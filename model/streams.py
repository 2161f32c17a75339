"""Named random-number streams, one per submodel (ODD §5, "Stochasticity").

Every submodel draws from its own generator, derived from the run's seed and the submodel's
name. Switching a mechanism on or off therefore never shifts the random numbers another
submodel sees: two scenarios run on the same seed differ only through what their mechanisms
do (common random numbers), and a mechanism that is switched off draws nothing.
"""

from __future__ import annotations

import zlib

import numpy as np

NAMES = ("layout", "population", "decide", "ties", "heads", "groups", "board", "problems",
         "couriers", "businesses", "commons", "councils", "interventions")


class Streams:
    """``streams.decide`` etc.: a ``numpy.random.Generator`` per name in ``NAMES``."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)
        for name in NAMES:
            key = zlib.crc32(name.encode())
            sequence = np.random.SeedSequence(entropy=self.seed, spawn_key=(key,))
            setattr(self, name, np.random.Generator(np.random.PCG64(sequence)))

    def __getattr__(self, name: str) -> np.random.Generator:  # for type checkers only
        raise AttributeError(f"no random stream named '{name}'; streams: {', '.join(NAMES)}")
