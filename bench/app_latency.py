"""Server time of each page and callback under gunicorn (2 workers), throughput of the heaviest callback, and
the raw DuckDB time of the same queries, so the framework's overhead is visible."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dash_client import DashClient, start_gunicorn  # noqa: E402

TARGET_P95_MS, TARGET_RPS = 50.0, 100.0
BROWSER_ENCODINGS = "gzip, deflate, br, zstd"  # what Chromium asks for
PAGES = ("/", "/city/klagenfurt", "/city/helsinki", "/city/tartu", "/sources", "/city/no-such-city", "/portfolio",
         "/scenarios?city=klagenfurt", "/data-quality", "/newcomers", "/country/IT", "/country/FR", "/countries",
         "/city/genova-it",  # a Covenant signatory's profile
         "/progress", "/progress?country=FR", "/scenarios", "/scenarios?country=FR")
OVERVIEW = {"home-country.value": [], "home-cohort.value": "", "home-label.value": "", "home-metric.value": "stage"}
PORTFOLIO = {"portfolio-city.value": [], "portfolio-country.value": [], "portfolio-field.value": [],
             "portfolio-lever.value": [], "portfolio-years.value": 10, "portfolio-unknown.value": True,
             "portfolio-heat-value.value": "actions"}
NEWCOMERS = {"newcomers-country.value": [], "newcomers-tier.value": "all", "newcomers-standing.value": "all",
             "newcomers-pop-min.value": None, "newcomers-pop-max.value": None, "newcomers-horizon.value": "all"}
FIELDS = ("built_environment", "energy_systems", "mobility", "waste_circular", "nature_based", "industry",
          "governance", "other")


def sliders(pct: dict[str, int], city: str | None = None, country: str | None = None) -> dict:
    """The scenario explorer's state: every field's slider of scenarios A, B and C at `pct[scenario]`."""
    ids = [{"type": "scenario-slider", "scenario": k, "field": f} for k in "abc" for f in FIELDS]
    return {"scenario-slider.value": [{"id": i, "property": "value", "value": pct[i["scenario"]]} for i in ids],
            "scenario-slider.id": [{"id": i, "property": "id", "value": i} for i in ids],
            "scenario-city.data": city, "scenario-scope.data": None if city else (
                {"country": country} if country else {})}


CALLBACKS = {
    "overview: all cities, by stage": ("home-kpis", OVERVIEW),
    "overview: France, by required rate": ("home-kpis", {**OVERVIEW, "home-country.value": ["FR"],
                                                         "home-metric.value": "rate"}),
    "overview: Mission Cities not labelled, per capita": (
        "home-kpis", {**OVERVIEW, "home-cohort.value": "mission", "home-label.value": "not_labelled",
                      "home-metric.value": "per_capita"}),
    "overview: click a city on the map": ("home-nav",
                                          {"home-map.clickData": {"points": [{"customdata": "klagenfurt"}]}}),
    "portfolio: table rows, all 1,976 actions": ("portfolio-grid", PORTFOLIO),
    "portfolio: MACC, all actions": ("portfolio-macc", PORTFOLIO),
    "portfolio: summary and downloads, all actions": ("portfolio-summary", PORTFOLIO),
    "portfolio: table rows, one city": ("portfolio-grid", {**PORTFOLIO, "portfolio-city.value": ["klagenfurt"]}),
    "newcomers: all of Europe (chart, map, grid filter)": ("newcomers-tiers-chart", NEWCOMERS),
    "newcomers: Italy, committed to 2050": ("newcomers-tiers-chart", {**NEWCOMERS, "newcomers-country.value": ["IT"],
                                                                      "newcomers-tier.value": "committed_2050"}),
    "newcomers: grid block of 100, all cities by population": ("newcomers-all-grid.getRowsResponse", {
        "newcomers-all-grid.getRowsRequest": {"startRow": 0, "endRow": 100,
                                              "sortModel": [{"colId": "population", "sort": "desc"}],
                                              "filterModel": {"filters": {"filterType": "text", "type": "equals",
                                                                          "filter": "?"}}}}),
    "overview: city search among all cities ('san')": ("home-city-results", {"home-city-search.value": "san"}),
    "countries: bars and map, committed to 2050": ("countries-map", {"countries-measure.value": "committed_2050"}),
    "progress: the whole Mission, every section": ("progress-sections", {"progress-country.value": []}),
    "progress: France and Germany": ("progress-sections", {"progress-country.value": ["FR", "DE"]}),
    "scenarios: the Mission, A 80% / B 50% / C 150%": ("scenario-chart", sliders({"a": 80, "b": 50, "c": 150})),
    "scenarios: France, A 120%": ("scenario-chart", sliders({"a": 120, "b": 50, "c": 150}, country="FR")),
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def row(name: str, first: float, server: list[float], rtt: list[float], errors: int, wire: int,
        beside: dict[str, list[float]]) -> str:
    line = (f"{name:<52} {first:>8.1f} ms {statistics.median(server):>8.1f} ms {percentile(server, 95):>5.1f} ms "
            f"{percentile(rtt, 95):>12.1f} ms {errors:>7} {wire / 1000:>9.1f} kB")
    for times in beside.values():
        if times:
            change = statistics.median(server) / statistics.median(times) - 1
            line += f" {statistics.median(times):>8.1f} ms {change:>+7.0%}"
        else:
            line += f" {'-':>11} {'-':>7}"
    return line


def session(accept_encoding: str) -> requests.Session:
    """A client session that asks for the given encodings, as a browser would."""
    s = requests.Session()
    s.headers["Accept-Encoding"] = accept_encoding
    return s


def measure(client: DashClient, body: dict, n: int,
            beside: dict[str, tuple[DashClient, dict | None]]) -> tuple[list[float], list[float], int, float, int,
                                                                    dict[str, list[float]]]:
    """Server and round-trip times of n calls after a warm-up, the server time of the very first call (before this
    worker has cached anything for these inputs; the other worker may still be cold), the bytes of one answer as
    sent, and the server times of the same question asked by each client `beside` (with its own body; None: it
    cannot ask it), in a random order with this client's calls, so that all see the machine in the same state."""
    first_call = client.post(body)
    first = first_call.server_ms or 0.0
    for _ in range(4):
        client.post(body)
        for other, other_body in beside.values():
            if other_body is not None:
                other.post(other_body)
    server, rtt, errors = [], [], 0
    times: dict[str, list[float]] = {name: [] for name in beside}
    order = random.Random(2030)
    for _ in range(n):
        turn = [None, *(name for name, (_, b) in beside.items() if b is not None)]
        order.shuffle(turn)
        for name in turn:
            if name is None:
                t = client.post(body)
                errors += t.status != 200
                server.append(t.server_ms or 0.0)
                rtt.append(t.client_ms)
            else:
                other, other_body = beside[name]
                times[name].append(other.post(other_body).server_ms or 0.0)
    return server, rtt, errors, first, first_call.wire, times


def body_or_none(client: DashClient, output: str | None, values: dict | str) -> dict | None:
    """The body of a page's routing callback (`output` None, `values` the address) or of the callback that fills
    `output`; None where that server has no such callback (another version of the app)."""
    try:
        return client.page_body(values) if output is None else client.body(output, values)
    except KeyError:
        return None


def throughput(base: str, body: dict, clients: int, seconds: float,
               accept_encoding: str) -> tuple[float, int, int, list[float]]:
    done, errors, latencies = [0] * clients, [0] * clients, [[] for _ in range(clients)]
    stop = time.monotonic() + seconds

    def run(i: int) -> None:
        client = DashClient(base, session(accept_encoding))
        while time.monotonic() < stop:
            t = client.post(body)
            done[i] += 1
            errors[i] += t.status != 200
            latencies[i].append(t.client_ms)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return sum(done) / elapsed, sum(done), sum(errors), [x for lat in latencies for x in lat]


def raw_duckdb(db: Path, n: int) -> list[tuple[str, float, float]]:
    """The same questions asked of DuckDB directly, without the cache (each call runs its SQL)."""
    os.environ["MISSION_DB"] = str(db)
    from mission import queries

    questions = {
        "cities (overview, city header)": lambda: queries.cities.__wrapped__(path=None),
        "city_totals (metrics, pathway)": lambda: queries.city_totals.__wrapped__(path=None),
        "inventory of one city": lambda: queries.inventory("klagenfurt", 2011, "reported"),
        "portfolio by field of action": lambda: queries.portfolio_by_field("klagenfurt"),
        "sources of one city": lambda: queries.city_sources("klagenfurt"),
        "all sources": lambda: queries.sources(),
    }
    out = []
    for name, ask in questions.items():
        ask()
        times = []
        for _ in range(n):
            started = time.perf_counter()
            ask()
            times.append((time.perf_counter() - started) * 1000)
        out.append((name, statistics.median(times), percentile(times, 95)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path(os.environ.get("MISSION_DB") or ROOT / "data/mission.duckdb"))
    parser.add_argument("--requests", type=int, default=200, help="sequential requests per page or callback")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients for the throughput run")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the throughput run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--against", metavar="URL",
                        help="also ask a running server at URL (say, the previous version under gunicorn) each "
                             "question, in turn with this one, and print how this one compares")
    parser.add_argument("--accept-encoding", default=BROWSER_ENCODINGS,
                        help=f"what the client accepts (default, as Chromium: '{BROWSER_ENCODINGS}'; 'identity' for "
                             "uncompressed answers)")
    args = parser.parse_args()
    if not args.db.exists():
        subprocess.run([sys.executable, "-m", "etl", "build", "--db", str(args.db)], cwd=ROOT, check=True)

    process, base = start_gunicorn(args.db, args.workers)
    try:
        client = DashClient(base, session(args.accept_encoding))
        beside: dict[str, DashClient] = {}
        if args.accept_encoding != "identity":
            beside["uncompressed"] = DashClient(base, session("identity"), client.dependencies)
        if args.against:
            beside["against"] = DashClient(args.against, session(args.accept_encoding))
        print(f"gunicorn, {args.workers} workers, {base}; {args.requests} sequential requests each "
              f"(server time from the Server-Timing header, compression included; round trip seen by the client); "
              f"Accept-Encoding: {args.accept_encoding}")
        if "uncompressed" in beside:
            print("'uncompressed': the same requests asking for no compression; 'cost': what compressing adds")
        if "against" in beside:
            print(f"'against': the same requests to {args.against}; 'change': this server against that one")
        if beside:
            print("(the requests compared are sent in turn, in a random order)")
        print()
        headers = {"uncompressed": ("uncompressed p50", "cost"), "against": ("against p50", "change")}
        print(f"{'page or callback':<52} {'first call':>10} {'server p50':>10} {'p95':>8} {'round trip p95':>15} "
              f"{'errors':>7} {'sent':>12}" + "".join(f" {headers[k][0]:>11} {headers[k][1]:>7}" for k in beside))
        results = {}
        questions = [("page " + path, None, path) for path in PAGES]
        questions += [("callback " + name, output, values) for name, (output, values) in CALLBACKS.items()]
        for name, output, values in questions:
            body = body_or_none(client, output, values)
            others = {k: (c, body if k == "uncompressed" else body_or_none(c, output, values))
                      for k, c in beside.items()}
            server, rtt, errors, first, wire, times = measure(client, body, args.requests, others)
            if name.startswith("callback "):
                results[name.removeprefix("callback ")] = (body, statistics.median(server), percentile(server, 95))
            print(row(name, first, server, rtt, errors, wire, times))
        runs = {"heaviest overview callback": max((k for k in results if k.startswith("overview")),
                                                  key=lambda k: results[k][1]),
                "heaviest callback of all": max(results, key=lambda k: results[k][1])}
        print()
        for label, name in runs.items():
            rps, done, errors, latencies = throughput(base, results[name][0], args.clients, args.seconds,
                                                      args.accept_encoding)
            runs[label] = rps
            print(f"{label} ({name}), {args.clients} concurrent clients for {args.seconds:.0f} s: "
                  f"{rps:,.0f} requests/s, {done} requests, {errors} errors, round trip p50 "
                  f"{statistics.median(latencies):.1f} ms, p95 {percentile(latencies, 95):.1f} ms")
        worst_p95 = max(p95 for _, _, p95 in results.values())
        rps = runs["heaviest overview callback"]
    finally:
        process.terminate()
        process.wait(timeout=30)

    print(f"\nraw DuckDB time of the same questions ({args.requests} calls each, no cache):")
    for name, p50, p95 in raw_duckdb(args.db, args.requests):
        print(f"  {name:<40} p50 {p50:6.2f} ms   p95 {p95:6.2f} ms")
    print(f"\ntargets: callback p95 <= {TARGET_P95_MS:.0f} ms (worst: {worst_p95:.1f} ms, "
          f"{'met' if worst_p95 <= TARGET_P95_MS else 'NOT met'}); >= {TARGET_RPS:.0f} requests/s of the heaviest "
          f"overview callback ({rps:,.0f}, {'met' if rps >= TARGET_RPS else 'NOT met'})")


if __name__ == "__main__":
    main()
