"""Cities are placed offline: contract population first, then the override table, then the gazetteer."""

import polars as pl

from etl.names import fold
from etl.places import gazetteer, place_cities

CITY_COLUMNS = {"city": pl.Utf8, "country_iso2": pl.Utf8, "aliases": pl.List(pl.Utf8)}
OVERRIDE_COLUMNS = {
    "city": pl.Utf8, "country_iso2": pl.Utf8, "gazetteer_names": pl.List(pl.Utf8), "lat": pl.Float64,
    "lon": pl.Float64, "coord_source_id": pl.Utf8, "population": pl.Int64, "population_year": pl.Int64,
    "population_source_id": pl.Utf8, "ref": pl.Utf8,
}
POPULATION_COLUMNS = {
    "city": pl.Utf8, "country_iso2": pl.Utf8, "population": pl.Int64, "year": pl.Int64, "territory": pl.Utf8,
    "source_id": pl.Utf8, "ref": pl.Utf8,
}


def _frame(rows, schema):
    return pl.DataFrame(rows, schema=schema, orient="row")


def test_fold_removes_accents_and_case():
    assert fold("Malmö") == "malmo"
    assert fold(" Gävle ") == "gavle"


def test_gazetteer_finds_a_city_by_an_alias_in_its_country():
    place = gazetteer().first(["Dijon Métropole", "Dijon"], "FR")
    assert place is not None and place.name == "Dijon"


def test_gazetteer_does_not_match_across_countries():
    assert gazetteer().find("Dijon", "DE") is None


def test_joint_entry_takes_the_first_point_and_sums_populations():
    cities = _frame([("Eindhoven & Helmond", "NL", [])], CITY_COLUMNS)
    overrides = _frame([("Eindhoven & Helmond", "NL", ["Eindhoven", "Helmond"], None, None, "geo", None, None,
                         None, None)], OVERRIDE_COLUMNS)
    placed = place_cities(cities, overrides, _frame([], POPULATION_COLUMNS)).to_dicts()[0]
    eindhoven, helmond = gazetteer().find("Eindhoven", "NL"), gazetteer().find("Helmond", "NL")
    assert (placed["lat"], placed["lon"]) == (eindhoven.lat, eindhoven.lon)
    assert placed["population"] == eindhoven.population + helmond.population
    assert placed["population_method"] == "gazetteer"
    assert placed["coord_method"] == "override"


def test_contract_population_wins_over_the_gazetteer():
    cities = _frame([("Antwerp", "BE", [])], CITY_COLUMNS)
    population = _frame([("Antwerp", "BE", 17000, None, "district", "ccc-antwerp", "line 45")], POPULATION_COLUMNS)
    placed = place_cities(cities, _frame([], OVERRIDE_COLUMNS), population).to_dicts()[0]
    assert placed["population"] == 17000
    assert placed["population_kind"] == "reported"
    assert placed["population_territory"] == "district"
    assert placed["coord_method"] == "gazetteer"


def test_unknown_city_stays_unplaced():
    cities = _frame([("Atlantis", "GR", [])], CITY_COLUMNS)
    placed = place_cities(cities, _frame([], OVERRIDE_COLUMNS), _frame([], POPULATION_COLUMNS)).to_dicts()[0]
    assert placed["lat"] is None and placed["population"] is None
