"""The only place that runs SQL: a read-only connection to the warehouse, one cursor per query."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
import polars as pl

DEFAULT_DB = Path("data/mission.duckdb")

_lock = threading.Lock()
_connections: dict[Path, duckdb.DuckDBPyConnection] = {}


class WarehouseMissing(RuntimeError):
    """The database file does not exist (build it with `make db` or `python -m etl build`)."""


def db_path() -> Path:
    """The database named by MISSION_DB, else data/mission.duckdb."""
    return Path(os.environ.get("MISSION_DB") or DEFAULT_DB)


def _connection(path: Path) -> duckdb.DuckDBPyConnection:
    with _lock:
        con = _connections.get(path)
        if con is None:
            if not path.exists():
                raise WarehouseMissing(f"{path} does not exist: build it with `make db`")
            con = duckdb.connect(str(path), read_only=True)
            _connections[path] = con
        return con


def query(sql: str, params: dict | None = None, path: Path | None = None) -> pl.DataFrame:
    """Run one read-only query with bound parameters ($name) and return a polars frame.

    `sql` must be a constant string written in mission/; values always go through `params`."""
    cursor = _connection(path or db_path()).cursor()
    try:
        return cursor.sql(sql, params=params or {}).pl()
    finally:
        cursor.close()


def close_all() -> None:
    with _lock:
        for con in _connections.values():
            con.close()
        _connections.clear()
