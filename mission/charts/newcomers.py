"""Cities on their way: the tiers across Europe and by country, the cities on the map by tier, and the twinning
network (pairs of cities named in the sources)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

import vocab
from mission import queries, tiers
from mission.charts import ChartExport, chart
from mission.charts.theme import (
    europe_geo,
    layout,
    plains,
)
from mission.words import plural
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


# --- the tiers across Europe --------------------------------------------------------------------------------------
def tier_filters(params: dict) -> tiers.Filters:
    return tiers.Filters.from_query(params)


COUNTRIES_DRAWN = 20  # the bar chart's countries (the most cities first); the CSV holds them all


@chart("newcomers-tiers", parse=tier_filters)
def tiers_by_country(chosen: tiers.Filters) -> ChartExport:
    """Cities per country and tier (the filters' cities), as stacked bars."""
    shown = chosen.apply(tiers.table())
    per = tiers.counts(shown, by="country").group_by("country", "tier").agg(pl.col("cities").sum())
    order = (per.group_by("country").agg(pl.col("cities").sum()).sort(["cities", "country"], descending=[True, False])
             ["country"].to_list())
    drawn = order[:COUNTRIES_DRAWN][::-1]
    traces = [go.Bar(y=drawn, x=[dict(zip(part["country"], part["cities"], strict=True)).get(c, 0) for c in drawn],
                     orientation="h", name=term.label, marker={"color": term.colour},
                     hovertemplate="%{y}: %{x:,} cities<extra>" + term.label + "</extra>")
              for term in vocab.TIER if (part := per.filter(pl.col("tier") == term.code)).height]
    more = len(order) - len(drawn)
    note = (f"The {COUNTRIES_DRAWN} countries with the most cities are drawn; {more} more are in the CSV.",) \
        if more > 0 else ()
    figure = go.Figure(traces, layout(560, barmode="stack", xaxis={"title": "cities"},
                                      yaxis={"dtick": 1, "automargin": True},
                                      legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"}))
    n = dict(shown.group_by("tier").len().iter_rows())
    summary = (f"{shown.height:,} cities in {plural(len(order), 'country', 'countries')}: "
               f"{n.get('committed_2050', 0):,} committed to climate neutrality by 2050 outside the Mission, "
               f"{plural(n.get('mission_city', 0), 'Mission City', 'Mission Cities')}, {n.get('open', 0):,} with no "
               "2050 commitment known.")
    data = (tiers.counts(shown, by="country_iso2")
            .with_columns(pl.col("tier").replace_strict(vocab.TIER.labels()).alias("tier_label"),
                          unit=pl.lit("cities"), kind=pl.lit("computed"), source_id=pl.lit(_sources(shown))))
    return ChartExport("tiers", "newcomers", "What the platform opens: cities by tier", "cities", figure, data,
                       summary, chosen.describe(), note)


def _sources(frame: pl.DataFrame) -> str:
    return " ".join(sorted(set(frame["tier_source"].drop_nulls().to_list())))


# Above this many cities of one tier, the map groups them into cells (SVG markers by the ten thousand make a page
# slow to draw: bench/first_visit.py); the CSV keeps every city.
POINTS_DRAWN, CELL_DEGREES = 3_000, 0.5
# The map shows Europe and its neighbours (the Covenant's file reaches Latin America and Central Asia too).
FRAME_LAT, FRAME_LON = (27.0, 72.0), (-25.0, 60.0)


def _cells(part: pl.DataFrame) -> pl.DataFrame:
    """Cities grouped into cells of CELL_DEGREES: the cell's cities' mean point and how many they are."""
    return (part.with_columns((pl.col("lat") / CELL_DEGREES).floor().alias("row"),
                              (pl.col("lon") / CELL_DEGREES).floor().alias("col"))
            .group_by("row", "col").agg(pl.col("lat").mean(), pl.col("lon").mean(), pl.len().alias("n"))
            .sort("row", "col"))


@chart("newcomers-map", parse=tier_filters)
def tier_map(chosen: tiers.Filters) -> ChartExport:
    """The filters' cities on the offline map, coloured by tier; approximate points hollow, wrong or missing points
    not drawn (counted)."""
    shown = chosen.apply(tiers.table())
    drawn = shown.filter(pl.col("placement").is_in(vocab.PLACEMENT.codes("usable")))
    traces, grouped = [], []
    for term in sorted(vocab.TIER, key=lambda t: -(t.rank or 0)):  # the Mission's on top
        part = drawn.filter(pl.col("tier") == term.code)
        if not part.height:
            continue
        if part.height > POINTS_DRAWN:
            cells = _cells(part)
            grouped.append(f"the {part.height:,} cities of the tier “{term.label}” are grouped in {cells.height:,} "
                           f"cells of {CELL_DEGREES:g} degree")
            traces.append(go.Scattergeo(
                lat=cells["lat"].to_list(), lon=cells["lon"].to_list(), mode="markers",
                name=f"{term.short or term.label} (grouped)", customdata=[""] * cells.height,
                text=[f"{n:,} {'city' if n == 1 else 'cities'}: {term.short or term.label}" for n in cells["n"]],
                marker={"size": (cells["n"].sqrt() * 2.2 + 3).clip(upper_bound=26).to_list(), "color": term.colour,
                        "opacity": 0.55, "line": {"width": 0}},
                hovertemplate="%{text}<extra>grouped</extra>"))
            continue
        approximate = (part["placement"] == "approximate").to_list()
        traces.append(go.Scattergeo(
            lat=part["lat"].to_list(), lon=part["lon"].to_list(), mode="markers", name=term.short or term.label,
            customdata=part["city_id"].to_list(), text=plains(part["name"]),
            marker={"size": 8 if term.code == "mission_city" else 5, "color": term.colour, "opacity": 0.85,
                    "symbol": ["circle-open" if a else "circle" for a in approximate]},
            hovertemplate="%{text}<extra>" + (term.short or term.label) + "</extra>"))
    figure = go.Figure(traces, layout(560, geo={**europe_geo(), "scope": "world", "lataxis": {"range": FRAME_LAT},
                                                "lonaxis": {"range": FRAME_LON}},
                                      margin={"l": 0, "r": 0, "t": 30, "b": 0},
                                      legend={"itemsizing": "constant", "orientation": "h", "y": -0.02}))
    approx = drawn.filter(pl.col("placement") == "approximate").height
    left = shown.height - drawn.height
    summary = (f"{drawn.height:,} of {shown.height:,} cities on the map, coloured by tier; {approx:,} at an "
               f"approximate point (hollow)" + (f"; {left:,} not drawn: no point, or one outside its country" if left
                                                else "") + ".")
    beyond = drawn.filter(~pl.col("lat").is_between(*FRAME_LAT) | ~pl.col("lon").is_between(*FRAME_LON)).height
    if beyond:
        summary += (f" {beyond:,} {'signatory lies' if beyond == 1 else 'signatories lie'} beyond the frame of Europe "
                    "and its neighbours (the Covenant reaches further): they are in the grid and the CSV.")
    if grouped:
        summary += (" Too many to draw one by one: " + "; ".join(grouped) + " (the grid lists them one by one).")
    data = shown.select("city_id", "name", "country_iso2", "tier", "lat", "lon", "placement", "placement_note",
                        pl.lit("city").alias("unit"), pl.lit("computed").alias("kind"),
                        pl.coalesce("tier_source", "city_source").alias("source_id"))
    notes = ("Points are the Covenant of Mayors file's (JRC), checked at build time: hollow where approximate (whole "
             "degrees, or a point shared by several signatories).",)
    return ChartExport("tier-map", "newcomers", "Cities by tier on the map", "cities", figure, data, summary,
                       chosen.describe(), notes)
