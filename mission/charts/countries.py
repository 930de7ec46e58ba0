"""Charts of the countries: one measure across countries, and a country's national trend, strips and labels."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl

import vocab
from i18n import N_, number
from i18n import gettext as _
from mission import countries, queries, tiers
from mission.charts import ChartExport, UnknownChart, chart
from mission.charts.overview import pipeline_chart
from mission.charts.theme import (
    europe_geo,
    fill,
    layout,
    message_figure,
    plain,
    plains,
)
from mission.words import count
from vocab import GREY, OKABE_ITO


def strip(frame: pl.DataFrame, column: str, unit: str, highlight: str, label: str) -> go.Figure:
    """Every Mission City's value as a dot on one line, the highlighted country's cities in colour and named."""
    mission = frame.filter((pl.col("cohort") == "mission") & pl.col(column).is_not_null())
    mine = mission.filter(pl.col("country_iso2") == highlight)
    rest = mission.filter(pl.col("country_iso2") != highlight)
    # A fixed jitter per city (from its id) keeps the picture the same on every load.
    def jitter(ids: list[str]) -> list[float]:
        return [(sum(map(ord, i)) % 17) / 17 - 0.5 for i in ids]

    hover = fill(_("%{text}: %{x:.1f} {unit}<extra></extra>"), unit=unit)
    traces = [
        go.Scatter(x=rest[column].to_list(), y=jitter(rest["city_id"].to_list()), mode="markers",
                   name=_("other Mission Cities"), marker={"color": "#BDBDBD", "size": 8},
                   text=[f"{plain(n)} ({c})" for n, c in zip(rest["name"], rest["country_iso2"], strict=True)],
                   hovertemplate=hover),
        go.Scatter(x=mine[column].to_list(), y=jitter(mine["city_id"].to_list()), mode="markers",
                   name=label, marker={"color": OKABE_ITO["vermillion"], "size": 12,
                                       "line": {"color": "black", "width": 1}},
                   text=plains(mine["name"]), hovertemplate=hover),
    ]
    return go.Figure(traces, layout(240, xaxis={"title": {"text": unit}}, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                                     yaxis={"visible": False, "range": [-1, 1]}))


def national_trend(national: pl.DataFrame, by_year: pl.DataFrame) -> go.Figure:
    """The national total by year (line) and the Mission Cities' summed baselines at their inventory years (bars)."""
    if not national.height and not by_year.height:
        return message_figure(_("No national figures and no Mission City baseline in the warehouse"), 360)
    traces = [go.Scatter(
        x=national["year"].to_list(), y=national["total_ghg_mt_co2e"].to_list(), mode="lines",
        name=_("national total (official statistic)"), line={"color": OKABE_ITO["blue"], "width": 3},
        hovertemplate=_("%{x}: %{y:,.1f} Mt CO2e, national total (Jones et al. via Our World in Data)"
                        "<extra></extra>"))]
    for kind in ("reported", "modelled_estimate"):
        part = by_year.filter(pl.col("baseline_kind") == kind)
        if part.height:
            traces.append(go.Bar(
                x=part["baseline_year"].to_list(), y=part["mt"].to_list(),
                name=_("Mission Cities' baselines, {kind}").format(kind=vocab.KIND.label(kind)),
                marker_color=vocab.KIND.term(kind).colour, customdata=plains(part["name"]),
                hovertemplate=_("%{x}: %{y:,.2f} Mt CO2e<br>%{customdata}<extra></extra>")))
    return go.Figure(traces, layout(360, barmode="stack", yaxis={"title": {"text": _("Mt CO2e a year")},
                                                                  "rangemode": "tozero"}))


# EU member state, associated country, membership not recorded in the warehouse.
MEMBERSHIP_COLOURS = {True: OKABE_ITO["blue"], False: OKABE_ITO["orange"], None: GREY}


def country_bars(table: pl.DataFrame, column: str, label: str, unit: str) -> go.Figure:
    """The countries ranked on one measure (`label` and `unit` in the reader's language); each bar carries its
    country code for the click-through."""
    shown = table.filter(pl.col(column).is_not_null()).sort(column, descending=True)
    value = "%{y:,.0f}" if shown.schema[column].is_integer() else "%{y:,.1f}"
    return go.Figure(go.Bar(
        x=plains(shown["name"]), y=shown[column].to_list(), customdata=shown["country_iso2"].to_list(),
        marker_color=[MEMBERSHIP_COLOURS[eu] for eu in shown["eu_member"]],
        hovertemplate=fill(_("%{x}: {value} {unit}<br>click to open the country<extra></extra>"), value=value,
                           unit=unit)),
        layout(380, yaxis={"title": {"text": _("{label} ({unit})").format(label=label, unit=unit) if unit else label}},
                xaxis={"tickangle": -45}, showlegend=False))


@dataclass(frozen=True)
class CountryParams:
    """The country a chart is about (`{"iso2": ...}`), with every city and its coverage (to pick its own from)."""

    code: str
    name: str
    everyone: pl.DataFrame

    @classmethod
    def parse(cls, params: dict) -> CountryParams:
        code = params.get("iso2")
        found = queries.countries().filter(pl.col("country_iso2") == code) if isinstance(code, str) else None
        if found is None or not found.height:
            raise UnknownChart(f"no country {code!r}")
        return cls(code, found["name"][0], countries.cities_with_coverage())

    @property
    def mine(self) -> pl.DataFrame:
        return self.everyone.filter(pl.col("country_iso2") == self.code)


# The measures a strip shows: (label, unit), translated where shown.
STRIPS = {"per_capita_t": (N_("baseline per person"), N_("t CO2e per person")),
          "required_rate_pct": (N_("required annual reduction"), N_("% a year"))}


@dataclass(frozen=True)
class StripParams:
    """A country and one of the STRIPS measures (`{"iso2": ..., "measure": ...}`)."""

    country: CountryParams
    measure: str

    @classmethod
    def parse(cls, params: dict) -> StripParams:
        country = CountryParams.parse(params)
        if params.get("measure") not in STRIPS:
            raise UnknownChart(f"no measure {params.get('measure')!r}")
        return cls(country, params["measure"])


def measure_of(params: dict) -> str:
    """The measure the countries are ranked on (`{"measure": ...}`), the number of Mission Cities if none is named."""
    measure = params.get("measure")
    return measure if measure in countries.MEASURES else "mission_cities"


@chart("country-pipeline", CountryParams.parse)
def country_pipeline(country: CountryParams) -> ChartExport:
    return pipeline_chart(country.mine, country.name, {_("country"): country.code})


@chart("country-national", CountryParams.parse)
def country_national(country: CountryParams) -> ChartExport:
    """The national trend with the Mission Cities' summed baselines at their inventory years."""
    national = queries.national_ghg().filter(pl.col("country_iso2") == country.code)
    view = countries.national_comparison(country.name, national, country.mine)
    data = pl.concat([
        national.select(pl.lit(_("national total")).alias("series"), "year",
                        pl.col("total_ghg_mt_co2e").alias("mt_co2e"), "kind", "source_id",
                        pl.lit("").alias("cities")),
        view.by_year.select(pl.lit(_("Mission Cities' baselines")).alias("series"),
                            pl.col("baseline_year").alias("year"),
                            pl.col("mt").alias("mt_co2e"), pl.col("baseline_kind").alias("kind"),
                            pl.lit(None, pl.Utf8).alias("source_id"), pl.col("name").alias("cities")),
    ], how="vertical_relaxed").with_columns(pl.lit(_("Mt CO2e a year")).alias("unit"))
    return ChartExport("national_emissions", country.name,
                       _("{country}: national emissions and the Mission Cities' baselines").format(
                           country=country.name), _("Mt CO2e a year"), national_trend(national, view.by_year),
                       data, view.sentence, {_("country"): country.code})


@chart("country-strip", StripParams.parse)
def country_strip(chosen: StripParams) -> ChartExport:
    """The country's Mission Cities among all Mission Cities on one measure."""
    column = chosen.measure
    label, unit = (_(word) for word in STRIPS[column])
    code, name, everyone, mine = chosen.country.code, chosen.country.name, chosen.country.everyone, chosen.country.mine
    mission = everyone.filter((pl.col("cohort") == "mission") & pl.col(column).is_not_null())
    data = mission.select(pl.col("name").alias("city"), "country_iso2",
                          (pl.col("country_iso2") == code).alias("highlighted"), pl.col(column).alias("value"),
                          pl.lit(unit).alias("unit"), pl.lit("computed").alias("kind"),
                          pl.col("baseline_kind").alias("from_baseline_kind"),
                          pl.col("baseline_source").alias("source_id"), pl.col("grade").alias("baseline_grade"))
    return ChartExport(f"{column}_strip", name,
                       _("{country} against all Mission Cities: {measure}").format(country=name, measure=label), unit,
                       strip(everyone, column, unit, code, name), data,
                       countries.strip_summary(everyone, mine, column, unit), {_("country"): code})


@chart("countries", measure_of)
def countries_chart(measure: str) -> ChartExport:
    """The countries ranked on one measure."""
    label, unit = (_(word) for word in countries.MEASURES[measure])
    table = countries.table()
    shown = table.filter(pl.col(measure).is_not_null()).sort(measure, descending=True)
    data = shown.select("country_iso2", pl.col("name").alias("country"), "eu_member", pl.col(measure).alias("value"),
                        pl.lit(unit or label).alias("unit"), pl.lit("computed").alias("kind"),
                        pl.lit(None, pl.Utf8).alias("source_id"))
    if measure == "national_share_pct":
        data = data.with_columns(pl.lit("owid-jones-ghg").alias("source_id"))
    return ChartExport(f"countries_{measure}", "countries",
                       _("Countries compared: {measure}").format(measure=_(countries.MEASURE_WORDS[measure])),
                       unit or label,
                       country_bars(table, measure, label, unit), data,
                       countries.measure_summary(table, measure), {_("measure"): label})


@chart("country-tiers", parse=CountryParams.parse)
def country_tiers(chosen: CountryParams) -> ChartExport:
    """A country's cities by tier, with the Covenant signatories' standing (active, suspended) apart."""
    mine = tiers.table().filter(pl.col("country_iso2") == chosen.code)
    per = tiers.counts(mine)
    labels = [vocab.TIER.label(t.code) for t in vocab.TIER][::-1]
    colours = {"active": OKABE_ITO["blue"], "suspended": OKABE_ITO["orange"], "none": GREY}
    traces = []
    for standing, words in tiers.STANDING.items():
        label = _(words)
        part = dict(per.filter(pl.col("standing") == standing).select("tier", "cities").iter_rows())
        traces.append(go.Bar(y=labels, x=[part.get(t.code, 0) for t in list(vocab.TIER)[::-1]], orientation="h",
                             name=label, marker={"color": colours[standing]},
                             hovertemplate=fill(_("%{y}: %{x:,} cities<extra>{series}</extra>"), series=label)))
    figure = go.Figure(traces, layout(300, barmode="stack", xaxis={"title": _("cities")},
                                      legend={"orientation": "h", "y": -0.25}))
    n = dict(mine.group_by("tier").len().iter_rows())
    suspended = mine.filter(pl.col("standing") == "suspended").height
    summary = _("{cities} of {country}: {mission}, {committed} committed to climate neutrality by 2050, {open} with "
                "no 2050 commitment known; {suspended}.").format(
        cities=count(mine.height, "{n} city", "{n} cities"), country=chosen.name,
        mission=count(n.get("mission_city", 0), "{n} Mission City", "{n} Mission Cities"),
        committed=count(n.get("committed_2050", 0), "{n} other city", "{n} other cities"),
        open=number(n.get("open", 0)),
        suspended=count(suspended, "{n} Covenant signatory is suspended", "{n} Covenant signatories are suspended"))
    data = per.with_columns(pl.lit(chosen.code).alias("country_iso2"), unit=pl.lit(_("cities")),
                            kind=pl.lit("computed"),
                            source_id=pl.lit(" ".join(sorted(set(mine["tier_source"].drop_nulls())))))
    return ChartExport("tiers", chosen.name, _("Cities of {country} by tier").format(country=chosen.name),
                       _("cities"), figure, data, summary)


@chart("countries-map", measure_of)
def countries_map(measure: str) -> ChartExport:
    """Each country coloured by one measure, on the offline outlines (Natural Earth 1:50m, assets/topojson)."""
    label, unit = (_(word) for word in countries.MEASURES[measure])
    table = countries.table()
    shown = table.filter(pl.col(measure).is_not_null())
    iso3 = dict(queries.countries().select("country_iso2", "iso3").iter_rows())
    figure = go.Figure(go.Choropleth(
        locations=[iso3.get(c) for c in shown["country_iso2"]], z=shown[measure].to_list(), locationmode="ISO-3",
        text=plains(shown["name"]), customdata=shown["country_iso2"].to_list(), colorscale="Blues",
        marker={"line": {"color": "white", "width": 0.5}}, colorbar={"title": {"text": unit or _("cities")}},
        hovertemplate=fill(_("%{text}: %{z:,.1f} {unit}<extra></extra>"), unit=unit)),
        layout(460, geo={**europe_geo(), "scope": "world", "lataxis": {"range": [27, 71]},
                         "lonaxis": {"range": [-25, 50]}}, margin={"l": 0, "r": 0, "t": 30, "b": 0}))
    data = shown.select("country_iso2", pl.col("name").alias("country"), pl.col(measure).alias("value"),
                        pl.lit(unit or label).alias("unit"), pl.lit("computed").alias("kind"),
                        pl.lit(None, pl.Utf8).alias("source_id"))
    notes = (count(table.height - shown.height, "{n} country has no value and is left white.",
                   "{n} countries have no value and are left white."),) if table.height > shown.height else ()
    return ChartExport(f"countries_map_{measure}", "countries",
                       _("Countries on the map: {measure}").format(measure=_(countries.MEASURE_WORDS[measure])),
                       unit or label, figure, data, countries.measure_summary(table, measure), {_("measure"): label},
                       notes)
