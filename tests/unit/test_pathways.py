"""The 2030 target in tonnes, the straight line and the required annual rate, against hand-computed values."""

from __future__ import annotations

import pytest

from mission.pathways import (
    ContractTarget,
    Point,
    Target,
    gap_to_line,
    rate_sentence,
    required_rate,
    resolve_target,
    straight_line,
)

BASE = Point(2019, 1_000_000.0, "reported")


def target_row(**fields) -> ContractTarget:
    row = {"year": 2030, "reduction_pct": None, "target_type": "reduction_pct", "reference_year": None,
           "reference_kind": "unknown", "residual_tco2e": None, "residual_pct": None, "source_id": "ccc-x",
           "ref": "x.md line 1"}
    return ContractTarget(**(row | fields))


def test_city_without_target_gets_the_missions_80_percent_cut_labelled_as_default():
    target = resolve_target(BASE, None)
    assert target.tco2e == pytest.approx(200_000)
    assert not target.own
    assert "Mission's 80%" in target.basis


def test_residual_emissions_stated_by_the_contract_are_the_target():
    target = resolve_target(BASE, target_row(reduction_pct=80.0, residual_tco2e=130_000.0))
    assert target.tco2e == 130_000
    assert target.own and target.source_id == "ccc-x"


def test_reduction_against_the_baseline_year():
    row = target_row(reduction_pct=80.0, reference_year=2019, reference_kind="inventory_year")
    assert resolve_target(BASE, row).tco2e == pytest.approx(200_000)


def test_reduction_against_another_inventory_year_uses_that_years_total():
    row = target_row(reduction_pct=55.0, reference_year=1990, reference_kind="inventory_year")
    target = resolve_target(BASE, row, {(1990, "reported"): 2_000_000.0})
    assert target.tco2e == pytest.approx(900_000)
    assert "1990 inventory" in target.basis


def test_reduction_against_a_year_the_warehouse_lacks_has_no_tonnes_and_says_why():
    row = target_row(reduction_pct=55.0, reference_year=1990, reference_kind="inventory_year")
    target = resolve_target(BASE, row, {})
    assert target.tco2e is None
    assert "not in the warehouse" in target.basis
    assert "cannot be expressed in tonnes" in rate_sentence("X", None, target)


def test_reduction_against_business_as_usual_uses_the_projection():
    row = target_row(reduction_pct=80.0, reference_kind="bau_2030")
    assert resolve_target(BASE, row, {(2030, "projected_bau"): 1_500_000.0}).tco2e == pytest.approx(300_000)


def test_unknown_reference_is_assumed_to_be_the_baseline_and_says_so():
    target = resolve_target(BASE, target_row(reduction_pct=80.0))
    assert target.tco2e == pytest.approx(200_000)
    assert "assumed" in target.basis


def test_residual_share_applies_to_the_reference_and_impossible_shares_are_ignored():
    assert resolve_target(BASE, target_row(residual_pct=20.0)).tco2e == pytest.approx(200_000)
    assert resolve_target(BASE, target_row(residual_pct=607.0)).tco2e is None


def test_climate_neutrality_without_figures_is_net_zero():
    target = resolve_target(BASE, target_row(target_type="climate_neutrality"))
    assert target.tco2e == 0.0


def test_required_rate_is_the_constant_yearly_cut_to_the_target():
    # 1,000,000 t in 2020 to 200,000 t in 2030: 1 - 0.2 ** (1/10) = 14.866 %; straight line 80,000 t a year.
    rate = required_rate(Point(2020, 1_000_000.0, "reported"), Target(2030, 200_000.0, origin="own", basis="b"))
    assert rate.compound_pct == pytest.approx(14.866, abs=0.001)
    assert rate.tonnes_per_year == pytest.approx(80_000)
    assert rate.years == 10


def test_required_rate_to_net_zero_has_no_percentage_only_tonnes():
    rate = required_rate(Point(2020, 1_000_000.0, "reported"), Target(2030, 0.0, origin="own", basis="b"))
    assert rate.compound_pct is None
    assert rate.tonnes_per_year == pytest.approx(100_000)
    assert "100,000 t CO2e a year" in rate_sentence("X", rate, rate.target)


def test_required_rate_needs_a_start_before_the_target_year():
    assert required_rate(Point(2030, 5.0, "reported"), Target(2030, 1.0, origin="own", basis="b")) is None


def test_a_city_already_below_its_target_is_told_so():
    target = Target(2030, 200.0, origin="own", basis="b")
    rate = required_rate(Point(2020, 100.0, "reported"), target)
    assert rate.tonnes_per_year < 0
    assert "already at or below" in rate_sentence("X", rate, target)


def test_sentence_names_city_rate_start_and_basis():
    target = resolve_target(BASE, None)
    sentence = rate_sentence("Klagenfurt", required_rate(Point(2020, 1_000_000.0, "reported"), target), target)
    assert sentence.startswith("To reach the Mission's default target of 200,000 t CO2e in 2030, Klagenfurt must cut "
                               "about 14.9% a year")
    assert "from its 2020 inventory of 1,000,000 t CO2e" in sentence
    assert "Mission's 80%" in sentence


def test_straight_line_runs_from_baseline_to_target_one_point_a_year():
    line = straight_line(Point(2010, 1000.0, "reported"), Target(2030, 0.0, origin="own", basis="b"))
    assert len(line) == 21
    assert line[0] == (2010, 1000.0) and line[-1] == (2030, 0.0)
    assert dict(line)[2020] == pytest.approx(500.0)


def test_gap_to_line_is_the_share_above_the_line():
    line = [(2010, 1000.0), (2020, 500.0), (2030, 0.0)]
    assert gap_to_line(Point(2020, 600.0, "reported"), line) == pytest.approx(0.2)
    assert gap_to_line(Point(2030, 1.0, "reported"), line) is None
