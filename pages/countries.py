"""Countries overview: every country of the mission compared on the same measures, with a link to each."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from i18n import N_
from i18n import gettext as _
from mission import charts, countries, overview
from mission.words import count
from ui.cards import chart_card, graph
from ui.exports import export_buttons
from ui.grid import data_grid, markdown_link, number
from ui.ids import PageIds
from ui.shell import page_title
from ui.warehouse import needs_warehouse

dash.register_page(__name__, path="/countries", name=N_("Countries"), title=page_title(N_("Countries")), order=5)


class ID(PageIds, page="countries"):
    """The component ids of this page."""

    chart: str
    export: str
    grid: str
    map: str
    map_export: str
    map_summary: str
    measure: str
    nav: str
    summary: str


def columns() -> list[dict]:
    """The grid's columns, headed in the reader's language (built when the page is laid out)."""
    return [
        {"field": "country", "headerName": _("Country"), "cellRenderer": "markdown", "pinned": "left",
         "minWidth": 170},
        {"field": "eu", "headerName": _("EU"), "maxWidth": 90},
        {"field": "mission_cities", "headerName": _("Mission Cities"), "type": "numericColumn"},
        {"field": "labelled", "headerName": _("Labelled"), "type": "numericColumn"},
        {"field": "newcomers", "headerName": _("Newcomers"), "type": "numericColumn"},
        {"field": "baseline_mt", "headerName": _("Summed baselines (Mt)"), "type": "numericColumn",
         "valueFormatter": number(2)},
        {"field": "reported_share", "headerName": _("Reported (%)"), "type": "numericColumn",
         "valueFormatter": number(0)},
        {"field": "median_per_capita_t", "headerName": _("Median t per person"), "type": "numericColumn",
         "valueFormatter": number(1)},
        {"field": "median_rate_pct", "headerName": _("Median required cut (% a year)"), "type": "numericColumn",
         "valueFormatter": number(1)},
        {"field": "national_share_pct", "headerName": _("Share of national (%)"), "type": "numericColumn",
         "valueFormatter": number(1)},
        {"field": "signatories", "headerName": _("Covenant signatories"), "type": "numericColumn"},
        {"field": "committed_2050", "headerName": _("Committed to 2050 (outside the Mission)"),
         "type": "numericColumn"},
        {"field": "committed_share", "headerName": _("Signatories in the 2050 initiative (%)"),
         "type": "numericColumn", "valueFormatter": number(0)},
    ]


def rows(table) -> list[dict]:
    yes, no = _("yes"), _("no")
    return [{**r, "country": markdown_link(r["name"], f"/country/{r['country_iso2']}"),
             "eu": yes if r["eu_member"] else no if r["eu_member"] is False else ""}
            for r in table.iter_rows(named=True)]


@needs_warehouse
def layout(**query) -> html.Div:
    table = countries.table()
    measure = query.get("measure") if query.get("measure") in countries.MEASURES else "mission_cities"
    return html.Div([
        dcc.Location(id=ID.nav, refresh="callback-nav"),
        html.H1(_("Countries"), className="h3"),
        html.P(_("{countries} with a city in the warehouse: a Mission City, a newcomer or a Covenant of Mayors "
                 "signatory. National shares compare the Mission Cities' baselines (various years, city boundaries) "
                 "with the latest national total (Jones et al. via Our World in Data): an indication, not an exact "
                 "share.").format(countries=count(table.height, "{n} country", "{n} countries")),
               className="text-muted"),
        html.Div([html.Label(_("Compare the countries on"), htmlFor=ID.measure, className="filter-label"),
                  dbc.Select(id=ID.measure, value=measure, className="w-auto mb-3",
                             options=[{"label": _(label), "value": key}
                                      for key, (label, _unit) in countries.MEASURES.items()])]),
        dbc.Row([
            dbc.Col(dbc.Card([dbc.CardHeader(html.H2(_("All countries"), className="h6 mb-0")),
                              data_grid(ID.grid, columns(), rows(table))]), lg=7),
            dbc.Col(html.Div(chart_card(_("Countries on the map"), graph(ID.map, height=460),
                                        summary_id=ID.map_summary, export=html.Div(id=ID.map_export),
                                        notes=_("Darker: a higher value; white: no value. Click a country to open "
                                                "it.")),
                             className="sticky-top"), lg=5),
        ], className="g-3 mb-3"),
        chart_card(_("Countries compared"), graph(ID.chart, height=380), summary_id=ID.summary,
                   export=html.Div(id=ID.export),
                   notes=_("Blue: EU member states; orange: associated countries; grey: membership not recorded. "
                           "Click a bar to open the country.")),
    ])


@callback(Output(ID.chart, "figure"), Output(ID.summary, "children"), Output(ID.export, "children"),
          Output(ID.map, "figure"), Output(ID.map_summary, "children"), Output(ID.map_export, "children"),
          Input(ID.measure, "value"))
def chart(measure):
    params = {"measure": measure if isinstance(measure, str) and measure in countries.MEASURES else "mission_cities"}
    built, on_map = charts.build("countries", params), charts.build("countries-map", params)
    return (built.figure, built.summary, export_buttons("countries", params), on_map.figure, on_map.summary,
            export_buttons("countries-map", params))


@callback(Output(ID.nav, "href"), Input(ID.chart, "clickData"), Input(ID.map, "clickData"),
          prevent_initial_call=True)
def open_country(bar, area):
    code = overview.clicked_id(area if dash.ctx.triggered_id == ID.map else bar)
    return f"/country/{code}" if isinstance(code, str) and len(code) == 2 else dash.no_update
