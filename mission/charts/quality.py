"""Charts of data quality: differences between sources, and cities per grade."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

import vocab
from mission import overview, quality
from mission.charts import ChartExport, chart
from mission.charts.theme import (
    ELSEWHERE_COLOUR,
    layout,
    plain,
)
from vocab import OKABE_ITO


def differences(frame: pl.DataFrame, threshold: float, clip: float = 100.0) -> go.Figure:
    """Each compared total as a dot at its relative difference from the mission data, the band of agreement
    shaded; differences beyond `clip` are drawn at the edge and labelled with their value."""
    compared = frame.filter(pl.col("difference_pct").is_not_null()).sort("difference_pct")
    labels = [f"{plain(c)} {y}" for c, y in zip(compared["city"], compared["year"], strict=True)]
    values = compared["difference_pct"].to_list()
    shown = [max(-clip, min(clip, v)) for v in values]
    customdata = [[r["elsewhere_tco2e"], r["mission_tco2e"], r["mission_year"], vocab.KIND.label(r["mission_kind"], ""),
                   plain(r["boundary"] or "not stated"), plain(r["note"]), v]
                  for r, v in zip(compared.iter_rows(named=True), values, strict=True)]
    colours = [ELSEWHERE_COLOUR if abs(v) > threshold else OKABE_ITO["blue"] for v in values]
    traces = [go.Scatter(
        x=shown, y=labels, mode="markers+text", name="difference",
        text=[f"{v:+.0f}%" if abs(v) > clip else "" for v in values], textposition="middle left",
        marker={"size": 11, "color": colours, "symbol": [
            "triangle-right" if v > clip else "triangle-left" if v < -clip else "circle" for v in values]},
        customdata=customdata, showlegend=False,
        hovertemplate="%{y}: %{customdata[6]:+.0f}%<br>CDP-ICLEI: %{customdata[0]:,.0f} t CO2e<br>mission data "
                      "%{customdata[2]}: %{customdata[1]:,.0f} t CO2e (%{customdata[3]})<br>CDP boundary: "
                      "%{customdata[4]}<br>%{customdata[5]}<extra></extra>")]
    band = {"type": "rect", "xref": "x", "yref": "paper", "x0": -threshold, "x1": threshold, "y0": 0, "y1": 1,
            "fillcolor": "#E5F2EC", "line": {"width": 0}, "layer": "below"}
    return go.Figure(traces, layout(max(260, 60 + 22 * len(labels)), shapes=[band],
                                     xaxis={"title": {"text": "CDP-ICLEI total against the mission data (%)"},
                                            "range": [-clip - 15, clip + 15], "zeroline": True},
                                     yaxis={"automargin": True}))


def grade_bars(counts: pl.DataFrame) -> go.Figure:
    """Cities per data quality grade (columns grade, cohort, cities), one bar per cohort in the cohorts' colours."""
    traces = []
    for cohort, name, colour in (("mission", "Mission Cities", vocab.COHORT.term("mission").colour),
                                 ("newcomer", "newcomer cities", vocab.COHORT.term("newcomer").colour)):
        part = counts.filter(pl.col("cohort") == cohort)
        if part.height:
            traces.append(go.Bar(
                x=[g if g != "none" else "no figure" for g in part["grade"]], y=part["cities"].to_list(), name=name,
                marker_color=colour, text=part["cities"].to_list(), textposition="outside",
                hovertemplate="grade %{x}: %{y} " + name + "<extra></extra>"))
    return go.Figure(traces, layout(300, barmode="group", yaxis={"title": {"text": "cities"}},
                                     xaxis={"title": {"text": "data quality grade"}}))


@chart("mission-sources")
def mission_sources(_: None) -> ChartExport:
    """Every compared total: the CDP-ICLEI figure against the mission data, in % (mission-wide)."""
    compared = quality.comparisons()
    # The chart draws the difference (computed); both totals it is computed from keep their kinds (the CDP total
    # is reported; mission_kind says what the mission data's is).
    data = compared.rename({"elsewhere_source": "source_id", "mission_source": "mission_source_id"}).with_columns(
        pl.lit("t CO2e a year; %").alias("unit"), pl.lit("computed").alias("kind"),
        pl.lit("reported").alias("elsewhere_kind"))
    return ChartExport("sources_compared", "mission", "Totals reported to CDP-ICLEI against the mission data",
                       "% difference", differences(compared, quality.DIFFERENCE_THRESHOLD_PCT), data,
                       quality.summary(compared), notes=(quality.CAVEAT, quality.THRESHOLD_WORDS))


@chart("grades")
def grade_counts(_: None) -> ChartExport:
    """Cities per data quality grade and cohort, with every city's grade and the rule that gave it as data."""
    cities = overview.all_city_metrics().with_columns(pl.col("grade").fill_null("none"))
    counts = (cities.group_by("grade", "cohort").agg(pl.len().cast(pl.Int32).alias("cities"))
              .sort("cohort", "grade"))
    data = cities.select(pl.col("name").alias("city"), "country_iso2", "cohort", "grade", "grade_reason",
                         "baseline_year", pl.col("baseline_kind").fill_null("none").alias("kind"),
                         pl.col("baseline_source").alias("source_id"), pl.lit("grade").alias("unit"))
    mission = counts.filter(pl.col("cohort") == "mission")
    parts = ", ".join(f"{n} grade {g}" if g != "none" else f"{n} without a figure"
                      for g, n in mission.select("grade", "cities").iter_rows())
    return ChartExport("grades", "mission", "Data quality grades of the cities' emissions figures", "cities",
                       grade_bars(counts), data, f"Of the {mission['cities'].sum()} Mission Cities: {parts}.",
                       notes=tuple(f"{g}: {w}" for g, w in quality.GRADES.items()))
