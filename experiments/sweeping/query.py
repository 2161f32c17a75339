"""SQL over a sweep's results, in a sandbox: one SELECT, over the store's own tables only.

The tables a query names (``runs``: latest attempt per run, ``attempts``, ``metrics``,
``design``) are loaded into an in-memory DuckDB database; then external access is switched
off and the configuration locked, so no query can read or write files (``read_csv``,
``COPY``, ``ATTACH``, …) or change that. Only a single SELECT statement is accepted.

A classroom session's folder (``linli classroom --out``) is queried the same way, with its
tables ``decisions`` (one row per player per round) and ``weekly`` (the room's and the shadow
world's weekly outputs).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from .store import Store

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

TABLES = ("runs", "attempts", "metrics", "design")
SESSION_TABLES = ("decisions", "weekly")  # a classroom session's folder
EXAMPLE = 'linli query DIR "select * from runs limit 5"'


class QueryError(ValueError):
    """The query cannot run; the message says why and what is allowed."""


def run(store: Store, sql: str) -> pd.DataFrame:
    """The result of one SELECT over ``store``'s tables."""
    import duckdb

    store.info()  # a store at all?
    con = duckdb.connect(":memory:")
    _check(con, sql)
    _load(con, store, _named(con, sql))
    return _sandboxed(con, sql)


def is_session(directory: Path) -> bool:
    """A classroom session's folder (its decision log), not a sweep's store."""
    return (directory / "decisions.parquet").is_file() and not (directory / "spec.json").exists()


def run_session(directory: Path, sql: str) -> pd.DataFrame:
    """The result of one SELECT over a classroom session's ``decisions`` and ``weekly``."""
    import duckdb
    import pandas as pd

    con = duckdb.connect(":memory:")
    _check(con, sql)
    for name in SESSION_TABLES:
        path = directory / f"{name}.parquet"
        try:
            data = pd.read_parquet(path) if path.is_file() else pd.DataFrame()
        except (OSError, ValueError) as err:
            raise QueryError(f"cannot read {path}: {_one_line(err)}") from None
        con.register("_loading", data)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM _loading")
        con.unregister("_loading")
    return _sandboxed(con, sql)


def _sandboxed(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    """Run ``sql`` after switching off file access and locking the configuration."""
    import duckdb

    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    try:
        return con.execute(sql).df()
    except duckdb.Error as err:
        raise QueryError(f"query failed: {_one_line(err)}{_dotted_hint(con, str(err), sql)}") \
            from None


def _check(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    import duckdb

    if not sql.strip():
        raise QueryError(f"empty query: give one SELECT statement, e.g. {EXAMPLE}")
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as err:
        raise QueryError(f"query failed: {_one_line(err)}") from None
    if not statements:
        raise QueryError(f"empty query: give one SELECT statement, e.g. {EXAMPLE}")
    if len(statements) > 1:
        raise QueryError(f"one statement at a time ({len(statements)} given)")
    kind = statements[0].type
    if kind != duckdb.StatementType.SELECT:
        raise QueryError(f"only SELECT queries are allowed, not {kind.name}: queries read the "
                         "results and cannot change them or touch other files")


def _named(con: duckdb.DuckDBPyConnection, sql: str) -> set[str]:
    """The store's tables the query names (all of them if DuckDB cannot tell)."""
    import duckdb

    try:
        names = {n.lower() for n in con.get_table_names(sql)}
    except duckdb.Error:
        return set(TABLES)
    if "runs" in names:
        names.add("attempts")
    return names & set(TABLES)


def _load(con: duckdb.DuckDBPyConnection, store: Store, names: set[str]) -> None:
    for name in ("attempts", "metrics", "design"):
        if name not in names:
            continue
        data = store.design() if name == "design" else \
            store.table("runs" if name == "attempts" else name)
        con.register("_loading", data)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM _loading")
        con.unregister("_loading")
    if "runs" in names:
        con.execute("CREATE VIEW runs AS SELECT * FROM attempts QUALIFY row_number() OVER "
                    "(PARTITION BY point, replicate ORDER BY attempt DESC) = 1")


def _dotted_hint(con: duckdb.DuckDBPyConnection, message: str, sql: str) -> str:
    """Parameter columns are named ``section.name``: say to quote them, with the name the
    query meant if it is one."""
    found = re.search(r'Referenced (?:table|column) "([^"]+)" not found', message)
    if not found:
        return ""
    prefix = found[1] + "."
    dotted = [c for (c,) in con.execute(
        "SELECT DISTINCT column_name FROM information_schema.columns").fetchall()
        if c.startswith(prefix)]
    if not dotted:
        return ""
    meant = [m for m in re.findall(rf"(?<![\w\"]){re.escape(prefix)}\w+", sql) if m in dotted]
    example = meant[0] if meant else dotted[0]
    return (f'. Column names with a dot must be in double quotes: write "{example}"'
            + ("" if meant else f" (columns starting {prefix}: {', '.join(dotted[:6])})"))


def _one_line(err: BaseException) -> str:
    """DuckDB's message on one line, without its picture of the query."""
    text = str(err).split("\nLINE ", 1)[0]
    return " ".join(text.split())
