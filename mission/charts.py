"""Every exportable chart: built from its parameters, with its title, unit, summary and the data behind it.

The page and the export call the same builder, so a PNG or CSV shows exactly what the page showed."""

from __future__ import annotations

import polars as pl

import vocab
from mission import countries, figures, inventory, overview, portfolio, quality, queries, scenarios
from mission.city import City, inventories_by_city, pathway, with_partial
from mission.exports import ChartExport
from mission.overview import METRICS, Filters
from mission.pathways import Point
from mission.words import tonnes

# Kinds in exported data (vocab.KIND's `export`): the warehouse's kinds, plus announcements of the European
# Commission and figures the dashboard computes from others (a target in tonnes, the straight line, a sum).
EXPORT_KINDS = vocab.KIND.codes("export")


class UnknownChart(LookupError):
    """A chart name or its parameters that the warehouse cannot answer (an export link that is wrong or stale)."""


def _city(params: dict, with_baseline: bool = False) -> City:
    city = queries.city(params.get("city_id")) if isinstance(params.get("city_id"), str) else None
    if city is None:
        raise UnknownChart(f"no city {params.get('city_id')!r}")
    if with_baseline and not city.has_baseline:
        raise UnknownChart(f"{city.name} has no baseline")
    return city


def _grade_note(city_id: str) -> tuple[str, ...]:
    g = quality.grade_of(city_id)
    return (f"data quality grade {g.grade}: {g.reason}",) if g.grade else ()


def city_inventory(params: dict) -> ChartExport:
    """A city's baseline by sector and scope, one level per sector (inventory.inventory_view)."""
    city = _city(params, with_baseline=True)
    baseline = city.baseline
    rows = queries.inventory(city.city_id, baseline.year, baseline.kind)
    view = inventory.inventory_view(rows)
    kind = vocab.KIND.label(baseline.kind, baseline.kind)
    summary = (f"{city.name}'s {baseline.year} baseline is {tonnes(view.total)} CO2e ({kind})"
               + (f"; the largest sector is {view.largest_words()}." if view.rows.height else "."))
    data = view.rows.select(pl.lit(city.name).alias("city"), pl.lit(baseline.year).alias("year"),
                            "sector", "scope", "tco2e", pl.lit("t CO2e").alias("unit"), "kind", "source_id", "ref")
    return ChartExport("baseline", city.name, f"{city.name}: baseline {baseline.year} by sector and scope",
                       "t CO2e", figures.inventory_bars(view.rows), data, summary,
                       notes=(*_grade_note(city.city_id), *view.notes))


def city_pathway(params: dict) -> ChartExport:
    """A city's inventories, baseline, straight line and target to 2030 (city.pathway)."""
    city = _city(params, with_baseline=True)
    facts = pathway(city, queries.city_totals())
    rows = [{"series": "inventory (partial)" if p.partial else "inventory", "year": p.year, "tco2e": p.tco2e,
             "kind": p.kind, "source_id": p.source_id, "note": ""} for p in facts.points]
    rows += [{"series": "required straight line", "year": y, "tco2e": v, "kind": "computed", "source_id": None,
              "note": "from the baseline to the target"} for y, v in facts.line]
    if facts.target.tco2e is not None:
        rows.append({"series": facts.target.series, "year": facts.target.year, "tco2e": facts.target.tco2e,
                     "kind": "computed", "source_id": facts.target.source_id, "note": facts.target.basis})
    data = pl.DataFrame(rows, schema={"series": pl.Utf8, "year": pl.Int32, "tco2e": pl.Float64, "kind": pl.Utf8,
                                      "source_id": pl.Utf8, "note": pl.Utf8}).with_columns(
        pl.lit("t CO2e a year").alias("unit"))
    return ChartExport("pathway", city.name, f"{city.name}: 2030 pathway", "t CO2e a year",
                       figures.pathway(facts.points, facts.baseline, facts.target, facts.line), data,
                       facts.sentence + (f" {facts.position}" if facts.position else ""),
                       notes=_grade_note(city.city_id))


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
                        "population", pl.col("stage").replace_strict(vocab.STAGE.labels()),
                        pl.col(metric.column).alias("value"),
                        pl.lit(metric.unit or metric.label).alias("unit"),
                        pl.col("baseline_kind").fill_null("none").alias("kind"),
                        pl.col("baseline_source").alias("source_id"), "grade", "grade_reason")
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
                          pl.col("baseline_source").alias("source_id"), pl.col("grade").alias("baseline_grade"))
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


def _portfolio(params: dict) -> tuple[portfolio.PortfolioFilters, portfolio.PortfolioView, dict[str, str]]:
    chosen = portfolio.PortfolioFilters.from_query(params)
    heat = params.get("heat") if params.get("heat") in ("actions", "annual_tco2e") else "actions"
    words = {"cities": ", ".join(chosen.cities) or "all", "countries": ", ".join(chosen.countries) or "all",
             "fields": ", ".join(chosen.fields) or "all", "levers": ", ".join(chosen.levers) or "all",
             "cost method": chosen.method.describe()}
    return chosen, portfolio.view(chosen, heat), words


def _portfolio_subject(chosen: portfolio.PortfolioFilters) -> str:
    return ", ".join(chosen.cities or chosen.countries) or "mission"


def portfolio_actions(params: dict) -> ChartExport:
    """The actions table of the portfolio page (as transcribed, with the dashboard's cost per tonne and flags)."""
    chosen, shown, words = _portfolio(params)
    data = portfolio.table(shown.actions).with_columns(
        pl.lit("t CO2e; EUR; EUR per t").alias("unit"), pl.lit("reported").alias("kind"),
        shown.actions["source_id"])
    return ChartExport("actions", _portfolio_subject(chosen), "Actions of the Climate City Contracts",
                       "reduction in t CO2e (basis as stated), cost in EUR, cost per tonne in EUR (computed)",
                       shown.macc, data, shown.summary, words)


def portfolio_macc(params: dict) -> ChartExport:
    chosen, shown, words = _portfolio(params)
    data = shown.curve.select("action_id", "action_name", "city", "field_of_action", "annual_tco2e", "cost_eur",
                        "cost_per_t", "x0", "x1", pl.col("flags").list.join("; "),
                        pl.lit("t CO2e a year; EUR; EUR per t").alias("unit"),
                        pl.lit("computed").alias("kind"), "source_id", "ref")
    return ChartExport("macc", _portfolio_subject(chosen), "Cost-effectiveness of the actions (MACC)",
                       "EUR per t CO2e against cumulative t CO2e a year", shown.macc, data, shown.macc_summary, words)


def portfolio_heatmap(params: dict) -> ChartExport:
    chosen, shown, words = _portfolio(params)
    sources = (shown.actions.select("action_id", "field_of_action", "cobenefits", "source_id").explode("cobenefits")
               .group_by(pl.col("cobenefits").alias("cobenefit"), "field_of_action")
               .agg(pl.col("source_id").unique().sort().str.join(" ").alias("source_id")))
    data = shown.matrix.join(sources, on=["cobenefit", "field_of_action"], how="left").with_columns(
        pl.lit("actions; t CO2e a year").alias("unit"), pl.lit("computed").alias("kind"))
    return ChartExport("cobenefits", _portfolio_subject(chosen), "Co-benefits by field of action",
                       "number of actions or summed annual reduction", shown.heatmap, data, shown.cobenefit_summary,
                       words)


def portfolio_levers(params: dict) -> ChartExport:
    chosen, shown, words = _portfolio(params)
    data = shown.coverage.with_columns(pl.lit("actions").alias("unit"), pl.lit("computed").alias("kind"),
                                 pl.lit(None, pl.Utf8).alias("source_id"))
    return ChartExport("levers", _portfolio_subject(chosen), "Levers used per field of action", "actions",
                       shown.levers, data, shown.lever_summary, words)


def portfolio_sankey(params: dict) -> ChartExport:
    chosen, shown, words = _portfolio(params)
    data = shown.links.with_columns(
        pl.lit("actions").alias("unit"), pl.lit("computed").alias("kind"), pl.lit(None, pl.Utf8).alias("source_id"))
    return ChartExport("sankey", _portfolio_subject(chosen), "From fields of action through levers to co-benefits",
                       "actions", shown.sankey, data, shown.sankey_summary, words)


def portfolio_gap(params: dict) -> ChartExport:
    """The portfolio-vs-gap waterfall of one city."""
    chosen, shown, words = _portfolio(params)
    if len(chosen.cities) != 1:
        raise UnknownChart("the gap view needs exactly one city")
    city = _city({"city_id": chosen.cities[0]}, with_baseline=True)
    baseline = city.baseline
    target = city.target(inventories_by_city(queries.city_totals()).get(city.city_id, {}))
    view = portfolio.waterfall(city.name, baseline.tco2e, baseline.year, target.tco2e, shown.actions)
    label = target.label
    rows = [{"step": s.label, "tco2e": s.tco2e, "measure": s.measure,
             "kind": baseline.kind if i == 0 else "computed",
             "source_id": baseline.source_id if i == 0 else None} for i, s in enumerate(view.steps)]
    if target.tco2e is not None:
        rows.append({"step": label, "tco2e": target.tco2e, "measure": "target", "kind": "computed",
                     "source_id": target.source_id})
    data = pl.DataFrame(rows, schema={"step": pl.Utf8, "tco2e": pl.Float64, "measure": pl.Utf8, "kind": pl.Utf8,
                                      "source_id": pl.Utf8}).with_columns(pl.lit("t CO2e a year").alias("unit"))
    return ChartExport("portfolio_gap", city.name, f"{city.name}: portfolio against the 2030 gap",
                       "t CO2e a year", figures.waterfall_chart(view.steps, target.tco2e, label), data,
                       view.sentence + f" Target: {target.basis}.", words, notes=_grade_note(city.city_id),
                       left_out=view.left_out)


BUILDERS.update({
    "portfolio-actions": portfolio_actions, "portfolio-macc": portfolio_macc,
    "portfolio-heatmap": portfolio_heatmap, "portfolio-levers": portfolio_levers,
    "portfolio-sankey": portfolio_sankey, "portfolio-gap": portfolio_gap,
})


def scenario_chart(params: dict) -> ChartExport:
    """Three scenarios of a city: 2030 emissions against baseline and target, with every result as data."""
    city_id = params.get("city") if isinstance(params.get("city"), str) else ""
    comparison = scenarios.compare(city_id, {k: scenarios.Scenario.parse(params.get(k))
                                             for k in scenarios.SCENARIO_KEYS})
    if comparison is None:
        raise UnknownChart(f"no baseline and portfolio for {city_id!r}")
    name = comparison.city.name
    return ChartExport("scenarios", name, f"{name}: 2030 emissions by scenario", "t CO2e a year",
                       figures.scenario_chart(comparison.results, comparison.baseline, comparison.target),
                       scenarios.table(comparison),
                       scenarios.summary(name, comparison.results, comparison.target),
                       {k.upper(): v for k, v in comparison.query().items() if k != "city"},
                       notes=_grade_note(comparison.city.city_id))


BUILDERS["scenarios"] = scenario_chart


def countries_chart(params: dict) -> ChartExport:
    """The countries ranked on one measure."""
    measure = params.get("measure") if params.get("measure") in countries.MEASURES else "mission_cities"
    label, unit = countries.MEASURES[measure]
    table = countries.country_table(countries.cities_with_coverage(), queries.countries(), queries.national_ghg())
    shown = table.filter(pl.col(measure).is_not_null()).sort(measure, descending=True)
    data = shown.select("country_iso2", pl.col("name").alias("country"), "eu_member", pl.col(measure).alias("value"),
                        pl.lit(unit or label).alias("unit"), pl.lit("computed").alias("kind"),
                        pl.lit(None, pl.Utf8).alias("source_id"))
    if measure == "national_share_pct":
        data = data.with_columns(pl.lit("owid-jones-ghg").alias("source_id"))
    return ChartExport(f"countries_{measure}", "countries", f"Countries compared: {label.lower()}", unit or label,
                       figures.country_bars(table, measure, label, unit), data,
                       countries.measure_summary(table, measure), {"measure": label})


def twin_network(params: dict) -> ChartExport:
    """The twinning pairs named in the sources."""
    links = queries.twin_links()
    data = links.select("city", "country_iso2", "partner", "partner_country_iso2", "programme_cohort", "inferred",
                        "partner_text", pl.lit("pairs").alias("unit"),
                        pl.lit("official_announcement").alias("kind"), "source_id")
    summary = (f"{links.height} twinning pairs named in the sources, between {links['city_id'].n_unique()} "
               f"newcomer cities and {links['partner_city_id'].n_unique()} partner cities.")
    return ChartExport("twinning", "mission", "Peer-learning network: twinning pairs", "pairs",
                       figures.twin_map(links), data, summary)


BUILDERS.update({"countries": countries_chart, "twinning": twin_network})


def city_sources(params: dict) -> ChartExport:
    """A city's totals in the mission data beside those it reported elsewhere (CDP-ICLEI), with the differences."""
    city = _city(params)
    compared = quality.comparisons().filter(pl.col("city_id") == city.city_id)
    if not compared.height:
        raise UnknownChart(f"{city.name} has no total reported elsewhere")
    totals = with_partial(queries.city_totals().filter(pl.col("city_id") == city.city_id))
    points = [Point(r["year"], r["tco2e"], r["kind"], r["source_id"], r["partial"])
              for r in totals.filter(pl.col("kind") != "projected_bau").iter_rows(named=True)]
    mission = totals.filter(pl.col("kind") != "projected_bau").select(
        pl.lit("mission data").alias("series"), "year", "tco2e", "kind", "source_id",
        pl.when(pl.col("partial")).then(pl.lit("partial: not all sectors")).otherwise(pl.col("method")).alias("what"))
    elsewhere = compared.select(
        pl.lit("CDP-ICLEI").alias("series"), "year", pl.col("elsewhere_tco2e").alias("tco2e"),
        pl.lit("reported").alias("kind"), pl.col("elsewhere_source").alias("source_id"),
        pl.col("elsewhere_figure").alias("what"), "boundary", "protocol", "gases",
        pl.col("mission_year").alias("compared_with_year"), pl.col("mission_tco2e").alias("compared_with_tco2e"),
        "difference_pct", pl.col("disagrees").alias("beyond_threshold"), "note")
    data = pl.concat([mission, elsewhere], how="diagonal_relaxed").with_columns(pl.lit("t CO2e a year").alias("unit"))
    notes = (*_grade_note(city.city_id), quality.CAVEAT)
    return ChartExport("sources_compared", city.name, f"{city.name}: totals by source", "t CO2e a year",
                       figures.sources_over_time(points, compared), data, quality.summary(compared, city.name),
                       notes=notes)


def mission_sources(params: dict) -> ChartExport:
    """Every compared total: the CDP-ICLEI figure against the mission data, in % (mission-wide)."""
    compared = quality.comparisons()
    # The chart draws the difference (computed); both totals it is computed from keep their kinds (the CDP total
    # is reported; mission_kind says what the mission data's is).
    data = compared.rename({"elsewhere_source": "source_id", "mission_source": "mission_source_id"}).with_columns(
        pl.lit("t CO2e a year; %").alias("unit"), pl.lit("computed").alias("kind"),
        pl.lit("reported").alias("elsewhere_kind"))
    return ChartExport("sources_compared", "mission", "Totals reported to CDP-ICLEI against the mission data",
                       "% difference", figures.differences(compared, quality.DIFFERENCE_THRESHOLD_PCT), data,
                       quality.summary(compared), notes=(quality.CAVEAT, quality.THRESHOLD_WORDS))


def grade_counts(params: dict) -> ChartExport:
    """Cities per data quality grade and cohort, with every city's grade and the rule that gave it as data."""
    cities = overview.all_city_metrics().with_columns(pl.col("grade").fill_null("none"))
    counts = (cities.group_by("grade", "cohort").agg(pl.len().cast(pl.Int32).alias("cities"))
              .sort("cohort", "grade"))
    data = cities.select(pl.col("name").alias("city"), "country_iso2", "cohort", "grade", "grade_reason",
                         "baseline_year", pl.col("baseline_kind").fill_null("none").alias("kind"),
                         pl.col("baseline_source").alias("source_id"), pl.lit("grade").alias("unit"))
    mission = counts.filter(pl.col("cohort") == "mission")
    parts = ", ".join(f"{n} grade {g}" if g != "none" else f"{n} without a figure"
                      for g, n in mission.select("grade", "cities").iter_rows())
    return ChartExport("grades", "mission", "Data quality grades of the cities' emissions figures", "cities",
                       figures.grade_bars(counts), data, f"Of the {mission['cities'].sum()} Mission Cities: {parts}.",
                       notes=tuple(f"{g}: {w}" for g, w in quality.GRADES.items()))


BUILDERS.update({"city-sources": city_sources, "mission-sources": mission_sources, "grades": grade_counts})
