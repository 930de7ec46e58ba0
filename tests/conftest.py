"""Shared fixtures: a copy of the tiny hand-checkable input folder, and warehouses built from it."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pytest

from etl.load import build

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "fixtures" / "tiny"
BUNDLED = ROOT / "data"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium for every browser test of the run (tests/e2e, tests/hosts): Playwright's sync API
    runs one at a time."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path

    executable = chromium_path()
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()


def klagenfurt_variant(folder: Path) -> Path:
    """A copy of the tiny inputs in `folder` with Klagenfurt's 2019 grand total at 2,500 t instead of 1,000 t (a
    rebuild that changes what pages show)."""
    other = folder / "variant"
    shutil.copytree(TINY, other)
    emissions = other / "emissions.csv"
    text = emissions.read_text(encoding="utf-8")
    assert "Klagenfurt,AT,2019,total,all,1000.0" in text
    emissions.write_text(text.replace("Klagenfurt,AT,2019,total,all,1000.0", "Klagenfurt,AT,2019,total,all,2500.0"),
                         encoding="utf-8")
    return other


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


CDP_FIXTURES = ROOT / "tests" / "fixtures" / "cdp"
CDP_2021 = CDP_FIXTURES / "invented_2021_layout.csv"
CDP_2020 = CDP_FIXTURES / "invented_2020_layout.csv"


@pytest.fixture(scope="session")
def tiny_cdp_db(tmp_path_factory) -> Path:
    """The tiny warehouse with the two CDP fixture files (invented figures in CDP's column layouts)."""
    db = tmp_path_factory.mktemp("tiny-cdp") / "mission.duckdb"
    build(TINY, db, with_cdp=[CDP_2021, CDP_2020])
    return db


@pytest.fixture(scope="session")
def bundled_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("bundled") / "mission.duckdb"
    build(BUNDLED, db)
    return db


def _pointed_at(db: Path, monkeypatch):
    from mission import db as mission_db

    monkeypatch.setenv("MISSION_DB", str(db))
    mission_db.close_all()
    yield db
    mission_db.close_all()


@pytest.fixture
def tiny(tiny_db, monkeypatch):
    """The read side pointed at the tiny warehouse (MISSION_DB), with fresh connections before and after."""
    yield from _pointed_at(tiny_db, monkeypatch)


@pytest.fixture
def tiny_cdp(tiny_cdp_db, monkeypatch):
    """The read side pointed at the tiny warehouse with the CDP fixtures."""
    yield from _pointed_at(tiny_cdp_db, monkeypatch)


def rows(db: Path, sql: str, params: dict | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(sql, params=params or {}).fetchall()
    finally:
        con.close()


@pytest.fixture
def bundled(bundled_db, monkeypatch):
    """The read side pointed at the warehouse of the bundled data (about 12,000 cities with the Covenant file)."""
    yield from _pointed_at(bundled_db, monkeypatch)
