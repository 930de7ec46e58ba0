"""The page for any address the dashboard does not know."""

from __future__ import annotations

import dash

from ui.notfound import not_found

dash.register_page(__name__, path="/404", name="Not found", nav=False)


def layout(**_query):
    return not_found()
