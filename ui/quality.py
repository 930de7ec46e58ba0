"""The data quality grade as a badge: the letter in its colour, the rule that gave it on hover and for screen
readers, and a link to the page that explains the rules."""

from __future__ import annotations

from dash import dcc, html

import vocab
from mission.quality import Grade

QUALITY_PAGE = "/data-quality"


def grade_badge(grade: Grade, id: str | None = None) -> dcc.Link:
    """'data quality A' (or 'no emissions figure') linking to the rules; its title and hidden text say why."""
    letter = grade.grade or "none"
    text = f"data quality {grade.grade}" if grade.grade else "data quality: no emissions figure"
    return dcc.Link([text, html.Span(f": {grade.reason}", className="visually-hidden")], href=QUALITY_PAGE,
                    className=f"badge me-1 grade-badge grade-{letter} text-decoration-none",
                    title=f"Grade {grade.grade or '-'}: {grade.reason}", **({"id": id} if id else {}))


def grade_column(**extra) -> dict:
    """An AG Grid column of grades (field `grade`), each cell in its grade's colour; a city with no emissions
    figure at all reads 'none', not a blank that could mean a missing value."""
    return {"field": "grade", "headerName": "Data quality", "maxWidth": 140,
            "valueFormatter": {"function": "params.value == null ? 'none' : params.value"},
            "cellClassRules": {f"grade-cell grade-{g}": f"params.value == '{g}'" for g in vocab.GRADE.codes()
                               if g != "none"},
            **extra}
