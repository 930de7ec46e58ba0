"""AG Grid tables with the dashboard's defaults: sortable, filterable, resizable, numbers formatted in the browser."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import dash_ag_grid as dag

import i18n
from i18n import N_
from i18n import gettext as _

# Long column names wrap in a taller header instead of being cut to "Summed b...".
DEFAULT_COLUMN = {"sortable": True, "resizable": True, "filter": True, "flex": 1, "minWidth": 110,
                  "wrapHeaderText": True, "autoHeaderHeight": True}


# A city's cohort as the grids write it: its code, a word in the reader's language (vocab.COHORT's labels are longer).
COHORT_WORDS = {"mission": N_("mission"), "newcomer": N_("newcomer"), "signatory": N_("signatory")}


def cohort_word(code: str | None) -> str:
    """The cohort `code` as a grid cell, in the reader's language ('mission' in English); any other value as is."""
    return _(COHORT_WORDS[code]) if code in COHORT_WORDS else ("" if code is None else str(code))


def number(digits: int) -> dict:
    """A value formatter: the reader's thousands and decimal signs (i18n.separators) and `digits` decimals; blank
    for a missing value. Built when the page is laid out, in the reader's language."""
    signs = i18n.separators()
    decimal, thousands = signs[0], signs[1:]
    locale = json.dumps({"decimal": decimal, "thousands": thousands, "grouping": [3], "currency": ["", ""]})
    return {"function": f"params.value == null ? '' : d3.formatLocale({locale}).format(',.{digits}f')(params.value)"}


def data_grid(id: str, columns: list[dict], rows: list[dict], **options) -> dag.AgGrid:
    """A grid that grows with its rows (no inner scroll bar) unless `style` sets a height."""
    grid_options = {"domLayout": "autoHeight", **options.pop("dashGridOptions", {})}
    return dag.AgGrid(id=id, columnDefs=columns, rowData=rows, defaultColDef={**DEFAULT_COLUMN,
                                                                              **options.pop("defaultColDef", {})},
                      dashGridOptions=grid_options, className="ag-theme-quartz", **options)


def markdown_text(text: object) -> str:
    """Text from the data for a markdown cell, shown as written: every ASCII punctuation mark is backslash-escaped
    (CommonMark), so a name cannot open a link, an image or HTML."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", "" if text is None else str(text))


def web_url(url: str | None) -> str | None:
    """`url` if it is an http(s) address (the first of ' ; '-separated ones), else None: never javascript: or data:."""
    first = (url or "").split(" ; ")[0].strip()
    return first if re.match(r"(?i)^https?://", first) else None


def markdown_link(text: object, href: str) -> str:
    """A markdown link whose text is shown as written; `href` is a path of the app or an http(s) address."""
    return f"[{markdown_text(text)}]({quote(href, safe=':/?#=&%~+,;@!$*')})"
