"""Charts of the Mission's progress: the road so far, the gap to 2030 (as a waterfall, by country, by field of
action), the pace achieved against the pace required, and the money as published beside the portfolios' costs."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

import vocab
from mission import progress
from mission.charts import ChartExport, chart
from mission.charts.theme import COLOURWAY, layout, message_figure, plain, plains
from mission.progress import Scope
from mission.words import plural, tonnes
from vocab import GREY, OKABE_ITO

PUBLISHED_COLOUR = OKABE_ITO["orange"]
WAREHOUSE_COLOUR = OKABE_ITO["blue"]


def _filters(scope: Scope) -> dict[str, str]:
    return {"countries": ", ".join(scope.countries) or "all (the Mission)"}


def _subject(scope: Scope) -> str:
    return ", ".join(scope.countries) or "mission"


def road_figure(rows: pl.DataFrame, labels: pl.DataFrame) -> go.Figure:
    """The published counts as dated markers (one series per stage) and the warehouse's labels as a step line."""
    traces = []
    for i, (fact, part) in enumerate(rows.group_by("fact", maintain_order=True)):
        name = part["stage"][0]
        traces.append(go.Scatter(
            x=part["as_of"].to_list(), y=part["published"].to_list(), name=f"{plain(name)} (published)",
            mode="markers+text" if fact[0] != "labels_cumulative" else "lines+markers+text",
            text=[f"{v:,.0f}" for v in part["published"]],
            textposition="bottom center" if fact[0] == "eoi_eligible" else "top center",
            marker={"size": 11, "symbol": "diamond", "color": COLOURWAY[(i + 1) % len(COLOURWAY)]},
            line={"dash": "dot"}, customdata=plains(part["scope"]),
            hovertemplate="%{x|%d %B %Y}: %{y:,.0f}<br>%{customdata}<br>published<extra></extra>"))
    if labels.height:
        traces.append(go.Scatter(
            x=labels["label_date"].to_list(), y=labels["cumulative"].to_list(), name="Mission Labels in the warehouse",
            mode="lines+markers", line={"shape": "hv", "color": WAREHOUSE_COLOUR, "width": 3},
            hovertemplate="%{x|%B %Y}: %{y} labelled Mission Cities in the warehouse<extra></extra>"))
    return go.Figure(traces, layout(440, yaxis={"title": {"text": "cities"}, "rangemode": "tozero"}))


@chart("progress-road", Scope.from_query)
def road_chart(scope: Scope) -> ChartExport:
    """From the expressions of interest to the labels: published counts beside the warehouse's labels."""
    p = progress.of(scope)
    labels = p.pipeline
    data = pl.concat([
        p.road.select(pl.lit("published").alias("series"), "stage", pl.col("as_of").alias("date"),
                      pl.col("published").alias("cities"), "warehouse", "joint_extra", "unexplained", "scope", "note",
                      pl.lit("cities").alias("unit"), pl.lit("official_announcement").alias("kind"), "source_id"),
        labels.select(pl.lit("warehouse").alias("series"), pl.lit("Mission Labels in the warehouse").alias("stage"),
                      pl.col("label_date").alias("date"), pl.col("cumulative").cast(pl.Float64).alias("cities"),
                      pl.col("cumulative").cast(pl.Int64).alias("warehouse"),
                      pl.lit(None, pl.Int64).alias("joint_extra"), pl.lit(None, pl.Int64).alias("unexplained"),
                      pl.lit(p.who).alias("scope"),
                      pl.format("wave {}", "wave").alias("note"), pl.lit("cities").alias("unit"),
                      pl.lit("official_announcement").alias("kind"), "source_id"),
    ], how="vertical_relaxed")
    joint = p.road.filter(pl.col("joint_extra") > 0)["note"].unique(maintain_order=True).to_list()
    notes = tuple(f"Why the counts differ: {n}." for n in joint) if scope.whole else (
        "The published counts are for the whole Mission; the warehouse's line counts the Mission Cities of "
        f"{p.who} only.",)
    return ChartExport("road", _subject(scope), f"The road so far: {p.who}", "cities", road_figure(p.road, labels),
                       data, progress.road_summary(p.road, scope, p.labelled, p.who), _filters(scope), notes=notes)


def gap_figure(g: progress.Gap) -> go.Figure:
    """The gap as a waterfall: summed baselines, planned cuts, what is still to cut, summed targets."""
    steps = g.steps()
    if not g.in_sums.height:
        return message_figure("No Mission City with a baseline and a 2030 target in tonnes", 440)
    return go.Figure(go.Waterfall(
        x=[s.label for s in steps], y=[s.tco2e for s in steps], measure=[s.measure for s in steps],
        decreasing={"marker": {"color": OKABE_ITO["bluish_green"]}},
        increasing={"marker": {"color": OKABE_ITO["vermillion"]}},
        totals={"marker": {"color": OKABE_ITO["blue"]}}, connector={"line": {"color": GREY}},
        text=[tonnes(abs(s.tco2e)) for s in steps], textposition="outside",
        customdata=[s.note or " " for s in steps],
        hovertemplate="%{x}: %{y:,.0f} t CO2e a year<br>%{customdata}<extra></extra>"),
        layout(440, yaxis={"title": {"text": "t CO2e a year"}, "rangemode": "tozero"}, showlegend=False,
               xaxis={"tickangle": -30}))


@chart("progress-gap", Scope.from_query)
def gap_chart(scope: Scope) -> ChartExport:
    """The gap to 2030 of the scope's Mission Cities, with every city's row (those left out of the sums too)."""
    p = progress.of(scope)
    data = p.gap.cities.with_columns(
        pl.col("coverage").replace_strict(progress.COVERAGE).alias("coverage"),
        pl.lit("t CO2e a year").alias("unit"), pl.col("baseline_kind").fill_null("none").alias("kind"),
        pl.col("baseline_source").alias("source_id")).drop("baseline_source")
    years = p.gap.baseline_years
    notes = (f"Baseline years differ between cities ({years[0]} to {years[1]}): the sum is not one year's emissions."
             if years else "No baseline in the sums.",
             "Planned cuts: only the reductions a city's own waterfall adds up (an annual figure, not flagged as "
             "overlapping, implausible or larger than the baseline).", *progress.coverage_words(p.gap))
    return ChartExport("gap", _subject(scope), f"The gap to 2030: {p.who}", "t CO2e a year", gap_figure(p.gap), data,
                       progress.gap_summary(p.gap, p.who), _filters(scope), notes=notes)


def countries_figure(rows: pl.DataFrame) -> go.Figure:
    """Per country: planned cuts within the required cut, still to cut, planned beyond the targets (stacked)."""
    if not rows.height:
        return message_figure("No Mission City in the sums", 360)
    ordered = rows.sort("shortfall_tco2e")
    names = plains(ordered["country"])
    parts = (("planned_within_tco2e", "planned cuts that can be added up", OKABE_ITO["bluish_green"]),
             ("shortfall_tco2e", "still to cut", OKABE_ITO["vermillion"]),
             ("beyond_target_tco2e", "planned beyond the targets", OKABE_ITO["sky_blue"]))
    custom = list(zip(ordered["cities_in_sums"], ordered["cities_left_out"],
                      [tonnes(v) for v in ordered["baseline_tco2e"]], [tonnes(v) for v in ordered["target_tco2e"]],
                      strict=True))
    traces = [go.Bar(y=names, x=ordered[column].to_list(), name=label, orientation="h", marker_color=colour,
                     customdata=custom,
                     hovertemplate=f"%{{y}}: %{{x:,.0f}} t CO2e a year {label}<br>%{{customdata[0]}} cities in the "
                                   "sums, %{customdata[1]} left out<br>baselines %{customdata[2]}, targets "
                                   "%{customdata[3]}<extra></extra>")
              for column, label, colour in parts]
    return go.Figure(traces, layout(max(300, 22 * ordered.height + 120), barmode="stack",
                                    xaxis={"title": {"text": "t CO2e a year"}}))


@chart("progress-countries", Scope.from_query)
def countries_chart(scope: Scope) -> ChartExport:
    p = progress.of(scope)
    data = p.by_country.with_columns(pl.lit("t CO2e a year").alias("unit"), pl.lit("computed").alias("kind"))
    top = p.by_country.row(0, named=True) if p.by_country.height else None
    shown = plural(p.by_country.height, "country", "countries")
    summary = (f"{top['country']} has the largest share still to cut ({tonnes(top['shortfall_tco2e'])} a year over "
               f"{top['cities_in_sums']} cities); the chart shows {shown}, largest gap first."
               if top else "No Mission City in the sums.")
    return ChartExport("gap_by_country", _subject(scope), f"The gap to 2030 by country: {p.who}", "t CO2e a year",
                       countries_figure(p.by_country), data, summary, _filters(scope),
                       notes=("Sums over each country's cities in the sums (the gap's CSV has one row per city).",))


def fields_figure(rows: pl.DataFrame) -> go.Figure:
    if not rows.height:
        return message_figure("No transcribed action in the sums", 320)
    colours = vocab.FIELD.colours()
    return go.Figure(go.Bar(
        x=[vocab.FIELD.label(f) for f in rows["field_of_action"]], y=rows["planned_tco2e"].to_list(),
        marker_color=[colours.get(f, GREY) for f in rows["field_of_action"]],
        text=[f"{tonnes(v)}<br>{c} cities" for v, c in zip(rows["planned_tco2e"], rows["cities"], strict=True)],
        textposition="outside", customdata=list(zip(rows["addable_actions"], rows["cities"], rows["not_added"],
                                                    strict=True)),
        hovertemplate="%{x}: %{y:,.0f} t CO2e a year from %{customdata[0]} actions of %{customdata[1]} cities"
                      "<br>%{customdata[2]} actions state a reduction that is not added<extra></extra>"),
        layout(360, showlegend=False, yaxis={"title": {"text": "t CO2e a year"}, "rangemode": "tozero"}))


@chart("progress-fields", Scope.from_query)
def fields_chart(scope: Scope) -> ChartExport:
    p = progress.of(scope)
    rows = p.by_field
    data = rows.with_columns(pl.col("field_of_action").replace_strict(vocab.FIELD.labels(), default=None).alias(
        "field"), pl.lit("t CO2e a year").alias("unit"), pl.lit("reported").alias("kind"))
    if rows.height:
        top = rows.sort("planned_tco2e", descending=True).row(0, named=True)
        summary = (f"Of the {tonnes(float(rows['planned_tco2e'].sum()))} a year of planned cuts that can be added up, "
                   f"{vocab.FIELD.label(top['field_of_action'])} plans the most: {tonnes(top['planned_tco2e'])} from "
                   f"{top['addable_actions']} actions of {top['cities']} cities.")
    else:
        summary = "No transcribed action of a city in the sums."
    return ChartExport("gap_by_field", _subject(scope), f"Planned cuts by field of action: {p.who}", "t CO2e a year",
                       fields_figure(rows), data, summary, _filters(scope),
                       notes=("Reductions as the contracts state them (kind: reported), summed over the cities in the "
                              "gap's sums; the portfolio page lists each action with its source.",))


def pace_figure(rows: pl.DataFrame) -> go.Figure:
    """Per city: the yearly change achieved and the yearly cut needed, side by side."""
    if not rows.height:
        return message_figure("No Mission City with two reported inventories", 320)
    ordered = rows.sort("name", descending=True)
    labels = [f"{plain(r['name'])} ({r['from_year']}–{r['to_year']})" + (" ⚠" if r["caveats"] else "")
              for r in ordered.iter_rows(named=True)]
    achieved_colours = [OKABE_ITO["bluish_green"] if r["on_pace"] else GREY if r["on_pace"] is None
                        else OKABE_ITO["vermillion"] for r in ordered.iter_rows(named=True)]
    return go.Figure([
        # A change that is not comparable (a partial inventory) is not drawn as a pace: its row says why.
        go.Bar(y=labels, x=[a if c else None for a, c in zip(ordered["achieved_pct"], ordered["comparable"],
                                                             strict=True)],
               name="achieved: yearly cut between two inventories",
               orientation="h", marker={"color": achieved_colours},
               customdata=plains(ordered["caveats"].fill_null("no difference found between the two inventories")),
               hovertemplate="%{y}: cut %{x:.1f}% a year<br>%{customdata}<extra></extra>"),
        go.Bar(y=labels, x=ordered["required_pct"].to_list(), name="required: yearly cut to the 2030 target",
               orientation="h", marker={"color": "white", "line": {"color": OKABE_ITO["black"], "width": 1.5}},
               hovertemplate="%{y}: needs %{x:.1f}% a year<extra></extra>"),
    ], layout(max(280, 34 * ordered.height + 120), barmode="group",
              xaxis={"title": {"text": "% a year (a negative achieved value is a rise)"}}))


@chart("progress-pace", Scope.from_query)
def pace_chart(scope: Scope) -> ChartExport:
    p = progress.of(scope)
    data = p.pace.with_columns(pl.lit("% a year; t CO2e").alias("unit"), pl.lit("reported").alias("kind"))
    return ChartExport(
        "pace", _subject(scope), f"Achieved against required: {p.who}", "% a year", pace_figure(p.pace), data,
        progress.pace_summary(p.pace, p.who), _filters(scope),
        notes=("Achieved: the constant yearly change between a city's earliest and latest reported inventory. "
               "Required: the constant yearly cut from its latest inventory to its 2030 target (its own, else the "
               "Mission's 80%). Green: on pace; red: not; ⚠: the inventories differ (scopes, method, sectors or "
               "documents), named in the hover and the CSV; a partial inventory gives no pace, so no bar.",))


def money_figure(published: pl.DataFrame, costs: progress.StatedCosts) -> go.Figure:
    """Published figures (left) and the transcribed costs (right), in separate panels: never stacked or summed."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.72, 0.28], shared_yaxes=True, horizontal_spacing=0.08,
                        subplot_titles=("As published", "Stated in the portfolios"))
    fig.add_trace(go.Bar(
        x=["<br>".join(textwrap.wrap(plain(r["figure"]), 18)) + f"<br>({r['as_of']:%b %Y})"
           for r in published.iter_rows(named=True)],
        y=published["value"].to_list(), marker_color=PUBLISHED_COLOUR, name="published",
        text=[f"EUR {v:,.1f} bn" for v in published["value"]], textposition="outside",
        customdata=plains(published["scope"]), hovertemplate="EUR %{y:,.1f} bn: %{customdata}<extra></extra>"),
        row=1, col=1)
    fig.add_trace(go.Bar(
        x=[f"stated costs<br>({costs.costed_actions} actions, {costs.costed_cities} cities)"], y=[costs.eur / 1e9],
        marker_color=WAREHOUSE_COLOUR, name="transcribed", text=[f"EUR {costs.eur / 1e9:,.1f} bn"],
        textposition="outside",
        hovertemplate=(f"EUR %{{y:,.2f}} bn stated by {costs.costed_actions} of {costs.actions} actions, "
                       f"{costs.costed_cities} of {costs.mission_cities} Mission Cities<extra></extra>")),
        row=1, col=2)
    fig.update_layout(layout(400, showlegend=False, yaxis={"title": {"text": "EUR bn"}, "rangemode": "tozero"}))
    return fig


@chart("progress-money", Scope.from_query)
def money_chart(scope: Scope) -> ChartExport:
    p = progress.of(scope)
    c = p.costs
    data = pl.concat([
        p.published.select("figure", "value", pl.lit("EUR bn").alias("unit"), "scope",
                           pl.col("as_of").cast(pl.String), "kind", "source_id"),
        pl.DataFrame([{"figure": f"costs stated by {c.costed_actions} of {c.actions} transcribed actions in "
                                 f"{c.costed_cities} of {c.mission_cities} Mission Cities",
                       "value": c.eur / 1e9, "unit": "EUR bn", "scope": p.who, "as_of": None, "kind": "reported",
                       "source_id": c.source_ids}]),
    ], how="vertical_relaxed")
    return ChartExport("money", _subject(scope), f"Money: published figures and stated costs ({p.who})", "EUR bn",
                       money_figure(p.published, c), data, progress.money_summary(p.published, c, p.who),
                       _filters(scope), notes=(
                           "The published figures count different things for different sets of cities (plans of 33 "
                           "labelled cities, the needs of 112, the incremental needs of 100): never add them up, "
                           "nor add the transcribed costs to them.",) + (
                           ("The published figures are for the whole Mission, not only the countries chosen.",)
                           if not scope.whole else ()) + (
                           (f"Not in the stated costs: EUR {c.implausible_eur / 1e9:,.2f} bn of "
                            f"{c.implausible_actions} action(s) whose note calls a figure implausible.",)
                           if c.implausible_actions else ()))
