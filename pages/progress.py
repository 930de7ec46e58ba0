"""Mission progress: the road so far, the Mission-wide gap to 2030, the pace achieved against the pace required, and
the money, for the whole Mission or some countries' Mission Cities."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import polars as pl
from dash import Input, Output, callback, dcc, html

import vocab
from i18n import N_, date, number, percent
from i18n import gettext as _
from mission import progress, queries
from mission.progress import Scope
from mission.words import tonnes
from ui.briefs import brief_controls
from ui.cards import exported_chart, kpi_card
from ui.ids import PageIds
from ui.permalink import query_store, search, sync_url
from ui.shell import page_title
from ui.warehouse import needs_warehouse

dash.register_page(__name__, path="/progress", name=N_("Mission progress"), title=page_title(N_("Mission progress")),
                   order=1)


class ID(PageIds, page="progress"):
    """The component ids of this page."""

    brief: str
    country: str
    coverage: str
    fields: str
    fields_summary: str
    gap: str
    gap_summary: str
    kpis: str
    money: str
    money_summary: str
    money_table: str
    pace: str
    pace_summary: str
    pace_table: str
    query: str
    road: str
    road_summary: str
    road_table: str
    scenarios_link: str
    sections: str
    countries: str
    countries_summary: str


def _filter(chosen: Scope) -> dbc.Card:
    options = [{"label": f"{r['country']} ({r['country_iso2']})", "value": r["country_iso2"]} for r in
               queries.cities().filter(pl.col("cohort") == "mission").select("country", "country_iso2").unique()
               .sort("country").iter_rows(named=True)]
    return dbc.Card(dbc.CardBody(dbc.Row([
        dbc.Col([html.Label(_("Countries"), htmlFor=ID.country, className="filter-label"),
                 dcc.Dropdown(id=ID.country, multi=True, placeholder=_("All countries: the whole Mission"),
                              options=options, value=list(chosen.countries))], lg=6),
        dbc.Col(html.Div(brief_controls("mission", ",".join(chosen.countries)), id=ID.brief), lg="auto",
                className="ms-auto"),
    ], className="g-3 align-items-end")), className="mb-3")


@needs_warehouse
def layout(**query) -> html.Div:
    chosen = Scope.from_query(query)
    return html.Div([
        query_store(ID.query),
        html.H1(_("Where the Mission stands"), className="h3"),
        html.P(_("How far the Mission Cities are, together, from their 2030 goal, and whether it is moving. Figures "
                 "the European Commission and NetZeroCities published are shown as published, beside the warehouse's "
                 "own counts and sums, never mixed with them."), className="text-muted"),
        _filter(chosen),
        html.Div(sections(chosen), id=ID.sections),
    ])


def sections(scope: Scope) -> list:
    """The page below the filter, for a scope."""
    p = progress.of(scope)
    params = scope.to_query()
    return [
        dbc.Row(kpis(p), id=ID.kpis, className="g-3 mb-3"),
        html.H2(_("1. The road so far"), className="h4 mt-2"),
        dbc.Row([
            dbc.Col(exported_chart(_("From the expressions of interest to the labels (cities)"), "progress-road",
                                   params, ID.road, summary_id=ID.road_summary, chart_notes=True), lg=7),
            dbc.Col(road_table(p.road), lg=5),
        ], className="g-3 mb-3"),
        html.H2(_("2. The gap to 2030"), className="h4 mt-2"),
        dbc.Row([
            dbc.Col(exported_chart(_("Summed baselines, planned cuts and summed 2030 targets (t CO2e a year)"),
                                   "progress-gap", params, ID.gap, summary_id=ID.gap_summary), lg=7),
            dbc.Col(coverage(p.gap), lg=5),
        ], className="g-3 mb-3"),
        dbc.Row([
            dbc.Col(exported_chart(_("By country (t CO2e a year)"), "progress-countries", params, ID.countries,
                                   summary_id=ID.countries_summary, chart_notes=True), lg=6),
            dbc.Col(exported_chart(_("Planned cuts by field of action (t CO2e a year)"), "progress-fields", params,
                                   ID.fields, summary_id=ID.fields_summary, chart_notes=True), lg=6),
        ], className="g-3 mb-3"),
        html.P([dcc.Link(_("Explore scenarios for the Mission →") if scope.whole
                         else _("Explore scenarios for {who} →").format(who=p.who),
                         href="/scenarios" + search(params), id=ID.scenarios_link)], className="mb-3"),
        html.H2(_("3. Achieved against required"), className="h4 mt-2"),
        dbc.Row([
            dbc.Col(exported_chart(_("Yearly cut achieved and yearly cut needed (% a year)"), "progress-pace", params,
                                   ID.pace, summary_id=ID.pace_summary, chart_notes=True), lg=6),
            dbc.Col(pace_table(p.pace), lg=6),
        ], className="g-3 mb-3"),
        html.H2(_("4. Money"), className="h4 mt-2"),
        dbc.Row([
            dbc.Col(exported_chart(_("Published investment figures and the portfolios' stated costs (EUR bn)"),
                                   "progress-money", params, ID.money, summary_id=ID.money_summary, chart_notes=True),
                    lg=7),
            dbc.Col(money_table(p.published), lg=5),
        ], className="g-3 mb-3"),
    ]


def kpis(p: progress.Progress) -> list[dbc.Col]:
    g = p.gap
    left_out = g.cities.height - g.in_sums.height
    cards = [
        (number(g.cities.height), _("Mission Cities"), p.who),
        (number(p.labelled), _("with the Mission Label in the warehouse"), _("official announcements")),
        (number(g.in_sums.height), _("in the gap's sums"),
         _("{n} left out, named below").format(n=number(left_out)) if left_out else _("none left out")),
        (_("{tonnes} CO2e").format(tonnes=tonnes(g.baseline)), _("summed baselines"),
         _("{pct} modelled estimates").format(pct=percent(g.baseline_modelled / g.baseline * 100)) if g.baseline
         else ""),
        (tonnes(g.shortfall), _("still to cut a year by 2030"),
         _("{pct} of the summed baselines, after the planned cuts").format(pct=percent(g.shortfall / g.baseline * 100))
         if g.baseline else ""),
    ]
    return [dbc.Col(kpi_card(value, label, note), xs=6, md=4, xl=True) for value, label, note in cards]


def road_table(rows: pl.DataFrame) -> dbc.Card:
    """Each published count beside the warehouse's, with the difference explained."""
    body = [html.Tr([html.Td(date(r["as_of"], "short_month"), className="text-nowrap"), html.Td(r["stage"]),
                     html.Td(number(r["published"]), className="text-end"),
                     html.Td("—" if r["warehouse"] is None else number(r["warehouse"]), className="text-end"),
                     html.Td(r["note"] or "", className="small")]) for r in rows.iter_rows(named=True)]
    return dbc.Card([dbc.CardHeader(html.H3(_("Published and in the warehouse"), className="h6 mb-0")), dbc.CardBody(
        dbc.Table([html.Thead(html.Tr([html.Th(_("As of")), html.Th(_("What")), html.Th(_("Published")),
                                       html.Th(_("Warehouse")), html.Th(_("Why they differ"))])), html.Tbody(body)],
                  size="sm", responsive=True, className="mb-0 small", id=ID.road_table))], className="h-100")


def coverage(g: progress.Gap) -> dbc.Card:
    """Who is in the sums and who is not, by name."""
    return dbc.Card([dbc.CardHeader(html.H3(_("Which cities the sums cover"), className="h6 mb-0")),
                     dbc.CardBody([html.P(line, className="small") for line in progress.coverage_words(g)]
                                  + [html.P(_("A city's baseline is its reported inventory of the base year its "
                                              "target names, else its latest, else a modelled estimate; base years "
                                              "differ, so the sum is not one year's emissions."),
                                            className="small text-muted")])],
                    id=ID.coverage, className="h-100")


def pace_table(rows: pl.DataFrame) -> dbc.Card:
    """Each city's sentence and the differences between its two inventories."""
    if not rows.height:
        body = html.P(_("No Mission City here has two reported inventories in the warehouse."), className="small")
    else:
        def verdict(on_pace: bool | None) -> str:
            return _("cannot be judged") if on_pace is None else _("on pace") if on_pace else _("not on pace")

        body = dbc.Table([html.Thead(html.Tr([html.Th(_("City")), html.Th(_("In words")), html.Th(_("Verdict")),
                                              html.Th(_("Differences between the inventories"))])),
                          html.Tbody([html.Tr([html.Td(dcc.Link(r["name"], href=f"/city/{r['city_id']}")),
                                               html.Td(r["sentence"], className="small"),
                                               html.Td(verdict(r["on_pace"]), className="small"),
                                               html.Td(r["caveats"] or _("none found"), className="small")])
                                      for r in rows.iter_rows(named=True)])],
                         size="sm", responsive=True, className="mb-0", id=ID.pace_table)
    return dbc.Card([dbc.CardHeader(html.H3(_("City by city"), className="h6 mb-0")), dbc.CardBody(body)],
                    className="h-100")


def money_table(published: pl.DataFrame) -> dbc.Card:
    """The published figures with their scope, date, source and words."""
    items = [html.Li([html.Strong(_("EUR {amount} bn").format(amount=number(r["value"], 1))), " ",
                      _("{scope} ({date}; {kind}, source {source})").format(
                          scope=r["scope"], date=date(r["as_of"], "month"), kind=vocab.KIND.label(r["kind"]),
                          source=r["source_id"]),
                      html.Blockquote(f"“{r['quote']}”", className="small text-muted mb-1") if r["quote"] else None])
             for r in published.iter_rows(named=True)]
    return dbc.Card([dbc.CardHeader(html.H3(_("As published"), className="h6 mb-0")), dbc.CardBody([
        html.Ul(items, className="small", id=ID.money_table) if items else
        html.P(_("The warehouse holds no published investment figure."), className="small"),
        html.P(_("Each figure counts something different for a different set of cities; none is added to another, "
                 "nor to the costs the portfolios state."), className="small text-muted mb-0")])], className="h-100")


@callback(output={"sections": Output(ID.sections, "children"), "query": Output(ID.query, "data"),
                  "brief": Output(ID.brief, "children")},
          inputs={"countries": Input(ID.country, "value")}, prevent_initial_call=True)
def update(countries) -> dict:
    scope = Scope.from_query({"country": countries if isinstance(countries, list) else None})
    return {"sections": sections(scope), "query": search(scope.to_query()),
            "brief": brief_controls("mission", ",".join(scope.countries))}


sync_url(ID.query)

