"""CDP City-wide Emissions in the build: loaded beside the mission data, never mixed into its totals, and every row
that was not loaded said in the summary."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from etl.cli import app
from etl.load import build
from etl.problems import ValidationFailed
from tests.conftest import BUNDLED, CDP_2020, CDP_2021, ROOT, TINY, rows, sha256

REAL = ROOT.parent / "shared" / "data" / "external" / "cdp" / "CDP_2021_City-wide_Emissions.csv"


@pytest.fixture
def cdp_db(tiny_cdp_db) -> Path:
    return tiny_cdp_db


def test_reported_totals_are_loaded_with_their_dataset_source_and_report(cdp_db):
    loaded = rows(cdp_db, "SELECT city_id, year, scope, tco2e, kind, dataset, source_id FROM emission_inventory "
                          "WHERE dataset = 'cdp' ORDER BY year, scope")
    assert loaded == [
        ("klagenfurt", 2011, "basic", 1_000_000.0, "reported", "cdp", "cdp-city-wide-emissions-2021"),
        ("klagenfurt", 2018, "1", 700.0, "reported", "cdp", "cdp-city-wide-emissions-2020"),
        ("klagenfurt", 2018, "2", 250.0, "reported", "cdp", "cdp-city-wide-emissions-2020"),
        ("klagenfurt", 2018, "basic", 950.0, "reported", "cdp", "cdp-city-wide-emissions-2020"),
        ("klagenfurt", 2019, "1+2", 1300.0, "reported", "cdp", "cdp-city-wide-emissions-2021"),
        ("tartu", 2020, "1+2", 300_000.0, "reported", "cdp", "cdp-city-wide-emissions-2021"),
    ]
    report = rows(cdp_db, "SELECT organisation, boundary, population, land_area_km2, matched_by, flags, ref "
                          "FROM emission_report WHERE city_id = 'tartu'")
    assert report == [("Tartu linn", "Same – covers entire city and nothing else", 95000, None, "exact name",
                       "land area 39,000.0 km2 is outside 1-20,000",
                       "invented_2021_layout.csv row 4, account 90002")]


def test_the_cdp_source_row_carries_licence_attribution_and_caveat(cdp_db):
    (licence, citation, notes), = rows(cdp_db, "SELECT licence, citation, notes FROM source "
                                               "WHERE source_id = 'cdp-city-wide-emissions-2021'")
    assert licence == "CDP Open Database Licence"
    assert citation == ("This data was collected in partnership by CDP and ICLEI - Local Governments for "
                        "Sustainability.")
    assert notes.startswith("Self-reported by the cities to CDP-ICLEI; not verified.")
    logged = rows(cdp_db, "SELECT file, sha256 FROM load_log WHERE file IN (?, ?) ORDER BY file",
                  [CDP_2020.name, CDP_2021.name])
    assert logged == [(CDP_2020.name, sha256(CDP_2020)), (CDP_2021.name, sha256(CDP_2021))]


def test_cdp_totals_never_enter_the_mission_totals_or_baselines(cdp_db, tiny_db):
    for view in ("city_total", "city_baseline"):
        query = f"SELECT * FROM {view} ORDER BY ALL"
        assert rows(cdp_db, query) == rows(tiny_db, query)


def test_rows_that_were_not_loaded_are_warnings_naming_row_and_reason(cdp_db):
    warnings = [m for (m,) in rows(cdp_db, "SELECT message FROM build_warning WHERE file = ? ORDER BY row",
                                   [CDP_2021.name])]
    assert "'City of Oulu' (Oulu) = Oulu: not loaded, implausible: 0.00025 t CO2e per person is outside 0.1-100" \
        in warnings
    assert "'City of Oulu' (Oulu) = Oulu: the row gives no emissions total; nothing loaded" in warnings
    assert ("not loaded: no city of the warehouse in FI is called 'City of Vantaa' (Vantaa) (if it is one, add the "
            "name to its aliases in cities.csv)") in warnings
    assert ("'Klagenfurt am Wörthersee' = Klagenfurt: a second report of the 2019 inventory in this file (row 2 was "
            "loaded); not loaded") in warnings
    assert "1 row(s) of countries without a city in the warehouse were not read further" in warnings


def test_the_build_command_lists_what_did_not_match(tmp_path):
    result = CliRunner().invoke(app, ["build", "--data-dir", str(TINY), "--db", str(tmp_path / "m.duckdb"),
                                      "--with-cdp", str(CDP_2021)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "8 rows; 6 matched a city of the warehouse; 3 totals loaded for 2 cities." in result.output
    assert "City of Vantaa (FI, row 7)" in result.output
    assert "row 5: 'City of Oulu' (Oulu) = Oulu: not loaded, implausible" in result.output
    assert "1 rows of countries without a city in the warehouse were not read further." in result.output


def test_files_in_the_external_cdp_folder_are_picked_up(tiny_dir, tmp_path):
    (tiny_dir / "external" / "cdp").mkdir(parents=True)
    shutil.copy(CDP_2020, tiny_dir / "external" / "cdp" / CDP_2020.name)
    db = tmp_path / "m.duckdb"
    summary = build(tiny_dir, db)
    assert [f.source_id for f in summary.cdp] == ["cdp-city-wide-emissions-2020"]
    assert rows(db, "SELECT count(*) FROM emission_inventory WHERE dataset = 'cdp'") == [(3,)]


@pytest.mark.parametrize(("make", "expected"), [
    (lambda d: d / "missing.csv", "no such file (given with --with-cdp)"),
    (lambda d: shutil.copy(TINY / "cities.csv", d / "cities.csv") and d / "cities.csv",
     "column 'Organization' is missing: is this a CDP City-wide Emissions file?"),
    (lambda d: shutil.copy(CDP_2021, d / "again.csv") and d / "again.csv",
     "a second file of the same reporting year (cdp-city-wide-emissions-2021): give one file per reporting year"),
], ids=["missing file", "not a CDP file", "two files of one year"])
def test_a_bad_cdp_file_fails_the_build_and_keeps_the_old_database(tmp_path, make, expected):
    db = tmp_path / "m.duckdb"
    build(TINY, db)
    before = sha256(db)
    with pytest.raises(ValidationFailed) as failed:
        build(TINY, db, with_cdp=[CDP_2021, make(tmp_path)])
    assert expected in [p.message for p in failed.value.problems]
    assert sha256(db) == before


def test_the_real_2021_file_adds_totals_for_mission_cities(tmp_path):
    if not REAL.exists():
        pytest.skip(f"the third-party CDP file is not here ({REAL}): it is read, never committed")
    db = tmp_path / "m.duckdb"
    summary = build(BUNDLED, db, with_cdp=[REAL])
    (report,) = summary.cdp
    assert report.matched == 61 and len(report.loaded_cities) == 44
    assert report.skipped["ambiguous"] == [] and len(report.unmatched_names) > 0
    lisbon = rows(db, "SELECT year, scope, tco2e FROM emission_inventory WHERE city_id = 'lisbon' AND dataset = 'cdp'")
    assert lisbon == [(2019, "1+2", 2_089_319.0)]  # direct 1,364,046 + grid-indirect 725,273
    cohorts = rows(db, "SELECT cohort, count(*) FROM city WHERE city_id IN "
                       "(SELECT city_id FROM emission_inventory WHERE dataset = 'cdp') GROUP BY 1 ORDER BY 1")
    # 40 Mission Cities and 4 newcomers of the later twinning cohorts (Braga, Newcastle, Torres Vedras, Valongo);
    # CDP rows are not matched to Covenant signatories (etl/load.py says why)
    assert cohorts == [("mission", 40), ("newcomer", 4)]


def test_validate_checks_cdp_files_and_their_matches_without_building(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(app, ["validate", "--data-dir", str(TINY), "--with-cdp", str(CDP_2021)],
                       env={"COLUMNS": "200"})
    assert ok.exit_code == 0, ok.output
    assert "8 rows; 6 matched a city of the warehouse; 3 totals loaded for 2 cities." in ok.output
    wrong = runner.invoke(app, ["validate", "--data-dir", str(TINY), "--with-cdp", str(TINY / "cities.csv")],
                          env={"COLUMNS": "200"})
    assert wrong.exit_code == 1
    assert "column 'Organization' is missing: is this a CDP City-wide Emissions file?" in wrong.output
