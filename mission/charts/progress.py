"""Charts of the Mission's progress: the road so far, the gap to 2030 (as a waterfall, by country, by field of
action), the pace achieved against the pace required, and the money as published beside the portfolios' costs."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

import vocab
from i18n import date, ngettext, number
from i18n import gettext as _
from mission import progress
from mission.charts import ChartExport, chart
from mission.charts.theme import COLOURWAY, date_axis, fill, layout, message_figure, plain, plains
from mission.progress import Scope
from mission.words import count, tonnes
from vocab import GREY, OKABE_ITO

PUBLISHED_COLOUR = OKABE_ITO["orange"]
WAREHOUSE_COLOUR = OKABE_ITO["blue"]


def _filters(scope: Scope) -> dict[str, str]:
    return {_("countries"): ", ".join(scope.countries) or _("all (the Mission)")}


def _subject(scope: Scope) -> str:
    return ", ".join(scope.countries) or "mission"


def road_figure(rows: pl.DataFrame, labels: pl.DataFrame) -> go.Figure:
    """The published counts as dated markers (one series per stage) and the warehouse's labels as a step line."""
    traces = []
    for i, (fact, part) in enumerate(rows.group_by("fact", maintain_order=True)):
        name = part["stage"][0]
        traces.append(go.Scatter(
            x=part["as_of"].to_list(), y=part["published"].to_list(),
            name=_("{stage} (published)").format(stage=plain(name)),
            mode="markers+text" if fact[0] != "labels_cumulative" else "lines+markers+text",
            text=[number(v) for v in part["published"]],
            textposition="bottom center" if fact[0] == "eoi_eligible" else "top center",
            marker={"size": 11, "symbol": "diamond", "color": COLOURWAY[(i + 1) % len(COLOURWAY)]},
            line={"dash": "dot"}, customdata=plains(part["scope"]),
            hovertemplate=_("%{x|%d %B %Y}: %{y:,.0f}<br>%{customdata}<br>published<extra></extra>")))
    if labels.height:
        traces.append(go.Scatter(
            x=labels["label_date"].to_list(), y=labels["cumulative"].to_list(),
            name=_("Mission Labels in the warehouse"),
            mode="lines+markers", line={"shape": "hv", "color": WAREHOUSE_COLOUR, "width": 3},
            hovertemplate=_("%{x|%B %Y}: %{y} labelled Mission Cities in the warehouse<extra></extra>")))
    days = [*rows["as_of"].to_list(), *labels["label_date"].to_list()] if labels.height else rows["as_of"].to_list()
    return go.Figure(traces, layout(440, yaxis={"title": {"text": _("cities")}, "rangemode": "tozero"},
                                    xaxis=date_axis(days)))


@chart("progress-road", Scope.from_query)
def road_chart(scope: Scope) -> ChartExport:
    """From the expressions of interest to the labels: published counts beside the warehouse's labels."""
    p = progress.of(scope)
    labels = p.pipeline
    data = pl.concat([
        p.road.select(pl.lit(_("published")).alias("series"), "stage", pl.col("as_of").alias("date"),
                      pl.col("published").alias("cities"), "warehouse", "joint_extra", "unexplained", "scope", "note",
                      pl.lit(_("cities")).alias("unit"), pl.lit("official_announcement").alias("kind"), "source_id"),
        labels.select(pl.lit(_("warehouse")).alias("series"),
                      pl.lit(_("Mission Labels in the warehouse")).alias("stage"),
                      pl.col("label_date").alias("date"), pl.col("cumulative").cast(pl.Float64).alias("cities"),
                      pl.col("cumulative").cast(pl.Int64).alias("warehouse"),
                      pl.lit(None, pl.Int64).alias("joint_extra"), pl.lit(None, pl.Int64).alias("unexplained"),
                      pl.lit(p.who).alias("scope"),
                      pl.Series("note", [_("wave {wave}").format(wave=w) for w in labels["wave"]], dtype=pl.String),
                      pl.lit(_("cities")).alias("unit"),
                      pl.lit("official_announcement").alias("kind"), "source_id"),
    ], how="vertical_relaxed")
    joint = p.road.filter(pl.col("joint_extra") > 0)["note"].unique(maintain_order=True).to_list()
    notes = tuple(_("Why the counts differ: {note}.").format(note=n) for n in joint) if scope.whole else (
        _("The published counts are for the whole Mission; the warehouse's line counts the Mission Cities of {who} "
          "only.").format(who=p.who),)
    return ChartExport("road", _subject(scope), _("The road so far: {who}").format(who=p.who), _("cities"),
                       road_figure(p.road, labels),
                       data, progress.road_summary(p.road, scope, p.labelled, p.who), _filters(scope), notes=notes)


def gap_figure(g: progress.Gap) -> go.Figure:
    """The gap as a waterfall: summed baselines, planned cuts, what is still to cut, summed targets."""
    steps = g.steps()
    if not g.in_sums.height:
        return message_figure(_("No Mission City with a baseline and a 2030 target in tonnes"), 440)
    return go.Figure(go.Waterfall(
        x=[s.label for s in steps], y=[s.tco2e for s in steps], measure=[s.measure for s in steps],
        decreasing={"marker": {"color": OKABE_ITO["bluish_green"]}},
        increasing={"marker": {"color": OKABE_ITO["vermillion"]}},
        totals={"marker": {"color": OKABE_ITO["blue"]}}, connector={"line": {"color": GREY}},
        text=[tonnes(abs(s.tco2e)) for s in steps], textposition="outside",
        customdata=[s.note or " " for s in steps],
        hovertemplate=_("%{x}: %{y:,.0f} t CO2e a year<br>%{customdata}<extra></extra>")),
        layout(440, yaxis={"title": {"text": _("t CO2e a year")}, "rangemode": "tozero"}, showlegend=False,
               xaxis={"tickangle": -30}))


@chart("progress-gap", Scope.from_query)
def gap_chart(scope: Scope) -> ChartExport:
    """The gap to 2030 of the scope's Mission Cities, with every city's row (those left out of the sums too)."""
    p = progress.of(scope)
    data = p.gap.cities.with_columns(
        pl.col("coverage").replace_strict({code: _(words) for code, words in progress.COVERAGE.items()})
        .alias("coverage"),
        pl.lit(_("t CO2e a year")).alias("unit"), pl.col("baseline_kind").fill_null("none").alias("kind"),
        pl.col("baseline_source").alias("source_id")).drop("baseline_source")
    years = p.gap.baseline_years
    notes = (_("Baseline years differ between cities ({first} to {last}): the sum is not one year's emissions.")
             .format(first=years[0], last=years[1]) if years else _("No baseline in the sums."),
             _("Planned cuts: only the reductions a city's own waterfall adds up (an annual figure, not flagged as "
               "overlapping, implausible or larger than the baseline)."), *progress.coverage_words(p.gap))
    return ChartExport("gap", _subject(scope), _("The gap to 2030: {who}").format(who=p.who), _("t CO2e a year"),
                       gap_figure(p.gap), data,
                       progress.gap_summary(p.gap, p.who), _filters(scope), notes=notes)


def countries_figure(rows: pl.DataFrame) -> go.Figure:
    """Per country: planned cuts within the required cut, still to cut, planned beyond the targets (stacked)."""
    if not rows.height:
        return message_figure(_("No Mission City in the sums"), 360)
    ordered = rows.sort("shortfall_tco2e")
    names = plains(ordered["country"])
    parts = (("planned_within_tco2e", _("planned cuts that can be added up"), OKABE_ITO["bluish_green"]),
             ("shortfall_tco2e", _("still to cut"), OKABE_ITO["vermillion"]),
             ("beyond_target_tco2e", _("planned beyond the targets"), OKABE_ITO["sky_blue"]))
    custom = list(zip(ordered["cities_in_sums"], ordered["cities_left_out"],
                      [tonnes(v) for v in ordered["baseline_tco2e"]], [tonnes(v) for v in ordered["target_tco2e"]],
                      strict=True))
    traces = [go.Bar(y=names, x=ordered[column].to_list(), name=label, orientation="h", marker_color=colour,
                     customdata=custom,
                     hovertemplate=fill(_("%{y}: %{x:,.0f} t CO2e a year {part}<br>%{customdata[0]} cities in the "
                                          "sums, %{customdata[1]} left out<br>baselines %{customdata[2]}, targets "
                                          "%{customdata[3]}<extra></extra>"), part=label))
              for column, label, colour in parts]
    return go.Figure(traces, layout(max(300, 22 * ordered.height + 120), barmode="stack",
                                    xaxis={"title": {"text": _("t CO2e a year")}}))


@chart("progress-countries", Scope.from_query)
def countries_chart(scope: Scope) -> ChartExport:
    p = progress.of(scope)
    data = p.by_country.with_columns(pl.lit(_("t CO2e a year")).alias("unit"), pl.lit("computed").alias("kind"))
    top = p.by_country.row(0, named=True) if p.by_country.height else None
    summary = (_("{country} has the largest share still to cut ({tonnes} a year over {cities}); the chart shows "
                 "{countries}, largest gap first.").format(
        country=top["country"], tonnes=tonnes(top["shortfall_tco2e"]),
        cities=count(top["cities_in_sums"], "{n} city", "{n} cities"),
        countries=count(p.by_country.height, "{n} country", "{n} countries"))
               if top else _("No Mission City in the sums."))
    return ChartExport("gap_by_country", _subject(scope), _("The gap to 2030 by country: {who}").format(who=p.who),
                       _("t CO2e a year"), countries_figure(p.by_country), data, summary, _filters(scope),
                       notes=(_("Sums over each country's cities in the sums (the gap's CSV has one row per city)."),))


def fields_figure(rows: pl.DataFrame) -> go.Figure:
    if not rows.height:
        return message_figure(_("No transcribed action in the sums"), 320)
    colours = vocab.FIELD.colours()
    return go.Figure(go.Bar(
        x=[vocab.FIELD.label(f) for f in rows["field_of_action"]], y=rows["planned_tco2e"].to_list(),
        marker_color=[colours.get(f, GREY) for f in rows["field_of_action"]],
        text=[tonnes(v) + "<br>" + count(c, "{n} city", "{n} cities")
              for v, c in zip(rows["planned_tco2e"], rows["cities"], strict=True)],
        textposition="outside", customdata=list(zip(rows["addable_actions"], rows["cities"], rows["not_added"],
                                                    strict=True)),
        hovertemplate=_("%{x}: %{y:,.0f} t CO2e a year from %{customdata[0]} actions of %{customdata[1]} cities"
                        "<br>%{customdata[2]} actions state a reduction that is not added<extra></extra>")),
        layout(360, showlegend=False, yaxis={"title": {"text": _("t CO2e a year")}, "rangemode": "tozero"}))


@chart("progress-fields", Scope.from_query)
def fields_chart(scope: Scope) -> ChartExport:
    p = progress.of(scope)
    rows = p.by_field
    data = rows.with_columns(pl.col("field_of_action").replace_strict(vocab.FIELD.labels(), default=None).alias(
        "field"), pl.lit(_("t CO2e a year")).alias("unit"), pl.lit("reported").alias("kind"))
    if rows.height:
        top = rows.sort("planned_tco2e", descending=True).row(0, named=True)
        summary = _("Of the {total} a year of planned cuts that can be added up, {field} plans the most: {planned} "
                    "from {actions} of {cities}.").format(
            total=tonnes(float(rows["planned_tco2e"].sum())), field=vocab.FIELD.label(top["field_of_action"]),
            planned=tonnes(top["planned_tco2e"]), actions=count(top["addable_actions"], "{n} action", "{n} actions"),
            cities=count(top["cities"], "{n} city", "{n} cities"))
    else:
        summary = _("No transcribed action of a city in the sums.")
    return ChartExport("gap_by_field", _subject(scope), _("Planned cuts by field of action: {who}").format(who=p.who),
                       _("t CO2e a year"), fields_figure(rows), data, summary, _filters(scope),
                       notes=(_("Reductions as the contracts state them (kind: reported), summed over the cities in "
                                "the gap's sums; the portfolio page lists each action with its source."),))


def pace_figure(rows: pl.DataFrame) -> go.Figure:
    """Per city: the yearly change achieved and the yearly cut needed, side by side."""
    if not rows.height:
        return message_figure(_("No Mission City with two reported inventories"), 320)
    ordered = rows.sort("name", descending=True)
    labels = [f"{plain(r['name'])} ({r['from_year']}–{r['to_year']})" + (" ⚠" if r["caveats"] else "")
              for r in ordered.iter_rows(named=True)]
    achieved_colours = [OKABE_ITO["bluish_green"] if r["on_pace"] else GREY if r["on_pace"] is None
                        else OKABE_ITO["vermillion"] for r in ordered.iter_rows(named=True)]
    return go.Figure([
        # A change that is not comparable (a partial inventory) is not drawn as a pace: its row says why.
        go.Bar(y=labels, x=[a if c else None for a, c in zip(ordered["achieved_pct"], ordered["comparable"],
                                                             strict=True)],
               name=_("achieved: yearly cut between two inventories"),
               orientation="h", marker={"color": achieved_colours},
               customdata=plains(ordered["caveats"].fill_null(_("no difference found between the two inventories"))),
               hovertemplate=_("%{y}: cut %{x:.1f}% a year<br>%{customdata}<extra></extra>")),
        go.Bar(y=labels, x=ordered["required_pct"].to_list(), name=_("required: yearly cut to the 2030 target"),
               orientation="h", marker={"color": "white", "line": {"color": OKABE_ITO["black"], "width": 1.5}},
               hovertemplate=_("%{y}: needs %{x:.1f}% a year<extra></extra>")),
    ], layout(max(280, 34 * ordered.height + 120), barmode="group",
              xaxis={"title": {"text": _("% a year (a negative achieved value is a rise)")}}))


@chart("progress-pace", Scope.from_query)
def pace_chart(scope: Scope) -> ChartExport:
    p = progress.of(scope)
    data = p.pace.with_columns(pl.lit(_("% a year; t CO2e")).alias("unit"), pl.lit("reported").alias("kind"))
    return ChartExport(
        "pace", _subject(scope), _("Achieved against required: {who}").format(who=p.who), _("% a year"),
        pace_figure(p.pace), data, progress.pace_summary(p.pace, p.who), _filters(scope),
        notes=(_("Achieved: the constant yearly change between a city's earliest and latest reported inventory. "
                 "Required: the constant yearly cut from its latest inventory to its 2030 target (its own, else the "
                 "Mission's 80%). Green: on pace; red: not; ⚠: the inventories differ (scopes, method, sectors or "
                 "documents), named in the hover and the CSV; a partial inventory gives no pace, so no bar."),))


def money_figure(published: pl.DataFrame, costs: progress.StatedCosts) -> go.Figure:
    """Published figures (left) and the transcribed costs (right), in separate panels: never stacked or summed."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.72, 0.28], shared_yaxes=True, horizontal_spacing=0.08,
                        subplot_titles=(_("As published"), _("Stated in the portfolios")))
    fig.add_trace(go.Bar(
        x=["<br>".join(textwrap.wrap(plain(r["figure"]), 18)) + f"<br>({date(r['as_of'], 'short_month')})"
           for r in published.iter_rows(named=True)],
        y=published["value"].to_list(), marker_color=PUBLISHED_COLOUR, name=_("published"),
        text=[_("EUR {amount} bn").format(amount=number(v, 1)) for v in published["value"]], textposition="outside",
        customdata=plains(published["scope"]), hovertemplate=_("EUR %{y:,.1f} bn: %{customdata}<extra></extra>")),
        row=1, col=1)
    fig.add_trace(go.Bar(
        x=[_("stated costs<br>({actions}, {cities})").format(
            actions=count(costs.costed_actions, "{n} action", "{n} actions"),
            cities=count(costs.costed_cities, "{n} city", "{n} cities"))], y=[costs.eur / 1e9],
        marker_color=WAREHOUSE_COLOUR, name=_("transcribed"),
        text=[_("EUR {amount} bn").format(amount=number(costs.eur / 1e9, 1))], textposition="outside",
        hovertemplate=fill(_("EUR %{y:,.2f} bn stated by {costed_actions} of {actions}, {costed_cities} of {cities}"
                             "<extra></extra>"),
                           costed_actions=number(costs.costed_actions),
                           actions=count(costs.actions, "{n} action", "{n} actions"),
                           costed_cities=number(costs.costed_cities),
                           cities=count(costs.mission_cities, "{n} Mission City", "{n} Mission Cities"))),
        row=1, col=2)
    fig.update_layout(layout(400, showlegend=False, yaxis={"title": {"text": _("EUR bn")}, "rangemode": "tozero"}))
    return fig


@chart("progress-money", Scope.from_query)
def money_chart(scope: Scope) -> ChartExport:
    p = progress.of(scope)
    c = p.costs
    data = pl.concat([
        p.published.select("figure", "value", pl.lit(_("EUR bn")).alias("unit"), "scope",
                           pl.col("as_of").cast(pl.String), "kind", "source_id"),
        pl.DataFrame([{"figure": _("costs stated by {costed_actions} of {actions} in {costed_cities} of {cities}")
                                 .format(costed_actions=number(c.costed_actions),
                                         actions=count(c.actions, "{n} transcribed action", "{n} transcribed actions"),
                                         costed_cities=number(c.costed_cities),
                                         cities=count(c.mission_cities, "{n} Mission City", "{n} Mission Cities")),
                       "value": c.eur / 1e9, "unit": _("EUR bn"), "scope": p.who, "as_of": None, "kind": "reported",
                       "source_id": c.source_ids}]),
    ], how="vertical_relaxed")
    return ChartExport("money", _subject(scope), _("Money: published figures and stated costs ({who})").format(
                           who=p.who), _("EUR bn"),
                       money_figure(p.published, c), data, progress.money_summary(p.published, c, p.who),
                       _filters(scope), notes=(
                           _("The published figures count different things for different sets of cities (plans of "
                             "33 labelled cities, the needs of 112, the incremental needs of 100): never add them up, "
                             "nor add the transcribed costs to them."),) + (
                           (_("The published figures are for the whole Mission, not only the countries chosen."),)
                           if not scope.whole else ()) + (
                           (ngettext("Not in the stated costs: EUR {amount} bn of {n} action(s) whose note calls a "
                                     "figure implausible.",
                                     "Not in the stated costs: EUR {amount} bn of {n} action(s) whose note calls a "
                                     "figure implausible.", c.implausible_actions).format(
                               amount=number(c.implausible_eur / 1e9, 2), n=number(c.implausible_actions)),)
                           if c.implausible_actions else ()))
