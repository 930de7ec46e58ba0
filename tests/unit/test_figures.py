"""Year axes label every year a chart shows, however few."""

from __future__ import annotations

import polars as pl
import pytest

from mission import figures
from mission.pathways import Point


@pytest.mark.parametrize(("years", "dtick"), [([2020, 2022], 1), ([2015, 2026], 2), ([1990, 2030], 5), ([2019], 1)])
def test_a_year_axis_ticks_often_enough_and_leaves_room(years, dtick):
    axis = figures.year_axis(years)
    assert axis["dtick"] == dtick
    assert axis["range"] == [min(years) - 0.5, max(years) + 0.5]


def test_totals_two_years_apart_both_get_a_year_label():
    elsewhere = pl.DataFrame({"year": [2020], "elsewhere_tco2e": [815_900.0], "elsewhere_figure": ["scope 1 + 2"],
                              "boundary": [None], "elsewhere_source": ["cdp"]},
                             schema_overrides={"boundary": pl.Utf8})
    fig = figures.sources_over_time([Point(2022, 1_180_000.0, "modelled_estimate", "m")], elsewhere)
    axis = fig.layout.xaxis
    ticks = range(int(axis.range[0]) + 1, int(axis.range[1]) + 1, int(axis.dtick))
    assert {2020, 2022} <= set(ticks)
