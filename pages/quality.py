"""Data quality: how far each city's emissions figures can be trusted (grades A-D) and, where a city also reported
to CDP-ICLEI, whether the two sources agree."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import polars as pl
from dash import html

import vocab
from i18n import N_, percent
from i18n import gettext as _
from mission import overview, quality
from ui.cards import exported_chart
from ui.compose import compose
from ui.grid import cohort_word, data_grid, markdown_link, number
from ui.ids import PageIds
from ui.quality import QUALITY_PAGE, grade_column, no_grade
from ui.shell import page_title
from ui.warehouse import needs_warehouse

dash.register_page(__name__, path=QUALITY_PAGE, name=N_("Data quality"), title=page_title(N_("Data quality")),
                   order=80)


class ID(PageIds, page="quality"):
    """The component ids of this page."""

    comparisons: str
    differences: str
    differences_summary: str
    grade_grid: str
    grades: str
    grades_summary: str
    no_cdp: str
    rules: str


def comparison_columns() -> list[dict]:
    """The columns of the comparisons, headed in the reader's language (built when the page is laid out)."""
    return [
        {"field": "city_link", "headerName": _("City"), "cellRenderer": "markdown", "pinned": "left",
         "minWidth": 150},
        {"field": "country_iso2", "headerName": _("Country"), "maxWidth": 110},
        {"field": "year", "headerName": _("Year (CDP)"), "type": "numericColumn", "maxWidth": 120},
        {"field": "elsewhere_tco2e", "headerName": _("CDP-ICLEI (t CO2e)"), "type": "numericColumn",
         "valueFormatter": number(0)},
        {"field": "mission_year", "headerName": _("Year (mission data)"), "type": "numericColumn", "maxWidth": 150},
        {"field": "mission_tco2e", "headerName": _("Mission data (t CO2e)"), "type": "numericColumn",
         "valueFormatter": number(0)},
        {"field": "mission_kind_words", "headerName": _("Kind (mission data)"), "minWidth": 150},
        {"field": "difference_pct", "headerName": _("Difference (%)"), "type": "numericColumn",
         "valueFormatter": number(0)},
        {"field": "flag", "headerName": _("Beyond {pct}").format(pct=percent(quality.DIFFERENCE_THRESHOLD_PCT)),
         "maxWidth": 130},
        {"field": "boundary", "headerName": _("CDP boundary"), "minWidth": 200},
        {"field": "protocol", "headerName": _("CDP protocol"), "minWidth": 200},
        {"field": "elsewhere_figure", "headerName": _("CDP figure used"), "minWidth": 220},
        {"field": "note", "headerName": _("Note"), "minWidth": 220},
    ]


def grade_columns() -> list[dict]:
    """The columns of every city's grade, headed in the reader's language (built when the page is laid out)."""
    return [
        {"field": "city_link", "headerName": _("City"), "cellRenderer": "markdown", "pinned": "left",
         "minWidth": 150},
        {"field": "country_iso2", "headerName": _("Country"), "maxWidth": 110},
        {"field": "cohort", "headerName": _("Cohort"), "maxWidth": 130},
        grade_column(headerName=_("Grade")),
        {"field": "grade_reason", "headerName": _("Why"), "minWidth": 380},
    ]


def comparison_rows(compared: pl.DataFrame) -> list[dict]:
    differs, within = _("differs"), _("within")
    return [{**r, "city_link": markdown_link(r["city"], f"/city/{r['city_id']}"),
             "mission_kind_words": vocab.KIND.label(r["mission_kind"], "") if r["mission_kind"] else "",
             "flag": differs if r["disagrees"] else "" if r["disagrees"] is None else within}
            for r in compared.iter_rows(named=True)]


def grade_rows(metrics: pl.DataFrame) -> list[dict]:
    return [{"city_link": markdown_link(r["name"], f"/city/{r['city_id']}"), "country_iso2": r["country_iso2"],
             "cohort": cohort_word(r["cohort"]),
             "grade": r["grade"] or no_grade(), "grade_reason": r["grade_reason"]}
            for r in metrics.sort("grade", "name", nulls_last=True).iter_rows(named=True)]


def rules() -> html.Div:
    items = [html.Li([html.Strong(f"{g}: "), words]) for g, words in quality.grade_words().items()]
    return html.Div([
        html.P(_("Each city gets the first grade whose rule it meets:"), className="mb-1"),
        html.Ul(items, className="mb-2"),
        html.P(_("“Complete” means not a partial update: an inventory without a grand total that covers fewer "
                 "sectors than the city's most detailed one is partial. “Split into sectors” means at least {n} "
                 "sectors. The grade says where the figures come from, not whether the city is on track.").format(
                     n=quality.MIN_SECTORS), className="small text-muted mb-0"),
    ], id=ID.rules)


def comparison_rules() -> html.Ul:
    return html.Ul([
        html.Li(_("A total reported to CDP-ICLEI is set beside the mission data's total of the same year, else the "
                  "nearest complete inventory at most {years} years away (the gap is shown). A city whose mission "
                  "data hold only a modelled estimate is compared with that estimate.").format(
                      years=quality.MAX_YEAR_GAP)),
        html.Li(_("The CDP figure is the GPC BASIC total where given, else direct + grid-supplied energy emissions "
                  "(scope 1 + 2 without local power generation), else the scope 1 and scope 2 totals added, else the "
                  "BASIC+ total.")),
        html.Li(_("Difference = (CDP-ICLEI − mission data) / mission data.") + " " + quality.threshold_words()),
        html.Li(_(quality.CAVEAT)),
    ], className="small mb-0")


@needs_warehouse
def layout(**_query) -> html.Div:
    metrics = overview.all_city_metrics()
    compared = quality.comparisons()
    if compared.height:
        agreement = [
            exported_chart(_("Totals reported to CDP-ICLEI against the mission data"), "mission-sources", {},
                           ID.differences, summary_id=ID.differences_summary,
                           notes=(comparison_rules(),)),
            dbc.Card([dbc.CardHeader(html.H2(_("Every comparison"), className="h6 mb-0")),
                      data_grid(ID.comparisons, comparison_columns(), comparison_rows(compared))],
                     className="mt-3"),
        ]
    else:
        agreement = [dbc.Alert(compose(
            _("No total reported to CDP-ICLEI is loaded in this warehouse. Download a CDP “City-wide Emissions” CSV "
              "(CDP open data) and build with {command} or put the file in {folder}."),
            command=html.Code("python -m etl build --with-cdp FILE"), folder=html.Code("data/external/cdp/")),
            color="secondary", id=ID.no_cdp)]
    return html.Div([
        html.H1(_("Data quality: can we trust these numbers?"), className="h3"),
        html.P(_("Cities report their emissions in several places, with different boundaries, years and methods. "
                 "Each city's figures get a grade from documented rules, and totals the city reported to CDP-ICLEI "
                 "are set beside those of its Climate City Contract."), className="text-muted"),
        dbc.Row([
            dbc.Col(exported_chart(_("Cities per data quality grade"), "grades", {}, ID.grades,
                                   summary_id=ID.grades_summary, notes=(rules(),)), lg=6),
            dbc.Col(dbc.Card([dbc.CardHeader(html.H2(_("Every city's grade"), className="h6 mb-0")),
                              data_grid(ID.grade_grid, grade_columns(), grade_rows(metrics),
                                        style={"height": "520px"}, dashGridOptions={"domLayout": "normal"})],
                             className="h-100"), lg=6),
        ], className="g-3 mb-3"),
        *agreement,
    ])
