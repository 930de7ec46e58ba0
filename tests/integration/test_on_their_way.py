"""The read side at full data (the bundled Covenant file): tiers counted as the SQL counts them, the map that groups
what is too many to draw, a country's candidates, and the search among every city."""

from __future__ import annotations

import polars as pl

from mission import charts, queries, tiers
from mission.charts.newcomers import POINTS_DRAWN
from tests.conftest import rows


def test_every_city_has_exactly_one_tier_and_the_counts_match_the_warehouse(bundled, bundled_db):
    table = tiers.table()
    (everyone,), = rows(bundled_db, "SELECT count(*) FROM city")
    assert table.height == everyone and table["tier"].null_count() == 0
    assert table.filter(pl.col("tier") == "mission_city").height == 112
    (signed,), = rows(bundled_db, "SELECT count(*) FROM covenant_signatory WHERE city_id IS NOT NULL AND com_2050 "
                                  "AND city_id NOT IN (SELECT city_id FROM city WHERE cohort = 'mission')")
    committed = table.filter(pl.col("tier") == "committed_2050")
    assert committed.height >= signed
    assert set(committed["tier_source"].drop_nulls()) <= {"jrc-gcom-mycovenant-5th-release-january-2024-df1",
                                                          *tiers.TWINNING_COMMITMENT.values()}
    assert committed["tier_source"].null_count() == 0  # a commitment is never without its source


def test_the_map_groups_a_tier_too_many_to_draw_and_the_csv_keeps_every_city(bundled):
    europe = charts.build("newcomers-map", {})
    grouped = [t for t in europe.figure.data if t.name.endswith("(grouped)")]
    assert len(grouped) == 1 and grouped[0].name.startswith("no 2050 commitment known")
    table = tiers.table()
    drawn_open = table.filter((pl.col("tier") == "open") & pl.col("placement").is_in(["exact", "approximate"]))
    assert drawn_open.height > POINTS_DRAWN
    counts = sum(int(t.split(" ")[0].replace(",", "")) for t in grouped[0].text)
    assert counts == drawn_open.height
    assert europe.data.height == table.height
    assert "grouped in" in europe.summary
    france = charts.build("newcomers-map", {"country": "FR"})
    assert not any(t.name.endswith("(grouped)") for t in france.figure.data)
    assert sum(len(t.lat) for t in france.figure.data) == int(france.summary.split(" of ")[0].replace(",", ""))


def test_a_countrys_candidates_are_its_2050_committed_cities_outside_the_mission(bundled):
    found = tiers.candidates("IT")
    assert found.height and set(found["tier"]) == {"committed_2050"} and set(found["country_iso2"]) == {"IT"}
    assert found["population"].drop_nulls().to_list() == sorted(found["population"].drop_nulls(), reverse=True)
    assert found["nearest_km"].drop_nulls().min() >= 0


def test_the_search_finds_any_city_by_part_of_its_name_or_alias_accents_and_case_ignored(bundled):
    assert queries.search_cities("KOLN")["city_id"][0] == "cologne"  # the alias Köln
    assert queries.search_cities("worthersee")["city_id"].to_list() == ["klagenfurt"]
    assert queries.search_cities("%")["city_id"].to_list() == []  # a wildcard is text, not a pattern
    assert queries.search_cities("san", limit=5).height == 5


def test_a_grid_request_of_the_wrong_shape_gives_the_first_block_of_every_city(monkeypatch):
    import app  # noqa: F401 - pages register with the app
    from pages import newcomers as page

    asked = []
    monkeypatch.setattr(page.tiers, "rows_for_grid", lambda chosen, sort: asked.append((chosen, sort)) or
                        pl.DataFrame(schema={"name": pl.Utf8}))
    for request in ({"startRow": "x", "endRow": None, "sortModel": "bad", "filterModel": ["?country=IT"]},
                    {"startRow": True, "sortModel": [{"colId": "nope"}, 3], "filterModel": {"filters": 5}}):
        assert page.grid_rows(request) == {"rowData": [], "rowCount": 0}
    assert asked == [(tiers.Filters(), []), (tiers.Filters(), [])]
