"""CDP open data, "City-wide Emissions" (one CSV per reporting year): read either column layout, parse the
accounting year, take the scope totals, flag implausible rows, and match reporting organisations to cities.

Self-reported, not verified. Licence: CDP Open Database Licence; attribution: "This data was collected in
partnership by CDP and ICLEI - Local Governments for Sustainability"."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from slugify import slugify

from etl.names import government_key
from etl.problems import Problem, Problems, ValidationFailed
from etl.sources import computed
from etl.sources.tabular import ROW, Records, read_records
from etl.transform import schema_of

# Canonical name -> the headers it has had (the column set changes between reporting years).
COLUMNS = {
    "year_reported": ("Year Reported to CDP", "Reporting Year"),
    "account": ("Account Number", "Account number"),
    "organization": ("Organization", "Organisation"),
    "city": ("City",),
    "country": ("Country",),
    "region": ("CDP Region",),
    "inventory": ("City-wide emissions inventory",),
    "accounting_year": ("Accounting year", "Accounting Year"),
    "boundary": ("Inventory boundary (compared to Administrative city boundary)",),
    "protocol": ("Primary Protocol",),
    "crf_format": ("Common Reporting Framework inventory format (GPC)",),
    "gases": ("Gases Included",),
    "direct_tco2e": ("Direct emissions (metric tonnes CO2e) for Total emissions (excluding generation of "
                     "grid-supplied energy)",),
    "indirect_grid_tco2e": ("Indirect emissions from use of grid supplied energy (metric tonnes CO2e) for Total "
                            "Emissions (excluding generation of grid-supplied energy)",),
    "scope1_tco2e": ("TOTAL Scope 1 Emissions (metric tonnes CO2e)",),
    "scope2_tco2e": ("TOTAL Scope 2 emissions (metric tonnes CO2e)",),
    "basic_tco2e": ("TOTAL BASIC Emissions (GPC)",),
    "basic_plus_tco2e": ("TOTAL BASIC+ Emissions (GPC)",),
    "land_area_km2": ("Land area (in square km)",),
    "population": ("Population",),
    "population_year": ("Population Year",),
}
REQUIRED = ("organization", "country", "accounting_year")
NUMBERS = ("direct_tco2e", "indirect_grid_tco2e", "scope1_tco2e", "scope2_tco2e", "basic_tco2e", "basic_plus_tco2e",
           "land_area_km2", "population")
# Plausibility: outside these a row is flagged, not loaded blindly.
POPULATION_RANGE = (1_000, 40_000_000)
LAND_AREA_RANGE_KM2 = (1.0, 20_000.0)
PER_CAPITA_RANGE_T = (0.1, 100.0)
# Words of an organisation's name that say "the municipality of" rather than name the city.
def header_map(header: list[str]) -> dict[str, str]:
    """Canonical name -> the file's header for it, for the columns this file has."""
    found = {}
    for name, spellings in COLUMNS.items():
        for spelling in spellings:
            if spelling in header:
                found[name] = spelling
                break
    return found


def read(path: Path, problems: Problems) -> Records | None:
    """The file's rows under canonical names (text, trimmed, blank = null), with `row` = its line as a spreadsheet
    shows it, and the file's header and SHA-256; None (with the problem said) when the file cannot be read or is not
    a CDP City-wide Emissions file."""
    records = read_records(path, problems)
    if records is None:
        return None
    frame, header = records.frame, records.header
    found = [h.strip() for h in header]
    mapping = header_map(found)
    missing = [name for name in REQUIRED if name not in mapping]
    for name in missing:
        problems.add(path.name, 1, COLUMNS[name][0], f"column '{COLUMNS[name][0]}' is missing: is this a CDP "
                     "City-wide Emissions file?")
    if missing:
        return None
    out = frame.select([pl.col(frame.columns[found.index(spelling)]).alias(name) for name, spelling in mapping.items()]
                       + [pl.col(ROW).alias("row")])
    return records._replace(frame=out.with_columns(pl.lit(None, pl.Utf8).alias(name) for name in COLUMNS
                                                   if name not in mapping))


def accounting_year(text: str | None) -> int | None:
    """'2018-01-01 - 2018-12-31' -> 2018; a period across two years counts for the year holding most of it
    ('2017-04-01 - 2018-03-31' -> 2017); '-' or blank -> None."""
    if not text:
        return None
    dates = re.findall(r"\d{4}-\d{2}-\d{2}", text)
    if len(dates) != 2:
        return None
    start, end = (dt.date.fromisoformat(d) for d in dates)
    if start.year == end.year:
        return start.year
    in_start_year = (dt.date(start.year, 12, 31) - start).days + 1
    return start.year if in_start_year * 2 >= (end - start).days + 1 else end.year


def _number(value: str | None) -> float | None:
    try:
        return float(value.replace(",", "")) if value not in (None, "", "-") else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Totals:
    """What one CDP row reports, as scope totals; `figures` = (scope, tco2e, what it is); `implausible` = what is
    out of range, by field: emissions (per person), population, land_area."""

    year: int | None
    figures: list[tuple[str, float, str]]
    implausible: dict[str, str]

    @property
    def flags(self) -> list[str]:
        return list(self.implausible.values())


def totals(row: dict) -> Totals:
    """Scope 1, scope 2 and BASIC / BASIC+ totals where given; where the scope totals are blank, direct plus
    grid-indirect emissions as a scope 1+2 figure. Flags rows whose population, land area or emissions per
    person are implausible."""
    n = {k: _number(row.get(k)) for k in NUMBERS}
    figures = []
    if n["scope1_tco2e"] is not None:
        figures.append(("1", n["scope1_tco2e"], "TOTAL Scope 1"))
    if n["scope2_tco2e"] is not None:
        figures.append(("2", n["scope2_tco2e"], "TOTAL Scope 2"))
    if n["scope1_tco2e"] is None and n["scope2_tco2e"] is None and n["direct_tco2e"] is not None:
        value = n["direct_tco2e"] + (n["indirect_grid_tco2e"] or 0.0)
        figures.append(("1+2", value, "direct + grid-indirect emissions (scope totals blank)"))
    if n["basic_tco2e"] is not None:
        figures.append(("basic", n["basic_tco2e"], "TOTAL BASIC (GPC)"))
    if n["basic_plus_tco2e"] is not None:
        figures.append(("basic+", n["basic_plus_tco2e"], "TOTAL BASIC+ (GPC)"))
    flags = {}
    population, area = n["population"], n["land_area_km2"]
    if population is not None and not POPULATION_RANGE[0] <= population <= POPULATION_RANGE[1]:
        flags["population"] = (f"population {population:,.0f} is outside "
                               f"{POPULATION_RANGE[0]:,}-{POPULATION_RANGE[1]:,}")
    if area is not None and not LAND_AREA_RANGE_KM2[0] <= area <= LAND_AREA_RANGE_KM2[1]:
        flags["land_area"] = (f"land area {area:,.1f} km2 is outside {LAND_AREA_RANGE_KM2[0]:g}-"
                              f"{LAND_AREA_RANGE_KM2[1]:,.0f}")
    largest = max((v for _, v, _ in figures), default=None)
    if largest is not None and population and POPULATION_RANGE[0] <= population:
        per_capita = largest / population
        if not PER_CAPITA_RANGE_T[0] <= per_capita <= PER_CAPITA_RANGE_T[1]:
            flags["emissions"] = (f"{per_capita:.3g} t CO2e per person is outside {PER_CAPITA_RANGE_T[0]:g}-"
                                  f"{PER_CAPITA_RANGE_T[1]:g}")
    return Totals(accounting_year(row.get("accounting_year")), figures, flags)


@dataclass(frozen=True)
class Match:
    city_id: str | None
    how: str  # exact name | alias | similar name in the same country | unmatched | ambiguous
    candidates: tuple[str, ...] = ()


def match(organization: str | None, city: str | None, country_iso2: str | None,
          cities: list[tuple[str, str, list[str]]]) -> Match:
    """The warehouse city a CDP row is about. `cities` = (city_id, country_iso2, [name, *aliases]).

    In order: the row's City or Organization equals a city's name (same country), then an alias, then a city
    of the same country whose name is contained in the organisation's (or the reverse) when exactly one does.
    Anything else is unmatched or ambiguous, never guessed (etl/names.py: the CDP policy)."""
    mine = [(cid, names) for cid, iso, names in cities if iso == country_iso2]
    keys = {government_key(x) for x in (city, organization) if x and government_key(x)}
    for rule, pick in (("exact name", lambda names: names[:1]), ("alias", lambda names: names[1:])):
        hits = sorted({cid for cid, names in mine if keys & {government_key(n) for n in pick(names)}})
        if len(hits) == 1:
            return Match(hits[0], rule)
        if len(hits) > 1:
            return Match(None, "ambiguous", tuple(hits))
    similar = sorted({cid for cid, names in mine for n in names for k in keys
                      if len(g := government_key(n)) >= 4 and (g in k or k in g)})
    if len(similar) == 1:
        return Match(similar[0], "similar name in the same country")
    if similar:
        return Match(None, "ambiguous", tuple(similar))
    return Match(None, "unmatched")


# CDP's country names that GeoNames spells otherwise.
COUNTRY_ALIASES = {"united-kingdom-of-great-britain-and-northern-ireland": "GB", "russian-federation": "RU",
                   "turkiye": "TR", "czech-republic": "CZ", "netherlands": "NL", "republic-of-moldova": "MD",
                   "north-macedonia": "MK", "republic-of-north-macedonia": "MK", "bosnia-herzegovina": "BA",
                   "united-states-of-america": "US", "republic-of-korea": "KR", "taiwan-greater-china": "TW",
                   "viet-nam": "VN", "state-of-palestine": "PS", "cote-d-ivoire": "CI",
                   "bolivia-plurinational-state-of": "BO"}


def country_code(name: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code of a country name as CDP writes it, or None."""
    from etl.places import countries

    if not name:
        return None
    key = slugify(name)
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    return next((iso for iso, c in countries().items() if slugify(c["name"]) == key), None)


# --- loading: CDP rows as warehouse rows, and what was not loaded, said plainly ---------------------------------
@dataclass
class FileSummary:
    """What one CDP file gave: rows read, rows matched to a city, figures loaded, and every row not loaded."""

    name: str
    source_id: str
    rows: int = 0
    matched: int = 0
    loaded_cities: set[str] = field(default_factory=set)
    figures: int = 0
    other_countries: int = 0
    # Rows said in the summary, by why: "flagged" (loaded, an implausible value left out), "matched" (a city, but
    # nothing usable loaded), "ambiguous", "unmatched".
    skipped: dict[str, list[Problem]] = field(default_factory=lambda: {"flagged": [], "matched": [], "ambiguous": [],
                                                                      "unmatched": []})
    unmatched_names: list[str] = field(default_factory=list)  # "Organization (ISO, row N)"

    @property
    def not_loaded(self) -> list[Problem]:
        extra = [Problem(self.name, None, "Country", f"{self.other_countries} row(s) of countries without a city in "
                         "the warehouse were not read further", "warning")] if self.other_countries else []
        return [p for rows in self.skipped.values() for p in rows] + extra


@dataclass
class Loaded:
    inventory: pl.DataFrame  # emission_inventory rows (dataset cdp)
    reports: pl.DataFrame  # emission_report rows
    sources: pl.DataFrame  # one source row per file
    files: list[tuple[Path, str, int]]  # (path, sha256, rows) for load_log
    summaries: list[FileSummary]

    @property
    def warnings(self) -> list[Problem]:
        return [p for s in self.summaries for p in s.not_loaded]


def source_id(frame: pl.DataFrame, path: Path, problems: Problems) -> str | None:
    """`cdp-city-wide-emissions-YEAR` of the file's reporting year; a file must hold one reporting year."""
    years = sorted(set(frame["year_reported"].drop_nulls().to_list()))
    if len(years) != 1 or not re.fullmatch(r"\d{4}", years[0]):
        problems.add(path.name, None, COLUMNS["year_reported"][0],
                     f"expected one reporting year in the file, found {', '.join(years) or 'none'}: CDP publishes "
                     "one file per reporting year")
        return None
    return computed.source_id("cdp", year=years[0])


def _source_row(sid: str, path: Path, digest: str) -> dict:
    return computed.source_row("cdp", year=sid.rsplit("-", 1)[1], file=path.name, sha256=digest[:12])


def _int(value: float | None) -> int | None:
    return None if value is None else round(value)


def load_files(paths: list[Path], cities: pl.DataFrame) -> Loaded:
    """Read CDP files and match their rows to `cities` (city_id, name, country_iso2, aliases).

    Raises ValidationFailed when a file cannot be read (missing, not a CDP file, two files of one reporting year).
    Rows that cannot be loaded (no matching city, several candidates, no year or no total, implausible
    emissions) are kept as warnings, one per row; rows of countries without a city in the warehouse are counted."""
    problems = Problems()
    candidates = [(r["city_id"], r["country_iso2"], [r["name"], *(r["aliases"] or [])])
                  for r in cities.iter_rows(named=True)]
    inventory, reports, sources, files, summaries = [], [], [], [], []
    for path in paths:
        if not path.is_file():
            problems.add(str(path), None, None, "no such file (given with --with-cdp)")
            continue
        records = read(path, problems)
        sid = source_id(records.frame, path, problems) if records is not None else None
        if sid is None:
            continue
        frame, digest = records.frame, records.sha256
        if any(s.source_id == sid for s in summaries):
            problems.add(path.name, None, None, f"a second file of the same reporting year ({sid}): give one file per "
                         "reporting year")
            continue
        files.append((path, digest, frame.height))
        sources.append(_source_row(sid, path, digest))
        summary = FileSummary(path.name, sid, rows=frame.height)
        summaries.append(summary)
        _load_rows(frame, summary, candidates, inventory, reports)
    if problems.has_errors:
        raise ValidationFailed(problems.finish())
    return Loaded(pl.DataFrame(inventory, schema=schema_of("emission_inventory")),
                  pl.DataFrame(reports, schema=schema_of("emission_report")),
                  pl.DataFrame(sources, schema=schema_of("source")), files, summaries)


def _load_rows(frame: pl.DataFrame, summary: FileSummary, candidates: list[tuple[str, str, list[str]]],
               inventory: list[dict], reports: list[dict]) -> None:
    """Match each row of one file and append what it gives to `inventory` and `reports`; say in `summary` why
    any row gives nothing."""
    names = {cid: name for cid, _, (name, *_) in candidates}
    with_cities = {iso for _, iso, _ in candidates}
    seen: dict[tuple[str, int], int] = {}

    def skip(row: dict, message: str, why: str = "matched") -> None:
        summary.skipped[why].append(Problem(summary.name, row["row"], "Organization", message, "warning"))

    for row in frame.iter_rows(named=True):
        iso = country_code(row["country"])
        who = f"'{row['organization']}'" + (f" ({row['city']})" if row["city"] else "")
        if iso not in with_cities:
            summary.other_countries += 1
            continue
        m = match(row["organization"], row["city"], iso, candidates)
        if m.how == "ambiguous":
            skip(row, f"not loaded: {who} could be any of {', '.join(names[c] for c in m.candidates)}; add the "
                 "name to the aliases of the right city in cities.csv", "ambiguous")
            continue
        if m.how == "unmatched":
            skip(row, f"not loaded: no city of the warehouse in {iso} is called {who} (if it is one, add the name "
                 "to its aliases in cities.csv)", "unmatched")
            summary.unmatched_names.append(f"{row['organization']} ({iso}, row {row['row']})")
            continue
        summary.matched += 1
        t, city = totals(row), f"{who} = {names[m.city_id]}"
        if not t.figures:
            skip(row, f"{city}: the row gives no emissions total; nothing loaded")
        elif t.year is None:
            skip(row, f"{city}: accounting year '{row['accounting_year'] or ''}' cannot be read; nothing loaded")
        elif "emissions" in t.implausible:
            skip(row, f"{city}: not loaded, implausible: {t.implausible['emissions']}")
        elif (m.city_id, t.year) in seen:
            skip(row, f"{city}: a second report of the {t.year} inventory in this file (row "
                 f"{seen[(m.city_id, t.year)]} was loaded); not loaded")
        else:
            seen[(m.city_id, t.year)] = row["row"]
            for flag in t.flags:
                skip(row, f"{city}: {flag}; the emissions are loaded, that value is not", "flagged")
            inventory.extend(_inventory_rows(row, m, t, summary))
            reports.append(_report_row(row, m, t, summary))
            summary.figures += len(t.figures)
            summary.loaded_cities.add(m.city_id)


def _ref(row: dict, summary: FileSummary) -> str:
    return f"{summary.name} row {row['row']}" + (f", account {row['account']}" if row["account"] else "")


def _inventory_rows(row: dict, m: Match, t: Totals, summary: FileSummary) -> list[dict]:
    """emission_inventory rows of one CDP row: figures read directly from a name or alias match are `high`
    confidence; a sum (direct + grid-indirect) or a similar-name match is `medium`."""
    confidence = "high" if m.how in ("exact name", "alias") else "medium"
    caveat = computed.text("cdp", "caveat").lower().rstrip(".")
    return [{"city_id": m.city_id, "year": t.year, "sector": "total", "scope": scope, "tco2e": tco2e,
             "kind": "reported", "dataset": "cdp", "source_id": summary.source_id, "ref": _ref(row, summary),
             "confidence": confidence if scope != "1+2" else "medium",
             "note": f"{what}; {caveat}"} for scope, tco2e, what in t.figures]


def _report_row(row: dict, m: Match, t: Totals, summary: FileSummary) -> dict:
    """The emission_report row of one CDP row; implausible population or land area left out (see flags)."""
    return {"city_id": m.city_id, "year": t.year, "source_id": summary.source_id, "dataset": "cdp",
            "organisation": row["organization"], "account": row["account"],
            "accounting_period": row["accounting_year"], "boundary": row["boundary"], "protocol": row["protocol"],
            "gases": row["gases"],
            "population": None if "population" in t.implausible else _int(_number(row["population"])),
            "population_year": _int(_number(row["population_year"])),
            "land_area_km2": None if "land_area" in t.implausible else _number(row["land_area_km2"]),
            "matched_by": m.how, "flags": "; ".join(t.flags) or None, "ref": _ref(row, summary)}
