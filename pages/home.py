"""Overview: the Mission Cities and newcomers on a map, the headline counts (with the European cities on their way)
and the label pipeline, filtered."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

import vocab
from i18n import N_, number, percent
from i18n import gettext as _
from mission import charts, overview, queries, tiers
from mission.overview import METRICS, Filters
from mission.words import tonnes
from ui.a11y import question
from ui.cards import chart_card, chart_table, graph, kpi_card
from ui.exports import export_buttons
from ui.ids import PageIds
from ui.permalink import query_store, search, sync_url
from ui.warehouse import SITE, needs_warehouse


def _title(**_query) -> str:
    """The overview's tab bears the site's name alone."""
    return _(SITE)


dash.register_page(__name__, path="/", name=N_("Overview"), title=_title, order=0)

SEARCH_SHOWN = 10  # cities listed for what is typed


class ID(PageIds, page="home"):
    """The component ids of this page."""

    city_results: str
    city_search: str
    cohort: str
    country: str
    kpi_baseline: str
    kpi_countries: str
    kpi_labelled: str
    kpi_mission: str
    kpi_newcomers: str
    kpi_way: str
    kpis: str
    label: str
    map: str
    map_export: str
    map_table: str
    map_summary: str
    metric: str
    metric_note: str
    nav: str
    pipeline: str
    pipeline_export: str
    pipeline_summary: str
    query: str


PIPELINE_NOTE = N_("Label dates are the announcement days; for May 2025 and February 2026 only the month is known. "
                 "From October 2025 the published counts are one higher: they take the joint entry Eindhoven & "
                 "Helmond as two cities, the warehouse as one (see Mission progress). Source: European Commission / "
                 "NetZeroCities announcements.")


def _radio(legend: str, id: str, options: list[tuple[str, str]], value: str) -> html.Fieldset:
    return question(legend, id, [{"label": label, "value": v} for v, label in options], value, inline=True,
                    className="small")


def _filters(frame, chosen: Filters) -> dbc.Card:
    countries = sorted({(r["country"], r["country_iso2"]) for r in frame.iter_rows(named=True)})
    return dbc.Card(dbc.CardBody(dbc.Row([
        dbc.Col([html.Label(_("Countries"), htmlFor=ID.country, className="filter-label"),
                 dcc.Dropdown(id=ID.country, multi=True, placeholder=_("All countries"),
                              options=[{"label": f"{name} ({iso})", "value": iso} for name, iso in countries],
                              value=list(chosen.countries))], lg=4),
        dbc.Col(_radio(_("Cohort"), ID.cohort,
                       [("", _("All")), ("mission", _("Mission Cities")), ("newcomer", _("Newcomers"))],
                       chosen.cohort or ""), lg=3),
        dbc.Col(_radio(_("Mission Label"), ID.label,
                       [("", _("All")), ("labelled", _("Labelled")), ("not_labelled", _("Not labelled"))],
                       chosen.label_status or ""), lg=3),
        dbc.Col([html.Label(_("Colour the map by"), htmlFor=ID.metric, className="filter-label"),
                 dbc.Select(id=ID.metric, value=chosen.metric,
                            options=[{"label": _(m.label), "value": m.key} for m in METRICS.values()])], lg=2),
    ], className="g-3")), className="mb-3")


@needs_warehouse
def layout(**query) -> html.Div:
    frame = queries.cities()
    chosen = Filters.from_query(query)
    return html.Div([
        dcc.Location(id=ID.nav, refresh="callback-nav"),
        query_store(ID.query),
        dbc.Row([
            dbc.Col(html.H1(_("EU Mission for 100 climate-neutral and smart cities by 2030"), className="h3"), lg=8),
            dbc.Col([html.Label(_("Find a city (about {n}: Mission Cities, newcomers, Covenant signatories)").format(
                                    n=number(12000)), htmlFor=ID.city_search, className="filter-label"),
                     dbc.Input(id=ID.city_search, type="search",
                               placeholder=_("Type at least two letters of its name"),
                               debounce=0.25, autoComplete="off", maxLength=80),
                     html.Div(id=ID.city_results, className="city-results", role="region", **{"aria-live": "polite"})],
                    lg=4),
        ], className="align-items-center mb-2"),
        _filters(frame, chosen),
        dbc.Row(id=ID.kpis, className="g-3 mb-3"),
        dbc.Row([
            dbc.Col(chart_card(_("Cities of the mission"), [
                html.Div(id=ID.metric_note, className="small text-muted px-2 pt-1"),
                graph(ID.map, height=520)], summary_id=ID.map_summary,
                notes=html.Div(id=ID.map_table), export=html.Div(id=ID.map_export)), lg=8),
            dbc.Col(chart_card(_("Mission Label pipeline"), graph(ID.pipeline, height=320),
                               summary_id=ID.pipeline_summary, notes=_(PIPELINE_NOTE),
                               export=html.Div(id=ID.pipeline_export)), lg=4),
        ], className="g-3"),
    ])


def map_columns(chosen: Filters) -> dict[str, str]:
    """The columns of the map's table: each city, its stage, population and the measure the map is coloured by."""
    metric = METRICS[chosen.metric]
    measure = {} if metric.column == "stage" else {"value": f"{_(metric.label)} ({_(metric.unit)})" if metric.unit
                                                   else _(metric.label)}
    return {"city": _("City"), "country_iso2": _("Country"), "stage": _("Stage"), "population": _("Population"),
            **measure, "grade": _("Data quality grade")}


def kpi_row(k: overview.Kpis, way: tiers.OnTheirWay) -> list[dbc.Col]:
    """The KPI cards of the cities on screen."""
    split = _("{reported_pct} {reported}, {modelled_pct} {modelled}").format(
        reported_pct=percent(k.share("reported") * 100), reported=vocab.KIND.label("reported"),
        modelled_pct=percent(k.share("modelled_estimate") * 100), modelled=vocab.KIND.label("modelled_estimate"))
    if k.baseline_years:
        split = _("{split} (inventory years {first}–{last})").format(split=split, first=k.baseline_years[0],
                                                                     last=k.baseline_years[1])
    cards = [
        (number(k.mission_cities), _("Mission Cities"), "", ID.kpi_mission),
        (number(k.countries), _("countries"), _("of the cities shown"), ID.kpi_countries),
        (number(k.labelled), _("with the Mission Label"),
         _("{n} still in preparation or review").format(n=number(k.in_review)), ID.kpi_labelled),
        (number(k.newcomers), _("newcomer cities"), _("not Mission Cities"), ID.kpi_newcomers),
        (_("{tonnes} CO2e").format(tonnes=tonnes(k.baseline_tco2e)), _("summed baselines"), split, ID.kpi_baseline),
        (number(way.committed), _("other cities committed to climate neutrality by 2050"),
         _("of {n} European cities on their way outside the Mission (Covenant of Mayors signatories and programme "
           "cities)").format(n=number(way.cities)), ID.kpi_way),
    ]
    return [dbc.Col(kpi_card(value, label, note, id=id), xs=6, md=4, xl=True) for value, label, note, id in cards]


@callback(
    output={"kpis": Output(ID.kpis, "children"), "map": Output(ID.map, "figure"),
            "map_summary": Output(ID.map_summary, "children"), "pipeline": Output(ID.pipeline, "figure"),
            "pipeline_summary": Output(ID.pipeline_summary, "children"),
            "metric_note": Output(ID.metric_note, "children"), "query": Output(ID.query, "data"),
            "map_export": Output(ID.map_export, "children"), "map_table": Output(ID.map_table, "children"),
            "pipeline_export": Output(ID.pipeline_export, "children")},
    inputs={"countries": Input(ID.country, "value"), "cohort": Input(ID.cohort, "value"),
            "label": Input(ID.label, "value"), "metric": Input(ID.metric, "value")},
)
def update(countries, cohort, label, metric) -> dict:
    chosen = Filters.from_query({"country": countries, "cohort": cohort, "label": label, "metric": metric})
    params = chosen.to_query()
    city_map, pipeline = charts.build("overview-map", params), charts.build("overview-pipeline", params)
    k = overview.kpis(overview.apply_filters(overview.all_city_metrics(), chosen))
    return {"kpis": kpi_row(k, tiers.on_their_way(chosen.countries)), "map": city_map.figure,
            "map_summary": city_map.summary,
            "pipeline": pipeline.figure, "pipeline_summary": pipeline.summary,
            "metric_note": _(METRICS[chosen.metric].note), "query": search(params),
            "map_table": chart_table(city_map, map_columns(chosen), _("The map as a table")),
            "map_export": export_buttons("overview-map", params),
            "pipeline_export": export_buttons("overview-pipeline", params)}


sync_url(ID.query)


@callback(Output(ID.city_results, "children"), Input(ID.city_search, "value"), prevent_initial_call=True)
def search_cities(text):
    """Links to the cities whose name holds what is typed (searched in the warehouse, not sent to the browser)."""
    if not isinstance(text, str) or len(text.strip()) < 2:
        return None
    found = queries.search_cities(text.strip()[:80], limit=SEARCH_SHOWN + 1)
    if not found.height:
        return html.P(_("No city of that name in the warehouse."), className="small text-muted mb-0")
    links = [html.Li(dcc.Link(f"{r['name']} ({r['country_iso2']})", href=f"/city/{r['city_id']}"),
                     className="list-group-item py-1") for r in found.head(SEARCH_SHOWN).iter_rows(named=True)]
    more = (html.P(_("More than {n} cities hold these letters: type more of the name.").format(
                       n=number(SEARCH_SHOWN)),
                   className="small text-muted mb-0"),) if found.height > SEARCH_SHOWN else ()
    return [html.Ul(links, className="list-group list-group-flush small"), *more]


@callback(Output(ID.nav, "href"), Input(ID.map, "clickData"), prevent_initial_call=True)
def open_city(click):
    city_id = overview.clicked_id(click)
    return f"/city/{city_id}" if isinstance(city_id, str) and city_id else dash.no_update
