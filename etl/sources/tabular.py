"""Reads one input file (NAME.csv or NAME.xlsx) into an all-text frame, with the row of every record."""

from __future__ import annotations

import csv
import difflib
import io
from array import array
from pathlib import Path

import polars as pl

from etl.problems import Problems
from etl.schema import InputFile

ROW = "_row"  # the row of each record in its file, as a spreadsheet counts (header = 1)
SUFFIXES = (".csv", ".xlsx")


def find_input(data_dir: Path, spec: InputFile, problems: Problems) -> Path | None:
    """The file that holds `spec` in `data_dir`, or None (with a problem when it is required)."""
    found = [data_dir / f"{spec.name}{suffix}" for suffix in SUFFIXES if (data_dir / f"{spec.name}{suffix}").exists()]
    if len(found) > 1:
        problems.add(found[0].name, None, None, f"both {found[0].name} and {found[1].name} exist: keep one")
        return None
    if not found:
        if not spec.optional:
            problems.add(f"{spec.name}.csv", None, None, f"required file is missing from {data_dir}")
        return None
    return found[0]


def read_table(path: Path, spec: InputFile, problems: Problems) -> pl.DataFrame | None:
    """All columns of `spec` as trimmed text (blank = null) plus ROW; None when the file cannot be read."""
    raw = path.read_bytes()
    if not raw.strip():
        problems.add(path.name, None, None, "the file is empty: expected a header row and data rows")
        return None
    frame = _read_xlsx(path, problems) if path.suffix == ".xlsx" else _read_csv(path.name, raw, problems)
    if frame is None:
        return None
    return _conform(path.name, frame, spec, problems)


def _read_csv(name: str, raw: bytes, problems: Problems) -> pl.DataFrame | None:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        row = raw[: err.start].count(b"\n") + 1
        hint = ""
        try:
            raw.decode("cp1252")
            hint = " (it looks like Windows-1252 / Latin-1)"
        except UnicodeDecodeError:
            pass
        problems.add(name, row, None, f"the file is not UTF-8{hint}: byte 0x{raw[err.start]:02x} cannot be read; "
                     "save it as UTF-8")
        return None

    lines, header = _scan_csv(name, text, problems)
    if lines is None or header is None:
        return None
    if len(header) == 1 and ";" in header[0]:
        problems.add(name, 1, None, "the header is one column containing ';': separate columns with ',' "
                     "(and write decimals with '.')")
        return None
    try:
        frame = pl.read_csv(io.StringIO(text), infer_schema=False, has_header=True, quote_char='"')
    except pl.exceptions.PolarsError as err:  # the scan above should have caught it: say so plainly
        problems.add(name, None, None, f"cannot be read as CSV: {str(err).splitlines()[0]}")
        return None
    if frame.height != len(lines):
        # polars and the csv module disagree on record boundaries (e.g. trailing blank lines): use the
        # csv module's records, which the line numbers describe.
        rows = [r for r in csv.reader(io.StringIO(text), strict=True)][1:]
        width = len(header)
        frame = pl.DataFrame([r if r else [None] * width for r in rows], schema=header, orient="row")
    frame = frame.with_columns(pl.Series(ROW, lines, dtype=pl.Int64))
    # blank lines come through as all-null records: drop them
    data_cols = [c for c in frame.columns if c != ROW]
    return frame.filter(~pl.all_horizontal(pl.col(data_cols).is_null()))


def _scan_csv(name: str, text: str, problems: Problems) -> tuple[array | None, list[str] | None]:
    """Check the structure of a CSV text; return the start line of every record and the header."""
    reader = csv.reader(io.StringIO(text), strict=True)
    lines = array("q")
    header: list[str] | None = None
    bad = []
    last = 0
    try:
        for record in reader:
            start = last + 1
            last = reader.line_num
            if header is None:
                header = record
                continue
            lines.append(start)
            if record and len(record) != len(header):
                bad.append((start, len(record)))
    except csv.Error as err:
        problems.add(name, last + 1, None, f"broken CSV quoting: {err} (a field that starts with '\"' must end "
                     "with '\"', and quotes inside it are written twice)")
        return None, None
    if header is None:
        problems.add(name, None, None, "the file is empty: expected a header row and data rows")
        return None, None
    if bad:
        problems.add_rows(
            name, [b[0] for b in bad], None,
            [f"has {n} fields but the header has {len(header)} (check quoting and separators)" for _, n in bad],
            kind="wrong number of fields",
        )
        return None, None
    return lines, header


def _read_xlsx(path: Path, problems: Problems) -> pl.DataFrame | None:
    try:
        frame = pl.read_excel(path, engine="calamine", infer_schema_length=0)
    except Exception as err:  # noqa: BLE001 - any reader failure means the same thing to the user
        problems.add(path.name, None, None, f"cannot be read as an Excel workbook: {str(err).splitlines()[0]}")
        return None
    frame = frame.with_columns(pl.Series(ROW, range(2, frame.height + 2), dtype=pl.Int64))
    data_cols = [c for c in frame.columns if c != ROW]
    return frame.filter(~pl.all_horizontal(pl.col(data_cols).is_null()))


def _conform(name: str, frame: pl.DataFrame, spec: InputFile, problems: Problems) -> pl.DataFrame | None:
    """Rename strictly: every documented column must be in the header; others are ignored with a warning."""
    found = [c.strip() for c in frame.columns if c != ROW]
    frame = frame.rename({c: c.strip() for c in frame.columns if c != ROW})
    expected = spec.column_names
    missing = [c for c in expected if c not in found]
    extra = [c for c in found if c not in expected]
    for column in missing:
        near = difflib.get_close_matches(column.lower(), [e.lower() for e in extra], n=1, cutoff=0.6)
        renamed = next((e for e in extra if near and e.lower() == near[0]), None)
        hint = f" (found '{renamed}': rename it to '{column}')" if renamed else ""
        problems.add(name, 1, column, f"missing column '{column}'{hint}; expected columns: {', '.join(expected)}")
    duplicated = sorted({c for c in found if found.count(c) > 1})
    for column in duplicated:
        problems.add(name, 1, column, "the column appears more than once in the header")
    if missing or duplicated:
        return None
    for column in extra:
        problems.add(name, 1, column, f"unknown column '{column}' is ignored", severity="warning")
    if frame.height == 0:
        problems.add(name, None, None, "the file has a header but no data rows", severity="warning")
    text = [pl.col(c).cast(pl.Utf8).str.strip_chars() for c in expected]
    return frame.select(
        [pl.when(t == "").then(None).otherwise(t).alias(c) for c, t in zip(expected, text, strict=True)]
        + [pl.col(ROW)]
    )
