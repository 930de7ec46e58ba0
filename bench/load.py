"""Load test: simulated users browse the dashboard served by gunicorn (the project's gunicorn.conf.py, 2 workers) on
loopback, for a fixed time and a bounded number of requests, and the figures are printed.

A user opens a page as a browser does (the page's HTML, the layout, the callback list, then the routing callback
that draws the page) and then uses it (the page's own callbacks with other values: filters, another city, another
measure), pausing between steps. Run: `make bench-load` or `python bench/load.py --users 50 --seconds 60`.

`--nginx` (`make bench-load-nginx`) runs the same users through nginx to one and then two app instances of the
several-hosts layout (bench/cluster.py, with Redis and a Celery worker), and times a brief through Celery against
the disk cache."""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import psutil
import requests

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dash_client import DashClient, start_gunicorn  # noqa: E402

TARGET_P95_MS = 300.0
OVERVIEW = {"home-country.value": [], "home-cohort.value": "", "home-label.value": "", "home-metric.value": "stage"}
PORTFOLIO = {"portfolio-city.value": [], "portfolio-country.value": [], "portfolio-field.value": [],
             "portfolio-lever.value": [], "portfolio-years.value": 10, "portfolio-unknown.value": True,
             "portfolio-heat-value.value": "actions"}
METRICS = ("stage", "per_capita", "rate", "kind", "grade")
MEASURES = ("mission_cities", "baseline_mt", "median_per_capita_t", "national_share_pct")
# One output of each of the portfolio page's callbacks: changing a filter runs them all.
PORTFOLIO_PARTS = ("portfolio-grid", "portfolio-summary", "portfolio-macc", "portfolio-heatmap", "portfolio-waterfall",
                   "portfolio-levers", "portfolio-sankey")


@dataclass
class Tally:
    """What the users saw, per kind of request: latencies (ms) and failures."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(ms)
            if error:
                self.errors[kind].append(error)

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.latencies.values())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] if ordered else float("nan")


class User:
    """One simulated person: a session with cookies and keep-alive, a random walk over the pages."""

    def __init__(self, base: str, cities: list[str], countries: list[str], tally: Tally, rng: random.Random,
                 think: float, stop: threading.Event, budget: threading.Semaphore) -> None:
        self.base, self.cities, self.countries, self.tally, self.rng = base, cities, countries, tally, rng
        self.think, self.stop, self.budget = think, stop, budget
        self.session = requests.Session()
        self.client: DashClient | None = None

    def _request(self, kind: str, method: str, path: str, body: dict | None = None) -> None:
        if self.stop.is_set() or not self.budget.acquire(blocking=False):
            self.stop.set()
            return
        started = time.perf_counter()
        error = None
        try:
            response = self.session.request(method, self.base + path, json=body, timeout=30)
            if response.status_code >= 400:
                error = f"{response.status_code} {path}"
        except requests.RequestException as failure:
            error = f"{type(failure).__name__} {path}"
        self.tally.add(kind, (time.perf_counter() - started) * 1000, error)

    def open_page(self, address: str) -> None:
        """What a browser asks for when it opens `address` (static files come from its cache or the proxy)."""
        path = address.split("?")[0]
        self._request("page HTML", "GET", path)
        self._request("layout", "GET", "/_dash-layout")
        self._request("callback list", "GET", "/_dash-dependencies")
        if self.client is None:
            self.client = DashClient(self.base, self.session)
        self._request("page drawing", "POST", "/_dash-update-component", self.client.page_body(address))

    def callback(self, output: str, values: dict) -> None:
        self._request("page callback", "POST", "/_dash-update-component", self.client.body(output, values))

    def pause(self) -> None:
        self.stop.wait(self.rng.uniform(0.5, 1.5) * self.think)

    def journey(self) -> None:
        rng = self.rng
        step = rng.choices(("overview", "city", "portfolio", "country", "quality", "scenarios"),
                           weights=(3, 4, 2, 2, 1, 1))[0]
        if step == "overview":
            self.open_page("/")
            for _ in range(rng.randint(1, 3)):
                self.pause()
                self.callback("home-kpis", {**OVERVIEW, "home-metric.value": rng.choice(METRICS),
                                            "home-country.value": rng.sample(self.countries, rng.randint(0, 2))})
        elif step == "city":
            self.open_page(f"/city/{rng.choice(self.cities)}")
        elif step == "portfolio":
            self.open_page("/portfolio")
            self.pause()
            one_city = {**PORTFOLIO, "portfolio-city.value": [rng.choice(self.cities)]}
            for output in PORTFOLIO_PARTS:  # the page's callbacks for one choice, one after the other
                self.callback(output, one_city)
        elif step == "country":
            self.open_page(f"/country/{rng.choice(self.countries)}")
            self.pause()
            self.open_page("/countries")
            self.callback("countries-chart", {"countries-measure.value": rng.choice(MEASURES)})
        elif step == "quality":
            self.open_page("/data-quality")
        else:
            self.open_page(f"/scenarios?city={rng.choice(self.cities)}")

    def run(self) -> None:
        while not self.stop.is_set():
            self.journey()
            self.pause()


def workers_memory(process: subprocess.Popen) -> list[float]:
    """Resident memory (MB) of each gunicorn worker."""
    try:
        return [c.memory_info().rss / 1e6 for c in psutil.Process(process.pid).children()]
    except psutil.Error:
        return []


def cpu_seconds(process: subprocess.Popen | None) -> float:
    """CPU time (user + system, s) used so far by a process and all its children, those that ended included (a
    gunicorn worker is replaced after MISSION_MAX_REQUESTS); without a process, by this one alone (its own threads:
    the simulated users)."""
    if process is None:
        return sum(psutil.Process().cpu_times()[:2])
    try:
        root = psutil.Process(process.pid)
        return sum(sum(p.cpu_times()[:4]) for p in [root, *root.children(recursive=True)])
    except psutil.Error:
        return 0.0


def run_users(base: str, args, cities: list[str], countries: list[str], processes: list[subprocess.Popen]):
    """`args.users` simulated users against `base` for `args.seconds`: the tally, the time taken and the peak memory
    of each app worker (the gunicorn workers under `processes`)."""
    # Warm each worker once, as the first visitors of the day would.
    for _ in range(2 * args.workers * len(processes)):
        requests.get(base + "/", timeout=30)
    tally, stop = Tally(), threading.Event()
    budget = threading.Semaphore(args.max_requests)
    users = [User(base, cities, countries, tally, random.Random(args.seed + i), args.think, stop, budget)
             for i in range(args.users)]
    threads = [threading.Thread(target=u.run, daemon=True) for u in users]
    started = time.monotonic()
    for t in threads:
        t.start()
    memory_peak: list[float] = []
    while time.monotonic() - started < args.seconds and not stop.is_set():
        time.sleep(1.0)
        now = [m for p in processes for m in workers_memory(p)]
        memory_peak = [max(a, b) for a, b in zip(memory_peak, now, strict=False)] if memory_peak else now
    stop.set()
    for t in threads:
        t.join(timeout=35)
    return tally, time.monotonic() - started, memory_peak


def report(tally: Tally, elapsed: float, memory_peak: list[float], title: str) -> dict[str, float]:
    """Print the table of one run; return its totals."""
    everything = [x for v in tally.latencies.values() for x in v]
    errors = sum(len(v) for v in tally.errors.values())
    print(f"{title}\n")
    print(f"{'request':<16} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for kind in sorted(tally.latencies, key=lambda k: -len(tally.latencies[k])):
        values = tally.latencies[kind]
        print(f"{kind:<16} {len(values):>7} {statistics.median(values):>8.1f} {percentile(values, 95):>8.1f} "
              f"{percentile(values, 99):>8.1f} {len(tally.errors[kind]):>7}")
    totals = {"requests/s": len(everything) / elapsed, "p50": statistics.median(everything),
              "p95": percentile(everything, 95), "p99": percentile(everything, 99), "errors": errors}
    print(f"{'all':<16} {len(everything):>7} {totals['p50']:>8.1f} {totals['p95']:>8.1f} {totals['p99']:>8.1f} "
          f"{errors:>7}")
    print(f"\nthroughput: {totals['requests/s']:.1f} requests/s; worker memory peak: "
          + ", ".join(f"{m:.0f} MB" for m in memory_peak))
    for kind, messages in tally.errors.items():
        for message in sorted(set(messages))[:5]:
            print(f"error ({kind}): {message}")
    return totals


def through_nginx(args, cities: list[str], countries: list[str]) -> None:
    """The several-hosts layout (bench/cluster.py): the same users through nginx to one app instance, then to two;
    then the time a brief takes through Celery (Redis, one worker) against the disk cache of one host."""
    from bench.cluster import Cluster, ask_brief

    folder = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
    runs = {}
    try:
        for instances in (1, 2):
            cluster = Cluster(folder / f"{instances}", args.db, instances=instances,
                              workers_per_instance=args.workers).start()
            try:
                processes = [cluster.services[f"app{i + 1}"].process for i in range(instances)]
                parts = {"app instances": processes, "nginx": [cluster.services["nginx"].process],
                         "simulated users (this process)": [None]}
                before = {k: sum(map(cpu_seconds, v)) for k, v in parts.items()}
                tally, elapsed, memory = run_users(cluster.base, args, cities, countries, processes)
                cpu = {k: sum(map(cpu_seconds, v)) - before[k] for k, v in parts.items()}
            finally:
                cluster.stop()
            runs[instances] = report(tally, elapsed, memory, (
                f"nginx -> {instances} gunicorn instance(s) x {args.workers} workers, {args.users} simulated users "
                f"for {elapsed:.0f} s (mean pause {args.think:.1f} s), loopback, {os.cpu_count()} CPUs"))
            served = sum(len(v) for v in tally.latencies.values())
            print(f"CPU time used, of {os.cpu_count() * elapsed:.0f} s available: " + ", ".join(
                f"{k} {v:.1f} s ({100 * v / (os.cpu_count() * elapsed):.0f}%)" for k, v in cpu.items()))
            runs[instances]["app_cpu_ms"] = 1000 * cpu["app instances"] / served
            print(f"app CPU per request: {runs[instances]['app_cpu_ms']:.2f} ms\n")
        one, two = runs[1], runs[2]
        print(f"{'through nginx':<16} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for n, r in runs.items():
            print(f"{f'{n} instance(s)':<16} {r['requests/s']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} "
                  f"{r['p99']:>8.1f} {r['errors']:>7}")
        print(f"ratio 2/1: {two['requests/s'] / one['requests/s']:.2f}x requests/s, "
              f"p95 {two['p95'] / one['p95']:.2f}x")
        # On one machine the instances, nginx and the users share its cores, so a second instance adds no CPU. On
        # separate hosts each instance has its own: what one core answers is 1000 / (app CPU per request).
        per_core = 1000 / one["app_cpu_ms"]
        print(f"modelled, not measured: an app host answers about {per_core:.0f} requests/s per core it gives the "
              f"app (1000 / {one['app_cpu_ms']:.2f} ms); hosts share nothing, so N hosts of C cores answer about "
              f"N x C x {per_core:.0f} requests/s while nginx keeps up")

        # Briefs: one at a time, the job's end seen by polling every 0.1 s.
        city = {"kind": "city", "key": args.brief_city, "lang": "en"}
        times = {}
        for label, celery in (("Celery + Redis (1 worker, threads)", True), ("disk cache (1 host)", False)):
            cluster = Cluster(folder / f"brief-{int(celery)}", args.db, instances=1, celery=celery,
                              workers_per_instance=args.workers).start()
            try:
                times[label] = []
                for i in range(args.briefs + 1):  # the first warms up (the first PNG starts a headless browser)
                    outcome = ask_brief(cluster.base, f"/city/{args.brief_city}", city, interval=0.1)
                    if not outcome.zip_bytes:
                        raise SystemExit(f"the brief of {args.brief_city} failed: {outcome.status}")
                    if i:
                        times[label].append(outcome.seconds)
            finally:
                cluster.stop()
        print(f"\nbrief of {args.brief_city} (ZIP with PDF, PNGs, CSVs), {args.briefs} in a row after one to warm up, "
              "from the click to the answer:")
        for label, seconds in times.items():
            print(f"  {label:<36} median {statistics.median(seconds):.2f} s, "
                  f"min {min(seconds):.2f} s, max {max(seconds):.2f} s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=Path(os.environ.get("MISSION_DB") or ROOT / "data/mission.duckdb"))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop earlier after this many requests")
    parser.add_argument("--think", type=float, default=None,
                        help="mean pause between a user's steps, in seconds (1.0; with --nginx 0: users who never "
                             "pause, to find what the servers can answer)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (of each instance)")
    parser.add_argument("--seed", type=int, default=2030)
    parser.add_argument("--nginx", action="store_true",
                        help="through nginx to one then two app instances (Redis and a Celery worker beside them), "
                             "then brief times through Celery and the disk cache")
    parser.add_argument("--briefs", type=int, default=5, help="briefs timed in each way (--nginx)")
    parser.add_argument("--brief-city", default="klagenfurt", help="the city whose brief is timed (--nginx)")
    args = parser.parse_args()
    if args.think is None:
        args.think = 0.0 if args.nginx else 1.0
    if not args.db.exists():
        subprocess.run([sys.executable, "-m", "etl", "build", "--db", str(args.db)], cwd=ROOT, check=True)
    con = duckdb.connect(str(args.db), read_only=True)
    cities = [r[0] for r in con.sql("SELECT city_id FROM city ORDER BY city_id").fetchall()]
    countries = [r[0] for r in con.sql("SELECT DISTINCT country_iso2 FROM city ORDER BY 1").fetchall()]
    con.close()
    if args.nginx:
        through_nginx(args, cities, countries)
        return

    process, base = start_gunicorn(args.db, args.workers)
    try:
        tally, elapsed, memory_peak = run_users(base, args, cities, countries, [process])
    finally:
        process.terminate()
        process.wait(timeout=30)
    totals = report(tally, elapsed, memory_peak, (
        f"gunicorn ({args.workers} workers, gunicorn.conf.py), {args.users} simulated users for {elapsed:.0f} s "
        f"(mean pause {args.think:.1f} s between steps), loopback, {os.cpu_count()} CPUs"))
    ok = totals["errors"] == 0 and totals["p95"] <= TARGET_P95_MS
    print(f"target: 0 errors and p95 <= {TARGET_P95_MS:.0f} ms: {'met' if ok else 'NOT met'} "
          f"({totals['errors']} errors, p95 {totals['p95']:.0f} ms)")


if __name__ == "__main__":
    main()
