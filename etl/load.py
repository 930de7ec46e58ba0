"""Builds the warehouse in a temporary DuckDB file beside the target, checks it, then os.replace()s it in."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

import vocab
from etl import places, schema
from etl.covenant import Matching
from etl.problems import Problem, Problems, ValidationFailed
from etl.sources import cdp, gcom
from etl.transform import project, transform, warning_frame
from etl.validate import InputFileRead, load_inputs

DEFAULT_DB = Path("data/mission.duckdb")
DEFAULT_DATA_DIR = Path("data")
STEPS = ["covenant", *(f.name for f in schema.INPUT_FILES), "transform", "cdp", "write", "check"]
# CDP City-wide Emissions files in this folder of the data folder are loaded by every build (the folder is
# ignored by git: third-party data is read, never committed).
CDP_FOLDER = Path("external") / "cdp"
# The Covenant of Mayors workbooks (the JRC's df1, CC BY 4.0: bundled) in this folder are read by every build.
GCOM_FOLDER = Path("gcom")


def default_db() -> Path:
    """The database named by MISSION_DB, else data/mission.duckdb."""
    return Path(os.environ.get("MISSION_DB") or DEFAULT_DB)


@dataclass
class BuildSummary:
    db: Path
    build_id: str
    rows: dict[str, int]
    sources: int
    warnings: list[Problem]
    cdp: list[cdp.FileSummary]
    covenant: Matching


def build_time() -> dt.datetime:
    """Now in UTC, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).replace(tzinfo=None)
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _temp_name(db: Path) -> Path:
    return db.with_name(f".{db.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")


def remove_stale_temps(db: Path) -> list[Path]:
    """Delete temporary files of earlier builds of `db` whose process is gone (e.g. killed with SIGKILL)."""
    pattern = re.compile(rf"^\.{re.escape(db.name)}\.(\d+)\.[0-9a-f]{{8}}\.tmp(\.wal)?$")
    removed = []
    if not db.parent.is_dir():
        return removed
    for path in db.parent.iterdir():
        m = pattern.match(path.name)
        if m and not _alive(int(m.group(1))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _write(con: duckdb.DuckDBPyConnection, tables: dict[str, pl.DataFrame]) -> None:
    """Create and fill every table; each frame is taken out of `tables` and released once it is in DuckDB."""
    for table in schema.TABLES:
        con.execute(table.ddl())
        frame = tables.pop(table.name)
        if frame.height:
            # Arrow's string views (polars' own layout) are read by DuckDB without a conversion to plain strings.
            con.register("incoming", frame.to_arrow(compat_level=pl.CompatLevel.newest()))
            con.execute(f"INSERT INTO {table.name} SELECT {', '.join(table.columns)} FROM incoming")
            con.unregister("incoming")
        del frame
        con.execute(f"COMMENT ON TABLE {table.name} IS $${table.description}$$")
        for f in table.fields:
            unit = f" [{f.unit}]" if f.unit else ""
            con.execute(f"COMMENT ON COLUMN {table.name}.{f.name} IS $${f.description}{unit}$$")
    for ddl in schema.VIEWS.values():
        con.execute(ddl)


# --- checks on the finished warehouse, before it replaces the old one --------------------------------
def check_foreign_keys(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every reference the schema declares (Table.references) points at a row that exists."""
    refs = [(t.name, column, parent, key) for t in schema.TABLES for column, parent, key in t.references]
    failures = []
    for table, column, parent, key in refs:
        n = con.sql(f"SELECT count(*)::BIGINT FROM {table} t WHERE t.{column} IS NOT NULL AND NOT EXISTS "
                    f"(SELECT 1 FROM {parent} p WHERE p.{key} = t.{column})").fetchall()[0][0]
        if n:
            failures.append(f"{n} row(s) of {table}.{column} point at no {parent}.{key}")
    return failures


def check_primary_keys(con: duckdb.DuckDBPyConnection) -> list[str]:
    """No two rows of a table share its primary key."""
    failures = []
    for t in schema.TABLES:
        if not t.primary_key:
            continue
        key = ", ".join(t.primary_key)
        # A 64-bit hash of the key finds repeats in a third of the time; only a repeated hash needs the exact count.
        n = con.sql(f"SELECT count(*) - count(DISTINCT hash({key})) FROM {t.name}").fetchall()[0][0]
        if n:
            n = con.sql(f"SELECT count(*)::BIGINT FROM (SELECT {key} FROM {t.name} GROUP BY ALL "
                        "HAVING count(*) > 1)").fetchall()[0][0]
        if n:
            failures.append(f"{n} key(s) of {t.name} ({key}) appear more than once")
    return failures


def check_every_mission_city_has_baseline(con: duckdb.DuckDBPyConnection) -> list[str]:
    missing = con.sql("SELECT name FROM city WHERE cohort = 'mission' AND city_id NOT IN "
                      "(SELECT city_id FROM city_baseline) ORDER BY name").fetchall()
    return [f"Mission City '{m[0]}' has no baseline" for m in missing]


def check_every_city_placed(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every city of the Mission and its programmes has a point (a signatory may have none: placement 'missing')."""
    rows = con.sql("SELECT name FROM city WHERE (lat IS NULL OR lon IS NULL) AND list_contains($listed, cohort) "
                   "ORDER BY name", params={"listed": list(vocab.COHORT.codes("listed"))}).fetchall()
    return [f"city '{r[0]}' is not placed on the map" for r in rows]


def check_vocabularies(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every column with a vocabulary holds only its codes (vocab.py): a code the build itself writes (a kind, a
    method) cannot drift from what the read side knows how to show."""
    failures = []
    for t in schema.TABLES:
        for f in t.fields:
            if f.vocab is None:
                continue
            bad = con.sql(f"SELECT DISTINCT {f.name} FROM {t.name} WHERE {f.name} IS NOT NULL "
                          f"AND NOT list_contains($codes, {f.name}) ORDER BY 1",
                          params={"codes": list(f.vocab)}).fetchall()
            if bad:
                failures.append(f"{t.name}.{f.name} holds {', '.join(repr(b[0]) for b in bad)}, not in its "
                                f"vocabulary ({', '.join(f.vocab)})")
    return failures


CHECKS: list[Callable[[duckdb.DuckDBPyConnection], list[str]]] = [
    check_primary_keys, check_foreign_keys, check_vocabularies, check_every_mission_city_has_baseline,
    check_every_city_placed,
]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def cdp_files(data_dir: Path, extra: list[Path] | tuple[Path, ...] = ()) -> list[Path]:
    """The CDP files of a build: those in DATA_DIR/external/cdp/ (CSV, sorted) and those given, once each."""
    folder = Path(data_dir) / CDP_FOLDER
    found = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    out: list[Path] = []
    for path in [*found, *extra]:
        if all(path.resolve() != p.resolve() for p in out):
            out.append(Path(path))
    return out


@dataclass
class Prepared:
    """Every table of the warehouse, ready to be written, with the warnings and the files they were read from."""

    tables: dict[str, pl.DataFrame]
    warnings: list[Problem]
    files: list[InputFileRead]  # every file read (inputs, Covenant workbooks and CDP files), by name
    cdp: list[cdp.FileSummary]
    covenant: Matching


def gcom_files(data_dir: Path, extra: list[Path] | tuple[Path, ...] = ()) -> list[Path]:
    """The Covenant workbooks of a build: those in DATA_DIR/gcom/ (sorted) and those given, once each."""
    out: list[Path] = []
    for path in [*gcom.default_paths(Path(data_dir), GCOM_FOLDER), *extra]:
        if all(Path(path).resolve() != p.resolve() for p in out):
            out.append(Path(path))
    return out


def prepare(data_dir: Path = DEFAULT_DATA_DIR, with_cdp: list[Path] | tuple[Path, ...] = (),
            today: dt.date | None = None, progress: Callable[[str], None] | None = None,
            with_gcom: list[Path] | tuple[Path, ...] = ()) -> Prepared:
    """Everything a build does before it writes: raise ValidationFailed listing every problem of the inputs, else
    return the warehouse's tables. `python -m etl validate` stops here; `build` writes what this returns."""
    step = progress or (lambda _name: None)
    # --- Load inputs: every file read, checked and typed (all problems at once, the workbooks' with the files')
    codes = frozenset(places.countries())
    found = Problems()
    books = gcom.read_all(gcom_files(data_dir, with_gcom), codes, found)
    step("covenant")
    try:
        inputs = load_inputs(Path(data_dir), codes, today=today, progress=step)
    except ValidationFailed as failed:
        raise ValidationFailed([*failed.problems, *found.finish()]) from None
    if found.has_errors:
        raise ValidationFailed([*found.finish(), *inputs.warnings])
    inputs.warnings.extend(found.finish())
    inputs.files.extend(InputFileRead(b.path.name, b.path, b.sha256, b.frame.height) for b in books)
    # --- Process data: ids, signatories matched and placed, modelled baselines, twin links; CDP totals matched
    tables, warnings, matching = transform(inputs, books)
    step("transform")
    # CDP rows are matched to the cities of the Mission and its programmes, as before the signatories came: among
    # 12,000 names, the similar-name rule would make known matches ambiguous.
    listed = tables["city"].filter(pl.col("cohort").is_in(vocab.COHORT.codes("listed")))
    reported = cdp.load_files(cdp_files(data_dir, with_cdp), listed)
    if reported.files:
        tables = with_reported(tables, reported)
        warnings = [*warnings, *reported.warnings]
    step("cdp")
    files = sorted([*inputs.files, *(InputFileRead(p.name, p, digest, n) for p, digest, n in reported.files)],
                   key=lambda f: f.name)
    return Prepared(tables, warnings, files, reported.summaries, matching)


def build(data_dir: Path = DEFAULT_DATA_DIR, db: Path | None = None, progress: Callable[[str], None] | None = None,
          today: dt.date | None = None, with_cdp: list[Path] | tuple[Path, ...] = (),
          with_gcom: list[Path] | tuple[Path, ...] = ()) -> BuildSummary:
    """Validate `data_dir` (with the Covenant workbooks of `gcom_files` and the CDP files of `cdp_files`) and build
    the warehouse at `db`, atomically: on any error the old file is untouched."""
    db = Path(db or default_db())
    step = progress or (lambda _name: None)
    db.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(db)
    prepared = prepare(data_dir, with_cdp, today=today, progress=step, with_gcom=with_gcom)
    # --- Save outputs: bookkeeping tables, then a temporary file that is checked and swapped in
    tables, warnings, files = prepared.tables, prepared.warnings, prepared.files
    now = build_time()
    build_id = hashlib.sha256("".join(f"{f.name}:{f.sha256};" for f in files).encode()).hexdigest()
    tables["load_log"] = pl.DataFrame({"file": [f.name for f in files], "sha256": [f.sha256 for f in files],
                                       "rows": [f.rows for f in files], "loaded_at": [now] * len(files)},
                                      schema={"file": pl.Utf8, "sha256": pl.Utf8, "rows": pl.Int64,
                                              "loaded_at": pl.Datetime("us")})
    tables["build_info"] = pl.DataFrame({"build_id": [build_id], "schema_version": [schema.SCHEMA_VERSION],
                                         "built_at": [now], "data_dir": [Path(data_dir).resolve().name]},
                                        schema={"build_id": pl.Utf8, "schema_version": pl.Int32,
                                                "built_at": pl.Datetime("us"), "data_dir": pl.Utf8})
    tmp = _temp_name(db)
    try:
        con = duckdb.connect(str(tmp))
        try:
            _write(con, tables)
            step("write")
            failures = [f for check in CHECKS for f in check(con)]
            if failures:
                raise ValidationFailed([Problem("warehouse", None, None, f) for f in failures])
            rows = {t.name: con.sql(f"SELECT count(*)::BIGINT FROM {t.name}").fetchall()[0][0]
                    for t in schema.TABLES}
            con.execute("CHECKPOINT")
        finally:
            con.close()
        step("check")
        _fsync(tmp)
        os.replace(tmp, db)
        _fsync(db.parent)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return BuildSummary(db, build_id, rows, rows["source"], warnings, prepared.cdp, prepared.covenant)


def with_reported(tables: dict[str, pl.DataFrame], reported: cdp.Loaded) -> dict[str, pl.DataFrame]:
    """The warehouse tables with independently reported inventories (CDP) added, and their warnings kept."""
    extra = {"emission_inventory": reported.inventory, "emission_report": reported.reports,
             "source": reported.sources, "build_warning": warning_frame(reported.warnings)}
    return {name: project(pl.concat([frame, extra[name]], how="vertical_relaxed"), name) if name in extra else frame
            for name, frame in tables.items()}
