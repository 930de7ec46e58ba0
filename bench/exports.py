"""PNG export time (the first, which starts the headless browser, and warm ones), CSV time, and the time of a
brief for the country with the most cities and for one city, each as the command line makes it."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_WARM_PNG_S, TARGET_COUNTRY_BRIEF_S = 1.5, 15.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path(os.environ.get("MISSION_DB") or ROOT / "data/mission.duckdb"))
    parser.add_argument("--repeat", type=int, default=10, help="warm PNGs per chart")
    args = parser.parse_args()
    os.environ["MISSION_DB"] = str(args.db)
    from mission import charts, exports, queries

    largest = (queries.cities().group_by("country_iso2").len().sort("len", "country_iso2", descending=True)
               .row(0, named=True))
    wanted = [("city-pathway", {"city_id": "klagenfurt"}), ("city-inventory", {"city_id": "klagenfurt"}),
              ("overview-map", {}), ("country-national", {"iso2": largest["country_iso2"]}),
              ("country-strip", {"iso2": largest["country_iso2"], "measure": "per_capita_t"})]
    started = time.perf_counter()
    exports.png_bytes(charts.build(*wanted[0]))
    print(f"first PNG of the process (starts the headless browser): {time.perf_counter() - started:.2f} s")
    worst = 0.0
    for name, params in wanted:
        chart = charts.build(name, params)
        png, csv = [], []
        for _ in range(args.repeat):
            t = time.perf_counter()
            exports.png_bytes(chart)
            png.append(time.perf_counter() - t)
            t = time.perf_counter()
            exports.csv_bytes(chart)
            csv.append(time.perf_counter() - t)
        worst = max(worst, max(png))
        print(f"  {name:<16} {params!s:<48} PNG median {statistics.median(png):.2f} s, max {max(png):.2f} s; "
              f"CSV median {statistics.median(csv) * 1000:.1f} ms")
    print(f"warm PNG target <= {TARGET_WARM_PNG_S} s: worst {worst:.2f} s, "
          f"{'met' if worst <= TARGET_WARM_PNG_S else 'NOT met'}")

    out = Path(os.environ.get("TMPDIR", "/tmp")) / "mission-bench-briefs"
    for flag, value in (("--country", largest["country_iso2"]), ("--city", "klagenfurt")):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mission", "brief", flag, value, "--out", str(out)], cwd=ROOT,
                       check=True, capture_output=True, env={**os.environ, "MISSION_DB": str(args.db)})
        seconds = time.perf_counter() - t
        label = f"{flag[2:]} {value}" + (f" ({largest['len']} cities, the most)" if flag == "--country" else "")
        note = (f"target <= {TARGET_COUNTRY_BRIEF_S} s: {'met' if seconds <= TARGET_COUNTRY_BRIEF_S else 'NOT met'}"
                if flag == "--country" else "")
        print(f"brief for {label}: {seconds:.1f} s as `python -m mission brief` (a new process, browser "
              f"start included) {note}")


if __name__ == "__main__":
    main()
