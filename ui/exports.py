"""PNG and CSV buttons on a chart card, and the one callback that answers them with a file download."""

from __future__ import annotations

import json

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, callback, dcc, html

from i18n import gettext as _
from mission import charts, exports

DOWNLOAD_ID = "export-download"


def export_buttons(chart: str, params: dict, formats: tuple[str, ...] = ("png", "csv")) -> html.Div:
    """'PNG' and 'CSV' buttons for chart `chart` built with `params` (charts.BUILDERS)."""
    key = json.dumps(params, sort_keys=True)
    return html.Div([
        dbc.Button(fmt.upper(), id={"type": "export", "format": fmt, "chart": chart, "key": key}, size="sm",
                   color="secondary", outline=True, className="ms-1 py-0",
                   title=_("Download this chart as {format}").format(format=fmt.upper()))
        for fmt in formats], className="export-buttons")


def download_component() -> dcc.Download:
    return dcc.Download(id=DOWNLOAD_ID)


@callback(Output(DOWNLOAD_ID, "data"), Input({"type": "export", "format": ALL, "chart": ALL, "key": ALL}, "n_clicks"),
          prevent_initial_call=True)
def download(_clicks):
    wanted = dash.ctx.triggered_id
    # The callback also fires when buttons appear (a new page): only a real click exports.
    if not isinstance(wanted, dict) or not dash.ctx.triggered[0].get("value"):
        return dash.no_update
    try:
        chart = charts.build(wanted["chart"], json.loads(wanted["key"]))
    except (charts.UnknownChart, json.JSONDecodeError):
        return dash.no_update
    if wanted["format"] == "png":
        return dcc.send_bytes(exports.png_bytes(chart), exports.filename(chart, "png"))
    return dcc.send_bytes(exports.csv_bytes(chart), exports.filename(chart, "csv"))
