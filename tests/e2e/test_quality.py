"""Data quality in a real browser: a city's totals by source with the difference and its flag, the grade badge,
and the mission-wide page (the served warehouse has the CDP fixture files: invented totals, tests/fixtures/cdp)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import rows
from tests.e2e.conftest import Visit


def test_a_city_page_shows_its_contract_total_beside_the_cdp_figure_with_difference_and_grade(
        page: Visit, served_db) -> None:
    (total,), = rows(served_db, "SELECT tco2e FROM city_total WHERE city_id = 'klagenfurt' AND year = 2011 "
                                "AND kind = 'reported'")
    difference = (1_000_000 - total) / total * 100
    tab = page.goto("/city/klagenfurt")
    expect(tab.locator("#city-grade")).to_contain_text(re.compile(r"data quality [AB]"))
    section = tab.locator("#city-agreement")
    section.scroll_into_view_if_needed()
    expect(section).to_contain_text("Do the sources agree?")
    first = tab.locator("#city-agreement-table tbody tr").first
    expect(first.locator("td").nth(0)).to_have_text("2011")
    expect(first).to_contain_text("in 2011")  # the contract's 2011 inventory ...
    expect(first).to_contain_text("1.00 Mt in 2011")  # ... beside the CDP total of the same year
    expect(first).to_contain_text("GPC BASIC total")
    flagged = abs(difference) > 20
    verdict = "differs by more than 20%" if flagged else "within 20%"
    expect(first.locator("td").nth(3)).to_contain_text(f"{difference:+.0f}% ({verdict})")
    expect(first.locator("td").nth(3)).to_have_attribute("data-flagged", "true" if flagged else "false")
    # A CDP report of a year the contract does not cover is listed, not compared.
    expect(tab.locator("#city-agreement-table")).to_contain_text("not compared")
    expect(tab.locator("#city-agreement-chart .scatterlayer .trace")).to_have_count(2)
    expect(tab.locator("#city-agreement-summary")).to_contain_text("reported elsewhere (CDP-ICLEI) for Klagenfurt")


def test_a_city_with_only_a_modelled_estimate_is_compared_with_it_and_graded_c(page: Visit) -> None:
    tab = page.goto("/city/tartu")
    expect(tab.locator("#city-grade")).to_contain_text("data quality C")
    expect(tab.locator("#city-agreement-table")).to_contain_text("compared with the dashboard's modelled estimate")
    expect(tab.locator("#city-agreement-table")).to_contain_text("modelled estimate")


def test_a_city_without_cdp_data_has_a_grade_but_no_comparison(page: Visit) -> None:
    tab = page.goto("/city/lahti")
    expect(tab.locator("#city-grade")).to_contain_text("data quality")
    expect(tab.locator("#city-agreement")).to_have_count(0)


def test_the_data_quality_page_lists_grades_and_comparisons_and_links_to_the_city(page: Visit) -> None:
    tab = page.goto("/data-quality")
    summary = re.compile(r"Of the 112 Mission Cities: \d+ grade A")
    expect(tab.locator("#quality-grades-summary")).to_contain_text(summary)
    expect(tab.locator("#quality-rules")).to_contain_text("D: modelled estimate only")
    expect(tab.locator("#quality-differences-summary")).to_contain_text("reported elsewhere")
    grid = tab.locator("#quality-comparisons .ag-center-cols-container .ag-row")
    expect(grid).not_to_have_count(0)
    link = tab.locator("#quality-comparisons").get_by_role("link", name="Klagenfurt").first
    link.scroll_into_view_if_needed()
    link.click()
    expect(tab).to_have_url(re.compile(r"/city/klagenfurt$"))
    expect(tab.locator("#city-agreement")).to_be_visible()
