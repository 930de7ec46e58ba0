"""The several-hosts layout as it runs, on loopback: Redis, a Celery worker and two gunicorn instances (each with its
own copy of the warehouse) behind nginx with deploy/nginx/locations.conf. Each test starts its own and stops it."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import threading
import time
import zipfile
from pathlib import Path

import psutil
import pytest
import redis
import requests

from bench.cluster import Cluster, ask_brief, end_id, need
from bench.dash_client import DashClient
from etl.load import build
from mission.words import tonnes
from tests.conftest import ROOT, TINY, klagenfurt_variant

pytestmark = pytest.mark.hosts

KLAGENFURT = {"kind": "city", "key": "klagenfurt", "lang": "en"}
OVERVIEW = {"home-country.value": [], "home-cohort.value": "", "home-label.value": "", "home-metric.value": "stage"}
STOPPED = "The brief stopped before it was finished: the server making it went away. Please ask again."
NOT_STARTED = ("The brief was not started: the servers that make briefs are busy or not running. Please ask again "
               "in a few minutes.")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("built") / "mission.duckdb"
    build(TINY, db)
    return db


@pytest.fixture
def cluster(tmp_path, warehouse):
    # A job nobody takes is given up after 6 s here (2 minutes by default), so that the test of it is short.
    started = Cluster(tmp_path / "hosts", warehouse, env={"MISSION_JOB_QUEUE_S": "6"}).start()
    yield started
    started.stop()


class Loop:
    """Readers opening a city page through nginx in a loop (the page, its layout, its callback list, its drawing,
    the overview's figures), counting every failed request and which instance answered."""

    def __init__(self, base: str, readers: int = 4, check=None) -> None:
        self.base, self.check = base, check
        self.stop, self.failures, self.answers = threading.Event(), [], []
        self.threads = [threading.Thread(target=self._reader) for _ in range(readers)]

    def __enter__(self) -> Loop:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)

    def _reader(self) -> None:
        try:
            dash = DashClient(self.base)
            steps = [("get", "/city/klagenfurt", None), ("get", "/_dash-layout", None),
                     ("get", "/_dash-dependencies", None),
                     ("post", "/_dash-update-component", dash.page_body("/city/klagenfurt")),
                     ("post", "/_dash-update-component", dash.body("home-kpis", OVERVIEW))]
        except requests.RequestException as error:
            self.failures.append(f"reader could not start: {error}")
            return
        while not self.stop.is_set():
            for method, path, body in steps:
                try:
                    response = getattr(dash.session, method)(self.base + path, json=body, timeout=30)
                except requests.RequestException as error:
                    self.failures.append(f"{path}: {type(error).__name__}: {error}")
                    continue
                if response.status_code != 200:
                    self.failures.append(f"{path}: {response.status_code} {response.text[:200]}")
                    continue
                self.answers.append((time.monotonic(), response.headers.get("X-Upstream", ""),
                                     response.headers.get("X-Warehouse-Build", ""), path, response.text))
                if self.check and (problem := self.check(path, response)):
                    self.failures.append(problem)


def test_nginx_passes_the_security_headers_and_keeps_versioned_files_compressed_and_cached(cluster):
    page = requests.get(cluster.base + "/", timeout=30)
    assert page.status_code == 200
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
                   "Cross-Origin-Opener-Policy", "Permissions-Policy"):
        assert header in page.headers, header
    assert page.headers["Content-Security-Policy"].count("default-src") == 1  # passed once, not added again
    assert "nginx/" not in page.headers.get("Server", "")
    scripts = re.findall(r'<script src="(/_dash-component-suites/[^"]+)"', page.text)
    assert scripts
    first = requests.get(cluster.base + scripts[0], headers={"Accept-Encoding": "gzip"}, timeout=30)
    again = requests.get(cluster.base + scripts[0], headers={"Accept-Encoding": "gzip"}, timeout=30)
    assert first.status_code == again.status_code == 200
    assert first.headers["X-Cache"] in {"MISS", "EXPIRED"} and again.headers["X-Cache"] == "HIT"
    assert again.headers["Content-Encoding"] == "gzip" and again.content == first.content
    assert "max-age=31536000" in again.headers["Cache-Control"] and "immutable" in again.headers["Cache-Control"]
    assert "X-Content-Type-Options" in again.headers  # the cached copy keeps the app's headers
    # A file without a version in its address (a script chunk dcc loads by name) is never kept by the proxy: a new
    # Dash would otherwise get the old chunk.
    chunk = "/_dash-component-suites/dash/dcc/async-graph.js"
    assert [requests.get(cluster.base + chunk, timeout=30).headers["X-Cache"] for _ in range(2)] == ["MISS", "MISS"]
    # A file nobody has: the app's 404, never cached as something else.
    assert requests.get(cluster.base + "/assets/nothing-here.js", timeout=30).status_code == 404


def test_a_brief_asked_through_nginx_completes_whichever_instance_answers(cluster):
    outcome = ask_brief(cluster.base, "/city/klagenfurt", KLAGENFURT)
    assert outcome.status == "The brief is ready."
    names = zipfile.ZipFile(io.BytesIO(outcome.zip_bytes)).namelist()
    assert any(n.endswith(".pdf") for n in names) and "baseline.png" in names
    # nginx sends the polls to both instances in turn: a job started through one is followed through the other.
    instances = {f"127.0.0.1:{p}" for p in cluster.app_ports}
    assert set(outcome.answered_by) == instances, outcome.answered_by
    assert outcome.progress, "the page saw no progress"


def test_nothing_a_job_leaves_in_redis_lives_for_ever(cluster):
    """A brief nobody collects (the reader left) expires with its progress and heartbeat."""
    session = requests.Session()
    dash = DashClient(cluster.base, session)
    token = end_id(session, cluster.base, "/city/klagenfurt")
    body = dash.body("brief-download", {"brief-button.n_clicks": 1, "brief-subject.data": KLAGENFURT})
    started = session.post(cluster.base + "/_dash-update-component", params={"endId": token}, json=body, timeout=30)
    assert {"cacheKey", "job"} <= set(started.json())
    store = redis.Redis(port=cluster.redis_port)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not store.keys("celery-task-meta-*"):  # written when the job ends
        time.sleep(0.5)
    assert store.keys("celery-task-meta-*"), "the brief did not end within 60 s"
    lifetimes = {key.decode(): store.ttl(key) for key in store.keys("*")
                 if not key.startswith((b"_kombu", b"unacked")) and store.type(key) == b"string"}
    assert lifetimes and all(0 < ttl <= 3600 for ttl in lifetimes.values()), lifetimes


def test_a_worker_killed_during_a_brief_ends_with_a_message_and_a_job_nobody_takes_too(cluster):
    killed: list[float] = []

    def kill_the_worker(_progress) -> None:
        if not killed:
            cluster.services["worker"].stop(kill=True)
            killed.append(time.monotonic())

    outcome = ask_brief(cluster.base, "/city/klagenfurt", KLAGENFURT, on_progress=kill_the_worker, seconds=60)
    assert killed, "the brief ended before the worker could be killed"
    assert outcome.zip_bytes is None and outcome.status == STOPPED
    assert time.monotonic() - killed[0] < 20  # the heartbeat lives 10 s
    # With no worker at all, a brief waits for one at most MISSION_JOB_QUEUE_S (6 s here), then says so.
    # (In the reader's language, here French.)
    waiting = ask_brief(cluster.base, "/city/klagenfurt?lang=fr", {**KLAGENFURT, "lang": "fr"}, seconds=60)
    assert waiting.zip_bytes is None and waiting.seconds < 20
    assert waiting.status.startswith("La note de synthèse n'a pas été lancée"), waiting.status
    # A worker started again takes the next brief (the one given up in the queue is dropped, not made).
    cluster.start_worker()
    again = ask_brief(cluster.base, "/city/klagenfurt", KLAGENFURT, seconds=60)
    assert again.status == "The brief is ready." and again.zip_bytes


def test_an_instance_stopped_during_a_loop_of_page_loads_costs_no_failed_request(cluster):
    with Loop(cluster.base) as loop:
        time.sleep(1.5)
        cluster.services["app1"].stop(kill=True)  # a host that dies
        time.sleep(2.0)
        cluster.start_instance(0)
        time.sleep(3.0)  # nginx tries a failed host again after 2 s (fail_timeout)
        stopped_at = time.monotonic()
        cluster.services["app2"].stop()  # a host taken down for maintenance (graceful)
        time.sleep(2.0)
    assert loop.failures == [], loop.failures[:5]
    app1, app2 = (f"127.0.0.1:{p}" for p in cluster.app_ports)
    # X-Upstream lists every instance nginx tried, the one that answered last: some requests were passed on.
    answered = [(a[0], a[1].split(", ")[-1], a[1]) for a in loop.answers]
    assert {a[1] for a in answered} == {app1, app2}
    assert any(", " in a[2] for a in answered), "no request was passed on to the other instance"
    after = [a for a in answered if a[0] > stopped_at + 0.5]
    assert after and {a[1] for a in after} == {app1}
    assert len(loop.answers) > 50


def test_both_instances_switch_to_a_rebuilt_warehouse_with_no_failed_request(cluster, tmp_path):
    built = tmp_path / "new" / "mission.duckdb"
    built.parent.mkdir()
    variant = klagenfurt_variant(tmp_path)
    new_build = build(variant, built).build_id[:12]
    old_build = requests.get(cluster.base + "/_dash-layout", timeout=30).headers["X-Warehouse-Build"]
    assert new_build != old_build
    baseline = {old_build: tonnes(1000.0), new_build: tonnes(2500.0)}

    def consistent(path: str, response: requests.Response) -> str | None:
        build_id = response.headers.get("X-Warehouse-Build")
        if path == "/_dash-dependencies":  # the list of callbacks reads no warehouse
            return None
        if build_id not in baseline:
            return f"{path}: unknown build {build_id}"
        if path == "/_dash-update-component" and "Klagenfurt's 2019 baseline" in response.text \
                and f"Klagenfurt's 2019 baseline is {baseline[build_id]} CO2e" not in response.text:
            return f"{path}: build {build_id} answered with another build's figures"
        return None

    with Loop(cluster.base, check=consistent) as loop:
        time.sleep(1.5)
        publishing = time.monotonic()
        subprocess.run([str(ROOT / "deploy" / "publish-warehouse"), str(built),
                        *(str(cluster.host_db(h)) for h in ("app1", "app2", "worker"))],
                       check=True, capture_output=True, timeout=60)
        published = time.monotonic()
        time.sleep(2.5)
    assert loop.failures == [], loop.failures[:5]
    read = [a for a in loop.answers if a[3] != "/_dash-dependencies"]
    before = {a[2] for a in read if a[0] < publishing}
    after = [a for a in read if a[0] > published + 0.5]  # answers sent after every host had its new file
    assert before == {old_build}
    assert after and {a[2] for a in after} == {new_build}
    assert {a[1] for a in after} == {f"127.0.0.1:{p}" for p in cluster.app_ports}
    # And the worker makes briefs from its new copy.
    outcome = ask_brief(cluster.base, "/city/klagenfurt", KLAGENFURT)
    assert outcome.status == "The brief is ready."


def test_without_redis_a_job_process_that_dies_ends_with_a_message(tmp_path, warehouse):
    """One host, the disk cache: the brief's process is killed while it works."""
    single = Cluster(tmp_path / "one", warehouse, instances=1, celery=False).start()
    try:
        app = psutil.Process(single.services["app1"].process.pid)
        killed: list[str] = []

        def kill_the_job(_progress) -> None:
            for process in app.children(recursive=True):
                with contextlib.suppress(psutil.Error):  # a process that ended meanwhile
                    if "multiprocess" in " ".join(process.cmdline()):  # the job's process (spawned)
                        process.kill()
                        killed.append(process.pid)

        outcome = ask_brief(single.base, "/city/klagenfurt", KLAGENFURT, on_progress=kill_the_job, seconds=60)
        assert killed and outcome.zip_bytes is None and outcome.status == STOPPED, (killed, outcome.status)
        assert ask_brief(single.base, "/city/klagenfurt", KLAGENFURT, seconds=90).status == "The brief is ready."
    finally:
        single.stop()


def test_with_redis_down_pages_are_served_and_a_brief_says_it_cannot_be_made(tmp_path, warehouse):
    """Redis is only for jobs: pages never need it (the hosts' shared secret is MISSION_SECRET_KEY, not in Redis)."""
    hosts = Cluster(tmp_path / "hosts", warehouse).start()
    try:
        hosts.services["redis"].stop()
        hosts.services["app1"].stop()
        hosts.start_instance(0)  # a host restarted while Redis is down
        hosts.services["app2"].stop()
        for path in ("/", "/city/klagenfurt", "/_dash-layout"):
            assert requests.get(hosts.base + path, timeout=30).status_code == 200, path
        outcome = ask_brief(hosts.base, "/city/klagenfurt", KLAGENFURT, seconds=60)
        assert outcome.zip_bytes is None and outcome.seconds < 15
        assert outcome.status.startswith("The brief could not be made because of an error on the server")
    finally:
        hosts.stop()


@pytest.mark.browser
def test_in_the_browser_a_brief_whose_worker_dies_ends_and_the_next_one_downloads(cluster, browser):
    """What the reader sees: the progress bar goes away with the message, the button works again, and once a worker
    is back the brief downloads (through nginx, its polls spread over both instances)."""
    from playwright.sync_api import expect

    from tests.e2e.conftest import download_brief, wait_for_dash

    store = redis.Redis(port=cluster.redis_port)
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(cluster.base + "/city/klagenfurt")
        wait_for_dash(tab)
        button, status = tab.locator("#brief-button"), tab.locator("#brief-status")
        button.click()
        deadline = time.monotonic() + 30
        while not any(store.get(k) == b"running" for k in store.keys("mission-job-alive:*")):
            assert time.monotonic() < deadline, "no worker started the brief"
            time.sleep(0.05)
        cluster.services["worker"].stop(kill=True)
        expect(status).to_have_text(STOPPED, timeout=30_000)
        expect(tab.locator("#brief-progress")).to_have_css("visibility", "hidden")
        expect(button).to_be_enabled()

        cluster.start_worker()
        brief = download_brief(tab, timeout_ms=60_000)
        expect(status).to_have_text("The brief is ready.")
        assert brief.pdf_name.endswith(".pdf")
    finally:
        context.close()


def test_a_celery_job_that_runs_too_long_is_given_up_and_said(tmp_path, warehouse):
    """MISSION_JOB_LIMIT_S (300 s by default; 0.5 s here, and a worker's first brief takes seconds: it starts the
    headless browser)."""
    hosts = Cluster(tmp_path / "hosts", warehouse, instances=1, env={"MISSION_JOB_LIMIT_S": "0.5"}).start()
    try:
        outcome = ask_brief(hosts.base, "/city/klagenfurt", KLAGENFURT, seconds=60)
        assert outcome.zip_bytes is None and outcome.seconds < 10
        assert outcome.status.startswith("The brief took too long and was given up."), outcome.status
        assert "ran longer than 0.5 s" in (hosts.folder / "worker.log").read_text(encoding="utf-8")
    finally:
        hosts.stop()


def test_the_sites_nginx_configuration_is_valid_as_shipped(tmp_path):
    """deploy/nginx/cities-mission.conf with locations.conf, as an operator installs them (only the paths of the
    certificate, the cache and the include are moved here), passes `nginx -t` with Debian's nginx."""
    key, cert = tmp_path / "privkey.pem", tmp_path / "fullchain.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=mission-dashboard.example.eu", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    site = (ROOT / "deploy" / "nginx" / "cities-mission.conf").read_text(encoding="utf-8")
    for shipped, here in (("/etc/nginx/locations.conf", ROOT / "deploy" / "nginx" / "locations.conf"),
                          ("/etc/ssl/mission/fullchain.pem", cert), ("/etc/ssl/mission/privkey.pem", key),
                          ("/var/cache/nginx/mission", tmp_path / "cache")):
        assert shipped in site
        site = site.replace(shipped, str(here))
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\nhttp {{\n"
                    f"client_body_temp_path {tmp_path}/body;\nproxy_temp_path {tmp_path}/proxy;\n{site}\n}}\n",
                    encoding="utf-8")
    checked = subprocess.run([need("nginx"), "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True,
                             text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr and "warn" not in checked.stderr, checked.stderr


def test_two_readers_asking_for_the_same_brief_at_once_each_get_it(cluster):
    outcomes: list = []
    readers = [threading.Thread(target=lambda: outcomes.append(ask_brief(cluster.base, "/city/klagenfurt",
                                                                         KLAGENFURT, seconds=60)))
               for _ in range(2)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(timeout=90)
    assert [o.status for o in outcomes] == ["The brief is ready."] * 2
    assert all(o.zip_bytes for o in outcomes)
