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


def test_missing_warehouse_is_said_plainly(tmp_path, monkeypatch):
    monkeypatch.setenv("MISSION_DB", str(tmp_path / "nothing.duckdb"))
    mission_db.close_all()
    with pytest.raises(mission_db.WarehouseMissing, match="build it with `make db`"):
        mission_db.query("SELECT 1")


def test_every_page_says_plainly_when_the_warehouse_is_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("MISSION_DB", str(tmp_path / "nothing.duckdb"))
    mission_db.close_all()
    import app

    importlib.reload(app)
    client = app.server.test_client()
    samples = {"<city_id>": "klagenfurt", "<iso2>": "AT"}
    paths = []
    for page in app.dash.page_registry.values():
        if page["module"] in {"pages.not_found_404", "pages.accessibility"}:  # they read nothing
            continue
        path = page.get("path_template") or page["path"]
        for template, value in samples.items():
            path = path.replace(template, value)
        paths.append(path)
    assert {"/", "/city/klagenfurt", "/country/AT", "/sources", "/portfolio"} <= set(paths)
    for path in paths:
        assert client.get(path).status_code == 200
        body = {"output": ".._pages_content.children..._pages_store.data..",
                "outputs": [{"id": "_pages_content", "property": "children"},
                            {"id": "_pages_store", "property": "data"}],
                "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                           {"id": "_pages_location", "property": "search", "value": ""}],
                "changedPropIds": ["_pages_location.pathname"], "state": []}
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 200, path
        assert "build it with `make db`" in json.dumps(response.get_json()), path


def test_a_warehouse_of_another_schema_version_is_refused_with_a_way_out(tiny_db, tmp_path, monkeypatch):
    import shutil

    import duckdb

    old = tmp_path / "old.duckdb"
    shutil.copy(tiny_db, old)
    con = duckdb.connect(str(old))
    con.execute("UPDATE build_info SET schema_version = 1")
    con.close()
    mission_db.close_all()
    expected = f"schema 1, this dashboard reads schema {mission_db.SCHEMA_VERSION}: rebuild it"
    with pytest.raises(mission_db.WarehouseOutdated, match=expected):
        mission_db.query("SELECT 1", path=old)
    mission_db.close_all()
