"""'Download brief' on city and country pages: a background job with a progress bar; the page stays usable."""

from __future__ import annotations

import logging

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

import i18n
from i18n import gettext as _
from mission import briefs
from mission.db import pinned
from ui import jobs

log = logging.getLogger(__name__)


def brief_controls(kind: str, key: str) -> html.Div:
    """The button, its progress bar and its download, for a city (kind='city'), a country (kind='country') or the
    Mission's progress (kind='mission', key: the countries, "" for the whole Mission)."""
    return html.Div([
        dcc.Store(id="brief-subject", data={"kind": kind, "key": key, "lang": i18n.current()}),
        dbc.Button(_("Download brief (PDF, PNG, CSV)"), id="brief-button", color="primary", size="sm"),
        dbc.Progress(id="brief-progress", value=0, max=1, style={"height": "6px", "visibility": "hidden"},
                     className="mt-1"),
        html.Div(id="brief-status", className="small text-muted"),
        dcc.Download(id="brief-download"),
    ], className="brief-controls")


def brief_failed(error: Exception) -> tuple[object, str]:
    """How a brief that did not finish ends on the page: a sentence, the button free again, no progress bar."""
    why = jobs.lost(error)
    if why == jobs.NOT_STARTED:
        return dash.no_update, _("The brief was not started: the servers that make briefs are busy or not running. "
                                 "Please ask again in a few minutes.")
    if why == jobs.TOO_LONG:
        return dash.no_update, _("The brief took too long and was given up. Please ask again; if it happens again, "
                                 "tell us which brief you asked for.")
    if why == jobs.STOPPED:
        return dash.no_update, _("The brief stopped before it was finished: the server making it went away. "
                                 "Please ask again.")
    log.error("a brief failed: %s", error)
    return dash.no_update, _("The brief could not be made because of an error on the server, which has been "
                             "recorded. Please ask again; if it fails again, tell us which brief you asked for.")


@callback(
    Output("brief-download", "data"), Output("brief-status", "children"),
    Input("brief-button", "n_clicks"), State("brief-subject", "data"),
    background=True, prevent_initial_call=True, on_error=brief_failed,
    running=[(Output("brief-button", "disabled"), True, False),
             (Output("brief-progress", "style"), {"height": "6px", "visibility": "visible"},
              {"height": "6px", "visibility": "hidden"})],
    progress=[Output("brief-progress", "value"), Output("brief-progress", "max"), Output("brief-status", "children")],
)
def make_brief(set_progress, clicks, subject):
    if not clicks or not isinstance(subject, dict):
        return dash.no_update, ""
    def progress(done: int, steps: int, what: str) -> None:
        set_progress((done, steps, what[:1].upper() + what[1:] + "…"))

    # The job runs in another process: it writes in the reader's language, which the page sent with the subject.
    with i18n.use(subject.get("lang")):
        with pinned():  # one build of the warehouse for the whole brief, even if it is rebuilt meanwhile
            try:
                kind, key = subject.get("kind"), subject.get("key")
                brief = (briefs.city_brief(key) if kind == "city" else
                         briefs.mission_brief(key if isinstance(key, str) else "") if kind == "mission"
                         else briefs.country_brief(key))
            except briefs.BriefNotPossible as why:
                return dash.no_update, _("No brief: {why}.").format(why=why)
            content = briefs.zip_bytes(brief, progress=progress)
        return dcc.send_bytes(content, briefs.zip_name(brief)), _("The brief is ready.")
