"""axe-core's findings (WCAG 2.0 and 2.1, levels A and AA) on every main page, counted by impact and rule.

    .venv/bin/python tools/axe_report.py [--db data/mission.duckdb] [--lang fr] [--pages / /progress ...]

Serves the app under gunicorn on loopback, opens each page in Debian's headless Chromium, injects axe-core from
tools/axe (installed by `make install-test`) and prints every violation with its elements. The browser tests
(tests/e2e/test_accessibility.py) fail on any critical or serious one; this prints them all, minor included."""

from __future__ import annotations

import argparse
import collections
import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from dash_client import start_gunicorn  # noqa: E402

from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path, wait_for_dash  # noqa: E402
from tests.e2e.test_accessibility import MAIN_PAGES, axe_violations  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=Path(os.environ.get("MISSION_DB") or ROOT / "data/mission.duckdb"))
    parser.add_argument("--lang", default=None, help="open each page with ?lang=LANG")
    parser.add_argument("--pages", nargs="*", default=list(MAIN_PAGES))
    args = parser.parse_args()
    process, base = start_gunicorn(args.db, 2)
    totals: collections.Counter = collections.Counter()
    elements: collections.Counter = collections.Counter()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1366, "height": 768}, bypass_csp=True)
            for path in args.pages:
                tab = context.new_page()
                sep = "&" if "?" in path else "?"
                tab.goto(base + path + (f"{sep}lang={args.lang}" if args.lang else ""))
                wait_for_dash(tab)
                found = axe_violations(tab)
                print(f"{path}: {len(found)} rules violated")
                for v in found:
                    totals[(v["impact"], v["rule"])] += 1
                    elements[(v["impact"], v["rule"])] += len(v["elements"])
                    print(f"  {v['impact']:<8} {v['rule']}: {len(v['elements'])} elements: "
                          f"{', '.join(v['elements'][:5])}")
                tab.close()
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    print(f"\nOn {len(args.pages)} pages:")
    for impact in ("critical", "serious", "moderate", "minor"):
        rules = {r for (i, r) in totals if i == impact}
        count = sum(n for (i, _), n in elements.items() if i == impact)
        names = f": {', '.join(sorted(rules))}" if rules else ""
        print(f"  {impact:<8} {len(rules)} rules, {count} elements{names}")


if __name__ == "__main__":
    main()
