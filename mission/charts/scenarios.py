"""The scenario chart: 2030 emissions under up to three scenarios, of a city or of some Mission Cities summed."""

from __future__ import annotations

import plotly.graph_objects as go

from i18n import N_
from i18n import gettext as _
from mission import progress, scenarios
from mission.charts import ChartExport, UnknownChart, chart, grade_note
from mission.charts.theme import (
    COLOURWAY,
    layout,
)
from mission.words import count, tonnes
from vocab import GREY, OKABE_ITO


def scenario_bars(comparison: scenarios.Comparison) -> go.Figure:
    """2030 emissions of each scenario against the baseline and the target."""
    results, target = comparison.results, comparison.target
    keys = list(results)
    fig = go.Figure(go.Bar(
        x=[_("Scenario {key}").format(key=k.upper()) for k in keys], y=[results[k].emissions_2030 for k in keys],
        marker_color=[COLOURWAY[i % len(COLOURWAY)] for i in range(len(keys))],
        text=[tonnes(results[k].emissions_2030) for k in keys], textposition="outside",
        hovertemplate=_("%{x}: %{y:,.0f} t CO2e a year in 2030<extra></extra>")),
        layout(380, showlegend=False, yaxis={"title": {"text": _("t CO2e a year")}, "rangemode": "tozero"}))
    fig.add_hline(y=comparison.baseline.tco2e, line_dash="dot", line_color=GREY,
                  annotation_text=comparison.baseline_label, annotation_position="top left")
    if target.tco2e is not None:
        fig.add_hline(y=target.tco2e, line_dash="dash", line_color=OKABE_ITO["black"],
                      annotation_text=scenarios.target_line_label(comparison), annotation_position="bottom left")
    return fig


# The filters naming whose scenarios they are (scenarios.Comparison.key: the city's id or the countries' codes, as
# in the page's address), in words.
KEY_WORDS = {"city": N_("city"), "country": N_("country")}


def compared(params: dict) -> scenarios.Comparison:
    """The scenarios an export link names (`{"city": ..., "a": ..., "b": ..., "c": ...}`, each as
    scenarios.Scenario.parse reads it; without a city, `{"country": "FR"}` or nothing: some countries' Mission
    Cities or the whole Mission, summed); UnknownChart where there is no baseline and portfolio to run them on."""
    chosen = {k: scenarios.Scenario.parse(params.get(k)) for k in scenarios.SCENARIO_KEYS}
    if "city" in params:
        city_id = params.get("city") if isinstance(params.get("city"), str) else ""
        comparison = scenarios.compare(city_id, chosen)
        if comparison is None:
            raise UnknownChart(f"no baseline and portfolio for {city_id!r}")
        return comparison
    scope = progress.Scope.from_query(params)
    comparison = scenarios.compare_group(scope, chosen)
    if comparison is None:
        raise UnknownChart(f"no Mission City with a baseline and a target in tonnes in {scope.countries!r}")
    return comparison


@chart("scenarios", compared)
def scenario_chart(comparison: scenarios.Comparison) -> ChartExport:
    """Three scenarios: 2030 emissions against baseline and target, with every result as data."""
    name = comparison.subject
    notes = grade_note(comparison.city.city_id) if comparison.city else (count(
        len(comparison.cities),
        "Summed over {n} Mission City with a baseline and a 2030 target in tonnes (those of the Mission progress "
        "page's sums); a city without a portfolio delivers nothing in any scenario.",
        "Summed over {n} Mission Cities with a baseline and a 2030 target in tonnes (those of the Mission progress "
        "page's sums); a city without a portfolio delivers nothing in any scenario."),)
    return ChartExport("scenarios", name, _("{subject}: 2030 emissions by scenario").format(subject=name),
                       _("t CO2e a year"), scenario_bars(comparison), scenarios.table(comparison),
                       scenarios.summary(name, comparison.results, comparison.grouped),
                       {k.upper(): v for k, v in comparison.query().items() if k in scenarios.SCENARIO_KEYS}
                       | {_(KEY_WORDS.get(k, k)): v for k, v in comparison.key.items()}, notes=notes)
