"""Sources: every source of a figure in the warehouse, with its producer, licence and how to cite it."""

from __future__ import annotations

import dash
from dash import html

from mission import queries
from ui.grid import data_grid, markdown_link, markdown_text, web_url
from ui.warehouse import needs_warehouse

dash.register_page(__name__, path="/sources", name="Sources", title="Sources · Cities Mission Dashboard", order=90)

COLUMNS = [
    {"field": "source", "headerName": "Source", "cellRenderer": "markdown", "minWidth": 260, "wrapText": True,
     "autoHeight": True},
    {"field": "producer", "headerName": "Producer", "wrapText": True, "autoHeight": True},
    {"field": "licence", "headerName": "Licence", "wrapText": True, "autoHeight": True},
    {"field": "citation", "headerName": "Citation", "minWidth": 260, "wrapText": True, "autoHeight": True},
    {"field": "source_id", "headerName": "Id", "minWidth": 200},
]


def rows(sources) -> list[dict]:
    out = []
    for r in sources.iter_rows(named=True):
        url = web_url(r["url"])
        out.append({"source": markdown_link(r["title"], url) if url else markdown_text(r["title"]),
                    "producer": r["producer"] or "", "licence": r["licence"] or "", "citation": r["citation"] or "",
                    "source_id": r["source_id"]})
    return out


@needs_warehouse
def layout(**_query) -> html.Div:
    sources = queries.sources()
    return html.Div([
        html.H1("Sources", className="h3"),
        html.P(f"The warehouse cites {sources.height} sources. Every figure on the dashboard names its source id; "
               "figures computed by the dashboard (modelled estimates) name the method in their source's notes."),
        data_grid("sources-grid", COLUMNS, rows(sources), getRowId="params.data.source_id"),
    ])
