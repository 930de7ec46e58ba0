"""The scenario explorer in a real browser: sliders and presets change the results; a shared URL reproduces them."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Visit, wait_for_dash
from tests.e2e.test_overview import pick


def results(tab: Page) -> list[list[str]]:
    return [[c.strip() for c in row.locator("td").all_inner_texts()]
            for row in tab.locator("#scenario-results tbody tr").all()]


def scenario_card(tab: Page, key: str):
    return tab.locator(".card", has=tab.get_by_role("heading", name=f"Scenario {key}", exact=True))


def test_moving_a_slider_changes_the_result_and_the_url(page: Visit) -> None:
    tab = page.goto("/scenarios?city=klagenfurt")
    before = results(tab)
    assert before[0][0].startswith("Reduction delivered")
    handle = scenario_card(tab, "A").get_by_role("slider").first
    handle.focus()
    tab.keyboard.press("Home")
    wait_for_dash(tab)
    expect(tab).to_have_url(re.compile(r"a=built_environment%3A0|a=built_environment:0"))
    after = results(tab)
    assert after[1][1] != before[1][1], "scenario A's 2030 emissions did not change"
    assert after[1][2] == before[1][2], "scenario B changed although only A was touched"


def test_a_preset_sets_every_field_of_its_scenario(page: Visit) -> None:
    tab = page.goto("/scenarios?city=klagenfurt")
    planned = results(tab)[1][1]
    scenario_card(tab, "A").get_by_role("button", name="low (50%)").click()
    wait_for_dash(tab)
    assert results(tab)[1][1] == results(tab)[1][2], "A at the low preset should equal B (low by default)"
    assert results(tab)[1][1] != planned


def test_a_shared_scenario_url_reproduces_the_same_numbers(page: Visit) -> None:
    tab = page.goto("/scenarios?city=klagenfurt")
    scenario_card(tab, "C").get_by_role("slider").first.focus()
    tab.keyboard.press("Home")
    wait_for_dash(tab)
    expect(tab).to_have_url(re.compile(r"c=built_environment"))
    shared, numbers = tab.url, results(tab)
    other = tab.context.new_page()
    other.goto(shared)
    wait_for_dash(other)
    assert results(other) == numbers
    other.close()


def test_without_a_city_the_explorer_opens_on_the_mission_as_a_whole(page: Visit) -> None:
    from mission import progress

    in_sums = progress.of(progress.Scope()).gap.in_sums.height
    tab = page.goto("/scenarios")
    expect(tab.locator("#scenario-subject")).to_contain_text(
        f"The Mission: the plans of {in_sums} Mission Cities summed")
    expect(tab.locator("#scenario-scope-pick")).to_have_value("mission")
    expect(tab.locator("#scenario-summary")).to_contain_text("For the Mission, scenario A leaves")
    assert results(tab)[2][0].startswith("Still to cut by the cities above their targets")
    # Each field says how many cities its figures come from.
    expect(scenario_card(tab, "A")).to_contain_text(re.compile(r"from \d+ cities"))


def test_choosing_a_country_sums_its_mission_cities_and_keeps_it_in_the_url(page: Visit) -> None:
    tab = page.goto("/scenarios")
    tab.locator("#scenario-scope-pick").select_option("FR")
    expect(tab).to_have_url(re.compile(r"/scenarios\?country=FR$"))
    wait_for_dash(tab)
    expect(tab.locator("#scenario-summary")).to_contain_text("For France, scenario A leaves")
    scenario_card(tab, "B").get_by_role("button", name="high (150%)").click()
    wait_for_dash(tab)
    expect(tab).to_have_url(re.compile(r"country=FR.*b=built_environment%3A150|country=FR.*b=built_environment:150"))
    assert results(tab)[1][2] == results(tab)[1][3], "B at the high preset should equal C (high by default)"


def test_picking_a_city_opens_its_scenarios(page: Visit) -> None:
    tab = page.goto("/scenarios")
    pick(tab, "#scenario-city-pick", "Klagen", "Klagenfurt (AT)")
    expect(tab).to_have_url(re.compile(r"/scenarios\?city=klagenfurt"))
    wait_for_dash(tab)
    expect(tab.locator("#scenario-summary")).to_contain_text("For Klagenfurt, scenario A leaves")


def test_cobenefits_are_monetised_with_their_cited_unit_values(page: Visit) -> None:
    tab = page.goto("/scenarios?city=klagenfurt")
    central = next(row for row in results(tab) if row[0] == "Co-benefits a year, central")
    assert all(cell.startswith("EUR ") for cell in central[1:]), central
    card = tab.locator("#scenario-values-card")
    expect(card).to_contain_text("Quantifying the Ancillary Benefits")
    expect(card).to_contain_text("exclude the damage of the CO2 itself")
