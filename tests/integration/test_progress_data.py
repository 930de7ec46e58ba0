"""The Mission's progress on the bundled data: the published counts beside the warehouse's, the gap's sums that add
up and agree with the Mission-wide scenarios, and the pace of the cities with two inventories."""

from __future__ import annotations

import polars as pl
import pytest

from mission import charts, progress, scenarios
from mission.progress import Scope


def test_the_published_label_counts_differ_from_the_warehouses_only_by_the_joint_entry(bundled):
    road = progress.of(Scope()).road.filter(pl.col("fact") == "labels_cumulative")
    assert road.select("published", "warehouse", "joint_extra", "unexplained").rows()[-2:] == [
        (103.0, 102, 1, 0), (106.0, 105, 1, 0)]
    assert road["unexplained"].to_list() == [0] * road.height


def test_every_mission_city_is_in_the_gap_or_named_as_left_out(bundled):
    p = progress.of(Scope())
    assert p.gap.cities.height == 112
    left_out = p.gap.cities.filter(pl.col("coverage") != "in_sums")
    words = " ".join(progress.coverage_words(p.gap))
    assert all(name in words for name in left_out["name"])
    assert all(name in words for name in p.gap.without_portfolio)


def test_the_mission_wide_planned_scenario_ends_where_the_gap_waterfall_does(bundled):
    p = progress.of(Scope())
    planned = scenarios.compare_group(Scope(), {"a": scenarios.Scenario.parse("planned")})
    assert planned.results["a"].emissions_2030 == pytest.approx(p.gap.left)
    assert planned.results["a"].gap_tco2e == pytest.approx(p.gap.shortfall)
    assert len(planned.cities) == p.gap.in_sums.height
    france = scenarios.compare_group(Scope(("FR",)), {})
    assert set(france.cities) == set(progress.of(Scope(("FR",))).gap.in_sums["name"])


def test_thirteen_cities_have_two_reported_inventories_and_their_differences_are_flagged(bundled):
    pace = progress.of(Scope()).pace
    assert pace.height == 13
    oslo = pace.filter(pl.col("city_id") == "oslo").row(0, named=True)
    assert (oslo["from_year"], oslo["to_year"]) == (2009, 2020)
    assert "different scopes" in oslo["caveats"]  # a scope 1 total against a full inventory
    dresden = pace.filter(pl.col("city_id") == "dresden").row(0, named=True)
    assert dresden["on_pace"] is None and "partial" in dresden["caveats"]


def test_every_progress_chart_exports_for_the_mission_and_a_country(bundled):
    for name in ("progress-road", "progress-gap", "progress-countries", "progress-fields", "progress-pace",
                 "progress-money"):
        for params in ({}, {"country": "FR"}):
            chart = charts.build(name, params)
            assert chart.summary and {"unit", "kind", "source_id"} <= set(chart.data.columns), name
    money = charts.build("progress-money", {}).data
    assert money.filter(pl.col("kind") == "official_announcement")["value"].to_list() == [114.1, 650.0, 307.0]


def test_with_cdp_files_a_city_whose_contract_pair_is_partial_is_measured_on_its_cdp_reports(tiny_cdp):
    pace = progress.of(Scope()).pace
    klagenfurt = pace.filter(pl.col("city_id") == "klagenfurt").row(0, named=True)
    # Its contract's 2022 inventory is a partial update; its CDP reports of 2011 and 2019 give a pace, whose
    # figures are of different kinds (a GPC BASIC total against scopes 1+2): flagged.
    assert (klagenfurt["data_set"], klagenfurt["from_year"], klagenfurt["to_year"]) == ("cdp", 2011, 2019)
    assert klagenfurt["comparable"] and "read differently" in klagenfurt["caveats"]
    assert klagenfurt["achieved_pct"] == pytest.approx((1 - (1300 / 1e6) ** (1 / 8)) * 100)
