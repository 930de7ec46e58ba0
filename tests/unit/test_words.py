"""How numbers are said: tonnages and amounts scaled to a unit people read."""

from __future__ import annotations

from mission.words import euros, plural, tonnes


def test_tonnages_are_said_in_t_kt_or_mt():
    assert [tonnes(v) for v in (1_234_567, 45_600, 850, -2e6, None, float("nan"))] == [
        "1.23 Mt", "45.6 kt", "850 t", "-2.00 Mt", "n/a", "n/a"]


def test_amounts_are_said_in_euros_millions_or_billions():
    assert [euros(v) for v in (159_226_819_368, 12_345_678, 850, None)] == [
        "EUR 159.23 bn", "EUR 12.35 m", "EUR 850", "n/a"]


def test_counts_take_the_plural_they_need():
    assert (plural(1, "city", "cities"), plural(2, "city", "cities"), plural(0, "action")) == (
        "1 city", "2 cities", "0 actions")
