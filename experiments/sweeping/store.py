"""The results store of a sweep: a directory of Parquet chunks, readable while it grows.

Layout::

    spec.toml, spec.json      the spec as written; its canonical form and fingerprint
    design.parquet            one row per design point (values and unit coordinates)
    runs/part-000007.parquet  one row per run attempt (parameters, seed, status, error, …)
    metrics/part-000007.parquet  the kept weekly outputs of the runs that succeeded
    runs/merged-000001-000040.parquet   chunks 1–40 compacted into one file
    quarantine/runs/…         damaged chunks, moved aside by the next sweep
    .lock                     pid and host of the sweep writing here

Every file is written to a temporary name and renamed into place. A batch writes its metrics
chunk, then its runs chunk: the runs chunk commits the batch (a metrics chunk without one is
ignored and removed by the next sweep). A merged file supersedes the chunks whose numbers it
covers, so a crash during compaction loses and duplicates nothing.

A damaged chunk (truncated, empty, not Parquet) is left out by readers with a warning that
names it; the next sweep moves it to ``quarantine/`` (with the metrics chunks its runs
committed) and runs again exactly the runs that lost their record or their outputs.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import re
import socket
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.running.output import atomic_write, write_json

from .spec import Spec, linli_parameters

TABLES = ("runs", "metrics")
_CHUNK = re.compile(r"^(?:part-(\d+)|merged-(\d+)-(\d+))\.parquet$")
_OWN = {".lock", ".lock.guard", "spec.toml", "spec.json", "design.parquet", "runs", "metrics",
        "analysis", "quarantine", ".linli-output.json"}
RELEASED = "released"  # what a lock file says when its owner could not remove it
METRIC_KEYS = [("point", pa.int64()), ("replicate", pa.int64()), ("week", pa.int64())]
RUN_FIELDS = [
    ("point", pa.int64()), ("replicate", pa.int64()), ("attempt", pa.int64()),
    ("seed", pa.uint64()), ("status", pa.string()), ("error", pa.string()),
    ("traceback", pa.string()), ("seconds", pa.float64()), ("worker", pa.string()),
    ("finished", pa.timestamp("ms", tz="UTC")), ("versions", pa.string()), ("git", pa.string()),
]
_ARROW = {"int": pa.int64(), "float": pa.float64(), "bool": pa.bool_(), "str": pa.string(),
          "json": pa.string(), "choice": pa.string(), "size": pa.string(), "other": pa.string()}


class StoreError(RuntimeError):
    """The store cannot be used as asked (locked, another spec, not a store)."""


class DamagedChunkWarning(UserWarning):
    """A chunk could not be read and was left out."""


class Store:
    """A sweep's results directory. Reading needs no lock; writing happens in ``writer()``."""

    def __init__(self, directory: str | Path) -> None:
        self.dir = Path(directory)

    # ------------------------------------------------------------------ reading

    def exists(self) -> bool:
        return (self.dir / "spec.json").is_file()

    def info(self) -> dict[str, Any]:
        """The stored spec: name, title, fingerprint, canonical form (``spec``), versions."""
        if not self.exists():
            raise StoreError(f"{self.dir} is not a sweep store (no spec.json); run "
                             "`linli sweep SPEC --out DIR` first")
        path = self.dir / "spec.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise StoreError(f"{path} is damaged ({err}); the store cannot be used. Run the "
                             "sweep again into a new --out directory") from None
        if not isinstance(data, dict) or "fingerprint" not in data:
            raise StoreError(f"{path} is damaged (not a store's spec); the store cannot be "
                             "used. Run the sweep again into a new --out directory")
        return data

    def design(self) -> pd.DataFrame:
        """One row per design point."""
        self.info()
        path = self.dir / "design.parquet"
        try:
            return pq.read_table(path).to_pandas()
        except (pa.ArrowException, OSError) as err:
            raise StoreError(f"{path} is damaged ({err}); run the sweep again into a new "
                             "--out directory") from None

    def runs(self, all_attempts: bool = False) -> pd.DataFrame:
        """One row per run (its latest attempt), sorted by point and replicate; every attempt
        with ``all_attempts``."""
        frame = self.table("runs").to_pandas()
        if not all_attempts and len(frame):
            frame = frame.sort_values("attempt").drop_duplicates(["point", "replicate"],
                                                                 keep="last")
        keys = ["point", "replicate", "attempt"]
        return frame.sort_values(keys).reset_index(drop=True)

    def metrics(self) -> pd.DataFrame:
        """The kept weekly outputs of successful runs: point, replicate, week, columns."""
        frame = self.table("metrics").to_pandas()
        return frame.sort_values(["point", "replicate", "week"]).reset_index(drop=True)

    def table(self, table: str, columns: list[str] | None = None) -> pa.Table:
        """Every live chunk of ``runs`` (all attempts) or ``metrics`` as one Arrow table;
        damaged chunks are left out with a DamagedChunkWarning."""
        empty = pa.schema(RUN_FIELDS if table == "runs" else METRIC_KEYS)
        for _ in range(3):  # a sweep compacting meanwhile may remove a chunk just listed
            try:
                return _read(self.files(table), empty, columns)
            except FileNotFoundError:
                continue
        return _read(self.files(table), empty, columns)

    def metric_keys(self) -> set[tuple[int, int]]:
        """(point, replicate) of every run with kept outputs."""
        keys = self.table("metrics", ["point", "replicate"])
        return set(zip(keys["point"].to_pylist(), keys["replicate"].to_pylist(), strict=True))

    def files(self, table: str) -> list[Path]:
        """The live files of a table: chunks not covered by a merged file (and, for metrics,
        only committed chunks), in chunk order."""
        live = _live(self.dir / table)
        if table == "metrics":
            committed = _ranges(_live(self.dir / "runs"))
            live = [(r, p) for r, p in live
                    if r[0] != r[1] or any(lo <= r[0] <= hi for lo, hi in committed)]
        return [p for _, p in live]

    # ------------------------------------------------------------------ writing

    @contextlib.contextmanager
    def writer(self) -> Iterator[Writer]:
        """Hold the directory's lock while writing; removes leftovers of a killed sweep."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with _Lock(self.dir):
            writer = Writer(self)
            writer.clean()
            writer.quarantine()
            yield writer

    def foreign(self) -> list[str]:
        """Names in the directory that a store would not hold."""
        if not self.dir.is_dir():
            return []
        return sorted(p.name for p in self.dir.iterdir() if p.name not in _OWN
                      and not (p.name.startswith(".") and p.name.endswith(".tmp")))

    def check_new_or_same(self, spec: Spec) -> None:
        """Raise StoreError if the directory holds another spec's results or other files."""
        if self.exists():
            stored = self.info()
            if stored["fingerprint"] != spec.fingerprint():
                changed = [k for k, v in spec.canonical().items() if stored["spec"].get(k) != v]
                raise StoreError(
                    f"{self.dir} holds the results of a different spec ({stored['source']}, "
                    f"fingerprint {stored['fingerprint']}); what differs: "
                    f"{', '.join(changed) or 'the spec'}. Use another --out directory, or "
                    "remove this one to start again")
        elif self.dir.exists():
            foreign = self.foreign()
            if foreign:
                raise StoreError(f"{self.dir} exists and is not a sweep store (it holds "
                                 f"{', '.join(foreign[:5])}); choose an empty or new directory")


class Writer:
    """Writes chunks and compacts them; only exists while the lock is held."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.dir = store.dir
        self.quarantined: list[tuple[Path, str]] = []  # (where it went, why)
        numbers = [hi for t in TABLES for (_, hi), _ in _live(self.dir / t, every=True)]
        self._next = max(numbers, default=0) + 1

    def clean(self) -> None:
        """Remove temporary files and uncommitted metrics chunks of a killed sweep."""
        for folder in (self.dir, self.dir / "runs", self.dir / "metrics"):
            for tmp in folder.glob(".*.tmp") if folder.is_dir() else ():
                tmp.unlink(missing_ok=True)
        live = set(self.store.files("metrics"))
        for (lo, hi), path in _live(self.dir / "metrics", every=True):
            if lo == hi and path not in live:
                path.unlink(missing_ok=True)

    def quarantine(self) -> None:
        """Move damaged chunks to ``quarantine/``: a damaged runs chunk takes the metrics
        chunks it committed along, so its runs are run again without duplicate outputs."""
        bad: list[tuple[str, tuple[int, int], Path, str]] = []
        for table in TABLES:
            for span, path in _live(self.dir / table):
                problem = _damage(path)
                if problem:
                    bad.append((table, span, path, problem))
        for table, (lo, hi), _, _ in list(bad):
            if table == "runs":
                bad += [("metrics", span, path, f"committed by damaged {table} chunks {lo}–{hi}")
                        for span, path in _live(self.dir / "metrics")
                        if span[0] <= hi and lo <= span[1] and all(path != b[2] for b in bad)]
        for table, _, path, problem in bad:
            target = self.dir / "quarantine" / table / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
            self.quarantined.append((target, problem))

    def initialise(self, spec: Spec, design: pd.DataFrame, versions: dict[str, str]) -> None:
        """First use: the spec as written, the design, then spec.json (which marks a store)."""
        if self.store.exists():
            return
        atomic_write(self.dir / "spec.toml", functools.partial(_write_text, spec.text))
        atomic_write(self.dir / "design.parquet", lambda p: design.to_parquet(p, index=False))
        write_json(self.dir / "spec.json", {
            "name": spec.name, "title": spec.title, "source": spec.source,
            "fingerprint": spec.fingerprint(), "spec": spec.canonical(),
            "points": len(design), "runs": len(design) * spec.replicates,
            "versions": versions})

    def write(self, runs: pa.Table, metrics: pd.DataFrame | None) -> int:
        """One finished batch: its metrics chunk (if any), then its runs chunk (the commit)."""
        number = self._next
        self._next += 1
        name = f"part-{number:06d}.parquet"
        if metrics is not None and len(metrics):
            table = pa.Table.from_pandas(metrics, preserve_index=False)
            atomic_write(self.dir / "metrics" / name, lambda p: pq.write_table(table, p))
        atomic_write(self.dir / "runs" / name, lambda p: pq.write_table(runs, p))
        return number

    def compact(self) -> None:
        """Merge each table's live files into one, atomically; then remove what it covers."""
        for table in ("metrics", "runs"):  # metrics first: runs chunks commit them
            live = _live(self.dir / table)
            if table == "metrics":
                keep = set(self.store.files("metrics"))
                live = [(r, p) for r, p in live if p in keep]
            if len(live) >= 2:
                lo, hi = min(r[0] for r, _ in live), max(r[1] for r, _ in live)
                schema = pa.unify_schemas([pq.read_schema(p) for _, p in live],
                                          promote_options="permissive")

                def merge(tmp: Path, files=live, schema=schema) -> None:
                    with pq.ParquetWriter(tmp, schema) as out:
                        for _, path in files:
                            out.write_table(_conform(pq.read_table(path), schema))

                atomic_write(self.dir / table / f"merged-{lo:06d}-{hi:06d}.parquet", merge)
            kept = {p for _, p in _live(self.dir / table)}
            for _, path in _live(self.dir / table, every=True):
                if path not in kept:  # covered by a merged file
                    path.unlink(missing_ok=True)


def run_schema(spec: Spec) -> pa.Schema:
    """Columns of the runs table: the run record, then every parameter (dotted names)."""
    fields = list(RUN_FIELDS)
    kinds: dict[str, str] = {}
    if spec.base is not None:
        info = linli_parameters()
        kinds = {name: info[name].kind for name in flat_params(spec)}
    kinds.update({f.name: f.column_type for f in spec.factors})
    fields += [(name, _ARROW[kind]) for name, kind in kinds.items()]
    return pa.schema(fields)


def flat_params(spec: Spec) -> dict[str, Any]:
    """The base parameters as dotted names; lists and None as JSON text."""
    if spec.base is None:
        return {}
    flat = {}
    for section, values in spec.base.model_dump(mode="json").items():
        if not isinstance(values, dict):
            continue  # "weeks": the spec's own
        for name, value in values.items():
            scalar = isinstance(value, bool | int | float | str)
            flat[f"{section}.{name}"] = value if scalar else json.dumps(value)
    return flat


# ---------------------------------------------------------------------- helpers


def _live(folder: Path, every: bool = False) -> list[tuple[tuple[int, int], Path]]:
    """(chunk range, path) of a folder's chunk files; without ``every``, those not covered
    by a merged file with a wider range."""
    found = []
    for path in folder.glob("*.parquet") if folder.is_dir() else ():
        m = _CHUNK.match(path.name)
        if m:
            lo, hi = (int(m[1]), int(m[1])) if m[1] else (int(m[2]), int(m[3]))
            found.append(((lo, hi), path))
    found.sort()
    if every:
        return found
    merged = [r for r, p in found if p.name.startswith("merged-")]
    return [(r, p) for r, p in found
            if not any(m != r and m[0] <= r[0] and r[1] <= m[1] for m in merged)]


def _write_text(text: str, path: Path) -> None:
    path.write_text(text, encoding="utf-8")


def _ranges(live: list[tuple[tuple[int, int], Path]]) -> list[tuple[int, int]]:
    return [r for r, _ in live]


def _read(files: list[Path], empty: pa.Schema, columns: list[str] | None = None) -> pa.Table:
    tables = []
    for path in files:
        try:
            tables.append(pq.read_table(path, columns=columns))
        except FileNotFoundError:
            raise
        except (pa.ArrowException, OSError) as err:
            warnings.warn(DamagedChunkWarning(
                f"damaged chunk {path} left out ({_reason(err)}); the next `linli sweep` into "
                "this directory moves it aside and runs its runs again"), stacklevel=3)
    if not tables:
        return empty.empty_table().select(columns) if columns else empty.empty_table()
    schema = pa.unify_schemas([t.schema for t in tables], promote_options="permissive")
    return pa.concat_tables([_conform(t, schema) for t in tables])


def _damage(path: Path) -> str | None:
    """Why a chunk cannot be read (empty, truncated, not Parquet), or None if it can."""
    try:
        if path.stat().st_size == 0:
            return "empty file"
        pq.read_table(path)
    except FileNotFoundError:
        return None
    except (pa.ArrowException, OSError) as err:
        return _reason(err)
    return None


def _reason(err: BaseException) -> str:
    return " ".join(str(err).split())[:200]


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with ``schema``'s columns (missing ones null) and types."""
    columns = [table[f.name].cast(f.type) if f.name in table.column_names
               else pa.nulls(len(table), f.type) for f in schema]
    return pa.Table.from_arrays(columns, schema=schema)


class _Lock:
    """``.lock`` holding ``pid host``, created with O_EXCL; a dead owner's lock is taken over
    (under an flock'd guard file, so two sweeps cannot both take it over). An owner that
    cannot remove its lock (the directory became read-only) marks it released instead."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / ".lock"
        self.guard = directory / ".lock.guard"
        self.me = f"{os.getpid()} {socket.gethostname()}"

    def __enter__(self) -> _Lock:
        try:
            if self._create():
                return self
            with self.guard.open("a") as guard:
                fcntl.flock(guard, fcntl.LOCK_EX)
                owner = self._owner()
                if owner == RELEASED or (isinstance(owner, tuple) and not _alive(*owner)):
                    self.path.unlink(missing_ok=True)
                if self._create():
                    return self
        except PermissionError as err:
            raise StoreError(f"cannot write to {self.path.parent}: {err.strerror}") from None
        owner = self._owner()
        pid, host = owner if isinstance(owner, tuple) else ("unknown", "unknown host")
        raise StoreError(
            f"{self.path.parent} is being written by another sweep (process {pid} on {host}, "
            f"lock file {self.path}); wait for it to finish, or stop it. If that process is "
            "gone, remove the lock file")

    def __exit__(self, *exc: object) -> None:
        if self._mine():
            try:
                self.path.unlink()
            except OSError:  # the directory became read-only; the file itself may not be
                with contextlib.suppress(OSError), self.path.open("w", encoding="utf-8") as f:
                    f.write(RELEASED + "\n")

    def _mine(self) -> bool:
        with contextlib.suppress(OSError):
            return self.path.read_text(encoding="utf-8").strip() == self.me
        return False

    def _create(self) -> bool:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(self.me + "\n")
        return True

    def _owner(self) -> tuple[int, str] | str | None:
        """(pid, host), RELEASED, or None (gone, or being written this instant)."""
        try:
            text = self.path.read_text(encoding="utf-8").strip()
            if text == RELEASED:
                return RELEASED
            pid, host = text.split()
            return int(pid), host
        except (OSError, ValueError):
            return None


def _alive(pid: int, host: str) -> bool:
    """Whether the owner may still run (a process on another host is assumed to)."""
    if host != socket.gethostname():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
