"""Action portfolios: which actions carry the reduction, what they cost per tonne, their co-benefits and levers."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import polars as pl
from dash import Input, Output, callback, dcc, html

import vocab
from i18n import N_, number
from i18n import gettext as _
from mission import charts, portfolio, quality, queries
from mission.charts.theme import message_figure
from mission.portfolio import PortfolioFilters
from mission.words import count, tonnes
from ui.a11y import named, question
from ui.cards import chart_card, graph
from ui.compose import compose
from ui.exports import export_buttons
from ui.grid import data_grid
from ui.grid import number as grid_number
from ui.ids import PageIds
from ui.permalink import query_store, search, sync_url
from ui.quality import grade_badge
from ui.shell import page_title
from ui.warehouse import needs_warehouse

dash.register_page(__name__, path="/portfolio", name=N_("Portfolios"), title=page_title(N_("Action portfolios")),
                   order=10)


class ID(PageIds, page="portfolio"):
    """The component ids of this page."""

    actions_export: str
    city: str
    country: str
    field: str
    grade: str
    grid: str
    heat_value: str
    heatmap: str
    heatmap_summary: str
    left_out: str
    lever: str
    levers: str
    levers_summary: str
    macc: str
    macc_summary: str
    method: str
    off_curve: str
    query: str
    sankey: str
    sankey_summary: str
    summary: str
    unknown: str
    waterfall: str
    waterfall_summary: str
    years: str


EXPORTS = ("actions", "macc", "heatmap", "waterfall", "levers", "sankey")
CONTROLS = (ID.city, ID.country, ID.field, ID.lever)
def columns() -> list[dict]:
    """The columns of the actions, headed in the reader's language (built when the page is laid out)."""
    return [
        {"field": "action_name", "headerName": _("Action"), "minWidth": 260, "pinned": "left",
         "tooltipField": "action_name"},
        {"field": "city", "headerName": _("City"), "minWidth": 120},
        {"field": "field", "headerName": _("Field of action"), "minWidth": 150},
        {"field": "levers", "headerName": _("Levers"), "minWidth": 160},
        {"field": "reduction", "headerName": _("Reduction (t CO2e)"), "type": "numericColumn",
         "filter": "agNumberColumnFilter", "valueFormatter": grid_number(0)},
        {"field": "basis", "headerName": _("Basis"), "minWidth": 110},
        {"field": "cost_eur", "headerName": _("Cost (EUR)"), "type": "numericColumn",
         "filter": "agNumberColumnFilter", "valueFormatter": grid_number(0)},
        {"field": "cost_per_t", "headerName": _("EUR per t"), "type": "numericColumn",
         "filter": "agNumberColumnFilter", "valueFormatter": grid_number(0)},
        {"field": "cobenefits", "headerName": _("Co-benefits"), "minWidth": 180},
        {"field": "flags", "headerName": _("Flags"), "minWidth": 180, "tooltipField": "flags"},
        {"field": "source", "headerName": _("Source"), "minWidth": 200, "tooltipField": "note"},
    ]


def _dropdown(id: str, label: str, options: list[dict], value: tuple[str, ...]) -> dbc.Col:
    return dbc.Col([html.Label(label, htmlFor=id, className="filter-label"),
                    dcc.Dropdown(id=id, options=options, value=list(value), multi=True, placeholder=_("All"))],
                   md=6, xl=3)


def _controls(actions: pl.DataFrame, chosen: PortfolioFilters) -> dbc.Card:
    cities = sorted({(r["city"], r["city_id"], r["country_iso2"]) for r in actions.iter_rows(named=True)})
    countries = sorted(set(actions["country_iso2"]))
    return dbc.Card(dbc.CardBody([
        dbc.Row([
            _dropdown(ID.city, _("Cities"), [{"label": f"{n} ({c})", "value": i} for n, i, c in cities],
                      chosen.cities),
            _dropdown(ID.country, _("Countries"), [{"label": c, "value": c} for c in countries],
                      chosen.countries),
            _dropdown(ID.field, _("Fields of action"),
                      [{"label": label, "value": code} for code, label in vocab.FIELD.labels().items()],
                      chosen.fields),
            _dropdown(ID.lever, _("Levers"),
                      [{"label": label, "value": code} for code, label in vocab.LEVER.labels().items()],
                      chosen.levers),
        ], className="g-3"),
        dbc.Row([
            dbc.Col([html.Label(_("Years of effect (cost per tonne)"), htmlFor=ID.years,
                                className="filter-label"),
                     named(dcc.Slider(id=ID.years, min=1, max=40, step=1, value=chosen.years,
                                      marks={1: "1", 10: "10", 20: "20", 30: "30", 40: "40"},
                                      tooltip={"placement": "bottom", "always_visible": False}),
                           _("Years of effect (cost per tonne)"))], md=6),
            dbc.Col(dbc.Checkbox(id=ID.unknown, value=chosen.unknown_as_per_year,
                                 label=_("Read reductions of unstated basis as per year")), md=6,
                    className="d-flex align-items-end"),
        ], className="g-3 mt-1"),
    ]), className="mb-3")


@needs_warehouse
def layout(**query) -> html.Div:
    actions = queries.actions()
    chosen = PortfolioFilters.from_query(query)
    return html.Div([
        query_store(ID.query),
        html.H1(_("Action portfolios"), className="h3"),
        html.P(_("The actions of the Climate City Contracts as transcribed: blank means the contract gives no "
                 "figure. Flagged figures are shown, never silently summed."), className="text-muted"),
        _controls(actions, chosen),
        html.P(id=ID.summary, className="fw-semibold"),
        dbc.Card([
            dbc.CardHeader(dbc.Row([
                dbc.Col(html.H2(_("Actions"), className="h6 mb-0"), className="d-flex align-items-center"),
                dbc.Col(html.Div(id=ID.actions_export), width="auto"),
            ])),
            data_grid(ID.grid, columns(), [], defaultColDef={"floatingFilter": True, "minWidth": 120},
                      dashGridOptions={"domLayout": "normal", "pagination": True, "paginationPageSize": 20,
                                       "tooltipShowDelay": 300, "enableCellTextSelection": True},
                      style={"height": "560px"}),
        ], className="mb-3"),
        dbc.Row([
            dbc.Col(_card(_("Cost-effectiveness of the actions (MACC)"), "macc", [
                html.Div(id=ID.method, className="small text-muted px-2 pt-1"),
                graph(ID.macc, height=420)], notes=html.Details([
                    html.Summary(_("Actions not on the curve, and why")), html.Div(id=ID.off_curve)])), lg=7),
            dbc.Col(_card(_("Co-benefits by field of action"), "heatmap", [
                html.Div(question(_("Show in each cell"), ID.heat_value,
                                  [{"label": _("number of actions"), "value": "actions"},
                                   {"label": _("summed annual reduction"), "value": "annual_tco2e"}], "actions",
                                  inline=True, className="small"), className="px-2 pt-1"),
                graph(ID.heatmap, height=420)],
                notes=_("An action with several co-benefits counts in each row: rows do not add up.")), lg=5),
        ], className="g-3 mb-3"),
        dbc.Row([
            dbc.Col(_card(_("Portfolio against the 2030 gap"), "waterfall", graph(ID.waterfall, height=400),
                          notes=html.Div(id=ID.left_out)), lg=6),
            dbc.Col(_card(_("Levers used per field of action"), "levers", graph(ID.levers, height=360)), lg=6),
        ], className="g-3 mb-3"),
        _card(_("From fields of action through levers to co-benefits"), "sankey", graph(ID.sankey, height=520),
              notes=_("Link widths count actions; an action with several levers or co-benefits is in each link.")),
    ])


def _card(title: str, name: str, body, **kw) -> dbc.Card:
    """A chart card whose summary and PNG/CSV buttons the update callback fills in."""
    return chart_card(title, body, summary_id=ID.part(name, "summary"),
                      export=html.Div(id=ID.part(name, "export")), **kw)


def _why_left_out(action: dict) -> str:
    """Its flags in words, or else the basis of its reduction."""
    return "; ".join(vocab.FLAG.label(f) for f in action["flags"]) or vocab.BASIS.label(action["ghg_basis"])


def gap_view(chosen: PortfolioFilters):
    """The waterfall figure, its sentence and the actions left out of it, for exactly one chosen city."""
    if len(chosen.cities) != 1:
        words = _("Pick one city to see its portfolio against its 2030 target.")
        return message_figure(words), words, ""
    try:
        chart = charts.build("portfolio-gap", chosen.to_query())
    except charts.UnknownChart:
        words = _("This city has no baseline in the warehouse: the gap cannot be drawn.")
        return message_figure(words), words, ""
    left_out = html.Ul([html.Li(f"{r['action_name']}: {tonnes(r['ghg_reduction_tco2e'])} ({_why_left_out(r)})")
                        for r in chart.left_out.filter(pl.col("ghg_reduction_tco2e").is_not_null())
                        .iter_rows(named=True)], className="small mb-0")
    badge = grade_badge(quality.grade_of(chosen.cities[0]), id=ID.grade)
    return chart.figure, chart.summary, html.Div([html.Div(compose(_("Baseline: {grade}"), grade=badge),
                                                           className="mb-1"), left_out])


FILTERS = (*(Input(c, "value") for c in CONTROLS), Input(ID.years, "value"),
           Input(ID.unknown, "value"))


def _chosen(cities, countries, fields, levers, years, unknown) -> PortfolioFilters:
    """The filters as the page's controls give them."""
    return PortfolioFilters.from_query({"city": cities, "country": countries, "field": fields, "lever": levers,
                                        "years": years, "unknown": "" if unknown else "exclude"})


# One callback per part of the page, so that each draws as soon as its answer arrives: the table's rows (1.1 MB of
# JSON for all 1,976 actions) and the slowest chart (the MACC) do not hold back the others. The charts are those of
# the export buttons, built once (mission.charts.build). The export buttons all come with the summary: each button
# that appears makes the download callback run once.
@callback(Output(ID.grid, "rowData"), *FILTERS)
def update_rows(*filters):
    return portfolio.view(_chosen(*filters)).rows


@callback(
    Output(ID.summary, "children"), Output(ID.method, "children"), Output(ID.query, "data"),
    *(Output(ID.part(name, "export"), "children") for name in EXPORTS),
    *FILTERS, Input(ID.heat_value, "value"),
)
def update_summary(*filters_and_heat):
    *filters, heat = filters_and_heat
    chosen = _chosen(*filters)
    params = chosen.to_query()
    buttons = [export_buttons("portfolio-actions", params, ("csv",)),
               export_buttons("portfolio-macc", params),
               export_buttons("portfolio-heatmap", params | {"heat": portfolio.heat_value(heat)}),
               export_buttons("portfolio-gap", params) if len(chosen.cities) == 1 else None,
               export_buttons("portfolio-levers", params), export_buttons("portfolio-sankey", params)]
    return portfolio.view(chosen).summary, chosen.method.describe(), search(params), *buttons


@callback(Output(ID.macc, "figure"), Output(ID.macc_summary, "children"),
          Output(ID.off_curve, "children"), *FILTERS)
def update_macc(*filters):
    chosen = _chosen(*filters)
    chart = charts.build("portfolio-macc", chosen.to_query())
    return chart.figure, chart.summary, off_curve_table(portfolio.view(chosen).off_curve)


@callback(Output(ID.heatmap, "figure"), Output(ID.heatmap_summary, "children"),
          *FILTERS, Input(ID.heat_value, "value"))
def update_heatmap(*filters_and_heat):
    *filters, heat = filters_and_heat
    chart = charts.build("portfolio-heatmap", _chosen(*filters).to_query() | {"heat": portfolio.heat_value(heat)})
    return chart.figure, chart.summary


@callback(Output(ID.waterfall, "figure"), Output(ID.waterfall_summary, "children"),
          Output(ID.left_out, "children"), *FILTERS)
def update_gap(*filters):
    return gap_view(_chosen(*filters))


@callback(Output(ID.levers, "figure"), Output(ID.levers_summary, "children"), *FILTERS)
def update_levers(*filters):
    chart = charts.build("portfolio-levers", _chosen(*filters).to_query())
    return chart.figure, chart.summary


@callback(Output(ID.sankey, "figure"), Output(ID.sankey_summary, "children"), *FILTERS)
def update_sankey(*filters):
    chart = charts.build("portfolio-sankey", _chosen(*filters).to_query())
    return chart.figure, chart.summary


def off_curve_table(off: pl.DataFrame) -> html.Div:
    counts = off.group_by("reason").len().sort("len", descending=True)
    return html.Div([
        html.P("; ".join(_("{actions}: {reason}").format(actions=count(n, "{n} action", "{n} actions"), reason=reason)
                         for reason, n in counts.iter_rows()), className="small"),
        html.Ul([html.Li(f"{r['action_name']} ({r['city']}): {r['reason']}") for r in off.head(200).iter_rows(
            named=True)], className="small mb-0"),
        html.P(_("… and {n} more (all are in the table above).").format(n=number(off.height - 200)),
               className="small")
        if off.height > 200 else None,
    ])


sync_url(ID.query)
