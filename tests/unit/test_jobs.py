"""Where background jobs run, what their settings are, and how a lost job is told from a failed one."""

from __future__ import annotations

import subprocess
import time

import dash
import pytest
from dash.exceptions import BackgroundCallbackError

from ui import jobs


def test_without_redis_jobs_run_beside_the_app_with_a_disk_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("MISSION_REDIS_URL", raising=False)
    monkeypatch.setenv("MISSION_CACHE_DIR", str(tmp_path / "cache"))
    manager = jobs.manager()
    assert isinstance(manager, jobs.DiskJobs) and isinstance(manager.handle, jobs.ExpiringCache)
    assert manager.handle.directory == str(tmp_path / "cache")
    assert jobs.celery_of(manager) is None


def test_with_redis_the_hosts_shared_secret_is_required(monkeypatch):
    monkeypatch.setenv("MISSION_REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.delenv("MISSION_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="set MISSION_SECRET_KEY to the same long random value on every"):
        jobs.manager()


def test_with_redis_jobs_go_to_celery_workers_on_threads_with_expiring_results(monkeypatch):
    monkeypatch.setenv("MISSION_REDIS_URL", "redis://127.0.0.1:1/0")  # nothing is asked of it here
    monkeypatch.setenv("MISSION_SECRET_KEY", "a-secret")
    manager = jobs.manager()
    assert isinstance(manager, jobs.CeleryJobs) and isinstance(manager, dash.CeleryManager)
    app = jobs.celery_of(manager)
    assert app is manager.handle
    conf = app.conf
    assert conf.broker_url == conf.result_backend == "redis://127.0.0.1:1/0"
    assert conf.worker_pool == "threads"  # never prefork: polars and DuckDB are not fork-safe
    assert conf.result_expires == jobs.EXPIRE_S and conf.task_acks_late is False
    assert conf.worker_disable_prefetch is True and conf.task_track_started is True


def test_the_disk_cache_drops_what_nobody_collected(tmp_path, monkeypatch):
    monkeypatch.setattr(jobs, "EXPIRE_S", 1)
    cache = jobs.ExpiringCache(str(tmp_path))
    cache.set("result", "a brief")
    cache.set("kept", "for longer", expire=60)
    assert cache.get("result") == "a brief"
    time.sleep(1.2)
    assert cache.get("result") is None and cache.get("kept") == "for longer"


@pytest.mark.parametrize(("mark", "expected"), [(jobs.STOPPED, jobs.STOPPED), (jobs.NOT_STARTED, jobs.NOT_STARTED),
                                                (jobs.TOO_LONG, jobs.TOO_LONG), ("division by zero", None)])
def test_a_lost_job_is_told_from_an_error_of_the_job(mark, expected):
    # The error Dash makes of a manager's outcome, as the callback's on_error receives it.
    outcome = jobs._lost_outcome(mark) if mark != "division by zero" else {
        "background_callback_error": {"msg": mark, "tb": "Traceback..."}}
    error = BackgroundCallbackError(f"An error occurred inside a background callback: "
                                    f"{outcome['background_callback_error']['msg']}\n")
    assert jobs.lost(error) == expected


def test_a_disk_job_whose_process_is_gone_without_a_result_is_lost(tmp_path):
    manager = jobs.DiskJobs(jobs.ExpiringCache(str(tmp_path)))
    gone = 2**22 + 12345  # beyond Linux's default pid_max: no such process
    assert manager.get_result("no-result", gone) == jobs._lost_outcome(jobs.STOPPED)
    manager.handle.set("finished", ["the outputs"])
    assert manager.get_result("finished", gone) == ["the outputs"]  # a result is a result, process or not


def test_a_disk_job_that_runs_too_long_is_ended_and_said(tmp_path, monkeypatch):
    manager = jobs.DiskJobs(jobs.ExpiringCache(str(tmp_path)))
    stuck = subprocess.Popen(["sleep", "60"])
    try:
        assert manager.get_result("no-result", stuck.pid) is manager.UNDEFINED  # running, within the limit
        monkeypatch.setattr(jobs, "JOB_LIMIT_S", 0.0)
        assert manager.get_result("no-result", stuck.pid) == jobs._lost_outcome(jobs.TOO_LONG)
        stuck.wait(timeout=10)  # ended (sleep 60 would time out here; Dash's psutil reaps it, so no exit code)
    finally:
        stuck.kill()


def test_two_readers_asking_for_the_same_brief_get_a_job_each(tmp_path):
    manager = jobs.DiskJobs(jobs.ExpiringCache(str(tmp_path)))

    def brief(set_progress, clicks, subject):
        return subject

    same = [1, {"kind": "city", "key": "klagenfurt", "lang": "en"}]
    assert manager.build_cache_key(brief, same, [], None) != manager.build_cache_key(brief, same, [], None)
