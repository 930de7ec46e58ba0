"""Reads one input file (NAME.csv or NAME.xlsx) into an all-text frame, with the row of every record."""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import duckdb
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


class Records(NamedTuple):
    """A file as read: its records (all text) with ROW, its header as written, and the SHA-256 of its bytes."""
    frame: pl.DataFrame
    header: list[str]
    sha256: str


def read_table(path: Path, spec: InputFile, problems: Problems) -> Records | None:
    """All columns of `spec` as trimmed text (blank = null) plus ROW; None when the file cannot be read."""
    read = read_records(path, problems)
    if read is None:
        return None
    frame = _conform(path.name, read.frame, read.header, spec, problems)
    return None if frame is None else read._replace(frame=frame)


def read_records(path: Path, problems: Problems) -> Records | None:
    """A CSV or XLSX file's records as trimmed text (blank = null) in positional columns (c0, c1, ...) plus ROW,
    and its header as written; None (with the problem said) when the file cannot be read."""
    with path.open("rb") as f:
        if not f.read(1 << 16).strip():
            problems.add(path.name, None, None, "the file is empty: expected a header row and data rows")
            return None
    return _read_xlsx(path, problems) if path.suffix == ".xlsx" else _read_csv(path, problems)


def _read_csv(path: Path, problems: Problems) -> Records | None:
    """The records with positional column names (c0, c1, ...), and the header as written."""
    name = path.name
    scan = _scan(path, problems)
    if scan is None:
        return None
    with path.open(encoding="utf-8-sig", newline="") as f:
        try:
            header = next(csv.reader(f, strict=True), None)
        except csv.Error as err:
            problems.add(name, 1, None, f"broken CSV quoting in the header: {err}")
            return None
    if not header:
        problems.add(name, None, None, "the file is empty: expected a header row and data rows")
        return None
    if len(header) == 1 and ";" in header[0]:
        problems.add(name, 1, None, "the header is one column containing ';': separate columns with ',' "
                     "(and write decimals with '.')")
        return None
    frame = _duckdb_csv(path, len(header), problems, scan.mixed_line_endings)
    if frame is None:
        return None
    if scan.blank_lines:
        # DuckDB skips blank lines, which would shift every later row: count records the slow, exact way.
        frame = frame.with_columns(pl.Series(ROW, _record_lines(path), dtype=pl.Int64))
    elif frame.height + 1 != scan.lines:
        # Some field holds a line break (each record is not one line): read again, counting them.
        frame = _duckdb_csv(path, len(header), problems, scan.mixed_line_endings, count_breaks=True)
    return None if frame is None else Records(frame, header, scan.sha256)


@dataclass
class _Scan:
    sha256: str
    lines: int  # lines of the file, as separated by LF (a last line without one counts)
    blank_lines: bool
    # Some records end with CRLF (Windows) and others with a lone LF: DuckDB's reader cannot follow such a file.
    # (A lone LF inside a quoted field of a CRLF file, as spreadsheets write, also counts: only used for a hint.)
    mixed_line_endings: bool = False


def _record_lines(path: Path) -> list[int]:
    """The line on which each non-blank record after the header starts."""
    lines = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, strict=True)
        next(reader)
        last = reader.line_num
        for record in reader:
            if record:
                lines.append(last + 1)
            last = reader.line_num
    return lines


_CHUNK = 1 << 24
_EMPTY_LINE = re.compile(rb"\n\r?\n")


def _blank_line(window: bytes, after_blank: bool) -> tuple[bool, bool]:
    """(a blank line is followed by a record, an empty line has been seen) after `window`, which starts with the
    last two bytes of the chunk before; `after_blank` says an empty line came before it."""
    if not after_blank:
        if b"\n\n" not in window and b"\n\r\n" not in window:
            return False, False
        window = window[_EMPTY_LINE.search(window).end():]
    return bool(window.strip()), True


def _scan(path: Path, problems: Problems) -> _Scan | None:
    """One pass over the bytes, chunk by chunk (a large file is never held twice in memory): check the encoding,
    hash the file, count its lines and note blank lines and mixed line endings."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    digest = hashlib.sha256()
    blank_lines = False
    newlines, crlf, after_cr, last = 0, 0, False, b""
    carry, after_blank = b"", False
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
            count = chunk.count(b"\n")
            if after_cr or b"\r" in chunk:
                crlf += chunk.count(b"\r\n") + (after_cr and chunk.startswith(b"\n"))
            after_cr, last = chunk.endswith(b"\r"), chunk[-1:]
            # ASCII is UTF-8: decode (which builds a copy) only other bytes, or what ends a character cut by a chunk.
            if not chunk.isascii() or decoder.getstate()[0]:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as err:
                    # err.object is the chunk after the bytes held from the one before (never a line break).
                    _not_utf8(path, err.object, max(err.start, 0), newlines, problems)
                    return None
            newlines += count
            if not blank_lines:
                blank_lines, after_blank = _blank_line(carry + chunk, after_blank)
                carry = chunk[-2:]
    pending = decoder.getstate()[0]  # the file ends inside a character
    if pending:
        _not_utf8(path, pending, 0, newlines, problems)
        return None
    return _Scan(digest.hexdigest(), newlines + (last not in (b"", b"\n")), blank_lines,
                 0 < crlf < newlines)


def _not_utf8(path: Path, chunk: bytes, start: int, lines_before: int, problems: Problems) -> None:
    hint = ""
    try:
        chunk.decode("cp1252")
        hint = " (it looks like Windows-1252 / Latin-1)"
    except UnicodeDecodeError:
        pass
    problems.add(path.name, 1 + lines_before + chunk[:start].count(b"\n"), None, f"the file is not UTF-8{hint}: "
                 f"byte 0x{chunk[start]:02x} cannot be read; save it as UTF-8")


MIXED_LINE_ENDINGS = ("the file mixes Windows (CRLF) and Unix (LF) line endings; save it again with one kind (a "
                      "spreadsheet's 'Save as CSV' does)")


def _duckdb_csv(path: Path, width: int, problems: Problems, mixed_line_endings: bool = False,
                count_breaks: bool = False) -> pl.DataFrame | None:
    """Parse with DuckDB's strict reader: every malformed record is listed with its line, in one pass.

    The result streams in record batches, each cleaned as it arrives, so a large file is held once. ROW counts one
    line per record, plus the line breaks inside fields with `count_breaks`."""
    positional = [f"c{i}" for i in range(width)]
    con = duckdb.connect()
    try:
        columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in positional) + "}"
        batches = con.sql(
            f"SELECT * FROM read_csv($path, header = true, delim = ',', quote = '\"', escape = '\"', "
            f"strict_mode = true, store_rejects = true, auto_detect = false, columns = {columns})",
            params={"path": str(path)},
        ).arrow()
        parts = [_clean(_with_breaks(pl.from_arrow(batch), count_breaks)) for batch in batches]
        rejects = con.sql("SELECT line, error_type, error_message FROM reject_errors ORDER BY line").fetchall()
    except duckdb.Error as err:
        reason = str(err).splitlines()[0]
        problems.add(path.name, None, None, f"cannot be read as CSV: {MIXED_LINE_ENDINGS} ({reason})"
                     if mixed_line_endings else f"cannot be read as CSV: {reason}")
        return None
    finally:
        con.close()
    if rejects:
        quoting = [(line, msg) for line, kind, msg in rejects if kind == "UNQUOTED VALUE"]
        fields = [(line, msg) for line, kind, msg in rejects if kind != "UNQUOTED VALUE"]
        problems.add_rows(path.name, [q[0] for q in quoting], None,
                          [f"broken CSV quoting: {m.rstrip('.')} (a field that starts with '\"' must end with '\"', "
                           "and quotes inside it are written twice)" for _, m in quoting], kind="broken CSV quoting")
        problems.add_rows(path.name, [f[0] for f in fields], None,
                          [f"{_fields_message(m, width)} (check quoting and separators)" for _, m in fields],
                          kind="wrong number of fields")
        if mixed_line_endings:
            problems.add(path.name, None, None, f"{MIXED_LINE_ENDINGS}: this may be the cause")
        return None
    empty = pl.DataFrame(schema={**dict.fromkeys(positional, pl.Utf8), _BREAKS: pl.UInt32})
    frame = pl.concat(parts, rechunk=False) if parts else empty
    # The row of each record: header is row 1, and a field with line breaks pushes later records down.
    # DuckDB has skipped blank lines already; a record of empty fields stays, and its required columns say so.
    breaks = pl.col(_BREAKS).cast(pl.Int64)
    return frame.with_columns((pl.int_range(pl.len()) + 2 + breaks.cum_sum() - breaks).alias(ROW)).drop(_BREAKS)


_BREAKS = "_line_breaks"


def _with_breaks(batch: pl.DataFrame, count: bool = True) -> pl.DataFrame:
    """Count the line breaks inside each record's fields (before trimming can remove any); 0 without `count`."""
    counts = [pl.col(c).str.count_matches("\n", literal=True).fill_null(0) for c in batch.columns] if count else []
    return batch.with_columns(pl.sum_horizontal(counts).cast(pl.UInt32).alias(_BREAKS) if counts
                              else pl.lit(0, pl.UInt32).alias(_BREAKS))


def _clean(frame: pl.DataFrame) -> pl.DataFrame:
    """Text columns trimmed, blanks as null; other columns (row numbers, counts) as they are."""
    text = [c for c, t in frame.schema.items() if t == pl.Utf8]
    trimmed = frame.with_columns(pl.col(c).str.strip_chars() for c in text)
    return trimmed.with_columns(pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in text)


def _fields_message(duckdb_message: str, width: int) -> str:
    found = re.search(r"Found: (\d+)", duckdb_message)
    return f"has {found.group(1)} fields but the header has {width}" if found else duckdb_message


def _read_xlsx(path: Path, problems: Problems) -> Records | None:
    """The first sheet's rows with positional column names, and its first row as the header."""
    try:
        sheet = pl.read_excel(path, engine="calamine", infer_schema_length=0, has_header=False)
    except Exception as err:  # noqa: BLE001 - any reader failure means the same thing to the user
        problems.add(path.name, None, None, f"cannot be read as an Excel workbook: {str(err).splitlines()[0]}")
        return None
    if sheet.height == 0:
        problems.add(path.name, None, None, "the file is empty: expected a header row and data rows")
        return None
    header = [v or "" for v in sheet.row(0)]
    frame = _clean(sheet.slice(1)).with_columns(pl.Series(ROW, range(2, sheet.height + 1), dtype=pl.Int64))
    data_cols = [c for c in frame.columns if c != ROW]
    return Records(frame.filter(~pl.all_horizontal(pl.col(data_cols).is_null())), header,
                   hashlib.sha256(path.read_bytes()).hexdigest())


def _conform(name: str, frame: pl.DataFrame, header: list[str], spec: InputFile,
             problems: Problems) -> pl.DataFrame | None:
    """Name the positional columns of `frame` by `header`, strictly: every documented column must be there,
    once; others are ignored with a warning. The readers have trimmed the values and made blanks null."""
    found = [c.strip() for c in header]
    expected = spec.column_names
    duplicated = sorted({c for c in found if found.count(c) > 1})
    for column in duplicated:
        problems.add(name, 1, column, "the column appears more than once in the header")
    missing = [c for c in expected if c not in found]
    extra = [c for c in found if c not in expected]
    for column in missing:
        near = difflib.get_close_matches(column.lower(), [e.lower() for e in extra], n=1, cutoff=0.6)
        renamed = next((e for e in extra if near and e.lower() == near[0]), None)
        hint = f" (found '{renamed}': rename it to '{column}')" if renamed else ""
        problems.add(name, 1, column, f"missing column '{column}'{hint}; expected columns: {', '.join(expected)}")
    if missing or duplicated:
        return None
    for column in extra:
        problems.add(name, 1, column, f"unknown column '{column}' is ignored", severity="warning")
    if frame.height == 0:
        problems.add(name, None, None, "the file has a header but no data rows", severity="warning")
    positions = {c: frame.columns[i] for i, c in enumerate(found)}
    return frame.select([pl.col(positions[c]).alias(c) for c in expected] + [pl.col(ROW)])
