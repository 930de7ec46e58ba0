"""Cards: a KPI with what it counts, and a chart with its title, unit, one-sentence summary and notes."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

import i18n
from i18n import number
from mission import charts
from mission.charts.theme import TOPOJSON_URL
from ui.exports import export_buttons

GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "topojsonURL": TOPOJSON_URL,
    # The card's own PNG button gives a self-describing image (title, unit, sources); plotly's would not.
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toImage"],
}

# Drawn until a callback brings the figure: a blank area, not empty axes (and, unlike an empty figure `{}`, one that
# plotly.js draws without warning that the graph has no plot yet).
PENDING_FIGURE = {"data": [], "layout": {"xaxis": {"visible": False}, "yaxis": {"visible": False}}}


def kpi_card(value: str, label: str, note: str = "", id: str | None = None) -> dbc.Card:
    body = [html.Div(value, className="fs-3 fw-semibold"), html.Div(label)]
    if note:
        body.append(html.Small(note, className="text-muted"))
    return dbc.Card(dbc.CardBody(body), className="h-100", **({"id": id} if id else {}))


def graph(id: str, figure=None, height: int | None = None, alt: str = "") -> html.Div:
    """A plotly graph that draws offline (country outlines from the app's own assets), inside a figure region
    whose accessible name is the chart's one-sentence summary.

    `height` (px) defaults to the figure's own, so page and export agree."""
    height = height or (figure.layout.height if figure is not None else None) or 380
    return html.Div(dcc.Graph(id=id, figure=figure or PENDING_FIGURE, config={**GRAPH_CONFIG, "locale": i18n.current()},
                              style={"height": f"{height}px"}),
                    role="figure", **({"aria-label": alt} if alt else {}), id=f"{id}-figure")


def chart_card(title: str, body, summary_id: str | None = None, summary: str = "", notes=None,
               export: html.Div | None = None) -> dbc.Card:
    """A chart with its title and, given `export` (ui.exports.export_buttons), PNG and CSV downloads; the summary
    sentence sits under it. Each figure region of `body` (`graph`) is named by the title and described by the
    summary, which screen readers announce as the chart's text alternative."""
    regions = _figure_regions(body)
    if summary_id is None and regions:
        summary_id = regions[0].id.removesuffix("-figure") + "-summary"
    for region in regions:
        setattr(region, "aria-label", title)
        if summary_id:
            setattr(region, "aria-describedby", summary_id)
    footer = [html.P(summary, id=summary_id, className="mb-1 chart-summary") if summary_id
              else html.P(summary, className="mb-1 chart-summary")]
    if notes is not None:  # not `if notes`: an empty Dash component is falsy
        footer.append(html.Div(notes, className="small text-muted"))
    return dbc.Card([
        dbc.CardHeader(html.Div([html.H2(title, className="h6 mb-0 me-auto"), export],
                                className="d-flex align-items-center")),
        dbc.CardBody(body, className="p-1"),
        dbc.CardFooter(footer, className="bg-white"),
    ], className="h-100")


def _figure_regions(body) -> list[html.Div]:
    """The figure regions (`graph`) in a card's body: the body itself, or the items of a list."""
    parts = body if isinstance(body, list | tuple) else [body]
    return [p for p in parts if isinstance(p, html.Div) and getattr(p, "role", None) == "figure"]


def exported_chart(title: str, name: str, params: dict, graph_id: str, *, summary_id: str | None = None,
                   notes: tuple = (), chart_notes: bool = False, height: int | None = None) -> dbc.Card:
    """The card of chart `name` (mission.charts) built for `params`: its graph, with the summary sentence as its
    text alternative, the notes (the chart's own first, if asked) and the PNG/CSV buttons of the same chart, so
    a page names each chart once."""
    chart = charts.build(name, params)
    shown = [html.Div(n) if isinstance(n, str) else n for n in ((*chart.notes, *notes) if chart_notes else notes)]
    return chart_card(title, graph(graph_id, chart.figure, height=height), summary_id=summary_id,
                      summary=chart.summary, notes=shown or None, export=export_buttons(name, params))


def badge(text: str, kind: str) -> dbc.Badge:
    """A badge naming the kind of a figure, in the same colour everywhere."""
    return dbc.Badge(text, className=f"me-1 kind-badge kind-{kind}", color="light", text_color="dark")


def chart_table(chart: charts.ChartExport, columns: dict[str, str], summary: str,
                id: str | None = None) -> html.Details:
    """The data of a chart (a map) as a table a screen reader can walk, folded under `summary`: `columns` maps the
    chart's data columns to their headers; numbers are written with the locale's separators, a missing value as "—"."""
    def cell(value) -> str:
        if value is None:
            return "—"
        if isinstance(value, float):
            return number(value, 1)
        if isinstance(value, int) and not isinstance(value, bool):
            return number(value)
        return str(value)

    rows = chart.data.select(list(columns)).iter_rows()
    table = dbc.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in columns.values()])),
                       html.Tbody([html.Tr([html.Td(cell(v)) for v in row]) for row in rows])],
                      size="sm", striped=True, responsive=True, className="small mb-0")
    return html.Details([html.Summary(summary), table], **({"id": id} if id else {}), className="mt-1")
