"""KPI card: a number, what it counts, and the kind of figure it is."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html


def kpi_card(value: str, label: str, note: str = "") -> dbc.Card:
    return dbc.Card(dbc.CardBody([
        html.Div(value, className="fs-2 fw-semibold"),
        html.Div(label),
        html.Small(note, className="text-muted") if note else None,
    ]), className="h-100")
