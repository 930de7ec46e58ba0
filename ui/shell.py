"""The frame around every page: navbar built from the page registry, and a footer naming the data."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from mission import queries
from mission.db import WarehouseMissing


def navbar() -> dbc.Navbar:
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], active="exact"))
        for page in dash.page_registry.values()
        if page.get("nav", True) and page["module"] != "pages.not_found_404"
    ]
    return dbc.Navbar(
        dbc.Container([
            dbc.NavbarBrand("Cities Mission Dashboard", href="/"),
            dbc.Nav(links, navbar=True),
        ], fluid=True),
        color="dark", dark=True, className="mb-3",
    )


def footer() -> html.Footer:
    try:
        info = queries.build_info()
        text = (f"Data: {info['sources']} sources (Climate City Contracts, NetZeroCities, Our World in Data, "
                f"GeoNames). Warehouse built {info['built_at']:%Y-%m-%d %H:%M} UTC.")
    except WarehouseMissing as missing:
        text = f"No warehouse: {missing}"
    return html.Footer(dbc.Container(html.Small(text, className="text-muted"), fluid=True),
                       className="border-top py-2 mt-4")


def layout() -> html.Div:
    return html.Div([navbar(), dbc.Container(dash.page_container, fluid=True), footer()])
