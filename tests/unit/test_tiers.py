"""The tier rule: what the Mission Platform opens to a city, from citable facts only, with the reason and source."""

from __future__ import annotations

import polars as pl

from mission import tiers
from mission.tiers import classify, tier_of

COVENANT = "jrc-gcom-mycovenant-5th-release-january-2024-df1"


def test_a_mission_city_is_a_mission_city_whatever_else_is_known():
    t = tier_of(cohort="mission", covenant_signatory=False, city_source="nzc-list", labelled=True)
    assert (t.code, t.reason, t.source_id) == ("mission_city", "one of the 112 Mission Cities", "nzc-list")
    assert "The Mission's own support" in " ".join(t.opens)
    assert t.next_step.startswith("Carry out the Climate City Contract")
    assert tier_of(cohort="mission").next_step.startswith("Complete the Climate City Contract")


def test_the_covenants_2050_initiative_opens_study_visits_and_twinning_with_its_source():
    t = tier_of(cohort="signatory", covenant_signatory=True, com_2050=True, status="published",
                covenant_source=COVENANT)
    assert t.code == "committed_2050" and t.source_id == COVENANT
    assert {"Study visits to Mission Cities", "The Twinning Learning Programme"} <= set(t.opens)
    assert t.reason.startswith("a signatory of the Covenant of Mayors' 2050 initiative")


def test_a_twinning_cohort_whose_call_required_a_2050_commitment_counts_and_cites_the_call():
    t = tier_of(cohort="newcomer", covenant_signatory=False, twinning_cohorts=["2025"])
    assert (t.code, t.source_id) == ("committed_2050", "nzc-twin-cities-call-2025")
    assert "2025 cohort, whose call required a climate-neutrality commitment by 2050" in t.reason
    earlier = tier_of(cohort="newcomer", covenant_signatory=False, twinning_cohorts=["2023", "unknown"])
    assert earlier.code == "open" and earlier.source_id is None


def test_not_a_signatory_of_the_2050_initiative_is_said_as_such_never_as_no_2050_target():
    t = tier_of(cohort="signatory", covenant_signatory=True, com_2050=False, com_2030=True, status="published",
                covenant_source=COVENANT)
    assert t.code == "open"
    assert t.reason == ("a Covenant of Mayors signatory, not of its 2050 initiative (a 2050 target of its own, if "
                        "any, is not known here)")
    assert "no 2050 target" not in t.reason
    assert t.next_step.startswith("Step up to the Covenant of Mayors' 2050 initiative")
    assert "Study visits to Mission Cities" not in t.opens and "Online peer discussion groups" in t.opens


def test_a_suspended_signatory_keeps_its_tier_and_is_told_to_report_again():
    t = tier_of(cohort="signatory", covenant_signatory=True, com_2050=True, status="on_hold",
                covenant_source=COVENANT)
    assert t.code == "committed_2050" and "suspended it (on hold)" in t.reason
    assert t.next_step.startswith("Report to the Covenant of Mayors again")


def test_what_is_not_known_is_said():
    assert tier_of(cohort="newcomer", covenant_signatory=None).reason.endswith(
        "(the Covenant of Mayors file is not loaded)")
    assert tier_of(cohort="newcomer", covenant_signatory=False).reason.startswith(
        "no climate-neutrality commitment is known: not a Covenant of Mayors signatory")


def test_counts_keep_active_and_suspended_apart_in_tier_order():
    facts = pl.DataFrame([
        {"cohort": "signatory", "covenant_signatory": True, "com_2050": True, "status": "published"},
        {"cohort": "signatory", "covenant_signatory": True, "com_2050": False, "status": "on_hold"},
        {"cohort": "mission", "covenant_signatory": False},
        {"cohort": "signatory", "covenant_signatory": True, "com_2050": False, "status": "published"},
    ], schema=tiers.FACTS)
    got = tiers.counts(classify(facts))
    assert got.rows() == [("mission_city", "none", 1), ("committed_2050", "active", 1),
                          ("open", "active", 1), ("open", "suspended", 1)]


def test_filters_read_from_a_link_keep_only_what_means_something_and_round_trip():
    chosen = tiers.Filters.from_query({"country": "it,FR,xx1", "tier": "committed_2050", "standing": "bogus",
                                       "pop_min": "10000", "pop_max": "-5", "horizon": "associated"})
    assert chosen == tiers.Filters(("FR", "IT"), "committed_2050", None, 10_000, None, "associated")
    assert tiers.Filters.from_query(chosen.to_query()) == chosen
    assert tiers.Filters.from_query({}).to_query() == {}


def test_filters_apply_to_the_tier_table():
    facts = pl.DataFrame([
        {"city_id": "a", "country_iso2": "IT", "population": 5_000, "horizon_relation": "eu_member",
         "cohort": "signatory", "covenant_signatory": True, "com_2050": True, "status": "published"},
        {"city_id": "b", "country_iso2": "IT", "population": None, "horizon_relation": "eu_member",
         "cohort": "signatory", "covenant_signatory": True, "com_2050": False, "status": "on_hold"},
        {"city_id": "c", "country_iso2": "UA", "population": 90_000, "horizon_relation": "associated",
         "cohort": "signatory", "covenant_signatory": True, "com_2050": False, "status": "published"},
        {"city_id": "d", "country_iso2": "MA", "population": 50_000, "horizon_relation": None,
         "cohort": "signatory", "covenant_signatory": True, "com_2050": False, "status": "published"},
    ])
    table = classify(facts)

    def ids(**query) -> list[str]:
        return tiers.Filters.from_query(query).apply(table)["city_id"].to_list()

    assert ids(country="IT") == ["a", "b"]
    assert ids(tier="committed_2050") == ["a"]
    assert ids(standing="suspended") == ["b"]
    assert ids(pop_min=10_000) == ["c", "d"]  # an unknown population is left out of a population filter
    assert ids(horizon="associated") == ["c"] and ids(horizon="none") == ["d"]
    assert tiers.sorted_rows(table.with_columns(name=pl.col("city_id")), [("population", True)])["city_id"] \
        .to_list() == ["c", "d", "a", "b"]

