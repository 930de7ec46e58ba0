"""The only place that runs SQL: a read-only connection to the warehouse, one cursor per query."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb
import polars as pl

DEFAULT_DB = Path("data/mission.duckdb")
# The warehouse schema this read side expects (etl.schema.SCHEMA_VERSION; a test keeps them equal).
SCHEMA_VERSION = 4
T = TypeVar("T")

_lock = threading.Lock()
_connections: dict[Path, tuple[tuple[str, int, int], duckdb.DuckDBPyConnection]] = {}


class WarehouseMissing(RuntimeError):
    """The database file does not exist (build it with `make db` or `python -m etl build`)."""


class WarehouseOutdated(WarehouseMissing):
    """The database file was built by another version of the ETL: rebuild it."""


def db_path() -> Path:
    """The database named by MISSION_DB, else data/mission.duckdb."""
    return Path(os.environ.get("MISSION_DB") or DEFAULT_DB)


def _connection(path: Path) -> duckdb.DuckDBPyConnection:
    """The read-only connection to the file now at `path`; a rebuilt file (new version) gets a new connection.

    The old connection is closed first: DuckDB keeps one database instance per path in a process, so a new
    connection to the same path would otherwise still read the replaced file."""
    current = version(path)
    with _lock:
        known = _connections.get(path)
        if known is None or known[0] != current:
            if known is not None:
                known[1].close()
            con = duckdb.connect(str(path), read_only=True)
            _check_schema(con, path)
            known = (current, con)
            _connections[path] = known
        return known[1]


def _check_schema(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    try:
        (found,) = con.sql("SELECT schema_version FROM build_info").fetchall()[0]
    except (duckdb.Error, IndexError):
        found = None
    if found != SCHEMA_VERSION:
        con.close()
        raise WarehouseOutdated(f"{path} was built with warehouse schema {found}, this dashboard reads schema "
                                f"{SCHEMA_VERSION}: rebuild it with `make db`")


def query(sql: str, params: dict | None = None, path: Path | None = None) -> pl.DataFrame:
    """Run one read-only query with bound parameters ($name) and return a polars frame.

    `sql` must be a constant string written in mission/; values always go through `params`."""
    cursor = _connection(path or db_path()).cursor()
    try:
        return cursor.sql(sql, params=params or {}).pl()
    finally:
        cursor.close()


def version(path: Path | None = None) -> tuple[str, int, int]:
    """What identifies the warehouse file's content for caching: its path, modification time and size."""
    path = path or db_path()
    try:
        stat = path.stat()
    except FileNotFoundError as missing:
        raise WarehouseMissing(f"{path} does not exist: build it with `make db`") from missing
    return str(path), stat.st_mtime_ns, stat.st_size


def cached(function: Callable[..., T]) -> Callable[..., T]:
    """Memoise a read-only question per warehouse version: a rebuilt file gives fresh answers.

    The wrapped function takes `path` as a keyword; results must not be mutated (polars frames are not)."""
    memo = functools.lru_cache(maxsize=64)(lambda _version, path, *args: function(*args, path=path))

    @functools.wraps(function)
    def wrapper(*args, path: Path | None = None) -> T:
        path = path or db_path()
        return memo(version(path), path, *args)

    wrapper.cache_clear = memo.cache_clear  # type: ignore[attr-defined]
    return wrapper


def close_all() -> None:
    with _lock:
        for _version, con in _connections.values():
            con.close()
        _connections.clear()
