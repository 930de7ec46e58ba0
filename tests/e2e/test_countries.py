"""Countries in a real browser: a ministry user goes from /countries to a country to one of its cities."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import rows
from tests.e2e.conftest import Visit, download_brief, wait_for_dash
from tests.e2e.test_newcomers import COMMITTED


def test_from_the_countries_table_to_a_country_to_one_of_its_cities(page: Visit, bundled_db) -> None:
    tab = page.goto("/countries")
    (n,), = rows(bundled_db, "SELECT count(DISTINCT country_iso2) FROM city")
    expect(tab.locator("#countries-grid .ag-center-cols-container .ag-row")).to_have_count(n)
    tab.locator("#countries-grid").get_by_role("link", name="France", exact=True).click()
    expect(tab).to_have_url(re.compile(r"/country/FR$"))
    wait_for_dash(tab)
    expect(tab.locator("#country-name")).to_have_text("France")
    (mission,), = rows(bundled_db, "SELECT count(*) FROM city WHERE country_iso2 = 'FR' AND cohort = 'mission'")
    expect(tab.locator("#country-kpi-mission")).to_contain_text(str(mission))
    expect(tab.locator("#country-national-summary")).to_contain_text("of the national total of")
    tab.locator("#country-rankings").get_by_role("link", name="Paris", exact=True).click()
    expect(tab).to_have_url(re.compile(r"/city/paris$"))
    wait_for_dash(tab)
    expect(tab.locator("#city-name")).to_have_text("Paris")


def test_clicking_a_bar_opens_that_country(page: Visit) -> None:
    tab = page.goto("/countries?measure=mission_cities")
    bar = tab.locator("#countries-chart .bars path").first
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    tab.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(tab).to_have_url(re.compile(r"/country/[A-Z]{2}$"))


def test_an_unknown_country_code_gives_the_not_found_page(page: Visit) -> None:
    tab = page.goto("/country/XX")
    expect(tab.locator("#not-found")).to_contain_text("no country with the code “XX”")


def test_the_peer_finder_returns_five_linked_peers(page: Visit) -> None:
    tab = page.goto("/city/chalkida")
    peers = tab.locator("#city-peers > li")
    expect(peers).to_have_count(5)
    for i in range(5):
        expect(peers.nth(i).get_by_role("link").first).to_have_attribute("href", re.compile(r"^/city/[a-z0-9-]+$"))
        expect(peers.nth(i)).to_contain_text("population")
    first = peers.first.get_by_role("link").first
    name = first.inner_text()
    first.click()
    wait_for_dash(tab)
    expect(tab.locator("#city-name")).to_have_text(name)
    expect(tab.locator("#city-twins")).to_be_visible()


def test_the_country_brief_downloads_with_a_two_page_pdf(page: Visit) -> None:
    tab = page.goto("/country/FR")
    brief = download_brief(tab)
    assert {"map.png", "national_emissions.csv", "per_capita_t_strip.png", "label_pipeline.csv"} <= brief.names
    assert brief.pdf_name.startswith("france_brief_")
    assert 1 <= len(brief.pdf().pages) <= 2


def test_a_country_page_shows_its_cities_on_their_way_at_full_data(page: Visit, bundled_db) -> None:
    tab = page.goto("/country/IT")
    (everyone, mission), = rows(bundled_db, "SELECT count(*), count(*) FILTER (WHERE cohort = 'mission') FROM city "
                                            "WHERE country_iso2 = 'IT'")
    expect(tab.locator("#country-tiers-figure")).to_have_attribute("aria-describedby", "country-tiers-summary")
    expect(tab.locator("#country-tiers-summary")).to_have_text(
        re.compile(rf"^{everyone:,} cities of Italy: {mission} Mission Cities, "))
    expect(tab.locator("#country-tier-map .scattergeo path.point").first).to_be_attached()
    (committed,), = rows(bundled_db, f"SELECT count(*) FROM city c WHERE {COMMITTED} AND c.country_iso2 = 'IT'")
    expect(tab.get_by_role("heading", name=f"Committed to climate neutrality by 2050, not Mission Cities: "
                                           f"{committed:,}")).to_be_visible()
    # the most populous candidate comes first, with its nearest Mission City
    (name, nearest), = rows(bundled_db, f"""
        SELECT c.name, m.name FROM city c JOIN city_nearest_mission n ON n.city_id = c.city_id AND n.rank = 1
        JOIN city m ON m.city_id = n.mission_city_id
        WHERE {COMMITTED} AND c.country_iso2 = 'IT' ORDER BY c.population DESC NULLS LAST, c.name LIMIT 1""")
    first = tab.locator("#country-candidates .ag-center-cols-container .ag-row[row-index='0']")
    expect(first.locator("[col-id='nearest']")).to_have_text(nearest)
    expect(tab.locator("#country-candidates .ag-pinned-left-cols-container .ag-row[row-index='0']")).to_have_text(name)


def test_the_countries_map_follows_the_chosen_measure(page: Visit) -> None:
    tab = page.goto("/countries")
    tab.locator("#countries-measure").select_option("committed_2050")
    wait_for_dash(tab)
    expect(tab.locator("#countries-map .choroplethlayer path.choroplethlocation").first).to_be_attached()
    expect(tab.locator("#countries-map-summary")).to_contain_text(
        "Cities committed to climate neutrality by 2050, outside the Mission: highest in")
    expect(tab).to_have_url(re.compile(r"/countries"))
