"""The scenario chart: a city's 2030 emissions under up to three scenarios."""

from __future__ import annotations

import plotly.graph_objects as go

from mission import scenarios
from mission.charts import ChartExport, UnknownChart, chart, grade_note
from mission.charts.theme import (
    COLOURWAY,
    layout,
)
from mission.pathways import Point, Target
from mission.words import tonnes
from vocab import GREY, OKABE_ITO


def scenario_bars(results: dict, baseline: Point, target: Target) -> go.Figure:
    """2030 emissions of each scenario against the baseline and the target."""
    keys = list(results)
    fig = go.Figure(go.Bar(
        x=[f"Scenario {k.upper()}" for k in keys], y=[results[k].emissions_2030 for k in keys],
        marker_color=[COLOURWAY[i % len(COLOURWAY)] for i in range(len(keys))],
        text=[tonnes(results[k].emissions_2030) for k in keys], textposition="outside",
        hovertemplate="%{x}: %{y:,.0f} t CO2e a year in 2030<extra></extra>"),
        layout(380, showlegend=False, yaxis={"title": {"text": "t CO2e a year"}, "rangemode": "tozero"}))
    fig.add_hline(y=baseline.tco2e, line_dash="dot", line_color=GREY,
                  annotation_text=f"baseline {baseline.year}", annotation_position="top left")
    if target.tco2e is not None:
        fig.add_hline(y=target.tco2e, line_dash="dash", line_color=OKABE_ITO["black"],
                      annotation_text=target.label,
                      annotation_position="bottom left")
    return fig


def compared(params: dict) -> scenarios.Comparison:
    """The scenarios an export link names (`{"city": ..., "a": ..., "b": ..., "c": ...}`, each as
    scenarios.Scenario.parse reads it), run for the city; UnknownChart if it has no baseline and portfolio."""
    city_id = params.get("city") if isinstance(params.get("city"), str) else ""
    comparison = scenarios.compare(city_id, {k: scenarios.Scenario.parse(params.get(k))
                                             for k in scenarios.SCENARIO_KEYS})
    if comparison is None:
        raise UnknownChart(f"no baseline and portfolio for {city_id!r}")
    return comparison


@chart("scenarios", compared)
def scenario_chart(comparison: scenarios.Comparison) -> ChartExport:
    """Three scenarios of a city: 2030 emissions against baseline and target, with every result as data."""
    name = comparison.city.name
    return ChartExport("scenarios", name, f"{name}: 2030 emissions by scenario", "t CO2e a year",
                       scenario_bars(comparison.results, comparison.baseline, comparison.target),
                       scenarios.table(comparison),
                       scenarios.summary(name, comparison.results, comparison.target),
                       {k.upper(): v for k, v in comparison.query().items() if k != "city"},
                       notes=grade_note(comparison.city.city_id))
