"""Newcomer cities: readiness tiers and what they open, a self-check for any city, peers and the twinning network."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import polars as pl
from dash import Input, Output, State, callback, dcc, html

from mission import newcomers, peers, queries
from mission.newcomers import QUESTIONS, STEPS, TIERS
from mission.peers import MIX_GROUPS, Profile
from ui.cards import exported_chart
from ui.grid import data_grid, markdown_link
from ui.ids import PageIds
from ui.peers import peer_card
from ui.quality import grade_column
from ui.warehouse import needs_warehouse

dash.register_page(__name__, path="/newcomers", name="Newcomers", title="Newcomer cities · Cities Mission Dashboard",
                   order=30)


class ID(PageIds, page="newcomers"):
    """The component ids of this page."""

    grid: str
    pairs: str
    peer_city: str
    peer_list: str
    peers: str
    self_check: str
    self_country: str
    self_download: str
    self_download_button: str
    self_name: str
    self_next: str
    self_opens: str
    self_peers: str
    self_per_capita: str
    self_population: str
    self_result: str
    self_tier: str
    summary: str
    tiers: str
    twin_map: str


def _step_id(step: str) -> str:
    return ID.part("self", step)


def _mix_id(sector: str) -> str:
    return ID.part("self", "mix", sector.replace(" ", "-"))


YES_NO = [{"label": "yes", "value": "yes"}, {"label": "no", "value": "no"}, {"label": "not sure", "value": "unsure"}]
MIX_SECTORS = sorted(set(MIX_GROUPS.values()))
KNOWN = {True: "yes", False: "no", None: "unknown"}
COLUMNS = [
    {"field": "city", "headerName": "City", "cellRenderer": "markdown", "pinned": "left", "minWidth": 170},
    {"field": "country", "headerName": "Country"},
    {"field": "population", "headerName": "Population", "type": "numericColumn",
     "valueFormatter": {"function": "params.value == null ? '' : d3.format(',')(params.value)"}},
    {"field": "monitors", "headerName": "Monitors emissions"},
    {"field": "target_2050", "headerName": "2050 target signed"},
    {"field": "ambition_2030", "headerName": "2030 ambition"},
    {"field": "tier", "headerName": "Tier", "minWidth": 200},
    grade_column(tooltipField="grade_reason"),
    {"field": "twins", "headerName": "Twinning partners", "minWidth": 180},
]
PAIR_COLUMNS = [
    {"field": "newcomer", "headerName": "City", "cellRenderer": "markdown"},
    {"field": "partner", "headerName": "Twinned with", "cellRenderer": "markdown"},
    {"field": "programme_cohort", "headerName": "Programme cohort"},
    {"field": "how", "headerName": "Pairing"},
    {"field": "source_id", "headerName": "Source", "minWidth": 220},
]


def _tiers_table() -> dbc.Table:
    return dbc.Table([
        html.Thead(html.Tr([html.Th(h) for h in ("Tier", "What the city has done", "Support it opens",
                                                  "Next step")])),
        html.Tbody([html.Tr([html.Td(t.level), html.Td(t.name), html.Td(", ".join(t.opens)), html.Td(t.next_step)])
                    for t in TIERS]),
    ], size="sm", bordered=True, responsive=True, id=ID.tiers, className="mb-0")


def _question(step: str) -> html.Div:
    return html.Div([html.Div(QUESTIONS[step], className="filter-label"),
                     dbc.RadioItems(id=_step_id(step), options=YES_NO, value="unsure", inline=True)],
                    className="mb-2")


def _self_check(country_options: list[dict]) -> dbc.Card:
    mix = [dbc.Col([html.Label(name, htmlFor=_mix_id(name), className="small"),
                    dbc.Input(id=_mix_id(name), type="number", min=0, max=100, step=1,
                              placeholder="%", size="sm")], xs=4, md=2) for name in MIX_SECTORS]
    return dbc.Card([
        dbc.CardHeader(html.H2("Self-check for a city that is not in the warehouse", className="h6 mb-0")),
        dbc.CardBody([
            html.P("Answer a few questions to see your tier, what it opens, your next step and the Mission Cities "
                   "most like your city. Nothing you type is stored: it is used for this answer only.",
                   className="small text-muted"),
            dbc.Row([
                dbc.Col([html.Label("City name (optional)", htmlFor=ID.self_name, className="filter-label"),
                         dbc.Input(id=ID.self_name, type="text", maxLength=80)], md=4),
                dbc.Col([html.Label("Country", htmlFor=ID.self_country, className="filter-label"),
                         dcc.Dropdown(id=ID.self_country, options=country_options,
                                      placeholder="Country…")], md=4),
                dbc.Col([html.Label("Population", htmlFor=ID.self_population, className="filter-label"),
                         dbc.Input(id=ID.self_population, type="number", min=1, step=1)], md=4),
            ], className="g-3 mb-2"),
            *(_question(step) for step in STEPS),
            dbc.Row([dbc.Col([html.Label("Emissions per person, t CO2e (optional)", htmlFor=ID.self_per_capita,
                                         className="filter-label"),
                              dbc.Input(id=ID.self_per_capita, type="number", min=0, max=100,
                                        step=0.1)], md=4)],
                    className="mb-2"),
            html.Div("Sector mix, % of emissions (optional)", className="filter-label"),
            dbc.Row(mix, className="g-2 mb-3"),
            dbc.Button("Check", id=ID.self_check, color="primary", className="me-2"),
            dbc.Button("Download the summary", id=ID.self_download_button, color="secondary", outline=True),
            html.Div(id=ID.self_result, className="mt-3"),
            dcc.Download(id=ID.self_download),
        ]),
    ], className="mb-3")


@needs_warehouse
def layout(**_query) -> html.Div:
    table = newcomers.newcomer_table()
    links = queries.twin_links()
    countries = queries.countries()
    counts = newcomers.tier_counts(table)
    return html.Div([
        html.H1("Newcomer cities", className="h3"),
        html.P("The Mission Platform is opening to cities that are not Mission Cities. What a city can join depends "
               "on how far it has come: four tiers, each opening more peer learning.", className="text-muted"),
        dbc.Card([dbc.CardHeader(html.H2("Tiers and what they open", className="h6 mb-0")),
                  dbc.CardBody(_tiers_table())], className="mb-3"),
        dbc.Card([
            dbc.CardHeader(html.H2("Newcomers in the warehouse", className="h6 mb-0")),
            data_grid(ID.grid, COLUMNS, newcomer_rows(table)),
            dbc.CardFooter([html.P(newcomers.tiers_summary(table), className="mb-1", id=ID.summary),
                            html.Div("By country and tier: " + "; ".join(
                                f"{r['country']}: {r['cities']} {r['tier']}" for r in counts.iter_rows(named=True)),
                                className="small text-muted")], className="bg-white"),
        ], className="mb-3"),
        dbc.Row([dbc.Col([
            html.Label("Peers of a newcomer", htmlFor=ID.peer_city, className="filter-label"),
            dcc.Dropdown(id=ID.peer_city, value=table["city_id"][0] if table.height else None,
                         options=[{"label": f"{r['name']} ({r['country_iso2']})", "value": r["city_id"]}
                                  for r in table.iter_rows(named=True)]),
            html.Div(id=ID.peers)], lg=6),
            dbc.Col(_self_check([{"label": f"{r['name']} ({r['country_iso2']})", "value": r["country_iso2"]}
                                 for r in countries.iter_rows(named=True)]), lg=6)], className="g-3"),
        exported_chart("Peer-learning network: twinning pairs", "twinning", {}, ID.twin_map, height=460,
                       notes=(data_grid(ID.pairs, PAIR_COLUMNS, pair_rows(links)),)),
    ])


def newcomer_rows(table: pl.DataFrame) -> list[dict]:
    return [{**r, "city": markdown_link(r["name"], f"/city/{r['city_id']}"),
             **{step: KNOWN[r[step]] for step in STEPS}} for r in table.iter_rows(named=True)]


def pair_rows(links: pl.DataFrame) -> list[dict]:
    return [{"newcomer": markdown_link(r["city"], f"/city/{r['city_id']}"),
             "partner": markdown_link(r["partner"], f"/city/{r['partner_city_id']}"),
             "programme_cohort": r["programme_cohort"],
             "how": "inferred by the source" if r["inferred"] else "named", "source_id": r["source_id"]}
            for r in links.iter_rows(named=True)]


@callback(Output(ID.peers, "children"), Input(ID.peer_city, "value"))
def newcomer_peers(city_id):
    me = peers.profile_of(city_id) if isinstance(city_id, str) else None
    if me is None:
        return html.P("Pick a newcomer city.", className="text-muted")
    matches = peers.find(me, peers.mission_candidates())
    return peer_card(f"Mission Cities like {me.name}", matches, peers.summary(me, matches), ID.peer_list)


def _answer(value) -> bool | None:
    return {"yes": True, "no": False}.get(value) if isinstance(value, str) else None


def _number(value, low: float, high: float) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high
    return float(value) if ok else None


@callback(Output(ID.self_result, "children"), Output(ID.self_download, "data"),
          Input(ID.self_check, "n_clicks"), Input(ID.self_download_button, "n_clicks"),
          State(ID.self_name, "value"), State(ID.self_country, "value"),
          State(ID.self_population, "value"),
          *(State(_step_id(step), "value") for step in STEPS), State(ID.self_per_capita, "value"),
          *(State(_mix_id(name), "value") for name in MIX_SECTORS),
          prevent_initial_call=True)
def self_check(_check, _download, name, country, population, monitors, target_2050, ambition_2030, per_capita,
               *mix):
    if not isinstance(country, str) or len(country) != 2:
        return dbc.Alert("Pick the city's country.", color="warning"), dash.no_update
    answers = {"monitors": _answer(monitors), "target_2050": _answer(target_2050),
               "ambition_2030": _answer(ambition_2030)}
    result = newcomers.readiness(answers)
    shares = {sector: value / 100 for sector, value in zip(MIX_SECTORS, mix, strict=True)
              if _number(value, 0, 100)}
    me = Profile(name.strip()[:80] if isinstance(name, str) and name.strip() else "your city", country,
                 int(population) if _number(population, 1, 5e7) else None, _number(per_capita, 0, 100), shares)
    matches = peers.find(me, peers.mission_candidates())
    if dash.ctx.triggered_id == ID.self_download_button:
        text = newcomers.summary_text(me.name, country, me.population, answers, result, matches)
        return dash.no_update, {"content": text, "filename": "readiness_self_check.txt"}
    return html.Div([
        html.H3(f"Tier: {result.label}", className="h6", id=ID.self_tier),
        html.P("Opens: " + (", ".join(result.tier.opens) if result.tier else "not known until the first question "
                                                                              "is answered"),
               id=ID.self_opens),
        html.P("Next step: " + newcomers.next_step(result), id=ID.self_next),
        peer_card(f"Mission Cities like {me.name}", matches, peers.summary(me, matches), ID.self_peers),
    ]), dash.no_update
