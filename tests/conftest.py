"""Shared fixtures: a copy of the tiny hand-checkable input folder, and warehouses built from it."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.load import build

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "fixtures" / "tiny"
BUNDLED = ROOT / "data"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    """A private copy of tests/fixtures/tiny that a test may break."""
    target = tmp_path / "input"
    shutil.copytree(TINY, target)
    return target


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("tiny") / "mission.duckdb"
    build(TINY, db)
    return db


@pytest.fixture(scope="session")
def bundled_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("bundled") / "mission.duckdb"
    build(BUNDLED, db)
    return db


@pytest.fixture
def tiny(tiny_db, monkeypatch):
    """The read side pointed at the tiny warehouse (MISSION_DB), with fresh connections before and after."""
    from mission import db as mission_db

    monkeypatch.setenv("MISSION_DB", str(tiny_db))
    mission_db.close_all()
    yield tiny_db
    mission_db.close_all()


def rows(db: Path, sql: str, params: dict | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(sql, params=params or {}).fetchall()
    finally:
        con.close()
