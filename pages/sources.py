"""Sources: every source of a figure in the warehouse, with its producer, licence and how to cite it."""

from __future__ import annotations

import dash
from dash import html

from i18n import N_
from i18n import gettext as _
from mission import queries
from mission.words import count
from ui.grid import data_grid, markdown_link, markdown_text, web_url
from ui.shell import page_title
from ui.warehouse import needs_warehouse

dash.register_page(__name__, path="/sources", name=N_("Sources"), title=page_title(N_("Sources")), order=90)


def columns() -> list[dict]:
    """The grid's columns, headed in the reader's language (built when the page is laid out)."""
    return [
        {"field": "source", "headerName": _("Source"), "cellRenderer": "markdown", "minWidth": 260, "wrapText": True,
         "autoHeight": True},
        {"field": "producer", "headerName": _("Producer"), "wrapText": True, "autoHeight": True},
        {"field": "licence", "headerName": _("Licence"), "wrapText": True, "autoHeight": True},
        {"field": "citation", "headerName": _("Citation"), "minWidth": 260, "wrapText": True, "autoHeight": True},
        {"field": "source_id", "headerName": _("Id"), "minWidth": 200},
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
        html.H1(_("Sources"), className="h3"),
        html.P(_("The warehouse cites {sources}. Every figure on the dashboard names its source id; figures computed "
                 "by the dashboard (modelled estimates) name the method in their source's notes.").format(
                     sources=count(sources.height, "{n} source", "{n} sources"))),
        html.P(_("Titles, producers, licences and citations are shown as the sources wrote them."),
               className="small text-muted"),
        # Data text (marked so for the language checks): never translated.
        html.Div(data_grid("sources-grid", columns(), rows(sources), getRowId="params.data.source_id"),
                 className="data-text"),
    ])
