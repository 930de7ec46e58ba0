"""Overview maths: filters from the URL, partial inventories, what a map click opens, inventory levels."""

from __future__ import annotations

import polars as pl
import pytest

from mission import overview
from mission.city import City, latest_point, with_partial
from mission.inventory import inventory_view
from mission.overview import Filters, clicked_id
from mission.pathways import Point


def test_filters_read_from_the_url_drop_unknown_values():
    f = Filters.from_query({"country": "fr, be,xxx,", "cohort": "martians", "label": "labelled", "metric": "nope"})
    assert f == Filters(("BE", "FR"), None, "labelled", "stage")


def test_filters_from_the_dropdown_accept_a_list_and_ignore_junk():
    assert Filters.from_query({"country": ["se", 7, None, "FRA"], "cohort": ["mission"]}).countries == ("SE",)
    assert Filters.from_query({"country": {"a": 1}, "metric": ["rate"]}) == Filters()


def test_filters_round_trip_through_the_url():
    f = Filters(("AT", "FR"), "mission", "not_labelled", "rate")
    assert Filters.from_query(f.to_query()) == f
    assert Filters().to_query() == {}


def test_an_inventory_covering_fewer_sectors_without_a_total_is_partial():
    totals = pl.DataFrame({"city_id": ["d", "d", "d"], "year": [2018, 2021, 2022], "kind": ["reported"] * 3,
                           "tco2e": [3_644_011.0, 17_370.0, 3_000_000.0],
                           "method": ["grand_total", "sum_of_scopes", "grand_total"], "sectors": [2, 1, 0]})
    assert with_partial(totals)["partial"].to_list() == [False, True, False]


def test_required_cut_starts_from_the_latest_complete_inventory_of_the_baselines_kind():
    base = Point(2018, 100.0, "reported")
    totals = {(2018, "reported"): 100.0, (2021, "reported"): 90.0, (2022, "modelled_estimate"): 80.0}
    assert latest_point(base, totals) == Point(2021, 90.0, "reported")
    assert latest_point(base, {}) == Point(2018, 100.0, "reported")


def test_a_map_click_opens_the_city_in_the_points_customdata():
    assert clicked_id({"points": [{"customdata": "klagenfurt", "lat": 1}]}) == "klagenfurt"
    assert clicked_id({"points": []}) is None
    assert clicked_id(None) is None
    assert clicked_id({"points": [{"customdata": ["not", "an", "id"]}]}) is None


def inventory(*rows) -> pl.DataFrame:
    return pl.DataFrame([{"sector": s, "scope": sc, "tco2e": t, "kind": "reported", "source_id": "x", "ref": None}
                         for s, sc, t in rows])


def test_scope_rows_are_drawn_when_they_add_up_to_the_sector_total():
    view = inventory_view(inventory(("total", "all", 1000.0), ("buildings", "all", 600.0),
                                    ("buildings", "1", 400.0), ("buildings", "2", 200.0),
                                    ("transport", "all", 400.0)))
    assert sorted(zip(view.rows["sector"], view.rows["scope"], strict=True)) == [
        ("buildings", "1"), ("buildings", "2"), ("transport", "all")]
    assert view.total == 1000.0 and view.notes == []
    assert view.largest_words() == "buildings (600 t)"


def test_scope_rows_that_do_not_add_up_give_way_to_the_sector_total_with_a_note():
    view = inventory_view(inventory(("industry", "all", 255_700.0), ("industry", "1", 225_700.0)))
    assert view.rows["scope"].to_list() == ["all"]
    assert view.notes == ["Industry: the scope rows add up to 225.7 kt, the sector's total is 255.7 kt; "
                          "the total is shown."]


def test_the_documents_total_is_the_baseline_and_a_different_sector_sum_is_flagged():
    view = inventory_view(inventory(("total", "all", 2_323_300.0), ("buildings", "all", 2_350_000.0)))
    assert view.total == pytest.approx(2_323_300.0)
    assert "its sector rows add up to 2.35 Mt" in view.notes[0]


@pytest.mark.parametrize(("cohort", "for_comparison"), [("newcomer", True), ("mission", False)])
def test_a_newcomer_borrows_the_missions_default_target_only_to_compare(cohort, for_comparison):
    city = City(city_id="x", name="X", country_iso2="FI", country="Finland", cohort=cohort, confidence=None,
                lat=None, lon=None, population=None, label=None, contract_target=None,
                baseline=Point(2022, 1000.0, "modelled_estimate", "m"))
    target = city.target({})
    assert not target.own and target.tco2e == pytest.approx(200.0)
    assert ("shown for comparison only" in target.basis) is for_comparison


def test_the_pipeline_sentence_reads_well_with_no_or_one_mission_city():
    empty = pl.DataFrame(schema={"label_date": pl.Date})
    kpis = overview.Kpis(mission_cities=0, countries=1, labelled=0, in_review=0, newcomers=1, baseline_tco2e=0.0)
    assert overview.pipeline_summary(empty, kpis).startswith("No Mission City among the cities shown")
    one = overview.Kpis(mission_cities=1, countries=1, labelled=0, in_review=1, newcomers=0, baseline_tco2e=0.0)
    assert overview.pipeline_summary(empty, one) == "The Mission City shown does not have the Mission Label yet."


def test_the_map_sentence_of_one_value_gives_it_without_a_range():
    frame = pl.DataFrame({"country_iso2": ["AT"], "per_capita_t": [7.5]})
    sentence = overview.map_summary(frame, "per_capita")
    assert "coloured by baseline per capita: 7.5 t CO2e per person. Marker size" in sentence
