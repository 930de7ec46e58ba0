"""Modelled baselines for cities with no usable inventory: population x national per-capita emissions by sector."""

from __future__ import annotations

import polars as pl

import vocab
from etl.sources import computed


def source_id(year: int) -> str:
    return computed.source_id("modelled", year=year)


def source_rows(years: list[int]) -> pl.DataFrame:
    """The source row of each national year used: the method and the year, as the warehouse records them
    (wording in etl/sources/computed.toml)."""
    rows = [computed.source_row("modelled", year=y) for y in years]
    return pl.DataFrame(rows, schema={"source_id": pl.Utf8, "title": pl.Utf8, "producer": pl.Utf8, "url": pl.Utf8,
                                      "licence": pl.Utf8, "citation": pl.Utf8, "notes": pl.Utf8,
                                      "accessed": pl.Date}).select(
        "source_id", "title", "producer", "url", "accessed", "licence", "citation", "notes")


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
        pl.format(computed.source_id_template("modelled"), pl.col("year")).alias("source_id"),
        pl.format("{} population {} x {} {} per-capita emissions of {} ({} t per person)",
                  pl.col("population_method"), pl.col("population"), pl.col("country_iso2"), pl.col("year"),
                  pl.col("national_sectors"), pl.col("t_per_capita").round(4)).alias("ref"),
        pl.lit("low").alias("confidence"),
        pl.lit("modelled estimate: the contract gives no usable inventory").alias("note"),
    )
