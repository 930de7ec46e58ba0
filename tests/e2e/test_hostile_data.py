"""Names, actions, notes and sources that contain HTML or script are shown as text: the browser runs nothing."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from etl.load import build
from mission import db as mission_db
from tests.conftest import TINY, rows
from tests.e2e.conftest import Visit

CITY = '<img src=x onerror="window.__xss=1">Evil<script>window.__xss=2</script>'
ACTION = "<script>window.__xss=3</script>Insulate <b>everything</b>"
NOTE = "<img src=x onerror=window.__xss=4> [click](javascript:window.__xss=5)"
SOURCE_TITLE = "<b onmouseover=window.__xss=6>Evil source</b> [x](javascript:window.__xss=7)"
PAGES = ("/", "/city/klagenfurt", "/portfolio?city=klagenfurt", "/scenarios?city=klagenfurt", "/newcomers",
         "/countries", "/country/AT", "/sources", "/data-quality")


def _append(path: Path, row: dict) -> None:
    with path.open(newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    with path.open("a", newline="", encoding="utf-8") as f:
        csv.DictWriter(f, fieldnames=header, lineterminator="\n").writerow(row)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("hostile") / "input"
    shutil.copytree(TINY, data)
    _append(data / "sources.csv", {"source_id": "evil-source", "title": SOURCE_TITLE, "producer": "<i>x</i>",
                                   "url": "javascript:window.__xss=8", "licence": "=HYPERLINK(\"x\")",
                                   "citation": "<script>window.__xss=9</script>", "notes": NOTE})
    _append(data / "cities.csv", {"city": CITY, "country_iso2": "AT", "cohort": "newcomer",
                                  "aliases": "<svg onload=window.__xss=10>", "source_id": "evil-source", "note": NOTE})
    _append(data / "city_locations.csv", {"city": CITY, "country_iso2": "AT", "lat": "46.6", "lon": "14.3",
                                          "coord_source_id": "evil-source", "population": "50000",
                                          "population_year": "2024", "population_source_id": "evil-source",
                                          "ref": NOTE})
    _append(data / "actions.csv", {"action_id": "klagenfurt-99", "city": "Klagenfurt", "country_iso2": "AT",
                                   "action_name": ACTION, "field_of_action": "built_environment",
                                   "ghg_reduction_tco2e": "10", "ghg_basis": "per_year", "cost_eur": "1000",
                                   "responsible": "<script>window.__xss=11</script>", "source_id": "evil-source",
                                   "ref": NOTE, "note": NOTE})
    db = data.parent / "mission.duckdb"
    build(data, db)
    return db


@pytest.fixture
def hostile(hostile_db, live_server, monkeypatch):
    """The live server reading the hostile warehouse for this test (it reads MISSION_DB on every request)."""
    monkeypatch.setenv("MISSION_DB", str(hostile_db))
    yield hostile_db
    mission_db.close_all()


def _nothing_ran(tab) -> None:
    assert tab.evaluate("() => window.__xss") is None
    assert tab.evaluate("() => document.querySelectorAll('img[src=\"x\"], svg[onload], [onerror], [onmouseover]')"
                        ".length") == 0


def test_script_in_the_data_is_shown_as_text_and_never_runs(page: Visit, hostile) -> None:
    (city_id,), = rows(hostile, "SELECT city_id FROM city WHERE cohort = 'newcomer' AND country_iso2 = 'AT'")
    tab = page.goto(f"/city/{city_id}")
    expect(tab.locator("#city-name")).to_have_text(CITY)
    expect(tab.locator("#city-sources")).to_contain_text("<b onmouseover=window.__xss=6>Evil source</b>")
    _nothing_ran(tab)
    for path in PAGES:
        tab = page.goto(path)
        _nothing_ran(tab)
    tab = page.goto("/portfolio?city=klagenfurt")
    expect(tab.locator("#portfolio-grid")).to_contain_text(ACTION)
    tab = page.goto("/sources")
    expect(tab.locator("#sources-grid")).to_contain_text("<b onmouseover=window.__xss=6>Evil source</b>")
    assert tab.locator("#sources-grid a[href^='javascript']").count() == 0
    tab = page.goto("/newcomers")
    expect(tab.locator("#newcomers-grid")).to_contain_text("Evil<script>window.__xss=2</script>")
    _nothing_ran(tab)


def test_the_content_security_policy_blocks_a_script_that_got_into_the_page(page: Visit) -> None:
    tab = page.goto("/")
    tab.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__csp = 1';"
                 " document.body.appendChild(s); }")
    assert tab.evaluate("() => window.__csp") is None
    blocked = [e for e in page.console_errors if "Content Security Policy" in e]
    assert blocked, page.console_errors
    page.console_errors.clear()  # the refusal is what this test expects
