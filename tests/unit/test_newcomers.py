"""The self-check of a city the warehouse does not know: its tier by the one rule, its next steps, its summary."""

from __future__ import annotations

from mission.newcomers import self_check, summary_text


def test_a_signed_2050_commitment_opens_study_visits_and_twinning_on_the_citys_word():
    check = self_check({"target_2050": True, "monitors": True, "ambition_2030": True})
    assert check.tier.code == "committed_2050" and check.tier.source_id is None
    assert check.tier.reason.endswith("(not checked against a source)")
    assert {"Study visits to Mission Cities", "The Twinning Learning Programme"} <= set(check.tier.opens)
    assert check.steps == [check.tier.next_step]


def test_without_one_the_city_is_open_and_its_steps_come_in_order():
    check = self_check({"target_2050": False, "monitors": False, "ambition_2030": None})
    assert check.tier.code == "open" and "Study visits to Mission Cities" not in check.tier.opens
    assert check.steps[0].startswith("Have the mayor sign a commitment to climate neutrality by 2050")
    assert check.steps[1].startswith("Set up an emission inventory") and check.steps[2].startswith("Set a 2030")


def test_not_sure_is_said_as_a_step_to_find_out():
    check = self_check({"target_2050": None, "monitors": True, "ambition_2030": True})
    assert check.tier.code == "open"
    assert check.steps == ["Find out whether the mayor has signed a commitment to climate neutrality by 2050: it "
                           "would open study visits and twinning"]


def test_the_summary_repeats_the_answers_the_tier_and_the_next_steps():
    check = self_check({"target_2050": False, "monitors": True, "ambition_2030": None})
    text = summary_text("Testville", "AT", 50_000, check, [])
    assert "Population: 50,000" in text
    assert "Has the mayor signed a commitment to climate neutrality by 2050 or earlier" in text and "? no" in text
    assert "Tier: Any city (no 2050 commitment known)" in text
    assert "- Have the mayor sign a commitment" in text and "- Set a 2030 ambition" in text
