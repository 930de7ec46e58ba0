"""The dashboard in six languages: the reader's language chosen as the README says, numbers in the reader's locale,
and catalogues that are complete, not fuzzy, and whose placeholders match the English."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import i18n
from tests.conftest import ROOT

TRANSLATED = [code for code in i18n.LANGUAGES if code != i18n.DEFAULT]
# `{name}` (str.format) and `%{...}` (plotly templates) must survive translation unchanged, or a page breaks.
PLACEHOLDER = re.compile(r"%\{[^}]*\}|\{[a-z_0-9]*\}")


def test_a_language_is_read_from_its_code_or_the_browsers_preferences():
    assert [i18n.normal(c) for c in ("fr", "FR", "fr-BE", "fr_CA", "pt", "", None, 3)] == [
        "fr", "fr", "fr", "fr", None, None, None, None]
    assert i18n.best_match("pl,en;q=0.8") == "pl"
    assert i18n.best_match("pt-BR,de;q=0.5,fr;q=0.9") == "fr"
    assert i18n.best_match("de;q=0") is None and i18n.best_match(None) is None
    with i18n.use("xx") as used:
        assert used == i18n.current() == "en"
    assert i18n.current() == "en"


def test_numbers_and_dates_follow_the_readers_locale():
    import datetime as dt

    expected = {"en": ("12,345.6", "12%", "12 October 2023"), "fr": ("12\u202f345,6", "12\u00a0%", "12 octobre 2023"),
                "de": ("12.345,6", "12\u00a0%", "12. Oktober 2023"), "it": ("12.345,6", "12%", "12 ottobre 2023"),
                "es": ("12.345,6", "12\u00a0%", "12 de octubre de 2023"),
                "pl": ("12\u00a0345,6", "12%", "12 października 2023")}
    for code, (number, share, day) in expected.items():
        with i18n.use(code):
            assert (i18n.number(12345.6, 1), i18n.percent(12.34), i18n.date(dt.date(2023, 10, 12))) == (
                number, share, day), code
            assert i18n.separators()[0] == ("." if code == "en" else ",")


def marked_messages(folder: Path) -> set[str]:
    """Every message the code marks for translation, extracted as `make i18n-extract` does."""
    pot = folder / "messages.pot"
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "extract", "--mapping-file", "babel.cfg", "--keywords", "N_",
         "--keywords", "pgettext:1c,2", "--keywords", "count:2,3", "--no-location", "--omit-header",
         "--output-file", str(pot), "app.py", "i18n.py", "vocab.py", "mission", "ui", "pages"],
        cwd=ROOT, capture_output=True, text=True, check=True)
    with pot.open("rb") as text:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(text) if m.id}


def catalogue(code: str):
    with (ROOT / "locale" / code / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=code)


@pytest.fixture(scope="module")
def marked(tmp_path_factory) -> set[str]:
    return marked_messages(tmp_path_factory.mktemp("pot"))


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_catalogue_translates_every_marked_message_in_full_and_none_is_fuzzy(code, marked):
    messages = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalogue(code) if m.id}
    missing = sorted(marked - set(messages))
    assert not missing, f"{code}: {len(missing)} marked messages not in the catalogue (make i18n-update): {missing[:8]}"
    fuzzy = sorted(i for i, m in messages.items() if m.fuzzy)
    assert not fuzzy, f"{code}: fuzzy entries: {fuzzy[:8]}"
    empty = sorted(i for i, m in messages.items() if i in marked and (
        not all(m.string) if isinstance(m.string, tuple) else not m.string))
    assert not empty, f"{code}: {len(empty)} untranslated: {empty[:8]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_the_placeholders_of_the_english(code):
    wrong = []
    for m in catalogue(code):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = {p for i in ids for p in PLACEHOLDER.findall(i)}
        for s in strings:
            if s and set(PLACEHOLDER.findall(s)) - wanted:
                wrong.append((ids[0], s))
            if s and len(ids) == 1 and set(PLACEHOLDER.findall(s)) != wanted:
                wrong.append((ids[0], s))
    assert not wrong, f"{code}: placeholders differ from the English: {wrong[:5]}"


def test_country_names_are_written_in_the_readers_language_and_kept_in_english():
    assert i18n.country("PL", "Poland") == "Poland"
    with i18n.use("pl"):
        assert (i18n.country("PL", "Poland"), i18n.country("XK", "Kosovo")) == ("Polska", "Kosowo")
        assert i18n.country("QQ", "Nowhere") == "Nowhere"  # no CLDR name: the warehouse's
    with i18n.use("fr"):
        assert i18n.country("NL", "The Netherlands") == "Pays-Bas"
