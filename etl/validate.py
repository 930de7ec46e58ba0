"""Generic checks of the input files, with human messages (file, row, column, what is wrong)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

import vocab
from etl import schema
from etl.problems import MAX_ROWS_PER_PROBLEM, Problem, Problems, ValidationFailed
from etl.schema import InputColumn, InputFile
from etl.sources.tabular import ROW, find_input, read_table

NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
INTEGER = r"^[+-]?\d+(\.0+)?$"  # "2019.0" is how a spreadsheet may store a whole number
DATE = r"^\d{4}-\d{2}-\d{2}( 00:00:00(\.0+)?)?$"
# The EU's own codes for Greece and the United Kingdom are not ISO 3166-1.
ISO_HINTS = {"EL": "GR", "UK": "GB"}


@dataclass
class InputFileRead:
    name: str
    path: Path
    sha256: str
    rows: int


@dataclass
class Inputs:
    """Every input file, typed and checked, keyed by logical name; absent optional files are empty frames."""

    frames: dict[str, pl.DataFrame]
    files: list[InputFileRead]
    warnings: list = field(default_factory=list)

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self.frames[name]


def explain_number(text: str, integer: bool = False) -> str:
    """Why `text` is not a number in the documented format ('.' decimals, no thousands separators)."""
    t = text.strip()
    low = t.lower().lstrip("+-")
    if low in {"nan", "inf", "infinity", "na", "n/a"}:
        return f"'{t}' is not a finite number: NaN, infinity and N/A are not allowed (leave the cell blank)"
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", t):
        return (f"'{t}' is ambiguous: is ',' a thousands separator or a decimal comma? Write it without thousands "
                "separators and with '.' for decimals (e.g. 1234 or 1.234)")
    if re.fullmatch(r"[+-]?\d+,\d+", t):
        return f"'{t}' uses a decimal comma: write {t.replace(',', '.')}"
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?", t):
        plain = t.replace(".", "").replace(",", ".")
        return f"'{t}' uses '.' as a thousands separator (European format): write {plain}"
    if re.fullmatch(r"[+-]?\d{1,3}([ '\u00a0\u202f]\d{3})+([.,]\d+)?", t):
        return f"'{t}' contains a thousands separator: write the digits without spaces or apostrophes"
    if integer and re.fullmatch(NUMBER, t):
        return f"'{t}' is not a whole number"
    kind = "a whole number" if integer else "a number"
    return f"'{t}' is text where {kind} belongs"


def _vocab_message(value: str, vocab: tuple[str, ...]) -> str:
    near = difflib.get_close_matches(value.lower(), vocab, n=1, cutoff=0.6)
    hint = f" (did you mean '{near[0]}'?)" if near else ""
    return f"'{value}' is not an allowed value{hint}; allowed: {', '.join(vocab)}"


def _report(problems: Problems, name: str, bad: pl.DataFrame, column: str | None, kind: str, message) -> None:
    """Report the rows of `bad` (which has ROW); `message(row_dict)` words the first few."""
    if bad.height == 0:
        return
    head = bad.head(MAX_ROWS_PER_PROBLEM).to_dicts()
    problems.add_rows(name, bad[ROW].to_list(), column, [message(r) for r in head], kind=kind)


def cast_column(name: str, frame: pl.DataFrame, col: InputColumn, problems: Problems) -> pl.Expr:
    """Check one text column against its declaration; return the expression that casts it."""
    c = pl.col(col.name)
    own = frame.select(col.name, ROW)  # checks read one column: never copy the others
    present = own.filter(c.is_not_null())
    if col.required:
        _report(problems, name, own.filter(c.is_null()), col.name, "empty required value",
                lambda r: "is empty but a value is required")
    if col.kind in ("float", "int"):
        pattern = INTEGER if col.kind == "int" else NUMBER
        bad = present.filter(~c.str.contains(pattern))
        _report(problems, name, bad, col.name, "not a number",
                lambda r: explain_number(r[col.name], integer=col.kind == "int"))
        number = c.str.replace_all(r"^\+", "").cast(pl.Float64, strict=False)
        if col.min is not None or col.max is not None:
            ok = present.filter(c.str.contains(pattern)).with_columns(number.alias("_v"))
            lo = col.min if col.min is not None else float("-inf")
            hi = col.max if col.max is not None else float("inf")
            out = ok.filter((pl.col("_v") < lo) | (pl.col("_v") > hi))
            bounds = f"{lo:g} to {hi:g}" if col.min is not None and col.max is not None else (
                f"at least {lo:g}" if col.min is not None else f"at most {hi:g}")
            _report(problems, name, out, col.name, "out of range",
                    lambda r: f"{r[col.name]} is outside the allowed range ({bounds})")
        return number.cast(pl.Int64, strict=False) if col.kind == "int" else number
    if col.kind == "date":
        parsed = c.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
        shape_bad = present.filter(~c.str.contains(DATE))
        _report(problems, name, shape_bad, col.name, "not a date",
                lambda r: f"'{r[col.name]}' is not a date in the form YYYY-MM-DD")
        impossible = present.filter(c.str.contains(DATE) & parsed.is_null())
        _report(problems, name, impossible, col.name, "impossible date",
                lambda r: f"'{r[col.name]}' is not a real date (no such day in the calendar)")
        return parsed
    if col.kind == "bool":
        low = c.str.to_lowercase()
        bad = present.filter(~low.is_in(["true", "false"]))
        _report(problems, name, bad, col.name, "not true/false", lambda r: f"'{r[col.name]}' is not true or false")
        return low == "true"
    if col.kind == "list":
        items = c.str.split(";").list.eval(pl.element().str.strip_chars()).list.eval(
            pl.element().filter(pl.element() != ""))
        if col.vocab:
            exploded = present.select(ROW, items.alias("_item")).explode("_item").drop_nulls("_item")
            bad = exploded.filter(~pl.col("_item").is_in(col.vocab))
            _report(problems, name, bad, col.name, "unknown value", lambda r: _vocab_message(r["_item"], col.vocab))
        return items
    if col.vocab:
        bad = present.filter(~c.is_in(col.vocab))
        _report(problems, name, bad, col.name, "unknown value", lambda r: _vocab_message(r[col.name], col.vocab))
    return c


def check_file(name: str, frame: pl.DataFrame, spec: InputFile, iso_codes: frozenset[str],
               problems: Problems) -> pl.DataFrame:
    """Type-check every column of one file; return it typed (rows with problems are kept, and reported)."""
    exprs = [cast_column(name, frame, col, problems).alias(col.name) for col in spec.columns]
    if "country_iso2" in spec.column_names:
        _check_iso(name, frame, iso_codes, problems)
    return frame.select([*exprs, pl.col(ROW)])


def _check_iso(name: str, frame: pl.DataFrame, iso_codes: frozenset[str], problems: Problems) -> None:
    c = pl.col("country_iso2")
    bad = frame.select("country_iso2", ROW).filter(c.is_not_null() & ~c.is_in(sorted(iso_codes)))

    def message(r):
        code = r["country_iso2"]
        if code in ISO_HINTS:
            return f"'{code}' is the EU's code, not ISO 3166-1 alpha-2: write {ISO_HINTS[code]}"
        if code.upper() in iso_codes:
            return f"'{code}' must be written in capitals: {code.upper()}"
        return f"'{code}' is not an ISO 3166-1 alpha-2 country code"

    _report(problems, name, bad, "country_iso2", "bad country code", message)


def check_duplicates(name: str, frame: pl.DataFrame, spec: InputFile, problems: Problems) -> pl.DataFrame:
    """Exact duplicates are dropped with a warning; rows that share a key but disagree are errors."""
    key = list(spec.key)
    values = [c for c in spec.column_names if c not in key]
    # A 64-bit hash of the key finds repeats in a fraction of the memory; a collision only costs the exact path.
    if not frame.select(pl.struct(key).hash()).to_series().is_duplicated().any():
        return frame
    dup = frame.filter(pl.len().over(key) > 1)
    first = dup.sort(ROW).group_by(key, maintain_order=True).agg(pl.col(ROW).first().alias("_first"))
    dup = dup.join(first, on=key, how="left", nulls_equal=True).filter(pl.col(ROW) != pl.col("_first"))
    originals = frame.rename({c: f"_orig_{c}" for c in values}).rename({ROW: "_first"}).drop(key)
    dup = dup.join(originals, on="_first", how="left")

    def as_text(column: str) -> pl.Expr:
        c = pl.col(column)
        return (c.list.join(";") if frame.schema[column.removeprefix("_orig_")] == pl.List(pl.Utf8)
                else c.cast(pl.Utf8)).fill_null("")

    differing = [pl.when(as_text(c) != as_text(f"_orig_{c}")).then(pl.lit(c)) for c in values]
    dup = dup.with_columns(
        (pl.concat_list(differing).list.drop_nulls() if differing else pl.lit([], dtype=pl.List(pl.Utf8)))
        .alias("_diff"))
    conflicts = dup.filter(pl.col("_diff").list.len() > 0)
    exact = dup.filter(pl.col("_diff").list.len() == 0)

    def key_text(r):
        return ", ".join(f"{k}={r[k]}" for k in key)

    _report(problems, name, conflicts, None, "conflicting duplicate key",
            lambda r: f"conflicting duplicate: same key ({key_text(r)}) as row {r['_first']} but different "
                      f"{', '.join(r['_diff'])}")
    if exact.height:
        rows = exact[ROW].to_list()
        head = exact.head(MAX_ROWS_PER_PROBLEM).to_dicts()
        problems.add_rows(name, rows, None, [f"exact duplicate of row {r['_first']}: the copy is ignored"
                                             for r in head], kind="exact duplicate", severity="warning")
    return frame.filter(~pl.col(ROW).is_in(exact[ROW].implode()))


def check_references(inputs: dict[str, pl.DataFrame], file_names: dict[str, str], problems: Problems) -> None:
    """Cities and sources referenced anywhere must be declared in cities and sources."""
    cities = inputs["cities"].select("city", "country_iso2").unique()
    sources = inputs["sources"].select("source_id").unique()
    known_names = dict(inputs["cities"].select("city", "country_iso2").iter_rows())
    for name, frame in inputs.items():
        fname = file_names.get(name, f"{name}.csv")
        if name != "cities" and "city" in frame.columns:
            bad = frame.join(cities, on=["city", "country_iso2"], how="anti").filter(pl.col("city").is_not_null())

            def message(r):
                other = known_names.get(r["city"])
                hint = f" (cities.csv has it in {other})" if other and other != r["country_iso2"] else ""
                return f"city '{r['city']}' ({r['country_iso2']}) is not declared in cities.csv{hint}"

            _report(problems, fname, bad, "city", "undeclared city", message)
        for column in [c for c in frame.columns if c.endswith("source_id") and name != "sources"]:
            bad = frame.join(sources.rename({"source_id": column}), on=column, how="anti").filter(
                pl.col(column).is_not_null())
            _report(problems, fname, bad, column, "undeclared source",
                    lambda r, column=column: f"{column} '{r[column]}' is not declared in sources.csv")


# --- Rules of the domain that a column type cannot say: each a named check, all run, every problem reported ---
Frames = dict[str, pl.DataFrame]
FileName = Callable[[str], str | None]


def negative_emissions_only_in_sinks(inputs: Frames, f: FileName, today: dt.date, problems: Problems) -> None:
    sinks = vocab.SECTOR.codes("allows_negative")
    neg = inputs["emissions"].filter((pl.col("tco2e") < 0) & ~pl.col("sector").is_in(sinks))
    _report(problems, f("emissions"), neg, "tco2e", "negative emissions",
            lambda r: f"negative emissions ({r['tco2e']:g}) in sector '{r['sector']}': only "
                      f"{', '.join(sinks)} may be negative (carbon sinks)")


def negative_national_emissions_only_in_land_use(inputs: Frames, f: FileName, today: dt.date,
                                                 problems: Problems) -> None:
    neg = inputs["national_ghg_sectors"].filter((pl.col("mt_co2e") < 0) & ~pl.col("national_sector").is_in(
        vocab.NATIONAL_SECTOR.codes("allows_negative")))
    _report(problems, f("national_ghg_sectors"), neg, "mt_co2e", "negative emissions",
            lambda r: f"negative emissions ({r['mt_co2e']:g}) in '{r['national_sector']}': only land use may be "
                      "negative")


def label_dates_between_the_first_labels_and_today(inputs: Frames, f: FileName, today: dt.date,
                                                   problems: Problems) -> None:
    lo = dt.date.fromisoformat(schema.LABEL_DATE_MIN)
    bad = inputs["mission_labels"].filter((pl.col("label_date") < lo) | (pl.col("label_date") > today))
    _report(problems, f("mission_labels"), bad, "label_date", "impossible label date",
            lambda r: f"{r['label_date']} is impossible for a Mission Label (the mission's labels start in {lo.year} "
                      f"and cannot be later than today, {today})")


def month_precision_dates_on_the_first(inputs: Frames, f: FileName, today: dt.date, problems: Problems) -> None:
    labels = inputs["mission_labels"]
    bad = labels.filter((pl.col("date_precision") == "month") & (pl.col("label_date").dt.day() != 1))
    _report(problems, f("mission_labels"), bad, "label_date", "month precision",
            lambda r: f"date_precision is 'month' but {r['label_date']} is not the first day of a month")


def labels_only_for_mission_cities(inputs: Frames, f: FileName, today: dt.date, problems: Problems) -> None:
    newcomer = inputs["cities"].filter(pl.col("cohort") == "newcomer").select("city", "country_iso2")
    bad = inputs["mission_labels"].join(newcomer, on=["city", "country_iso2"], how="semi")
    _report(problems, f("mission_labels"), bad, "city", "label for newcomer",
            lambda r: f"'{r['city']}' is a newcomer in cities.csv: only Mission Cities receive the Mission Label")


def sources_read_by_today(inputs: Frames, f: FileName, today: dt.date, problems: Problems) -> None:
    bad = inputs["sources"].filter(pl.col("accessed") > today)
    _report(problems, f("sources"), bad, "accessed", "future date",
            lambda r: f"{r['accessed']} is in the future (today is {today})")


def mission_facts_dated_by_today(inputs: Frames, f: FileName, today: dt.date, problems: Problems) -> None:
    bad = inputs["mission_facts"].filter(pl.col("as_of") > today)
    _report(problems, f("mission_facts"), bad, "as_of", "future date",
            lambda r: f"{r['as_of']} is in the future (today is {today}): a published figure describes the past")


def actions_end_after_they_start(inputs: Frames, f: FileName, today: dt.date, problems: Problems) -> None:
    bad = inputs["actions"].filter(pl.col("end_year") < pl.col("start_year"))
    _report(problems, f("actions"), bad, "end_year", "ends before it starts",
            lambda r: f"end_year {r['end_year']} is before start_year {r['start_year']}")


def percentage_targets_state_their_percentage(inputs: Frames, f: FileName, today: dt.date,
                                              problems: Problems) -> None:
    bad = inputs["targets"].filter((pl.col("target_type") == "reduction_pct") & pl.col("reduction_pct").is_null())
    _report(problems, f("targets"), bad, "reduction_pct", "missing percentage",
            lambda r: "target_type is 'reduction_pct' but reduction_pct is empty")


def negative_residuals_only_for_net_positive(inputs: Frames, f: FileName, today: dt.date,
                                             problems: Problems) -> None:
    bad = inputs["targets"].filter((pl.col("residual_tco2e") < 0) & (pl.col("target_type") != "net_positive"))
    _report(problems, f("targets"), bad, "residual_tco2e", "negative residual",
            lambda r: f"negative residual emissions ({r['residual_tco2e']:g}) need target_type 'net_positive'")


def residual_shares_above_100_are_warned_of(inputs: Frames, f: FileName, today: dt.date,
                                            problems: Problems) -> None:
    odd = inputs["targets"].filter(pl.col("residual_pct") > 100)
    problems.add_rows(f("targets"), odd[ROW].to_list(), "residual_pct",
                      [f"residual share {v:g}% is above 100%: kept as written, check the source"
                       for v in odd["residual_pct"].head(MAX_ROWS_PER_PROBLEM)],
                      kind="implausible residual share", severity="warning")


def one_eu_membership_per_country(inputs: Frames, f: FileName, today: dt.date, problems: Problems) -> None:
    cities = inputs["cities"].filter(pl.col("eu_member").is_not_null())
    first = pl.col("eu_member").sort_by(ROW).first().over("country_iso2")
    mixed = cities.with_columns(first.alias("_first")).filter(pl.col("eu_member") != pl.col("_first"))
    _report(problems, f("cities"), mixed, "eu_member", "eu_member disagrees",
            lambda r: f"eu_member is {str(r['eu_member']).lower()} here but {str(r['_first']).lower()} for an "
                      f"earlier city of {r['country_iso2']}: a country is a member state or not")


def every_national_sector_mapped(inputs: Frames, f: FileName, today: dt.date, problems: Problems) -> None:
    mapped = inputs["sector_map"]["national_sector"]
    bad = inputs["national_ghg_sectors"].filter(~pl.col("national_sector").is_in(mapped.implode())).unique(
        "national_sector")
    _report(problems, f("national_ghg_sectors"), bad, "national_sector", "unmapped sector",
            lambda r: f"'{r['national_sector']}' has no row in sector_map.csv: say which city sector it maps to")


def override_points_give_lat_and_lon(inputs: Frames, f: FileName, today: dt.date, problems: Problems) -> None:
    locations = inputs["city_locations"]
    for given, missing in (("lat", "lon"), ("lon", "lat")):
        bad = locations.filter(pl.col(given).is_not_null() & pl.col(missing).is_null())
        _report(problems, f("city_locations"), bad, missing, "half a point",
                lambda r, given=given, missing=missing: f"{given} is given but {missing} is empty: a point needs "
                                                         "both (or neither, to place the city by gazetteer_names)")


INPUT_RULES: tuple[Callable[[Frames, FileName, dt.date, Problems], None], ...] = (
    negative_emissions_only_in_sinks, negative_national_emissions_only_in_land_use,
    label_dates_between_the_first_labels_and_today, month_precision_dates_on_the_first,
    labels_only_for_mission_cities, sources_read_by_today, actions_end_after_they_start,
    percentage_targets_state_their_percentage, negative_residuals_only_for_net_positive,
    residual_shares_above_100_are_warned_of, one_eu_membership_per_country, every_national_sector_mapped,
    override_points_give_lat_and_lon, mission_facts_dated_by_today,
)


def check_rules(inputs: Frames, file_names: dict[str, str], today: dt.date, problems: Problems) -> None:
    """Every rule of INPUT_RULES, each adding its problems."""
    for rule in INPUT_RULES:
        rule(inputs, file_names.get, today, problems)


def _empty(spec: InputFile) -> pl.DataFrame:
    types = {"text": pl.Utf8, "int": pl.Int64, "float": pl.Float64, "date": pl.Date, "bool": pl.Boolean,
             "list": pl.List(pl.Utf8)}
    return pl.DataFrame(schema={**{c.name: types[c.kind] for c in spec.columns}, ROW: pl.Int64})


def load_inputs(data_dir: Path, iso_codes: frozenset[str], today: dt.date | None = None,
                progress=None) -> Inputs:
    """Read and check every input file in `data_dir`; raise ValidationFailed listing every error."""
    today = today or dt.date.today()
    problems = Problems()
    if not data_dir.is_dir():
        raise ValidationFailed([Problem(str(data_dir), None, None, "the data folder does not exist")])
    frames: dict[str, pl.DataFrame] = {}
    files: list[InputFileRead] = []
    names: dict[str, str] = {}
    unreadable: set[str] = set()
    for spec in schema.INPUT_FILES:
        path = find_input(data_dir, spec, problems)
        frame = None
        if path is None and not spec.optional:
            unreadable.add(spec.name)
        if path is not None:
            names[spec.name] = path.name
            read = read_table(path, spec, problems)
            if read is None:
                unreadable.add(spec.name)
            else:
                files.append(InputFileRead(path.name, path, read.sha256, read.frame.height))
                frame = check_file(path.name, read.frame, spec, iso_codes, problems)
                frame = check_duplicates(path.name, frame, spec, problems)
        frames[spec.name] = frame if frame is not None else _empty(spec)
        if progress:
            progress(spec.name)
    # Checks across files need every file: with one unreadable, they would only echo its problem.
    if not unreadable:
        check_references(frames, names, problems)
        check_rules(frames, names, today, problems)
    found = problems.finish()
    if problems.has_errors:
        raise ValidationFailed(found)
    return Inputs(frames, files, [p for p in found if p.severity == "warning"])
