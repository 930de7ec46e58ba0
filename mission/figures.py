"""Plotly figures from frames: the same figure serves the page and the exports. Pure: no queries, no Dash."""

from __future__ import annotations

import html
import math

import numpy as np
import plotly.graph_objects as go
import polars as pl

import vocab
from mission.overview import METRICS
from mission.pathways import Point, Target
from mission.words import tonnes
from vocab import GREY, OKABE_ITO

COLOURWAY = [OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion", "sky_blue",
                                    "reddish_purple", "yellow", "black")]
ELSEWHERE_COLOUR = OKABE_ITO["reddish_purple"]
# Viridis is perceptually uniform and readable in grey and with colour-vision deficiencies.
CONTINUOUS_SCALE = "Viridis"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
# The country outlines are served by the app itself (assets/topojson): plotly's default is a CDN.
TOPOJSON_URL = "/assets/topojson/"
EUROPE_LAT = (27.0, 71.0)
EUROPE_LON = (-25.0, 45.0)


_GRID = {"gridcolor": "#E5E8EC", "zerolinecolor": "#C8CDD2", "linecolor": "#C8CDD2", "automargin": True}
# A small template of our own: plotly's "plotly_white" is deep-copied into every figure (about 6 ms each).
TEMPLATE = go.layout.Template(layout={
    "colorway": COLOURWAY, "font": {"family": FONT, "size": 13, "color": "#212529"},
    "paper_bgcolor": "white", "plot_bgcolor": "white", "xaxis": _GRID, "yaxis": _GRID,
    "hoverlabel": {"font": {"family": FONT}}, "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
})


def plain(value: object) -> str:
    """Text from the data as plotly must show it: literally. Plotly reads <b>, <br> and <a href> in labels, hover
    text and custom data, so a name like '<b>x</b>' would be drawn bold; escaped, it is drawn as written."""
    return "" if value is None else html.escape(str(value), quote=False)


def plains(values) -> list[str]:
    return [plain(v) for v in values]


def _layout(height: int, **extra) -> dict:
    """The layout every figure shares; figures are built in one go (each plotly update re-validates)."""
    return {"template": TEMPLATE, "height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10}, **extra}


def year_axis(years: list[int]) -> dict:
    """An x axis of whole years that labels every year shown: a tick each year, 2 or 5 years as the span grows,
    and half a year of room either side so no point sits on the edge."""
    if not years:
        return {"dtick": 5}
    lo, hi = min(years), max(years)
    span = hi - lo
    return {"dtick": 1 if span <= 6 else 2 if span <= 14 else 5, "range": [lo - 0.5, hi + 0.5]}


def _hover(row: dict) -> str:
    population = f"{row['population']:,}" if row["population"] else "unknown"
    lines = [f"<b>{plain(row['name'])}</b> ({plain(row['country'])})", vocab.STAGE.label(row["stage"]),
             f"Population: {population}" + (f" ({row['population_year']})" if row.get("population_year") else "")]
    if row["label_date"] is not None:
        lines.append(f"Mission Label: {row['label_date']:%B %Y} (wave {row['wave']})")
    if row["baseline_tco2e"] is not None:
        lines.append(f"Baseline {row['baseline_year']}: {tonnes(row['baseline_tco2e'])} CO2e, "
                     f"{vocab.KIND.label(row['baseline_kind'], row['baseline_kind'])}")
    else:
        lines.append("No baseline")
    if row.get("grade"):
        lines.append(f"Data quality grade {row['grade']}")
    if row["per_capita_t"] is not None:
        lines.append(f"Per capita: {row['per_capita_t']:.1f} t CO2e")
    if row["required_rate_pct"] is not None:
        lines.append(f"Required cut: {row['required_rate_pct']:.1f}% a year to 2030")
    lines.append("Click to open the city's profile")
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
                        else f"grade {category}" if category != "none" else "no grade")
                traces.append(trace(subset, name, color=colour))
    else:
        known = [r for r in rows if r[metric.column] is not None]
        missing = [r for r in rows if r[metric.column] is None]
        if known:
            values = [r[metric.column] for r in known]
            traces.append(trace(known, metric.label, color=values, colorscale=CONTINUOUS_SCALE,
                                showscale=True, colorbar={"title": {"text": metric.unit, "side": "right"},
                                                          "thickness": 12, "len": 0.8}))
        if missing:
            traces.append(trace(missing, "no value", color=GREY))
    # Europe's outlines (assets/topojson/europe_50m.json) cover 0-90N, 30W-60E: Eilat and Reykjavik included.
    geo = {"scope": "europe", "resolution": 50, "projection": {"type": "mercator"}, "showcountries": True,
           "countrycolor": "#BBBBBB", "showland": True, "landcolor": "#F4F4F2", "showocean": True,
           "oceancolor": "#EAF2F8", "showlakes": False, "showframe": False,
           "lataxis": {"range": list(EUROPE_LAT)}, "lonaxis": {"range": list(EUROPE_LON)}}
    if rows and len({r["country_iso2"] for r in rows}) <= 3:
        geo.update(around([r["lat"] for r in rows], [r["lon"] for r in rows]))
    return go.Figure(traces, _layout(520, geo=geo, margin={"l": 0, "r": 0, "t": 30, "b": 0}, clickmode="event",
                                     legend={"itemsizing": "constant"}))


def around(lats: list[float], lons: list[float], min_lat: float = 5.0, min_lon: float = 8.0,
           aspect: float = 1.4) -> dict:
    """Map axis ranges that zoom to the points with a margin, never narrower than a region: one city alone is
    shown among its neighbours, not as a dot in a blank square of land (as plotly's fitbounds does). The view is
    at least `aspect` times as wide as high on the (Mercator) map, to fill a chart card; it is kept within the
    bundled outlines (0-90N, 30W-60E)."""
    def span(lo: float, hi: float, minimum: float, bounds: tuple[float, float]) -> list[float]:
        pad = max((hi - lo) * 0.15, 0.5)
        lo, hi = lo - pad, hi + pad
        if hi - lo < minimum:
            middle = (lo + hi) / 2
            lo, hi = middle - minimum / 2, middle + minimum / 2
        return [max(lo, bounds[0]), min(hi, bounds[1])]

    lat = span(min(lats), max(lats), min_lat, (0.0, 90.0))
    wide = (lat[1] - lat[0]) * aspect / math.cos(math.radians((lat[0] + lat[1]) / 2))
    return {"lataxis": {"range": lat}, "lonaxis": {"range": span(min(lons), max(lons), max(min_lon, wide),
                                                                 (-30.0, 60.0))}}


def label_pipeline(pipeline: pl.DataFrame, mission_cities: int) -> go.Figure:
    """Mission Labels per wave and their running total against the Mission Cities on screen."""
    if not pipeline.height:
        return message_figure("No city shown has the Mission Label" if mission_cities else
                              "No Mission City among the cities shown", 320)
    dates = pipeline["label_date"].to_list()
    when = [f"{d:%B %Y}" if p == "month" else f"{d:%d %B %Y}"
            for d, p in zip(dates, pipeline["date_precision"], strict=True)]
    traces = [
        go.Bar(x=dates, y=pipeline["labels"].to_list(), name="labels in the wave", marker_color=COLOURWAY[0],
               customdata=list(zip(pipeline["wave"], when, plains(pipeline["cities"]), strict=True)),
               hovertemplate="Wave %{customdata[0]} (%{customdata[1]}): %{y} labels<br>%{customdata[2]}"
                             "<extra></extra>"),
        go.Scatter(x=dates, y=pipeline["cumulative"].to_list(), name="labelled so far", mode="lines+markers",
                   line={"shape": "hv", "color": COLOURWAY[1], "width": 3},
                   hovertemplate="%{y} labelled by %{x|%B %Y}<extra></extra>"),
    ]
    shapes, notes = [], []
    if mission_cities:
        shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": mission_cities, "y1": mission_cities,
                       "line": {"dash": "dash", "color": GREY}})
        notes.append({"xref": "paper", "x": 0, "y": mission_cities, "yanchor": "bottom", "xanchor": "left",
                      "showarrow": False, "text": f"{mission_cities} Mission Cities"})
    top = max(mission_cities, *(pipeline["cumulative"].to_list() or [0])) * 1.12 + 1
    return go.Figure(traces, _layout(320, shapes=shapes, annotations=notes, bargap=0.5,
                                     yaxis={"title": {"text": "cities"}, "range": [0, top]}))


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
                hovertemplate="%{y}, " + vocab.SCOPE.label(scope) + ": %{x:,.0f} t CO2e<br>%{customdata[2]}"
                              "<br>source: %{customdata[0]}, %{customdata[1]}<extra></extra>"))
    return go.Figure(traces, _layout(max(220, 60 + 34 * rows["sector"].n_unique()), barmode="relative",
                                     xaxis={"title": {"text": "t CO2e"}}, yaxis={"autorange": "reversed"}))


def pathway(points: list[Point], baseline: Point, target: Target, line: list[tuple[int, float]]) -> go.Figure:
    """The 2030 pathway: inventories, the baseline, the straight line to the target and the target itself."""
    traces = []
    for kind in ("reported", "official_statistic", "modelled_estimate", "projected_bau"):
        for partial in (False, True):
            mine = [p for p in points if p.kind == kind and p.partial == partial]
            if not mine:
                continue
            name = vocab.KIND.label(kind) + (" (partial: not all sectors)" if partial else "")
            traces.append(go.Scatter(
                x=[p.year for p in mine], y=[p.tco2e for p in mine], mode="markers", name=name,
                marker={"size": 10, "color": vocab.KIND.term(kind).colour,
                        "symbol": "x-thin-open" if partial else (
                            "circle-open" if kind in {"modelled_estimate", "projected_bau"} else "circle"),
                        "line": {"width": 2, "color": vocab.KIND.term(kind).colour}},
                customdata=[plain(p.source_id) for p in mine],
                hovertemplate="%{x}: %{y:,.0f} t CO2e, " + name + "<br>source: %{customdata}<extra></extra>"))
    if line:
        traces.append(go.Scatter(
            x=[y for y, _ in line], y=[v for _, v in line], mode="lines", name="required straight line",
            line={"dash": "dash", "color": GREY, "width": 2},
            hovertemplate="%{x}: %{y:,.0f} t CO2e on the straight line<extra></extra>"))
    traces.append(go.Scatter(
        x=[baseline.year], y=[baseline.tco2e], mode="markers", name=f"baseline {baseline.year}",
        marker={"size": 16, "color": "rgba(0,0,0,0)", "line": {"width": 2, "color": OKABE_ITO["black"]}},
        hovertemplate="baseline %{x}: %{y:,.0f} t CO2e<extra></extra>"))
    if target.tco2e is not None:
        traces.append(go.Scatter(
            x=[target.year], y=[target.tco2e], mode="markers", name=target.legend,
            marker={"size": 16, "symbol": "star", "color": OKABE_ITO["bluish_green"]}, customdata=[plain(target.basis)],
            hovertemplate="target %{x}: %{y:,.0f} t CO2e<br>%{customdata}<extra></extra>"))
    years = [p.year for p in points] + [baseline.year] + ([target.year] if target.tco2e is not None else [])
    return go.Figure(traces, _layout(380, yaxis={"title": {"text": "t CO2e a year"}, "rangemode": "tozero"},
                                     xaxis=year_axis(years)))


def _flag_words(flags: list[str]) -> str:
    return "; ".join(vocab.FLAG.short(f) for f in flags) if flags else ""


def message_figure(text: str, height: int = 300) -> go.Figure:
    """A blank chart area that says why there is nothing to draw."""
    return go.Figure(layout=_layout(height, xaxis={"visible": False}, yaxis={"visible": False}, annotations=[
        {"text": text, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5, "showarrow": False,
         "font": {"size": 15, "color": "#6C757D"}}]))


def macc_chart(curve: pl.DataFrame) -> go.Figure:
    """Cost-effectiveness curve: actions cheapest first, bar width = annual reduction, height = EUR per tonne.

    Flagged actions are drawn with a hatched pattern and named in the hover."""
    traces = []
    for field, colour in vocab.FIELD.colours().items():
        part = curve.filter(pl.col("field_of_action") == field)
        if not part.height:
            continue
        flagged = (part["flags"].list.len() > 0).to_numpy()
        traces.append(go.Bar(
            x=((part["x0"] + part["x1"]) / 2).to_numpy(), width=part["annual_tco2e"].to_numpy(),
            y=part["cost_per_t"].to_numpy(), name=vocab.FIELD.label(field), marker_color=colour,
            marker_line={"color": "white", "width": 0.5},
            marker_pattern_shape=np.where(flagged, "/", ""),
            # A numpy array: plotly validates nested lists element by element (about 20 ms for 700 actions).
            customdata=np.array([[plain(r["action_name"]), plain(r["city"]), tonnes(r["annual_tco2e"]),
                                  f"{r['cost_eur']:,.0f}", plain(r["source_id"]), plain(r["ref"]),
                                  _flag_words(r["flags"])]
                                 for r in part.iter_rows(named=True)], dtype=object),
            hovertemplate="<b>%{customdata[0]}</b> (%{customdata[1]})<br>%{y:,.0f} EUR per t CO2e"
                          "<br>%{customdata[2]} CO2e a year, cost EUR %{customdata[3]}"
                          "<br>%{customdata[6]}<br>source: %{customdata[4]}, %{customdata[5]}<extra></extra>"))
    return go.Figure(traces, _layout(
        420, bargap=0, xaxis={"title": {"text": "cumulative reduction, t CO2e a year"}},
        yaxis={"title": {"text": "EUR per t CO2e (log scale)"}, "type": "log", "dtick": 1}))


def cobenefit_heatmap(matrix: pl.DataFrame, value: str = "actions") -> go.Figure:
    """Co-benefits (rows) x fields of action (columns): number of actions or their summed annual reduction."""
    rows = sorted(set(matrix["cobenefit"]), key=lambda k: vocab.COBENEFIT.label(k, k))
    cols = [f for f in vocab.FIELD.labels() if f in set(matrix["field_of_action"])]
    cells = {(r["cobenefit"], r["field_of_action"]): r[value] for r in matrix.iter_rows(named=True)}
    z = [[cells.get((r, c)) for c in cols] for r in rows]
    text = [[("" if v is None else (f"{v:,}" if value == "actions" else tonnes(v))) for v in line] for line in z]
    unit, hover_unit = ("actions", "actions") if value == "actions" else ("t CO2e a year", "CO2e a year")
    return go.Figure(go.Heatmap(
        z=z, x=[vocab.FIELD.label(c) for c in cols], y=[vocab.COBENEFIT.label(r, r) for r in rows], text=text,
        texttemplate="%{text}", colorscale=CONTINUOUS_SCALE, colorbar={"title": {"text": unit}, "thickness": 12},
        hovertemplate="%{y} in %{x}: %{text} " + hover_unit + "<extra></extra>", xgap=2, ygap=2),
        _layout(max(300, 60 + 28 * len(rows)), xaxis={"side": "top"}, yaxis={"autorange": "reversed"},
                margin={"l": 10, "r": 10, "t": 60, "b": 10}))


def sankey(links: pl.DataFrame) -> go.Figure:
    """Field of action -> lever -> co-benefit, each link as wide as the number of actions that make it."""
    words = {"field": vocab.FIELD.labels(), "lever": vocab.LEVER.labels(), "cobenefit": vocab.COBENEFIT.labels()}
    colours = {"field": OKABE_ITO["blue"], "lever": OKABE_ITO["orange"], "cobenefit": OKABE_ITO["bluish_green"]}
    nodes: dict[tuple[str, str], int] = {}
    for kind, key in [*zip(links["source_kind"], links["source"], strict=True),
                      *zip(links["target_kind"], links["target"], strict=True)]:
        nodes.setdefault((kind, key), len(nodes))
    labels = [words[k].get(key, key) + (" (lever)" if k == "lever" else "") for k, key in nodes]
    return go.Figure(go.Sankey(
        arrangement="snap",
        node={"label": labels, "color": [colours[k] for k, _ in nodes], "pad": 12, "thickness": 14},
        link={"source": [nodes[(k, s)] for k, s in zip(links["source_kind"], links["source"], strict=True)],
              "target": [nodes[(k, t)] for k, t in zip(links["target_kind"], links["target"], strict=True)],
              "value": links["actions"].to_list(), "color": "rgba(140,140,140,0.25)",
              "hovertemplate": "%{source.label} -> %{target.label}: %{value} actions<extra></extra>"}),
        _layout(520))


def waterfall_chart(steps: list, target: float | None, target_label: str) -> go.Figure:
    """Baseline, each field's planned annual reduction, what is left; the 2030 target as a line."""
    fig = go.Figure(go.Waterfall(
        x=[plain(s.label) for s in steps], y=[s.tco2e for s in steps], measure=[s.measure for s in steps],
        decreasing={"marker": {"color": OKABE_ITO["bluish_green"]}},
        increasing={"marker": {"color": OKABE_ITO["vermillion"]}},
        totals={"marker": {"color": OKABE_ITO["blue"]}}, connector={"line": {"color": GREY}},
        text=[tonnes(abs(s.tco2e)) for s in steps], textposition="outside",
        hovertemplate="%{x}: %{y:,.0f} t CO2e<extra></extra>"), _layout(
        400, yaxis={"title": {"text": "t CO2e a year"}, "rangemode": "tozero"}, showlegend=False))
    if target is not None:
        fig.add_hline(y=target, line_dash="dash", line_color=OKABE_ITO["black"],
                      annotation_text=target_label, annotation_position="top right")
    return fig


def lever_heatmap(coverage: pl.DataFrame) -> go.Figure:
    """Fields x levers: actions per cell; a zero is a lever the portfolio leaves unused in that field."""
    fields = [f for f in vocab.FIELD.labels() if f in set(coverage["field_of_action"])]
    levers = list(vocab.LEVER.labels())
    cells = {(r["field_of_action"], r["lever"]): r["actions"] for r in coverage.iter_rows(named=True)}
    z = [[cells.get((f, lever), 0) for lever in levers] for f in fields]
    text = [["unused" if v == 0 else str(v) for v in line] for line in z]
    return go.Figure(go.Heatmap(
        z=z, x=[vocab.LEVER.label(lever) for lever in levers], y=[vocab.FIELD.label(f) for f in fields], text=text,
        texttemplate="%{text}", colorscale=[[0, "#F2F2F2"], [0.0001, "#DCEBF5"], [1, OKABE_ITO["blue"]]],
        showscale=False, xgap=2, ygap=2, hovertemplate="%{y} x %{x}: %{text}<extra></extra>"),
        _layout(max(220, 80 + 34 * len(fields)), xaxis={"side": "top", "tickangle": -30},
                yaxis={"autorange": "reversed"}, margin={"l": 10, "r": 10, "t": 90, "b": 10}))


def scenario_chart(results: dict, baseline: Point, target: Target) -> go.Figure:
    """2030 emissions of each scenario against the baseline and the target."""
    keys = list(results)
    fig = go.Figure(go.Bar(
        x=[f"Scenario {k.upper()}" for k in keys], y=[results[k].emissions_2030 for k in keys],
        marker_color=[COLOURWAY[i % len(COLOURWAY)] for i in range(len(keys))],
        text=[tonnes(results[k].emissions_2030) for k in keys], textposition="outside",
        hovertemplate="%{x}: %{y:,.0f} t CO2e a year in 2030<extra></extra>"),
        _layout(380, showlegend=False, yaxis={"title": {"text": "t CO2e a year"}, "rangemode": "tozero"}))
    fig.add_hline(y=baseline.tco2e, line_dash="dot", line_color=GREY,
                  annotation_text=f"baseline {baseline.year}", annotation_position="top left")
    if target.tco2e is not None:
        fig.add_hline(y=target.tco2e, line_dash="dash", line_color=OKABE_ITO["black"],
                      annotation_text=target.label,
                      annotation_position="bottom left")
    return fig


def strip(frame: pl.DataFrame, column: str, unit: str, highlight: str, label: str) -> go.Figure:
    """Every Mission City's value as a dot on one line, the highlighted country's cities in colour and named."""
    mission = frame.filter((pl.col("cohort") == "mission") & pl.col(column).is_not_null())
    mine = mission.filter(pl.col("country_iso2") == highlight)
    rest = mission.filter(pl.col("country_iso2") != highlight)
    # A fixed jitter per city (from its id) keeps the picture the same on every load.
    def jitter(ids: list[str]) -> list[float]:
        return [(sum(map(ord, i)) % 17) / 17 - 0.5 for i in ids]

    traces = [
        go.Scatter(x=rest[column].to_list(), y=jitter(rest["city_id"].to_list()), mode="markers",
                   name="other Mission Cities", marker={"color": "#BDBDBD", "size": 8},
                   text=[f"{plain(n)} ({c})" for n, c in zip(rest["name"], rest["country_iso2"], strict=True)],
                   hovertemplate="%{text}: %{x:.1f} " + unit + "<extra></extra>"),
        go.Scatter(x=mine[column].to_list(), y=jitter(mine["city_id"].to_list()), mode="markers",
                   name=label, marker={"color": OKABE_ITO["vermillion"], "size": 12,
                                       "line": {"color": "black", "width": 1}},
                   text=plains(mine["name"]), hovertemplate="%{text}: %{x:.1f} " + unit + "<extra></extra>"),
    ]
    return go.Figure(traces, _layout(240, xaxis={"title": {"text": unit}}, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                                     yaxis={"visible": False, "range": [-1, 1]}))


def national_trend(national: pl.DataFrame, by_year: pl.DataFrame) -> go.Figure:
    """The national total by year (line) and the Mission Cities' summed baselines at their inventory years (bars)."""
    if not national.height and not by_year.height:
        return message_figure("No national figures and no Mission City baseline in the warehouse", 360)
    traces = [go.Scatter(
        x=national["year"].to_list(), y=national["total_ghg_mt_co2e"].to_list(), mode="lines",
        name="national total (official statistic)", line={"color": OKABE_ITO["blue"], "width": 3},
        hovertemplate="%{x}: %{y:,.1f} Mt CO2e, national total (Jones et al. via Our World in Data)<extra></extra>")]
    for kind in ("reported", "modelled_estimate"):
        part = by_year.filter(pl.col("baseline_kind") == kind)
        if part.height:
            traces.append(go.Bar(
                x=part["baseline_year"].to_list(), y=part["mt"].to_list(), name=f"Mission Cities' baselines, "
                f"{vocab.KIND.label(kind)}", marker_color=vocab.KIND.term(kind).colour, customdata=plains(part["name"]),
                hovertemplate="%{x}: %{y:,.2f} Mt CO2e<br>%{customdata}<extra></extra>"))
    return go.Figure(traces, _layout(360, barmode="stack", yaxis={"title": {"text": "Mt CO2e a year"},
                                                                  "rangemode": "tozero"}))


# EU member state, associated country, membership not recorded in the warehouse.
MEMBERSHIP_COLOURS = {True: OKABE_ITO["blue"], False: OKABE_ITO["orange"], None: GREY}


def country_bars(table: pl.DataFrame, column: str, label: str, unit: str) -> go.Figure:
    """The countries ranked on one measure; each bar carries its country code for the click-through."""
    shown = table.filter(pl.col(column).is_not_null()).sort(column, descending=True)
    digits = 0 if shown.schema[column].is_integer() else 1
    return go.Figure(go.Bar(
        x=plains(shown["name"]), y=shown[column].to_list(), customdata=shown["country_iso2"].to_list(),
        marker_color=[MEMBERSHIP_COLOURS[eu] for eu in shown["eu_member"]],
        hovertemplate="%{x}: %{y:,." + str(digits) + "f} " + unit + "<br>click to open the country<extra></extra>"),
        _layout(380, yaxis={"title": {"text": f"{label} ({unit})" if unit else label}},
                xaxis={"tickangle": -45}, showlegend=False))


def twin_map(links: pl.DataFrame) -> go.Figure:
    """Twinning pairs as lines between the two cities (dashed where the pairing is inferred), on the offline map."""
    traces = []
    for inferred, dash in ((False, "solid"), (True, "dot")):
        part = links.filter(pl.col("inferred") == inferred)
        if not part.height:
            continue
        lat, lon = [], []
        for r in part.iter_rows(named=True):
            lat += [r["lat"], r["partner_lat"], None]
            lon += [r["lon"], r["partner_lon"], None]
        traces.append(go.Scattergeo(lat=lat, lon=lon, mode="lines", hoverinfo="skip",
                                    name="twinning pair" + (" (inferred by the source)" if inferred else ""),
                                    line={"width": 2, "color": OKABE_ITO["reddish_purple"], "dash": dash}))
    ends = pl.concat([
        links.select("city_id", pl.col("city").alias("name"), "country_iso2", "cohort", "lat", "lon"),
        links.select(pl.col("partner_city_id").alias("city_id"), pl.col("partner").alias("name"),
                     pl.col("partner_country_iso2").alias("country_iso2"), pl.col("partner_cohort").alias("cohort"),
                     pl.col("partner_lat").alias("lat"), pl.col("partner_lon").alias("lon"))]).unique("city_id")
    for cohort, colour, label in ((t.code, t.colour, t.label) for t in vocab.COHORT):
        part = ends.filter(pl.col("cohort") == cohort).sort("name")
        if part.height:
            traces.append(go.Scattergeo(
                lat=part["lat"].to_list(), lon=part["lon"].to_list(), mode="markers", name=label,
                customdata=part["city_id"].to_list(), text=plains(part["name"]),
                marker={"size": 10, "color": colour, "line": {"width": 1, "color": "white"}},
                hovertemplate="%{text} (" + label + ")<extra></extra>"))
    geo = {"scope": "europe", "resolution": 50, "projection": {"type": "mercator"}, "showcountries": True,
           "countrycolor": "#BBBBBB", "showland": True, "landcolor": "#F4F4F2", "showocean": True,
           "oceancolor": "#EAF2F8", "showframe": False, "fitbounds": "locations"}
    return go.Figure(traces, _layout(460, geo=geo, margin={"l": 0, "r": 0, "t": 30, "b": 0},
                                     legend={"itemsizing": "constant"}))


def sources_over_time(points: list[Point], elsewhere: pl.DataFrame) -> go.Figure:
    """One city's totals by year: the mission data's inventories (by kind) and the totals it reported elsewhere
    (CDP-ICLEI), so that figures of different years and sources are seen side by side."""
    traces = []
    for kind in ("reported", "official_statistic", "modelled_estimate"):
        mine = sorted((p for p in points if p.kind == kind), key=lambda p: p.year)
        if mine:
            name = f"mission data: {vocab.KIND.label(kind)}"
            traces.append(go.Scatter(
                x=[p.year for p in mine], y=[p.tco2e for p in mine], mode="markers+lines", name=name,
                line={"color": vocab.KIND.term(kind).colour, "width": 1, "dash": "dot"},
                marker={"size": 10, "color": vocab.KIND.term(kind).colour,
                        "symbol": ["x-thin-open" if p.partial else "circle" for p in mine],
                        "line": {"width": 2, "color": vocab.KIND.term(kind).colour}},
                customdata=[[plain(p.source_id), " (partial: not all sectors)" if p.partial else ""] for p in mine],
                hovertemplate="%{x}: %{y:,.0f} t CO2e%{customdata[1]}, " + vocab.KIND.label(kind)
                              + "<br>source: %{customdata[0]}<extra></extra>"))
    shown = elsewhere.filter(pl.col("elsewhere_tco2e").is_not_null())
    if shown.height:
        traces.append(go.Scatter(
            x=shown["year"].to_list(), y=shown["elsewhere_tco2e"].to_list(), mode="markers",
            name="reported to CDP-ICLEI (self-reported, not verified)",
            marker={"size": 13, "symbol": "diamond", "color": ELSEWHERE_COLOUR, "line": {"width": 1, "color": "black"}},
            customdata=list(zip(plains(shown["elsewhere_figure"]), plains(shown["boundary"].fill_null("not stated")),
                                plains(shown["elsewhere_source"]), strict=True)),
            hovertemplate="%{x}: %{y:,.0f} t CO2e reported to CDP-ICLEI<br>%{customdata[0]}<br>boundary: "
                          "%{customdata[1]}<br>source: %{customdata[2]}<extra></extra>"))
    years = [p.year for p in points] + shown["year"].to_list()
    return go.Figure(traces, _layout(340, yaxis={"title": {"text": "t CO2e a year"}, "rangemode": "tozero"},
                                     xaxis=year_axis(years)))


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
    return go.Figure(traces, _layout(max(260, 60 + 22 * len(labels)), shapes=[band],
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
    return go.Figure(traces, _layout(300, barmode="group", yaxis={"title": {"text": "cities"}},
                                     xaxis={"title": {"text": "data quality grade"}}))
