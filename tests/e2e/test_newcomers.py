"""Cities on their way in a real browser, at full data (about 12,000 cities): tiers, the filtered grid and map, the
programme cities, the self-check, the twinning network, and a signatory's profile."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import rows
from tests.e2e.conftest import Visit, wait_for_dash
from tests.e2e.test_overview import pick, search

GRID_ROWS = "#newcomers-all-grid .ag-center-cols-container .ag-row"
# The tier rule said again in SQL: outside the Mission, a Covenant 2050 signatory or a twinning cohort from 2024 on.
COMMITTED = """c.cohort <> 'mission' AND (
    EXISTS (SELECT 1 FROM covenant_signatory s WHERE s.city_id = c.city_id AND s.com_2050)
    OR EXISTS (SELECT 1 FROM programme p WHERE p.city_id = c.city_id AND p.programme = 'twinning'
               AND p.programme_cohort IN ('2024', '2025')))"""


def test_every_city_has_a_tier_and_the_filters_act_on_the_grid_the_chart_and_the_url(page: Visit, bundled_db):
    tab = page.goto("/newcomers")
    expect(tab.locator("#newcomers-tiers tbody tr")).to_have_count(3)
    (everyone,), = rows(bundled_db, "SELECT count(*) FROM city")
    expect(tab.locator("#newcomers-tiers-summary")).to_contain_text(f"{everyone:,} cities in")
    expect(tab.locator(GRID_ROWS).first).to_be_visible()
    pick(tab, "#newcomers-country", "Ital", "Italy (IT)")
    tab.locator("#newcomers-tier").select_option("committed_2050")
    wait_for_dash(tab)
    (italy,), = rows(bundled_db, f"SELECT count(*) FROM city c WHERE {COMMITTED} AND c.country_iso2 = 'IT'")
    expect(tab.locator("#newcomers-tiers-summary")).to_contain_text(f"{italy:,} cities in 1 country")
    expect(tab).to_have_url(re.compile(r"country=IT&tier=committed_2050"))
    first = tab.locator(GRID_ROWS).first
    expect(first.locator("[col-id='tier']")).to_have_text("Committed to climate neutrality by 2050")
    expect(first.locator("[col-id='country']")).to_have_text("Italy")
    # the grid's rows come from the server a block at a time; sorting is done there too
    tab.locator("#newcomers-all-grid .ag-header-cell[col-id='population']").click()
    wait_for_dash(tab)
    (smallest,), = rows(bundled_db, f"SELECT min(population) FROM city c WHERE {COMMITTED} AND country_iso2 = 'IT'")
    expect(tab.locator(GRID_ROWS).first.locator("[col-id='population']")).to_have_text(f"{smallest:,}")


def test_the_programme_cities_are_listed_with_their_tier_and_the_network(page: Visit, bundled_db) -> None:
    tab = page.goto("/newcomers")
    (n,), = rows(bundled_db, "SELECT count(*) FROM city WHERE cohort = 'newcomer'")
    expect(tab.locator("#newcomers-grid .ag-center-cols-container .ag-row")).to_have_count(n)
    (pairs,), = rows(bundled_db, "SELECT count(*) FROM twin_link")
    expect(tab.locator("#newcomers-pairs .ag-center-cols-container .ag-row")).to_have_count(pairs)
    expect(tab.locator("#newcomers-peer-list > li")).to_have_count(5)
    # A newcomer with no emissions figure at all reads 'none' in the grade column.
    (name,), = rows(bundled_db, "SELECT min(name) FROM city c WHERE cohort = 'newcomer' AND NOT EXISTS "
                                "(SELECT 1 FROM emission_inventory e WHERE e.city_id = c.city_id)")
    row_index = tab.locator("#newcomers-grid .ag-pinned-left-cols-container .ag-row", has_text=name) \
        .get_attribute("row-index")
    row = tab.locator(f"#newcomers-grid .ag-center-cols-container .ag-row[row-index='{row_index}']")
    expect(row.locator("[col-id='grade']")).to_have_text("none")


def test_the_self_check_gives_tier_next_steps_peers_and_a_download(page: Visit) -> None:
    tab = page.goto("/newcomers")
    tab.locator("#newcomers-self-name").fill("Testville")
    pick(tab, "#newcomers-self-country", "Austr", "Austria (AT)")
    tab.locator("#newcomers-self-population").fill("120000")
    tab.locator("#newcomers-self-monitors").get_by_label("yes", exact=True).check()
    tab.locator("#newcomers-self-target_2050").get_by_label("no", exact=True).check()
    tab.locator("#newcomers-self-per-capita").fill("6.5")
    tab.get_by_role("button", name="Check", exact=True).click()
    wait_for_dash(tab)
    expect(tab.locator("#newcomers-self-tier")).to_have_text("Tier: Any city (no 2050 commitment known)")
    expect(tab.locator("#newcomers-self-opens")).to_contain_text("Online peer discussion groups")
    expect(tab.locator("#newcomers-self-next li").first).to_contain_text(
        "Have the mayor sign a commitment to climate neutrality by 2050")
    peers = tab.locator("#newcomers-self-peers > li")
    expect(peers).to_have_count(5)
    expect(peers.first.get_by_role("link").first).to_have_attribute("href", re.compile(r"^/city/"))
    with tab.expect_download() as download:
        tab.get_by_role("button", name="Download the summary").click()
    text = download.value.path().read_text(encoding="utf-8")
    assert "self-check for Testville (AT)" in text
    assert "Tier: Any city (no 2050 commitment known)" in text and "Mission Cities to learn from:" in text


def test_a_signatorys_profile_gives_its_facts_tier_and_nearest_mission_cities(page: Visit, bundled_db) -> None:
    (city_id, name, country, km), = rows(bundled_db, """
        SELECT c.city_id, c.name, c.country_iso2, n.km FROM city c JOIN covenant_signatory s USING (city_id)
        JOIN city_nearest_mission n USING (city_id)
        WHERE c.cohort = 'signatory' AND s.com_2050 AND s.status = 'published' AND c.placement = 'exact'
          AND n.rank = 1 ORDER BY c.population DESC NULLS LAST LIMIT 1""")
    tab = page.goto("/")
    search(tab, name, f"{name} ({country})")
    expect(tab).to_have_url(re.compile(rf"/city/{city_id}$"))
    wait_for_dash(tab)
    expect(tab.locator("#city-name")).to_have_text(name)
    expect(tab.locator("#city-tier")).to_contain_text("Committed to climate neutrality by 2050")
    expect(tab.locator("#city-tier")).to_contain_text("source: jrc-gcom-mycovenant-5th-release-january-2024-df1")
    expect(tab.locator("#city-tier")).to_contain_text("Study visits to Mission Cities")
    expect(tab.locator("#city-covenant")).to_contain_text("CoM 2050 (climate neutrality by 2050)yes")
    expect(tab.locator("#city-nearest li").first).to_contain_text(f"{km:,.0f} km")
    expect(tab.locator("#city-sources")).to_contain_text("Covenant of Mayors")
