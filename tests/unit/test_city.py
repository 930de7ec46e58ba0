"""A city as one typed record: read once from its warehouse row, with its stage and whose target it uses."""

from __future__ import annotations

import datetime as dt

import pytest

import vocab
from mission.city import City, Label
from mission.pathways import TARGET_WORDS, Point

ROW = {
    "city_id": "x", "name": "X", "country_iso2": "AT", "country": "Austria", "cohort": "mission",
    "confidence": "confirmed", "lat": 46.6, "lon": 14.3, "population": 100_000, "population_year": 2020,
    "population_kind": "reported", "population_method": "contract", "population_territory": "city",
    "population_source": "ccc-x", "population_ref": "x.md line 3", "label_date": dt.date(2024, 5, 1), "wave": 2,
    "date_precision": "month", "label_source": "ec-labels", "baseline_year": 2019, "baseline_tco2e": 1000.0,
    "baseline_kind": "reported", "baseline_method": "grand_total", "baseline_source": "ccc-x", "target_year": 2030,
    "reduction_pct": None, "target_type": "climate_neutrality", "reference_year": None, "reference_kind": None,
    "residual_tco2e": 200.0, "residual_pct": None, "target_source": "ccc-x", "target_ref": "x.md line 9",
    "target_note": "net zero with 20% residual",
}


def test_a_city_is_read_from_its_warehouse_row_in_one_place():
    city = City.from_row(ROW)
    assert city.baseline == Point(2019, 1000.0, "reported", "ccc-x")
    assert city.population.value == 100_000 and city.population.source_id == "ccc-x"
    assert city.label == Label(date=dt.date(2024, 5, 1), precision="month", wave=2, source_id="ec-labels")
    assert city.contract_target.residual_tco2e == 200.0 and city.contract_target.note == "net zero with 20% residual"
    assert city.stage == "labelled" and vocab.STAGE.label(city.stage) == "Mission Label"
    assert city.target_origin == "own"
    assert city.target({}).tco2e == 200.0


def test_missing_facts_are_none_never_a_row_of_nulls():
    city = City.from_row(ROW | {"population": None, "label_date": None, "baseline_tco2e": None,
                                "target_year": None})
    assert (city.population, city.label, city.baseline, city.contract_target) == (None, None, None, None)
    assert not city.has_baseline and vocab.STAGE.label(city.stage) == "Contract in preparation or review"
    with pytest.raises(ValueError, match="no baseline"):
        city.target({})


def test_a_label_date_reads_as_precisely_as_its_source_gives_it():
    assert Label(date=dt.date(2024, 5, 1), precision="month", wave=2, source_id=None).when() == "May 2024"
    assert Label(date=dt.date(2024, 5, 7), precision="day", wave=2, source_id=None).when() == "07 May 2024"


@pytest.mark.parametrize(("cohort", "target_year", "origin", "badge"), [
    ("mission", 2030, "own", "target: the city's own"),
    ("mission", None, "mission_default", "target: Mission default"),
    ("newcomer", None, "comparison", "target: none (Mission default shown for comparison)"),
])
def test_whose_target_a_city_uses_is_one_rule_with_one_set_of_words(cohort, target_year, origin, badge):
    city = City.from_row(ROW | {"cohort": cohort, "target_year": target_year})
    target = city.target({})
    assert city.target_origin == target.origin == origin
    assert city.target_badge() == badge == TARGET_WORDS[origin].badge


def test_a_newcomer_without_a_baseline_has_no_target_at_all():
    city = City.from_row(ROW | {"cohort": "newcomer", "target_year": None, "baseline_tco2e": None})
    assert city.target_badge() == "target: none"


def test_the_missions_default_drawn_for_a_newcomer_is_never_called_its_target():
    target = City.from_row(ROW | {"cohort": "newcomer", "target_year": None}).target({})
    for words in (target.legend, target.label, target.series, target.words.aim, target.words.brief):
        assert "comparison only" in words
        assert "target (" not in words and "default target" not in words
