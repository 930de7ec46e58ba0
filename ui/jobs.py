"""Where the background jobs (the briefs) run: Celery workers on Redis with several hosts, a disk cache on one.

- `MISSION_REDIS_URL` set (several app hosts): Celery workers (`make worker`) take the jobs from Redis, which also
  keeps their progress and results, so a job started through one host is followed through any other.
- otherwise (one host): a process beside the app for each job, with progress and results in a disk cache
  (`MISSION_CACHE_DIR`) that every gunicorn worker of the host shares.

Either way results expire (`MISSION_JOB_EXPIRE_S`) if nobody collects them, and a job whose process died, that no
worker took, or that runs too long ends the page's wait with a message (`lost`) instead of a progress bar that
never ends: Dash knows only "running" or "finished", so the managers below tell it when a job is lost."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import dash
import diskcache
import redis as redis_client
from dash.exceptions import PreventUpdate

if TYPE_CHECKING:
    import celery

# A result nobody collected (the reader closed the page) is dropped after this long.
EXPIRE_S = int(os.environ.get("MISSION_JOB_EXPIRE_S") or 3600)
# A job no Celery worker started within this long is given up (workers busy with a long queue, or none running).
QUEUE_PATIENCE_S = int(os.environ.get("MISSION_JOB_QUEUE_S") or 120)
# A running Celery job renews its heartbeat this often; when it is older than BEAT_TTL_S, the job's worker is gone.
BEAT_S = 2.0
BEAT_TTL_S = 10
# A job still running after this long is given up (a brief takes seconds; one that runs on is stuck, e.g. in the
# headless browser): its page is told, and a job process beside the app is ended.
JOB_LIMIT_S = float(os.environ.get("MISSION_JOB_LIMIT_S") or 300)
# What a lost job's outcome says, for `lost()` to recognise it in the error Dash makes of it.
STOPPED = "mission-job-stopped"
NOT_STARTED = "mission-job-not-started"
TOO_LONG = "mission-job-too-long"
OVERDUE = b"overdue"  # the heartbeat of a job given up for running too long

log = logging.getLogger(__name__)


def manager() -> dash.CeleryManager | dash.DiskcacheManager:
    """The background-callback manager this process uses (see the module's docstring)."""
    url = os.environ.get("MISSION_REDIS_URL")
    if url:
        if not os.environ.get("MISSION_SECRET_KEY"):
            # The page that starts a job and the host that answers its next poll must share the secret that signs
            # the job's handles. Without one, Dash would keep one in Redis and, whenever Redis cannot be reached,
            # fall back silently to a secret of the process's own: briefs would then end without a word.
            raise RuntimeError(
                "MISSION_REDIS_URL is set but MISSION_SECRET_KEY is not: set MISSION_SECRET_KEY to the same long "
                "random value on every app host and worker, e.g. the output of "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`.")
        return CeleryJobs(celery_app(url))
    cache_dir = Path(os.environ.get("MISSION_CACHE_DIR") or Path(tempfile.gettempdir()) / "cities-mission-cache")
    # Jobs start with "spawn", not "fork": polars and DuckDB are not fork-safe (a forked job hangs or crashes).
    import multiprocess

    multiprocess.set_start_method("spawn", force=True)
    return DiskJobs(ExpiringCache(str(cache_dir)))


def celery_app(url: str) -> celery.Celery:
    """The Celery application of the app hosts and of `make worker`: Redis as broker and result store."""
    import celery

    # The worker logs each job it takes and ends; the headless browser's own steps (PNGs) are not worth a line each.
    for name in ("kaleido", "choreographer"):
        logging.getLogger(name).setLevel(logging.WARNING)
    app = celery.Celery("cities_mission", broker=url, backend=url)
    app.conf.update(
        # polars and DuckDB are not fork-safe: Celery's default pool (prefork) forks the worker after the app is
        # imported, and a job that uses polars in a forked child hangs for ever. Threads share one process, which
        # imported everything once; they also share its warehouse snapshot and caches. Jobs mostly wait for the
        # headless browser (PNGs) or write the PDF, so two threads keep a core busy.
        worker_pool="threads",
        worker_concurrency=int(os.environ.get("MISSION_WORKER_THREADS") or 2),
        # A worker takes a job from the queue only when one of its threads is free (Redis broker), so a job never
        # waits behind a busy worker while another is idle.
        worker_disable_prefetch=True,
        worker_prefetch_multiplier=1,
        # A job is acknowledged when a worker takes it: if that worker dies the job is not run again behind the
        # reader's back; the page says it stopped and the reader asks again.
        task_acks_late=False,
        task_track_started=True,  # "started" tells a job that was running from one still in the queue
        result_expires=EXPIRE_S,
        redis_socket_connect_timeout=5,
        redis_socket_timeout=30,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
    )
    return app


def lost(error: Exception) -> str | None:
    """For the error a background callback ended with: NOT_STARTED, STOPPED or TOO_LONG if the job was lost (see
    the managers below), None for an error of the job itself."""
    text = str(error)
    return next((mark for mark in (NOT_STARTED, STOPPED, TOO_LONG) if mark in text), None)


def _lost_outcome(mark: str) -> dict:
    # The shape Dash's own managers give a job that raised: Dash passes it to the callback's `on_error`.
    return {"background_callback_error": {"msg": mark, "tb": ""}}


class _OneJobPerClick:
    """Dash names a job's result and progress after the callback and its arguments, so two readers asking for the
    same brief would share them: the first to collect the result would take the other's, which would then be
    reported lost. Every job gets names of its own (results are never reused: no `cache_by`)."""

    def build_cache_key(self, fn, args, cache_args_to_ignore, triggered) -> str:
        return super().build_cache_key(fn, args, cache_args_to_ignore, triggered) + uuid.uuid4().hex


class ExpiringCache(diskcache.Cache):
    """A disk cache whose entries expire after EXPIRE_S unless told otherwise: Dash stores a job's progress and
    result without a lifetime, so a result nobody collected would stay on disk."""

    def set(self, key, value, expire=None, read=False, tag=None, retry=False):
        return super().set(key, value, expire=EXPIRE_S if expire is None else expire, read=read, tag=tag,
                           retry=retry)


class DiskJobs(_OneJobPerClick, dash.DiskcacheManager):
    """Jobs in processes beside the app, on one host. A job whose process is gone without a result is lost; one
    whose process has run longer than JOB_LIMIT_S is ended."""

    def get_result(self, key, job):
        result = super().get_result(key, job)
        if result is not self.UNDEFINED or job is None:
            return result
        if not self.job_running(job):
            if self.result_ready(key):  # it finished between the two looks
                return super().get_result(key, job)
            return _lost_outcome(STOPPED)
        if _age(int(job)) > JOB_LIMIT_S:
            log.warning("a brief's process (pid %s) ran longer than %g s: it is ended", job, JOB_LIMIT_S)
            self.terminate_job(job)
            return _lost_outcome(TOO_LONG)
        return result


def _age(pid: int) -> float:
    import psutil

    try:
        return time.time() - psutil.Process(pid).create_time()
    except psutil.Error:
        return 0.0


class CeleryJobs(_OneJobPerClick, dash.CeleryManager):
    """Jobs on Celery workers, on any host. Each job has a heartbeat key in Redis: set when the job is queued (it
    lives QUEUE_PATIENCE_S), then renewed by the job every BEAT_S while it runs (it lives BEAT_TTL_S). A job with no
    result and no heartbeat is lost: its worker died, or no worker took it in time."""

    def __init__(self, celery_app, cache_by=None, expire=None):
        self.redis = celery_app.backend.client
        super().__init__(celery_app, cache_by=cache_by, expire=expire)

    @staticmethod
    def beat_key(job: str) -> str:
        return f"mission-job-alive:{job}"

    def make_job_fn(self, fn, progress, key=None):
        return super().make_job_fn(_with_heartbeat(fn, self.redis, self.beat_key), progress, key)

    def call_job_fn(self, key, job_fn, args, context):
        # The job's id is chosen here so that its heartbeat exists before any worker can take it.
        job = str(uuid.uuid4())
        self.redis.set(self.beat_key(job), "queued", ex=QUEUE_PATIENCE_S)
        job_fn.apply_async((key, self._make_progress_key(key), args, context), task_id=job)
        return job

    def get_result(self, key, job):
        result = super().get_result(key, job)
        if result is not self.UNDEFINED or job is None:
            return result
        heartbeat = self.redis.get(self.beat_key(job))
        if isinstance(heartbeat, str):  # a Redis URL with decode_responses=true
            heartbeat = heartbeat.encode()
        if heartbeat is not None and heartbeat != OVERDUE:
            return result  # queued or running
        if self.result_ready(key):  # it finished between the two looks
            return super().get_result(key, job)
        if heartbeat == OVERDUE:
            return _lost_outcome(TOO_LONG)
        started = self.get_task(job).status != "PENDING"
        return _lost_outcome(STOPPED if started else NOT_STARTED)

    def terminate_job(self, job) -> None:
        # Dash asks to terminate a job once its result is collected, and when its page asks for another. A thread
        # cannot be terminated (Celery's threads pool refuses, with a traceback in the worker's log): the job is
        # revoked instead, which drops it if it is still queued; one that runs finishes and its result expires.
        if job is not None:
            self.handle.control.revoke(job)


def _with_heartbeat(fn: Callable[..., object], redis: redis_client.Redis,
                    beat_key: Callable[[str], str]) -> Callable[..., object]:
    """`fn` run by a Celery worker, renewing the job's heartbeat from a thread while it runs, for JOB_LIMIT_S at
    most: then the heartbeat says "overdue" and the page gives up (a thread cannot be stopped from outside; the job
    runs on, and its result, if any, expires uncollected)."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        from celery import current_task

        key, stop = beat_key(current_task.request.id), threading.Event()
        # A job whose page gave up waiting while it was queued (its heartbeat expired) is not run: nobody would
        # collect it. Otherwise its heartbeat now says "running".
        if not redis.set(key, "running", ex=BEAT_TTL_S, xx=True):
            raise PreventUpdate

        started = time.monotonic()

        def beat() -> None:
            while not stop.wait(min(BEAT_S, max(0.0, started + JOB_LIMIT_S - time.monotonic()))):
                overdue = time.monotonic() - started >= JOB_LIMIT_S
                with contextlib.suppress(redis_client.RedisError):  # unreachable a moment: the next beat tries again
                    redis.set(key, OVERDUE if overdue else "running", ex=EXPIRE_S if overdue else BEAT_TTL_S)
                if overdue:
                    log.warning("job %s ran longer than %g s: its page was told so", key, JOB_LIMIT_S)
                    return

        beating = threading.Thread(target=beat, name=f"heartbeat {key}", daemon=True)
        beating.start()
        try:
            return fn(*args, **kwargs)
        finally:
            stop.set()
            beating.join(timeout=5)

    return run


def celery_of(jobs: dash.CeleryManager | dash.DiskcacheManager) -> celery.Celery | None:
    """The Celery application behind `jobs` (what `celery --app app:celery_app worker` runs), else None."""
    return jobs.handle if isinstance(jobs, CeleryJobs) else None
