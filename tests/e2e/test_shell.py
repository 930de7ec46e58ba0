"""The app shell in a real browser: the overview renders, and unknown addresses get the not-found page."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import Visit


def test_overview_loads_without_console_errors_or_external_requests(page: Visit) -> None:
    tab = page.goto("/")
    expect(tab.locator("h1", has_text="EU Mission")).to_be_visible()
    expect(tab.locator("footer", has_text="Warehouse built")).to_be_visible()


def test_unknown_address_shows_the_not_found_page(page: Visit) -> None:
    tab = page.goto("/no-such-page")
    expect(tab.get_by_text("Page not found")).to_be_visible()
