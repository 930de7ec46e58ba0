"""Pages that read the warehouse say plainly, instead of failing, when it is missing or was built by another
version of the ETL (the message says how to build it)."""

from __future__ import annotations

import functools
from collections.abc import Callable

import dash_bootstrap_components as dbc
from dash.development.base_component import Component

from i18n import N_
from i18n import gettext as _
from mission.db import WarehouseMissing

SITE = N_("Cities Mission Dashboard")  # translated where shown: _(SITE)


def needs_warehouse(layout: Callable[..., Component]) -> Callable[..., Component]:
    """A page's layout, or the reason the warehouse cannot be read."""

    @functools.wraps(layout)
    def page(*args, **query) -> Component:
        try:
            return layout(*args, **query)
        except WarehouseMissing as missing:
            return dbc.Alert(str(missing), color="danger", className="warehouse-missing")

    return page


def title_needs_warehouse(title: Callable[..., str]) -> Callable[..., str]:
    """A page's title, or the site's name when the warehouse cannot be read."""

    @functools.wraps(title)
    def page_title(*args, **query) -> str:
        try:
            return title(*args, **query)
        except WarehouseMissing:
            return _(SITE)

    return page_title
