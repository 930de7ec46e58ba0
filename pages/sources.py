"""Sources: every source of a figure in the warehouse, with its producer, licence and how to cite it."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from mission import queries
from mission.db import WarehouseMissing

dash.register_page(__name__, path="/sources", name="Sources", title="Sources · Cities Mission Dashboard", order=90)


def layout(**_query) -> html.Div:
    try:
        sources = queries.sources()
    except WarehouseMissing as missing:
        return dbc.Alert(str(missing), color="danger")
    rows = [html.Tr([html.Td(html.A(r["title"], href=r["url"].split(" ; ")[0], target="_blank", rel="noopener")
                             if r["url"] else r["title"]),
                     html.Td(r["producer"] or ""), html.Td(r["licence"] or ""), html.Td(r["citation"] or ""),
                     html.Td(r["source_id"])], id=f"source-{r['source_id']}")
            for r in sources.iter_rows(named=True)]
    return html.Div([
        html.H1("Sources", className="h3"),
        html.P(f"The warehouse cites {sources.height} sources. Every figure on the dashboard names its source id; "
               "figures computed by the dashboard (modelled estimates) name the method in their source's notes."),
        dbc.Table([html.Thead(html.Tr([html.Th(h) for h in ("Source", "Producer", "Licence", "Citation", "Id")])),
                   html.Tbody(rows)], size="sm", striped=True, responsive=True, className="sources-table"),
    ])
