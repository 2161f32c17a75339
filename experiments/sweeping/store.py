"""The results store of a sweep: a directory of Parquet chunks, readable while it grows.

Layout::

    spec.toml, spec.json      the spec as written; its canonical form and fingerprint
    design.parquet            one row per design point (values and unit coordinates)
    runs/part-000007.parquet  one row per run attempt (parameters, seed, status, error, …)
    metrics/part-000007.parquet  the kept weekly outputs of the runs that succeeded
    runs/merged-000001-000040.parquet   chunks 1–40 compacted into one file
    .lock                     pid and host of the sweep writing here

Every file is written to a temporary name and renamed into place. A batch writes its metrics
chunk, then its runs chunk: the runs chunk commits the batch (a metrics chunk without one is
ignored and removed by the next sweep). A merged file supersedes the chunks whose numbers it
covers, so a crash during compaction loses and duplicates nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import os
import re
import socket
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
        "analysis"}
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
        return json.loads((self.dir / "spec.json").read_text(encoding="utf-8"))

    def design(self) -> pd.DataFrame:
        """One row per design point."""
        self.info()
        return pd.read_parquet(self.dir / "design.parquet")

    def runs(self, all_attempts: bool = False) -> pd.DataFrame:
        """One row per run (its latest attempt), sorted by point and replicate; every attempt
        with ``all_attempts``."""
        frame = self._table("runs", pa.schema(RUN_FIELDS))
        if not all_attempts and len(frame):
            frame = frame.sort_values("attempt").drop_duplicates(["point", "replicate"],
                                                                 keep="last")
        keys = ["point", "replicate", "attempt"]
        return frame.sort_values(keys).reset_index(drop=True)

    def metrics(self) -> pd.DataFrame:
        """The kept weekly outputs of successful runs: point, replicate, week, columns."""
        frame = self._table("metrics", pa.schema([("point", pa.int64()),
                                                  ("replicate", pa.int64()),
                                                  ("week", pa.int64())]))
        return frame.sort_values(["point", "replicate", "week"]).reset_index(drop=True)

    def _table(self, table: str, empty: pa.Schema) -> pd.DataFrame:
        for _ in range(3):  # a sweep compacting meanwhile may remove a chunk just listed
            try:
                return _read(self.files(table), empty)
            except FileNotFoundError:
                continue
        return _read(self.files(table), empty)

    def files(self, table: str) -> list[Path]:
        """The live files of a table: chunks not covered by a merged file (and, for metrics,
        only committed chunks), in chunk order."""
        live = _live(self.dir / table)
        if table == "metrics":
            committed = _ranges(_live(self.dir / "runs"))
            live = [(r, p) for r, p in live
                    if r[0] != r[1] or any(lo <= r[0] <= hi for lo, hi in committed)]
        return [p for _, p in live]

    def connect(self):
        """A DuckDB connection with views ``runs`` (latest attempts), ``attempts``,
        ``metrics`` and ``design`` over the Parquet files."""
        import duckdb

        self.info()
        con = duckdb.connect()
        runs, metrics = self.files("runs"), self.files("metrics")
        if runs:
            con.execute(f"CREATE VIEW attempts AS SELECT * FROM {_scan(runs)}")
        else:
            cols = ", ".join(f"NULL::{_SQL.get(str(t), 'VARCHAR')} AS {n}" for n, t in RUN_FIELDS)
            con.execute(f"CREATE VIEW attempts AS SELECT {cols} WHERE false")
        con.execute("CREATE VIEW runs AS SELECT * FROM attempts QUALIFY row_number() OVER "
                    "(PARTITION BY point, replicate ORDER BY attempt DESC) = 1")
        if metrics:
            con.execute(f"CREATE VIEW metrics AS SELECT * FROM {_scan(metrics)}")
        else:
            con.execute("CREATE VIEW metrics AS SELECT NULL::BIGINT AS point, "
                        "NULL::BIGINT AS replicate, NULL::BIGINT AS week WHERE false")
        con.execute(f"CREATE VIEW design AS SELECT * FROM {_scan([self.dir / 'design.parquet'])}")
        return con

    # ------------------------------------------------------------------ writing

    @contextlib.contextmanager
    def writer(self) -> Iterator[Writer]:
        """Hold the directory's lock while writing; removes leftovers of a killed sweep."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with _Lock(self.dir):
            writer = Writer(self)
            writer.clean()
            yield writer

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
            foreign = sorted(p.name for p in self.dir.iterdir() if p.name not in _OWN
                             and not (p.name.startswith(".") and p.name.endswith(".tmp")))
            if foreign:
                raise StoreError(f"{self.dir} exists and is not a sweep store (it holds "
                                 f"{', '.join(foreign[:5])}); choose an empty or new directory")


class Writer:
    """Writes chunks and compacts them; only exists while the lock is held."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.dir = store.dir
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


def _read(files: list[Path], empty: pa.Schema) -> pd.DataFrame:
    if not files:
        return empty.empty_table().to_pandas()
    tables = [pq.read_table(p) for p in files]
    schema = pa.unify_schemas([t.schema for t in tables], promote_options="permissive")
    return pa.concat_tables([_conform(t, schema) for t in tables]).to_pandas()


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with ``schema``'s columns (missing ones null) and types."""
    columns = [table[f.name].cast(f.type) if f.name in table.column_names
               else pa.nulls(len(table), f.type) for f in schema]
    return pa.Table.from_arrays(columns, schema=schema)


def _scan(files: list[Path]) -> str:
    names = ", ".join("'" + str(p).replace("'", "''") + "'" for p in files)
    return f"read_parquet([{names}], union_by_name = true)"


_SQL = {"int64": "BIGINT", "uint64": "UBIGINT", "double": "DOUBLE", "string": "VARCHAR",
        "timestamp[ms, tz=UTC]": "TIMESTAMPTZ"}


class _Lock:
    """``.lock`` holding ``pid host``, created with O_EXCL; a dead owner's lock is taken over
    (under an flock'd guard file, so two sweeps cannot both take it over)."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / ".lock"
        self.guard = directory / ".lock.guard"
        self.me = f"{os.getpid()} {socket.gethostname()}"

    def __enter__(self) -> _Lock:
        if self._create():
            return self
        with self.guard.open("a") as guard:
            fcntl.flock(guard, fcntl.LOCK_EX)
            owner = self._owner()
            if owner is not None and not _alive(*owner):
                self.path.unlink(missing_ok=True)
            if self._create():
                return self
        pid, host = self._owner() or ("unknown", "unknown host")
        raise StoreError(
            f"{self.path.parent} is being written by another sweep (process {pid} on {host}, "
            f"lock file {self.path}); wait for it to finish, or stop it. If that process is "
            "gone, remove the lock file")

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):
            if self.path.read_text(encoding="utf-8").strip() == self.me:
                self.path.unlink()

    def _create(self) -> bool:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(self.me + "\n")
        return True

    def _owner(self) -> tuple[int, str] | None:
        try:
            pid, host = self.path.read_text(encoding="utf-8").split()
            return int(pid), host
        except (OSError, ValueError):
            return None  # gone, or being written this instant


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
