"""The warehouse is rebuilt while the app serves: no request fails and no request mixes two builds."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from bench.dash_client import DashClient, start_gunicorn
from etl.load import build
from mission import db as mission_db
from mission.words import tonnes
from tests.conftest import ROOT, TINY, klagenfurt_variant, rows

OVERVIEW = {"home-country.value": [], "home-cohort.value": "", "home-label.value": "", "home-metric.value": "stage"}


def _replace_file(db: Path, data_dir: Path, scratch: Path) -> None:
    """A rebuild as `python -m etl build` does it (temporary file, then os.replace), fast enough to repeat."""
    build(data_dir, scratch)
    shutil.copy(scratch, db.with_name(".incoming"))
    db.with_name(".incoming").replace(db)


@pytest.fixture
def rebuild(tmp_path, monkeypatch):
    """The read side on a tiny warehouse (Klagenfurt's baseline 1,000 t); calling the fixture's value replaces the
    file with the variant (2,500 t), as a rebuild does."""
    db, scratch = tmp_path / "mission.duckdb", tmp_path / "scratch.duckdb"
    variant = klagenfurt_variant(tmp_path)
    build(TINY, db)
    monkeypatch.setenv("MISSION_DB", str(db))
    mission_db.close_all()
    yield lambda: _replace_file(db, variant, scratch)
    mission_db.close_all()


def test_a_pinned_request_reads_one_build_and_the_next_reads_the_new_one(rebuild):
    total = "SELECT tco2e FROM city_baseline WHERE city_id = 'klagenfurt'"
    with mission_db.pinned():
        assert mission_db.query(total)["tco2e"][0] == 1000.0
        rebuild()
        assert mission_db.query(total)["tco2e"][0] == 1000.0  # still the build this block started with
        # Meanwhile another caller (no pins) reads the new file, and the old snapshot stays open for us.
        seen = []
        thread = threading.Thread(target=lambda: seen.append(mission_db.query(total)["tco2e"][0]))
        thread.start()
        thread.join()
        assert seen == [2500.0]
        assert mission_db.query(total)["tco2e"][0] == 1000.0
    assert mission_db.query(total)["tco2e"][0] == 2500.0


def test_cached_answers_follow_the_pinned_build(rebuild):
    from mission import queries

    def klagenfurt() -> float:
        return queries.cities().filter(queries.pl.col("city_id") == "klagenfurt")["baseline_tco2e"][0]

    assert klagenfurt() == 1000.0
    with mission_db.pinned():
        assert klagenfurt() == 1000.0
        rebuild()
        assert klagenfurt() == 1000.0
    assert klagenfurt() == 2500.0


def test_requests_never_fail_or_mix_builds_while_gunicorn_serves_two_rebuilds(tmp_path):
    db = tmp_path / "mission.duckdb"
    variant = klagenfurt_variant(tmp_path)
    builds = {}
    for name, data in (("variant", variant), ("tiny", TINY)):  # learn both build ids; serve the tiny one first
        summary = build(data, db)
        (summed,), = rows(db, "SELECT sum(tco2e) FROM city_baseline")
        builds[summary.build_id[:12]] = {"baseline": tonnes(2500.0 if name == "variant" else 1000.0),
                                         "summed": tonnes(summed)}
    mission_db.close_all()
    process, base = start_gunicorn(db, 2)
    stop = threading.Event()
    failures: list[str] = []
    mixed: list[str] = []
    seen: dict[str, int] = {}

    def client() -> None:
        try:
            loop()
        except Exception as error:  # a client that dies is a failure, whatever killed it
            failures.append(f"client stopped: {type(error).__name__}: {error}")

    def loop() -> None:
        dash = DashClient(base)
        page, kpis = dash.page_body("/city/klagenfurt"), dash.body("home-kpis", OVERVIEW)
        while not stop.is_set():
            for method, path, body, check in (
                    ("get", "/_dash-layout", None, lambda b, r: f"(build {b}" in r.text),
                    ("post", "/_dash-update-component", page,
                     lambda b, r: f"Klagenfurt's 2019 baseline is {builds[b]['baseline']} CO2e" in r.text),
                    ("post", "/_dash-update-component", kpis, lambda b, r: builds[b]["summed"] in r.text)):
                try:
                    response = getattr(dash.session, method)(base + path, json=body, timeout=30)
                except requests.RequestException as error:
                    failures.append(f"{path}: {error}")
                    continue
                build_id = response.headers.get("X-Warehouse-Build")
                if response.status_code != 200 or build_id not in builds:
                    failures.append(f"{path}: {response.status_code} build {build_id}: {response.text[:200]}")
                    continue
                seen[build_id] = seen.get(build_id, 0) + 1
                if not check(build_id, response):
                    mixed.append(f"{path} answered by build {build_id}: {response.text[:300]}")

    threads = [threading.Thread(target=client) for _ in range(4)]
    try:
        for t in threads:
            t.start()
        time.sleep(1.0)
        for data in (variant, TINY):  # two real rebuilds, as an operator runs them
            subprocess.run([sys.executable, "-m", "etl", "build", "--data-dir", str(data), "--db", str(db)],
                           cwd=ROOT, check=True, capture_output=True)
            time.sleep(1.5)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
        process.terminate()
        process.wait(timeout=30)
    assert failures == [], failures[:5]
    assert mixed == [], mixed[:3]
    assert len(seen) == 2 and all(n > 0 for n in seen.values()), seen
    assert sum(seen.values()) > 50
    assert re.fullmatch(r"[0-9a-f]{12}", next(iter(seen)))
