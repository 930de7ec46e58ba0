"""Countries for ministries: their cities against each other, against all Mission Cities and against the nation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from i18n import N_, number, percent
from i18n import gettext as _
from mission import overview, portfolio, queries, tiers
from mission.db import cached
from mission.words import count, tonnes

# Each measure's label and unit, marked for translation (N_) and translated where they are shown.
MEASURES = {
    "mission_cities": (N_("Mission Cities"), ""),
    "labelled_share": (N_("Share of Mission Cities with the label"), N_("%")),
    "baseline_mt": (N_("Summed baselines of the Mission Cities"), N_("Mt CO2e")),
    "median_per_capita_t": (N_("Median baseline per person"), N_("t CO2e")),
    "median_rate_pct": (N_("Median required annual reduction"), N_("% a year")),
    "national_share_pct": (N_("Mission Cities' baselines as a share of national emissions"), N_("%")),
    "signatories": (N_("Covenant of Mayors signatories (cities)"), ""),
    "committed_2050": (N_("Cities committed to climate neutrality by 2050, outside the Mission"), ""),
    "committed_share": (N_("Share of the signatories in the Covenant's 2050 initiative"), N_("%")),
}
# Each measure's label inside a sentence ("No country has a value for {measure}.").
MEASURE_WORDS = {
    "mission_cities": N_("mission cities"),
    "labelled_share": N_("share of mission cities with the label"),
    "baseline_mt": N_("summed baselines of the mission cities"),
    "median_per_capita_t": N_("median baseline per person"),
    "median_rate_pct": N_("median required annual reduction"),
    "national_share_pct": N_("mission cities' baselines as a share of national emissions"),
    "signatories": N_("covenant of mayors signatories (cities)"),
    "committed_2050": N_("cities committed to climate neutrality by 2050, outside the mission"),
    "committed_share": N_("share of the signatories in the covenant's 2050 initiative"),
}


def gap_coverage(cities: pl.DataFrame, actions: pl.DataFrame) -> pl.DataFrame:
    """Per city: the addable planned annual reduction of its portfolio (as in the portfolio-vs-gap view) and the
    share of its gap (baseline - 2030 target) that it covers, in %. Null where the city has no baseline, no
    target in tonnes, no gap, or no action with a reduction that can be added up."""
    planned = (actions.filter(portfolio.addable())
               .group_by("city_id").agg(pl.col("annual_tco2e").sum().alias("planned_tco2e")))
    gap = pl.col("baseline_tco2e") - pl.col("target_tco2e")
    return (cities.select("city_id", "baseline_tco2e", "target_tco2e")
            .join(planned, on="city_id", how="left")
            .with_columns(pl.when(gap > 0).then(pl.col("planned_tco2e") / gap * 100)
                          .alias("gap_coverage_pct"))
            .select("city_id", "planned_tco2e", "gap_coverage_pct"))


@cached
def cities_with_coverage(path: Path | None = None) -> pl.DataFrame:
    """`overview.all_city_metrics` plus planned_tco2e and gap_coverage_pct (default cost method)."""
    metrics = overview.all_city_metrics(path=path)
    coverage = gap_coverage(metrics, portfolio.all_actions(portfolio.DEFAULT_YEARS_OF_EFFECT, True, path=path))
    return metrics.join(coverage, on="city_id", how="left")


def latest_national(national: pl.DataFrame) -> pl.DataFrame:
    """Each country's latest national total: country_iso2, national_year, national_mt."""
    return (national.filter(pl.col("total_ghg_mt_co2e").is_not_null()).sort("year")
            .group_by("country_iso2").agg(pl.col("year").last().alias("national_year"),
                                          pl.col("total_ghg_mt_co2e").last().alias("national_mt")))


def country_table(cities: pl.DataFrame, countries: pl.DataFrame, national: pl.DataFrame,
                  tiered: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per country that has a city (`tiered`: every city with its tier, signatories too): the MEASURES,
    plus newcomers and the national year used."""
    mission = pl.col("cohort") == "mission"
    per_country = cities.group_by("country_iso2").agg(
        mission.sum().cast(pl.Int32).alias("mission_cities"),
        (mission & pl.col("label_date").is_not_null()).sum().cast(pl.Int32).alias("labelled"),
        (pl.col("cohort") == "newcomer").sum().cast(pl.Int32).alias("newcomers"),
        (pl.col("baseline_tco2e").filter(mission).sum() / 1e6).alias("baseline_mt"),
        (pl.col("baseline_tco2e").filter(mission & (pl.col("baseline_kind") == "reported")).sum() / 1e6)
        .alias("reported_mt"),
        pl.col("per_capita_t").filter(mission).median().alias("median_per_capita_t"),
        pl.col("required_rate_pct").filter(mission).median().alias("median_rate_pct"),
    )
    if tiered is not None:
        signed = pl.col("covenant_signatory").fill_null(False)
        on_way = tiered.group_by("country_iso2").agg(
            signed.sum().cast(pl.Int32).alias("signatories"),
            (pl.col("tier") == "committed_2050").sum().cast(pl.Int32).alias("committed_2050"),
            (signed & pl.col("com_2050").fill_null(False)).sum().cast(pl.Int32).alias("in_2050_initiative"))
        per_country = per_country.join(on_way, on="country_iso2", how="full", coalesce=True).with_columns(
            pl.col("mission_cities", "labelled", "newcomers").fill_null(0),
            pl.when(pl.col("signatories") > 0).then(pl.col("in_2050_initiative") / pl.col("signatories") * 100)
            .alias("committed_share"))
    return (per_country.join(countries.select("country_iso2", "name", "eu_member"), on="country_iso2", how="left")
            .join(latest_national(national), on="country_iso2", how="left")
            .with_columns(pl.when(pl.col("mission_cities") > 0).then(pl.col(c)).alias(c)
                          for c in ("baseline_mt", "reported_mt"))
            .with_columns(
                pl.when(pl.col("mission_cities") > 0)
                .then(pl.col("labelled") / pl.col("mission_cities") * 100).alias("labelled_share"),
                pl.when(pl.col("baseline_mt") > 0)
                .then(pl.col("reported_mt") / pl.col("baseline_mt") * 100).alias("reported_share"),
                pl.when((pl.col("baseline_mt") > 0) & (pl.col("national_mt") > 0))
                .then(pl.col("baseline_mt") / pl.col("national_mt") * 100).alias("national_share_pct"))
            .sort("name"))


@dataclass(frozen=True)
class NationalComparison:
    national: pl.DataFrame
    by_year: pl.DataFrame
    sentence: str


def national_comparison(name: str, national: pl.DataFrame, cities: pl.DataFrame) -> NationalComparison:
    """The national trend of one country and its Mission Cities' summed baselines, by baseline year."""
    mission = cities.filter((pl.col("cohort") == "mission") & pl.col("baseline_tco2e").is_not_null())
    by_year = (mission.group_by("baseline_year", "baseline_kind")
               .agg((pl.col("baseline_tco2e").sum() / 1e6).alias("mt"), pl.col("name").sort().str.join(", "))
               .sort("baseline_year", "baseline_kind"))
    if not national.height:
        return NationalComparison(national, by_year, _("The warehouse has no national figures for {country}.").format(
            country=name))
    last = national.filter(pl.col("total_ghg_mt_co2e").is_not_null()).sort("year").row(-1, named=True)
    if not mission.height:
        return NationalComparison(national, by_year, _(
            "{country} emitted {national} Mt CO2e in {year} (Jones et al.); no Mission City of it has a baseline.")
            .format(country=name, national=number(last["total_ghg_mt_co2e"], 1), year=last["year"]))
    total = mission["baseline_tco2e"].sum()
    years = f"{mission['baseline_year'].min()}–{mission['baseline_year'].max()}"
    share = total / 1e6 / last["total_ghg_mt_co2e"] * 100
    return NationalComparison(national, by_year, _(
        "The baselines of {cities} of {country} add up to {total} CO2e (inventory years {years}), about {share} of the "
        "national total of {national} Mt in {year}. An indication only: the years differ, the national figures "
        "exclude F-gases, and city inventories draw their own boundaries (scope 2, sinks, industry).").format(
        cities=count(mission.height, "{n} Mission City", "{n} Mission Cities"), country=name, total=tonnes(total),
        years=years, share=percent(share), national=number(last["total_ghg_mt_co2e"], 1), year=last["year"]))


def rankings(cities: pl.DataFrame) -> pl.DataFrame:
    """A country's cities for the rankings table, Mission Cities first, highest per-capita baseline first."""
    return (cities.select("city_id", "name", "cohort", "stage", "population", "baseline_year", "baseline_kind",
                          "grade", "grade_reason", "per_capita_t", "required_rate_pct", "planned_tco2e",
                          "gap_coverage_pct")
            .sort(pl.col("cohort") != "mission", pl.col("per_capita_t"), descending=[False, True], nulls_last=True))


def measure_summary(table: pl.DataFrame, measure: str) -> str:
    label, unit = MEASURES[measure]
    shown = table.filter(pl.col(measure).is_not_null()).sort(measure, descending=True)
    if not shown.height:
        return _("No country has a value for {measure}.").format(measure=_(MEASURE_WORDS[measure]))
    top, low = shown.row(0, named=True), shown.row(-1, named=True)
    digits = 0 if shown.schema[measure].is_integer() else 1  # a count is said as a whole number

    def value(x: float) -> str:
        return _("{value} {unit}").format(value=number(x, digits), unit=_(unit)) if unit else number(x, digits)

    return _("{measure}: highest in {top} ({top_value}), lowest in {low} ({low_value}), across {countries}.").format(
        measure=_(label), top=top["name"], top_value=value(top[measure]), low=low["name"],
        low_value=value(low[measure]), countries=count(shown.height, "{n} country", "{n} countries"))


def strip_summary(everyone: pl.DataFrame, mine: pl.DataFrame, column: str, unit: str) -> str:
    """Where the country's Mission Cities sit against all of them, in one sentence (`unit` as the reader reads it)."""
    mission = everyone.filter((pl.col("cohort") == "mission") & pl.col(column).is_not_null())
    own = mine.filter((pl.col("cohort") == "mission") & pl.col(column).is_not_null())
    if not own.height:
        return _("No Mission City of this country has a value.")
    return _("Median of this country's {own} Mission Cities: {own_median} {unit}; of all {all} Mission Cities: "
             "{all_median} {unit}.").format(own=number(own.height), own_median=number(own[column].median(), 1),
                                              all=number(mission.height),
                                              all_median=number(mission[column].median(), 1), unit=unit)


@cached
def table(path: Path | None = None) -> pl.DataFrame:
    """`country_table` of the whole warehouse: every country with a city, signatories' countries too."""
    return country_table(cities_with_coverage(path=path), queries.countries(path=path),
                         queries.national_ghg(path=path), tiers.table(path=path))
