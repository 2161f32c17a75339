"""A calibration's results directory: every simulation it ran, in append-only Parquet chunks.

    DIR/particles/     ABC candidates (generation, index, seed, accepted, distance,
                       parameters p.*, statistics s.*, and the pickled pyabc particle)
    DIR/screening/     the screening runs (parameters and statistics)
    DIR/predictive/    the posterior-predictive runs (every target, calibration and validation)
    DIR/abc.db         pyabc's history (SQLite)
    DIR/quarantine/    damaged chunks, moved aside (their simulations are run again)

Each chunk is written to a temporary file and renamed into place, so a killed run leaves
whole chunks or none; a chunk that cannot be read is quarantined with a warning and its
simulations are redone.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import tempfile
import warnings
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


class DamagedChunkWarning(UserWarning):
    """A chunk could not be read; it was moved to quarantine and its runs will be redone."""


class ChunkTable:
    """One table of the directory: a folder of Parquet chunks."""

    def __init__(self, root: Path, name: str) -> None:
        self.root, self.folder = root, root / name

    def chunks(self) -> list[Path]:
        return sorted(self.folder.glob("*.parquet")) if self.folder.exists() else []

    def read(self, prefix: str = "") -> pd.DataFrame:
        """Every readable chunk (whose name starts with ``prefix``), stacked."""
        parts = []
        for path in self.chunks():
            if not path.name.startswith(prefix):
                continue
            try:
                parts.append(pq.read_table(path).to_pandas())
            except (OSError, pa.ArrowException) as err:
                self._quarantine(path, err)
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    def write(self, frame: pd.DataFrame, name: str) -> Path:
        """Write ``frame`` as chunk ``name`` atomically."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{name}.parquet"
        handle, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".parquet")
        os.close(handle)
        try:
            pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp)
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return path

    def _quarantine(self, path: Path, err: BaseException) -> None:
        target = self.root / "quarantine" / self.folder.name
        target.mkdir(parents=True, exist_ok=True)
        os.replace(path, target / path.name)
        warnings.warn(f"damaged chunk {path} ({type(err).__name__}: {err}) moved to "
                      f"{target}; its simulations will be run again", DamagedChunkWarning,
                      stacklevel=3)


class ParticleStore:
    """The ABC candidates of a calibration, by generation and index."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.particles = ChunkTable(self.directory, "particles")
        self.screening = ChunkTable(self.directory, "screening")
        self.predictive = ChunkTable(self.directory, "predictive")

    @property
    def history_path(self) -> Path:
        return self.directory / "abc.db"

    def history_started(self) -> bool:
        """pyabc's history holds a run (it was created, with its observed statistics)."""
        if not self.history_path.exists():
            return False
        try:
            with sqlite3.connect(self.history_path) as con:
                return con.execute("SELECT COUNT(*) FROM abc_smc").fetchone()[0] > 0
        except sqlite3.Error:
            return False

    def load(self, t: int) -> dict[int, bytes]:
        """Pickled particles of generation ``t`` already evaluated, by candidate index."""
        frame = self.particles.read(prefix=_prefix(t))
        if frame.empty:
            return {}
        return dict(zip(frame["index"].astype(int), frame["particle"], strict=True))

    def write(self, t: int, blobs: Mapping[int, bytes], seeds: Mapping[int, int]) -> None:
        """One chunk of evaluated candidates of generation ``t``."""
        rows = []
        for index, blob in sorted(blobs.items()):
            particle = pickle.loads(blob)
            row = {"t": t, "index": index, "seed": seeds[index],
                   "accepted": bool(particle.accepted), "distance": float(particle.distance)}
            row.update({f"p.{k}": float(v) for k, v in dict(particle.parameter).items()})
            row.update({f"s.{k}": float(v) for k, v in dict(particle.sum_stat).items()})
            row["particle"] = blob
            rows.append(row)
        first = min(blobs)
        self.particles.write(pd.DataFrame(rows), f"{_prefix(t)}{first:07d}")

    def simulations(self) -> pd.DataFrame:
        """Every evaluated candidate (without the pickled particles)."""
        frame = self.particles.read()
        return frame.drop(columns=["particle"]) if "particle" in frame else frame


def _prefix(t: int) -> str:
    return f"t{t + 1:03d}-"  # the prior sample (t = -1) sorts first
