"""The frame around every page: navbar built from the page registry, and a footer naming the data."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

import i18n
from i18n import gettext as _
from mission import queries
from mission.db import WarehouseMissing
from mission.words import count
from ui.compose import compose
from ui.exports import download_component


def navbar() -> dbc.Navbar:
    links = [
        dbc.NavItem(dbc.NavLink(_(page["name"]), href=page["relative_path"], active="exact"))
        for page in dash.page_registry.values()
        if page.get("nav", True) and page["module"] != "pages.not_found_404"
    ]
    return dbc.Navbar(
        dbc.Container([
            dbc.NavbarBrand(_("Cities Mission Dashboard"), href="/"),
            dbc.NavbarToggler(id="navbar-toggler"),
            dbc.Collapse(dbc.Nav([*links, language_menu()], navbar=True, className="ms-auto"), id="navbar-collapse",
                         navbar=True),
        ], fluid=True),
        color="dark", dark=True, className="mb-3",
    )


def language_menu() -> dbc.DropdownMenu:
    """The languages of the interface, each in its own language; assets/i18n.js reloads the page in the one picked
    (the links work without it too, on the first page)."""
    here = i18n.current()
    items = [html.A(name, href=f"?lang={code}", lang=code, hrefLang=code, className="dropdown-item",
                    **{"data-set-lang": code, "aria-current": "true" if code == here else "false"})
             for code, name in i18n.LANGUAGES.items()]
    language = _("Language")  # outside the f-string, where extraction finds it
    return dbc.DropdownMenu(items, label=f"{language}: {i18n.LANGUAGES[here]}", nav=True, in_navbar=True,
                            align_end=True, id="language-menu")


def page_title(name: str):
    """A page's <title>, in the reader's language at each visit (`name` marked with N_)."""
    def title(**_query) -> str:
        site = _("Cities Mission Dashboard")
        return f"{_(name)} · {site}"

    return title


def footer() -> html.Footer:
    try:
        info = queries.build_info()
        sources = dcc.Link(count(info["sources"], "{n} source", "{n} sources"), href="/sources")
        text = [*compose(_("Data: the cities' Climate City Contracts, European Commission and NetZeroCities "
                           "announcements, Our World in Data (Jones et al.; Climate Watch) and GeoNames: {sources}."),
                         sources=sources),
                " ", _("Warehouse built {built} UTC (build {build}).").format(
                    built=f"{info['loaded_at']:%Y-%m-%d %H:%M}", build=info["build_id"][:12]), " ",
                _("Names of cities, actions and sources, and notes from the documents, are shown as the sources "
                  "wrote them.")]
    except WarehouseMissing as missing:
        text = [_("No warehouse: {reason}").format(reason=missing)]
    text += [" ", dcc.Link(_("Accessibility"), href="/accessibility")]
    return html.Footer(dbc.Container(html.Small(text, className="text-muted", id="footer-text"), fluid=True),
                       className="border-top py-2 mt-4")


MAIN_ID = "main"


def layout() -> html.Div:
    """Skip link, navbar, the page in the <main> landmark (the skip link's target), footer."""
    return html.Div([html.A(_("Skip to the content"), href=f"#{MAIN_ID}", className="skip-link"), navbar(),
                     html.Main(dbc.Container(dash.page_container, fluid=True), id=MAIN_ID, tabIndex="-1"),
                     footer(), download_component()])


# On narrow screens the navbar folds into a toggler button.
dash.clientside_callback(
    "function(n, open) { return n ? !open : open; }",
    dash.Output("navbar-collapse", "is_open"),
    dash.Input("navbar-toggler", "n_clicks"), dash.State("navbar-collapse", "is_open"),
)
