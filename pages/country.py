"""Country page for ministries: the country's cities against each other, all Mission Cities and the nation, and its
cities on their way (by tier, on the map, the 2050-committed ones not yet in the Mission)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import polars as pl
from dash import dcc, html

import vocab
from i18n import N_, number, percent, pgettext
from i18n import gettext as _
from mission import charts, countries, overview, queries, tiers
from mission.words import tonnes
from ui.briefs import brief_controls
from ui.cards import chart_table, exported_chart, kpi_card
from ui.grid import cohort_word, data_grid, markdown_link
from ui.grid import number as grid_number
from ui.ids import PageIds
from ui.notfound import not_found
from ui.quality import grade_column, no_grade
from ui.warehouse import SITE, needs_warehouse, title_needs_warehouse


def _country(iso2: str | None) -> dict | None:
    if not isinstance(iso2, str) or len(iso2) != 2:
        return None
    found = queries.countries().filter(pl.col("country_iso2") == iso2.upper())
    return found.to_dicts()[0] if found.height else None


@title_needs_warehouse
def _title(iso2: str | None = None, **_query) -> str:
    country = _country(iso2)
    name = country["name"] if country else _("Page not found")
    return f"{name} · {_(SITE)}"


dash.register_page(__name__, path_template="/country/<iso2>", name=N_("Country"), nav=False, title=_title)


class ID(PageIds, page="country"):
    """The component ids of this page."""

    candidates: str
    kpis: str
    map: str
    name: str
    national_summary: str
    rankings: str
    tier_map: str
    tiers: str


def rank_columns() -> list[dict]:
    """The columns of the cities side by side, headed in the reader's language (built at layout time)."""
    return [
        {"field": "city", "headerName": _("City"), "cellRenderer": "markdown", "minWidth": 180, "pinned": "left"},
        {"field": "cohort", "headerName": _("Cohort"), "maxWidth": 120},
        {"field": "stage", "headerName": _("Contract stage"), "minWidth": 170},
        {"field": "per_capita_t", "headerName": _("Baseline per person (t)"), "type": "numericColumn",
         "valueFormatter": grid_number(1)},
        {"field": "baseline", "headerName": _("Baseline"), "minWidth": 170},
        grade_column(tooltipField="grade_reason"),
        {"field": "required_rate_pct", "headerName": _("Required cut (% a year)"), "type": "numericColumn",
         "valueFormatter": grid_number(1)},
        {"field": "gap_coverage_pct", "headerName": _("Portfolio covers (share of the gap, %)"),
         "type": "numericColumn", "valueFormatter": grid_number(0)},
    ]


def candidate_columns() -> list[dict]:
    """The columns of the cities committed to 2050, headed in the reader's language (built at layout time)."""
    return [
        {"field": "city", "headerName": _("City"), "cellRenderer": "markdown", "minWidth": 180, "pinned": "left"},
        {"field": "population", "headerName": _("Population"), "type": "numericColumn",
         "valueFormatter": grid_number(0)},
        {"field": "tier_reason", "headerName": _("Why"), "minWidth": 320, "tooltipField": "tier_reason"},
        {"field": "standing", "headerName": _("Covenant of Mayors"), "minWidth": 160},
        {"field": "nearest", "headerName": _("Nearest Mission City"), "cellRenderer": "markdown", "minWidth": 170},
        {"field": "nearest_km", "headerName": _("km"), "type": "numericColumn", "valueFormatter": grid_number(0),
         "maxWidth": 100},
    ]


def candidate_rows(frame: pl.DataFrame) -> list[dict]:
    return [{"city": markdown_link(r["name"], f"/city/{r['city_id']}"), "population": r["population"],
             "tier_reason": r["tier_reason"], "standing": _(tiers.STANDING[r["standing"]]),
             "nearest": markdown_link(r["nearest"], f"/city/{r['nearest_id']}") if r["nearest_id"] else "",
             "nearest_km": r["nearest_km"]} for r in frame.iter_rows(named=True)]


def on_their_way(code: str, name: str) -> list:
    """The country's cities by tier, on the map, and those committed to 2050 that are not Mission Cities."""
    found = tiers.candidates(code)
    return [
        dbc.Row([
            dbc.Col(exported_chart(_("Cities of {country} by tier").format(country=name), "country-tiers",
                                   {"iso2": code}, ID.tiers), lg=5),
            dbc.Col(exported_chart(_("Cities of {country} by tier on the map").format(country=name), "newcomers-map",
                                   {"country": code}, ID.tier_map, height=460, chart_notes=True), lg=7),
        ], className="g-3 mb-3"),
        dbc.Card([dbc.CardHeader(html.H2(_("Committed to climate neutrality by 2050, not Mission Cities: {n}").format(
                                             n=number(found.height)), className="h6 mb-0")),
                  data_grid(ID.candidates, candidate_columns(), candidate_rows(found),
                            style={"height": "420px"}, dashGridOptions={"domLayout": "normal"})
                  if found.height else dbc.CardBody(_("None known in this country.")),
                  dbc.CardFooter(_("Candidates for national events and for twinning with a Mission City: their "
                                   "mayors signed a climate-neutrality commitment by 2050 (the Covenant of Mayors' "
                                   "2050 initiative, or a twinning cohort that required one). Distances are straight "
                                   "lines in ETRS89-LAEA (EPSG:3035)."), className="small bg-white")],
                 className="mb-3"),
    ]


def rank_rows(frame: pl.DataFrame) -> list[dict]:
    return [{**r, "city": markdown_link(r["name"], f"/city/{r['city_id']}"), "cohort": cohort_word(r["cohort"]),
             "stage": vocab.STAGE.label(r["stage"]),
             "baseline": (f"{r['baseline_year']}, {vocab.KIND.label(r['baseline_kind'], '')}"
                          if r["baseline_year"] else pgettext("baseline", "none")), "grade": r["grade"] or no_grade()}
            for r in countries.rankings(frame).iter_rows(named=True)]


@needs_warehouse
def layout(iso2: str | None = None, **_query) -> html.Div:
    country = _country(iso2)
    if country is None:
        return not_found(_("The warehouse has no country with the code “{code}”.").format(code=iso2))
    everyone = countries.cities_with_coverage()
    code, name = country["country_iso2"], country["name"]
    mine = everyone.filter(pl.col("country_iso2") == code)
    k = overview.kpis(mine)
    return html.Div([
        dcc.Link(_("← All countries"), href="/countries", className="small"),
        dbc.Row([dbc.Col(html.H1(name, className="h3 mt-1", id=ID.name)),
                 dbc.Col(brief_controls("country", code), width="auto")], className="align-items-center"),
        html.P([_("EU member state") if country["eu_member"] else _("Associated country")
                if country["eu_member"] is False else _("EU membership not recorded"), " · ",
                _("ISO code {code}").format(code=code)], className="text-muted"),
        html.P([dcc.Link(_("Where {country}'s Mission Cities stand: the gap to 2030, the pace, the money →").format(
                    country=name), href=f"/progress?country={code}"), " · ",
                dcc.Link(_("their scenarios →"), href=f"/scenarios?country={code}")], className="small")
        if k.mission_cities else None,
        kpi_row(k),
        dbc.Row([
            dbc.Col(exported_chart(_("Cities of {country}").format(country=name), "overview-map",
                                   {"country": code, "metric": "per_capita"}, ID.map, height=420, notes=(chart_table(
                                       charts.build("overview-map", {"country": code, "metric": "per_capita"}),
                                       {"city": _("City"), "stage": _("Stage"), "population": _("Population"),
                                        "value": _("Baseline per person (t CO2e)"),
                                        "grade": _("Data quality grade")},
                                       _("The map as a table")),)), lg=6),
            dbc.Col(exported_chart(_("National emissions and the Mission Cities' baselines"), "country-national",
                                   {"iso2": code}, ID.part("national", code.lower()),
                                   summary_id=ID.national_summary), lg=6),
        ], className="g-3 mb-3"),
        dbc.Card([dbc.CardHeader(html.H2(_("The cities of {country} side by side").format(country=name),
                                         className="h6 mb-0")),
                  data_grid(ID.rankings, rank_columns(), rank_rows(mine)),
                  dbc.CardFooter(_("Portfolio coverage: the annual reductions of the city's actions that can be added "
                                   "up (see the portfolio page) as a share of its gap between baseline and 2030 "
                                   "target; blank where the contract states no such reduction."),
                                 className="small bg-white")],
                 className="mb-3"),
        dbc.Row([
            dbc.Col(strip_card("per_capita_t", country), lg=6),
            dbc.Col(strip_card("required_rate_pct", country), lg=6),
        ], className="g-3 mb-3"),
        *on_their_way(code, name),
        exported_chart(_("Mission Label pipeline of {country}").format(country=name), "country-pipeline",
                       {"iso2": code},
                       ID.part("pipeline", code.lower())),
    ])


def kpi_row(k: overview.Kpis) -> dbc.Row:
    split = _("{reported_pct} {reported}, {modelled_pct} {modelled}").format(
        reported_pct=percent(k.share("reported") * 100), reported=vocab.KIND.label("reported"),
        modelled_pct=percent(k.share("modelled_estimate") * 100), modelled=vocab.KIND.label("modelled_estimate"))
    cards = ((number(k.mission_cities), _("Mission Cities"), "", "mission"),
             (number(k.labelled), _("with the Mission Label"),
              _("{n} in preparation or review").format(n=number(k.in_review)), "labelled"),
             (number(k.newcomers), _("newcomer cities"), "", "newcomers"),
             (_("{tonnes} CO2e").format(tonnes=tonnes(k.baseline_tco2e)), _("summed baselines"), split, "baseline"))
    return dbc.Row([dbc.Col(kpi_card(value, label, note, id=ID.part("kpi", key)), xs=6, md=3)
                    for value, label, note, key in cards], className="g-3 mb-3", id=ID.kpis)


STRIP_TITLES = {"per_capita_t": N_("baseline per person"), "required_rate_pct": N_("required annual reduction")}


def strip_card(column: str, country: dict) -> dbc.Card:
    code = country["country_iso2"]
    return exported_chart(_("{country} against all Mission Cities: {measure}").format(
                              country=country["name"], measure=_(STRIP_TITLES[column])), "country-strip",
                          {"iso2": code, "measure": column}, ID.part("strip", code.lower(), column.replace("_", "-")))
