"""Year axes label every year a chart shows, however few."""

from __future__ import annotations

import math

import polars as pl
import pytest

import vocab
from mission.charts import city as city_charts
from mission.charts import countries as country_charts
from mission.charts import overview as overview_charts
from mission.charts import theme
from mission.pathways import Point


@pytest.mark.parametrize(("years", "dtick"), [([2020, 2022], 1), ([2015, 2026], 2), ([1990, 2030], 5), ([2019], 1)])
def test_a_year_axis_ticks_often_enough_and_leaves_room(years, dtick):
    axis = theme.year_axis(years)
    assert axis["dtick"] == dtick
    assert axis["range"] == [min(years) - 0.5, max(years) + 0.5]


def test_totals_two_years_apart_both_get_a_year_label():
    elsewhere = pl.DataFrame({"year": [2020], "elsewhere_tco2e": [815_900.0], "elsewhere_figure": ["scope 1 + 2"],
                              "boundary": [None], "elsewhere_source": ["cdp"]},
                             schema_overrides={"boundary": pl.Utf8})
    fig = city_charts.sources_over_time([Point(2022, 1_180_000.0, "modelled_estimate", "m")], elsewhere)
    axis = fig.layout.xaxis
    ticks = range(int(axis.range[0]) + 1, int(axis.range[1]) + 1, int(axis.dtick))
    assert {2020, 2022} <= set(ticks)


def _message(fig) -> str | None:
    notes = fig.layout.annotations
    return notes[0].text if len(notes) == 1 and not fig.data else None


def test_a_country_with_nothing_to_chart_gets_a_sentence_not_empty_axes():
    empty_pipeline = pl.DataFrame(schema={"wave": pl.Int64, "label_date": pl.Date, "date_precision": pl.Utf8,
                                          "labels": pl.Int64, "cumulative": pl.Int64, "cities": pl.Utf8})
    assert _message(overview_charts.label_pipeline(empty_pipeline, 0)) == "No Mission City among the cities shown"
    assert _message(overview_charts.label_pipeline(empty_pipeline, 3)) == "No city shown has the Mission Label"
    national = pl.DataFrame(schema={"year": pl.Int64, "total_ghg_mt_co2e": pl.Float64})
    by_year = pl.DataFrame(schema={"baseline_year": pl.Int64, "baseline_kind": pl.Utf8, "mt": pl.Float64,
                                   "name": pl.Utf8})
    assert _message(country_charts.national_trend(national, by_year)) is not None


def test_country_bars_colour_membership_and_say_counts_whole():
    table = pl.DataFrame({"name": ["A", "B", "C"], "country_iso2": ["AT", "NO", "UA"], "eu_member": [True, False, None],
                          "mission_cities": [3, 2, 0]}, schema_overrides={"mission_cities": pl.Int32})
    bar = country_charts.country_bars(table, "mission_cities", "Mission Cities", "").data[0]
    assert list(bar.marker.color) == [vocab.OKABE_ITO["blue"], vocab.OKABE_ITO["orange"], vocab.GREY]
    assert "%{y:,.0f}" in bar.hovertemplate


def test_a_lone_city_is_shown_among_its_neighbours():
    zoom = theme.around([50.62], [26.25])
    lat, lon = zoom["lataxis"]["range"], zoom["lonaxis"]["range"]
    assert lat[1] - lat[0] == pytest.approx(5.0)
    assert lon[1] - lon[0] == pytest.approx(5.0 * 1.4 / math.cos(math.radians(50.62)), rel=1e-3)  # landscape
    assert lat[0] < 50.62 < lat[1] and lon[0] < 26.25 < lon[1]
    spread = theme.around([43.0, 51.0], [-1.0, 7.0])  # a country's cities: their extent and a margin
    assert spread["lataxis"]["range"] == pytest.approx([41.8, 52.2])
