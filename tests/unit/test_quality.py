"""Data quality: the grade rules and the comparison of totals from two sources."""

from __future__ import annotations

import polars as pl
import pytest

from mission import quality

TOTALS = {"city_id": pl.String, "year": pl.Int32, "kind": pl.String, "tco2e": pl.Float64, "method": pl.String,
          "source_id": pl.String, "sectors": pl.Int32}


def totals(*rows) -> pl.DataFrame:
    """(city_id, year, kind, tco2e, method, sectors) -> queries.city_totals() rows."""
    return pl.DataFrame([{"city_id": c, "year": y, "kind": k, "tco2e": t, "method": m, "source_id": f"src-{c}",
                          "sectors": s} for c, y, k, t, m, s in rows], schema=TOTALS)


def grade(*rows, elsewhere: bool = False) -> quality.Grade:
    return quality.grade(quality.with_partial(totals(*rows)), elsewhere)


def test_a_recent_complete_sector_split_in_the_contract_is_grade_a():
    g = grade(("x", 1990, "reported", 900.0, "grand_total", 0), ("x", 2019, "reported", 500.0, "sum_of_sectors", 4))
    assert g.grade == "A" and g.reason.endswith("(2019, 4 sectors)")


@pytest.mark.parametrize(("rows", "why"), [
    ([("x", 2012, "reported", 500.0, "sum_of_sectors", 4)], "latest 2012: before 2015"),
    ([("x", 2019, "reported", 500.0, "grand_total", 0)], "latest 2019: no sector split"),
    ([("x", 2019, "reported", 500.0, "sum_of_sectors", 1)], "latest 2019: no sector split"),
    # 2021 updates one sector of the 2014 inventory: partial, so it cannot make the city grade A.
    ([("x", 2014, "reported", 500.0, "sum_of_sectors", 4), ("x", 2021, "reported", 100.0, "sum_of_sectors", 1)],
     "latest 2021: a partial update"),
], ids=["old", "total only", "one sector", "partial update"])
def test_a_contract_inventory_that_is_old_unsplit_or_partial_is_grade_b(rows, why):
    g = grade(*rows)
    assert g.grade == "B" and g.reason.endswith(f"({why})")


def test_no_contract_inventory_but_a_figure_elsewhere_is_grade_c_and_a_model_alone_is_d():
    modelled = ("x", 2022, "modelled_estimate", 800.0, "sum_of_sectors", 6)
    assert grade(modelled, elsewhere=True) == quality.Grade(
        "C", "no inventory in the city's contract; a total reported to CDP-ICLEI")
    assert grade(("x", 2020, "official_statistic", 700.0, "grand_total", 0)).grade == "C"
    assert grade(modelled) == quality.Grade("D", quality.GRADES["D"])
    assert grade().grade is None


def test_grades_of_every_city_including_those_without_figures():
    frame = quality.grades_of(totals(("a", 2019, "reported", 5.0, "sum_of_sectors", 3),
                                     ("b", 2022, "modelled_estimate", 8.0, "sum_of_sectors", 6)),
                              pl.DataFrame({"city_id": ["b"]}), ["a", "b", "c"])
    assert frame.select("city_id", "grade").rows() == [("a", "A"), ("b", "C"), ("c", None)]


def test_the_comparable_figure_prefers_basic_then_direct_plus_grid_then_scope_totals():
    assert quality.comparable([{"scope": "1", "tco2e": 7.0}, {"scope": "2", "tco2e": 3.0},
                               {"scope": "basic", "tco2e": 9.0}])[0] == 9.0
    assert quality.comparable([{"scope": "1+2", "tco2e": 8.0}])[0] == 8.0
    assert quality.comparable([{"scope": "1", "tco2e": 7.0}, {"scope": "2", "tco2e": 3.0}])[0] == 10.0
    assert quality.comparable([{"scope": "basic+", "tco2e": 12.0}, {"scope": "1", "tco2e": 7.0}])[0] == 12.0
    assert quality.comparable([{"scope": "1", "tco2e": 7.0}]) is None


CITIES = pl.DataFrame({"city_id": ["x", "y"], "name": ["Xville", "Yburg"], "country_iso2": ["AT", "EE"],
                       "population_territory": ["municipality", None], "population": [100_000, None]})


def elsewhere(*rows) -> pl.DataFrame:
    """(city_id, year, scope, tco2e) -> queries.reported_elsewhere() rows."""
    return pl.DataFrame([{"city_id": c, "year": y, "scope": s, "tco2e": t, "source_id": "cdp", "ref": "r",
                          "boundary": "Same", "protocol": "GPC", "gases": "CO2", "population": None, "flags": None}
                         for c, y, s, t in rows])


def test_same_year_first_then_nearest_within_two_years_and_the_threshold_flag():
    mine = totals(("x", 2015, "reported", 1000.0, "grand_total", 0), ("x", 2019, "reported", 1000.0, "grand_total", 0))
    out = quality.compare(CITIES, mine, elsewhere(("x", 2019, "1+2", 1200.0), ("x", 2017, "1+2", 1201.0),
                                                  ("x", 2011, "1+2", 900.0)))
    by_year = {r["year"]: r for r in out.iter_rows(named=True)}
    assert (by_year[2019]["mission_year"], by_year[2019]["difference_pct"], by_year[2019]["disagrees"]) == (
        2019, pytest.approx(20.0), False)  # exactly the threshold is not beyond it
    # 2017 is two years from both 2015 and 2019: the later inventory is taken, and the gap is said.
    assert by_year[2017]["mission_year"] == 2019 and by_year[2017]["disagrees"] is True
    assert by_year[2017]["note"].startswith("years differ by 2")
    assert by_year[2011]["difference_pct"] is None
    assert by_year[2011]["note"] == "no complete inventory within 2 years in the mission data (it has 2015, 2019)"


def test_a_modelled_estimate_is_compared_whatever_the_year_and_one_scope_is_not_compared():
    mine = totals(("y", 2022, "modelled_estimate", 4000.0, "sum_of_sectors", 6))
    out = quality.compare(CITIES, mine, elsewhere(("y", 2019, "1+2", 1000.0), ("y", 2018, "1", 900.0)))
    r2019, r2018 = (out.filter(pl.col("year") == y).row(0, named=True) for y in (2019, 2018))
    assert (r2019["mission_kind"], r2019["difference_pct"], r2019["disagrees"]) == ("modelled_estimate", -75.0, True)
    assert r2019["note"].startswith("compared with the dashboard's modelled estimate")
    assert r2018["difference_pct"] is None and r2018["elsewhere_figure"] == "only scope 1"
    assert quality.difference_words(r2019) == "-75% (differs by more than 20%)"
    assert quality.difference_words(r2018) == "not compared"
