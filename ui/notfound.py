"""The body of the not-found page, also shown for an unknown city or country."""

from __future__ import annotations

from dash import dcc, html

from i18n import gettext as _


def not_found(what: str | None = None) -> html.Div:
    """The page, saying `what` was not found (translated by the caller), else that there is no page here."""
    return html.Div([
        html.H1(_("Page not found"), className="h3"),
        html.P(what if what is not None else _("There is no page at this address.")),
        dcc.Link(_("Back to the overview"), href="/"),
    ], id="not-found")
