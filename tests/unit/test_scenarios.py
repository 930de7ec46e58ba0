"""Scenario maths against hand-computed examples: ambition per field, cost scaling, gap, monetised co-benefits."""

from __future__ import annotations

import polars as pl
import pytest

from mission.scenarios import Plan, Scenario, plan, result, unit_values
from tests.unit.test_portfolio import TEN_YEARS, action, frame

PLANS = [Plan("mobility", 100.0, 50_000.0, 3, 2, both_cost_eur=40_000.0, both_tco2e=50.0),
         Plan("energy_systems", 200.0, 0.0, 2, 0)]
VALUES = pl.DataFrame({
    "sector": ["transport", "transport", "all"], "cobenefit": ["air_quality", "noise", "air_quality"],
    "low_eur_per_tco2e": [10.0, None, 1.0], "central_eur_per_tco2e": [20.0, 5.0, 2.0],
    "high_eur_per_tco2e": [40.0, None, 3.0], "includes_climate_damage": [False, False, True],
    "source_id": ["s", "s", "t"], "ref": ["r", "r", "r"]})


def test_the_planned_scenario_delivers_the_plan():
    r = result(Scenario(), PLANS, baseline=1_000.0, target=200.0, years_of_effect=10)
    assert (r.reduction_tco2e, r.emissions_2030, r.gap_tco2e, r.cost_eur) == (300.0, 700.0, 500.0, 50_000.0)
    # Over the actions stating both: EUR 40,000 / (50 t a year x 10 years) = EUR 80 per tonne.
    assert r.cost_per_t == pytest.approx(80.0)


def test_ambition_scales_each_fields_reduction_and_cost():
    scenario = Scenario({"mobility": 150, "energy_systems": 0})
    r = result(scenario, PLANS, baseline=1_000.0, target=200.0, years_of_effect=10)
    assert (r.reduction_tco2e, r.emissions_2030, r.cost_eur) == (150.0, 850.0, 75_000.0)
    assert result(Scenario({"mobility": 0, "energy_systems": 0}), PLANS, 1_000.0, None, 10).cost_per_t is None
    assert result(Scenario(), PLANS, 1_000.0, None, 10).gap_tco2e is None


def test_cobenefits_use_the_fields_sector_or_the_values_for_all_sectors():
    r = result(Scenario(), PLANS, 1_000.0, 200.0, 10, VALUES)
    # mobility -> transport: 100 t x (10 | 20 + 5 | 40);
    # energy systems -> no energy_supply row -> "all": 200 t x (1 | 2 | 3).
    assert (r.cobenefits.low, r.cobenefits.central, r.cobenefits.high) == (1_200.0, 2_900.0, 4_600.0)
    assert r.valued_tco2e == 300.0
    assert r.climate_damage_included
    assert result(Scenario(), PLANS, 1_000.0, 200.0, 10, None).cobenefits.central is None
    assert unit_values(VALUES, "governance")["sector"].to_list() == ["all"]


def test_scenarios_read_from_the_url_ignore_junk():
    assert Scenario.parse("mobility:120,energy_systems:80,bogus:5,waste_circular:x") == Scenario(
        {"mobility": 120, "energy_systems": 80})
    assert Scenario.parse("mobility:900").pct("mobility") == 150
    assert Scenario.parse("low").pct("industry") == 50
    assert Scenario.parse(["mobility:5"]) is None and Scenario.parse("") is None
    assert Scenario({"mobility": 80}).text(["mobility", "waste_circular"]) == "mobility:80,waste_circular:100"


def test_a_citys_plan_adds_only_what_the_gap_view_adds_and_sums_every_cost():
    actions = frame(
        action("a", ghg_reduction_tco2e=100.0, cost_eur=1_000.0),
        action("b", ghg_reduction_tco2e=50.0, note="not additive with a", cost_eur=500.0),
        action("c", field_of_action="energy_systems", cost_eur=2_000.0),
    )
    from mission.portfolio import with_costs

    plans = plan(with_costs(actions, TEN_YEARS, {"x": 1_000.0}))
    assert plans == [Plan("energy_systems", 0.0, 2_000.0, 1, 1, cities=0),
                     Plan("mobility", 100.0, 1_500.0, 2, 2, both_cost_eur=1_000.0, both_tco2e=100.0)]


def test_a_groups_gap_sums_the_shortfalls_of_the_cities_above_their_targets():
    from mission import progress
    from mission.scenarios import Group, shortfall
    from tests.unit.test_progress import ACTIONS, CITIES

    rows = progress.gap(progress.city_gaps(CITIES, ACTIONS)).in_sums
    fields = pl.DataFrame({"city_id": ["alpha", "gamma"], "field_of_action": ["mobility", "energy_systems"],
                           "annual_tco2e": [300.0, 350.0]})
    group = Group(progress.Scope(), "the Mission", rows, fields, [], None, None, "")
    # Planned: Alpha 1,000 - 300 - 200 = 500, Beta 500 - 0 - 100 = 400, Gamma 400 - 350 - 100 < 0: 0.
    assert shortfall(Scenario(), group) == 900.0
    # Nothing delivered: 800 + 400 + 300.
    assert shortfall(Scenario({"mobility": 0, "energy_systems": 0}), group) == 1_500.0
    # Gamma's surplus at 150% does not close Alpha's gap.
    assert shortfall(Scenario({"energy_systems": 150}), group) == 900.0


def test_a_cost_whose_note_calls_a_figure_implausible_is_not_summed_into_a_plan():
    from mission.portfolio import with_costs

    actions = frame(action("a", ghg_reduction_tco2e=100.0, cost_eur=1_000.0),
                    action("b", cost_eur=1e11, note="cost looks implausibly large; verify"))
    (mobility,) = plan(with_costs(actions, TEN_YEARS, {"x": 1_000.0}))
    assert (mobility.cost_eur, mobility.costed_actions, mobility.actions) == (1_000.0, 1, 2)
