"""Modelled baselines: population x national per-capita emissions by sector, never over a reported inventory."""

import polars as pl
import pytest

from etl.modelled import modelled_baselines, per_capita_by_sector

SECTOR_MAP = pl.DataFrame({"national_sector": ["buildings", "electricity_heat", "fugitive_energy"],
                           "city_sector": ["buildings", "energy_supply", "energy_supply"]})


def test_per_capita_uses_the_latest_year_with_population_and_maps_sectors():
    national = pl.DataFrame({"country_iso2": ["EE", "EE"], "year": [2021, 2022], "population": [1_000_000, 2_000_000]})
    sectors = pl.DataFrame({
        "country_iso2": ["EE"] * 4, "year": [2021, 2022, 2022, 2022],
        "national_sector": ["buildings", "buildings", "electricity_heat", "fugitive_energy"],
        "mt_co2e": [9.0, 1.0, 3.0, 1.0],
    })
    pc = per_capita_by_sector(national, sectors, SECTOR_MAP)
    assert pc.select("year").unique().item() == 2022
    got = dict(pc.select("sector", "t_per_capita").iter_rows())
    assert got == pytest.approx({"buildings": 0.5, "energy_supply": 2.0})


def test_cities_with_a_reported_inventory_get_no_estimate():
    cities = pl.DataFrame({"city_id": ["a", "b"], "country_iso2": ["EE", "EE"], "population": [1000, 2000],
                           "population_method": ["contract", "gazetteer"]})
    emissions = pl.DataFrame({"city_id": ["a", "b"], "kind": ["reported", "projected_bau"]})
    pc = pl.DataFrame({"country_iso2": ["EE"], "year": [2022], "sector": ["buildings"], "t_per_capita": [1.5],
                       "national_sectors": ["buildings"]})
    out = modelled_baselines(cities, emissions, pc)
    assert out["city_id"].to_list() == ["b"]  # a business-as-usual projection is not an inventory
    row = out.to_dicts()[0]
    assert row["tco2e"] == 3000.0
    assert row["kind"] == "modelled_estimate"
    assert row["source_id"] == "dashboard-modelled-national-per-capita-2022"
    assert "gazetteer population 2000 x EE 2022" in row["ref"]


def test_city_without_population_gets_no_estimate():
    cities = pl.DataFrame({"city_id": ["c"], "country_iso2": ["EE"], "population": [None],
                           "population_method": [None]}, schema_overrides={"population": pl.Int64,
                                                                           "population_method": pl.Utf8})
    emissions = pl.DataFrame({"city_id": [], "kind": []}, schema={"city_id": pl.Utf8, "kind": pl.Utf8})
    pc = pl.DataFrame({"country_iso2": ["EE"], "year": [2022], "sector": ["buildings"], "t_per_capita": [1.5],
                       "national_sectors": ["buildings"]})
    assert modelled_baselines(cities, emissions, pc).height == 0
