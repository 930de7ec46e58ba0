"""One function per question the dashboard asks of the warehouse."""

from __future__ import annotations

from pathlib import Path

import polars as pl

import i18n
import vocab
from mission.city import City
from mission.db import cached, query


def _country_names(frame: pl.DataFrame, column: str = "country") -> pl.DataFrame:
    """`column` (the warehouse's English country names) in the reader's language (i18n.country: CLDR names)."""
    if i18n.current() == i18n.DEFAULT or not frame.height:
        return frame
    names = {iso2: i18n.country(iso2, name) for iso2, name in frame.select("country_iso2", column).unique().iter_rows()}
    return frame.with_columns(pl.col("country_iso2").replace_strict(names, default=pl.col(column)).alias(column))


def build_info(path: Path | None = None) -> dict:
    """When the warehouse's inputs were loaded (`load_log`), its build id and how many sources it cites."""
    return query("""
        SELECT (SELECT max(loaded_at) FROM load_log) AS loaded_at, build_id,
               (SELECT count(*) FROM source)::INTEGER AS sources
        FROM build_info
    """, path=path).to_dicts()[0]


def sources(path: Path | None = None) -> pl.DataFrame:
    """Every source with its licence and citation."""
    return query("SELECT source_id, title, producer, url, licence, citation FROM source ORDER BY source_id",
                 path=path)


@cached
def cities(path: Path | None = None) -> pl.DataFrame:
    """One row per city of the Mission and its programmes (the cohorts cities.csv lists: Mission Cities and
    newcomers): where it is, its cohort, population, Mission Label, baseline and 2030 target. The Covenant's
    signatories are read by `signatories()`."""
    return query("""
        SELECT c.city_id, c.name, c.country_iso2, k.name AS country, c.cohort, c.confidence,
               c.lat, c.lon, c.population, c.population_year, c.population_kind, c.population_method,
               c.population_territory, c.population_source, c.population_ref,
               l.label_date, l.wave, l.date_precision, l.source_id AS label_source,
               b.year AS baseline_year, b.tco2e AS baseline_tco2e, b.kind AS baseline_kind,
               b.method AS baseline_method, b.source_id AS baseline_source,
               t.target_year, t.reduction_pct, t.target_type, t.reference_year, t.reference_kind,
               t.residual_tco2e, t.residual_pct, t.source_id AS target_source, t.ref AS target_ref,
               t.basis_note AS target_note
        FROM city c
        JOIN country k USING (country_iso2)
        LEFT JOIN mission_label l USING (city_id)
        LEFT JOIN city_baseline b USING (city_id)
        LEFT JOIN target t USING (city_id)
        WHERE list_contains($cohorts, c.cohort)
        ORDER BY c.name, c.city_id
    """, {"cohorts": list(vocab.COHORT.codes("listed"))}, path=path).pipe(_country_names)


@cached
def city_totals(path: Path | None = None) -> pl.DataFrame:
    """Every city's total per year and kind (the `city_total` view: no double counting), with how many sectors
    the inventory of that year has rows for."""
    return query("""
        SELECT t.city_id, t.year, t.kind, t.tco2e, t.method, t.source_id, coalesce(s.sectors, 0)::INTEGER AS sectors
        FROM city_total t
        LEFT JOIN (SELECT city_id, year, kind, count(DISTINCT sector) AS sectors
                   FROM emission_inventory WHERE dataset = 'mission' AND sector <> 'total'
                   GROUP BY ALL) s USING (city_id, year, kind)
        ORDER BY t.city_id, t.year, t.kind
    """, path=path)


def city(city_id: str, path: Path | None = None) -> City | None:
    """One city (from its `cities()` row), or None for an id the warehouse does not know."""
    frame = cities(path=path).filter(pl.col("city_id") == city_id)
    return City.from_row(frame.row(0, named=True)) if frame.height else None


def inventory(city_id: str, year: int, kind: str, path: Path | None = None) -> pl.DataFrame:
    """The rows of one inventory of a city in the mission data, as transcribed, with their source and reference."""
    return query("""
        SELECT sector, scope, tco2e, kind, source_id, ref, confidence, note
        FROM emission_inventory
        WHERE city_id = $city_id AND year = $year AND kind = $kind AND dataset = 'mission'
        ORDER BY sector, scope
    """, {"city_id": city_id, "year": year, "kind": kind}, path=path)


def portfolio_by_field(city_id: str, path: Path | None = None) -> pl.DataFrame:
    """A city's actions per field of action: how many, how many state a reduction or a cost, and their sums.

    Reductions are summed per basis (per year, total to 2030, unknown), never across bases."""
    return query("""
        SELECT field_of_action,
               count(*)::INTEGER AS actions,
               count(ghg_reduction_tco2e)::INTEGER AS with_reduction,
               count(cost_eur)::INTEGER AS with_cost,
               sum(ghg_reduction_tco2e) FILTER (WHERE ghg_basis = 'per_year') AS reduction_per_year_tco2e,
               sum(ghg_reduction_tco2e) FILTER (WHERE ghg_basis = 'total_to_2030') AS reduction_to_2030_tco2e,
               sum(ghg_reduction_tco2e) FILTER (WHERE ghg_basis = 'unknown') AS reduction_unknown_basis_tco2e,
               sum(cost_eur) AS cost_eur,
               string_agg(DISTINCT source_id, ' ' ORDER BY source_id) AS source_ids
        FROM action WHERE city_id = $city_id
        GROUP BY field_of_action ORDER BY actions DESC, field_of_action
    """, {"city_id": city_id}, path=path)


def city_sources(city_id: str, path: Path | None = None) -> pl.DataFrame:
    """Every source behind a figure on a city's page, with what it is used for."""
    return query("""
        WITH used AS (
            SELECT source_id, 'Mission status' AS used_for FROM city WHERE city_id = $city_id
            UNION ALL SELECT coord_source_id, 'location' FROM city
                WHERE city_id = $city_id AND coord_source_id IS NOT NULL
            UNION ALL SELECT population_source, 'population' FROM city
                WHERE city_id = $city_id AND population_source IS NOT NULL
            UNION ALL SELECT source_id, 'Mission Label' FROM mission_label WHERE city_id = $city_id
            UNION ALL SELECT DISTINCT source_id, CASE dataset WHEN 'mission' THEN 'emissions'
                                                 ELSE 'emissions reported elsewhere' END
                FROM emission_inventory WHERE city_id = $city_id
            UNION ALL SELECT source_id, '2030 target' FROM target WHERE city_id = $city_id
            UNION ALL SELECT DISTINCT source_id, 'actions' FROM action WHERE city_id = $city_id
            UNION ALL SELECT source_id, 'programmes' FROM programme WHERE city_id = $city_id
            UNION ALL SELECT source_id, 'twinning' FROM twin_link
                WHERE city_id = $city_id OR partner_city_id = $city_id
            UNION ALL SELECT source_id, 'Covenant of Mayors' FROM covenant_signatory WHERE city_id = $city_id
        )
        SELECT s.source_id, string_agg(DISTINCT u.used_for, ', ' ORDER BY u.used_for) AS used_for,
               s.title, s.producer, s.url, s.licence, s.citation, s.notes
        FROM used u JOIN source s USING (source_id)
        GROUP BY ALL ORDER BY s.source_id
    """, {"city_id": city_id}, path=path)


@cached
def actions(path: Path | None = None) -> pl.DataFrame:
    """Every action with its city, country, levers and co-benefits (lists), as transcribed."""
    return query("""
        SELECT a.action_id, a.city_id, c.name AS city, c.country_iso2, a.action_name, a.field_of_action,
               coalesce(a.levers, []::VARCHAR[]) AS levers,
               coalesce(b.cobenefits, []::VARCHAR[]) AS cobenefits,
               a.action_type, a.ghg_reduction_tco2e, a.ghg_basis, a.cost_eur, a.start_year, a.end_year,
               a.responsible, a.source_id, a.ref, a.confidence, a.note
        FROM action a
        JOIN city c USING (city_id)
        LEFT JOIN (SELECT action_id, list(cobenefit ORDER BY cobenefit) AS cobenefits
                   FROM action_cobenefit GROUP BY action_id) b USING (action_id)
        ORDER BY a.action_id
    """, path=path)


@cached
def cobenefit_values(path: Path | None = None) -> pl.DataFrame:
    """Monetised co-benefits per tonne of CO2e cut, by sector, with their sources (empty when none are loaded)."""
    return query("""
        SELECT v.sector, v.cobenefit, v.low_eur_per_tco2e, v.central_eur_per_tco2e, v.high_eur_per_tco2e,
               v.price_year, v.includes_climate_damage, v.source_id, v.ref, v.derivation, s.title, s.producer, s.url
        FROM cobenefit_value v JOIN source s USING (source_id)
        ORDER BY v.sector, v.cobenefit, v.source_id
    """, path=path)


@cached
def baseline_sectors(path: Path | None = None) -> pl.DataFrame:
    """Each city's baseline by sector (the `city_sector_total` view: one level per sector; the grand total left
    out), for sector mixes."""
    return query("""
        SELECT s.city_id, s.sector, s.tco2e
        FROM city_sector_total s JOIN city_baseline b USING (city_id, year, kind)
        ORDER BY city_id, sector
    """, path=path)


@cached
def twin_links(path: Path | None = None) -> pl.DataFrame:
    """Twinning pairs with both cities' names and points."""
    return query("""
        SELECT t.city_id, a.name AS city, a.country_iso2, a.cohort, a.lat, a.lon,
               t.partner_city_id, b.name AS partner, b.country_iso2 AS partner_country_iso2, b.cohort AS partner_cohort,
               b.lat AS partner_lat, b.lon AS partner_lon, t.programme_cohort, t.inferred, t.partner_text, t.source_id
        FROM twin_link t JOIN city a ON a.city_id = t.city_id JOIN city b ON b.city_id = t.partner_city_id
        ORDER BY a.name, b.name
    """, path=path)


def mission_facts(path: Path | None = None) -> pl.DataFrame:
    """The Mission-wide figures as published (mission_fact), with their source's title, oldest first."""
    return query("""
        SELECT f.fact, f.value, f.unit, f.scope, f.as_of, f.kind, f.source_id, f.quote, s.title, s.url
        FROM mission_fact f JOIN source s USING (source_id) ORDER BY f.as_of, f.fact
    """, path=path)


def joint_entries(path: Path | None = None) -> pl.DataFrame:
    """Cities held as one joint entry of several municipalities (an alias marked "(joint entry)", as cities.csv
    writes Eindhoven & Helmond): city_id, name, members (how many cities a published count takes it for)."""
    return query("""
        SELECT city_id, name, len(aliases)::INTEGER AS members FROM city
        WHERE len(list_filter(aliases, lambda a: a ILIKE '%(joint entry)%')) > 0 ORDER BY city_id
    """, path=path)


@cached
def scope_limited_totals(path: Path | None = None) -> pl.DataFrame:
    """A document's total of some scopes only (sector 'total', scope not 'all': e.g. a scope 1 inventory), which
    the city_total view leaves out: city_id, year, kind, scope, tco2e, source_id, note."""
    return query("""
        SELECT city_id, year, kind, scope, tco2e, source_id, note FROM emission_inventory
        WHERE dataset = 'mission' AND sector = 'total' AND scope <> 'all' ORDER BY city_id, year, scope
    """, path=path)


def programmes(path: Path | None = None) -> pl.DataFrame:
    """Every city's NetZeroCities programmes (pilot cities, twinning) with cohort, partners as written and source."""
    return query("SELECT city_id, programme, programme_cohort, activity, partner, source_id FROM programme "
                 "ORDER BY city_id, programme", path=path)


@cached
def countries(path: Path | None = None) -> pl.DataFrame:
    """Every country of a city or of the national figures, with its name (in the reader's language) and EU
    membership, by name."""
    names = _country_names(query("SELECT country_iso2, iso3, name, eu_member, source_id FROM country", path=path),
                           "name")
    return names.sort("name")


@cached
def national_ghg(path: Path | None = None) -> pl.DataFrame:
    """National greenhouse-gas totals by country and year (Jones et al. via Our World in Data)."""
    return query("""
        SELECT n.country_iso2, n.year, n.population, n.total_ghg_mt_co2e, n.ghg_per_capita_t, n.kind, n.source_id,
               s.title, s.citation
        FROM national_ghg n JOIN source s USING (source_id)
        ORDER BY n.country_iso2, n.year
    """, path=path)


@cached
def reported_elsewhere(path: Path | None = None) -> pl.DataFrame:
    """Every total a city reported outside the mission data (dataset cdp), with the report's boundary, method and
    population as the city described them and the source's title."""
    return query("""
        SELECT e.city_id, e.year, e.scope, e.tco2e, e.kind, e.dataset, e.source_id, e.ref, e.confidence, e.note,
               r.organisation, r.accounting_period, r.boundary, r.protocol, r.gases, r.population, r.population_year,
               r.matched_by, r.flags, s.title
        FROM emission_inventory e
        JOIN emission_report r USING (city_id, year, source_id)
        JOIN source s USING (source_id)
        WHERE e.dataset <> 'mission'
        ORDER BY e.city_id, e.year, e.source_id, e.scope
    """, path=path)


@cached
def commitments(path: Path | None = None) -> pl.DataFrame:
    """Every city of the warehouse (signatories too) with what the tier rule reads (mission/tiers.py FACTS) and
    what the newcomers page filters on: country and its Horizon Europe relation, population and how it is known,
    point and how far it can be trusted, Covenant facts, twinning cohorts and the Mission Label."""
    return query("""
        WITH loaded AS (SELECT count(*) > 0 AS covenant FROM covenant_signatory),
        twinning AS (
            SELECT city_id, list(DISTINCT programme_cohort ORDER BY programme_cohort) AS twinning_cohorts
            FROM programme WHERE programme = 'twinning' GROUP BY city_id
        )
        SELECT c.city_id, c.name, c.country_iso2, k.name AS country, k.horizon_relation, c.cohort,
               c.population, c.population_method, c.population_year, c.lat, c.lon, c.placement, c.placement_note,
               CASE WHEN (SELECT covenant FROM loaded) THEN s.organisation_id IS NOT NULL END AS covenant_signatory,
               s.organisation_id, s.com_2020, s.com_2030, s.com_2050, s.status, s.adhesion_date,
               s.group_name, s.source_id AS covenant_source, s.ref AS covenant_ref, c.source_id AS city_source,
               w.twinning_cohorts, l.city_id IS NOT NULL AS labelled
        FROM city c
        JOIN country k USING (country_iso2)
        LEFT JOIN covenant_signatory s ON s.city_id = c.city_id
        LEFT JOIN twinning w ON w.city_id = c.city_id
        LEFT JOIN mission_label l ON l.city_id = c.city_id
        ORDER BY c.name, c.city_id
    """, path=path).pipe(_country_names)


def nearest_mission_cities(city_id: str, path: Path | None = None) -> pl.DataFrame:
    """The Mission Cities nearest to a city (city_nearest_mission), nearest first: city_id, name, country_iso2, km."""
    return query("""
        SELECT m.city_id, m.name, m.country_iso2, n.km
        FROM city_nearest_mission n JOIN city m ON m.city_id = n.mission_city_id
        WHERE n.city_id = $city_id ORDER BY n.rank
    """, {"city_id": city_id}, path=path)


def search_cities(text: str, limit: int = 20, path: Path | None = None) -> pl.DataFrame:
    """Cities whose name (or an alias) contains `text`, accents and case ignored: the Mission's first, then names
    that start with it, then the most populous (city_id, name, country_iso2, cohort)."""
    return query("""
        SELECT city_id, name, country_iso2, cohort FROM city
        WHERE contains(strip_accents(lower(name)), strip_accents(lower($text)))
           OR len(list_filter(coalesce(aliases, []),
                              lambda a: contains(strip_accents(lower(a)), strip_accents(lower($text))))) > 0
        ORDER BY CASE cohort WHEN 'mission' THEN 0 WHEN 'newcomer' THEN 1 ELSE 2 END,
                 NOT starts_with(strip_accents(lower(name)), strip_accents(lower($text))),
                 population DESC NULLS LAST, name
        LIMIT $limit
    """, {"text": text, "limit": limit}, path=path)


@cached
def nearest_mission_city(path: Path | None = None) -> pl.DataFrame:
    """Each placed city's nearest Mission City: city_id, nearest_id, nearest (name), nearest_km."""
    return query("""
        SELECT n.city_id, m.city_id AS nearest_id, m.name AS nearest, n.km AS nearest_km
        FROM city_nearest_mission n JOIN city m ON m.city_id = n.mission_city_id
        WHERE n.rank = 1 ORDER BY n.city_id
    """, path=path)
