"""Cities on their way: what the Mission Platform opens to each European city (tiers from citable facts) across
Europe and by country, every city in a grid and on the map, the programmes' newcomer cities with their partners, a
self-check for any city, peers and the twinning network."""

from __future__ import annotations

from urllib.parse import parse_qsl

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import polars as pl
from dash import Input, Output, State, callback, dcc, html

import vocab
from i18n import N_, number
from i18n import gettext as _
from mission import charts, newcomers, overview, peers, queries, tiers
from mission.newcomers import QUESTIONS, STEPS
from mission.peers import GROUP_WORDS, MIX_GROUPS, Profile
from mission.words import count
from ui.a11y import question
from ui.cards import chart_card, exported_chart, graph
from ui.exports import export_buttons
from ui.grid import DEFAULT_COLUMN, data_grid, markdown_link
from ui.ids import PageIds
from ui.peers import peer_card
from ui.permalink import query_store, search, sync_url
from ui.quality import grade_column
from ui.shell import page_title
from ui.warehouse import needs_warehouse

dash.register_page(__name__, path="/newcomers", name=N_("Newcomers"), title=page_title(N_("Cities on their way")),
                   order=30)


class ID(PageIds, page="newcomers"):
    """The component ids of this page."""

    all_grid: str
    country: str
    grid: str
    horizon: str
    map: str
    map_export: str
    map_summary: str
    nav: str
    pairs: str
    peer_city: str
    peer_list: str
    peers: str
    pop_max: str
    pop_min: str
    query: str
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
    standing: str
    summary: str
    tier: str
    tiers: str
    tiers_chart: str
    tiers_export: str
    tiers_summary: str
    twin_map: str


def _step_id(step: str) -> str:
    return ID.part("self", step)


def _mix_id(sector: str) -> str:
    return ID.part("self", "mix", sector.replace(" ", "-"))


def yes_no() -> list[dict]:
    """The answers to a self-check question, in the reader's language."""
    return [{"label": _("yes"), "value": "yes"}, {"label": _("no"), "value": "no"},
            {"label": _("not sure"), "value": "unsure"}]


MIX_SECTORS = sorted(set(MIX_GROUPS.values()))
YES = {True: N_("yes"), False: N_("no"), None: N_("not known")}
ALL = "all"  # a select's "no filter" (an empty value would show an empty select)
POPULATION_FORMAT = {"function": "params.value == null ? '' : d3.format(',')(params.value)"}


def columns() -> list[dict]:
    """The columns of the programmes' newcomer cities, headed in the reader's language (built at layout time)."""
    return [
        {"field": "city", "headerName": _("City"), "cellRenderer": "markdown", "pinned": "left", "minWidth": 170},
        {"field": "country", "headerName": _("Country")},
        {"field": "programmes", "headerName": _("Programmes"), "minWidth": 200},
        {"field": "population", "headerName": _("Population"), "type": "numericColumn",
         "valueFormatter": POPULATION_FORMAT},
        {"field": "tier", "headerName": _("Tier"), "minWidth": 200, "tooltipField": "tier_reason"},
        grade_column(tooltipField="grade_reason"),
        {"field": "twins", "headerName": _("Twinning partners"), "minWidth": 180},
    ]


def all_columns() -> list[dict]:
    """The grid of every city: rows come from the server a block at a time (about 12,000 cities), sorted there."""
    return [
        {"field": "city", "headerName": _("City"), "cellRenderer": "markdown", "pinned": "left", "minWidth": 190},
        {"field": "country", "headerName": _("Country")},
        {"field": "tier", "headerName": _("Tier"), "minWidth": 190},
        {"field": "tier_reason", "headerName": _("Why"), "minWidth": 320, "sortable": False,
         "tooltipField": "tier_reason"},
        {"field": "standing", "headerName": _("Covenant of Mayors"), "minWidth": 170},
        {"field": "com_2030", "headerName": _("CoM 2030"), "maxWidth": 110, "sortable": False},
        {"field": "population", "headerName": _("Population"), "type": "numericColumn",
         "valueFormatter": POPULATION_FORMAT},
        {"field": "horizon", "headerName": _("Horizon Europe"), "minWidth": 150},
        {"field": "placement", "headerName": _("Point"), "maxWidth": 130, "tooltipField": "placement_note"},
    ]


SORTABLE = {"city": "name", "country": "country", "tier": "tier_rank", "standing": "standing", "population":
            "population", "horizon": "horizon_relation", "placement": "placement"}


def pair_columns() -> list[dict]:
    """The columns of the twinning pairs, headed in the reader's language (built at layout time)."""
    return [
        {"field": "newcomer", "headerName": _("City"), "cellRenderer": "markdown"},
        {"field": "partner", "headerName": _("Twinned with"), "cellRenderer": "markdown"},
        {"field": "programme_cohort", "headerName": _("Programme cohort")},
        {"field": "how", "headerName": _("Pairing")},
        {"field": "source_id", "headerName": _("Source"), "minWidth": 220},
    ]


RULE = {"mission_city": N_("One of the 112 Mission Cities."),
        "committed_2050": N_("Its mayor signed a climate-neutrality commitment for 2050 or earlier, by a citable "
                             "source: the Covenant of Mayors' 2050 initiative, or a twinning cohort (2024 on) that "
                             "required one."),
        "open": N_("Any other European city.")}


def _tiers_table(table: pl.DataFrame) -> dbc.Table:
    n = dict(table.group_by("tier").len().iter_rows())
    return dbc.Table([
        html.Thead(html.Tr([html.Th(h) for h in (_("Tier"), _("What it takes"), _("What it opens"), _("Cities"))])),
        html.Tbody([html.Tr([html.Td(vocab.TIER.label(t.code)), html.Td(_(RULE[t.code])),
                             html.Td(", ".join(tiers.opens(t.code))), html.Td(number(n.get(t.code, 0)))])
                    for t in vocab.TIER]),
    ], size="sm", bordered=True, responsive=True, id=ID.tiers, className="mb-0")


def _filters(table: pl.DataFrame, chosen: tiers.Filters) -> dbc.Card:
    countries = table.select("country_iso2", "country").unique().sort("country")
    select = {"className": "form-select"}
    return dbc.Card(dbc.CardBody(dbc.Row([
        dbc.Col([html.Label(_("Countries"), htmlFor=ID.country, className="filter-label"),
                 dcc.Dropdown(id=ID.country, multi=True, placeholder=_("All countries"), value=list(chosen.countries),
                              options=[{"label": f"{r['country']} ({r['country_iso2']})", "value": r["country_iso2"]}
                                       for r in countries.iter_rows(named=True)])], lg=3),
        dbc.Col([html.Label(_("Tier"), htmlFor=ID.tier, className="filter-label"),
                 dbc.Select(id=ID.tier, value=chosen.tier or ALL, options=[{"label": _("All"), "value": ALL}] + [
                     {"label": label, "value": code} for code, label in vocab.TIER.labels().items()], **select)],
                lg=2),
        dbc.Col([html.Label(_("Covenant of Mayors"), htmlFor=ID.standing, className="filter-label"),
                 dbc.Select(id=ID.standing, value=chosen.standing or ALL, options=[{"label": _("All"), "value": ALL}]
                            + [{"label": _(label), "value": code} for code, label in tiers.STANDING.items()],
                            **select)], lg=2),
        dbc.Col([html.Label(_("Population from"), htmlFor=ID.pop_min, className="filter-label"),
                 dbc.Input(id=ID.pop_min, type="number", min=0, step=1000, value=chosen.pop_min,
                           debounce=True)], lg=1, xs=6),
        dbc.Col([html.Label(_("to"), htmlFor=ID.pop_max, className="filter-label"),
                 dbc.Input(id=ID.pop_max, type="number", min=0, step=1000, value=chosen.pop_max,
                           debounce=True)], lg=1, xs=6),
        dbc.Col([html.Label(_("Horizon Europe"), htmlFor=ID.horizon, className="filter-label"),
                 dbc.Select(id=ID.horizon, value=chosen.horizon or ALL, options=[{"label": _("All"), "value": ALL}] + [
                     {"label": label, "value": code} for code, label in vocab.HORIZON_RELATION.labels().items()]
                     + [{"label": _("no relation"), "value": "none"}], **select)], lg=3),
    ], className="g-3")), className="mb-3")


def _question(step: str) -> html.Div:
    return html.Div(question(_(QUESTIONS[step]), _step_id(step), yes_no(), "unsure", inline=True), className="mb-2")


def _self_check(country_options: list[dict]) -> dbc.Card:
    mix = [dbc.Col([html.Label(_(GROUP_WORDS.get(name, name)), htmlFor=_mix_id(name), className="small"),
                    dbc.Input(id=_mix_id(name), type="number", min=0, max=100, step=1,
                              placeholder="%", size="sm")], xs=4, md=2) for name in MIX_SECTORS]
    return dbc.Card([
        dbc.CardHeader(html.H2(_("Self-check for a city that is not in the warehouse"), className="h6 mb-0")),
        dbc.CardBody([
            html.P(_("Answer a few questions to see your tier, what it opens, your next step and the Mission Cities "
                     "most like your city. Nothing you type is stored: it is used for this answer only."),
                   className="small text-muted"),
            dbc.Row([
                dbc.Col([html.Label(_("City name (optional)"), htmlFor=ID.self_name, className="filter-label"),
                         dbc.Input(id=ID.self_name, type="text", maxLength=80)], md=4),
                dbc.Col([html.Label(_("Country"), htmlFor=ID.self_country, className="filter-label"),
                         dcc.Dropdown(id=ID.self_country, options=country_options,
                                      placeholder=_("Country…"))], md=4),
                dbc.Col([html.Label(_("Population"), htmlFor=ID.self_population, className="filter-label"),
                         dbc.Input(id=ID.self_population, type="number", min=1, step=1)], md=4),
            ], className="g-3 mb-2"),
            *(_question(step) for step in STEPS),
            dbc.Row([dbc.Col([html.Label(_("Emissions per person, t CO2e (optional)"), htmlFor=ID.self_per_capita,
                                         className="filter-label"),
                              dbc.Input(id=ID.self_per_capita, type="number", min=0, max=100,
                                        step=0.1)], md=4)],
                    className="mb-2"),
            html.Div(_("Sector mix: share of emissions in % (optional)"), className="filter-label"),
            dbc.Row(mix, className="g-2 mb-3"),
            dbc.Button(_("Check"), id=ID.self_check, color="primary", className="me-2"),
            dbc.Button(_("Download the summary"), id=ID.self_download_button, color="secondary", outline=True),
            html.Div(id=ID.self_result, className="mt-3"),
            dcc.Download(id=ID.self_download),
        ]),
    ], className="mb-3")


@needs_warehouse
def layout(**query) -> html.Div:
    table = newcomers.newcomer_table()
    everyone = tiers.table()
    chosen = tiers.Filters.from_query(query)
    countries = queries.countries()
    return html.Div([
        dcc.Location(id=ID.nav, refresh="callback-nav"),
        query_store(ID.query),
        html.H1(_("Cities on their way"), className="h3"),
        html.P(_("The Mission Platform is opening to any European city aiming for climate neutrality by 2050. What a "
                 "city may join depends on its commitments, and here on what a citable source says of them: the "
                 "Covenant of Mayors' signatories as the JRC publishes them, the programmes' own lists."),
               className="text-muted"),
        dbc.Card([dbc.CardHeader(html.H2(_("Tiers and what they open"), className="h6 mb-0")),
                  dbc.CardBody(_tiers_table(everyone))], className="mb-3"),
        _filters(everyone, chosen),
        dbc.Row([
            dbc.Col(chart_card(_("Cities by tier and country"), graph(ID.tiers_chart, height=560),
                               summary_id=ID.tiers_summary, export=html.Div(id=ID.tiers_export)), lg=5),
            dbc.Col(chart_card(_("Cities by tier on the map"), graph(ID.map, height=560), summary_id=ID.map_summary,
                               export=html.Div(id=ID.map_export)), lg=7),
        ], className="g-3 mb-3"),
        dbc.Card([
            dbc.CardHeader(html.H2(_("Every city of the filters"), className="h6 mb-0")),
            all_grid(),
            dbc.CardFooter(html.P(id=ID.summary, className="mb-0 small"), className="bg-white"),
        ], className="mb-3"),
        dbc.Card([
            dbc.CardHeader(html.H2(_("The programmes' newcomer cities"), className="h6 mb-0")),
            data_grid(ID.grid, columns(), newcomer_rows(table)),
            dbc.CardFooter(html.P(_("{cities} of the Pilot Cities and Twinning programmes that are not Mission Cities "
                                    "(a partial list: the programmes' full rosters are not published).").format(
                                        cities=count(table.height, "{n} city", "{n} cities")),
                                  className="mb-0 small text-muted"), className="bg-white"),
        ], className="mb-3"),
        dbc.Row([dbc.Col([
            html.Label(_("Peers of a newcomer"), htmlFor=ID.peer_city, className="filter-label"),
            dcc.Dropdown(id=ID.peer_city, value=table["city_id"][0] if table.height else None,
                         options=[{"label": f"{r['name']} ({r['country_iso2']})", "value": r["city_id"]}
                                  for r in table.iter_rows(named=True)]),
            html.Div(id=ID.peers)], lg=6),
            dbc.Col(_self_check([{"label": f"{r['name']} ({r['country_iso2']})", "value": r["country_iso2"]}
                                 for r in countries.iter_rows(named=True)]), lg=6)], className="g-3"),
        exported_chart(_("Peer-learning network: twinning pairs"), "twinning", {}, ID.twin_map, height=460,
                       notes=(data_grid(ID.pairs, pair_columns(), pair_rows(queries.twin_links())),)),
    ])


def newcomer_rows(table: pl.DataFrame) -> list[dict]:
    return [{**r, "city": markdown_link(r["name"], f"/city/{r['city_id']}"),
             "tier": vocab.TIER.label(r["tier"])} for r in table.iter_rows(named=True)]


# The page's filters reach the grid as the filter model of a hidden column: a new model makes the grid drop the rows
# it holds and ask for them again, and every request carries the filters it is for.
FILTER_COLUMN = "filters"


def all_grid() -> dag.AgGrid:
    """The grid of every city the filters keep, its rows asked from the server a block at a time."""
    hidden = {"field": FILTER_COLUMN, "hide": True, "filter": "agTextColumnFilter"}
    return dag.AgGrid(id=ID.all_grid, columnDefs=[*all_columns(), hidden], rowModelType="infinite",
                      defaultColDef={**DEFAULT_COLUMN, "filter": False}, className="ag-theme-quartz",
                      dashGridOptions={"cacheBlockSize": 100, "maxBlocksInCache": 20, "tooltipShowDelay": 300},
                      style={"height": "480px"})


def filter_model(chosen: tiers.Filters) -> dict:
    return {FILTER_COLUMN: {"filterType": "text", "type": "equals", "filter": search(chosen.to_query()) or "?"}}


def filters_of(request: dict) -> tiers.Filters:
    """The page's filters a grid request is for (see FILTER_COLUMN)."""
    model = request.get("filterModel")
    column = model.get(FILTER_COLUMN) if isinstance(model, dict) else None
    text = column.get("filter") if isinstance(column, dict) else None
    return tiers.Filters.from_query(dict(parse_qsl(text.lstrip("?"))) if isinstance(text, str) else {})


def _row_index(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1_000_000 else default


@callback(
    output={"tiers": Output(ID.tiers_chart, "figure"), "tiers_summary": Output(ID.tiers_summary, "children"),
            "tiers_export": Output(ID.tiers_export, "children"), "map": Output(ID.map, "figure"),
            "map_summary": Output(ID.map_summary, "children"), "map_export": Output(ID.map_export, "children"),
            "grid": Output(ID.all_grid, "filterModel"), "summary": Output(ID.summary, "children"),
            "query": Output(ID.query, "data")},
    inputs={"country": Input(ID.country, "value"), "tier": Input(ID.tier, "value"),
            "standing": Input(ID.standing, "value"), "pop_min": Input(ID.pop_min, "value"),
            "pop_max": Input(ID.pop_max, "value"), "horizon": Input(ID.horizon, "value")},
)
def update(**values) -> dict:
    chosen = tiers.Filters.from_query(values)
    params = chosen.to_query()
    by_tier, on_map = charts.build("newcomers-tiers", params), charts.build("newcomers-map", params)
    return {"tiers": by_tier.figure, "tiers_summary": by_tier.summary,
            "tiers_export": export_buttons("newcomers-tiers", params), "map": on_map.figure,
            "map_summary": on_map.summary, "map_export": export_buttons("newcomers-map", params),
            "grid": filter_model(chosen), "summary": by_tier.summary + " " + _(
                "Sort by a column's header; hover a tier's reason or a point's placement to read it whole."),
            "query": search(params)}


sync_url(ID.query)


@callback(Output(ID.all_grid, "getRowsResponse"), Input(ID.all_grid, "getRowsRequest"))
def grid_rows(request) -> dict:
    """One block of the filtered cities, sorted as the grid asks."""
    if not isinstance(request, dict):
        return dash.no_update
    chosen = filters_of(request)
    start = _row_index(request.get("startRow"), 0)
    end = min(start + 500, max(start, _row_index(request.get("endRow"), start + 100)))
    model = request.get("sortModel")
    sort = [s for s in (model if isinstance(model, list) else []) if isinstance(s, dict)
            and s.get("colId") in SORTABLE]
    frame = tiers.rows_for_grid(chosen, [(SORTABLE[s["colId"]], s.get("sort") == "desc") for s in sort])
    block = frame.slice(start, end - start)
    return {"rowData": [grid_row(r) for r in block.iter_rows(named=True)], "rowCount": frame.height}


def grid_row(r: dict) -> dict:
    return {"city": markdown_link(r["name"], f"/city/{r['city_id']}"), "country": r["country"],
            "tier": vocab.TIER.label(r["tier"]), "tier_reason": r["tier_reason"],
            "standing": _(tiers.STANDING[r["standing"]]), "com_2030": _(YES[r["com_2030"]])
            if r["covenant_signatory"] else "", "population": r["population"],
            "horizon": vocab.HORIZON_RELATION.label(r["horizon_relation"], _("no relation")),
            "placement": vocab.PLACEMENT.label(r["placement"]).split(":")[0].strip(),
            "placement_note": r["placement_note"]}


@callback(Output(ID.nav, "href"), Input(ID.map, "clickData"), prevent_initial_call=True)
def open_city(click):
    city_id = overview.clicked_id(click)
    return f"/city/{city_id}" if isinstance(city_id, str) and city_id else dash.no_update


def pair_rows(links: pl.DataFrame) -> list[dict]:
    return [{"newcomer": markdown_link(r["city"], f"/city/{r['city_id']}"),
             "partner": markdown_link(r["partner"], f"/city/{r['partner_city_id']}"),
             "programme_cohort": r["programme_cohort"],
             "how": _("inferred by the source") if r["inferred"] else _("named"), "source_id": r["source_id"]}
            for r in links.iter_rows(named=True)]


@callback(Output(ID.peers, "children"), Input(ID.peer_city, "value"))
def newcomer_peers(city_id):
    me = peers.profile_of(city_id) if isinstance(city_id, str) else None
    if me is None:
        return html.P(_("Pick a newcomer city."), className="text-muted")
    matches = peers.find(me, peers.mission_candidates())
    return peer_card(_("Mission Cities like {city}").format(city=me.name), matches, peers.summary(me, matches),
                     ID.peer_list)


def _answer(value) -> bool | None:
    return {"yes": True, "no": False}.get(value) if isinstance(value, str) else None


def _number(value, low: float, high: float) -> float | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high
    return float(value) if ok else None


@callback(Output(ID.self_result, "children"), Output(ID.self_download, "data"),
          Input(ID.self_check, "n_clicks"), Input(ID.self_download_button, "n_clicks"),
          State(ID.self_name, "value"), State(ID.self_country, "value"),
          State(ID.self_population, "value"),
          State(ID.self_per_capita, "value"), *(State(_step_id(step), "value") for step in STEPS),
          *(State(_mix_id(name), "value") for name in MIX_SECTORS),
          prevent_initial_call=True)
def self_check(_check, _download, name, country, population, per_capita, *rest):
    if not isinstance(country, str) or len(country) != 2:
        return dbc.Alert(_("Pick the city's country."), color="warning"), dash.no_update
    answers = {step: _answer(value) for step, value in zip(STEPS, rest[:len(STEPS)], strict=True)}
    mix = rest[len(STEPS):]
    result = newcomers.self_check(answers)
    shares = {sector: value / 100 for sector, value in zip(MIX_SECTORS, mix, strict=True)
              if _number(value, 0, 100)}
    me = Profile(name.strip()[:80] if isinstance(name, str) and name.strip() else _("your city"), country,
                 int(population) if _number(population, 1, 5e7) else None, _number(per_capita, 0, 100), shares)
    matches = peers.find(me, peers.mission_candidates())
    if dash.ctx.triggered_id == ID.self_download_button:
        text = newcomers.summary_text(me.name, country, me.population, result, matches)
        return dash.no_update, {"content": text, "filename": "self_check.txt"}
    return html.Div([
        html.H3(_("Tier: {tier}").format(tier=result.tier.label), className="h6", id=ID.self_tier),
        html.P(_("Why: {reason}.").format(reason=result.tier.reason), className="small text-muted"),
        html.P(_("Opens: {supports}.").format(supports=", ".join(result.tier.opens)), id=ID.self_opens),
        html.Div([_("Next steps:"), html.Ol([html.Li(step) for step in result.steps], className="mb-2")],
                 id=ID.self_next),
        peer_card(_("Mission Cities like {city}").format(city=me.name), matches, peers.summary(me, matches),
                  ID.self_peers),
    ]), dash.no_update
