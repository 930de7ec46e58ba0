"""What a first and a repeat visit cost on a slow line: bytes, requests, first chart drawn and idle, per main page.

Serves the app under gunicorn as `make run` does (gunicorn.conf.py, 2 workers), opens each main page in headless
Chromium with a new, empty browser profile and the network emulated by Chromium's DevTools (10 Mbit/s down, 40 ms
round trip by default), then opens it again in the same profile (warm cache), as a returning visitor's browser does.
The profile lives on disk like a real browser's, with its HTTP cache and compiled-code cache; `--profile memory`
measures an incognito-like profile instead, whose cache keeps no compiled code (slower repeat visits)."""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dash_client import start_gunicorn  # noqa: E402

PAGES = ("/", "/city/klagenfurt", "/country/FR", "/portfolio", "/newcomers", "/country/IT", "/city/genova-it")
TARGET_BYTES = 2.5e6
TARGET_FIRST_CHART_S, TARGET_REPEAT_CHART_S = 3.0, 1.0
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

# Runs before any script of the page. A chart counts as drawn when a Plotly.react/newPlot call on a graph with data
# has resolved (maps resolve once their outlines are drawn) and the browser has painted the next frame. The page is
# quiet when the Dash renderer has hydrated, no callback is pending, no component shows its loading state, every
# graph has been drawn by plotly.js (which may still be downloading when Dash is done) and no draw is pending.
PROBE = """(() => {
    const probe = window.__visit = {chart: null, charts: 0, quiet: null, pending: 0};
    const hasData = (gd) => gd && gd._fullData && gd._fullData.length > 0;
    const wrap = (plotly) => {
        if (!plotly || plotly.__visitWrapped) return plotly;
        for (const name of ["newPlot", "react"]) {
            const original = plotly[name];
            if (typeof original !== "function") continue;
            plotly[name] = function (gd, ...rest) {
                probe.pending += 1;
                const result = original.call(this, gd, ...rest);
                const done = (drawn) => requestAnimationFrame(() => {
                    probe.pending -= 1;
                    const div = typeof gd === "string" ? document.getElementById(gd) : (drawn || gd);
                    if (!hasData(div)) return;
                    probe.charts += 1;
                    if (probe.chart === null) probe.chart = performance.now();
                });
                Promise.resolve(result).then(done, () => { probe.pending -= 1; });
                return result;
            };
        }
        plotly.__visitWrapped = true;
        return plotly;
    };
    let current;
    Object.defineProperty(window, "Plotly", {
        configurable: true, get: () => current, set: (v) => { current = wrap(v); },
    });
    const quiet = () => {
        const store = window.store;
        if (!store) return false;
        const state = store.getState();
        if (state.appLifecycle !== "HYDRATED" || state.isLoading) return false;
        if (document.querySelector('[data-dash-is-loading="true"]') || probe.pending > 0) return false;
        return [...document.querySelectorAll(".dash-graph")].every((g) => {
            const plot = g.querySelector(".js-plotly-plot");
            return plot && plot._fullLayout;
        });
    };
    const watch = () => {
        if (!quiet()) probe.quiet = null;
        else if (probe.quiet === null) probe.quiet = performance.now();
        setTimeout(watch, 20);
    };
    watch();
})();"""

# True once the page has been quiet for a while (a chart waiting on a later callback would end the quiet).
SETTLED = "() => window.__visit && window.__visit.quiet !== null && performance.now() - window.__visit.quiet > 750"
LAST_RESPONSE = "() => Math.max(0, ...performance.getEntriesByType('resource').map((e) => e.responseEnd))"


@dataclass(frozen=True)
class Visit:
    page: str
    bytes: int
    requests: int
    from_network: int
    chart_s: float | None
    idle_s: float


def visit(context: BrowserContext, path: str, base: str, down_mbit: float, rtt_ms: float) -> Visit:
    """Opens one page in `context` with the network throttled, and reads what it cost."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": rtt_ms,
        "downloadThroughput": down_mbit * 1e6 / 8, "uploadThroughput": down_mbit * 1e6 / 8})
    received: dict[str, int] = {}
    cached: set[str] = set()
    sent: set[str] = set()
    cdp.on("Network.requestWillBeSent", lambda e: sent.add(e["requestId"]))
    cdp.on("Network.requestServedFromCache", lambda e: cached.add(e["requestId"]))
    cdp.on("Network.loadingFinished", lambda e: received.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    page.goto(base + path, wait_until="commit")
    page.wait_for_function(SETTLED, timeout=120_000, polling=100)
    page.wait_for_load_state("networkidle", timeout=120_000)
    probe = page.evaluate("() => window.__visit")
    last_response = page.evaluate(LAST_RESPONSE)
    page.close()
    network = [r for r in sent if r not in cached and received.get(r, 0) > 0]
    chart = probe["chart"] / 1000 if probe["chart"] is not None else None
    # Idle: Dash has settled and the last response has arrived (an image or outline may come after the callbacks).
    idle = max(probe["quiet"] or 0.0, last_response) / 1000
    return Visit(path, sum(received.values()), len(sent), len(network), chart, idle)


def run(base: str, pages: tuple[str, ...], down_mbit: float, rtt_ms: float, rounds: int,
        profile: str) -> list[tuple[Visit, Visit]]:
    executable = os.environ.get("MISSION_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    options = {"executable_path": executable, "headless": True, "args": CHROMIUM_ARGS}
    viewport = {"width": 1366, "height": 768}
    results: list[tuple[Visit, Visit]] = []
    with sync_playwright() as playwright:
        browser: Browser | None = None if profile == "disk" else playwright.chromium.launch(**options)
        for path in pages:
            firsts, repeats = [], []
            for _ in range(rounds):
                with tempfile.TemporaryDirectory(prefix="first-visit-") as folder:
                    context = (playwright.chromium.launch_persistent_context(folder, viewport=viewport, **options)
                               if browser is None else browser.new_context(viewport=viewport))
                    context.add_init_script(PROBE)
                    firsts.append(visit(context, path, base, down_mbit, rtt_ms))
                    repeats.append(visit(context, path, base, down_mbit, rtt_ms))
                    context.close()
            results.append((median_visit(firsts), median_visit(repeats)))
        if browser is not None:
            browser.close()
    return results


def median_visit(visits: list[Visit]) -> Visit:
    charts = [v.chart_s for v in visits if v.chart_s is not None]
    return Visit(visits[0].page, round(statistics.median(v.bytes for v in visits)),
                 round(statistics.median(v.requests for v in visits)),
                 round(statistics.median(v.from_network for v in visits)),
                 statistics.median(charts) if len(charts) == len(visits) else None,
                 statistics.median(v.idle_s for v in visits))


def table(title: str, visits: list[Visit], chart_target: float, bytes_target: float | None) -> str:
    lines = [title, f"{'page':<20} {'transferred':>12} {'requests':>9} {'network':>8} {'first chart':>12} "
                    f"{'idle':>7}  within budget"]
    for v in visits:
        # A page without a chart (a signatory's profile) is ready when it is idle.
        ready = v.chart_s if v.chart_s is not None else v.idle_s
        ok = ready <= chart_target and (bytes_target is None or v.bytes <= bytes_target)
        chart = f"{v.chart_s:.2f} s" if v.chart_s is not None else "no chart"
        lines.append(f"{v.page:<20} {v.bytes / 1e6:>9.2f} MB {v.requests:>9} {v.from_network:>8} {chart:>12} "
                     f"{v.idle_s:>5.2f} s  {'yes' if ok else 'NO'}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", help="measure a server already running at this URL instead of starting gunicorn")
    parser.add_argument("--down-mbit", type=float, default=10.0, help="emulated bandwidth, Mbit/s (both ways)")
    parser.add_argument("--rtt-ms", type=float, default=40.0, help="emulated round trip, ms")
    parser.add_argument("--rounds", type=int, default=5, help="visits per page; the median is printed")
    parser.add_argument("--pages", nargs="*", default=list(PAGES))
    parser.add_argument("--profile", choices=("disk", "memory"), default="disk",
                        help="a new browser profile on disk for each first and repeat visit (as a real browser), or an "
                             "incognito-like one")
    args = parser.parse_args()
    process = None
    base = args.base
    if base is None:
        db = Path(os.environ.get("MISSION_DB") or ROOT / "data" / "mission.duckdb")
        if not db.is_file():
            sys.exit(f"no warehouse at {db}: run `make db` first")
        process, base = start_gunicorn(db, 2)
    try:
        results = run(base.rstrip("/"), tuple(args.pages), args.down_mbit, args.rtt_ms, args.rounds, args.profile)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
    print(f"Headless Chromium, a new {'profile on disk' if args.profile == 'disk' else 'incognito-like profile'} "
          f"per visit pair, network emulated at {args.down_mbit:g} Mbit/s and {args.rtt_ms:g} ms round trip; median "
          f"of {args.rounds} visits per page. 'network': requests not answered from the browser's cache.")
    print(table(f"First visit (empty cache; budget: <= {TARGET_BYTES / 1e6:g} MB, first chart <= "
                f"{TARGET_FIRST_CHART_S:g} s)", [first for first, _ in results], TARGET_FIRST_CHART_S, TARGET_BYTES))
    print()
    print(table(f"Repeat visit (warm cache; budget: first chart <= {TARGET_REPEAT_CHART_S:g} s)",
                [repeat for _, repeat in results], TARGET_REPEAT_CHART_S, None))


if __name__ == "__main__":
    main()
