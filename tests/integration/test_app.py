"""The app shell serves its pages from a read-only warehouse named by MISSION_DB."""

from __future__ import annotations

import importlib
import json

import pytest

from mission import db as mission_db
from tests.conftest import sha256


@pytest.fixture
def client(tiny_db, monkeypatch):
    monkeypatch.setenv("MISSION_DB", str(tiny_db))
    mission_db.close_all()
    import app

    importlib.reload(app)
    yield app.server.test_client()
    mission_db.close_all()


def test_overview_layout_shows_warehouse_counts(client, tiny_db):
    before = sha256(tiny_db)
    assert client.get("/").status_code == 200
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200
    text = json.dumps(layout.get_json())
    assert "Cities Mission Dashboard" in text
    assert "Warehouse built" in text
    assert sha256(tiny_db) == before


def test_overview_counts_come_from_the_warehouse(tiny_db, monkeypatch):
    monkeypatch.setenv("MISSION_DB", str(tiny_db))
    mission_db.close_all()
    from mission import queries

    o = queries.mission_overview()
    assert (o["mission_cities"], o["countries"], o["newcomers"], o["labelled"]) == (2, 2, 1, 1)
    assert o["baselines_by_kind"] == {"modelled_estimate": 1, "reported": 1}
    mission_db.close_all()


def test_missing_warehouse_is_said_plainly(tmp_path, monkeypatch):
    monkeypatch.setenv("MISSION_DB", str(tmp_path / "nothing.duckdb"))
    mission_db.close_all()
    with pytest.raises(mission_db.WarehouseMissing, match="build it with `make db`"):
        mission_db.query("SELECT 1")
