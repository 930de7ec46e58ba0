"""Portfolio maths against hand-computed examples: cost per tonne by basis, flags, the MACC, the gap waterfall."""

from __future__ import annotations

import polars as pl
import pytest

from mission.portfolio import (
    CostMethod,
    PortfolioFilters,
    annual_reduction,
    cobenefit_matrix,
    cost_fence,
    cost_per_tonne,
    lever_coverage,
    lifetime_reduction,
    macc,
    waterfall,
    with_costs,
)

TEN_YEARS = CostMethod(years_of_effect=10, unknown_as_per_year=True)
STRICT = CostMethod(years_of_effect=10, unknown_as_per_year=False)


def test_a_per_year_reduction_lasts_the_years_of_effect():
    # EUR 1,000,000 for 500 t a year over 10 years: 1,000,000 / 5,000 = EUR 200 per tonne.
    assert lifetime_reduction(500.0, "per_year", TEN_YEARS) == 5_000
    assert cost_per_tonne(1_000_000.0, 500.0, "per_year", TEN_YEARS) == pytest.approx(200.0)
    assert cost_per_tonne(1_000_000.0, 500.0, "per_year", CostMethod(years_of_effect=20)) == pytest.approx(100.0)


def test_a_total_to_2030_is_used_as_it_is_and_is_not_an_annual_figure():
    assert lifetime_reduction(4_000.0, "total_to_2030", TEN_YEARS) == 4_000
    assert annual_reduction(4_000.0, "total_to_2030", TEN_YEARS) is None
    assert cost_per_tonne(1_000_000.0, 4_000.0, "total_to_2030", TEN_YEARS) == pytest.approx(250.0)


def test_an_unstated_basis_is_read_as_per_year_only_when_asked():
    assert annual_reduction(500.0, "unknown", TEN_YEARS) == 500
    assert annual_reduction(500.0, "unknown", STRICT) is None
    assert cost_per_tonne(1_000_000.0, 500.0, "unknown", STRICT) is None
    assert "left out" in STRICT.describe() and "10 years of effect" in STRICT.describe()


def test_missing_or_non_positive_figures_give_no_cost_per_tonne():
    assert cost_per_tonne(None, 500.0, "per_year", TEN_YEARS) is None
    assert cost_per_tonne(1_000.0, None, "per_year", TEN_YEARS) is None
    assert cost_per_tonne(1_000.0, 0.0, "per_year", TEN_YEARS) is None
    assert cost_per_tonne(1_000.0, -5.0, "per_year", TEN_YEARS) is None


def test_the_cost_fence_is_tukeys_on_a_log_scale():
    # log10 = 1, 2, 3, 4: Q1 = 1, Q3 = 3 (nearest rank), fence = 10 ** (3 + 1.5 x 2) = 1,000,000.
    assert cost_fence([10.0, 100.0, 1_000.0, 10_000.0, None]) == pytest.approx(1e6)
    assert cost_fence([10.0, 100.0]) is None


def action(action_id: str, **fields) -> dict:
    row = {"action_id": action_id, "city_id": "x", "city": "X", "country_iso2": "AT", "action_name": action_id,
           "field_of_action": "mobility", "levers": ["governance_policy"], "cobenefits": ["health"],
           "action_type": None, "ghg_reduction_tco2e": None, "ghg_basis": "per_year", "cost_eur": None,
           "start_year": None, "end_year": None, "responsible": None, "source_id": "ccc-x", "ref": "x.md line 1",
           "confidence": "high", "note": None}
    return row | fields


def frame(*rows) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema_overrides={"levers": pl.List(pl.String), "cobenefits": pl.List(pl.String),
                                                      "start_year": pl.Int32, "end_year": pl.Int32})


def test_flags_name_overlaps_removals_oversized_reductions_and_cost_outliers():
    cheap = [action(f"c{i}", ghg_reduction_tco2e=100.0, cost_eur=1_000.0 * (i + 1)) for i in range(8)]
    actions = frame(
        *cheap,
        action("overlap", ghg_reduction_tco2e=50.0, note="effects overlap, not additive"),
        action("removal", ghg_reduction_tco2e=30.0, note="BECCS removals (negative emissions)"),
        action("huge", ghg_reduction_tco2e=5_000.0),
        action("dear", ghg_reduction_tco2e=1.0, cost_eur=1e9),
        action("odd", note="cost looks implausibly large; verify"),
    )
    flags = dict(with_costs(actions, TEN_YEARS, {"x": 1_000.0}).select("action_id", "flags").iter_rows())
    assert flags["overlap"] == ["overlap"]
    assert flags["removal"] == ["removal"]
    assert flags["huge"] == ["exceeds_baseline"]
    assert flags["dear"] == ["cost_outlier"]
    assert flags["odd"] == ["implausible"]
    assert all(flags[f"c{i}"] == [] for i in range(8))


def test_the_macc_runs_cheapest_first_and_lists_every_action_it_leaves_out():
    actions = with_costs(frame(
        action("b", ghg_reduction_tco2e=200.0, cost_eur=400_000.0),   # EUR 200 per t
        action("a", ghg_reduction_tco2e=100.0, cost_eur=50_000.0),    # EUR 50 per t
        action("no-cost", ghg_reduction_tco2e=10.0),
        action("no-cut", cost_eur=5.0),
        action("total", ghg_reduction_tco2e=10.0, ghg_basis="total_to_2030", cost_eur=1.0),
        action("free", ghg_reduction_tco2e=10.0, cost_eur=0.0),
    ), TEN_YEARS, {})
    curve, off = macc(actions)
    assert curve.select("action_id", "x0", "x1").rows() == [("a", 0.0, 100.0), ("b", 100.0, 300.0)]
    assert dict(off.select("action_id", "reason").iter_rows()) == {
        "no-cost": "no cost stated", "no-cut": "no reduction stated",
        "total": "reduction stated as a total to 2030, not a year", "free": "cost stated as zero"}


def test_the_waterfall_adds_only_what_can_be_added_and_states_the_gap():
    actions = with_costs(frame(
        action("m", ghg_reduction_tco2e=100.0),
        action("e", field_of_action="energy_systems", ghg_reduction_tco2e=200.0),
        action("o", ghg_reduction_tco2e=50.0, note="overlaps with other measures"),
        action("r", field_of_action="nature_based", ghg_reduction_tco2e=30.0, note="carbon sinks of the forest"),
        action("t", ghg_reduction_tco2e=999.0, ghg_basis="total_to_2030"),
    ), TEN_YEARS, {"x": 1_000.0})
    view = waterfall("X", 1_000.0, 2019, 200.0, actions)
    assert [(s.label, s.tco2e) for s in view.steps] == [
        ("Baseline 2019", 1_000.0), ("Energy systems", -200.0), ("Mobility", -100.0),
        ("Carbon removal (stated)", -30.0), ("Left after the portfolio", 670.0)]
    assert view.gap == pytest.approx(470.0)
    assert sorted(view.left_out["action_id"]) == ["o", "t"]
    assert "a gap of 470 t a year (47% of the baseline) remains" in view.sentence
    assert "2 actions are not added" in view.sentence
    assert "below the 2030 target" in waterfall("X", 1_000.0, 2019, 800.0, actions).sentence
    assert "gap is unknown" in waterfall("X", 1_000.0, 2019, None, actions).sentence


def test_portfolio_filters_live_in_the_url_and_select_by_lever():
    chosen = PortfolioFilters.from_query({"city": "oslo,klagenfurt", "lever": "finance_funding,bogus",
                                          "years": "25", "unknown": "exclude"})
    assert chosen == PortfolioFilters(("klagenfurt", "oslo"), (), (), ("finance_funding",), 25, False)
    assert PortfolioFilters.from_query(chosen.to_query()) == chosen
    assert PortfolioFilters.from_query({"years": "ten"}).years == 10
    assert PortfolioFilters.from_query({"years": 500}).years == 40
    actions = frame(action("a", levers=["finance_funding"]), action("b", levers=["governance_policy"]))
    assert PortfolioFilters(levers=("finance_funding",)).apply(actions)["action_id"].to_list() == ["a"]


def test_lever_coverage_shows_unused_levers_in_the_fields_a_portfolio_acts_in():
    actions = frame(action("a", levers=["finance_funding", "governance_policy"]), action("b", levers=[]))
    coverage = lever_coverage(actions)
    cells = {r["lever"]: r["actions"] for r in coverage.iter_rows(named=True)}
    assert cells["finance_funding"] == 1 and cells["governance_policy"] == 1 and cells["data_digital"] == 0
    assert set(coverage["field_of_action"]) == {"mobility"}


def test_cobenefit_matrix_counts_an_action_once_per_cobenefit():
    actions = with_costs(frame(action("a", cobenefits=["health", "noise"], ghg_reduction_tco2e=10.0),
                               action("b", cobenefits=["health"], ghg_reduction_tco2e=5.0)), TEN_YEARS, {})
    cells = {(r["cobenefit"], r["field_of_action"]): (r["actions"], r["annual_tco2e"])
             for r in cobenefit_matrix(actions).iter_rows(named=True)}
    assert cells == {("health", "mobility"): (2, 15.0), ("noise", "mobility"): (1, 10.0)}
