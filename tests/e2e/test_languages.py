"""The dashboard in each of its languages, in a real browser: chosen from the menu, kept in the address, and no
English interface word left on any main page."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

import i18n
from tests.conftest import ROOT
from tests.e2e.conftest import Visit, wait_for_dash
from tests.e2e.test_accessibility import MAIN_PAGES

TRANSLATED = [code for code in i18n.LANGUAGES if code != i18n.DEFAULT]


def english_words(code: str) -> tuple[set[str], list[str]]:
    """The English interface texts a page in `code` must not show: whole messages (a heading, a label, a button)
    and the fixed start of sentences with values. Messages the language writes the same way (PNG, CSV, t CO2e)
    are not among them."""
    with (ROOT / "locale" / code / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po, locale=code)
    whole, starts = set(), []
    for m in catalogue:
        english = m.id if isinstance(m.id, str) else m.id[0]
        translated = m.string if isinstance(m.string, str) else (m.string[0] if m.string else "")
        if not english or not translated or translated == english or not re.search(r"[A-Za-z]{3}", english):
            continue
        fixed = re.split(r"\{[a-z_0-9]*\}|%\{", english)[0].strip()
        if fixed == english:
            whole.add(english)
        elif len(fixed) >= 20:
            starts.append(fixed)
    return whole, starts


@pytest.mark.parametrize("code", TRANSLATED)
def test_no_main_page_shows_an_english_interface_word(page: Visit, code: str) -> None:
    whole, starts = english_words(code)
    left = []
    for path in MAIN_PAGES:
        tab = page.goto(f"{path}{'&' if '?' in path else '?'}lang={code}")
        assert tab.evaluate("document.documentElement.lang") == code
        # Text the sources wrote (marked `data-text`: the sources' titles and producers) stays as written.
        tab.evaluate("document.querySelectorAll('.data-text').forEach(e => e.remove())")
        lines = [line.strip() for line in tab.locator("body").inner_text().splitlines() if line.strip()]
        left += [f"{path}: {line}" for line in lines
                 if line in whole or any(line.startswith(start) for start in starts)]
    assert not left, f"{code}: English interface text on the page: {left[:12]}"


def test_the_language_menu_reloads_the_same_view_in_the_language_chosen_and_keeps_it(page: Visit) -> None:
    tab = page.goto("/progress?country=FR")
    tab.get_by_role("button", name=re.compile(r"^Language")).click()
    tab.get_by_role("link", name="Deutsch").click()
    expect(tab).to_have_url(re.compile(r"/progress\?country=FR&lang=de$"))
    wait_for_dash(tab)
    assert tab.evaluate("document.documentElement.lang") == "de"
    # A move inside the dashboard keeps the language in the address, so a copied link opens in German.
    tab.get_by_role("navigation").get_by_role("link").nth(1).click()
    wait_for_dash(tab)
    expect(tab).to_have_url(re.compile(r"lang=de"))
