"""deploy/publish-warehouse: a new build reaches every host whole, or none of them."""

from __future__ import annotations

import stat
import subprocess

from tests.conftest import ROOT

PUBLISH = str(ROOT / "deploy" / "publish-warehouse")


def test_every_host_gets_the_new_build_readable_by_all(tmp_path):
    built = tmp_path / "built.duckdb"
    built.write_bytes(b"new build")
    hosts = [tmp_path / name / "mission.duckdb" for name in ("app1", "app2")]
    for host in hosts:
        host.parent.mkdir()
        host.write_bytes(b"old build")
    subprocess.run(["sh", "-c", f"umask 077 && {PUBLISH} {built} {hosts[0]} {hosts[1]}"], check=True,
                   capture_output=True, timeout=30)
    for host in hosts:
        assert host.read_bytes() == b"new build"
        assert stat.S_IMODE(host.stat().st_mode) == 0o644  # whatever the publisher's umask
        assert [p.name for p in host.parent.iterdir()] == ["mission.duckdb"]  # nothing left beside it


def test_a_copy_that_fails_leaves_every_host_on_its_old_build(tmp_path):
    built = tmp_path / "built.duckdb"
    built.write_bytes(b"new build")
    good = tmp_path / "app1" / "mission.duckdb"
    good.parent.mkdir()
    good.write_bytes(b"old build")
    failed = subprocess.run([PUBLISH, str(built), str(good), str(tmp_path / "no-such-host-dir" / "mission.duckdb")],
                            capture_output=True, text=True, timeout=30)
    assert failed.returncode != 0 and "every host keeps its old build" in failed.stderr
    assert good.read_bytes() == b"old build"
    assert [p.name for p in good.parent.iterdir()] == ["mission.duckdb"]


def test_it_refuses_a_missing_build_and_says_how_it_is_used(tmp_path):
    missing = subprocess.run([PUBLISH, str(tmp_path / "nothing.duckdb"), str(tmp_path / "x.duckdb")],
                             capture_output=True, text=True, timeout=30)
    assert missing.returncode == 1 and "is not a built warehouse" in missing.stderr
    usage = subprocess.run([PUBLISH], capture_output=True, text=True, timeout=30)
    assert usage.returncode == 2 and "usage:" in usage.stderr
