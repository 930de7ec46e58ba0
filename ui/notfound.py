"""The body of the not-found page, also shown for an unknown city or country."""

from __future__ import annotations

from dash import dcc, html


def not_found(what: str = "There is no page at this address.") -> html.Div:
    return html.Div([
        html.H1("Page not found", className="h3"),
        html.P(what),
        dcc.Link("Back to the overview", href="/"),
    ], id="not-found")
