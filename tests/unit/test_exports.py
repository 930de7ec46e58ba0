"""Exports describe themselves and are safe to open in a spreadsheet."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl

from mission.exports import ChartExport, _wrap, filename, safe_cell


def chart(**kw) -> ChartExport:
    fields = {"name": "pathway", "subject": "Sant Boi de Llobregat", "title": "T", "unit": "t CO2e",
              "figure": go.Figure(go.Scatter(x=[1], y=[2]), layout={"height": 300}),
              "data": pl.DataFrame({"year": [2019], "tco2e": [1.0], "unit": ["t"], "kind": ["reported"],
                                    "source_id": ["ccc-x"]}),
              "summary": "One sentence."}
    return ChartExport(**(fields | kw))


def test_cells_a_spreadsheet_would_run_as_formulas_are_escaped_and_numbers_are_not():
    assert safe_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert [safe_cell(v) for v in ("+1", "-cmd", "@SUM(A1)", "\tx")] == ["'+1", "'-cmd", "'@SUM(A1)", "'\tx"]
    assert safe_cell(-5.0) == -5.0 and safe_cell("Klagenfurt") == "Klagenfurt" and safe_cell(None) is None


def test_file_names_say_whose_chart_which_chart_and_the_day():
    assert filename(chart(), "png", dt.date(2026, 11, 24)) == "sant-boi-de-llobregat_pathway_2026-11-24.png"
    assert filename(chart(name="label pipeline", subject="FR, BE"), "csv", dt.date(2026, 1, 2)) == \
        "fr-be_label_pipeline_2026-01-02.csv"


def test_long_lines_wrap_for_the_image():
    assert _wrap("a " * 10, 6) == "a a a<br>a a a<br>a a a<br>a"
