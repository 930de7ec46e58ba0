"""The Covenant of Mayors signatories as the European Commission's Joint Research Centre publishes them (GCoM -
MyCovenant, table df1, one workbook per release): check that the workbook is that table, read it by header name,
type every column strictly, and say every problem at once by file, sheet, row and column.

Licence CC BY 4.0 ((c) European Union): the workbook is read unchanged; its README sheet names the release and gives
the citation that the source row carries, and the changes the dashboard makes are said in that row's notes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import polars as pl

import vocab
from etl.names import slug
from etl.problems import Problems
from etl.sources import computed
from etl.validate import INTEGER, NUMBER, explain_number

DATA_SHEET, README_SHEET = "1", "README"
# df1's columns (df1_METADATA) and how each is read. "flag": True or False, nothing else; "-" is empty everywhere.
COLUMNS: dict[str, str] = {
    "organisation_id": "id", "organisation_name": "required", "coordinator_name": "text", "supporter_name": "text",
    "country_code": "country", "country_name": "text", "population_adhesion": "population",
    "organisation_latitude": "latitude", "organisation_longitude": "longitude", "group_organisation_id": "text",
    "group_name": "text", "commitment_CoM2020_flag": "flag", "commitment_CoM2030_flag": "flag",
    "commitment_CoM2050_flag": "flag", "commitment_mayoradapt_flag": "flag", "adhesion_type": "adhesion",
    "signatory_status": "status", "date_of_adhesion": "date", "action_plan_expected": "flag",
    "group_profile": "flag", "gcom_id": "text",
}
# Read, not stored: the mayor's name is personal data the dashboard does not need; the country name is GeoNames'.
NOT_STORED = ("mayor", "country_name")
EMPTY = ("", "-")
DATE = r"^\d{4}-\d{2}-\d{2}( 00:00:00)?$"  # a date cell, as the reader gives it (midnight: a date, not a time)
ZIP_MAGIC = b"PK\x03\x04"  # an xlsx workbook is a ZIP archive


@dataclass(frozen=True)
class Workbook:
    """One df1 workbook as read: its typed rows (`row` = the row as a spreadsheet shows it), the release it claims,
    the citation of its README sheet, and the file's SHA-256."""

    path: Path
    frame: pl.DataFrame
    release: str
    citation: str | None
    sha256: str

    @property
    def source_id(self) -> str:
        return computed.source_id("gcom", release_slug=slug(self.release))

    def source_row(self) -> dict[str, object]:
        return computed.source_row("gcom", release=self.release, release_slug=slug(self.release),
                                   citation=self.citation or computed.text("gcom", "default_citation"),
                                   file=self.path.name, sha256=self.sha256[:12])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _text(value: object) -> str | None:
    """A cell as trimmed text (non-breaking spaces too); '-' and blank are empty."""
    if value is None:
        return None
    text = " ".join(str(value).replace("\u00a0", " ").split())
    return None if text in EMPTY else text


def _sheet(path: Path, name: str) -> pl.DataFrame:
    return pl.read_excel(path, sheet_name=name, engine="calamine", infer_schema_length=0, has_header=False)


def _release(path: Path, problems: Problems) -> tuple[str | None, str | None]:
    """The release named by the README sheet's 'Dataset' row, and its 'Citation'; (None, None) with the problem
    said when the sheet does not say it is a GCoM-MyCovenant release."""
    readme = _sheet(path, README_SHEET)
    fields = {}
    for i, row in enumerate(readme.iter_rows(), start=1):
        key, value = (_text(row[0]) if row else None), (_text(row[1]) if len(row) > 1 else None)
        if key and key not in fields:
            fields[key] = (i, value)
    row, dataset = fields.get("Dataset", (None, None))
    if not dataset or "mycovenant" not in dataset.lower():
        problems.add(path.name, row, "Dataset", f"the README sheet names the dataset {dataset!r}, not a GCoM - "
                     "MyCovenant release: is this the JRC's df1 workbook?", sheet=README_SHEET)
        return None, None
    return dataset, fields.get("Citation", (None, None))[1]


def read(path: Path, countries: frozenset[str], problems: Problems) -> Workbook | None:
    """The signatories of one df1 workbook, typed; None when it cannot be read as one (every problem said)."""
    name = path.name
    if not path.is_file():
        problems.add(str(path), None, None, "no such file (a Covenant of Mayors workbook)")
        return None
    with path.open("rb") as f:
        start = f.read(4)
    if start != ZIP_MAGIC:
        problems.add(name, None, None, "not an xlsx workbook (an .xlsx file is a ZIP archive; this one is not): "
                     "give the JRC's df1 workbook as published")
        return None
    try:
        import fastexcel

        sheets = fastexcel.read_excel(path).sheet_names
    except Exception as err:  # noqa: BLE001 - the reader's errors are many kinds of 'not a workbook'
        problems.add(name, None, None, f"not an xlsx workbook that can be read ({type(err).__name__}: {err})")
        return None
    missing = [s for s in (README_SHEET, DATA_SHEET) if s not in sheets]
    for sheet in missing:
        what = "the data sheet '1' (df1's rows)" if sheet == DATA_SHEET else "the README sheet (release, citation)"
        problems.add(name, None, None, f"{what} is missing: the workbook has {', '.join(map(repr, sheets))}; "
                     "was a sheet renamed?", sheet=sheet)
    if missing:
        return None
    release, citation = _release(path, problems)
    frame = _rows(path, countries, problems)
    if frame is None or release is None:
        return None
    return Workbook(path, frame, release, citation, _sha256(path))


def _rows(path: Path, countries: frozenset[str], problems: Problems) -> pl.DataFrame | None:
    """The data sheet's rows, typed, each column read by its header; None when a column is missing or a value is
    wrong (every one said)."""
    raw = _sheet(path, DATA_SHEET)
    if raw.height == 0:
        problems.add(path.name, None, None, "the data sheet is empty", sheet=DATA_SHEET)
        return None
    header = [_text(v) or "" for v in raw.row(0)]
    missing = [c for c in COLUMNS if c not in header]
    for column in missing:
        problems.add(path.name, 1, column, f"column '{column}' is missing from the header (df1's columns: "
                     f"{', '.join(COLUMNS)})", sheet=DATA_SHEET)
    if missing:
        return None
    body = raw.slice(1)
    text = pl.DataFrame({c: [_text(v) for v in body.get_column(body.columns[header.index(c)]).to_list()]
                         for c in COLUMNS}, schema=dict.fromkeys(COLUMNS, pl.Utf8))
    text = text.with_columns(pl.Series("row", range(2, raw.height + 1), dtype=pl.Int64))
    checked = _Checked(path.name, text, problems)
    out = pl.DataFrame({"row": text["row"]})
    for column, kind in COLUMNS.items():
        out = out.with_columns(getattr(checked, kind)(column, countries).alias(column))
    checked.duplicates("organisation_id")
    checked.whole_points()
    return None if checked.failed else out.drop(NOT_STORED, strict=False)


class _Checked:
    """Typed columns of the data sheet; every value that does not fit is a problem at its row and column."""

    def __init__(self, file: str, text: pl.DataFrame, problems: Problems) -> None:
        self.file, self.cells, self.problems, self.failed = file, text, problems, False

    def _bad(self, column: str, mask: pl.Series, message, kind: str, severity: str = "error") -> None:
        rows = self.cells.filter(mask)
        if rows.height:
            self.failed = self.failed or severity == "error"
            self.problems.add_rows(self.file, rows["row"].to_list(), column,
                                   [message(v) for v in rows[column].to_list()], kind, severity, sheet=DATA_SHEET)

    def text_of(self, column: str) -> pl.Series:
        return self.cells[column]

    def text(self, column: str, _countries=None) -> pl.Series:
        return self.text_of(column)

    def required(self, column: str, _countries=None) -> pl.Series:
        values = self.text_of(column)
        self._bad(column, values.is_null(), lambda _v: "empty: every signatory has one", "empty")
        return values

    def id(self, column: str, _countries=None) -> pl.Series:
        return self.required(column)

    def country(self, column: str, countries: frozenset[str]) -> pl.Series:
        codes = self.required(column).str.to_uppercase()
        self._bad(column, codes.is_not_null() & ~codes.is_in(sorted(countries)),
                  lambda v: f"unknown country code '{v}' (ISO 3166-1 alpha-2 expected)", "unknown country")
        return codes

    def population(self, column: str, _countries=None) -> pl.Series:
        values = self.text_of(column)
        self._bad(column, values.is_not_null() & ~values.str.contains(INTEGER),
                  lambda v: f"population {explain_number(v, integer=True)}", "not a whole number")
        whole = pl.when(values.str.contains(INTEGER)).then(values.str.replace(r"\.0+$", "")).otherwise(None)
        counts = self.cells.select(whole.cast(pl.Int64).alias(column))[column]
        self._bad(column, counts.is_not_null() & (counts < 0), lambda v: f"population {v} is negative", "negative")
        return counts

    def _coordinate(self, column: str, limit: float, what: str) -> pl.Series:
        raw = self.text_of(column)
        # Quirks of the published file, read rather than refused (and said as warnings): a few coordinates written
        # with a decimal comma (a coordinate has no thousands), and the word 'null' for an empty cell.
        comma = raw.is_not_null() & raw.str.contains(r"^[+-]?\d+,\d+$")
        null = raw.is_not_null() & (raw.str.to_lowercase() == "null")
        self._bad(column, comma, lambda v: f"{what} {v!r} has a decimal comma: read as {v.replace(',', '.')}",
                  "decimal comma", "warning")
        self._bad(column, null, lambda v: f"{what} {v!r} read as empty", "'null'", "warning")
        values = (pl.when(null).then(None).when(comma).then(raw.str.replace(",", ".", literal=True))
                  .otherwise(raw))
        values = self.cells.select(values.alias(column))[column]
        self._bad(column, values.is_not_null() & ~values.str.contains(NUMBER),
                  lambda v: f"{what} {explain_number(v)}", "not a number")
        numbers = values.cast(pl.Float64, strict=False)
        self._bad(column, numbers.is_not_null() & (numbers.abs() > limit),
                  lambda _v: f"{what} out of range (-{limit:g} to {limit:g})", "out of range")
        return numbers

    def latitude(self, column: str, _countries=None) -> pl.Series:
        return self._coordinate(column, 90, "latitude")

    def longitude(self, column: str, _countries=None) -> pl.Series:
        return self._coordinate(column, 180, "longitude")

    def whole_points(self) -> None:
        lat, lon = (self.text_of(c).str.to_lowercase().replace("null", None)
                    for c in ("organisation_latitude", "organisation_longitude"))
        self._bad("organisation_longitude", lat.is_not_null() & lon.is_null(),
                  lambda _v: "a latitude without a longitude: a point needs both", "half a point")
        self._bad("organisation_latitude", lat.is_null() & lon.is_not_null(),
                  lambda _v: "a longitude without a latitude: a point needs both", "half a point")

    def flag(self, column: str, _countries=None) -> pl.Series:
        values = self.text_of(column).str.to_lowercase()
        self._bad(column, ~values.is_in(["true", "false"]) | values.is_null(),
                  lambda v: f"{v!r} is not True or False" if v is not None else "empty: expected True or False",
                  "not True/False")
        return values == "true"

    def _coded(self, column: str, terms: vocab.Vocabulary, severity: str) -> pl.Series:
        values = self.text_of(column)
        codes = pl.Series([terms.parse(v) if v is not None else None for v in values], dtype=pl.Utf8)
        self._bad(column, values.is_not_null() & codes.is_null(),
                  lambda v: f"{v!r} is not a value of df1's {terms.name} ({', '.join(terms.codes())})"
                  + (": kept as unknown" if severity == "warning" else ""), f"unknown {terms.name}", severity)
        return codes

    def status(self, column: str, _countries=None) -> pl.Series:
        self.required(column)
        return self._coded(column, vocab.COVENANT_STATUS, "error")

    def adhesion(self, column: str, _countries=None) -> pl.Series:
        # The 5th release has one row whose adhesion type reads '1': a slip of the file, not a reason to refuse it.
        return self._coded(column, vocab.ADHESION, "warning")

    def date(self, column: str, _countries=None) -> pl.Series:
        values = self.text_of(column)
        self._bad(column, values.is_not_null() & ~values.str.contains(DATE),
                  lambda v: f"{v!r} is not a date (a date cell, or YYYY-MM-DD)", "not a date")
        days = self.cells.select(pl.col(column).str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False))[column]
        self._bad(column, values.is_not_null() & values.str.contains(DATE) & days.is_null(),
                  lambda v: f"{v!r} is not a date of the calendar", "not a date")
        return days

    def duplicates(self, column: str) -> None:
        values = self.text_of(column)
        repeated = self.cells.filter(values.is_not_null() & values.is_duplicated())
        first = repeated.group_by(column).agg(pl.col("row").min().alias("first"))
        repeats = repeated.join(first, on=column).filter(pl.col("row") > pl.col("first"))
        if repeats.height:
            self.failed = True
            self.problems.add_rows(self.file, repeats["row"].to_list(), column,
                                   [f"{column} '{v}' is also on row {f}: each signatory once"
                                    for v, f in zip(repeats[column], repeats["first"], strict=True)],
                                   "duplicate", sheet=DATA_SHEET)


def default_paths(data_dir: Path, folder: Path) -> list[Path]:
    """The workbooks in DATA_DIR/FOLDER (sorted); a build reads each."""
    found = Path(data_dir) / folder
    return sorted(p for p in found.glob("*.xlsx") if not p.name.startswith("~$")) if found.is_dir() else []


def read_all(paths: list[Path], countries: frozenset[str], problems: Problems) -> list[Workbook]:
    """Every workbook read; two of one release is a problem (a signatory would appear twice)."""
    books: list[Workbook] = []
    for path in paths:
        book = read(path, countries, problems)
        if book is None:
            continue
        twin = next((b for b in books if b.source_id == book.source_id), None)
        if twin is not None:
            problems.add(path.name, None, None, f"the same release ({book.release}) as {twin.path.name}: give one "
                         "workbook per release")
            continue
        books.append(book)
    ids = [b.frame.select("organisation_id").with_columns(file=pl.lit(b.path.name)) for b in books]
    if len(ids) > 1:
        both = pl.concat(ids).filter(pl.col("organisation_id").is_duplicated())
        for oid in sorted(set(both["organisation_id"]))[:10]:
            problems.add(books[-1].path.name, None, "organisation_id", f"organisation_id '{oid}' is in more than one "
                         "workbook: give one release", sheet=DATA_SHEET)
    return books

