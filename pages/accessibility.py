"""Accessibility statement: the standard aimed at, how it is checked, what is met, what is known not to be, and how
to report a problem."""

from __future__ import annotations

import os

import dash
from dash import dcc, html

from i18n import N_
from i18n import gettext as _
from ui.compose import compose
from ui.ids import PageIds
from ui.shell import page_title

dash.register_page(__name__, path="/accessibility", name=N_("Accessibility"),
                   title=page_title(N_("Accessibility")), nav=False)


class ID(PageIds, page="accessibility"):
    """The component ids of this page."""

    contact: str

# Where people report a problem: an e-mail address or a web address, set by whoever runs the dashboard.
CONTACT_VARIABLE = "MISSION_ACCESSIBILITY_CONTACT"

MET = (
    N_("Every page can be used with the keyboard alone: a “{skip}” link comes first, the content is in a "
       "main landmark, and every control (menus, dropdowns, sliders, buttons, tables) takes the focus in reading order "
       "with a visible focus ring (at least 3:1 against its background)."),
    N_("Every control has a name that says what it sets: labels for lists and fields, the question as the legend of "
       "each group of options, and a name for each slider and its number box."),
    N_("Every chart has a title and a one-sentence summary that screen readers announce as its description; each can "
       "be downloaded as CSV with the data behind it, its unit, kind and source. The maps' information is also in "
       "tables (on the overview, the country pages, the countries page and the newcomers' grid)."),
    N_("Text and controls meet WCAG's contrast ratios (4.5:1 for text, 3:1 for large text and controls); colour never "
       "carries a meaning alone: the kinds of data, grades, tiers and verdicts are also written in words."),
)
KNOWN = (
    N_("Inside a chart, the drawing itself (bars, points, hover values) cannot be explored with a screen reader or the "
       "keyboard; its summary sentence, its CSV and the tables beside it carry the same information."),
    N_("The PDF briefs are not tagged PDFs: their text can be read and searched, but has no structure for assistive "
       "technology. The same figures are on the pages and in the CSV files of each brief."),
    N_("Dash's dropdowns and sliders render without accessible names and with a hidden element that takes the focus; "
       "a script of the dashboard (assets/a11y.js) names them and moves the focus to the visible control. The "
       "dashboard needs JavaScript."),
    N_("Names of cities, actions and sources, and notes from the documents, are shown as the sources wrote them."),
)


def layout(**_query) -> html.Div:
    contact = os.environ.get(CONTACT_VARIABLE, "").strip()
    if contact.startswith(("http://", "https://")):
        reach = [html.A(contact, href=contact)]
    elif "@" in contact:
        reach = [html.A(contact, href=f"mailto:{contact}")]
    else:
        reach = compose(_("the organisation that runs this dashboard (it has not set an address here: the variable "
                          "{variable} names it), or the issue tracker of the dashboard's open-source project"),
                        variable=html.Code(CONTACT_VARIABLE))
    return html.Div([
        html.H1(_("Accessibility"), className="h3"),
        html.P(_("The Cities Mission Dashboard aims to meet the Web Content Accessibility Guidelines (WCAG) 2.1 at "
                 "level AA, the standard of the EU's Web Accessibility Directive (EN 301 549).")),
        html.H2(_("How it is checked"), className="h5 mt-3"),
        html.P(_("Every change runs axe-core (the rules of WCAG 2.0 and 2.1, levels A and AA) in a headless Chromium "
                 "on every main page; the test suite fails on any critical or serious finding. Browser tests use the "
                 "pages with the keyboard: the skip link, the focus ring, and dropdowns opened and chosen without a "
                 "mouse. Automatic checks find only part of what WCAG asks.")),
        html.H2(_("What is met"), className="h5 mt-3"),
        html.Ul([html.Li(_(text).format(skip=_("Skip to the content"))) for text in MET]),
        html.H2(_("What is known not to be"), className="h5 mt-3"),
        html.Ul([html.Li(_(text)) for text in KNOWN]),
        html.H2(_("Report a problem"), className="h5 mt-3"),
        html.P(compose(_("If something on the dashboard is hard or impossible for you to use, tell {reach}. Say which "
                         "page and what you tried; we answer and, where we can, fix it or give you the information "
                         "another way."), reach=reach), id=ID.contact),
        html.P(compose(_("Every chart's data can also be downloaded as CSV from its card, and every source is listed "
                         "on {link}."), link=dcc.Link(_("the sources page"), href="/sources")), className="mt-3"),
    ])
