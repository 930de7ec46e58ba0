"""The page for any address the dashboard does not know."""

from __future__ import annotations

import dash

from i18n import N_
from i18n import gettext as _
from ui.notfound import not_found
from ui.warehouse import SITE


def _title(**_query) -> str:
    """The site's name, as the tab of an unknown address always read."""
    return _(SITE)


dash.register_page(__name__, path="/404", name=N_("Not found"), title=_title, nav=False)


def layout(**_query):
    return not_found()
