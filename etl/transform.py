"""Turns checked input frames into the warehouse tables of etl.schema (no I/O)."""

from __future__ import annotations

import polars as pl

from etl import covenant, geo, modelled, places
from etl.names import slug
from etl.problems import Problem, Problems, ValidationFailed
from etl.schema import BASELINE_KINDS, TABLE
from etl.sources.gcom import Workbook
from etl.sources.tabular import ROW
from etl.validate import Inputs
from vocab import PLACEMENT


def city_ids(cities: pl.DataFrame) -> pl.DataFrame:
    """city, country_iso2 -> city_id: the slug of the name, with the country code where two cities share it."""
    ids = cities.select("city", "country_iso2").with_columns(
        pl.col("city").map_elements(slug, return_dtype=pl.Utf8).alias("city_id"))
    return ids.with_columns(
        pl.when(pl.len().over("city_id") > 1)
        .then(pl.format("{}-{}", "city_id", pl.col("country_iso2").str.to_lowercase()))
        .otherwise("city_id").alias("city_id"))


def _with_ids(frame: pl.DataFrame, ids: pl.DataFrame) -> pl.DataFrame:
    return frame.join(ids, on=["city", "country_iso2"], how="inner")


POLARS_TYPES = {"VARCHAR": pl.Utf8, "INTEGER": pl.Int32, "BIGINT": pl.Int64, "DOUBLE": pl.Float64,
                "BOOLEAN": pl.Boolean, "DATE": pl.Date, "TIMESTAMP": pl.Datetime("us"), "VARCHAR[]": pl.List(pl.Utf8)}


def schema_of(table: str) -> dict[str, pl.DataType]:
    """The polars schema of a warehouse table (for frames built outside the input files)."""
    return {f.name: POLARS_TYPES[f.type] for f in TABLE[table].fields}


def warning_frame(warnings: list[Problem]) -> pl.DataFrame:
    """build_warning rows of the given warnings."""
    return pl.DataFrame({"file": [w.file for w in warnings], "row": [w.row for w in warnings],
                         "column_name": [w.column for w in warnings], "message": [w.message for w in warnings]},
                        schema=schema_of("build_warning"))


def project(frame: pl.DataFrame | pl.LazyFrame, table: str) -> pl.DataFrame:
    """Columns of the warehouse table, in order, sorted by its key: the same inputs give the same table."""
    t = TABLE[table]
    return frame.lazy().select(t.columns).sort(list(t.sort_key), nulls_last=True).collect()


def countries(inp: Inputs, more: set[str] = frozenset()) -> pl.DataFrame:
    """A row per country of a city (`more`: the signatories' countries) or of the national figures, with its
    relation to Horizon Europe."""
    codes = sorted(set(inp["cities"]["country_iso2"]) | set(inp["national_ghg"]["country_iso2"])
                   | set(inp["national_ghg_sectors"]["country_iso2"]) | set(more))
    known = places.countries()
    eu = (inp["cities"].filter(pl.col("eu_member").is_not_null()).group_by("country_iso2")
          .agg(pl.col("eu_member").first()))
    frame = pl.DataFrame({
        "country_iso2": codes,
        "iso3": [known[c]["iso3"] for c in codes],
        "name": [known[c]["name"] for c in codes],
        "source_id": [places.GAZETTEER_SOURCE] * len(codes),
    })
    horizon = inp["horizon_association"].select("country_iso2", pl.col("relation").alias("horizon_relation"),
                                                pl.col("source_id").alias("horizon_source_id"))
    # EU membership as cities.csv says it, else as horizon_association.csv does (it lists every member state).
    listed = pl.lit(inp["horizon_association"].height > 0)
    return frame.join(eu, on="country_iso2", how="left").join(horizon, on="country_iso2", how="left").with_columns(
        eu_member=pl.coalesce("eu_member", pl.when(listed).then(pl.col("horizon_relation").fill_null("none")
                                                                == "eu_member")))


def _split_outside_brackets(text: str, sep: str = ";") -> list[str]:
    """'A; B (x; y)' -> ['A', ' B (x; y)']: a note in brackets may itself contain the separator."""
    parts, depth, current = [], 0, []
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == sep and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    return [*parts, "".join(current)]


def twin_links(programmes: pl.DataFrame, cities: pl.DataFrame, problems: Problems) -> pl.DataFrame:
    """Twinning pairs named in programmes.csv: each ';'-separated part of `partner`, up to its first ' (', is a
    city of cities.csv by name or alias (compared as slugs: etl/names.py, the twinning policy). A part whose note
    starts with 'inferred' is kept with inferred = true; a part that names no single city is a warning, never a
    guessed link."""
    rows = []
    twinning = programmes.filter((pl.col("programme") == "twinning") & pl.col("partner").is_not_null())
    names: dict[str, set[str]] = {}
    for r in cities.iter_rows(named=True) if twinning.height else ():
        for name in [r["city"], *(r["aliases"] or [])]:
            names.setdefault(slug(name), set()).add(r["city_id"])
    for r in twinning.iter_rows(named=True):
        for part in _split_outside_brackets(r["partner"]):
            name, _, note = part.strip().partition(" (")
            found = names.get(slug(name), set())
            if len(found) != 1:
                why = "names no city of cities.csv" if not found else "names several cities of cities.csv"
                problems.add("programmes.csv", r[ROW], "partner", f"twinning partner '{part.strip()}' of "
                             f"'{r['city']}' {why}: not drawn as a link", severity="warning")
                continue
            rows.append({"city_id": r["city_id"], "partner_city_id": next(iter(found)),
                         "programme_cohort": r["programme_cohort"],
                         "inferred": note.lower().startswith("inferred"), "partner_text": part.strip(),
                         "source_id": r["source_id"]})
    return pl.DataFrame(rows, schema={"city_id": pl.Utf8, "partner_city_id": pl.Utf8, "programme_cohort": pl.Utf8,
                                      "inferred": pl.Boolean, "partner_text": pl.Utf8, "source_id": pl.Utf8})


def placed_cities(inp: Inputs, ids: pl.DataFrame, cov: covenant.Covenant, problems: Problems) -> pl.DataFrame:
    """Step 1: every city of cities.csv with its id, point and population (the Covenant signatory it is gives
    them where nothing else does); an error for a city nothing can place, a warning for one without a
    population."""
    names = {r["city_id"]: (r["city"], r["country_iso2"]) for r in ids.iter_rows(named=True)}
    placed = places.place_cities(inp["cities"], inp["city_locations"], inp["population"],
                                 {names[cid]: s for cid, s in cov.linked.items()})
    city = _with_ids(inp["cities"], ids).join(placed, on=["city", "country_iso2"], how="left").rename(
        {"city": "name"})
    for r in city.filter(pl.col("lat").is_null()).iter_rows(named=True):
        problems.add("cities.csv", None, "city",
                     f"'{r['name']}' ({r['country_iso2']}) cannot be placed on the map: the gazetteer knows no such "
                     "name in that country; add a row to city_locations.csv with its gazetteer_names or lat/lon "
                     "and a source")
    for r in city.filter(pl.col("population").is_null()).iter_rows(named=True):
        problems.add("cities.csv", None, "city", f"'{r['name']}' ({r['country_iso2']}) has no population: per-capita "
                     "figures and a modelled baseline are not possible", severity="warning")
    return city


def inventories(inp: Inputs, city: pl.DataFrame, ids: pl.DataFrame,
                problems: Problems) -> tuple[pl.LazyFrame, pl.DataFrame]:
    """Step 2: the reported inventories and the modelled baselines of cities without one, as one lazy table (and
    the estimates alone); an error for a Mission City left without a baseline."""
    city_kinds = _with_ids(inp["emissions"].select("city", "country_iso2", "kind").unique(), ids)
    per_capita = modelled.per_capita_by_sector(inp["national_ghg"], inp["national_ghg_sectors"], inp["sector_map"])
    estimates = modelled.modelled_baselines(city, city_kinds, per_capita)
    # Lazy, so the join, the concatenation and the sort in project make one copy of the inventory, not three.
    reported = (inp["emissions"].lazy().join(ids.lazy(), on=["city", "country_iso2"], how="inner")
                .with_columns(dataset=pl.lit("mission")))
    inventory = pl.concat([reported.select(TABLE["emission_inventory"].columns), estimates.lazy()],
                          how="vertical_relaxed")
    # The kinds a baseline may be (schema.BASELINE_KINDS, the city_baseline view's): never a projection.
    with_baseline = pl.concat([city_kinds.filter(pl.col("kind").is_in(BASELINE_KINDS)).select("city_id"),
                               estimates.select("city_id")]).unique()
    lacking = city.filter(pl.col("cohort") == "mission").join(with_baseline, on="city_id", how="anti")
    for r in lacking.iter_rows(named=True):
        why = "no population" if r["population"] is None else f"no national figures for {r['country_iso2']}"
        problems.add("emissions.csv", None, "city", f"Mission City '{r['name']}' has no usable inventory and no "
                     f"modelled baseline can be made ({why})")
    return inventory, estimates


NEAREST_MISSION_CITIES = 5


def nearest_mission(city: pl.DataFrame) -> pl.DataFrame:
    """city_nearest_mission: each placed city's NEAREST_MISSION_CITIES nearest Mission Cities (etl/geo.py)."""
    mission = city.filter(pl.col("cohort") == "mission").select("city_id", "lat", "lon")
    # A point outside the city's country is wrong: no distance is measured from it.
    placed = city.filter(pl.col("placement").is_in(PLACEMENT.codes("usable"))).select("city_id", "lat", "lon")
    return geo.nearest(placed, mission, NEAREST_MISSION_CITIES).rename(
        {"target_id": "mission_city_id"})


def transform(inp: Inputs, books: list[Workbook] | tuple[Workbook, ...] = ()) -> tuple[
        dict[str, pl.DataFrame], list[Problem], covenant.Matching]:
    """All warehouse tables (but load_log and build_info); raise ValidationFailed if a city stays unplaced or a
    Mission City has no baseline. Returns the tables, the warnings to keep in build_warning, and how the Covenant
    signatories (`books`) were matched to the cities."""
    problems = Problems()
    ids = city_ids(inp["cities"])
    cov = covenant.prepare(list(books), _with_ids(inp["cities"], ids), inp["horizon_association"])
    city = placed_cities(inp, ids, cov, problems)
    # Modelled baselines are for the cities of the Mission and its programmes; a signatory's emissions are not
    # known here (the Covenant's df2/df3 tables hold its inventories) and are not modelled.
    inventory, estimates = inventories(inp, city, ids, problems)
    for line in cov.matching.ambiguous:
        problems.add(books[0].path.name if books else "covenant", None, "organisation_name",
                     f"not linked (ambiguous): {line}", severity="warning", sheet="1")
    if problems.has_errors:
        raise ValidationFailed(problems.finish())

    years = sorted(set(estimates["year"].to_list()))
    all_cities = pl.concat([city, cov.cities], how="diagonal_relaxed") if cov.cities.height else city
    actions = _with_ids(inp["actions"], ids)
    tables = {
        "source": pl.concat([inp["sources"].drop(ROW), modelled.source_rows(years),
                             pl.DataFrame(cov.sources, schema=schema_of("source"))], how="vertical_relaxed"),
        "country": countries(inp, set(cov.signatories["country_iso2"]) if cov.signatories.height else set()),
        "city": all_cities,
        "city_nearest_mission": nearest_mission(all_cities),
        "covenant_signatory": cov.signatories if cov.signatories.height else pl.DataFrame(
            schema=schema_of("covenant_signatory")),
        "mission_label": _with_ids(inp["mission_labels"], ids),
        "programme": _with_ids(inp["programmes"], ids),
        "twin_link": twin_links(_with_ids(inp["programmes"], ids), _with_ids(inp["cities"], ids), problems),
        "emission_inventory": inventory,
        "emission_report": pl.DataFrame(schema=schema_of("emission_report")),
        "target": _with_ids(inp["targets"], ids),
        "action": actions,
        "action_cobenefit": actions.select("action_id", pl.col("cobenefits").alias("cobenefit"))
        .explode("cobenefit").drop_nulls("cobenefit").unique(),
        "national_ghg": inp["national_ghg"].with_columns(kind=pl.lit("official_statistic")),
        "national_ghg_sector": inp["national_ghg_sectors"].with_columns(kind=pl.lit("official_statistic")),
        "sector_map": inp["sector_map"],
        "cobenefit_value": inp["cobenefit_values"],
        "mission_fact": inp["mission_facts"].with_columns(kind=pl.lit("official_announcement")),
    }
    warnings = [*inp.warnings, *problems.finish()]
    tables["build_warning"] = warning_frame(warnings)
    return {name: project(frame, name) for name, frame in tables.items()}, warnings, cov.matching
