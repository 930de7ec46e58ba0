"""The only place that runs SQL: read-only snapshots of the warehouse file, one cursor per query.

A rebuild replaces the file (`os.replace`) while the app serves. Each snapshot is a read-only attachment of the
file that was at the path when it was opened; the app pins one snapshot per request (`pinned()`), so every query
of a request reads the same build, and a snapshot is closed only when no request uses it any more. A request that
started before a rebuild finishes on the old file; the next one reads the new file."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb
import polars as pl

import i18n

DEFAULT_DB = Path("data/mission.duckdb")
# The warehouse schema this read side expects (etl.schema.SCHEMA_VERSION; a test keeps them equal).
SCHEMA_VERSION = 6
T = TypeVar("T")
ALIAS = "warehouse"  # the attached file's catalog name inside each snapshot's in-memory database
Version = tuple[str, int, int, int]  # path, inode, modification time (ns), size

_lock = threading.Lock()
_current: dict[Path, Snapshot] = {}
# The snapshots pinned by the running request (or `pinned()` block), by path; None outside any.
_pins: contextvars.ContextVar[dict[Path, Snapshot] | None] = contextvars.ContextVar("warehouse_pins", default=None)


class WarehouseMissing(RuntimeError):
    """The database file does not exist (build it with `make db` or `python -m etl build`)."""


class WarehouseOutdated(WarehouseMissing):
    """The database file was built by another version of the ETL: rebuild it."""


@dataclass(eq=False)
class Snapshot:
    """One warehouse file as it was when opened: what identifies it, a connection to exactly it, its build id,
    and how many requests use it now."""

    version: Version
    con: duckdb.DuckDBPyConnection
    build_id: str
    users: int = 0
    retired: bool = False

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cursor = self.con.cursor()
        cursor.execute(f"USE {ALIAS}")
        return cursor


def db_path() -> Path:
    """The database named by MISSION_DB, else data/mission.duckdb."""
    return Path(os.environ.get("MISSION_DB") or DEFAULT_DB)


def _stat(path: Path) -> Version:
    try:
        stat = path.stat()
    except FileNotFoundError as missing:
        raise WarehouseMissing(f"{path} does not exist: build it with `make db`") from missing
    return str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size


def _open(path: Path) -> Snapshot:
    """Attach the file now at `path`, read-only, in a database of its own (DuckDB shares one database per path
    opened with `connect`, which would keep reading a replaced file). Retried if the file is replaced meanwhile."""
    for _attempt in range(5):
        before = _stat(path)
        con = duckdb.connect(":memory:")
        try:
            quoted = str(path).replace("'", "''")  # a file name, not a value: ATTACH takes no parameters
            con.execute(f"ATTACH '{quoted}' AS {ALIAS} (READ_ONLY)")
            con.execute(f"USE {ALIAS}")
            found, build_id = _build_info(con)
        except duckdb.Error:
            con.close()
            if _stat(path) != before:
                continue  # replaced while attaching: try the new file
            raise
        if _stat(path) != before:
            con.close()
            continue
        if found != SCHEMA_VERSION:
            con.close()
            raise WarehouseOutdated(f"{path} was built with warehouse schema {found}, this dashboard reads schema "
                                    f"{SCHEMA_VERSION}: rebuild it with `make db`")
        return Snapshot(before, con, build_id)
    raise WarehouseMissing(f"{path} kept changing while it was opened: is a build writing it in place?")


def _build_info(con: duckdb.DuckDBPyConnection) -> tuple[int | None, str]:
    try:
        found, build_id = con.sql("SELECT schema_version, build_id FROM build_info").fetchall()[0]
    except (duckdb.Error, IndexError):
        return None, ""
    return found, build_id


def _acquire(path: Path) -> Snapshot:
    """The snapshot of the file now at `path`, with one more user; a rebuilt file gets a new snapshot and the old
    one is closed once its last user is done."""
    now = _stat(path)
    with _lock:
        snap = _current.get(path)
        if snap is None or snap.version != now:
            fresh = _open(path)
            if snap is not None:
                snap.retired = True
                if snap.users == 0:
                    snap.con.close()
            _current[path] = snap = fresh
        snap.users += 1
        return snap


def _release(snap: Snapshot) -> None:
    with _lock:
        snap.users -= 1
        if snap.retired and snap.users == 0:
            snap.con.close()


@contextlib.contextmanager
def pinned() -> Iterator[None]:
    """Every query in this block (and the `cached` answers it uses) reads one snapshot per path: the app wraps each
    request in it, briefs wrap a whole brief. Nested blocks share the outer pins."""
    if _pins.get() is not None:
        yield
        return
    token = begin_pins()
    try:
        yield
    finally:
        end_pins(token)


def begin_pins() -> contextvars.Token:
    """Start pinning (for request hooks that cannot use a `with` block); end with `end_pins`."""
    return _pins.set({})


def end_pins(token: contextvars.Token) -> None:
    """Release the snapshots pinned since `begin_pins` (a retired one closes when its last user is done)."""
    pins = _pins.get() or {}
    _pins.reset(token)
    for snap in pins.values():
        _release(snap)


def pinned_build(path: Path | None = None) -> str | None:
    """The build id of the snapshot this request reads, if it has read one."""
    snap = (_pins.get() or {}).get(path or db_path())
    return snap.build_id if snap else None


@contextlib.contextmanager
def _snapshot(path: Path) -> Iterator[Snapshot]:
    pins = _pins.get()
    if pins is not None:
        if path not in pins:
            pins[path] = _acquire(path)
        yield pins[path]
        return
    snap = _acquire(path)
    try:
        yield snap
    finally:
        _release(snap)


def query(sql: str, params: dict | None = None, path: Path | None = None) -> pl.DataFrame:
    """Run one read-only query with bound parameters ($name) and return a polars frame.

    `sql` must be a constant string written in mission/; values always go through `params`."""
    with _snapshot(path or db_path()) as snap:
        cursor = snap.cursor()
        try:
            return cursor.sql(sql, params=params or {}).pl()
        finally:
            cursor.close()


def cached(function: Callable[..., T]) -> Callable[..., T]:
    """Memoise a read-only question per warehouse version: a rebuilt file gives fresh answers.

    The wrapped function takes `path` as a keyword; results must not be mutated (polars frames are not). The call
    is pinned, so the answer and its cache key come from one snapshot. Threads that ask the same question at once
    (a page's callbacks arrive together) wait for the first to answer it instead of each computing it."""
    memo = functools.lru_cache(maxsize=64)(lambda _version, path, _language, *args: function(*args, path=path))
    asking: dict[tuple, threading.RLock] = {}
    asking_lock = threading.Lock()

    @functools.wraps(function)
    def wrapper(*args, path: Path | None = None) -> T:
        path = path or db_path()
        with pinned(), _snapshot(path) as snap:
            # An answer may hold words (labels, sentences): it is kept per language too.
            key = (snap.version, path, i18n.current(), *args)
            with asking_lock:
                question = asking.setdefault(key, threading.RLock())
            try:
                with question:
                    return memo(*key)
            finally:
                with asking_lock:
                    asking.pop(key, None)

    wrapper.cache_clear = memo.cache_clear  # type: ignore[attr-defined]
    return wrapper


def close_all() -> None:
    """Close every snapshot (tests; a process about to exit)."""
    with _lock:
        for snap in _current.values():
            snap.con.close()
        _current.clear()
