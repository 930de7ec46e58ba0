"""The portfolio page in a real browser: filters drive the grid and every chart, the view lives in the URL."""

from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import expect

from tests.conftest import rows
from tests.e2e.conftest import Visit, wait_for_dash
from tests.e2e.test_overview import pick


def test_filtering_by_city_drives_the_grid_the_charts_and_the_url(page: Visit, bundled_db) -> None:
    tab = page.goto("/portfolio")
    (total,), = rows(bundled_db, "SELECT count(*) FROM action")
    expect(tab.locator("#portfolio-summary")).to_contain_text(f"{total:,} actions of")
    expect(tab.locator("#portfolio-waterfall-summary")).to_contain_text("Pick one city")
    pick(tab, "#portfolio-city", "Klagen", "Klagenfurt (AT)")
    (n,), = rows(bundled_db, "SELECT count(*) FROM action WHERE city_id = 'klagenfurt'")
    expect(tab.locator("#portfolio-summary")).to_contain_text(f"{n} actions of 1 city in 1 country")
    expect(tab.locator("#portfolio-grid")).to_contain_text(f"1 to {min(n, 20)} of {n}")
    expect(tab.locator("#portfolio-waterfall-summary")).to_contain_text("would cut Klagenfurt's emissions")
    expect(tab.locator("#portfolio-waterfall .waterfalllayer .trace")).to_have_count(1)
    expect(tab.locator("#portfolio-levers-summary")).to_contain_text("field-and-lever combinations are used")
    expect(tab).to_have_url(re.compile(r"/portfolio\?city=klagenfurt$"))


def test_a_shared_portfolio_url_reproduces_the_view_and_the_method(page: Visit, bundled_db) -> None:
    tab = page.goto("/portfolio?city=klagenfurt&years=20&unknown=exclude")
    expect(tab.locator("#portfolio-city")).to_contain_text("Klagenfurt (AT)")
    expect(tab.locator("#portfolio-method")).to_contain_text("x 20 years of effect")
    expect(tab.locator("#portfolio-method")).to_contain_text("basis is not stated are left out")
    assert not tab.locator("#portfolio-unknown").is_checked()
    (stated,), = rows(bundled_db, """SELECT count(*) FROM action WHERE city_id = 'klagenfurt'
                                     AND ghg_reduction_tco2e > 0 AND cost_eur > 0 AND ghg_basis = 'per_year'""")
    summary = tab.locator("#portfolio-macc-summary")
    if stated:
        expect(summary).to_contain_text(f"{stated} action")
    else:
        expect(summary).to_contain_text("No action shown has both a cost and an annual reduction")


def test_the_actions_download_as_csv_with_every_row(page: Visit, bundled_db) -> None:
    tab = page.goto("/portfolio?city=oslo")
    (n,), = rows(bundled_db, "SELECT count(*) FROM action WHERE city_id = 'oslo'")
    with tab.expect_download() as download:
        tab.locator("#portfolio-actions-export").get_by_role("button", name="CSV", exact=True).click()
    assert download.value.suggested_filename.startswith("oslo_actions_")
    body = download.value.path().read_text(encoding="utf-8")
    assert body.startswith("# title: Actions of the Climate City Contracts")
    assert "# filter cities: oslo" in body
    table = list(csv.reader(io.StringIO("\n".join(x for x in body.splitlines() if not x.startswith("# ")))))
    assert table[0][:3] == ["action_id", "action_name", "city"]
    assert {"unit", "kind", "source_id"} <= set(table[0])
    assert len(table) == n + 1
    assert "overlapping estimate" in body


def test_the_portfolio_charts_download_for_the_chosen_city(page: Visit) -> None:
    tab = page.goto("/portfolio?city=klagenfurt")
    with tab.expect_download(timeout=60_000) as png:
        tab.locator("#portfolio-waterfall-export").get_by_role("button", name="PNG", exact=True).click()
    assert png.value.suggested_filename.startswith("klagenfurt_portfolio_gap_")
    assert png.value.path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with tab.expect_download() as data:
        tab.locator("#portfolio-macc-export").get_by_role("button", name="CSV", exact=True).click()
    assert "# filter cities: klagenfurt" in data.value.path().read_text(encoding="utf-8")


def test_the_city_profile_links_to_its_portfolio(page: Visit) -> None:
    tab = page.goto("/city/klagenfurt")
    tab.get_by_role("link", name="Open the portfolio").click()
    expect(tab).to_have_url(re.compile(r"/portfolio\?city=klagenfurt$"))
    wait_for_dash(tab)
    expect(tab.locator("#portfolio-summary")).to_contain_text("of 1 city in 1 country")
