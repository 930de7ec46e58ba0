"""Readiness tiers: step by step, unknown answers stop the count and are said plainly."""

from __future__ import annotations

from mission.newcomers import TIERS, next_step, readiness, summary_text, warehouse_answers


def test_each_step_taken_raises_the_tier_and_the_first_missing_one_stops_it():
    assert readiness({"monitors": False, "target_2050": True, "ambition_2030": True}).tier == TIERS[0]
    assert readiness({"monitors": True, "target_2050": False, "ambition_2030": True}).tier == TIERS[1]
    assert readiness({"monitors": True, "target_2050": True, "ambition_2030": False}).tier == TIERS[2]
    assert readiness({"monitors": True, "target_2050": True, "ambition_2030": True}).tier == TIERS[3]


def test_twinning_and_study_visits_open_with_the_signed_2050_target():
    assert "Twinning" not in TIERS[1].opens and "Peer discussion groups" in TIERS[1].opens
    assert {"Study visits", "Twinning"} <= set(TIERS[2].opens)


def test_unknown_answers_give_an_unknown_or_an_at_least_tier():
    unknown = readiness({"monitors": None})
    assert unknown.tier is None and unknown.label == "unknown"
    assert next_step(unknown).startswith("Answer whether the city monitors")
    partial = readiness({"monitors": True, "target_2050": None})
    assert partial.tier == TIERS[1] and partial.unknown_after == "target_2050"
    assert "(at least" in partial.label
    assert next_step(partial) == "Find out: Has the mayor signed a target of climate neutrality by 2050?"


def test_the_warehouse_never_guesses_a_signed_2050_target_or_monitoring_from_an_estimate():
    assert warehouse_answers(has_2030_target=False, reported_years=0) == {
        "monitors": None, "target_2050": None, "ambition_2030": None}
    assert warehouse_answers(has_2030_target=True, reported_years=2) == {
        "monitors": True, "target_2050": None, "ambition_2030": True}


def test_the_summary_repeats_the_answers_the_tier_and_the_next_step():
    answers = {"monitors": True, "target_2050": False, "ambition_2030": None}
    text = summary_text("Testville", "AT", 50_000, answers, readiness(answers), [])
    assert "Population: 50,000" in text
    assert "Has the mayor signed a target of climate neutrality by 2050? no" in text
    assert "Tier: Has an emission inventory" in text and "Next step: Have the mayor sign" in text
