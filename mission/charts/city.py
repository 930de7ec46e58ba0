"""Charts of one city: its baseline by sector and scope, its 2030 pathway, and its totals by source."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

import vocab
from i18n import gettext as _
from mission import inventory, quality, queries
from mission.charts import ChartExport, CityParams, UnknownChart, chart, grade_note
from mission.charts.theme import (
    ELSEWHERE_COLOUR,
    fill,
    layout,
    plain,
    plains,
    year_axis,
)
from mission.city import pathway, with_partial
from mission.pathways import Point, Target
from mission.words import tonnes
from vocab import GREY, OKABE_ITO


def inventory_bars(rows: pl.DataFrame) -> go.Figure:
    """One inventory by sector, stacked by scope where the document splits it (see `inventory_view`)."""
    traces = []
    for scope, colour in vocab.SCOPE.colours().items():
        part = rows.filter(pl.col("scope") == scope)
        if part.height:
            traces.append(go.Bar(
                y=[vocab.SECTOR.label(s, s) for s in part["sector"]], x=part["tco2e"].to_list(), orientation="h",
                name=vocab.SCOPE.label(scope), marker_color=colour,
                customdata=list(zip(plains(part["source_id"]), plains(part["ref"]),
                                    [vocab.KIND.label(k, k) for k in part["kind"]], strict=True)),
                hovertemplate=fill(_("%{y}, {scope}: %{x:,.0f} t CO2e<br>%{customdata[2]}<br>source: "
                                     "%{customdata[0]}, %{customdata[1]}<extra></extra>"),
                                   scope=vocab.SCOPE.label(scope))))
    return go.Figure(traces, layout(max(220, 60 + 34 * rows["sector"].n_unique()), barmode="relative",
                                     xaxis={"title": {"text": _("t CO2e")}}, yaxis={"autorange": "reversed"}))


def pathway_chart(points: list[Point], baseline: Point, target: Target, line: list[tuple[int, float]]) -> go.Figure:
    """The 2030 pathway: inventories, the baseline, the straight line to the target and the target itself."""
    traces = []
    for kind in ("reported", "official_statistic", "modelled_estimate", "projected_bau"):
        for partial in (False, True):
            mine = [p for p in points if p.kind == kind and p.partial == partial]
            if not mine:
                continue
            name = (_("{kind} (partial: not all sectors)").format(kind=vocab.KIND.label(kind)) if partial
                    else vocab.KIND.label(kind))
            traces.append(go.Scatter(
                x=[p.year for p in mine], y=[p.tco2e for p in mine], mode="markers", name=name,
                marker={"size": 10, "color": vocab.KIND.term(kind).colour,
                        "symbol": "x-thin-open" if partial else (
                            "circle-open" if kind in {"modelled_estimate", "projected_bau"} else "circle"),
                        "line": {"width": 2, "color": vocab.KIND.term(kind).colour}},
                customdata=[plain(p.source_id) for p in mine],
                hovertemplate=fill(_("%{x}: %{y:,.0f} t CO2e, {series}<br>source: %{customdata}<extra></extra>"),
                                   series=name)))
    if line:
        traces.append(go.Scatter(
            x=[year for year, _value in line], y=[value for _year, value in line], mode="lines",
            name=_("required straight line"),
            line={"dash": "dash", "color": GREY, "width": 2},
            hovertemplate=_("%{x}: %{y:,.0f} t CO2e on the straight line<extra></extra>")))
    traces.append(go.Scatter(
        x=[baseline.year], y=[baseline.tco2e], mode="markers",
        name=_("baseline {year}").format(year=baseline.year),
        marker={"size": 16, "color": "rgba(0,0,0,0)", "line": {"width": 2, "color": OKABE_ITO["black"]}},
        hovertemplate=_("baseline %{x}: %{y:,.0f} t CO2e<extra></extra>")))
    if target.tco2e is not None:
        traces.append(go.Scatter(
            x=[target.year], y=[target.tco2e], mode="markers", name=target.legend,
            marker={"size": 16, "symbol": "star", "color": OKABE_ITO["bluish_green"]}, customdata=[plain(target.basis)],
            hovertemplate=_("target %{x}: %{y:,.0f} t CO2e<br>%{customdata}<extra></extra>")))
    years = [p.year for p in points] + [baseline.year] + ([target.year] if target.tco2e is not None else [])
    return go.Figure(traces, layout(380, yaxis={"title": {"text": _("t CO2e a year")}, "rangemode": "tozero"},
                                     xaxis=year_axis(years)))


def sources_over_time(points: list[Point], elsewhere: pl.DataFrame) -> go.Figure:
    """One city's totals by year: the mission data's inventories (by kind) and the totals it reported elsewhere
    (CDP-ICLEI), so that figures of different years and sources are seen side by side."""
    traces = []
    for kind in ("reported", "official_statistic", "modelled_estimate"):
        mine = sorted((p for p in points if p.kind == kind), key=lambda p: p.year)
        if mine:
            name = _("mission data: {kind}").format(kind=vocab.KIND.label(kind))
            traces.append(go.Scatter(
                x=[p.year for p in mine], y=[p.tco2e for p in mine], mode="markers+lines", name=name,
                line={"color": vocab.KIND.term(kind).colour, "width": 1, "dash": "dot"},
                marker={"size": 10, "color": vocab.KIND.term(kind).colour,
                        "symbol": ["x-thin-open" if p.partial else "circle" for p in mine],
                        "line": {"width": 2, "color": vocab.KIND.term(kind).colour}},
                customdata=[[plain(p.source_id), " " + _("(partial: not all sectors)") if p.partial else ""]
                            for p in mine],
                hovertemplate=fill(_("%{x}: %{y:,.0f} t CO2e%{customdata[1]}, {kind}<br>source: %{customdata[0]}"
                                     "<extra></extra>"), kind=vocab.KIND.label(kind))))
    shown = elsewhere.filter(pl.col("elsewhere_tco2e").is_not_null())
    if shown.height:
        traces.append(go.Scatter(
            x=shown["year"].to_list(), y=shown["elsewhere_tco2e"].to_list(), mode="markers",
            name=_("reported to CDP-ICLEI (self-reported, not verified)"),
            marker={"size": 13, "symbol": "diamond", "color": ELSEWHERE_COLOUR, "line": {"width": 1, "color": "black"}},
            customdata=list(zip(plains(shown["elsewhere_figure"]), plains(shown["boundary"].fill_null(_("not stated"))),
                                plains(shown["elsewhere_source"]), strict=True)),
            hovertemplate=_("%{x}: %{y:,.0f} t CO2e reported to CDP-ICLEI<br>%{customdata[0]}<br>boundary: "
                            "%{customdata[1]}<br>source: %{customdata[2]}<extra></extra>")))
    years = [p.year for p in points] + shown["year"].to_list()
    return go.Figure(traces, layout(340, yaxis={"title": {"text": _("t CO2e a year")}, "rangemode": "tozero"},
                                     xaxis=year_axis(years)))


@chart("city-inventory", CityParams.parse)
def city_inventory(chosen: CityParams) -> ChartExport:
    """A city's baseline by sector and scope, one level per sector (inventory.inventory_view)."""
    city = chosen.with_baseline()
    baseline = city.baseline
    rows = queries.inventory(city.city_id, baseline.year, baseline.kind)
    view = inventory.inventory_view(rows)
    kind = vocab.KIND.label(baseline.kind, baseline.kind)
    values = {"city": city.name, "year": baseline.year, "total": tonnes(view.total), "kind": kind}
    summary = (_("{city}'s {year} baseline is {total} CO2e ({kind}); the largest sector is {largest}.").format(
        largest=view.largest_words(), **values) if view.rows.height
        else _("{city}'s {year} baseline is {total} CO2e ({kind}).").format(**values))
    data = view.rows.select(pl.lit(city.name).alias("city"), pl.lit(baseline.year).alias("year"),
                            "sector", "scope", "tco2e", pl.lit(_("t CO2e")).alias("unit"), "kind", "source_id", "ref")
    return ChartExport("baseline", city.name,
                       _("{city}: baseline {year} by sector and scope").format(city=city.name, year=baseline.year),
                       _("t CO2e"), inventory_bars(view.rows), data, summary,
                       notes=(*grade_note(city.city_id), *view.notes))


@chart("city-pathway", CityParams.parse)
def city_pathway(chosen: CityParams) -> ChartExport:
    """A city's inventories, baseline, straight line and target to 2030 (city.pathway)."""
    city = chosen.with_baseline()
    facts = pathway(city, queries.city_totals())
    rows = [{"series": _("inventory (partial)") if p.partial else _("inventory"), "year": p.year, "tco2e": p.tco2e,
             "kind": p.kind, "source_id": p.source_id, "note": ""} for p in facts.points]
    rows += [{"series": _("required straight line"), "year": y, "tco2e": v, "kind": "computed", "source_id": None,
              "note": _("from the baseline to the target")} for y, v in facts.line]
    if facts.target.tco2e is not None:
        rows.append({"series": facts.target.series, "year": facts.target.year, "tco2e": facts.target.tco2e,
                     "kind": "computed", "source_id": facts.target.source_id, "note": facts.target.basis})
    data = pl.DataFrame(rows, schema={"series": pl.Utf8, "year": pl.Int32, "tco2e": pl.Float64, "kind": pl.Utf8,
                                      "source_id": pl.Utf8, "note": pl.Utf8}).with_columns(
        pl.lit(_("t CO2e a year")).alias("unit"))
    return ChartExport("pathway", city.name, _("{city}: 2030 pathway").format(city=city.name), _("t CO2e a year"),
                       pathway_chart(facts.points, facts.baseline, facts.target, facts.line), data,
                       facts.sentence + (f" {facts.position}" if facts.position else ""),
                       notes=grade_note(city.city_id))


@chart("city-sources", CityParams.parse)
def city_sources(chosen: CityParams) -> ChartExport:
    """A city's totals in the mission data beside those it reported elsewhere (CDP-ICLEI), with the differences."""
    city = chosen.city
    compared = quality.comparisons().filter(pl.col("city_id") == city.city_id)
    if not compared.height:
        raise UnknownChart(f"{city.name} has no total reported elsewhere")
    totals = with_partial(queries.city_totals().filter(pl.col("city_id") == city.city_id))
    points = [Point(r["year"], r["tco2e"], r["kind"], r["source_id"], r["partial"])
              for r in totals.filter(pl.col("kind") != "projected_bau").iter_rows(named=True)]
    mission = totals.filter(pl.col("kind") != "projected_bau").select(
        pl.lit(_("mission data")).alias("series"), "year", "tco2e", "kind", "source_id",
        pl.when(pl.col("partial")).then(pl.lit(_("partial: not all sectors"))).otherwise(pl.col("method"))
        .alias("what"))
    elsewhere = compared.select(
        pl.lit("CDP-ICLEI").alias("series"), "year", pl.col("elsewhere_tco2e").alias("tco2e"),
        pl.lit("reported").alias("kind"), pl.col("elsewhere_source").alias("source_id"),
        pl.col("elsewhere_figure").alias("what"), "boundary", "protocol", "gases",
        pl.col("mission_year").alias("compared_with_year"), pl.col("mission_tco2e").alias("compared_with_tco2e"),
        "difference_pct", pl.col("disagrees").alias("beyond_threshold"), "note")
    data = pl.concat([mission, elsewhere], how="diagonal_relaxed").with_columns(
        pl.lit(_("t CO2e a year")).alias("unit"))
    notes = (*grade_note(city.city_id), _(quality.CAVEAT))
    return ChartExport("sources_compared", city.name, _("{city}: totals by source").format(city=city.name),
                       _("t CO2e a year"),
                       sources_over_time(points, compared), data, quality.summary(compared, city.name),
                       notes=notes)
