"""The overview and city profile read the right figures from a warehouse built from the tiny fixtures."""

from __future__ import annotations

import pytest

import vocab
from mission import db as mission_db
from mission import overview, queries
from mission.city import pathway
from mission.overview import Filters


def test_metrics_per_city_are_computed_from_baseline_population_and_target(tiny):
    frame = overview.all_city_metrics().sort("city_id")
    rows = {r["city_id"]: r for r in frame.iter_rows(named=True)}
    klagenfurt = rows["klagenfurt"]
    assert vocab.STAGE.label(klagenfurt["stage"]) == "Mission Label" and klagenfurt["data_kind"] == "reported"
    # Residual 200 t in 2030 from the 2019 total of 1,000 t (2022 covers fewer sectors: partial, not a start):
    # 1 - 0.2 ** (1/11) = 13.612 %.
    assert klagenfurt["latest_year"] == 2019
    assert klagenfurt["required_rate_pct"] == pytest.approx(13.612, abs=0.001)
    assert klagenfurt["per_capita_t"] == pytest.approx(1000 / klagenfurt["population"])
    assert vocab.STAGE.label(rows["tartu"]["stage"]) == "Contract in preparation or review"
    assert rows["tartu"]["data_kind"] == "modelled_estimate"
    assert rows["tartu"]["target_origin"] == "mission_default"
    assert vocab.STAGE.label(rows["oulu"]["stage"]) == "Newcomer (no contract)"


def test_filters_change_the_counts(tiny):
    frame = overview.all_city_metrics()
    everything = overview.kpis(frame)
    assert (everything.mission_cities, everything.labelled, everything.in_review, everything.newcomers) == (2, 1, 1, 1)
    austria = overview.kpis(overview.apply_filters(frame, Filters(countries=("AT",))))
    assert (austria.mission_cities, austria.countries, austria.baseline_tco2e) == (1, 1, 1000.0)
    assert austria.share("reported") == 1.0
    unlabelled = overview.apply_filters(frame, Filters(cohort="mission", label_status="not_labelled"))
    assert unlabelled["city_id"].to_list() == ["tartu"]


def test_label_pipeline_counts_labels_per_wave_cumulatively(tiny):
    pipeline = overview.label_pipeline(overview.all_city_metrics())
    assert pipeline.select("wave", "labels", "cumulative").rows() == [(1, 1, 1)]
    assert pipeline["cities"].to_list() == ["Klagenfurt"]


def test_pathway_of_a_city_names_target_rate_and_partial_inventory(tiny):
    city = queries.city("klagenfurt")
    facts = pathway(city, queries.city_totals())
    assert facts.target.tco2e == 200.0 and facts.target.own
    assert [(p.year, p.kind, p.partial) for p in facts.points] == [
        (2019, "reported", False), (2022, "reported", True), (2030, "projected_bau", False)]
    assert "Klagenfurt must cut about 13.6% a year from its 2019 inventory of 1,000 t CO2e" in facts.sentence


def test_unknown_city_is_none_and_sources_cover_every_figure(tiny):
    assert queries.city("atlantis") is None
    used = dict(queries.city_sources("klagenfurt").select("source_id", "used_for").iter_rows())
    assert "emissions" in used["ccc-klagenfurt"] and "2030 target" in used["ccc-klagenfurt"]
    assert used["nzc-list"].count("Mission") >= 1


def test_answers_follow_a_warehouse_rebuilt_in_place(tiny_dir, tmp_path, monkeypatch):
    from etl.load import build

    db = tmp_path / "mission.duckdb"
    build(tiny_dir, db)
    monkeypatch.setenv("MISSION_DB", str(db))
    mission_db.close_all()
    assert queries.city("klagenfurt").baseline.tco2e == 1000.0
    emissions = tiny_dir / "emissions.csv"
    emissions.write_text(emissions.read_text().replace("2019,total,all,1000.0", "2019,total,all,1500.0"))
    build(tiny_dir, db)
    assert queries.city("klagenfurt").baseline.tco2e == 1500.0
    assert overview.all_city_metrics().filter(overview.pl.col("city_id") == "klagenfurt")["baseline_tco2e"][0] == 1500
    mission_db.close_all()


def test_map_draws_one_point_per_city_carrying_its_id_for_the_click(tiny):
    from mission.charts.overview import city_map

    frame = overview.all_city_metrics()
    by_stage = city_map(frame, "stage")
    ids = sorted(i for trace in by_stage.data for i in trace.customdata)
    assert ids == sorted(frame["city_id"].to_list())
    assert {t.name for t in by_stage.data} == {"Mission Label", "Contract in preparation or review",
                                                "Newcomer (no contract)"}
    by_rate = city_map(frame, "rate")
    assert by_rate.data[0].marker.showscale and by_rate.layout.geo.scope == "europe"


def test_pathway_chart_sets_partial_inventories_apart(tiny):
    from mission.charts.city import pathway_chart

    facts = pathway(queries.city("klagenfurt"), queries.city_totals())
    fig = pathway_chart(facts.points, facts.baseline, facts.target, facts.line)
    names = [t.name for t in fig.data]
    assert "reported by the city (partial: not all sectors)" in names
    partial = next(t for t in fig.data if t.name.endswith("(partial: not all sectors)"))
    assert list(partial.x) == [2022]
    assert "2030 target (city's own target)" in names


def test_a_scenario_monetises_the_delivered_reduction_with_the_fields_sector_value(tiny):
    from mission import portfolio, scenarios

    actions = portfolio.all_actions(10, True).filter(overview.pl.col("city_id") == "klagenfurt")
    plans = scenarios.plan(actions)
    values = queries.cobenefit_values()
    planned = scenarios.result(scenarios.Scenario(), plans, 1000.0, 200.0, 10, values)
    # District cooling: 50 t a year (energy systems -> energy supply: EUR 10 | 20 | 40 per t), EUR 1,000,000.
    assert (planned.reduction_tco2e, planned.emissions_2030, planned.gap_tco2e) == (50.0, 950.0, 750.0)
    assert (planned.cobenefits.low, planned.cobenefits.central, planned.cobenefits.high) == (500.0, 1000.0, 2000.0)
    assert planned.cost_per_t == 2000.0 and not planned.climate_damage_included
    high = scenarios.result(scenarios.Scenario({"energy_systems": 150}), plans, 1000.0, 200.0, 10, values)
    assert (high.reduction_tco2e, high.cost_eur, high.cobenefits.central) == (75.0, 1_500_000.0, 1500.0)


def test_a_chart_exports_the_data_behind_it_with_metadata_and_escaped_cells(tiny):
    import csv
    import datetime as dt
    import io

    from mission import charts, exports

    chart = charts.build("city-pathway", {"city_id": "klagenfurt"})
    text = exports.csv_bytes(chart, dt.date(2026, 11, 24)).decode("utf-8")
    meta = [line for line in text.splitlines() if line.startswith("# ")]
    assert meta[0] == "# title: Klagenfurt: 2030 pathway" and "# exported: 2026-11-24" in meta
    assert any(line.startswith("# source ccc-klagenfurt: Klagenfurt CCC; licence: public document") for line in meta)
    table = list(csv.DictReader(io.StringIO("\n".join(x for x in text.splitlines() if not x.startswith("#")))))
    assert set(table[0]) >= {"year", "tco2e", "unit", "kind", "source_id"}
    assert [(r["series"], r["year"], r["kind"]) for r in table if r["series"] != "required straight line"] == [
        ("inventory", "2019", "reported"), ("inventory (partial)", "2022", "reported"),
        ("inventory", "2030", "projected_bau"), ("2030 target", "2030", "computed")]
    assert len(table) == 4 + len(range(2019, 2031))


def test_unknown_charts_and_cities_are_refused_not_guessed(tiny):
    from mission import charts

    for name, params in (("nope", {}), ("city-pathway", {"city_id": "atlantis"}), ("country-strip", {"iso2": "AT"}),
                         ("city-pathway", ["not", "a", "dict"])):
        with pytest.raises(charts.UnknownChart):
            charts.build(name, params)


def test_every_registered_chart_exports_unit_kind_and_source_columns(tiny_cdp):
    from mission import charts

    params = {"city-inventory": {"city_id": "klagenfurt"}, "city-pathway": {"city_id": "klagenfurt"},
              "country-pipeline": {"iso2": "AT"}, "country-national": {"iso2": "AT"},
              "country-strip": {"iso2": "AT", "measure": "per_capita_t"}, "portfolio-gap": {"city": "klagenfurt"},
              "scenarios": {"city": "klagenfurt"}, "city-sources": {"city_id": "klagenfurt"},
              "country-tiers": {"iso2": "AT"}}
    for name in charts.BUILDERS:
        chart = charts.build(name, params.get(name, {}))
        assert {"unit", "kind", "source_id"} <= set(chart.data.columns), name
        assert set(chart.data["kind"].drop_nulls()) <= set(charts.EXPORT_KINDS) | {"none"}, name
        assert chart.summary and chart.title, name


def test_the_printed_figure_carries_title_unit_summary_source_and_date(tiny):
    import datetime as dt

    import plotly.graph_objects as go

    from mission.exports import print_figure
    from tests.unit.test_exports import chart

    fig = print_figure(chart(data=chart().data.with_columns(source_id=overview.pl.lit("ccc-klagenfurt"))),
                       dt.date(2026, 11, 24))
    assert isinstance(fig, go.Figure)
    assert "<b>T</b>" in fig.layout.title.text and "t CO2e" in fig.layout.title.text
    note = fig.layout.annotations[-1].text
    assert "One sentence." in note and "Source: City of Klagenfurt" in note and "24 November 2026" in note
    assert fig.layout.height == 300 + 100 + 40 + 18 * 2


def test_the_printed_note_sits_below_the_axis_title_and_data_text_is_printed_as_written(tiny):
    import datetime as dt

    import plotly.graph_objects as go

    from mission.exports import print_figure
    from tests.unit.test_exports import chart

    titled = go.Figure(go.Bar(x=["a"], y=[1]), layout={"height": 300, "xaxis": {"title": {"text": "t CO2e"}}})
    plain, with_title = (print_figure(chart(figure=f), dt.date(2026, 11, 24))
                         for f in (chart().figure, titled))
    assert with_title.layout.annotations[-1].yshift < plain.layout.annotations[-1].yshift - 20
    hostile = print_figure(chart(title="<b>x</b>", summary="<img src=x onerror=alert(1)>"), dt.date(2026, 11, 24))
    assert "&lt;b&gt;x&lt;/b&gt;" in hostile.layout.title.text
    assert "<img" not in hostile.layout.annotations[-1].text


def test_a_newcomers_pathway_draws_the_missions_default_only_as_a_comparison_as_its_badge_says(tiny):
    from mission import charts

    chart = charts.build("city-pathway", {"city_id": "oulu"})
    names = [t.name for t in chart.figure.data]
    assert "2030: Mission default, for comparison only (no target)" in names
    assert not [n for n in names if "target (" in n]
    assert "the Mission's default (for comparison only)" in chart.summary
    assert "2030: Mission default (for comparison only)" in chart.data["series"].to_list()
    assert queries.city("oulu").target_badge() == "target: none (Mission default shown for comparison)"


def test_the_city_metrics_frame_has_the_declared_columns(tiny):
    frame = overview.all_city_metrics()
    added = [c for c in frame.columns if c not in queries.cities().columns]
    assert added == [*overview.CITY_METRICS_COLUMNS, "grade", "grade_reason"]
    assert all(frame.schema[c] == t for c, t in overview.CITY_METRICS_COLUMNS.items())
