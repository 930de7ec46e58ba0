"""Grades and comparisons read from real warehouses: the tiny one, with and without the CDP fixtures."""

from __future__ import annotations

import polars as pl

from mission import charts, exports, overview, quality


def test_without_cdp_data_grades_follow_the_mission_data_and_nothing_is_compared(tiny):
    grades = dict(quality.grades().select("city_id", "grade").iter_rows())
    assert grades == {"klagenfurt": "A", "tartu": "D", "oulu": "D"}
    assert quality.comparisons().height == 0
    assert charts.build("mission-sources", {}).summary == "No total reported elsewhere is loaded for the cities shown."
    assert "grade" in overview.all_city_metrics().columns


def test_with_cdp_data_the_city_is_compared_and_a_modelled_only_city_moves_to_c(tiny_cdp):
    assert quality.grade_of("tartu").grade == "C"
    klagenfurt = quality.comparisons().filter(pl.col("city_id") == "klagenfurt").sort("year")
    assert klagenfurt.select("year", "mission_year", "elsewhere_tco2e", "difference_pct", "disagrees").rows() == [
        (2011, None, 1_000_000.0, None, None), (2018, 2019, 950.0, -5.0, False), (2019, 2019, 1300.0, 30.0, True)]
    assert klagenfurt["elsewhere_figure"].to_list()[1] == "GPC BASIC total"


def test_the_city_comparison_exports_both_sources_and_the_grade(tiny_cdp):
    chart = charts.build("city-sources", {"city_id": "klagenfurt"})
    text = exports.csv_bytes(chart).decode()
    assert "# note: data quality grade A: reported by the city in its contract" in text
    assert "# source cdp-city-wide-emissions-2021: This data was collected in partnership by CDP and ICLEI" in text
    assert "# source ccc-klagenfurt:" in text
    series = chart.data.group_by("series").len().sort("series").rows()
    assert series == [("CDP-ICLEI", 3), ("mission data", 2)]
