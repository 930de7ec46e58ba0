"""The Covenant of Mayors workbook (the JRC's df1) as a build reads it: tiny workbooks written here, every class of
bad input refused by file, sheet, row and column with the old warehouse left byte-identical, and what a good one
gives the warehouse."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest
import xlsxwriter
from typer.testing import CliRunner

from etl.cli import app
from etl.load import build
from etl.sources.gcom import COLUMNS
from tests.conftest import rows
from tests.integration.test_malformed_input import rejected

DATASET = "GCoM - MyCovenant, 5th\u00a0Release - january  2024"
CITATION = "Baldi, M. G. et al. 2024. Global Covenant of Mayors, Joint Research Centre (JRC) [Dataset ID 5th Release]"


def signatory(oid: str, name: str, country: str = "at", lat: object = 46.62, lon: object = 14.31, **kw) -> dict:
    """One df1 row as the JRC writes it: '-' for empty, booleans as cells, the date as a date cell."""
    row = {c: "-" for c in COLUMNS}
    row.update({"organisation_id": oid, "organisation_name": name, "country_code": country,
                "country_name": "Austria", "population_adhesion": 100_000, "organisation_latitude": lat,
                "organisation_longitude": lon, "commitment_CoM2020_flag": True, "commitment_CoM2030_flag": True,
                "commitment_CoM2050_flag": False, "commitment_mayoradapt_flag": False,
                "adhesion_type": "As an individual signatory", "signatory_status": "published",
                "date_of_adhesion": dt.datetime(2011, 10, 3), "action_plan_expected": True, "group_profile": False,
                "gcom_id": f"AT{oid}", "mayor": "Somebody"})
    row.update(kw)
    return row


def good_rows() -> list[dict]:
    return [
        signatory("1", "Klagenfurt am Wörthersee", commitment_CoM2050_flag=True),
        signatory("2", "Villach", lat=46.61, lon=13.85, signatory_status="on_hold"),
        signatory("3", "Tartu linn", country="ee", lat=58.38, lon=26.72),
        # a group of municipalities, and a member of it
        signatory("4", "Gemeinden am See", lat=47.0, lon=14.0, group_profile=True,
                  adhesion_type="As a group of signatories committing collectively (joint SEAP - option 2)"),
        signatory("5", "Seedorf", lat=46.7, lon=14.1, group_organisation_id="4", group_name="Gemeinden am See",
                  adhesion_type="As a group of signatories committing collectively (joint SEAP - option 2)"),
        # three signatories on one placeholder point; one point in Slovenia; one without a point
        *(signatory(str(i), f"Dorf {i}", lat=47.2, lon=13.1) for i in (6, 7, 8)),
        signatory("9", "Grenzort", lat=46.05, lon=14.5),
        signatory("10", "Nirgendwo", lat="-", lon="-"),
    ]


def write(path: Path, data: list[dict], *, sheet: str = "1", dataset: str = DATASET, columns: list[str] | None = None,
          readme: bool = True) -> Path:
    """A df1 workbook: README (dataset, citation), df1_METADATA and the data sheet."""
    book = xlsxwriter.Workbook(path)
    dates = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    if readme:
        info = book.add_worksheet("README")
        for i, (key, value) in enumerate((("Collection Acronym", "GCoM-MyCovenant"), ("Dataset", dataset),
                                          ("Citation", CITATION))):
            info.write_row(i, 0, [key, value])
    book.add_worksheet("df1_METADATA").write_row(0, 0, ["Dataframe", "Content", "Name", "Type", "Description"])
    columns = columns or [*COLUMNS, "mayor"]
    sheet_ = book.add_worksheet(sheet)
    sheet_.write_row(0, 0, columns)
    for r, row in enumerate(data, start=1):
        for c, column in enumerate(columns):
            value = row.get(column, "-")
            if isinstance(value, dt.datetime):
                sheet_.write_datetime(r, c, value, dates)
            else:
                sheet_.write(r, c, value)
    book.close()
    return path


@pytest.fixture
def with_gcom(tiny_dir: Path) -> Path:
    """The tiny input folder with a good workbook in gcom/."""
    (tiny_dir / "gcom").mkdir()
    write(tiny_dir / "gcom" / "df1_test.xlsx", good_rows())
    return tiny_dir


@pytest.fixture
def old_db(tmp_path: Path, with_gcom: Path) -> Path:
    db = tmp_path / "db" / "mission.duckdb"
    build(with_gcom, db)
    return db


def replace_workbook(data_dir: Path, data: list[dict], **kw) -> None:
    write(data_dir / "gcom" / "df1_test.xlsx", data, **kw)


# --- a good workbook --------------------------------------------------------------------------------------------
def test_every_signatory_is_a_city_or_a_group_with_its_covenant_facts_and_source(old_db, with_gcom):
    db = old_db
    got = dict(rows(db, "SELECT organisation_id, city_id FROM covenant_signatory"))
    # Klagenfurt by its alias (Klagenfurt am Wörthersee), Tartu as a name contained in 'Tartu linn'
    assert got["1"] == "klagenfurt" and got["3"] == "tartu"
    assert got["4"] is None  # a group is not a city
    assert got["2"] == "villach-at" and got["10"] == "nirgendwo-at"
    # 10 signatories: one group, two cities of cities.csv, seven cities of their own
    assert rows(db, "SELECT count(*) FROM city WHERE cohort = 'signatory'") == [(7,)]
    assert rows(db, "SELECT matched_by FROM covenant_signatory WHERE organisation_id IN ('1', '3') "
                    "ORDER BY organisation_id") == [("alias",), ("contained name",)]
    assert rows(db, "SELECT members FROM covenant_signatory WHERE organisation_id = '4'") == [(["Seedorf"],)]
    assert rows(db, "SELECT com_2050, status, adhesion_date, population_adhesion FROM covenant_signatory "
                    "WHERE organisation_id = '2'") == [(False, "on_hold", dt.date(2011, 10, 3), 100_000)]
    # The signatory's city row: its point and declared population, from the workbook, with where they came from
    assert rows(db, "SELECT lat, lon, coord_method, population, population_method, population_year, eu_member "
                    "FROM city WHERE city_id = 'villach-at'") == [(46.61, 13.85, "covenant", 100_000, "covenant",
                                                                   2011, None)]
    # The mayor's name is read, not stored
    assert "Somebody" not in str(rows(db, "SELECT * FROM covenant_signatory"))


def test_the_workbook_is_a_source_with_its_citation_and_checksum(old_db, with_gcom):
    (source,) = rows(old_db, "SELECT source_id, title, licence, citation, notes FROM source "
                             "WHERE source_id LIKE 'jrc-%'")
    assert source[0] == "jrc-gcom-mycovenant-5th-release-january-2024-df1"
    assert source[1].startswith("GCoM - MyCovenant, 5th Release - january 2024, table df1")
    assert source[2].startswith("CC BY 4.0") and source[3] == CITATION
    assert "Changes made by the dashboard" in source[4]
    digest = hashlib.sha256((with_gcom / "gcom" / "df1_test.xlsx").read_bytes()).hexdigest()
    assert rows(old_db, "SELECT sha256, rows FROM load_log WHERE file = 'df1_test.xlsx'") == [(digest, 10)]
    assert digest[:12] in source[4]


def test_points_are_checked_and_approximate_ones_say_why(old_db):
    got = dict(rows(old_db, "SELECT organisation_id, placement || coalesce(': ' || placement_note, '') "
                            "FROM covenant_signatory"))
    assert got["1"] == "exact"
    assert got["6"] == got["7"] == "approximate: the same point as 2 other signatories (a placeholder)"
    assert got["9"].startswith("outside: ") and "km outside Austria, in Slovenia" in got["9"]
    assert got["4"].startswith("approximate: given to whole degrees")
    assert got["10"] == "missing: no point in the source: not on the map"
    assert rows(old_db, "SELECT lat, placement FROM city WHERE city_id = 'nirgendwo-at'") == [(None, "missing")]
    # Distances to Mission Cities are measured from exact and approximate points only
    assert rows(old_db, "SELECT count(*) FROM city_nearest_mission WHERE city_id IN ('grenzort-at', 'nirgendwo-at')") \
        == [(0,)]
    assert rows(old_db, "SELECT mission_city_id FROM city_nearest_mission WHERE city_id = 'dorf-6-at'") == [
        ("klagenfurt",), ("tartu",)]


def test_with_gcom_names_another_release_and_validate_covers_it(tiny_dir, tmp_path):
    other = write(tmp_path / "release6.xlsx", [signatory("1", "Klagenfurt")],
                  dataset="GCoM - MyCovenant, 6th Release - 2025")
    db = tmp_path / "m.duckdb"
    build(tiny_dir, db, with_gcom=[other])
    assert rows(db, "SELECT city_id, matched_by FROM covenant_signatory") == [("klagenfurt", "exact name")]
    runner = CliRunner()
    ok = runner.invoke(app, ["validate", "--data-dir", str(tiny_dir), "--with-gcom", str(other)],
                       env={"COLUMNS": "200"})
    assert ok.exit_code == 0, ok.output
    assert "release6.xlsx" in ok.output and "1 cities of cities.csv linked to their signatory (1 by exact name)" \
        in ok.output
    replace = write(tmp_path / "bad.xlsx", [signatory("1", "Klagenfurt", commitment_CoM2050_flag="yes")])
    bad = runner.invoke(app, ["validate", "--data-dir", str(tiny_dir), "--with-gcom", str(replace)],
                        env={"COLUMNS": "200"})
    assert bad.exit_code == 1
    assert "bad.xlsx, sheet '1', row 2, column 'commitment_CoM2050_flag': 'yes' is not True or False" in bad.output


# --- every class of bad input -----------------------------------------------------------------------------------
BAD_ROWS = {
    "duplicate organisation_id": (
        lambda r: [*r, signatory("2", "Villach again")],
        "df1_test.xlsx, sheet '1', row 12, column 'organisation_id': organisation_id '2' is also on row 3: each "
        "signatory once"),
    "latitude out of range": (
        lambda r: [signatory("1", "Klagenfurt", lat=146.6), *r[1:]],
        "df1_test.xlsx, sheet '1', row 2, column 'organisation_latitude': latitude out of range (-90 to 90)"),
    "longitude out of range": (
        lambda r: [signatory("1", "Klagenfurt", lon=-214.3), *r[1:]],
        "df1_test.xlsx, sheet '1', row 2, column 'organisation_longitude': longitude out of range (-180 to 180)"),
    "a flag that is not True/False": (
        lambda r: [*r[:2], signatory("3", "Tartu", country="ee", commitment_CoM2030_flag="maybe"), *r[3:]],
        "df1_test.xlsx, sheet '1', row 4, column 'commitment_CoM2030_flag': 'maybe' is not True or False"),
    "a population that is not a whole number": (
        lambda r: [signatory("1", "Klagenfurt", population_adhesion=101_303.5), *r[1:]],
        "df1_test.xlsx, sheet '1', row 2, column 'population_adhesion': population '101303.5' is not a whole number"),
    "an unknown country code": (
        lambda r: [signatory("1", "Klagenfurt", country="zz"), *r[1:]],
        "df1_test.xlsx, sheet '1', row 2, column 'country_code': unknown country code 'zz' (ISO 3166-1 alpha-2 "
        "expected)"),
    "a date that is no date": (
        lambda r: [signatory("1", "Klagenfurt", date_of_adhesion="03/10/2011"), *r[1:]],
        "df1_test.xlsx, sheet '1', row 2, column 'date_of_adhesion': '03/10/2011' is not a date (a date cell, or "
        "YYYY-MM-DD)"),
    "half a point": (
        lambda r: [signatory("1", "Klagenfurt", lon="-"), *r[1:]],
        "df1_test.xlsx, sheet '1', row 2, column 'organisation_longitude': a latitude without a longitude: a point "
        "needs both"),
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_a_bad_value_is_refused_at_its_sheet_row_and_column(case, with_gcom, old_db):
    change, expected = BAD_ROWS[case]
    replace_workbook(with_gcom, change(good_rows()))
    assert rejected(with_gcom, old_db) == [expected]


def test_every_problem_of_the_workbook_is_said_at_once(with_gcom, old_db):
    data = good_rows()
    data[0] = signatory("1", "Klagenfurt", lat=99, commitment_CoM2050_flag="x", signatory_status="gone")
    data[2] = signatory("3", "Tartu", country="qq", population_adhesion="many")
    replace_workbook(with_gcom, data)
    errors = rejected(with_gcom, old_db)
    assert [e.split(":")[0] for e in errors] == [
        "df1_test.xlsx, sheet '1', row 2, column 'commitment_CoM2050_flag'",
        "df1_test.xlsx, sheet '1', row 2, column 'organisation_latitude'",
        "df1_test.xlsx, sheet '1', row 2, column 'signatory_status'",
        "df1_test.xlsx, sheet '1', row 4, column 'country_code'",
        "df1_test.xlsx, sheet '1', row 4, column 'population_adhesion'",
    ]


def test_a_missing_column_is_named(with_gcom, old_db):
    columns = [c for c in COLUMNS if c != "commitment_CoM2050_flag"]
    replace_workbook(with_gcom, good_rows(), columns=columns)
    (error,) = rejected(with_gcom, old_db)
    assert error.startswith("df1_test.xlsx, sheet '1', row 1, column 'commitment_CoM2050_flag': column "
                            "'commitment_CoM2050_flag' is missing from the header")


def test_a_renamed_data_sheet_is_named(with_gcom, old_db):
    replace_workbook(with_gcom, good_rows(), sheet="Signatories")
    assert rejected(with_gcom, old_db) == [
        "df1_test.xlsx, sheet '1': the data sheet '1' (df1's rows) is missing: the workbook has 'README', "
        "'df1_METADATA', 'Signatories'; was a sheet renamed?"]


def test_a_workbook_of_another_dataset_is_rejected(with_gcom, old_db):
    replace_workbook(with_gcom, good_rows(), dataset="GCoM - Action plans, table df2")
    assert rejected(with_gcom, old_db) == [
        "df1_test.xlsx, sheet 'README', row 2, column 'Dataset': the README sheet names the dataset 'GCoM - Action "
        "plans, table df2', not a GCoM - MyCovenant release: is this the JRC's df1 workbook?"]


def test_a_file_that_is_not_an_xlsx_workbook_is_rejected(with_gcom, old_db):
    shutil.copy(with_gcom / "cities.csv", with_gcom / "gcom" / "df1_test.xlsx")
    assert rejected(with_gcom, old_db) == [
        "df1_test.xlsx: not an xlsx workbook (an .xlsx file is a ZIP archive; this one is not): give the JRC's df1 "
        "workbook as published"]


def test_a_broken_zip_is_rejected(with_gcom, old_db):
    (with_gcom / "gcom" / "df1_test.xlsx").write_bytes(b"PK\x03\x04 truncated")
    (error,) = rejected(with_gcom, old_db)
    assert error.startswith("df1_test.xlsx: not an xlsx workbook that can be read (")


def test_the_published_files_quirks_are_read_and_said(with_gcom, tmp_path):
    data = good_rows()
    data[1] = signatory("2", "Villach", lat="46,61", lon="13,85", adhesion_type="1")
    data[-1] = signatory("10", "Nirgendwo", lat="null", lon="null")
    replace_workbook(with_gcom, data)
    summary = build(with_gcom, tmp_path / "m.duckdb")
    said = [str(w) for w in summary.warnings if w.file == "df1_test.xlsx"]
    assert "df1_test.xlsx, sheet '1', row 3, column 'organisation_latitude': latitude '46,61' has a decimal comma: " \
           "read as 46.61" in said
    assert "df1_test.xlsx, sheet '1', row 11, column 'organisation_latitude': latitude 'null' read as empty" in said
    assert any("column 'adhesion_type': '1' is not a value of df1's adhesion type" in w for w in said)
    assert rows(tmp_path / "m.duckdb", "SELECT lat, lon, adhesion_type FROM covenant_signatory "
                                       "WHERE organisation_id = '2'") == [(46.61, 13.85, None)]
