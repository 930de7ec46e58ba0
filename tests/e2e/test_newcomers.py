"""Newcomers in a real browser: tiers, the self-check with its peers and download, the twinning network."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import rows
from tests.e2e.conftest import Visit, wait_for_dash
from tests.e2e.test_overview import pick


def test_newcomers_are_listed_with_an_honest_tier_and_the_network(page: Visit, bundled_db) -> None:
    tab = page.goto("/newcomers")
    (n,), = rows(bundled_db, "SELECT count(*) FROM city WHERE cohort = 'newcomer'")
    expect(tab.locator("#newcomers-grid .ag-center-cols-container .ag-row")).to_have_count(n)
    expect(tab.locator("#newcomers-tiers tbody tr")).to_have_count(4)
    (pairs,), = rows(bundled_db, "SELECT count(*) FROM twin_link")
    expect(tab.locator("#newcomers-pairs .ag-center-cols-container .ag-row")).to_have_count(pairs)
    expect(tab.locator("#newcomers-peer-list > li")).to_have_count(5)
    # A newcomer with no emissions figure at all reads 'none' in the grade column, and says why on hover.
    (name,), = rows(bundled_db, "SELECT min(name) FROM city c WHERE cohort = 'newcomer' AND NOT EXISTS "
                                "(SELECT 1 FROM emission_inventory e WHERE e.city_id = c.city_id)")
    row_index = tab.locator("#newcomers-grid .ag-pinned-left-cols-container .ag-row", has_text=name) \
        .get_attribute("row-index")
    grade = tab.locator(f"#newcomers-grid .ag-center-cols-container .ag-row[row-index='{row_index}'] "
                        "[col-id='grade']")
    expect(grade).to_have_text("none")


def test_the_self_check_gives_tier_next_step_peers_and_a_download(page: Visit) -> None:
    tab = page.goto("/newcomers")
    tab.locator("#newcomers-self-name").fill("Testville")
    pick(tab, "#newcomers-self-country", "Austr", "Austria (AT)")
    tab.locator("#newcomers-self-population").fill("120000")
    tab.locator("#newcomers-self-monitors").get_by_label("yes", exact=True).check()
    tab.locator("#newcomers-self-target_2050").get_by_label("no", exact=True).check()
    tab.locator("#newcomers-self-per-capita").fill("6.5")
    tab.get_by_role("button", name="Check", exact=True).click()
    wait_for_dash(tab)
    expect(tab.locator("#newcomers-self-tier")).to_have_text("Tier: Has an emission inventory")
    expect(tab.locator("#newcomers-self-opens")).to_contain_text("Peer discussion groups")
    expect(tab.locator("#newcomers-self-next")).to_contain_text(
        "Have the mayor sign a target of climate neutrality by 2050")
    peers = tab.locator("#newcomers-self-peers > li")
    expect(peers).to_have_count(5)
    expect(peers.first.get_by_role("link").first).to_have_attribute("href", re.compile(r"^/city/"))
    with tab.expect_download() as download:
        tab.get_by_role("button", name="Download the summary").click()
    text = download.value.path().read_text(encoding="utf-8")
    assert "readiness self-check for Testville (AT)" in text
    assert "Tier: Has an emission inventory" in text and "Mission Cities to learn from:" in text
