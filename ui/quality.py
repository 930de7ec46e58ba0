"""The data quality grade as a badge: the letter in its colour, the rule that gave it on hover and for screen
readers, and a link to the page that explains the rules."""

from __future__ import annotations

import json

from dash import dcc, html

import vocab
from i18n import gettext as _
from i18n import pgettext
from mission.quality import Grade

QUALITY_PAGE = "/data-quality"


def no_grade() -> str:
    """What a grid shows for a city with no emissions figure at all, in the reader's language."""
    return pgettext("grade", "none")


def grade_badge(grade: Grade, id: str | None = None) -> dcc.Link:
    """'data quality A' (or 'no emissions figure') linking to the rules; its title and hidden text say why."""
    letter = grade.grade or "none"
    text = (_("data quality {grade}").format(grade=grade.grade) if grade.grade
            else _("data quality: no emissions figure"))
    return dcc.Link([text, html.Span(f": {grade.reason}", className="visually-hidden")], href=QUALITY_PAGE,
                    className=f"badge me-1 grade-badge grade-{letter} text-decoration-none",
                    title=_("Grade {grade}: {reason}").format(grade=grade.grade or "-", reason=grade.reason),
                    **({"id": id} if id else {}))


def grade_column(**extra) -> dict:
    """An AG Grid column of grades (field `grade`), each cell in its grade's colour; a city with no emissions
    figure at all reads 'none', not a blank that could mean a missing value. In the reader's language: build it
    when the page is laid out, not when it is imported."""
    none = json.dumps(no_grade(), ensure_ascii=False)
    return {"field": "grade", "headerName": _("Data quality"), "maxWidth": 140,
            "valueFormatter": {"function": f"params.value == null ? {none} : params.value"},
            "cellClassRules": {f"grade-cell grade-{g}": f"params.value == '{g}'" for g in vocab.GRADE.codes()
                               if g != "none"},
            **extra}
