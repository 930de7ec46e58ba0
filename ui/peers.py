"""The peer finder's list: five Mission Cities like a city, each with the reasons and links."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from i18n import N_
from i18n import gettext as _
from mission.peers import Match
from ui.quality import grade_badge

METHOD = N_("Similarity: the mean of four distances, each from 0 to 1: population (tenfold = 1), place (same "
          "country 0, same UN M49 sub-region 0.5), emissions per person (5 t = 1) and sector mix (share of "
          "emissions that differs). Unknown figures are left out of the mean.")


def peer_list(matches: list[Match], id: str) -> html.Ol:
    return html.Ol([html.Li([
        dcc.Link(m.profile.name, href=f"/city/{m.profile.city_id}", className="fw-semibold"),
        f" ({m.profile.country_iso2}) · ",
        *([grade_badge(m.profile.grade)] if m.profile.grade else []),
        dcc.Link(_("actions"), href=f"/portfolio?city={m.profile.city_id}", className="small"),
        html.Div("; ".join(m.reasons), className="small text-muted"),
    ], className="mb-1 peer") for m in matches], id=id, className="mb-0")


def peer_card(title: str, matches: list[Match], summary: str, id: str) -> dbc.Card:
    return dbc.Card([
        dbc.CardHeader(html.H2(title, className="h6 mb-0")),
        dbc.CardBody([peer_list(matches, id), html.P(_(METHOD), className="small text-muted mt-2 mb-0")]),
        dbc.CardFooter(summary, className="bg-white small"),
    ], className="mt-3")
