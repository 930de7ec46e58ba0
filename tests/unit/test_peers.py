"""The peer similarity against hand-computed distances, and its reasons in words."""

from __future__ import annotations

import polars as pl
import pytest

from mission.peers import Profile, components, distance, find, reasons, sector_mix

ME = Profile("Me", "AT", 100_000, 5.0, {"buildings": 0.5, "transport": 0.5})


def test_each_component_is_hand_checkable():
    other = Profile("Other", "DE", 1_000_000, 7.5, {"buildings": 0.25, "transport": 0.75})
    # size: log10(10) = 1; place: AT and DE are both Western Europe (M49) = 0.5; per capita: 2.5 / 5 = 0.5;
    # mix: (0.25 + 0.25) / 2 = 0.25.
    assert components(ME, other) == pytest.approx({"size": 1.0, "place": 0.5, "per_capita": 0.5, "mix": 0.25})
    assert distance(ME, other) == pytest.approx(0.5625)


def test_unknown_figures_drop_out_of_the_mean_instead_of_counting_as_zero():
    bare = Profile("Bare", "AT")
    assert components(ME, bare) == {"place": 0.0}
    assert distance(ME, bare) == 0.0
    far = Profile("Far", "PT", 100_000, 55.0)
    assert components(ME, far)["per_capita"] == 1.0 and components(ME, far)["place"] == 1.0


def test_the_closest_five_come_first_without_the_city_itself():
    me = Profile("Me", "AT", 100_000, 5.0, city_id="me")
    candidates = [me, *(Profile(f"C{i}", "AT", 100_000 * (i + 1), 5.0, city_id=f"c{i}") for i in range(7))]
    assert [m.profile.name for m in find(me, candidates)] == ["C0", "C1", "C2", "C3", "C4"]


def test_reasons_say_why_in_words():
    other = Profile("Other", "SI", 120_000, 6.0, {"transport": 0.6, "buildings": 0.4}, per_capita_kind="reported")
    words = reasons(Profile("Me", "IT", 100_000, 5.0, {"buildings": 0.7, "transport": 0.3}), other)
    assert words == ["population 120,000 (yours 100,000)", "same region (Southern Europe)",
                     "6.0 t CO2e per person (yours 5.0)", "largest sector transport, 60% (yours: buildings, 70%)"]


def test_sector_mix_groups_sectors_and_leaves_sinks_out():
    rows = pl.DataFrame({"sector": ["industry", "ippu", "transport", "afolu"], "tco2e": [30.0, 20.0, 50.0, -10.0]})
    assert sector_mix(rows) == {"industry": 0.5, "transport": 0.5}
