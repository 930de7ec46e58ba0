"""The twinning network: pairs of cities named in the sources, on the offline map."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

import vocab
from mission import queries
from mission.charts import ChartExport, chart
from mission.charts.theme import (
    europe_geo,
    layout,
    plains,
)
from vocab import OKABE_ITO


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
    geo = europe_geo(fitbounds="locations")
    return go.Figure(traces, layout(460, geo=geo, margin={"l": 0, "r": 0, "t": 30, "b": 0},
                                     legend={"itemsizing": "constant"}))


@chart("twinning")
def twin_network(_: None) -> ChartExport:
    """The twinning pairs named in the sources."""
    links = queries.twin_links()
    data = links.select("city", "country_iso2", "partner", "partner_country_iso2", "programme_cohort", "inferred",
                        "partner_text", pl.lit("pairs").alias("unit"),
                        pl.lit("official_announcement").alias("kind"), "source_id")
    summary = (f"{links.height} twinning pairs named in the sources, between {links['city_id'].n_unique()} "
               f"newcomer cities and {links['partner_city_id'].n_unique()} partner cities.")
    return ChartExport("twinning", "mission", "Peer-learning network: twinning pairs", "pairs",
                       twin_map(links), data, summary)
