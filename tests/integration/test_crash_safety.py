"""A build killed with SIGKILL at any moment leaves the previous database intact, and nothing it leaves behind
stops the next build."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from bench.etl_scale import generate
from etl.load import build
from tests.conftest import ROOT, TINY, sha256

# Seconds after the start, or the moment the temporary database appears (and a little later, mid-write).
MOMENTS = (0.3, 1.5, 3.0, "temporary file appears", "0.7 s into writing")


def _temporary_files(db: Path) -> list[Path]:
    return sorted(p for p in db.parent.iterdir() if p.name.startswith(f".{db.name}.") and ".tmp" in p.name)


def _wait_for_temporary_file(db: Path, process: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not _temporary_files(db) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)


def test_a_build_killed_at_any_moment_keeps_the_old_database_and_the_next_build_works(tmp_path):
    synthetic = tmp_path / "synthetic"
    generate(synthetic, 10_000)  # clearly synthetic data, in a temporary folder
    db = tmp_path / "mission.duckdb"
    build(TINY, db)
    before = sha256(db)
    leftovers: list[str] = []
    for moment in MOMENTS:
        process = subprocess.Popen([sys.executable, "-m", "etl", "build", "--data-dir", str(synthetic), "--db",
                                    str(db)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if isinstance(moment, float):
            time.sleep(moment)
        else:
            _wait_for_temporary_file(db, process)
            if moment.startswith("0.7"):
                time.sleep(0.7)
        assert process.poll() is None, f"the build ended before the kill at {moment!r}: kill it earlier"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert sha256(db) == before, f"killed at {moment!r}, the old database changed"
        con = duckdb.connect(str(db), read_only=True)
        try:
            assert con.sql("SELECT count(*) FROM city").fetchall() == [(3,)]
        finally:
            con.close()
        leftovers += [p.name for p in _temporary_files(db)]
    assert leftovers, "no kill landed while the temporary database was being written"
    summary = build(TINY, db)  # the next build: cleans up after the killed ones and replaces the file
    assert summary.rows["city"] == 3
    assert _temporary_files(db) == []
