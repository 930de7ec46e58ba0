"""Cities on their way: the tiers across Europe and by country, the cities on the map by tier, and the twinning
network (pairs of cities named in the sources)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

import vocab
from i18n import gettext as _
from i18n import ngettext, number
from mission import queries, tiers
from mission.charts import ChartExport, chart
from mission.charts.theme import (
    europe_geo,
    fill,
    layout,
    plains,
)
from mission.words import count
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
                                    name=_("twinning pair (inferred by the source)") if inferred
                                    else _("twinning pair"),
                                    line={"width": 2, "color": OKABE_ITO["reddish_purple"], "dash": dash}))
    ends = pl.concat([
        links.select("city_id", pl.col("city").alias("name"), "country_iso2", "cohort", "lat", "lon"),
        links.select(pl.col("partner_city_id").alias("city_id"), pl.col("partner").alias("name"),
                     pl.col("partner_country_iso2").alias("country_iso2"), pl.col("partner_cohort").alias("cohort"),
                     pl.col("partner_lat").alias("lat"), pl.col("partner_lon").alias("lon"))]).unique("city_id")
    for cohort, colour, label in ((t.code, t.colour, vocab.COHORT.label(t.code)) for t in vocab.COHORT):
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
def twin_network(_params: None) -> ChartExport:
    """The twinning pairs named in the sources."""
    links = queries.twin_links()
    data = links.select("city", "country_iso2", "partner", "partner_country_iso2", "programme_cohort", "inferred",
                        "partner_text", pl.lit(_("pairs")).alias("unit"),
                        pl.lit("official_announcement").alias("kind"), "source_id")
    summary = _("{pairs} named in the sources, between {newcomers} and {partners}.").format(
        pairs=count(links.height, "{n} twinning pair", "{n} twinning pairs"),
        newcomers=count(links["city_id"].n_unique(), "{n} newcomer city", "{n} newcomer cities"),
        partners=count(links["partner_city_id"].n_unique(), "{n} partner city", "{n} partner cities"))
    return ChartExport("twinning", "mission", _("Peer-learning network: twinning pairs"), _("pairs"),
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
                     orientation="h", name=vocab.TIER.label(term.code), marker={"color": term.colour},
                     hovertemplate=fill(_("%{y}: %{x:,} cities<extra>{series}</extra>"),
                                        series=vocab.TIER.label(term.code)))
              for term in vocab.TIER if (part := per.filter(pl.col("tier") == term.code)).height]
    more = len(order) - len(drawn)
    note = (ngettext("The {drawn} countries with the most cities are drawn; {n} more is in the CSV.",
                     "The {drawn} countries with the most cities are drawn; {n} more are in the CSV.", more).format(
        drawn=number(COUNTRIES_DRAWN), n=number(more)),) if more > 0 else ()
    figure = go.Figure(traces, layout(560, barmode="stack", xaxis={"title": _("cities")},
                                      yaxis={"dtick": 1, "automargin": True},
                                      legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"}))
    n = dict(shown.group_by("tier").len().iter_rows())
    summary = _("{cities} in {countries}: {committed} committed to climate neutrality by 2050 outside the Mission, "
                "{mission}, {open} with no 2050 commitment known.").format(
        cities=count(shown.height, "{n} city", "{n} cities"),
        countries=count(len(order), "{n} country", "{n} countries"),
        committed=number(n.get("committed_2050", 0)),
        mission=count(n.get("mission_city", 0), "{n} Mission City", "{n} Mission Cities"),
        open=number(n.get("open", 0)))
    data = (tiers.counts(shown, by="country_iso2")
            .with_columns(pl.col("tier").replace_strict(vocab.TIER.labels()).alias("tier_label"),
                          unit=pl.lit(_("cities")), kind=pl.lit("computed"), source_id=pl.lit(_sources(shown))))
    return ChartExport("tiers", "newcomers", _("What the platform opens: cities by tier"), _("cities"), figure, data,
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
        short = vocab.TIER.short(term.code)
        if part.height > POINTS_DRAWN:
            cells = _cells(part)
            grouped.append(_("the {cities} of the tier “{tier}” are grouped in {cells} of {degrees} degree").format(
                cities=count(part.height, "{n} city", "{n} cities"), tier=vocab.TIER.label(term.code),
                cells=count(cells.height, "{n} cell", "{n} cells"), degrees=number(CELL_DEGREES, 1)))
            traces.append(go.Scattergeo(
                lat=cells["lat"].to_list(), lon=cells["lon"].to_list(), mode="markers",
                name=_("{tier} (grouped)").format(tier=short), customdata=[""] * cells.height,
                text=[f"{cities}: {short}" for cities in (count(n, "{n} city", "{n} cities") for n in cells["n"])],
                marker={"size": (cells["n"].sqrt() * 2.2 + 3).clip(upper_bound=26).to_list(), "color": term.colour,
                        "opacity": 0.55, "line": {"width": 0}},
                hovertemplate=_("%{text}<extra>grouped</extra>")))
            continue
        approximate = (part["placement"] == "approximate").to_list()
        traces.append(go.Scattergeo(
            lat=part["lat"].to_list(), lon=part["lon"].to_list(), mode="markers", name=short,
            customdata=part["city_id"].to_list(), text=plains(part["name"]),
            marker={"size": 8 if term.code == "mission_city" else 5, "color": term.colour, "opacity": 0.85,
                    "symbol": ["circle-open" if a else "circle" for a in approximate]},
            hovertemplate="%{text}<extra>" + short + "</extra>"))
    figure = go.Figure(traces, layout(560, geo={**europe_geo(), "scope": "world", "lataxis": {"range": FRAME_LAT},
                                                "lonaxis": {"range": FRAME_LON}},
                                      margin={"l": 0, "r": 0, "t": 30, "b": 0},
                                      legend={"itemsizing": "constant", "orientation": "h", "y": -0.02}))
    approx = drawn.filter(pl.col("placement") == "approximate").height
    left = shown.height - drawn.height
    counts = {"drawn": number(drawn.height), "cities": count(shown.height, "{n} city", "{n} cities"),
              "approximate": number(approx)}
    sentences = [_("{drawn} of {cities} on the map, coloured by tier; {approximate} at an approximate point (hollow); "
                   "{left} not drawn: no point, or one outside its country.").format(left=number(left), **counts)
                 if left else
                 _("{drawn} of {cities} on the map, coloured by tier; {approximate} at an approximate point "
                   "(hollow).").format(**counts)]
    beyond = drawn.filter(~pl.col("lat").is_between(*FRAME_LAT) | ~pl.col("lon").is_between(*FRAME_LON)).height
    if beyond:
        sentences.append(count(
            beyond, "{n} signatory lies beyond the frame of Europe and its neighbours (the Covenant reaches further): "
            "they are in the grid and the CSV.", "{n} signatories lie beyond the frame of Europe and its neighbours "
            "(the Covenant reaches further): they are in the grid and the CSV."))
    if grouped:
        sentences.append(_("Too many to draw one by one: {groups} (the grid lists them one by one).").format(
            groups="; ".join(grouped)))
    summary = " ".join(sentences)
    data = shown.select("city_id", "name", "country_iso2", "tier", "lat", "lon", "placement", "placement_note",
                        pl.lit(_("city")).alias("unit"), pl.lit("computed").alias("kind"),
                        pl.coalesce("tier_source", "city_source").alias("source_id"))
    notes = (_("Points are the Covenant of Mayors file's (JRC), checked at build time: hollow where approximate "
               "(whole degrees, or a point shared by several signatories)."),)
    return ChartExport("tier-map", "newcomers", _("Cities by tier on the map"), _("cities"), figure, data, summary,
                       chosen.describe(), notes)
