"""The Covenant of Mayors signatories in the warehouse: each one linked to the city of cities.csv it is (names
policy in etl/names.py) or made a city of its own, groups of municipalities kept as groups, every point checked
(etl/geo.py), and the Covenant's facts kept with their source."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from etl import geo, places
from etl.names import contains_words, government_key, slug
from etl.sources.gcom import DATA_SHEET, Workbook

# The rules of the Covenant policy, in the order they are tried (etl/names.py).
RULES = ("exact name", "alias", "name without 'municipality of'", "contained name")


@dataclass
class Matching:
    """Which signatory is which city of cities.csv, and what could not be said without guessing."""

    links: dict[str, tuple[str, str]] = field(default_factory=dict)  # organisation_id -> (city_id, rule)
    ambiguous: list[str] = field(default_factory=list)  # "Cork (IE): Cork County (row 5), Cork City Council (row 9)"
    unmatched: list[str] = field(default_factory=list)  # "Leipzig (DE)": no signatory found

    @property
    def by_city(self) -> dict[str, str]:
        return {city_id: oid for oid, (city_id, _rule) in self.links.items()}


def _candidates(city: dict, signatories: list[dict]) -> tuple[str | None, list[dict]]:
    """The first rule that finds signatories of the city (in its country), and those it finds."""
    names = [city["name"], *(city["aliases"] or [])]
    slugs = [slug(n) for n in names]
    keys = [k for k in (government_key(n) for n in names) if k]
    tests = (
        lambda s: s["slug"] == slugs[0],
        lambda s: s["slug"] in slugs[1:],
        lambda s: s["key"] in keys,
        lambda s: any(contains_words(s["key"], k) for k in keys),
    )
    for rule, test in zip(RULES, tests, strict=True):
        hits = [s for s in signatories if test(s)]
        if hits:
            return rule, hits
    return None, []


def match(cities: pl.DataFrame, signatories: pl.DataFrame) -> Matching:
    """Link each city of cities.csv (city_id, name, country_iso2, aliases) to the one individual signatory it is, by
    the first rule of RULES that finds any; several at that rule, or one signatory found by two cities, is listed
    as ambiguous and nothing is linked (never a guess). Groups of municipalities are never a city."""
    by_country: dict[str, list[dict]] = {}
    wanted = set(cities["country_iso2"])
    for s in signatories.filter(~pl.col("group_profile") & pl.col("country_code").is_in(sorted(wanted))).iter_rows(
            named=True):
        name = s["organisation_name"]
        by_country.setdefault(s["country_code"], []).append({**s, "slug": slug(name), "key": government_key(name)})
    out = Matching()
    claims: dict[str, list[tuple[dict, str]]] = {}
    for city in cities.sort("name").iter_rows(named=True):
        rule, hits = _candidates(city, by_country.get(city["country_iso2"], []))
        where = f"{city['name']} ({city['country_iso2']})"
        if not hits:
            out.unmatched.append(where)
        elif len(hits) > 1:
            out.ambiguous.append(f"{where}: {len(hits)} signatories by {rule}: "
                                 + ", ".join(f"{s['organisation_name']} (row {s['row']})" for s in hits))
        else:
            claims.setdefault(hits[0]["organisation_id"], []).append((city, rule))
    rows = {s["organisation_id"]: s for s in signatories.iter_rows(named=True)}
    for oid, claimants in claims.items():
        if len(claimants) > 1:
            s = rows[oid]
            out.ambiguous.append(f"{s['organisation_name']} (row {s['row']}) is found by "
                                 + " and by ".join(f"{c['name']} ({c['country_iso2']})" for c, _ in claimants))
            continue
        city, rule = claimants[0]
        out.links[oid] = (city["city_id"], rule)
    return out


def signatory_ids(signatories: pl.DataFrame, taken: set[str]) -> pl.Series:
    """A city id for each signatory that becomes a city of its own: the slug of its name and its country code
    ('essen-de'), with the organisation id after it where two would be equal or the id is a city's already."""
    base = signatories.select(pl.format("{}-{}", pl.col("organisation_name").map_elements(
        slug, return_dtype=pl.Utf8), pl.col("country_code").str.to_lowercase()).alias("id"))["id"]
    clash = base.is_duplicated() | base.is_in(sorted(taken))
    return (pl.select(pl.when(clash).then(pl.format("{}-{}", base, signatories["organisation_id"]))
                      .otherwise(base).alias("city_id"))["city_id"])


@dataclass
class Covenant:
    """What the workbooks give the warehouse: city rows of the signatories that are no city of cities.csv, the
    covenant_signatory rows, the point and population of each linked city, the source rows and the matching."""

    cities: pl.DataFrame
    signatories: pl.DataFrame
    linked: dict[str, dict]  # city_id of cities.csv -> its signatory (point, placement, population, source)
    sources: list[dict]
    matching: Matching


def _signatory_frame(book: Workbook) -> pl.DataFrame:
    f = book.frame
    points = f.select(pl.col("country_code").alias("country_iso2"), pl.col("organisation_latitude").alias("lat"),
                      pl.col("organisation_longitude").alias("lon"))
    members = (f.filter(pl.col("group_organisation_id").is_not_null())
               .group_by("group_organisation_id").agg(pl.col("organisation_name").sort().alias("members"))
               .rename({"group_organisation_id": "organisation_id"}))
    return pl.concat([f, geo.placement(points)], how="horizontal").join(
        members, on="organisation_id", how="left").with_columns(
        members=pl.when(pl.col("group_profile")).then(pl.col("members")).otherwise(None),
        source_id=pl.lit(book.source_id), ref=pl.format(f"{book.path.name}, sheet '{DATA_SHEET}', row {{}}", "row"))


def prepare(books: list[Workbook], cities: pl.DataFrame, horizon: pl.DataFrame) -> Covenant:
    """Match, place and shape every signatory of `books` against `cities` (cities.csv with city_id)."""
    if not books:
        return Covenant(pl.DataFrame(), pl.DataFrame(), {}, [], Matching())
    frame = pl.concat([_signatory_frame(b) for b in books], how="vertical_relaxed")
    matching = match(cities.rename({"city": "name"}) if "city" in cities.columns else cities, frame)
    linked_ids = pl.DataFrame({"organisation_id": list(matching.links),
                               "linked_city": [c for c, _ in matching.links.values()],
                               "matched_by": [r for _, r in matching.links.values()]},
                              schema={"organisation_id": pl.Utf8, "linked_city": pl.Utf8, "matched_by": pl.Utf8})
    frame = frame.join(linked_ids, on="organisation_id", how="left")
    own = frame.filter(~pl.col("group_profile") & pl.col("linked_city").is_null())
    own = own.with_columns(signatory_ids(own, set(cities["city_id"])).alias("own_city"))
    frame = frame.join(own.select("organisation_id", "own_city"), on="organisation_id", how="left").with_columns(
        city_id=pl.coalesce("linked_city", "own_city"))
    frame = _gazetteer_points(frame)
    # EU membership from horizon_association.csv (every member state is listed there); unknown without that file.
    eu = set(horizon.filter(pl.col("relation") == "eu_member")["country_iso2"]) if horizon.height else None
    linked = {r["city_id"]: r for r in frame.filter(pl.col("linked_city").is_not_null()).iter_rows(named=True)}
    return Covenant(_city_rows(frame.filter(pl.col("own_city").is_not_null()), eu), _signatory_rows(frame), linked,
                    [b.source_row() for b in books], matching)


def _gazetteer_points(frame: pl.DataFrame) -> pl.DataFrame:
    """A city of its own without a point in the workbook takes the gazetteer's point of its name, where there is
    one (coord_method 'gazetteer'); the rest stay unplaced (placement 'missing')."""
    frame = frame.with_columns(coord_method=pl.when(pl.col("placement") != "missing").then(pl.lit("covenant")))
    todo = frame.filter(pl.col("own_city").is_not_null() & (pl.col("placement") == "missing"))
    if not todo.height:
        return frame
    gaz = places.gazetteer()
    found = [(r["organisation_id"], p) for r in todo.iter_rows(named=True)
             if (p := gaz.find(r["organisation_name"], r["country_code"])) is not None]
    points = pl.DataFrame({"organisation_id": [o for o, _ in found], "g_lat": [p.lat for _, p in found],
                           "g_lon": [p.lon for _, p in found], "geonameid": [p.geonameid for _, p in found]},
                          schema={"organisation_id": pl.Utf8, "g_lat": pl.Float64, "g_lon": pl.Float64,
                                  "geonameid": pl.Int64})
    hit = pl.col("g_lat").is_not_null()
    return frame.join(points, on="organisation_id", how="left").with_columns(
        city_lat=pl.when(hit).then("g_lat").otherwise("organisation_latitude"),
        city_lon=pl.when(hit).then("g_lon").otherwise("organisation_longitude"),
        coord_method=pl.when(hit).then(pl.lit("gazetteer")).otherwise("coord_method"),
        city_placement=pl.when(hit).then(pl.lit("exact")).otherwise("placement"),
        city_placement_note=pl.when(hit).then(pl.lit("no point in the Covenant file: the gazetteer's point of "
                                                      "its name")).otherwise("placement_note"),
    ).drop("g_lat", "g_lon")


def _city_rows(own: pl.DataFrame, eu: set[str] | None) -> pl.DataFrame:
    """city rows of the signatories that are cities of their own (cohort `signatory`): their point and declared
    population from the workbook."""
    for column, default in (("city_lat", "organisation_latitude"), ("city_lon", "organisation_longitude"),
                            ("city_placement", "placement"), ("city_placement_note", "placement_note")):
        if column not in own.columns:
            own = own.with_columns(pl.col(default).alias(column))
    if "geonameid" not in own.columns:
        own = own.with_columns(geonameid=pl.lit(None, pl.Int64))
    gazetteer = pl.col("coord_method") == "gazetteer"
    return own.select(
        pl.col("own_city").alias("city_id"), pl.col("organisation_name").alias("name"),
        pl.col("country_code").alias("country_iso2"), pl.lit("signatory").alias("cohort"),
        (pl.col("country_code").is_in(sorted(eu)) if eu is not None else pl.lit(None, pl.Boolean)).alias("eu_member"),
        pl.lit(None, pl.List(pl.Utf8)).alias("aliases"),
        pl.lit(None, pl.Utf8).alias("confidence"),
        pl.col("city_lat").alias("lat"), pl.col("city_lon").alias("lon"), "coord_method",
        pl.when(gazetteer).then(pl.lit(places.GAZETTEER_SOURCE)).when(pl.col("coord_method").is_not_null())
        .then(pl.col("source_id")).alias("coord_source_id"),
        pl.col("city_placement").alias("placement"), pl.col("city_placement_note").alias("placement_note"),
        "geonameid", pl.col("population_adhesion").alias("population"),
        pl.when(pl.col("population_adhesion").is_not_null()).then(pl.col("date_of_adhesion").dt.year())
        .cast(pl.Int32).alias("population_year"),
        pl.lit(None, pl.Utf8).alias("population_territory"),
        *(pl.when(pl.col("population_adhesion").is_not_null()).then(v).alias(name) for name, v in (
            ("population_method", pl.lit("covenant")), ("population_kind", pl.lit("reported")),
            ("population_source", pl.col("source_id")), ("population_ref", pl.col("ref")))),
        "source_id", pl.lit(None, pl.Utf8).alias("note"),
    )


def _signatory_rows(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        "organisation_id", pl.when(~pl.col("group_profile")).then(pl.col("city_id")).alias("city_id"),
        pl.col("organisation_name").alias("name"), pl.col("country_code").alias("country_iso2"),
        pl.col("group_profile").alias("is_group"), "members", "group_organisation_id", "group_name",
        "population_adhesion", pl.col("organisation_latitude").alias("lat"),
        pl.col("organisation_longitude").alias("lon"), "placement", "placement_note",
        pl.col("commitment_CoM2020_flag").alias("com_2020"), pl.col("commitment_CoM2030_flag").alias("com_2030"),
        pl.col("commitment_CoM2050_flag").alias("com_2050"), pl.col("commitment_mayoradapt_flag").alias("mayors_adapt"),
        pl.col("signatory_status").alias("status"), "adhesion_type", pl.col("date_of_adhesion").alias("adhesion_date"),
        "action_plan_expected", pl.col("coordinator_name").alias("coordinator"),
        pl.col("supporter_name").alias("supporter"), "gcom_id", "matched_by", "source_id", "ref",
    )
