"""Mission progress in a real browser: the road so far, the gap to 2030, the pace and the money, for the Mission or
some countries; the published counts beside the warehouse's, the choice of countries in the URL, the downloads."""

from __future__ import annotations

import csv
import io
import re

import polars as pl
from playwright.sync_api import expect

from mission import progress, queries
from mission.progress import Scope
from mission.words import tonnes
from tests.e2e.conftest import Visit, download_brief, wait_for_dash
from tests.e2e.test_overview import pick

SECTIONS = ("1. The road so far", "2. The gap to 2030", "3. Achieved against required", "4. Money")
CHARTS = ("road", "gap", "countries", "fields", "pace", "money")


def test_the_navbar_leads_to_the_four_sections_with_their_kpis_and_chart_sentences(page: Visit, served_db) -> None:
    tab = page.goto("/")
    tab.get_by_role("link", name="Mission progress", exact=True).click()
    expect(tab).to_have_url(re.compile(r"/progress$"))
    wait_for_dash(tab)
    expect(tab.get_by_role("heading", name="Where the Mission stands", exact=True)).to_be_visible()
    for heading in SECTIONS:
        expect(tab.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    p = progress.of(Scope(), path=served_db)
    g = p.gap
    values = [str(g.cities.height), str(p.labelled), str(g.in_sums.height), tonnes(g.baseline) + " CO2e",
              tonnes(g.shortfall)]
    expect(tab.locator("#progress-kpis .card .fs-3")).to_have_text(values)
    expect(tab.locator("#progress-kpis")).to_contain_text(
        f"{g.cities.height - g.in_sums.height} left out, named below")
    for name in CHARTS:
        summary = tab.locator(f"#progress-{name}-summary")
        expect(summary).to_be_visible()
        expect(summary).to_have_text(re.compile(r"\S"))
        expect(tab.locator(f"#progress-{name} .main-svg").first).to_be_attached()
    expect(tab.locator("#progress-gap-summary")).to_have_text(progress.gap_summary(g, "the Mission"))
    expect(tab.locator("#progress-pace-summary")).to_have_text(progress.pace_summary(p.pace, "the Mission"))
    # No console error: the `page` fixture fails the test at teardown if the page logged one.


def test_the_road_table_shows_the_published_counts_beside_the_warehouses_and_why_they_differ(
        page: Visit, served_db) -> None:
    tab = page.goto("/progress")
    road = progress.of(Scope(), path=served_db).road
    table = tab.locator("#progress-road-table tbody tr")
    expect(table).to_have_count(road.height)
    for i, r in enumerate(road.iter_rows(named=True)):
        cells = table.nth(i).locator("td")
        expect(cells).to_have_text([f"{r['as_of']:%b %Y}", r["stage"], f"{r['published']:,.0f}",
                                    "—" if r["warehouse"] is None else f"{r['warehouse']:,}", r["note"] or ""])
    # A joint entry (Eindhoven & Helmond) counts as its member cities in the published label counts, once in the
    # warehouse: every published label count it is in says so, and the difference is explained to the last label.
    joint = queries.joint_entries(path=served_db)
    labelled = queries.cities(path=served_db).filter(pl.col("city_id").is_in(joint["city_id"].implode())
                                                     & pl.col("label_date").is_not_null())
    assert road.filter(pl.col("joint_extra") > 0).height or not labelled.height, \
        "a labelled joint entry explains none of the published label counts"
    for i, r in enumerate(road.iter_rows(named=True)):
        if not r["joint_extra"]:
            continue
        why = table.nth(i).locator("td").last
        for name in labelled.filter(pl.col("label_date") <= r["as_of"])["name"]:
            expect(why).to_contain_text(f"the published count takes {name} as")
        expect(why).to_contain_text("the warehouse holds one joint entry")
        assert r["published"] == r["warehouse"] + r["joint_extra"] + r["unexplained"]
    last = road.filter(pl.col("fact") == "labels_cumulative").row(-1, named=True)
    summary = tab.locator("#progress-road-summary")
    expect(summary).to_contain_text(f"had announced {last['published']:,.0f} Mission Labels; the warehouse holds "
                                    f"{last['warehouse']} labelled Mission Cities")
    if last["joint_extra"]:
        expect(summary).to_contain_text(last["note"])


def test_choosing_a_country_narrows_the_gap_to_it_and_a_reload_keeps_the_choice(page: Visit, served_db) -> None:
    tab = page.goto("/progress")
    pick(tab, "#progress-country", "Fra", "France (FR)")
    expect(tab).to_have_url(re.compile(r"/progress\?country=FR$"))
    france = progress.of(Scope(("FR",)), path=served_db)
    assert france.who == "France"
    sentence = progress.gap_summary(france.gap, "France")
    expect(tab.locator("#progress-gap-summary")).to_have_text(sentence)
    expect(tab.locator("#progress-gap-summary")).to_contain_text("Mission Cities of France in the sums")
    # The published label counts stay the whole Mission's; the warehouse's are France's.
    expect(tab.locator("#progress-road-summary")).to_contain_text(
        f"Mission Labels across the Mission; the warehouse holds {france.labelled} labelled Mission Cities in France.")
    expect(tab.locator("#progress-kpis .card .fs-3").first).to_have_text(str(france.gap.cities.height))
    expect(tab.get_by_role("link", name="Explore scenarios for France →")).to_have_attribute(
        "href", "/scenarios?country=FR")
    tab.reload()
    wait_for_dash(tab)
    expect(tab).to_have_url(re.compile(r"/progress\?country=FR$"))
    expect(tab.locator("#progress-country")).to_contain_text("France (FR)")
    expect(tab.locator("#progress-gap-summary")).to_have_text(sentence)


def test_every_chart_has_png_and_csv_buttons_and_the_gap_downloads_as_a_csv_of_every_city(
        page: Visit, served_db) -> None:
    tab = page.goto("/progress")
    for name in CHARTS:
        card = tab.locator(".card", has=tab.locator(f"#progress-{name}"))
        expect(card.get_by_role("button", name="PNG", exact=True)).to_be_visible()
        expect(card.get_by_role("button", name="CSV", exact=True)).to_be_visible()
    card = tab.locator(".card", has=tab.locator("#progress-gap"))
    with tab.expect_download() as data:
        card.get_by_role("button", name="CSV", exact=True).click()
    assert re.fullmatch(r"mission_gap_\d{4}-\d{2}-\d{2}\.csv", data.value.suggested_filename)
    text = data.value.path().read_text(encoding="utf-8")
    assert text.startswith("# title: The gap to 2030: the Mission")
    lines = text.splitlines(keepends=True)
    body = "".join(lines[next(i for i, line in enumerate(lines) if not line.startswith("# ")):])
    table = list(csv.DictReader(io.StringIO(body)))
    assert {"unit", "kind", "source_id"} <= set(table[0])
    g = progress.of(Scope(), path=served_db).gap
    assert len(table) == g.cities.height, "one row per Mission City, those left out of the sums too"
    assert {r["unit"] for r in table} == {"t CO2e a year"}


def test_the_coverage_card_names_the_cities_left_out_of_the_sums(page: Visit, served_db) -> None:
    whole = progress.of(Scope(), path=served_db)
    tab = page.goto("/progress")
    expect_coverage(tab.locator("#progress-coverage"), whole.gap)
    # A country none of whose Mission Cities is left out: the card names no one as left out.
    complete = whole.by_country.filter(pl.col("cities_left_out") == 0).sort("country_iso2")
    if complete.height:
        iso2 = complete["country_iso2"][0]
        tab = page.goto(f"/progress?country={iso2}")
        expect_coverage(tab.locator("#progress-coverage"), progress.of(Scope((iso2,)), path=served_db).gap)


def expect_coverage(card, g: progress.Gap) -> None:
    """The card says every coverage sentence and names each city left out of the sums, or says of none that it is."""
    for line in progress.coverage_words(g):
        expect(card).to_contain_text(line)
    left_out = g.names("no_target") + g.names("no_baseline")
    if left_out:
        expect(card).to_contain_text("left out of the sums")
        for name in left_out:
            expect(card).to_contain_text(name)
    else:
        expect(card).not_to_contain_text("left out of the sums")


def test_the_mission_progress_brief_downloads_with_a_pdf_and_every_chart(page: Visit) -> None:
    tab = page.goto("/progress?country=FR")
    brief = download_brief(tab)
    assert {f"{n}.{ext}" for n in ("road", "gap", "gap_by_country", "gap_by_field", "pace", "money")
            for ext in ("png", "csv")} <= brief.names
    assert brief.pdf_name.startswith("mission-progress-france_brief_")
    text = " ".join(p.extract_text() for p in brief.pdf().pages)
    assert "Mission progress: France" in text and "Still to cut" in text
