"""Keep a page's view in the URL query string, so a copied link reopens the same view."""

from __future__ import annotations

from urllib.parse import urlencode

from dash import Input, clientside_callback, dcc

# replaceState changes the address without a page load or a new history entry.
# The reader's language (`lang=`) stays in the address whatever the page writes there.
_SYNC = """function(search) {
    if (search === undefined || search === null) { return window.dash_clientside.no_update; }
    const lang = (window.location.search.match(/[?&]lang=([^&#]*)/) || [])[1];
    if (lang && !/[?&]lang=/.test(search)) { search = (search ? search + "&" : "?") + "lang=" + lang; }
    const url = window.location.pathname + search;
    if (url !== window.location.pathname + window.location.search) { window.history.replaceState(null, "", url); }
    return window.dash_clientside.no_update;
}"""


def query_store(id: str) -> dcc.Store:
    """A store whose data ("?a=1&b=2", or "" for the default view) is written into the address bar."""
    return dcc.Store(id=id)


def sync_url(store_id: str) -> None:
    """Register, once at import of the page module, the callback that writes the store into the URL."""
    clientside_callback(_SYNC, Input(store_id, "data"))


def search(query: dict[str, str]) -> str:
    """The store value for a query dict: "?a=1&b=2", or "" when empty."""
    encoded = urlencode(query, safe=",")
    return "?" + encoded if encoded else ""
