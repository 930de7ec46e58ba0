"""The overview in a real browser: filters act on the KPIs and the map, live in the URL, and a click opens a city."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.conftest import rows
from tests.e2e.conftest import Visit, wait_for_dash

POINTS = "#home-map .scattergeo path.point"


def count(db, sql: str, params: dict | None = None) -> int:
    return rows(db, sql, params)[0][0]


def kpi(tab: Page, name: str) -> str:
    return tab.locator(f"#home-kpi-{name} .fs-3").inner_text()


def pick(tab: Page, dropdown: str, typed: str, option: str) -> None:
    """Open a dropdown, type into its search box and click the option, as a person does."""
    tab.locator(dropdown).click()
    tab.keyboard.type(typed)
    # Only once the list is filtered: a list that re-renders under the pointer takes the click elsewhere.
    options = tab.get_by_role("listbox").get_by_role("option")
    expect(options.filter(has_text=option)).to_be_visible()
    expect(options.filter(has_not_text=re.compile(re.escape(typed), re.I))).to_have_count(0)
    tab.get_by_role("option", name=option).click()
    tab.keyboard.press("Escape")
    wait_for_dash(tab)


def test_overview_shows_every_city_on_the_offline_map(page: Visit, bundled_db) -> None:
    tab = page.goto("/")
    shown = count(bundled_db, "SELECT count(*) FROM city WHERE cohort <> 'signatory'")
    expect(tab.locator(POINTS)).to_have_count(shown)
    assert kpi(tab, "mission") == "112"
    assert kpi(tab, "labelled") == str(count(bundled_db, "SELECT count(*) FROM mission_label"))
    # The country outlines came from the app itself: the map drew its land layer.
    expect(tab.locator("#home-map .geo .layer.land path")).not_to_have_count(0)


def test_filtering_to_one_country_changes_the_map_the_kpis_and_the_url(page: Visit, bundled_db) -> None:
    tab = page.goto("/")
    pick(tab, "#home-country", "Swe", "Sweden (SE)")
    sweden = count(bundled_db, "SELECT count(*) FROM city WHERE country_iso2 = 'SE' AND cohort <> 'signatory'")
    expect(tab.locator(POINTS)).to_have_count(sweden)
    expected = count(bundled_db, "SELECT count(*) FROM city WHERE country_iso2 = 'SE' AND cohort = 'mission'")
    assert kpi(tab, "mission") == str(expected)
    assert kpi(tab, "countries") == "1"
    expect(tab).to_have_url(re.compile(r"\?country=SE$"))
    expect(tab.locator("#home-map-summary")).to_contain_text(f"{sweden} cities in 1 country")


def test_cohort_and_label_filters_act_on_every_element(page: Visit, bundled_db) -> None:
    tab = page.goto("/")
    tab.get_by_label("Not labelled").check()
    wait_for_dash(tab)
    unlabelled = count(bundled_db, "SELECT count(*) FROM city WHERE cohort <> 'signatory' AND city_id NOT IN "
                               "(SELECT city_id FROM mission_label)")
    expect(tab.locator(POINTS)).to_have_count(unlabelled)
    assert kpi(tab, "labelled") == "0"
    expect(tab.locator("#home-pipeline-summary")).to_contain_text("has the Mission Label yet")
    expect(tab).to_have_url(re.compile(r"label=not_labelled"))


def test_a_permalink_reopens_the_same_view(page: Visit, bundled_db) -> None:
    tab = page.goto("/?country=FR&cohort=mission&metric=rate")
    france = count(bundled_db, "SELECT count(*) FROM city WHERE country_iso2 = 'FR' AND cohort = 'mission'")
    expect(tab.locator(POINTS)).to_have_count(france)
    expect(tab.locator("#home-country")).to_contain_text("France (FR)")
    assert tab.locator("#home-metric").input_value() == "rate"
    expect(tab.locator("#home-map .colorbar")).to_have_count(1)
    expect(tab.locator("#home-map-summary")).to_contain_text("coloured by required annual reduction")


def test_picking_a_metric_recolours_the_map(page: Visit) -> None:
    tab = page.goto("/")
    tab.locator("#home-metric").select_option("kind")
    wait_for_dash(tab)
    expect(tab.locator("#home-map .legend")).to_contain_text("modelled estimate")
    expect(tab.locator("#home-map .legend")).to_contain_text("reported by the city")
    expect(tab).to_have_url(re.compile(r"metric=kind"))


def test_clicking_a_city_on_the_map_opens_its_profile(page: Visit, bundled_db) -> None:
    tab = page.goto("/?country=LU")
    (name,) = rows(bundled_db, "SELECT name FROM city WHERE country_iso2 = 'LU' AND cohort <> 'signatory' "
                           "ORDER BY name LIMIT 1")[0]
    point = tab.locator(POINTS).first
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    tab.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(tab).to_have_url(re.compile(r"/city/[a-z0-9-]+$"))
    wait_for_dash(tab)
    expect(tab.locator("#city-name")).to_have_text(name)


def search(tab: Page, typed: str, link: str) -> None:
    """Type into the city search as a person does (it asks the server as the typing pauses) and open a result."""
    tab.locator("#home-city-search").press_sequentially(typed, delay=40)
    tab.locator("#home-city-results").get_by_role("link", name=link, exact=True).click()


def test_the_city_search_opens_a_profile(page: Visit) -> None:
    tab = page.goto("/")
    search(tab, "Helsin", "Helsinki (FI)")
    expect(tab).to_have_url(re.compile(r"/city/helsinki$"))
    wait_for_dash(tab)
    expect(tab.locator("#city-name")).to_have_text("Helsinki")
