"""Accessible names for controls that have no label element of their own: radio groups as fieldsets with their
question as legend, and sliders named through `data-a11y-name` (assets/a11y.js gives the name to their thumb and
number box, which Dash renders without one)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html


def question(legend: str, id: str, options: list[dict], value: object, **radio) -> html.Fieldset:
    """A radio group that a screen reader announces with its question, its options one Tab stop (a shared name)."""
    return html.Fieldset([html.Legend(legend, className="filter-label"),
                          dbc.RadioItems(id=id, name=id, options=options, value=value, **radio)],
                         className="question mb-0")


def named(component, name: str) -> html.Div:
    """`component` (a dcc.Slider) inside an element that names it for assistive technology."""
    return html.Div(component, **{"data-a11y-name": name})
