"""The CDP adapter: both column layouts, accounting years, scope totals, plausibility flags and matching."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from etl.problems import Problems
from etl.sources import cdp

HEADER_2021 = ["Year Reported to CDP", "Account Number", "Organization", "City", "Country", "CDP Region",
               "Accounting year", "TOTAL Scope 1 Emissions (metric tonnes CO2e)",
               "TOTAL Scope 2 emissions (metric tonnes CO2e)", "TOTAL BASIC Emissions (GPC)",
               "Direct emissions (metric tonnes CO2e) for Total emissions (excluding generation of grid-supplied "
               "energy)", "Indirect emissions from use of grid supplied energy (metric tonnes CO2e) for Total "
               "Emissions (excluding generation of grid-supplied energy)", "Population", "Land area (in square km)"]
# The 2020 file has a column that the 2021 file lacks.
HEADER_2020 = [*HEADER_2021, "Common Reporting Framework inventory format (GPC)"]
CITIES = [("milan", "IT", ["Milan", "Milano"]), ("helsinki", "FI", ["Helsinki"]), ("lund", "SE", ["Lund"]),
          ("santa-cruz-de-tenerife", "ES", ["Santa Cruz de Tenerife"]),
          ("santa-cruz-de-la-palma", "ES", ["Santa Cruz de La Palma"])]


def write(path: Path, header: list[str], rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("header", [HEADER_2021, HEADER_2020], ids=["2021 layout", "2020 layout"])
def test_both_layouts_read_under_the_same_names(tmp_path, header):
    rows = [{"Organization": "Comune di Milano", "City": "Milano", "Country": "Italy",
             "Accounting year": "2019-01-01 - 2019-12-31", "TOTAL Scope 1 Emissions (metric tonnes CO2e)": "3,500,000",
             "Population": "1400000"}]
    problems = Problems()
    frame = cdp.read(write(tmp_path / "cdp.csv", header, rows), problems).frame
    assert problems.finish() == []
    row = frame.row(0, named=True)
    assert (row["organization"], row["city"], row["accounting_year"], row["row"]) == (
        "Comune di Milano", "Milano", "2019-01-01 - 2019-12-31", 2)
    assert ("crf_format" in cdp.header_map(header)) == (header is HEADER_2020)
    assert "crf_format" in frame.columns  # present either way, empty where the layout lacks it


def test_a_file_without_the_cdp_columns_is_named_plainly(tmp_path):
    problems = Problems()
    cdp.read(write(tmp_path / "other.csv", ["city", "tco2e"], [{"city": "x", "tco2e": "1"}]), problems)
    messages = [p.message for p in problems.finish()]
    assert "column 'Organization' is missing: is this a CDP City-wide Emissions file?" in messages


def test_accounting_years_count_for_the_year_holding_most_of_the_period():
    assert cdp.accounting_year("2018-01-01 - 2018-12-31") == 2018
    assert cdp.accounting_year("2017-04-01 - 2018-03-31") == 2017
    assert cdp.accounting_year("2017-10-01 - 2018-09-30") == 2018
    assert cdp.accounting_year("-") is None and cdp.accounting_year(None) is None


def test_scope_totals_else_direct_plus_grid_indirect_and_implausible_rows_flagged():
    given = cdp.totals({"scope1_tco2e": "1,000", "scope2_tco2e": "500", "basic_tco2e": "1500",
                        "population": "100000", "accounting_year": "2019-01-01 - 2019-12-31"})
    assert given.year == 2019
    assert [(s, v) for s, v, _ in given.figures] == [("1", 1000.0), ("2", 500.0), ("basic", 1500.0)]
    assert given.flags == ["0.015 t CO2e per person is outside 0.1-100"]
    blank = cdp.totals({"direct_tco2e": "700000", "indirect_grid_tco2e": "300000", "population": "150000",
                        "land_area_km2": "0.2"})
    assert [(s, v) for s, v, _ in blank.figures] == [("1+2", 1_000_000.0)]
    assert blank.flags == ["land area 0.2 km2 is outside 1-20,000"]


def test_matching_uses_names_then_aliases_then_one_similar_name_never_a_guess():
    assert cdp.match("Comune di Milano", "Milano", "IT", CITIES) == cdp.Match("milan", "alias")
    assert cdp.match("City of Helsinki", None, "FI", CITIES) == cdp.Match("helsinki", "exact name")
    assert cdp.match("Lunds kommun", None, "SE", CITIES) == cdp.Match("lund", "similar name in the same country")
    assert cdp.match("City of Helsinki", "Helsinki", "SE", CITIES) == cdp.Match(None, "unmatched")
    # Deliberately ambiguous: "Santa Cruz" is in the names of two Spanish cities.
    ambiguous = cdp.match("Ayuntamiento de Santa Cruz", None, "ES", CITIES)
    assert ambiguous == cdp.Match(None, "ambiguous", ("santa-cruz-de-la-palma", "santa-cruz-de-tenerife"))


def test_country_names_as_cdp_writes_them():
    assert cdp.country_code("United Kingdom of Great Britain and Northern Ireland") == "GB"
    assert cdp.country_code("Italy") == "IT" and cdp.country_code("Netherlands") == "NL"
    assert cdp.country_code("United States of America") == "US" and cdp.country_code("Atlantis") is None


def test_the_real_2021_file_reads_and_matches_mission_cities():
    path = Path(__file__).resolve().parents[3] / "shared" / "data" / "external" / "cdp" / \
        "CDP_2021_City-wide_Emissions.csv"
    if not path.exists():
        pytest.skip(f"the third-party CDP file is not here ({path}): it is read, never committed")
    problems = Problems()
    frame = cdp.read(path, problems).frame
    assert problems.finish() == [] and frame.height == 989
    europe = frame.filter(frame["region"] == "Europe")
    codes = {r["country"]: cdp.country_code(r["country"]) for r in europe.iter_rows(named=True)}
    assert codes["United Kingdom of Great Britain and Northern Ireland"] == "GB" and codes["Italy"] == "IT"
    helsinki = europe.filter(europe["organization"] == "City of Helsinki").row(0, named=True)
    assert cdp.match(helsinki["organization"], helsinki["city"], "FI", CITIES).city_id == "helsinki"
