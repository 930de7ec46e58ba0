"""CDP open data, "City-wide Emissions" (one CSV per reporting year): read either column layout, parse the
accounting year, take the scope totals, flag implausible rows, and match reporting organisations to cities.

Self-reported, not verified. Licence: CDP Open Database Licence; attribution: "This data was collected in
partnership by CDP and ICLEI - Local Governments for Sustainability"."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from slugify import slugify

from etl.problems import Problems

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
GOVERNMENT_WORDS = re.compile(
    r"\b(city|municipality|metropolitan|council|county|borough|district|kommune|kommun|stad|comune|di|de|del|"
    r"municipio|ayuntamiento|ville|stadt|gemeente|city of|of|the|town|commune|regional|region|provincial)\b")


def header_map(header: list[str]) -> dict[str, str]:
    """Canonical name -> the file's header for it, for the columns this file has."""
    found = {}
    for name, spellings in COLUMNS.items():
        for spelling in spellings:
            if spelling in header:
                found[name] = spelling
                break
    return found


def read(path: Path, problems: Problems) -> pl.DataFrame:
    """The file's rows under canonical names (text), with `row` = its line as a spreadsheet shows it."""
    frame = pl.read_csv(path, infer_schema_length=0, encoding="utf8-lossy")
    mapping = header_map(frame.columns)
    for name in REQUIRED:
        if name not in mapping:
            problems.add(path.name, 1, COLUMNS[name][0], f"column '{COLUMNS[name][0]}' is missing: is this a CDP "
                         "City-wide Emissions file?")
    frame = frame.select(pl.col(header).alias(name) for name, header in mapping.items())
    for name in COLUMNS:
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.Utf8).alias(name))
    return frame.with_row_index("row", offset=2)


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
    """What one CDP row reports, as scope totals; `figures` = (scope, tco2e, what it is)."""

    year: int | None
    figures: list[tuple[str, float, str]]
    flags: list[str]


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
    flags = []
    population, area = n["population"], n["land_area_km2"]
    if population is not None and not POPULATION_RANGE[0] <= population <= POPULATION_RANGE[1]:
        flags.append(f"population {population:,.0f} is outside {POPULATION_RANGE[0]:,}-{POPULATION_RANGE[1]:,}")
    if area is not None and not LAND_AREA_RANGE_KM2[0] <= area <= LAND_AREA_RANGE_KM2[1]:
        flags.append(f"land area {area:,.1f} km2 is outside {LAND_AREA_RANGE_KM2[0]:g}-{LAND_AREA_RANGE_KM2[1]:,.0f}")
    largest = max((v for _, v, _ in figures), default=None)
    if largest is not None and population and POPULATION_RANGE[0] <= population:
        per_capita = largest / population
        if not PER_CAPITA_RANGE_T[0] <= per_capita <= PER_CAPITA_RANGE_T[1]:
            flags.append(f"{per_capita:.3g} t CO2e per person is outside {PER_CAPITA_RANGE_T[0]:g}-"
                         f"{PER_CAPITA_RANGE_T[1]:g}")
    return Totals(accounting_year(row.get("accounting_year")), figures, flags)


def name_key(name: str | None) -> str:
    """A name without accents, case and the words that say 'municipality of': 'Comune di Milano' -> 'milano'."""
    words = GOVERNMENT_WORDS.sub(" ", slugify(name or "", separator=" "))
    return slugify(words)


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
    Anything else is unmatched or ambiguous, never guessed."""
    mine = [(cid, names) for cid, iso, names in cities if iso == country_iso2]
    keys = {name_key(x) for x in (city, organization) if x and name_key(x)}
    for rule, pick in (("exact name", lambda names: names[:1]), ("alias", lambda names: names[1:])):
        hits = sorted({cid for cid, names in mine if keys & {name_key(n) for n in pick(names)}})
        if len(hits) == 1:
            return Match(hits[0], rule)
        if len(hits) > 1:
            return Match(None, "ambiguous", tuple(hits))
    similar = sorted({cid for cid, names in mine for n in names for k in keys
                      if name_key(n) and len(name_key(n)) >= 4 and (name_key(n) in k or k in name_key(n))})
    if len(similar) == 1:
        return Match(similar[0], "similar name in the same country")
    if similar:
        return Match(None, "ambiguous", tuple(similar))
    return Match(None, "unmatched")


# CDP's country names that GeoNames spells otherwise.
COUNTRY_ALIASES = {"united-kingdom-of-great-britain-and-northern-ireland": "GB", "russian-federation": "RU",
                   "turkiye": "TR", "czech-republic": "CZ", "netherlands": "NL", "republic-of-moldova": "MD",
                   "north-macedonia": "MK", "republic-of-north-macedonia": "MK", "bosnia-herzegovina": "BA"}


def country_code(name: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code of a country name as CDP writes it, or None."""
    from etl.places import countries

    if not name:
        return None
    key = slugify(name)
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    return next((iso for iso, c in countries().items() if slugify(c["name"]) == key), None)
