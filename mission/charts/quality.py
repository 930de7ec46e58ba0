"""Charts of data quality: differences between sources, and cities per grade."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

import vocab
from i18n import gettext as _
from i18n import number, percent
from mission import overview, quality
from mission.charts import ChartExport, chart
from mission.charts.theme import (
    ELSEWHERE_COLOUR,
    fill,
    layout,
    plain,
)
from mission.words import count
from vocab import OKABE_ITO


def differences(frame: pl.DataFrame, threshold: float, clip: float = 100.0) -> go.Figure:
    """Each compared total as a dot at its relative difference from the mission data, the band of agreement
    shaded; differences beyond `clip` are drawn at the edge and labelled with their value."""
    compared = frame.filter(pl.col("difference_pct").is_not_null()).sort("difference_pct")
    labels = [f"{plain(c)} {y}" for c, y in zip(compared["city"], compared["year"], strict=True)]
    values = compared["difference_pct"].to_list()
    shown = [max(-clip, min(clip, v)) for v in values]
    customdata = [[r["elsewhere_tco2e"], r["mission_tco2e"], r["mission_year"], vocab.KIND.label(r["mission_kind"], ""),
                   plain(r["boundary"] or _("not stated")), plain(r["note"]), v]
                  for r, v in zip(compared.iter_rows(named=True), values, strict=True)]
    colours = [ELSEWHERE_COLOUR if abs(v) > threshold else OKABE_ITO["blue"] for v in values]
    traces = [go.Scatter(
        x=shown, y=labels, mode="markers+text", name=_("difference"),
        text=[("+" if v >= 0 else "") + percent(v) if abs(v) > clip else "" for v in values],
        textposition="middle left",
        marker={"size": 11, "color": colours, "symbol": [
            "triangle-right" if v > clip else "triangle-left" if v < -clip else "circle" for v in values]},
        customdata=customdata, showlegend=False,
        hovertemplate=_("%{y}: %{customdata[6]:+.0f}%<br>CDP-ICLEI: %{customdata[0]:,.0f} t CO2e<br>mission data "
                        "%{customdata[2]}: %{customdata[1]:,.0f} t CO2e (%{customdata[3]})<br>CDP boundary: "
                        "%{customdata[4]}<br>%{customdata[5]}<extra></extra>"))]
    band = {"type": "rect", "xref": "x", "yref": "paper", "x0": -threshold, "x1": threshold, "y0": 0, "y1": 1,
            "fillcolor": "#E5F2EC", "line": {"width": 0}, "layer": "below"}
    return go.Figure(traces, layout(max(260, 60 + 22 * len(labels)), shapes=[band],
                                     xaxis={"title": {"text": _("CDP-ICLEI total against the mission data (%)")},
                                            "range": [-clip - 15, clip + 15], "zeroline": True},
                                     yaxis={"automargin": True}))


def grade_bars(counts: pl.DataFrame) -> go.Figure:
    """Cities per data quality grade (columns grade, cohort, cities), one bar per cohort in the cohorts' colours."""
    traces = []
    for cohort, name, colour in (("mission", _("Mission Cities"), vocab.COHORT.term("mission").colour),
                                 ("newcomer", _("newcomer cities"), vocab.COHORT.term("newcomer").colour)):
        part = counts.filter(pl.col("cohort") == cohort)
        if part.height:
            traces.append(go.Bar(
                x=[g if g != "none" else _("no figure") for g in part["grade"]], y=part["cities"].to_list(),
                name=name, marker_color=colour, text=[number(n) for n in part["cities"]], textposition="outside",
                hovertemplate=fill(_("grade %{x}: %{y} {cohort}<extra></extra>"), cohort=name)))
    return go.Figure(traces, layout(300, barmode="group", yaxis={"title": {"text": _("cities")}},
                                     xaxis={"title": {"text": _("data quality grade")}}))


@chart("mission-sources")
def mission_sources(_params: None) -> ChartExport:
    """Every compared total: the CDP-ICLEI figure against the mission data, in % (mission-wide)."""
    compared = quality.comparisons()
    # The chart draws the difference (computed); both totals it is computed from keep their kinds (the CDP total
    # is reported; mission_kind says what the mission data's is).
    data = compared.rename({"elsewhere_source": "source_id", "mission_source": "mission_source_id"}).with_columns(
        pl.lit(_("t CO2e a year; %")).alias("unit"), pl.lit("computed").alias("kind"),
        pl.lit("reported").alias("elsewhere_kind"))
    return ChartExport("sources_compared", "mission", _("Totals reported to CDP-ICLEI against the mission data"),
                       # The % sign is kept out of the message: Babel would read "% d" as a Python placeholder.
                       _("{unit} difference").format(unit="%"),
                       differences(compared, quality.DIFFERENCE_THRESHOLD_PCT), data,
                       quality.summary(compared), notes=(_(quality.CAVEAT), quality.threshold_words()))


@chart("grades")
def grade_counts(_params: None) -> ChartExport:
    """Cities per data quality grade and cohort, with every city's grade and the rule that gave it as data."""
    cities = overview.all_city_metrics().with_columns(pl.col("grade").fill_null("none"))
    counts = (cities.group_by("grade", "cohort").agg(pl.len().cast(pl.Int32).alias("cities"))
              .sort("cohort", "grade"))
    data = cities.select(pl.col("name").alias("city"), "country_iso2", "cohort", "grade", "grade_reason",
                         "baseline_year", pl.col("baseline_kind").fill_null("none").alias("kind"),
                         pl.col("baseline_source").alias("source_id"), pl.lit(_("grade")).alias("unit"))
    mission = counts.filter(pl.col("cohort") == "mission")
    parts = ", ".join(_("{cities} grade {grade}").format(cities=number(n), grade=g) if g != "none"
                      else _("{cities} without a figure").format(cities=number(n))
                      for g, n in mission.select("grade", "cities").iter_rows())
    summary = _("Of the {cities}: {grades}.").format(
        cities=count(mission["cities"].sum(), "{n} Mission City", "{n} Mission Cities"), grades=parts)
    return ChartExport("grades", "mission", _("Data quality grades of the cities' emissions figures"), _("cities"),
                       grade_bars(counts), data, summary,
                       notes=tuple(f"{g}: {w}" for g, w in quality.grade_words().items()))
