"""The several-hosts layout on one machine, for the tests and the load benchmark: Redis, Celery workers, gunicorn
instances (each reading its own copy of the warehouse) and nginx in front with the configuration in deploy/nginx/,
all on free loopback ports, each started and stopped here within a bounded time. Also a client that asks for a
brief as a browser does (the background-callback protocol: start, then poll with the handles until it ends)."""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench.dash_client import DashClient, free_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NGINX_LOCATIONS = ROOT / "deploy" / "nginx" / "locations.conf"
NGINX_SITE = ROOT / "deploy" / "nginx" / "cities-mission.conf"
START_S = 60.0


def _wait(what: str, ready, process: subprocess.Popen | None, seconds: float = START_S) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode} while starting")
        try:
            if ready():
                return
        except (requests.RequestException, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} was not ready within {seconds:.0f} s")


def _stop(process: subprocess.Popen | None, kill: bool = False, seconds: float = 30.0) -> None:
    """Stop a process and everything it started (it leads its own process group)."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def need(program: str) -> str:
    """The path of a Debian program the several-hosts layout needs (redis-server, nginx)."""
    found = shutil.which(program) or next((p for p in (f"/usr/sbin/{program}", f"/usr/bin/{program}")
                                           if Path(p).is_file()), None)
    if not found:
        raise RuntimeError(f"{program} is not installed: `apt-get install redis-server nginx` (.ci/run does it)")
    return found


@dataclass
class Service:
    """One started process: its command, environment and log, so that it can be stopped and started again."""

    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    ready: Callable[[], bool]
    process: subprocess.Popen | None = None

    def start(self) -> Service:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        _wait(self.name, self.ready, self.process)
        return self

    def stop(self, kill: bool = False) -> None:
        _stop(self.process, kill=kill)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


@dataclass
class Cluster:
    """What a deployment on several hosts runs, on loopback, in `folder`. Start with `start()`, end with `stop()`."""

    folder: Path
    warehouse: Path  # a built warehouse, copied for each host
    instances: int = 2
    workers_per_instance: int = 1
    celery: bool = True  # False: no Redis, no worker; each instance makes briefs with its disk cache
    env: dict[str, str] = field(default_factory=dict)  # more settings for every process (MISSION_JOB_QUEUE_S...)
    services: dict[str, Service] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.redis_port, self.nginx_port = free_port(), free_port()
        self.app_ports = [free_port() for _ in range(self.instances)]
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.secret = secrets.token_hex(32)  # shared by the hosts, as MISSION_SECRET_KEY must be

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    def host_db(self, name: str) -> Path:
        """The warehouse copy of host `name` (instance names are 'app1', 'app2'...; the worker's is 'worker')."""
        return self.folder / name / "mission.duckdb"

    def _env(self, host: str) -> dict[str, str]:
        env = {**os.environ, "MISSION_DB": str(self.host_db(host)), "MISSION_LOG_LEVEL": "warning",
               "MISSION_CACHE_DIR": str(self.folder / host / "cache"), "MISSION_SECRET_KEY": self.secret, **self.env}
        env.pop("MISSION_REDIS_URL", None)
        if self.celery:
            env["MISSION_REDIS_URL"] = self.redis_url
        return env

    def start(self) -> Cluster:
        hosts = [f"app{i + 1}" for i in range(self.instances)] + (["worker"] if self.celery else [])
        for host in hosts:
            self.host_db(host).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(self.warehouse, self.host_db(host))
        try:
            if self.celery:
                self.start_redis()
                self.start_worker()
            for i in range(self.instances):
                self.start_instance(i)
            self.start_nginx()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for service in reversed(list(self.services.values())):
            service.stop()

    def start_redis(self) -> None:
        import redis

        client = redis.Redis(port=self.redis_port, socket_connect_timeout=1)
        self.services["redis"] = Service(
            "redis", [need("redis-server"), "--bind", "127.0.0.1", "--port", str(self.redis_port), "--save", "",
                      "--appendonly", "no", "--dir", str(self.folder)],
            dict(os.environ), self.folder / "redis.log", client.ping).start()

    def start_worker(self) -> None:
        if (old := self.services.get("worker")) is not None and old.running:
            raise RuntimeError("the worker is running: stop it first")
        log = self.folder / "worker.log"
        start = log.stat().st_size if log.exists() else 0
        self.services["worker"] = Service(
            "celery worker", [str(BIN / "celery"), "--app", "app:celery_app", "worker", "--loglevel", "info",
                              "--hostname", f"worker-{self.redis_port}@%h", "--without-gossip", "--without-mingle"],
            self._env("worker"), log, lambda: b" ready." in log.read_bytes()[start:]).start()

    def start_instance(self, i: int) -> None:
        if (old := self.services.get(f"app{i + 1}")) is not None and old.running:
            raise RuntimeError(f"app{i + 1} is running: stop it first")
        port = self.app_ports[i]
        self.services[f"app{i + 1}"] = Service(
            f"gunicorn app{i + 1}", [str(BIN / "gunicorn"), "--workers", str(self.workers_per_instance),
                                     "--bind", f"127.0.0.1:{port}", "--no-control-socket", "app:server"],
            self._env(f"app{i + 1}"), self.folder / f"app{i + 1}.log",
            lambda: requests.get(f"http://127.0.0.1:{port}/_dash-layout", timeout=2).status_code == 200).start()

    def start_nginx(self) -> None:
        conf = self.folder / "nginx.conf"
        conf.write_text(nginx_conf(self.folder, self.nginx_port, self.app_ports), encoding="utf-8")
        nginx = need("nginx")
        checked = subprocess.run([nginx, "-t", "-q", "-p", str(self.folder), "-c", str(conf)], capture_output=True,
                                 text=True, timeout=30)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx refused {conf}: {checked.stderr}")
        self.services["nginx"] = Service(
            "nginx", [nginx, "-p", str(self.folder), "-c", str(conf)], dict(os.environ), self.folder / "nginx.log",
            lambda: requests.get(self.base + "/_dash-layout", timeout=2).status_code == 200).start()

    def instance_base(self, i: int) -> str:
        return f"http://127.0.0.1:{self.app_ports[i]}"


def shipped_upstream(folder: Path, app_ports: list[int]) -> str:
    """The http-level part of deploy/nginx/cities-mission.conf (its upstream block and cache zone, everything before
    its first server block) with the app hosts replaced by the loopback instances and the cache moved to `folder`."""
    site = NGINX_SITE.read_text(encoding="utf-8")
    head = site[:site.index("\nserver {")]
    parameters = re.search(r"^\s*server \S+ (.*);$", head, re.M).group(1)  # e.g. max_fails=1 fail_timeout=2s
    servers = "\n".join(f"    server 127.0.0.1:{p} {parameters};" for p in app_ports)
    head = re.sub(r"(?:^\s*server \S+ .*;\n)+", servers + "\n", head, count=1, flags=re.M)
    return head.replace("/var/cache/nginx/mission", str(folder / "nginx-cache"))


def nginx_conf(folder: Path, port: int, app_ports: list[int]) -> str:
    """A whole nginx configuration for loopback: the shipped site's upstream and cache zone (`shipped_upstream`) and
    a server block around deploy/nginx/locations.conf (the rules a real site includes), with the paths an
    unprivileged prefix needs. Responses name the instance that answered in X-Upstream and whether the proxy's cache
    did in X-Cache (tests only: a real site does not show its internal addresses)."""
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""{user}
worker_processes 2;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log {folder}/nginx-access.log;
    client_body_temp_path {folder}/nginx-body;
    proxy_temp_path {folder}/nginx-proxy;
    fastcgi_temp_path {folder}/nginx-fastcgi;
    uwsgi_temp_path {folder}/nginx-uwsgi;
    scgi_temp_path {folder}/nginx-scgi;
{shipped_upstream(folder, app_ports)}
    server {{
        listen 127.0.0.1:{port};
        add_header X-Upstream $upstream_addr always;
        add_header X-Cache $upstream_cache_status always;
        include {NGINX_LOCATIONS};
    }}
}}
"""


# The brief, asked for as the page's button does.

@dataclass
class BriefOutcome:
    zip_bytes: bytes | None
    status: str  # what the page's status line says at the end
    polls: int
    answered_by: list[str]  # the X-Upstream of every answer (empty without nginx)
    seconds: float
    progress: list[object]


def end_id(session: requests.Session, base: str, page: str) -> str:
    """The signed token of a page load (the renderer sends it back with every callback)."""
    html = session.get(base + page, timeout=30).text
    config = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(config.group(1))["end_id"]


def ask_brief(base: str, page: str, subject: dict, seconds: float = 120.0,
              on_progress: Callable[[dict], None] | None = None,
              session: requests.Session | None = None, interval: float = 0.5) -> BriefOutcome:
    """Open `page`, press its brief button (with `subject`, the page's brief-subject store), poll every `interval`
    seconds as the renderer does until the job answers, and return what the page would show. `on_progress(progress)`
    is called with each progress update. `seconds` counts from the click."""
    session = session or requests.Session()
    token = end_id(session, base, page)
    client = DashClient(base, session)
    body = client.body("brief-download", {"brief-button.n_clicks": 1, "brief-subject.data": subject})
    answered_by, progress = [], []
    started = time.monotonic()
    first = session.post(f"{base}/_dash-update-component", params={"endId": token}, json=body, timeout=30)
    first.raise_for_status()
    handles = first.json()
    if "response" in handles:  # answered at once: the job could not be started
        return _outcome(handles["response"], 0, [first.headers.get("X-Upstream", "")], time.monotonic() - started,
                        progress)
    # The renderer sends the inputs empty while it polls.
    polling = {**body, "inputs": [{**i, "value": None} for i in body["inputs"]],
               "state": [{**s, "value": None} for s in body["state"]]}
    polls = 0
    while time.monotonic() - started < seconds:
        time.sleep(interval)
        polls += 1
        answer = session.post(f"{base}/_dash-update-component", json=polling, timeout=30,
                              params={"endId": token, "cacheKey": handles["cacheKey"], "job": handles["job"]})
        answered_by.append(answer.headers.get("X-Upstream", ""))
        answer.raise_for_status()
        data = answer.json()
        if "progress" in data:
            progress.append(data["progress"])
            if on_progress:
                on_progress(data["progress"])
        if "response" in data:
            return _outcome(data["response"], polls, answered_by, time.monotonic() - started, progress)
    raise TimeoutError(f"the brief did not end within {seconds:.0f} s ({polls} polls)")


def _outcome(outputs: dict, polls: int, answered_by: list[str], seconds: float, progress: list) -> BriefOutcome:
    download = (outputs.get("brief-download") or {}).get("data")
    content = base64.b64decode(download["content"]) if download and download.get("base64") else None
    status = (outputs.get("brief-status") or {}).get("children", "")
    return BriefOutcome(content, status, polls, answered_by, seconds, progress)
