"""Modelled baselines for cities with no usable inventory: population x national per-capita emissions by sector."""

from __future__ import annotations

import polars as pl

import vocab

METHOD = (
    "Modelled estimate, not an inventory: the city's population (from its contract where stated, else the "
    "override table or GeoNames) times the country's emissions per person in each sector. National sectors "
    "are Climate Watch via Our World in Data (source climatewatch-sectors), national population is from Jones "
    "et al. via Our World in Data (source owid-jones-ghg), both for the year in this source's id, the latest "
    "year both cover for the country; national sectors are mapped onto city sectors by sector_map.csv. It "
    "assumes the city emits like the national average person, national industry and land use included. "
    "Use it only until the city reports its own inventory."
)


def source_id(year: int) -> str:
    return f"dashboard-modelled-national-per-capita-{year}"


def source_rows(years: list[int]) -> pl.DataFrame:
    """The source row of each national year used: the method and the year, as the warehouse records them."""
    return pl.DataFrame({
        "source_id": [source_id(y) for y in years],
        "title": [f"Modelled baseline: city population x national per-capita emissions by sector, {y}"
                  for y in years],
        "producer": ["Cities Mission Dashboard (computed at build time)"] * len(years),
        "url": [None] * len(years),
        "accessed": pl.Series([None] * len(years), dtype=pl.Date),
        "licence": ["computed from the sources named in notes; their licences apply"] * len(years),
        "citation": [f"Cities Mission Dashboard modelled estimate from national {y} figures" for y in years],
        "notes": [METHOD] * len(years),
    }, schema_overrides={"url": pl.Utf8})


def per_capita_by_sector(national: pl.DataFrame, sectors: pl.DataFrame, sector_map: pl.DataFrame) -> pl.DataFrame:
    """Per country: the latest year with both sector figures and population, and t CO2e per person by city sector.

    Columns: country_iso2, year, sector, t_per_capita, national_sectors."""
    pop = national.filter(pl.col("population").is_not_null()).select("country_iso2", "year", "population")
    joined = sectors.join(pop, on=["country_iso2", "year"], how="inner")
    latest = joined.group_by("country_iso2").agg(pl.col("year").max())
    return (
        joined.join(latest, on=["country_iso2", "year"], how="semi")
        .join(sector_map.select("national_sector", "city_sector"), on="national_sector", how="inner")
        .group_by("country_iso2", "year", pl.col("city_sector").alias("sector"))
        .agg(
            (pl.col("mt_co2e").sum() * 1e6 / pl.col("population").first()).alias("t_per_capita"),
            pl.col("national_sector").sort().str.join(" + ").alias("national_sectors"),
        )
        .sort("country_iso2", "sector")
    )


def modelled_baselines(cities: pl.DataFrame, emissions: pl.DataFrame, per_capita: pl.DataFrame) -> pl.DataFrame:
    """emission_inventory rows (kind modelled_estimate) for cities without a usable inventory.

    `cities` has city_id, country_iso2, population, population_method; `emissions` has city_id and kind.
    Cities with a usable inventory get nothing: reported values are never overwritten or mixed with estimates."""
    usable = vocab.KIND.codes("usable_inventory")
    has_inventory = emissions.filter(pl.col("kind").is_in(usable)).select("city_id").unique()
    todo = cities.join(has_inventory, on="city_id", how="anti").filter(pl.col("population").is_not_null())
    rows = todo.join(per_capita, on="country_iso2", how="inner")
    return rows.select(
        "city_id", "year", "sector", pl.lit("all").alias("scope"),
        (pl.col("population") * pl.col("t_per_capita")).round(0).alias("tco2e"),
        pl.lit("modelled_estimate").alias("kind"), pl.lit("mission").alias("dataset"),
        pl.format("dashboard-modelled-national-per-capita-{}", pl.col("year")).alias("source_id"),
        pl.format("{} population {} x {} {} per-capita emissions of {} ({} t per person)",
                  pl.col("population_method"), pl.col("population"), pl.col("country_iso2"), pl.col("year"),
                  pl.col("national_sectors"), pl.col("t_per_capita").round(4)).alias("ref"),
        pl.lit("low").alias("confidence"),
        pl.lit("modelled estimate: the contract gives no usable inventory").alias("note"),
    )
