"""The page for any address the dashboard does not know."""

from __future__ import annotations

import dash
from dash import dcc, html

dash.register_page(__name__, path="/404", name="Not found", nav=False)


def layout(**_query) -> html.Div:
    return html.Div([
        html.H1("Page not found", className="h3"),
        html.P("There is no page at this address."),
        dcc.Link("Back to the overview", href="/"),
    ])
