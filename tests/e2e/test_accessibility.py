"""Accessibility in a real browser: axe-core (WCAG 2.0 and 2.1, levels A and AA) finds no critical or serious
violation on any main page; every page has a skip link and a main landmark; focus is visible."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import Visit, wait_for_dash

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MAIN_PAGES = ("/", "/progress", "/countries", "/country/FR", "/city/klagenfurt", "/portfolio",
              "/scenarios?city=klagenfurt", "/scenarios", "/newcomers", "/data-quality", "/sources", "/accessibility")
BLOCKING = ("critical", "serious")


def seen_whole(tab: Page) -> None:
    """Scroll to the bottom and back, as a reader does: grids render their rows only once they are in view."""
    tab.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    tab.wait_for_timeout(400)
    wait_for_dash(tab)
    tab.evaluate("window.scrollTo(0, 0)")


def axe_violations(tab: Page) -> list[dict]:
    """axe-core's violations of WCAG 2.0/2.1 A and AA on the whole page: rule, impact, elements."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make install-test` (it installs axe-core from npm)", pytrace=False)
    seen_whole(tab)
    tab.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = tab.evaluate("opts => axe.run(document, opts)", {"runOnly": {"type": "tag", "values": WCAG_AA}})
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "elements": [" ".join(n["target"]) if isinstance(n["target"][0], str) else json.dumps(n["target"])
                          for n in v["nodes"]]} for v in result["violations"]]


@pytest.fixture
def tab(browser: Browser, live_server: str) -> Iterator[tuple[Page, str]]:
    """A tab that may inject axe-core (the app's Content-Security-Policy would refuse the inline script)."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, bypass_csp=True)
    try:
        yield context.new_page(), live_server
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("path", MAIN_PAGES)
def test_axe_finds_no_critical_or_serious_violation(tab, path: str, lang: str) -> None:
    page, base = tab
    page.goto(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}")
    wait_for_dash(page)
    found = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    # axe accepts a dropdown named by its value ("All"); a person needs to hear what it chooses: its label first.
    by_value = page.evaluate("""() => [...document.querySelectorAll('button.dash-dropdown')].filter(b => {
        const first = document.getElementById((b.getAttribute('aria-labelledby') || '').split(' ')[0]);
        return !(first && first.tagName === 'LABEL') && !b.getAttribute('aria-label'); }).map(b => b.id)""")
    assert not by_value, f"dropdowns named only by their value: {by_value}"
    assert not found, "\n".join(f"{v['impact']} {v['rule']} ({v['help']}): {len(v['elements'])} elements: "
                                f"{', '.join(v['elements'][:6])}" for v in found)


def contrast(a: str, b: str) -> float:
    """WCAG's contrast ratio of two CSS colours written rgb(...) or rgba(...)."""
    def luminance(colour: str) -> float:
        r, g, b = (int(float(x)) / 255 for x in colour[colour.index("(") + 1:colour.index(")")].split(",")[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def tab_to(tab: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus (a person with a keyboard)."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} never took the focus in {limit} Tab presses")


def test_the_skip_link_comes_first_and_leads_to_the_main_content(page: Visit) -> None:
    tab = page.goto("/progress")
    tab.keyboard.press("Tab")
    skip = tab.get_by_role("link", name="Skip to the content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.tagName") == "MAIN"
    expect(tab.get_by_role("main")).to_contain_text("Where the Mission stands")


def test_a_dropdown_is_named_by_its_label_and_chosen_with_the_keyboard_alone(page: Visit) -> None:
    tab = page.goto("/progress")
    countries = tab.get_by_role("button", name=re.compile(r"^Countries"))
    expect(countries).to_have_accessible_name(re.compile(r"^Countries\b.*whole Mission"))
    tab_to(tab, "#progress-country")
    tab.keyboard.press("Enter")
    expect(countries).to_have_attribute("aria-expanded", "true")
    expect(tab.locator(".dash-dropdown-search")).to_be_focused()
    tab.keyboard.type("Fran")
    expect(tab.get_by_role("option", name="France (FR)")).to_be_visible()
    expect(tab.get_by_role("listbox").get_by_role("option").filter(has_not_text="Fran")).to_have_count(0)  # filtered
    tab.keyboard.press("ArrowDown")
    tab.keyboard.press("Enter")
    expect(tab).to_have_url(re.compile(r"\?country=FR$"))
    tab.keyboard.press("Escape")
    expect(tab.locator("#progress-country")).to_be_focused()


def test_the_focus_ring_is_visible_at_three_to_one(page: Visit) -> None:
    tab = page.goto("/city/klagenfurt")
    tab_to(tab, ".export-buttons .btn")
    ring = tab.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor}; }""")
    assert ring["style"] == "solid" and ring["width"] >= 2
    assert contrast(ring["colour"], "rgb(248, 248, 249)") >= 3  # the card header's background
    assert contrast(ring["colour"], "rgb(255, 255, 255)") >= 3


def test_sliders_are_named_and_move_with_the_arrow_keys(page: Visit) -> None:
    tab = page.goto("/scenarios?city=klagenfurt")
    thumb = tab.get_by_role("slider", name="Built environment, scenario A: share of the planned reduction, in %")
    expect(thumb).to_have_attribute("aria-valuenow", "100")
    thumb.focus()
    tab.keyboard.press("ArrowLeft")
    expect(thumb).to_have_attribute("aria-valuenow", "95")
    expect(tab.get_by_role("spinbutton", name="Built environment, scenario A: share of the planned reduction, in %")
           ).to_have_value("95")


def test_radio_groups_say_their_question_and_are_one_tab_stop(page: Visit) -> None:
    tab = page.goto("/")
    cohort = tab.get_by_role("group", name="Cohort")
    expect(cohort.get_by_role("radio")).to_have_count(3)
    names = cohort.get_by_role("radio").evaluate_all("inputs => [...new Set(inputs.map(i => i.name))]")
    assert names == ["home-cohort"]


def test_the_overview_map_is_also_a_table_and_the_statement_is_linked_from_the_footer(page: Visit) -> None:
    tab = page.goto("/?country=FR")
    table = tab.locator("#home-map-table")
    table.get_by_text("The map as a table").click()
    rows = table.locator("tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() == tab.locator("#home-map .scattergeo path.point").count()
    tab.get_by_role("contentinfo").get_by_role("link", name="Accessibility").click()
    expect(tab).to_have_url(re.compile(r"/accessibility$"))
    expect(tab.get_by_role("heading", name="What is known not to be")).to_be_visible()
