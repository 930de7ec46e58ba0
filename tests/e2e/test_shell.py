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


def test_charts_draw_with_the_apps_own_plotly_js_and_outlines_and_the_preloads_are_used(page: Visit) -> None:
    requested: list[str] = []
    page.page.on("request", lambda request: requested.append(request.url))
    warnings: list[str] = []
    page.page.on("console", lambda message: warnings.append(message.text) if message.type in ("warning", "trace")
                 else None)
    tab = page.goto("/")
    expect(tab.locator("#home-map .geo path").first).to_be_attached()
    assert any("/assets/vendor/plotly-traces.min.js" in url for url in requested)
    assert not [url for url in requested if "package_data/plotly.min.js" in url or "topojson" in url]
    assert not [w for w in warnings if "plot" in w.lower() or "preload" in w.lower()], warnings
    # The layout and the callback list preloaded by the page's head are used, not asked for twice.
    assert sum(url.endswith("/_dash-layout") for url in requested) == 1
    assert sum(url.endswith("/_dash-dependencies") for url in requested) == 1
