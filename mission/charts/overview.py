"""Charts of the overview: the map of every city and the Mission Label pipeline (also by country)."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl

import vocab
from i18n import date, number, percent, pgettext
from i18n import gettext as _
from mission import overview
from mission.charts import ChartExport, chart
from mission.charts.theme import (
    COLOURWAY,
    CONTINUOUS_SCALE,
    EUROPE_LAT,
    EUROPE_LON,
    around,
    date_axis,
    europe_geo,
    layout,
    message_figure,
    plain,
    plains,
)
from mission.overview import METRICS, Filters
from mission.words import count, tonnes
from vocab import GREY


def _hover(row: dict) -> str:
    population = number(row["population"]) if row["population"] else _("unknown")
    lines = [f"<b>{plain(row['name'])}</b> ({plain(row['country'])})", vocab.STAGE.label(row["stage"]),
             _("Population: {population} ({year})").format(population=population, year=row["population_year"])
             if row.get("population_year") else _("Population: {population}").format(population=population)]
    if row["label_date"] is not None:
        lines.append(_("Mission Label: {month} (wave {wave})").format(month=date(row["label_date"], "month"),
                                                                      wave=row["wave"]))
    if row["baseline_tco2e"] is not None:
        lines.append(_("Baseline {year}: {tonnes} CO2e, {kind}").format(
            year=row["baseline_year"], tonnes=tonnes(row["baseline_tco2e"]),
            kind=vocab.KIND.label(row["baseline_kind"], row["baseline_kind"])))
    else:
        lines.append(_("No baseline"))
    if row.get("grade"):
        lines.append(_("Data quality grade {grade}").format(grade=row["grade"]))
    if row["per_capita_t"] is not None:
        lines.append(_("Per capita: {value} t CO2e").format(value=number(row["per_capita_t"], 1)))
    if row["required_rate_pct"] is not None:
        lines.append(_("Required cut: {rate} a year to 2030").format(rate=percent(row["required_rate_pct"], 1)))
    lines.append(_("Click to open the city's profile"))
    return "<br>".join(lines)


def _sizes(frame: pl.DataFrame) -> list[float]:
    # Marker area proportional to population; cities without a population get the smallest marker.
    biggest = max((p for p in frame["population"] if p), default=1)
    return [6 + 26 * math.sqrt(p / biggest) if p else 6 for p in frame["population"]]


def city_map(frame: pl.DataFrame, metric_key: str) -> go.Figure:
    """Every city as a point on an offline map of Europe, coloured by a metric and sized by population."""
    metric = METRICS[metric_key]
    traces = []
    rows = frame.to_dicts()

    def trace(subset: list[dict], name: str, **marker) -> go.Scattergeo:
        sub = pl.DataFrame(subset, schema=frame.schema) if subset else frame.clear()
        return go.Scattergeo(
            lat=sub["lat"].to_list(), lon=sub["lon"].to_list(), name=name, mode="markers",
            customdata=sub["city_id"].to_list(), hovertext=[_hover(r) for r in subset], hoverinfo="text",
            marker={"size": _sizes(sub) if subset else [], "line": {"width": 0.6, "color": "white"},
                    "opacity": 0.9, **marker})

    if metric.categorical:
        terms = metric.vocabulary
        for category, colour in terms.colours().items():
            subset = [r for r in rows if (r[metric.column] or "none") == category]
            if subset:
                name = (terms.label(category) if metric.key != "grade"
                        else _("grade {grade}").format(grade=category) if category != "none" else _("no grade"))
                traces.append(trace(subset, name, color=colour))
    else:
        known = [r for r in rows if r[metric.column] is not None]
        missing = [r for r in rows if r[metric.column] is None]
        if known:
            values = [r[metric.column] for r in known]
            traces.append(trace(known, _(metric.label), color=values, colorscale=CONTINUOUS_SCALE,
                                showscale=True, colorbar={"title": {"text": _(metric.unit), "side": "right"},
                                                          "thickness": 12, "len": 0.8}))
        if missing:
            traces.append(trace(missing, _("no value"), color=GREY))
    geo = europe_geo(showlakes=False, lataxis={"range": list(EUROPE_LAT)}, lonaxis={"range": list(EUROPE_LON)})
    if rows and len({r["country_iso2"] for r in rows}) <= 3:
        geo.update(around([r["lat"] for r in rows], [r["lon"] for r in rows]))
    return go.Figure(traces, layout(520, geo=geo, margin={"l": 0, "r": 0, "t": 30, "b": 0}, clickmode="event",
                                     legend={"itemsizing": "constant"}))


def label_pipeline(pipeline: pl.DataFrame, mission_cities: int) -> go.Figure:
    """Mission Labels per wave and their running total against the Mission Cities on screen."""
    if not pipeline.height:
        return message_figure(_("No city shown has the Mission Label") if mission_cities else
                              _("No Mission City among the cities shown"), 320)
    dates = pipeline["label_date"].to_list()
    when = [date(d, "month") if p == "month" else date(d)
            for d, p in zip(dates, pipeline["date_precision"], strict=True)]
    traces = [
        go.Bar(x=dates, y=pipeline["labels"].to_list(), name=_("labels in the wave"), marker_color=COLOURWAY[0],
               customdata=list(zip(pipeline["wave"], when, plains(pipeline["cities"]), strict=True)),
               hovertemplate=_("Wave %{customdata[0]} (%{customdata[1]}): %{y} labels<br>%{customdata[2]}"
                               "<extra></extra>")),
        go.Scatter(x=dates, y=pipeline["cumulative"].to_list(), name=_("labelled so far"), mode="lines+markers",
                   line={"shape": "hv", "color": COLOURWAY[1], "width": 3},
                   hovertemplate=_("%{y} labelled by %{x|%B %Y}<extra></extra>")),
    ]
    shapes, notes = [], []
    if mission_cities:
        shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": mission_cities, "y1": mission_cities,
                       "line": {"dash": "dash", "color": GREY}})
        notes.append({"xref": "paper", "x": 0, "y": mission_cities, "yanchor": "bottom", "xanchor": "left",
                      "showarrow": False,
                      "text": count(mission_cities, "{n} Mission City", "{n} Mission Cities")})
    top = max(mission_cities, *(pipeline["cumulative"].to_list() or [0])) * 1.12 + 1
    return go.Figure(traces, layout(320, shapes=shapes, annotations=notes, bargap=0.5, xaxis=date_axis(dates),
                                     yaxis={"title": {"text": _("cities")}, "range": [0, top]}))


def _filtered(chosen: Filters) -> pl.DataFrame:
    return overview.apply_filters(overview.all_city_metrics(), chosen)


def _filter_words(chosen: Filters) -> dict[str, str]:
    """The filters in words (the countries, cohort and label status stay codes, as in the page's address)."""
    return {_("countries"): ", ".join(chosen.countries) or _("all"), _("cohort"): chosen.cohort or _("all"),
            pgettext("Mission Label", "label"): chosen.label_status or _("all"),
            _("metric"): _(METRICS[chosen.metric].label)}


@chart("overview-map", Filters.from_query)
def overview_map(chosen: Filters) -> ChartExport:
    """The map of the overview: every city shown, with the chosen metric."""
    frame = _filtered(chosen)
    metric = METRICS[chosen.metric]
    data = frame.select("city_id", pl.col("name").alias("city"), "country_iso2", "cohort", "lat", "lon",
                        "population", pl.col("stage").replace_strict(vocab.STAGE.labels()),
                        pl.col(metric.column).alias("value"),
                        pl.lit(_(metric.unit or metric.label)).alias("unit"),
                        pl.col("baseline_kind").fill_null("none").alias("kind"),
                        pl.col("baseline_source").alias("source_id"), "grade", "grade_reason")
    subject = ", ".join(chosen.countries) or "mission"
    return ChartExport("map", subject, _("Cities of the mission by {metric}").format(metric=_(metric.words)),
                       _(metric.unit or metric.label), city_map(frame, chosen.metric), data,
                       overview.map_summary(frame, chosen.metric), _filter_words(chosen))


def pipeline_chart(frame: pl.DataFrame, subject: str, filters: dict[str, str], who: str | None = None) -> ChartExport:
    """The Mission Label pipeline of `frame`'s cities: `subject` names them in file names, `who` (else `subject`)
    in the title."""
    k, pipeline = overview.kpis(frame), overview.label_pipeline(frame)
    sources = (frame.filter(pl.col("label_date").is_not_null()).group_by("wave")
               .agg(pl.col("label_source").first().alias("source_id")))
    data = pipeline.join(sources, on="wave", how="left").select(
        "wave", "label_date", "date_precision", "labels", "cumulative", "cities",
        pl.lit(_("cities")).alias("unit"), pl.lit("official_announcement").alias("kind"), "source_id")
    return ChartExport("label_pipeline", subject, _("Mission Label pipeline: {who}").format(who=who or subject),
                       _("cities"),
                       label_pipeline(pipeline, k.mission_cities), data,
                       overview.pipeline_summary(pipeline, k), filters)


@chart("overview-pipeline", Filters.from_query)
def overview_pipeline(chosen: Filters) -> ChartExport:
    frame = _filtered(chosen)
    return pipeline_chart(frame, ", ".join(chosen.countries) or "mission", _filter_words(chosen),
                          ", ".join(chosen.countries) or _("mission"))
