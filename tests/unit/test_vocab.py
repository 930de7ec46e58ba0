"""The vocabulary registry (vocab.py) is the one declaration of every controlled term, and everything that repeats
a term (the input files' documentation, the stylesheet, the words of the domain) agrees with it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import vocab
from etl import schema
from mission.pathways import TARGET_WORDS

ROOT = Path(__file__).resolve().parents[2]
VOCABULARIES = [v for v in vars(vocab).values() if isinstance(v, vocab.Vocabulary)]
# Vocabularies drawn in charts or badges: every term needs a colour.
DRAWN = (vocab.SCOPE, vocab.FIELD, vocab.COHORT, vocab.STAGE, vocab.GRADE)


def test_every_term_has_a_label():
    assert len(VOCABULARIES) >= 20
    for v in VOCABULARIES:
        for term in v:
            assert term.label.strip(), (v.name, term.code)


@pytest.mark.parametrize("drawn", DRAWN, ids=lambda v: v.name)
def test_every_term_that_is_drawn_has_a_colour(drawn):
    assert set(drawn.colours()) == set(drawn.codes())


def test_every_kind_of_emission_figure_has_a_colour_and_a_note():
    for code in (*vocab.KIND.codes("warehouse"), "none"):
        assert vocab.KIND.term(code).colour, code
    for code in vocab.KIND.codes("export"):
        assert vocab.KIND.term(code).note, code


def test_input_vocabularies_match_the_data_readme():
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    checked = 0
    for file in schema.INPUT_FILES:
        for column in file.columns:
            for value in column.vocab or ():
                assert f"`{value}`" in text, (file.name, column.name, value)
                checked += 1
    assert checked > 100


def test_the_stylesheet_colours_kinds_and_grades_as_the_charts_do():
    css = (ROOT / "assets" / "app.css").read_text(encoding="utf-8")
    for code in (*vocab.KIND.codes("warehouse"), "none"):
        rule = re.search(rf"\.kind-{re.escape(code)}\b[^{{]*\{{[^}}]*border-color:\s*(#[0-9A-Fa-f]{{6}})", css)
        assert rule and rule.group(1).upper() == vocab.KIND.term(code).colour.upper(), code
    for term in vocab.GRADE:
        rule = re.search(rf"\.grade-{term.code}\s*\{{([^}}]*)\}}", css)
        assert rule, term.code
        background = re.search(r"background-color:\s*(#[0-9A-Fa-f]{6}|#fff)", rule.group(1)).group(1).upper()
        text = re.search(r"[^-]color:\s*(#[0-9A-Fa-f]{3,6})", rule.group(1)).group(1).lower()
        if term.code == "none":  # no figure: a white badge with a grey border
            assert background == "#FFF" and term.colour.upper() in rule.group(1).upper()
        else:
            assert background == term.colour.upper(), term.code
            assert text == "#000", term.code  # white letters are under 4.5:1 on every grade's colour


def test_every_target_origin_is_worded_for_every_place():
    assert set(TARGET_WORDS) == set(vocab.TARGET_ORIGIN.codes())


def test_aliases_and_codes_read_back_to_the_code():
    assert vocab.SECTOR.parse(" Energy_Supply ") == "energy_supply"
    assert vocab.SECTOR.parse("nowhere") is None
    with pytest.raises(KeyError, match="not a sector"):
        vocab.SECTOR.term("nowhere")
    with pytest.raises(ValueError, match="repeats a code"):
        vocab.Vocabulary("twice", (vocab.T("a", "A"), vocab.T("a", "B")))


def test_the_build_refuses_a_warehouse_column_that_holds_a_code_outside_its_vocabulary():
    import duckdb

    from etl.load import check_vocabularies

    con = duckdb.connect()
    for table in schema.TABLES:
        con.execute(table.ddl())
    assert check_vocabularies(con) == []
    con.execute("INSERT INTO programme (city_id, programme, source_id) VALUES ('x', 'twinning', 's'), "
                "('y', 'moonshot', 's')")
    assert check_vocabularies(con) == [
        "programme.programme holds 'moonshot', not in its vocabulary (pilot_cities, twinning)"]
