"""Overview: what the warehouse holds about the Cities Mission."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from mission import queries
from mission.db import WarehouseMissing
from ui.cards import kpi_card

dash.register_page(__name__, path="/", name="Overview", title="Cities Mission Dashboard")

KIND_LABEL = {"reported": "reported by the city", "modelled_estimate": "modelled estimate",
              "official_statistic": "official statistic"}


def layout(**_query) -> html.Div:
    try:
        o = queries.mission_overview()
    except WarehouseMissing as missing:
        return dbc.Alert(str(missing), color="danger", id="home-missing")
    baselines = ", ".join(f"{n} {KIND_LABEL.get(k, k)}" for k, n in o["baselines_by_kind"].items())
    return html.Div([
        html.H1("EU Mission for 100 climate-neutral and smart cities by 2030", className="h3"),
        dbc.Row([
            dbc.Col(kpi_card(str(o["mission_cities"]), "Mission Cities"), md=3),
            dbc.Col(kpi_card(str(o["countries"]), "countries"), md=3),
            dbc.Col(kpi_card(str(o["labelled"]), "cities with the Mission Label"), md=3),
            dbc.Col(kpi_card(str(o["newcomers"]), "newcomer cities"), md=3),
        ], className="g-3", id="home-kpis"),
        html.P(f"Baselines of the Mission Cities: {baselines}.", className="mt-3", id="home-baselines"),
    ])
