"""City profile: who the city is, its baseline by sector and scope, its 2030 pathway, its actions and sources."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import polars as pl
from dash import dcc, html

import vocab
from i18n import N_, number
from i18n import gettext as _
from mission import peers, quality, queries, tiers
from mission.city import City
from mission.words import count, tonnes
from ui.briefs import brief_controls
from ui.cards import badge, chart_card, exported_chart
from ui.grid import web_url
from ui.ids import PageIds
from ui.notfound import not_found
from ui.peers import peer_card
from ui.platform import covenant_card, nearest_card, tier_card
from ui.quality import QUALITY_PAGE, grade_badge
from ui.warehouse import SITE, needs_warehouse, title_needs_warehouse


@title_needs_warehouse
def _title(city_id: str | None = None, **_query) -> str:
    row = tiers.of_city(city_id) if city_id else None
    name = row["name"] if row else _("Page not found")
    return f"{name} · {_(SITE)}"


dash.register_page(__name__, path_template="/city/<city_id>", name=N_("City profile"), nav=False, title=_title)


class ID(PageIds, page="city"):
    """The component ids of this page."""

    agreement: str
    agreement_chart: str
    agreement_summary: str
    agreement_table: str
    badges: str
    covenant: str
    facts: str
    grade: str
    inventory: str
    name: str
    nearest: str
    pathway: str
    pathway_summary: str
    peers: str
    portfolio_summary: str
    sources: str
    tier: str
    twins: str


def _fact(label: str, value, note: str = "") -> dbc.Col:
    return dbc.Col([html.Div(label, className="small text-muted"), html.Div(value, className="fw-semibold"),
                    html.Div(note, className="small text-muted") if note else None], xs=6, md=3)


def header(city: City) -> html.Div:
    people = city.population
    pop_note = " ".join(x for x in (
        str(people.year or ""), people.territory or "", vocab.POPULATION_METHOD.label(people.method, ""),
        f"({', '.join(x for x in (people.source_id, people.ref) if x)})" if people.source_id else "") if x) \
        if people else ""
    baseline_kind = city.baseline.kind if city.baseline else "none"
    kinds = [badge(_("baseline: {kind}").format(kind=vocab.KIND.label(baseline_kind)), baseline_kind),
             grade_badge(quality.grade_of(city.city_id), id=ID.grade)]
    if people and people.kind:
        kinds.append(badge(_("population: {kind}").format(kind=vocab.KIND.label(people.kind, people.kind)),
                           people.kind))
    kinds.append(badge(city.target_badge(), "reported" if city.target_origin == "own" else "default"))
    if city.confidence == "uncertain":
        kinds.append(badge(_("Mission status confirmed only by a third-party copy of the list"), "default"))
    return html.Div([
        dcc.Link(_("← Overview"), href="/", className="small"),
        dbc.Row([dbc.Col(html.H1(city.name, className="h3 mt-1 mb-1", id=ID.name)),
                 dbc.Col(brief_controls("city", city.city_id), width="auto") if city.has_baseline else None],
                className="align-items-center"),
        html.Div(kinds, className="mb-3", id=ID.badges),
        dbc.Row([
            _fact(_("Country"), city.country, city.country_iso2),
            _fact(_("Cohort"), _("Newcomer city") if city.is_newcomer else _("Mission City"),
                  vocab.STAGE.label(city.stage)),
            _fact(_("Population"), number(people.value) if people else _("unknown"), pop_note),
            _fact(_("Mission Label"), city.label.when() if city.label else "—",
                  _("wave {wave}").format(wave=city.label.wave) if city.label and city.label.wave else ""),
        ], className="g-3 mb-3", id=ID.facts),
    ])


def inventory_section(city: City) -> dbc.Card:
    if city.baseline is None:
        return chart_card(_("Baseline emissions"), html.P(_("The warehouse has no baseline for this city: neither "
                                                            "an inventory in its contract nor a modelled estimate."),
                                                          className="p-2"), summary="")
    rows = queries.inventory(city.city_id, city.baseline.year, city.baseline.kind)
    table = dbc.Table([
        html.Thead(html.Tr([html.Th(h) for h in (_("Sector"), _("Scope"), _("t CO2e"), _("Source"), _("Where"),
                                                 _("Note"))])),
        html.Tbody([html.Tr([html.Td(vocab.SECTOR.label(r["sector"], r["sector"])),
                             html.Td(vocab.SCOPE.label(r["scope"], r["scope"])), html.Td(number(r["tco2e"])),
                             html.Td(r["source_id"]), html.Td(r["ref"] or ""), html.Td(r["note"] or "")])
                    for r in rows.iter_rows(named=True)]),
    ], size="sm", striped=True, className="sources-table mb-0")
    rows_note = html.Details([html.Summary(_("Every row of this inventory, with its source")), table], className="mt-1")
    return exported_chart(_("Baseline {year} by sector and scope (t CO2e)").format(year=city.baseline.year),
                          "city-inventory",
                          {"city_id": city.city_id}, ID.inventory, notes=(rows_note,), chart_notes=True)


def pathway_section(city: City) -> dbc.Card:
    if city.baseline is None:
        return chart_card(_("2030 pathway"), html.P(_("No baseline: no pathway can be drawn."), className="p-2"))
    target = city.contract_target
    notes = (_("The contract on its target: {note} ({source}, {ref})").format(
        note=target.note, source=target.source_id, ref=target.ref),) if target and target.note else ()
    return exported_chart(_("2030 pathway (t CO2e a year)"), "city-pathway", {"city_id": city.city_id}, ID.pathway,
                          summary_id=ID.pathway_summary, notes=notes)


def _mission_cell(r: dict, city: City) -> list:
    if r["mission_tco2e"] is None:
        if city.baseline is None:
            return ["—"]
        return [html.Div(_("baseline: {tonnes} in {year}").format(tonnes=tonnes(city.baseline.tco2e),
                                                                   year=city.baseline.year)),
                html.Div(_("{kind}; not compared (see the note)").format(
                    kind=vocab.KIND.label(city.baseline.kind, city.baseline.kind)), className="small text-muted")]
    how = ", ".join(x for x in (
        vocab.TOTAL_METHOD.label(r["mission_method"], r["mission_method"] or ""),
        count(r["mission_sectors"], "{n} sector", "{n} sectors") if r["mission_sectors"] else "",
        _("territory: {territory}").format(territory=r["mission_territory"]) if r["mission_territory"] else "")
        if x)
    return [html.Div(_("{tonnes} in {year}").format(tonnes=tonnes(r["mission_tco2e"]), year=r["mission_year"])),
            html.Div(f"{vocab.KIND.label(r['mission_kind'], r['mission_kind'])}; {how}", className="small text-muted"),
            html.Div(r["mission_source"], className="small text-muted")]


def _elsewhere_cell(r: dict) -> list:
    value = (_("{tonnes} in {year}").format(tonnes=tonnes(r["elsewhere_tco2e"]), year=r["year"])
             if r["elsewhere_tco2e"] is not None else _("no total in {year}").format(year=r["year"]))
    not_stated = _("not stated")
    method = "; ".join(x for x in (
        r["elsewhere_figure"], _("boundary: {boundary}").format(boundary=r["boundary"] or not_stated),
        _("protocol: {protocol}").format(protocol=r["protocol"] or not_stated),
        _("gases: {gases}").format(gases=r["gases"] or not_stated),
        _("population {population}").format(population=number(r["elsewhere_population"]))
        if r["elsewhere_population"] else "",
        _("flagged: {flags}").format(flags=r["elsewhere_flags"]) if r["elsewhere_flags"] else "") if x)
    return [html.Div(value), html.Div(method, className="small text-muted"),
            html.Div(f"{r['elsewhere_source']}, {r['elsewhere_ref']}", className="small text-muted")]


def agreement_table(compared: pl.DataFrame, city: City) -> dbc.Table:
    """The comparisons of one city: both totals with their boundaries and methods, the difference and its flag."""
    rows = []
    for r in compared.iter_rows(named=True):
        flagged = bool(r["disagrees"])
        rows.append(html.Tr([
            html.Td(r["year"]), html.Td(_mission_cell(r, city)), html.Td(_elsewhere_cell(r)),
            html.Td([html.Span(quality.difference_words(r), className="fw-semibold text-danger" if flagged else ""),
                     html.Div(r["note"] or "", className="small text-muted")],
                    **{"data-flagged": "true" if flagged else "false"}),
        ]))
    return dbc.Table([html.Thead(html.Tr([html.Th(h) for h in (
        _("Year"), _("Mission data (the contract, or the dashboard's estimate)"), _("Reported to CDP-ICLEI"),
        _("Difference"))])), html.Tbody(rows)], size="sm", responsive=True, className="mb-1", id=ID.agreement_table)


def agreement_section(city: City) -> dbc.Row | None:
    """The city's totals from its contract beside those it reported to CDP-ICLEI (when any are loaded)."""
    compared = quality.comparisons().filter(pl.col("city_id") == city.city_id)
    if not compared.height:
        return None
    notes = (agreement_table(compared, city), _(quality.CAVEAT), quality.threshold_words(),
             dcc.Link(_("How the comparison and the grade work"), href=QUALITY_PAGE))
    card = exported_chart(_("Do the sources agree? Totals by source (t CO2e a year)"), "city-sources",
                          {"city_id": city.city_id}, ID.agreement_chart, summary_id=ID.agreement_summary,
                          notes=notes)
    return dbc.Row(dbc.Col(card, id=ID.agreement), className="g-3 mt-0")


def _or_dash(value, fmt) -> str:
    return "—" if value is None else fmt(value)


def portfolio_section(city: City) -> dbc.Card | None:
    fields = queries.portfolio_by_field(city.city_id)
    if not fields.height:
        return None
    total = int(fields["actions"].sum())
    link = next((p["relative_path"] for p in dash.page_registry.values() if p["path"] == "/portfolio"), None)
    head = (_("Field of action"), _("Actions"), _("State a reduction"), _("Reduction per year"),
            _("Reduction to 2030"), _("Reduction, basis unknown"), _("Cost (EUR)"))
    table = dbc.Table([
        html.Thead(html.Tr([html.Th(h) for h in head])),
        html.Tbody([html.Tr([html.Td(vocab.FIELD.label(r["field_of_action"], r["field_of_action"])),
                             html.Td(r["actions"]), html.Td(r["with_reduction"]),
                             *(html.Td(_or_dash(r[c], tonnes)) for c in (
                                 "reduction_per_year_tco2e", "reduction_to_2030_tco2e",
                                 "reduction_unknown_basis_tco2e")),
                             html.Td(_or_dash(r["cost_eur"], number))])
                    for r in fields.iter_rows(named=True)]),
    ], size="sm", striped=True, responsive=True, className="mb-0")
    notes = [_("Reductions are summed only within one basis (per year, total to 2030, unknown) and as the contract "
               "states them: some overlap or are carbon removal (see each action's note). Blank means the contract "
               "gives no figure.")]
    if link:
        notes.append(dcc.Link(_("Open the portfolio"), href=f"{link}?city={city.city_id}"))
    summary = _("{city}'s contract lists {actions} in {fields}; {reductions} state a reduction and {costs} a "
                "cost.").format(city=city.name, actions=count(total, "{n} action", "{n} actions"),
                                fields=count(fields.height, "{n} field of action", "{n} fields of action"),
                                reductions=number(int(fields["with_reduction"].sum())),
                                costs=number(int(fields["with_cost"].sum())))
    return chart_card(_("Action portfolio"), table, summary_id=ID.portfolio_summary, summary=summary,
                      notes=[html.Div(n) for n in notes])


def sources_section(city_id: str) -> dbc.Card:
    sources = queries.city_sources(city_id)
    rows = [html.Tr([html.Td(html.A(r["title"], href=web_url(r["url"]), target="_blank", rel="noopener")
                             if web_url(r["url"]) else r["title"]),
                     html.Td(r["producer"] or ""), html.Td(r["used_for"]), html.Td(r["licence"] or ""),
                     html.Td(r["source_id"]), html.Td(r["notes"] or "")])
            for r in sources.iter_rows(named=True)]
    return dbc.Card([
        dbc.CardHeader(html.H2(_("Sources of the figures on this page"), className="h6 mb-0")),
        dbc.CardBody(dbc.Table([html.Thead(html.Tr([html.Th(h) for h in (
            _("Source"), _("Producer"), _("Used for"), _("Licence"), _("Id"), _("Notes"))])), html.Tbody(rows)],
            size="sm", responsive=True, className="sources-table mb-0")),
    ], id=ID.sources, className="mt-3")


@needs_warehouse
def layout(city_id: str | None = None, **_query) -> html.Div:
    city = queries.city(city_id) if city_id else None
    platform = tiers.of_city(city_id) if city_id else None
    if platform is None:
        return not_found(_("The warehouse has no city with the id “{id}”.").format(id=city_id))
    if city is None:
        return signatory_layout(platform)
    portfolio = portfolio_section(city)
    return html.Div([
        header(city),
        dbc.Row([dbc.Col(inventory_section(city), lg=6), dbc.Col(pathway_section(city), lg=6)], className="g-3"),
        agreement_section(city),
        dbc.Row(dbc.Col(portfolio), className="g-3 mt-0") if portfolio else None,
        platform_section(platform),
        dbc.Row([dbc.Col(peers_section(city.name, peers.profile_of(city.city_id)), lg=7),
                 dbc.Col(twins_section(city.city_id), lg=5)], className="g-3"),
        sources_section(city.city_id),
    ])


def platform_section(row: dict) -> dbc.Row:
    """Its tier, its Covenant of Mayors facts and the nearest Mission Cities."""
    nearest = queries.nearest_mission_cities(row["city_id"])
    return dbc.Row([dbc.Col(tier_card(row, ID.tier), lg=4), dbc.Col(covenant_card(row, ID.covenant), lg=4),
                    dbc.Col(nearest_card(row, nearest, ID.nearest), lg=4)], className="g-3 mt-0")


def signatory_layout(row: dict) -> html.Div:
    """The profile of a Covenant signatory that is neither a Mission City nor a programme city: what the Covenant
    file says of it, its tier and the Mission Cities to learn from. Its emissions are not in the warehouse."""
    declared = (_("declared when it joined the Covenant ({year}, source {source})") if row["population_year"]
                else _("declared when it joined the Covenant (source {source})"))
    population = (number(row["population"]), declared.format(year=row["population_year"],
                                                             source=row["covenant_source"])) \
        if row["population"] else (_("unknown"), "")
    badges = [badge(vocab.COHORT.label("signatory"), "default")]
    if row["placement"] != "exact":
        badges.append(badge(_("point: {placement}").format(placement=vocab.PLACEMENT.label(row["placement"])),
                            "default"))
    me = peers.Profile(row["name"], row["country_iso2"], row["population"], None, {}, row["city_id"])
    return html.Div([
        dcc.Link(_("← Overview"), href="/", className="small"),
        html.H1(row["name"], className="h3 mt-1 mb-1", id=ID.name),
        html.Div(badges, className="mb-3", id=ID.badges),
        dbc.Row([
            _fact(_("Country"), row["country"], row["country_iso2"]),
            _fact(_("Cohort"), vocab.COHORT.label("signatory"), vocab.COHORT.note("signatory")),
            _fact(_("Population"), *population),
            _fact(_("Horizon Europe"), vocab.HORIZON_RELATION.label(row["horizon_relation"], _("no relation"))),
        ], className="g-3 mb-3", id=ID.facts),
        html.P(_("Its emissions are not in the warehouse: the Covenant's file of signatories holds none (its action "
                 "plans and monitoring reports are other tables of the JRC's release)."), className="text-muted"),
        platform_section(row),
        dbc.Row([dbc.Col(peers_section(row["name"], me), lg=7), dbc.Col(twins_section(row["city_id"]), lg=5)],
                className="g-3"),
        sources_section(row["city_id"]),
    ])


def peers_section(name: str, me: peers.Profile | None) -> dbc.Card:
    matches = peers.find(me, peers.mission_candidates()) if me else []
    return peer_card(_("Mission Cities like {city}").format(city=name), matches,
                     peers.summary(me, matches) if me else "", ID.peers)


def twins_section(city_id: str) -> dbc.Card:
    links = queries.twin_links()
    mine = links.filter((pl.col("city_id") == city_id) | (pl.col("partner_city_id") == city_id))
    items = []
    for r in mine.iter_rows(named=True):
        other_id, other = ((r["partner_city_id"], r["partner"]) if r["city_id"] == city_id
                           else (r["city_id"], r["city"]))
        programme, cohort = vocab.PROGRAMME.label("twinning"), r["programme_cohort"]
        pairing = (_("{programme} {cohort} (pairing inferred by the source, not stated)").format(
            programme=programme, cohort=cohort) if r["inferred"] else f"{programme} {cohort}")
        items.append(html.Li([dcc.Link(other, href=f"/city/{other_id}"), ": ", pairing,
                              html.Span(f" · {r['source_id']}", className="small text-muted")]))
    body = html.Ul(items, className="mb-0") if items else html.P(
        _("No twinning pair of this city is named in the warehouse's sources."), className="mb-0")
    return dbc.Card([dbc.CardHeader(html.H2(_("Twinning"), className="h6 mb-0")), dbc.CardBody(body)],
                    id=ID.twins, className="mt-3")
