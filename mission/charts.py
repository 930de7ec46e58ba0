"""Every exportable chart: built from its parameters, with its title, unit, summary and the data behind it.

The page and the export call the same builder, so a PNG or CSV shows exactly what the page showed."""

from __future__ import annotations

import polars as pl

from mission import countries, figures, overview, profile, queries
from mission.exports import ChartExport
from mission.overview import METRICS, Filters
from mission.words import KIND_WORDS, tonnes

# Kinds in exported data: the warehouse's kinds, plus announcements of the European Commission and figures the
# dashboard computes from others (a target in tonnes, the straight line, a sum).
EXPORT_KINDS = ("reported", "official_statistic", "official_announcement", "modelled_estimate", "projected_bau",
                "computed")


class UnknownChart(LookupError):
    """A chart name or its parameters that the warehouse cannot answer (an export link that is wrong or stale)."""


def _city(params: dict) -> dict:
    city = queries.city(params.get("city_id")) if isinstance(params.get("city_id"), str) else None
    if city is None:
        raise UnknownChart(f"no city {params.get('city_id')!r}")
    return city


def city_inventory(params: dict) -> ChartExport:
    """A city's baseline by sector and scope, one level per sector (profile.inventory_view)."""
    city = _city(params)
    if city["baseline_tco2e"] is None:
        raise UnknownChart(f"{city['name']} has no baseline")
    rows = queries.inventory(city["city_id"], city["baseline_year"], city["baseline_kind"])
    view = profile.inventory_view(rows)
    kind = KIND_WORDS.get(city["baseline_kind"], city["baseline_kind"])
    summary = (f"{city['name']}'s {city['baseline_year']} baseline is {tonnes(view.total)} CO2e ({kind})"
               + (f"; the largest sector is {view.largest_words()}." if view.rows.height else "."))
    data = view.rows.select(pl.lit(city["name"]).alias("city"), pl.lit(city["baseline_year"]).alias("year"),
                            "sector", "scope", "tco2e", pl.lit("t CO2e").alias("unit"), "kind", "source_id", "ref")
    return ChartExport("baseline", city["name"], f"{city['name']}: baseline {city['baseline_year']} by sector and "
                       "scope", "t CO2e", figures.inventory_bars(view.rows), data, summary)


def city_pathway(params: dict) -> ChartExport:
    """A city's inventories, baseline, straight line and target to 2030 (profile.pathway_facts)."""
    city = _city(params)
    facts = profile.pathway_facts(city, queries.city_totals())
    if facts is None:
        raise UnknownChart(f"{city['name']} has no baseline")
    rows = [{"series": "inventory (partial)" if p.partial else "inventory", "year": p.year, "tco2e": p.tco2e,
             "kind": p.kind, "source_id": p.source_id, "note": ""} for p in facts.points]
    rows += [{"series": "required straight line", "year": y, "tco2e": v, "kind": "computed", "source_id": None,
              "note": "from the baseline to the target"} for y, v in facts.line]
    if facts.target.tco2e is not None:
        rows.append({"series": "2030 target", "year": facts.target.year, "tco2e": facts.target.tco2e,
                     "kind": "computed", "source_id": facts.target.source_id, "note": facts.target.basis})
    data = pl.DataFrame(rows, schema={"series": pl.Utf8, "year": pl.Int32, "tco2e": pl.Float64, "kind": pl.Utf8,
                                      "source_id": pl.Utf8, "note": pl.Utf8}).with_columns(
        pl.lit("t CO2e a year").alias("unit"))
    return ChartExport("pathway", city["name"], f"{city['name']}: 2030 pathway", "t CO2e a year",
                       figures.pathway(facts.points, facts.baseline, facts.target, facts.line), data,
                       facts.sentence + (f" {facts.position}" if facts.position else ""))


def _filtered(params: dict) -> tuple[Filters, pl.DataFrame]:
    chosen = Filters.from_query(params)
    return chosen, overview.apply_filters(overview.all_city_metrics(), chosen)


def _filter_words(chosen: Filters) -> dict[str, str]:
    return {"countries": ", ".join(chosen.countries) or "all", "cohort": chosen.cohort or "all",
            "label": chosen.label_status or "all", "metric": METRICS[chosen.metric].label}


def overview_map(params: dict) -> ChartExport:
    """The map of the overview: every city shown, with the chosen metric."""
    chosen, frame = _filtered(params)
    metric = METRICS[chosen.metric]
    data = frame.select("city_id", pl.col("name").alias("city"), "country_iso2", "cohort", "lat", "lon",
                        "population", "stage", pl.col(metric.column).alias("value"),
                        pl.lit(metric.unit or metric.label).alias("unit"),
                        pl.col("baseline_kind").fill_null("none").alias("kind"),
                        pl.col("baseline_source").alias("source_id"))
    subject = ", ".join(chosen.countries) or "mission"
    return ChartExport("map", subject, f"Cities of the mission by {metric.label.lower()}", metric.unit or metric.label,
                       figures.city_map(frame, chosen.metric), data, overview.map_summary(frame, chosen.metric),
                       _filter_words(chosen))


def _pipeline(frame: pl.DataFrame, subject: str, filters: dict[str, str]) -> ChartExport:
    k, pipeline = overview.kpis(frame), overview.label_pipeline(frame)
    sources = (frame.filter(pl.col("label_date").is_not_null()).group_by("wave")
               .agg(pl.col("label_source").first().alias("source_id")))
    data = pipeline.join(sources, on="wave", how="left").select(
        "wave", "label_date", "date_precision", "labels", "cumulative", "cities",
        pl.lit("cities").alias("unit"), pl.lit("official_announcement").alias("kind"), "source_id")
    return ChartExport("label_pipeline", subject, f"Mission Label pipeline: {subject}", "cities",
                       figures.label_pipeline(pipeline, k.mission_cities), data,
                       overview.pipeline_summary(pipeline, k), filters)


def overview_pipeline(params: dict) -> ChartExport:
    chosen, frame = _filtered(params)
    return _pipeline(frame, ", ".join(chosen.countries) or "mission", _filter_words(chosen))


def _country(params: dict) -> tuple[dict, pl.DataFrame]:
    code = params.get("iso2")
    found = queries.countries().filter(pl.col("country_iso2") == code) if isinstance(code, str) else None
    if found is None or not found.height:
        raise UnknownChart(f"no country {code!r}")
    everyone = countries.cities_with_coverage()
    return found.to_dicts()[0], everyone


def country_pipeline(params: dict) -> ChartExport:
    country, everyone = _country(params)
    mine = everyone.filter(pl.col("country_iso2") == country["country_iso2"])
    return _pipeline(mine, country["name"], {"country": country["country_iso2"]})


def country_national(params: dict) -> ChartExport:
    """The national trend with the Mission Cities' summed baselines at their inventory years."""
    country, everyone = _country(params)
    mine = everyone.filter(pl.col("country_iso2") == country["country_iso2"])
    national = queries.national_ghg().filter(pl.col("country_iso2") == country["country_iso2"])
    view = countries.national_comparison(country["name"], national, mine)
    data = pl.concat([
        national.select(pl.lit("national total").alias("series"), "year",
                        pl.col("total_ghg_mt_co2e").alias("mt_co2e"), "kind", "source_id",
                        pl.lit("").alias("cities")),
        view.by_year.select(pl.lit("Mission Cities' baselines").alias("series"), pl.col("baseline_year").alias("year"),
                            pl.col("mt").alias("mt_co2e"), pl.col("baseline_kind").alias("kind"),
                            pl.lit(None, pl.Utf8).alias("source_id"), pl.col("name").alias("cities")),
    ], how="vertical_relaxed").with_columns(pl.lit("Mt CO2e a year").alias("unit"))
    return ChartExport("national_emissions", country["name"], f"{country['name']}: national emissions and the "
                       "Mission Cities' baselines", "Mt CO2e a year", figures.national_trend(national, view.by_year),
                       data, view.sentence, {"country": country["country_iso2"]})


STRIPS = {"per_capita_t": ("baseline per person", "t CO2e per person"),
          "required_rate_pct": ("required annual reduction", "% a year")}


def country_strip(params: dict) -> ChartExport:
    """The country's Mission Cities among all Mission Cities on one measure."""
    country, everyone = _country(params)
    column = params.get("measure")
    if column not in STRIPS:
        raise UnknownChart(f"no measure {column!r}")
    label, unit = STRIPS[column]
    code, name = country["country_iso2"], country["name"]
    mine = everyone.filter(pl.col("country_iso2") == code)
    mission = everyone.filter((pl.col("cohort") == "mission") & pl.col(column).is_not_null())
    data = mission.select(pl.col("name").alias("city"), "country_iso2",
                          (pl.col("country_iso2") == code).alias("highlighted"), pl.col(column).alias("value"),
                          pl.lit(unit).alias("unit"), pl.lit("computed").alias("kind"),
                          pl.col("baseline_kind").alias("from_baseline_kind"),
                          pl.col("baseline_source").alias("source_id"))
    return ChartExport(f"{column}_strip", name, f"{name} against all Mission Cities: {label}", unit,
                       figures.strip(everyone, column, unit, code, name), data,
                       countries.strip_summary(everyone, mine, column, unit), {"country": code})


BUILDERS = {
    "city-inventory": city_inventory, "city-pathway": city_pathway, "overview-map": overview_map,
    "overview-pipeline": overview_pipeline, "country-pipeline": country_pipeline,
    "country-national": country_national, "country-strip": country_strip,
}


def build(name: str, params: dict) -> ChartExport:
    """The chart `name` for `params`; UnknownChart for a name or parameters the warehouse cannot answer."""
    builder = BUILDERS.get(name)
    if builder is None or not isinstance(params, dict):
        raise UnknownChart(f"no chart {name!r}")
    return builder(params)
