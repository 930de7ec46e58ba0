"""Which signatory is which city (the Covenant names policy), their city ids, and how far their points can be
trusted (etl/geo.py, on the bundled 1:50m outlines)."""

from __future__ import annotations

import polars as pl
import pytest

from etl import geo
from etl.covenant import match, signatory_ids
from etl.names import contains_words


def cities(*rows: tuple[str, str, str, list[str] | None]) -> pl.DataFrame:
    return pl.DataFrame([{"city_id": c, "name": n, "country_iso2": k, "aliases": a} for c, n, k, a in rows],
                        schema={"city_id": pl.Utf8, "name": pl.Utf8, "country_iso2": pl.Utf8,
                                "aliases": pl.List(pl.Utf8)})


def signatories(*rows: tuple[str, str, str] | tuple[str, str, str, bool]) -> pl.DataFrame:
    return pl.DataFrame([{"organisation_id": r[0], "organisation_name": r[1], "country_code": r[2],
                          "group_profile": r[3] if len(r) > 3 else False, "row": i + 2} for i, r in enumerate(rows)])


def links(m) -> dict[str, tuple[str, str]]:
    return dict(m.links)


def test_rules_are_tried_in_order_and_the_first_that_finds_one_wins():
    m = match(cities(("milano", "Milan", "IT", ["Milano"]), ("klagenfurt", "Klagenfurt", "AT", None),
                     ("tartu", "Tartu", "EE", None), ("lyon", "Lyon", "FR", None)),
              signatories(("1", "Comune di Milano", "IT"), ("2", "Klagenfurt am Wörthersee", "AT"),
                          ("3", "Tartu", "EE"), ("4", "Tartu vald", "EE"), ("5", "Lyon", "FR")))
    assert links(m) == {"1": ("milano", "name without 'municipality of'"), "2": ("klagenfurt", "contained name"),
                        "3": ("tartu", "exact name"), "5": ("lyon", "exact name")}
    assert m.ambiguous == [] and m.unmatched == []


def test_an_alias_finds_the_signatory():
    m = match(cities(("cologne", "Cologne", "DE", ["Köln"])), signatories(("1", "Köln", "DE")))
    assert links(m) == {"1": ("cologne", "alias")}


def test_several_at_one_rule_are_listed_and_nothing_is_linked():
    m = match(cities(("cork", "Cork", "IE", None)),
              signatories(("1", "Cork County", "IE"), ("2", "Cork City Council", "IE")))
    assert links(m) == {}
    assert m.ambiguous == ["Cork (IE): 2 signatories by name without 'municipality of': Cork County (row 2), "
                           "Cork City Council (row 3)"]


def test_a_signatory_found_by_two_cities_is_linked_to_neither():
    m = match(cities(("a", "Sankt Anna", "AT", None), ("b", "Anna", "AT", ["Sankt Anna"])),
              signatories(("1", "Sankt Anna", "AT")))
    assert links(m) == {}
    assert m.ambiguous == ["Sankt Anna (row 2) is found by Anna (AT) and by Sankt Anna (AT)"]


def test_only_whole_words_of_the_same_country_and_never_a_group():
    m = match(cities(("lund", "Lund", "SE", None), ("paris", "Paris", "FR", None), ("gent", "Gent", "BE", None)),
              signatories(("1", "Lunden", "SE"), ("2", "Paris", "BE"), ("3", "Gent en omgeving", "BE", True)))
    assert links(m) == {}
    assert m.unmatched == ["Gent (BE)", "Lund (SE)", "Paris (FR)"]


def test_contains_words():
    assert contains_words("klagenfurt-am-worthersee", "klagenfurt")
    assert not contains_words("lunden", "lund")
    assert not contains_words("anything", "")


def test_signatory_ids_carry_the_country_and_the_organisation_only_on_a_clash():
    frame = pl.DataFrame({"organisation_id": ["1", "2", "3", "4"],
                          "organisation_name": ["Essen", "Bergen", "Bergen", "Villach"],
                          "country_code": ["DE", "NL", "NL", "AT"]})
    assert signatory_ids(frame, taken={"villach-at"}).to_list() == ["essen-de", "bergen-nl-2", "bergen-nl-3",
                                                                    "villach-at-4"]


def placed(*points: tuple[str, float | None, float | None]) -> list[str]:
    frame = pl.DataFrame([{"country_iso2": c, "lat": la, "lon": lo} for c, la, lo in points],
                         schema={"country_iso2": pl.Utf8, "lat": pl.Float64, "lon": pl.Float64})
    got = geo.placement(frame)
    return [k + (f": {n}" if n else "") for k, n in zip(got["placement"], got["placement_note"], strict=True)]


def test_a_point_in_its_country_is_exact_and_one_in_another_country_is_not():
    paris, brescia_swapped, in_spain = ("FR", 48.857, 2.352), ("IT", 10.219287, 45.539723), ("FR", 40.42, -3.70)
    got = placed(paris, brescia_swapped, in_spain)
    assert got[0] == "exact"
    assert got[1].startswith("outside: ") and got[1].endswith("(latitude and longitude look swapped)")
    assert got[2].startswith("outside: ") and "km outside France, in Spain" in got[2]


@pytest.mark.parametrize("point", [("IT", 40.5507, 14.2426), ("PT", 38.7223, -9.1393), ("BE", 50.6476, 3.9377)],
                         ids=["Capri, an island the outlines leave out", "Lisbon, on the coast",
                              "Silly, 6 km from the border in the outlines"])
def test_islands_coasts_and_border_towns_are_not_moved_by_coarse_outlines(point):
    assert placed(point) == ["exact"]


def test_whole_degrees_placeholders_and_missing_points_are_said():
    got = placed(("IT", 45.0, 9.0), *[("IT", 42.6384261, 12.674297)] * 3, ("IT", None, None), ("XK", 42.66, 21.17))
    assert got[0] == "approximate: given to whole degrees"
    assert got[1] == "approximate: the same point as 2 other signatories (a placeholder)"
    assert got[4] == "missing: no point in the source: not on the map"
    assert got[5] == "exact: not checked: no outline of Kosovo"


def test_distances_are_in_km_in_the_metric_projection():
    lisbon = pl.DataFrame({"lat": [38.7223], "lon": [-9.1393]})
    torres_vedras = pl.DataFrame({"lat": [39.0911], "lon": [-9.2586]})
    (km,), = geo.distances_km(lisbon, torres_vedras)
    assert km == pytest.approx(42.5, abs=0.5)  # ../shared/NOTES-stack.md: 42.55 km in EPSG:3035


def test_the_nearest_leave_the_city_itself_out_and_rank_by_distance():
    targets = pl.DataFrame({"city_id": ["lisbon", "porto", "madrid"], "lat": [38.7223, 41.1579, 40.4168],
                            "lon": [-9.1393, -8.6291, -3.7038]})
    cities_ = pl.DataFrame({"city_id": ["lisbon", "torres-vedras"], "lat": [38.7223, 39.0911],
                            "lon": [-9.1393, -9.2586]})
    got = geo.nearest(cities_, targets, k=3)
    assert got.filter(pl.col("city_id") == "lisbon")["target_id"].to_list() == ["porto", "madrid"]
    assert got.filter(pl.col("city_id") == "torres-vedras")["target_id"].to_list() == ["lisbon", "porto", "madrid"]
    assert got.filter(pl.col("city_id") == "torres-vedras")["rank"].to_list() == [1, 2, 3]
