"""Scenario explorer: 2030 emissions, gap, cost and monetised co-benefits at other ambition levels, for a city, a
country's Mission Cities or the whole Mission (summed over the cities)."""

from __future__ import annotations

import math

import dash
import dash_bootstrap_components as dbc
import polars as pl
from dash import ALL, MATCH, Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

import vocab
from i18n import N_, number, percent
from i18n import gettext as _
from mission import charts, progress, quality, queries, scenarios
from mission.portfolio import DEFAULT_YEARS_OF_EFFECT
from mission.scenarios import PRESETS, SCENARIO_KEYS, Scenario
from mission.words import count, euros, tonnes
from ui.a11y import named
from ui.cards import chart_card, graph
from ui.compose import compose
from ui.exports import export_buttons
from ui.ids import PageIds
from ui.permalink import query_store, search, sync_url
from ui.quality import grade_badge
from ui.shell import page_title
from ui.warehouse import needs_warehouse

dash.register_page(__name__, path="/scenarios", name=N_("Scenarios"), title=page_title(N_("Scenarios")), order=20)


class ID(PageIds, page="scenario"):
    """The component ids of this page."""

    chart: str
    city: str
    city_pick: str
    empty: str
    export: str
    grade: str
    nav: str
    no_values: str
    preset: str
    query: str
    results: str
    scope: str
    scope_pick: str
    subject: str
    slider: str
    summary: str
    table: str
    values: str
    values_card: str


SLIDER = {"type": ID.slider}
MISSION = "mission"  # the scope select's value for the whole Mission
PRESET = {"type": ID.preset}
# The presets' names (mission.scenarios.PRESETS's keys, also in the buttons' ids) as the buttons say them.
PRESET_NAMES = {"low": N_("low"), "planned": N_("planned"), "high": N_("high")}
METHOD = N_("Each field of action delivers the chosen share of its planned annual reduction (the reductions the "
          "portfolio view adds up: stated per year or of unstated basis, not flagged as overlapping or implausible). "
          "Its cost is the sum of the costs its actions state (not those whose note calls a figure implausible), "
          "scaled by the same share: an assumption, since "
          "delivering more usually costs more than in proportion and costs are often missing. Emissions in 2030 = "
          "baseline - delivered reductions; the gap is measured against the city's target (or the Mission's 80%).")


def _city_options() -> list[dict]:
    cities = queries.cities().filter(pl.col("baseline_tco2e").is_not_null())
    with_actions = set(queries.actions()["city_id"])
    return [{"label": f"{r['name']} ({r['country_iso2']})", "value": r["city_id"]}
            for r in cities.iter_rows(named=True) if r["city_id"] in with_actions]


def _scope_options() -> list[dict]:
    countries = (queries.cities().filter((pl.col("cohort") == "mission") & pl.col("baseline_tco2e").is_not_null())
                 .select("country", "country_iso2").unique().sort("country"))
    return [{"label": _("The Mission as a whole"), "value": MISSION}] + [
        {"label": _("{country} ({code}): its Mission Cities").format(country=r["country"], code=r["country_iso2"]),
         "value": r["country_iso2"]}
        for r in countries.iter_rows(named=True)]


def _scenario_column(key: str, chosen: Scenario, plans: list[scenarios.Plan], grouped: bool) -> dbc.Col:
    sliders = []
    for p in plans:
        if grouped:
            planned = (_("planned {tonnes} CO2e a year, from {cities}, {cost} stated by {costed} of {actions}")
                       if p.cost_eur else _("planned {tonnes} CO2e a year, from {cities}, no cost stated"))
        else:
            planned = (_("planned {tonnes} CO2e a year, {cost} stated by {costed} of {actions}") if p.cost_eur
                       else _("planned {tonnes} CO2e a year, no cost stated"))
        planned = planned.format(tonnes=tonnes(p.annual_tco2e), cities=count(p.cities, "{n} city", "{n} cities"),
                                 cost=euros(p.cost_eur), costed=number(p.costed_actions),
                                 actions=count(p.actions, "{n} action", "{n} actions"))
        field = vocab.FIELD.label(p.field, p.field)
        sliders.append(html.Div([
            html.Label(field, className="filter-label mb-0"),
            html.Div(planned, className="small text-muted"),
            named(dcc.Slider(id={**SLIDER, "scenario": key, "field": p.field}, min=0, max=scenarios.MAX_PCT,
                             step=scenarios.STEP_PCT, value=chosen.pct(p.field),
                             marks={pct: percent(pct) for pct in (0, 50, 100, 150)},
                             tooltip={"placement": "bottom", "template": "{value}%"}),
                  _("{field}, scenario {key}: share of the planned reduction, in %").format(field=field,
                                                                                              key=key.upper())),
        ], className="mb-2"))
    presets = dbc.ButtonGroup([dbc.Button(_("{preset} ({pct})").format(preset=_(PRESET_NAMES.get(name, name)),
                                                                       pct=percent(pct)),
                                          id={**PRESET, "scenario": key, "preset": name},
                                          size="sm", color="secondary", outline=True)
                               for name, pct in PRESETS.items()], className="mb-2")
    return dbc.Col(dbc.Card([dbc.CardHeader(html.H2(_("Scenario {key}").format(key=key.upper()),
                                                    className="h6 mb-0")),
                             dbc.CardBody([presets, *sliders])]), md=4)


def _subject_line(comparison: scenarios.Comparison | None, scope: progress.Scope) -> html.P:
    if comparison is None or not comparison.grouped:
        return html.P(id=ID.subject)
    n = len(comparison.cities)
    who = comparison.subject[:1].upper() + comparison.subject[1:]
    return html.P(compose(_("{who}: the plans of {cities} summed (those with a baseline and a 2030 target in "
                            "tonnes; {link}). A city without a portfolio delivers nothing in any scenario; the gap is "
                            "what the cities above their targets still have to cut, so one city's surplus does not "
                            "close another's gap."),
                          who=who, cities=count(n, "{n} Mission City", "{n} Mission Cities"),
                          link=dcc.Link(_("which ones"), href="/progress" + search(scope.to_query()))),
                  id=ID.subject, className="small")


@needs_warehouse
def layout(**query) -> html.Div:
    options = _city_options()
    city_id = query.get("city") if isinstance(query.get("city"), str) and query.get("city") else None
    scope = progress.Scope.from_query(query)
    chosen_raw = {k: Scenario.parse(query.get(k)) for k in SCENARIO_KEYS}
    found = scenarios.city_plan(city_id) if city_id else None
    comparison = (scenarios.compare(city_id, chosen_raw) if found else
                  None if city_id else scenarios.compare_group(scope, chosen_raw))
    head = [
        dcc.Location(id=ID.nav, refresh="callback-nav"), query_store(ID.query),
        dcc.Store(id=ID.city, data=found[0].city_id if found else None),
        dcc.Store(id=ID.scope, data=None if city_id else scope.to_query()),
        html.H1(_("Scenario explorer"), className="h3"),
        html.P(_("Set how much of each field's planned reduction is delivered, from 0 to {max}, and compare up to "
                 "three scenarios, for a city, a country's Mission Cities or the whole Mission. The numbers come from "
                 "the cities' Climate City Contracts as transcribed.").format(max=percent(scenarios.MAX_PCT)),
               className="text-muted"),
        dbc.Row([dbc.Col([html.Label(_("Mission or country"), htmlFor=ID.scope_pick, className="filter-label"),
                          dbc.Select(id=ID.scope_pick, options=_scope_options(),
                                     value=None if city_id else ",".join(scope.countries) or MISSION)],
                         md=4),
                 dbc.Col([html.Label(_("or one city"), htmlFor=ID.city_pick, className="filter-label"),
                          dcc.Dropdown(id=ID.city_pick, options=options, value=city_id if found else None,
                                       placeholder=_("Pick a city with a baseline and actions…"))], md=6)],
                className="mb-3 g-3"),
        _subject_line(comparison, scope),
    ]
    if comparison is None:
        note = (_("The warehouse has no baseline and action portfolio for “{city}”.").format(city=city_id) if city_id
                else _("No Mission City of {scope} has a baseline and a 2030 target in tonnes.").format(
                    scope=scope.name()))
        return html.Div([*head, dbc.Alert(note, color="info", id=ID.empty)])
    plans, chosen = comparison.plans, comparison.scenarios
    grade = grade_badge(quality.grade_of(comparison.city.city_id), id=ID.grade) if comparison.city else None
    return html.Div([
        *head,
        dbc.Row([_scenario_column(k, chosen[k], plans, comparison.grouped) for k in SCENARIO_KEYS],
                className="g-3 mb-3"),
        dbc.Row([
            dbc.Col(chart_card(_("2030 emissions by scenario (t CO2e a year)"), graph(ID.chart, height=380),
                               summary_id=ID.summary, notes=_(METHOD), export=html.Div(id=ID.export)),
                    lg=6),
            dbc.Col(dbc.Card([dbc.CardHeader(html.Div([
                html.H2(_("Results side by side"), className="h6 mb-0 me-auto"), grade], className="d-flex")),
                              dbc.CardBody(html.Div(id=ID.table))]), lg=6),
        ], className="g-3 mb-3"),
        html.Div(id=ID.values),
    ])


@callback(Output({**SLIDER, "scenario": MATCH, "field": ALL}, "value"),
          Input({**PRESET, "scenario": MATCH, "preset": ALL}, "n_clicks"),
          State({**SLIDER, "scenario": MATCH, "field": ALL}, "id"), prevent_initial_call=True)
def apply_preset(_clicks, ids):
    trigger = dash.ctx.triggered_id
    preset = trigger.get("preset") if isinstance(trigger, dict) else None
    if not isinstance(preset, str) or preset not in PRESETS or not isinstance(ids, list):
        return dash.no_update
    return [PRESETS[preset]] * len(ids)


@callback(Output(ID.nav, "href"), Input(ID.city_pick, "value"), Input(ID.scope_pick, "value"),
          State(ID.city, "data"), State(ID.scope, "data"), prevent_initial_call=True)
def pick(city_id, scope_value, current_city, current_scope):
    """Open the chosen city's scenarios, or the chosen country's (or the Mission's)."""
    if dash.ctx.triggered_id == ID.scope_pick:
        chosen = scope_value if isinstance(scope_value, str) and scope_value != MISSION else ""
        scope = progress.Scope.from_query({"country": chosen})
        if current_city is None and scope.to_query() == (current_scope or {}):
            return dash.no_update
        return "/scenarios" + search(scope.to_query())
    if not isinstance(city_id, str) or not city_id or city_id == current_city:
        return dash.no_update
    return f"/scenarios?city={city_id}"


@callback(
    output={"chart": Output(ID.chart, "figure"), "summary": Output(ID.summary, "children"),
            "table": Output(ID.table, "children"), "values": Output(ID.values, "children"),
            "query": Output(ID.query, "data"), "export": Output(ID.export, "children")},
    inputs={"values": Input({**SLIDER, "scenario": ALL, "field": ALL}, "value"),
            "ids": State({**SLIDER, "scenario": ALL, "field": ALL}, "id"), "city_id": State(ID.city, "data"),
            "scope": State(ID.scope, "data")},
)
def update(values, ids, city_id, scope) -> dict:
    if not isinstance(values, list) or not isinstance(ids, list) or len(values) != len(ids) \
            or not all(isinstance(i, dict) and isinstance(i.get("field"), str) for i in ids):
        raise PreventUpdate  # not what the page's sliders send
    chosen = {k: Scenario({i["field"]: int(v) for i, v in zip(ids, values, strict=True)
                           if i.get("scenario") == k and isinstance(v, int | float) and not isinstance(v, bool)
                           and math.isfinite(v)}) for k in SCENARIO_KEYS}
    if isinstance(city_id, str):
        comparison = scenarios.compare(city_id, chosen)
    elif isinstance(scope, dict):
        comparison = scenarios.compare_group(progress.Scope.from_query(scope), chosen)
    else:
        comparison = None
    if comparison is None:
        raise PreventUpdate
    chart = charts.build("scenarios", comparison.query())
    return {"chart": chart.figure, "summary": chart.summary,
            "table": results_table(comparison),
            "values": values_panel(comparison.unit_values, comparison.results), "query": search(comparison.query()),
            "export": export_buttons("scenarios", comparison.query())}


def results_table(comparison: scenarios.Comparison) -> dbc.Table:
    results, baseline, target = comparison.results, comparison.baseline, comparison.target

    def money(value) -> str:
        return "—" if value is None else euros(value)

    if comparison.grouped:
        gap_label = _("Still to cut by the cities above their targets (targets sum to {tonnes})").format(
            tonnes=tonnes(target.tco2e))
    else:
        gap_label = (_("Gap to the target ({tonnes})").format(tonnes=tonnes(target.tco2e)) if target.tco2e is not None
                     else _("Gap to the target (unknown)"))
    met = _("met")

    def gap(r) -> str:
        if r.gap_tco2e is None:
            return "—"
        if r.gap_tco2e > 0:
            return tonnes(r.gap_tco2e)
        return met if comparison.grouped else _("met ({tonnes} below)").format(tonnes=tonnes(-r.gap_tco2e))

    lines = [
        (_("Reduction delivered (t CO2e a year)"), lambda r: tonnes(r.reduction_tco2e)),
        (_("Emissions in 2030 ({baseline}: {tonnes})").format(baseline=comparison.baseline_label,
                                                              tonnes=tonnes(baseline.tco2e)),
         lambda r: tonnes(r.emissions_2030)),
        (gap_label, gap),
        (_("Cost (as stated, scaled)"), lambda r: money(r.cost_eur if r.cost_eur else None)),
        (_("Cost per tonne, actions stating both ({years} years of effect)").format(years=DEFAULT_YEARS_OF_EFFECT),
         lambda r: "—" if r.cost_per_t is None else _("EUR {amount}").format(amount=number(r.cost_per_t))),
        (_("Co-benefits a year, low"), lambda r: money(r.cobenefits.low)),
        (_("Co-benefits a year, central"), lambda r: money(r.cobenefits.central)),
        (_("Co-benefits a year, high"), lambda r: money(r.cobenefits.high)),
        (_("Reduction with a unit value"), lambda r: tonnes(r.valued_tco2e)),
    ]
    return dbc.Table([
        html.Thead(html.Tr([html.Th(""), *(html.Th(_("Scenario {key}").format(key=k.upper())) for k in results)])),
        html.Tbody([html.Tr([html.Td(label), *(html.Td(fmt(r), className="text-end") for r in results.values())])
                    for label, fmt in lines]),
    ], size="sm", striped=True, id=ID.results, className="mb-0")


def values_panel(values: pl.DataFrame, results: dict) -> dbc.Card:
    """The unit values behind the co-benefits, with their sources, and the double-counting warning."""
    if not values.height:
        body = [html.P(_("The warehouse holds no published unit values for co-benefits "
                         "(data/cobenefit_values.csv), so co-benefits are not monetised."), id=ID.no_values)]
    else:
        body = [
            html.P(_(scenarios.VALUES_METHOD), className="small"),
            dbc.Table([html.Thead(html.Tr([html.Th(h) for h in (
                _("Sector"), _("Co-benefit"), _("Low"), _("Central"), _("High"), _("Prices of"), _("Source"),
                _("Derivation"))])),
                html.Tbody([html.Tr([html.Td(vocab.VALUE_SECTOR.label(r["sector"])),
                                     html.Td(vocab.VALUED_COBENEFIT.label(r["cobenefit"])),
                                     *(html.Td("—" if r[c] is None else number(r[c], 1)) for c in (
                                         "low_eur_per_tco2e", "central_eur_per_tco2e", "high_eur_per_tco2e")),
                                     html.Td(r["price_year"]), html.Td(f"{r['title']} ({r['source_id']}, {r['ref']})"),
                                     html.Td(r["derivation"] or "")]) for r in values.iter_rows(named=True)])],
                size="sm", responsive=True, className="sources-table"),
        ]
        if any(r.climate_damage_included for r in results.values()):
            body.insert(0, dbc.Alert(_("Some unit values include the damage of the CO2 itself: do not add a carbon "
                                       "price on top, or the climate benefit is counted twice."), color="warning"))
        else:
            body.insert(0, html.P(_("The unit values exclude the damage of the CO2 itself. If you add a carbon price "
                                    "or a social cost of carbon, check that the source's air-pollution figures do not "
                                    "already contain it."), className="small text-muted"))
    return dbc.Card([dbc.CardHeader(html.H2(_("How co-benefits are monetised"), className="h6 mb-0")),
                     dbc.CardBody(body)], id=ID.values_card)


sync_url(ID.query)
