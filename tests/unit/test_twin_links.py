"""Twinning partners written as text become links between cities only where they name exactly one city."""

from __future__ import annotations

import polars as pl

from etl.problems import Problems
from etl.sources.tabular import ROW
from etl.transform import twin_links

CITIES = pl.DataFrame({"city": ["Vitoria-Gasteiz", "Klagenfurt", "Gozo", "Valencia", "Valencia"],
                       "city_id": ["vitoria-gasteiz", "klagenfurt", "gozo", "valencia-es", "valencia-ve"],
                       "aliases": [["Gasteiz"], None, None, None, None]})


def programmes(*partners: str) -> pl.DataFrame:
    return pl.DataFrame({ROW: list(range(2, 2 + len(partners))), "city": ["X"] * len(partners),
                         "city_id": ["x"] * len(partners), "programme": ["twinning"] * len(partners),
                         "programme_cohort": ["2024"] * len(partners), "partner": list(partners),
                         "source_id": ["s"] * len(partners)})


def test_partners_match_by_name_or_alias_and_keep_inferred_pairs_marked():
    problems = Problems()
    links = twin_links(programmes("Klagenfurt; GOZO (CF4Cities)", "Gasteiz (inferred: a visit; not stated)"),
                       CITIES, problems)
    assert links.select("partner_city_id", "inferred").rows() == [
        ("klagenfurt", False), ("gozo", False), ("vitoria-gasteiz", True)]
    assert links["partner_text"][2] == "Gasteiz (inferred: a visit; not stated)"
    assert problems.finish() == []


def test_partners_naming_no_city_or_several_are_warnings_not_links():
    problems = Problems()
    links = twin_links(programmes("Hungary's MODENT (cities not named)", "Valencia (Spain or Venezuela?)"),
                       CITIES, problems)
    assert links.height == 0
    messages = [p.message for p in problems.finish()]
    assert "names no city of cities.csv" in messages[0] and "names several cities" in messages[1]
    assert all(p.severity == "warning" for p in problems.finish())


def test_a_partner_named_by_two_cities_is_linked_to_both():
    problems = Problems()
    links = twin_links(programmes("Klagenfurt", "Klagenfurt (CF4Cities)"), CITIES, problems)
    assert links["partner_city_id"].to_list() == ["klagenfurt", "klagenfurt"]
    assert problems.finish() == []
