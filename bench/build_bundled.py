"""Wall time and peak memory of `python -m etl build` on the bundled data, with the Covenant of Mayors workbook
and without it (a copy of data/ without gcom/), each as a fresh process, the median of a few runs."""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.etl_scale import run_etl  # noqa: E402

TARGET_S = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        without = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", without, ignore=shutil.ignore_patterns("gcom", "external", "*.duckdb*"))
        rows = []
        for label, data_dir in (("bundled data with the Covenant workbook", ROOT / "data"),
                                ("the same without it", without)):
            runs = [run_etl(data_dir, Path(tmp) / f"m{i}.duckdb") for i in range(args.rounds)]
            rows.append((label, statistics.median(r["wall"] for r in runs), max(r["peak_mb"] for r in runs)))
    print(f"python -m etl build, a fresh process each time (imports included), median of {args.rounds} runs")
    for label, wall, peak in rows:
        print(f"  {label:<42} {wall:6.2f} s wall   peak RSS {peak:5.0f} MB")
    print(f"the workbook costs {rows[0][1] - rows[1][1]:.2f} s; target: a build at most {TARGET_S:g} s "
          f"({'met' if rows[0][1] <= TARGET_S else 'NOT met'})")


if __name__ == "__main__":
    main()
