"""Country measures against hand-computed examples: gap coverage, the country table, the national comparison."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from mission.countries import country_table, gap_coverage, measure_summary, national_comparison


def cities() -> pl.DataFrame:
    return pl.DataFrame({
        "city_id": ["a", "b", "c", "n"], "name": ["A", "B", "C", "N"], "country_iso2": ["AT", "AT", "SI", "SI"],
        "cohort": ["mission", "mission", "mission", "newcomer"],
        "label_date": [dt.date(2024, 1, 1), None, dt.date(2024, 1, 1), None],
        "baseline_year": [2019, 2020, 2019, 2022], "baseline_tco2e": [1_000_000.0, 3_000_000.0, 500_000.0, 10.0],
        "baseline_kind": ["reported", "modelled_estimate", "reported", "modelled_estimate"],
        "per_capita_t": [4.0, 8.0, 5.0, 1.0], "required_rate_pct": [10.0, 20.0, 15.0, 18.0],
        "target_tco2e": [200_000.0, 600_000.0, None, 2.0],
    })


def test_gap_coverage_is_the_addable_planned_reduction_over_the_gap():
    actions = pl.DataFrame({"city_id": ["a", "a", "a"], "annual_tco2e": [100_000.0, 300_000.0, 50_000.0],
                            "flags": [[], [], ["overlap"]]})
    coverage = {r["city_id"]: r["gap_coverage_pct"] for r in gap_coverage(cities(), actions).iter_rows(named=True)}
    # a: 400,000 / (1,000,000 - 200,000) = 50%; b: no action; c: no target.
    assert coverage == {"a": pytest.approx(50.0), "b": None, "c": None, "n": None}


def test_the_country_table_counts_and_shares():
    countries = pl.DataFrame({"country_iso2": ["AT", "SI"], "name": ["Austria", "Slovenia"], "eu_member": [True, True]})
    national = pl.DataFrame({"country_iso2": ["AT", "AT", "SI"], "year": [2022, 2023, 2023],
                             "total_ghg_mt_co2e": [70.0, 80.0, 10.0]})
    table = {r["country_iso2"]: r for r in country_table(cities(), countries, national).iter_rows(named=True)}
    at = table["AT"]
    assert (at["mission_cities"], at["labelled"], at["newcomers"]) == (2, 1, 0)
    assert at["baseline_mt"] == pytest.approx(4.0) and at["reported_share"] == pytest.approx(25.0)
    assert at["labelled_share"] == pytest.approx(50.0) and at["median_per_capita_t"] == pytest.approx(6.0)
    # 4 Mt of city baselines against 80 Mt in 2023, the latest national year: 5%.
    assert (at["national_year"], at["national_share_pct"]) == (2023, pytest.approx(5.0))
    assert table["SI"]["newcomers"] == 1 and table["SI"]["baseline_mt"] == pytest.approx(0.5)
    assert "highest in Austria (2)," in measure_summary(country_table(cities(), countries, national),
                                                         "mission_cities")


def test_the_national_comparison_says_its_share_and_its_caveats():
    national = pl.DataFrame({"year": [2022, 2023], "total_ghg_mt_co2e": [70.0, 80.0]})
    mine = cities().filter(pl.col("country_iso2") == "AT")
    view = national_comparison("Austria", national, mine)
    assert view.by_year.select("baseline_year", "mt").rows() == [(2019, 1.0), (2020, 3.0)]
    expected = "add up to 4.00 Mt CO2e (inventory years 2019–2020), about 5% of the national total of 80.0 Mt in 2023"
    assert expected in view.sentence
    assert "An indication only" in view.sentence
    assert "no national figures" in national_comparison("Nowhere", national.clear(), mine).sentence
