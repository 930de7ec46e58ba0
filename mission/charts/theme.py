"""The look every chart shares: the palette (from vocab.py), a template, escaped text, year axes, the offline map
of Europe and the figure that says why there is nothing to draw."""

from __future__ import annotations

import datetime as dt
import html
import math
import re

import plotly.graph_objects as go

import i18n
from vocab import OKABE_ITO

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


# A `{name}` of the dashboard's own in a plotly template; plotly's placeholders are `%{...}`.
_OWN_PLACEHOLDER = re.compile(r"(?<!%)\{([a-z_0-9]+)\}")


def fill(template: str, **values: object) -> str:
    """A (translated) plotly template with the dashboard's values put in its `{name}` placeholders, plotly's own
    `%{...}` ones left for plotly (str.format would read them as its own): `fill(_("%{x}: %{y:,.0f} t CO2e,
    {kind}<extra></extra>"), kind=label)`."""
    return _OWN_PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)


def layout(height: int, **extra) -> dict:
    """The layout every figure shares, with the reader's decimal and thousands signs; figures are built in one go
    (each plotly update re-validates)."""
    return {"template": TEMPLATE, "height": height, "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
            "separators": i18n.separators(), **extra}


def year_axis(years: list[int]) -> dict:
    """An x axis of whole years that labels every year shown: a tick each year, 2 or 5 years as the span grows,
    and half a year of room either side so no point sits on the edge."""
    if not years:
        return {"dtick": 5}
    lo, hi = min(years), max(years)
    span = hi - lo
    return {"dtick": 1 if span <= 6 else 2 if span <= 14 else 5, "range": [lo - 0.5, hi + 0.5]}


def message_figure(text: str, height: int = 300) -> go.Figure:
    """A blank chart area that says why there is nothing to draw."""
    return go.Figure(layout=layout(height, xaxis={"visible": False}, yaxis={"visible": False}, annotations=[
        {"text": text, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5, "showarrow": False,
         "font": {"size": 15, "color": "#6C757D"}}]))


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


def europe_geo(**extra) -> dict:
    """The offline map of Europe every map draws on (outlines from assets/topojson, which cover 0-90N, 30W-60E:
    Eilat and Reykjavik included), with `extra` settings of one map."""
    return {"scope": "europe", "resolution": 50, "projection": {"type": "mercator"}, "showcountries": True,
            "countrycolor": "#BBBBBB", "showland": True, "landcolor": "#F4F4F2", "showocean": True,
            "oceancolor": "#EAF2F8", "showframe": False, **extra}


def date_axis(days: list) -> dict:
    """A date axis whose ticks (each January and July) are labelled in the reader's language: plotly names months in
    English in the exported PNG, whatever the page's locale."""
    if not days:
        return {}
    first, last = min(days), max(days)
    ticks, year, month = [], first.year, 1 if first.month <= 1 else 7 if first.month <= 7 else 13
    if month == 13:
        year, month = year + 1, 1
    while dt.date(year, month, 1) <= last:
        ticks.append(dt.date(year, month, 1))
        year, month = (year, 7) if month == 1 else (year + 1, 1)
    return {"tickvals": ticks, "ticktext": [i18n.date(d, "short_month") for d in ticks]}
