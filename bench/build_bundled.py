"""Wall time and peak memory of `python -m etl build` on the bundled data (the Covenant of Mayors workbook
included), each run a fresh process, and where the time goes, step by step (one in-process build)."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.etl_scale import run_etl  # noqa: E402

TARGET_S = 10.0


def steps(db: Path) -> list[tuple[str, float]]:
    """Seconds each step of one build took (etl.load.STEPS, the input files summed as one)."""
    from etl.load import build

    marks: list[tuple[str, float]] = []
    start = time.perf_counter()
    build(ROOT / "data", db, progress=lambda name: marks.append((name, time.perf_counter())))
    out, last, inputs = [], start, 0.0
    for name, at in marks:
        if name in ("covenant", "transform", "cdp", "write", "check"):
            out.append((name, at - last))
        else:
            inputs += at - last
        last = at
    return [("read the Covenant workbook", out[0][1]), ("read and check the input files", inputs),
            *((f"{name}", s) for name, s in out[1:])]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runs = [run_etl(ROOT / "data", Path(tmp) / f"m{i}.duckdb") for i in range(args.rounds)]
        wall, peak = statistics.median(r["wall"] for r in runs), max(r["peak_mb"] for r in runs)
        breakdown = steps(Path(tmp) / "steps.duckdb")
    print(f"python -m etl build on data/ (11,973 Covenant signatories), a fresh process each time (imports "
          f"included): median {wall:.2f} s wall of {args.rounds} runs, peak RSS {peak:.0f} MB; target <= "
          f"{TARGET_S:g} s ({'met' if wall <= TARGET_S else 'NOT met'})")
    print("one build in-process, by step ('transform' includes matching the signatories, checking their points "
          "with geopandas and the nearest Mission Cities):")
    for name, seconds in breakdown:
        print(f"  {name:<34} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
