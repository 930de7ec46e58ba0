"""Every class of bad input is rejected with file, row, column and what is wrong; the old database stays as it was."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from etl.load import build
from etl.problems import ValidationFailed
from tests.conftest import ROOT, TINY, sha256


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(line + "\n")


@pytest.fixture
def old_db(tmp_path: Path) -> Path:
    db = tmp_path / "db" / "mission.duckdb"
    build(TINY, db)
    return db


def rejected(data_dir: Path, db: Path) -> list[str]:
    """Build `data_dir` over `db`; assert it fails and leaves `db` byte-identical; return the error lines."""
    before = sha256(db)
    with pytest.raises(ValidationFailed) as failure:
        build(data_dir, db)
    assert sha256(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]
    return [str(p) for p in failure.value.errors]


def test_missing_or_renamed_column_is_named_with_the_fix(tiny_dir, old_db):
    edit(tiny_dir / "emissions.csv", ",tco2e,", ",tCO2e,")
    errors = rejected(tiny_dir, old_db)
    assert len(errors) == 1
    assert errors[0].startswith("emissions.csv, row 1, column 'tco2e': missing column 'tco2e' (found 'tCO2e': "
                                "rename it to 'tco2e')")


def test_text_where_a_number_belongs(tiny_dir, old_db):
    edit(tiny_dir / "emissions.csv", "buildings,all,600.0", "buildings,all,six hundred")
    assert rejected(tiny_dir, old_db) == [
        "emissions.csv, row 3, column 'tco2e': 'six hundred' is text where a number belongs"]


def test_negative_emissions_outside_afolu(tiny_dir, old_db):
    edit(tiny_dir / "emissions.csv", "transport,all,450.0", "transport,all,-450.0")
    assert rejected(tiny_dir, old_db) == [
        "emissions.csv, row 6, column 'tco2e': negative emissions (-450) in sector 'transport': only afolu may be "
        "negative (carbon sinks)"]


def test_nan_and_infinity_are_refused(tiny_dir, old_db):
    edit(tiny_dir / "emissions.csv", "transport,all,450.0", "transport,all,NaN")
    edit(tiny_dir / "actions.csv", "50.0,per_year,1000000.0", "50.0,per_year,inf")
    errors = rejected(tiny_dir, old_db)
    assert "actions.csv, row 2, column 'cost_eur': 'inf' is not a finite number: NaN, infinity and N/A are not " \
           "allowed (leave the cell blank)" in errors
    assert any(e.startswith("emissions.csv, row 6, column 'tco2e': 'NaN' is not a finite number") for e in errors)


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("emissions.csv", "2019,buildings,all", "2019,buildingz,all",
         "emissions.csv, row 3, column 'sector': 'buildingz' is not an allowed value (did you mean 'buildings'?); "
         "allowed: buildings, transport, waste, ippu, afolu, energy_supply, industry, other, total"),
        ("emissions.csv", "buildings,2,200.0", "buildings,4,200.0",
         "emissions.csv, row 5, column 'scope': '4' is not an allowed value; allowed: 1, 2, 3, 1+2, all"),
        ("actions.csv", "District cooling,energy_systems", "District cooling,energy_sytems",
         "actions.csv, row 2, column 'field_of_action': 'energy_sytems' is not an allowed value (did you mean "
         "'energy_systems'?)"),
        ("actions.csv", "technology_infrastructure;finance_funding", "technology_infrastructure;magic",
         "actions.csv, row 2, column 'levers': 'magic' is not an allowed value; allowed: technology_infrastructure"),
        ("actions.csv", "air_quality;cost_savings", "air_quality;happiness",
         "actions.csv, row 2, column 'cobenefits': 'happiness' is not an allowed value; allowed: air_quality"),
    ],
)
def test_unknown_vocabulary_lists_the_allowed_values(tiny_dir, old_db, file, old, new, expected):
    edit(tiny_dir / file, old, new)
    errors = rejected(tiny_dir, old_db)
    assert len(errors) == 1
    assert errors[0].startswith(expected)


def test_undeclared_city_and_source(tiny_dir, old_db):
    append(tiny_dir / "emissions.csv", "Atlantis,GR,2019,total,all,5.0,reported,ccc-klagenfurt,,,")
    append(tiny_dir / "emissions.csv", "Tartu,EE,2019,total,all,5.0,reported,ccc-nowhere,,,")
    append(tiny_dir / "actions.csv", "klagenfurt-03,Klagenfurt,DE,Solar,energy_systems,,,,unknown,,,,,,"
                                     "ccc-klagenfurt,,,")
    errors = rejected(tiny_dir, old_db)
    assert "emissions.csv, row 11, column 'city': city 'Atlantis' (GR) is not declared in cities.csv" in errors
    assert "emissions.csv, row 12, column 'source_id': source_id 'ccc-nowhere' is not declared in sources.csv" in errors
    assert "actions.csv, row 4, column 'city': city 'Klagenfurt' (DE) is not declared in cities.csv (cities.csv " \
           "has it in AT)" in errors


def test_conflicting_duplicate_key_is_an_error_and_an_exact_copy_a_warning(tiny_dir, old_db, tmp_path):
    append(tiny_dir / "emissions.csv", "Klagenfurt,AT,2019,transport,all,460.0,reported,ccc-klagenfurt,"
                                       "klagenfurt.md line 12,high,")
    assert rejected(tiny_dir, old_db) == [
        "emissions.csv, row 11, column: conflicting duplicate: same key (city=Klagenfurt, country_iso2=AT, "
        "year=2019, sector=transport, scope=all, kind=reported) as row 6 but different tco2e".replace(
            ", column:", ":")]
    edit(tiny_dir / "emissions.csv", "transport,all,460.0", "transport,all,450.0")
    summary = build(tiny_dir, tmp_path / "ok.duckdb")
    assert "emissions.csv, row 11: exact duplicate of row 6: the copy is ignored" in [str(w) for w in summary.warnings]
    assert summary.rows["emission_inventory"] == 13


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("EL", "'EL' is the EU's code, not ISO 3166-1 alpha-2: write GR"),
        ("at", "'at' must be written in capitals: AT"),
        ("XX", "'XX' is not an ISO 3166-1 alpha-2 country code"),
    ],
)
def test_bad_country_codes(tiny_dir, old_db, code, message):
    edit(tiny_dir / "national_ghg.csv", "AT,2022", f"{code},2022")
    assert f"national_ghg.csv, row 2, column 'country_iso2': {message}" in rejected(tiny_dir, old_db)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2023-02-30", "'2023-02-30' is not a real date (no such day in the calendar)"),
        ("12/10/2023", "'12/10/2023' is not a date in the form YYYY-MM-DD"),
        ("2019-10-12", "2019-10-12 is impossible for a Mission Label"),
        # The first labels were awarded in October 2023: a date in 2022 is a typo, not a label.
        ("2022-06-01", "2022-06-01 is impossible for a Mission Label (the mission's labels start in 2023"),
    ],
)
def test_impossible_dates(tiny_dir, old_db, value, message):
    edit(tiny_dir / "mission_labels.csv", "2023-10-12", value)
    errors = rejected(tiny_dir, old_db)
    assert any(e.startswith(f"mission_labels.csv, row 2, column 'label_date': {message}") for e in errors), errors


@pytest.mark.parametrize("year", ["1989", "2061"])
def test_years_outside_1990_2060(tiny_dir, old_db, year):
    edit(tiny_dir / "emissions.csv", "Klagenfurt,AT,2022,waste", f"Klagenfurt,AT,{year},waste")
    assert rejected(tiny_dir, old_db) == [
        f"emissions.csv, row 9, column 'year': {year} is outside the allowed range (1990 to 2060)"]


@pytest.mark.parametrize(
    ("old", "new", "row"),
    [
        ('"Cycling network, phase 2"', '"Cycling network, phase 2', 3),  # never closed
        ('"Cycling network, phase 2"', '"Cycling network" phase 2', 3),  # text after the closing quote
    ],
)
def test_broken_csv_quoting(tiny_dir, old_db, old, new, row):
    edit(tiny_dir / "actions.csv", old, new)
    errors = rejected(tiny_dir, old_db)
    assert len(errors) == 1
    assert errors[0].startswith(f"actions.csv, row {row}: broken CSV quoting")


def test_unquoted_comma_gives_a_row_with_too_many_fields(tiny_dir, old_db):
    edit(tiny_dir / "actions.csv", '"Cycling network, phase 2"', "Cycling network, phase 2")
    assert rejected(tiny_dir, old_db) == [
        "actions.csv, row 3: has 19 fields but the header has 18 (check quoting and separators)"]


def test_empty_file(tiny_dir, old_db):
    (tiny_dir / "targets.csv").write_bytes(b"")
    assert rejected(tiny_dir, old_db) == ["targets.csv: the file is empty: expected a header row and data rows"]


def test_non_utf8_file(tiny_dir, old_db):
    text = (tiny_dir / "cities.csv").read_text(encoding="utf-8")
    (tiny_dir / "cities.csv").write_bytes(text.encode("utf-8").replace("Wörthersee".encode(), "Wörthersee".encode(
        "cp1252")))
    assert rejected(tiny_dir, old_db) == [
        "cities.csv, row 2: the file is not UTF-8 (it looks like Windows-1252 / Latin-1): byte 0xf6 cannot be read; "
        "save it as UTF-8"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"1,000"', "'1,000' is ambiguous: is ',' a thousands separator or a decimal comma?"),
        ('"1000,5"', "'1000,5' uses a decimal comma: write 1000.5"),
        ("1.000.000", "'1.000.000' uses '.' as a thousands separator (European format): write 1000000"),
    ],
)
def test_european_number_formats(tiny_dir, old_db, value, message):
    edit(tiny_dir / "emissions.csv", "total,all,1000.0", f"total,all,{value}")
    errors = rejected(tiny_dir, old_db)
    assert len(errors) == 1
    assert errors[0].startswith(f"emissions.csv, row 2, column 'tco2e': {message}")


def test_semicolon_separated_file_is_explained(tiny_dir, old_db):
    text = (tiny_dir / "sector_map.csv").read_text(encoding="utf-8")
    (tiny_dir / "sector_map.csv").write_text(text.replace(",", ";"), encoding="utf-8")
    assert rejected(tiny_dir, old_db) == [
        "sector_map.csv, row 1: the header is one column containing ';': separate columns with ',' (and write "
        "decimals with '.')"]


def test_label_for_a_newcomer_is_refused(tiny_dir, old_db):
    append(tiny_dir / "mission_labels.csv", "Oulu,FI,2024-03-21,day,2,nzc-list")
    assert rejected(tiny_dir, old_db) == [
        "mission_labels.csv, row 3, column 'city': 'Oulu' is a newcomer in cities.csv: only Mission Cities receive "
        "the Mission Label"]


@pytest.mark.parametrize("old, new, column, given", [
    ("65.0,25.5", "65.0,", "lon", "lat"), ("65.0,25.5", ",25.5", "lat", "lon")])
def test_an_override_point_needs_lat_and_lon(tiny_dir, old_db, old, new, column, given):
    edit(tiny_dir / "city_locations.csv", old, new)
    assert rejected(tiny_dir, old_db) == [
        f"city_locations.csv, row 2, column '{column}': {given} is given but {column} is empty: a point needs both "
        "(or neither, to place the city by gazetteer_names)"]


def test_missing_required_file(tiny_dir, old_db):
    (tiny_dir / "cities.csv").unlink()
    errors = rejected(tiny_dir, old_db)
    assert errors[0].startswith("cities.csv: required file is missing from")


def test_all_problems_of_a_file_are_reported_at_once(tiny_dir, old_db):
    edit(tiny_dir / "emissions.csv", "buildings,all,600.0", "buildings,all,abc")
    edit(tiny_dir / "emissions.csv", "Klagenfurt,AT,2022,waste", "Klagenfurt,AT,1900,waste")
    edit(tiny_dir / "emissions.csv", "transport,all,450.0", "transportation,all,450.0")
    errors = rejected(tiny_dir, old_db)
    assert [e.split(":")[0] for e in errors] == [
        "emissions.csv, row 3, column 'tco2e'", "emissions.csv, row 6, column 'sector'",
        "emissions.csv, row 9, column 'year'"]


def test_cli_reports_problems_without_a_traceback_and_exits_non_zero(tiny_dir, old_db):
    edit(tiny_dir / "emissions.csv", "buildings,all,600.0", "buildings,all,six hundred")
    before = sha256(old_db)
    result = subprocess.run([sys.executable, "-m", "etl", "build", "--data-dir", str(tiny_dir), "--db", str(old_db)],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "emissions.csv, row 3, column 'tco2e': 'six hundred' is text where a number belongs" in result.stderr
    assert "the existing database is unchanged" in result.stderr
    assert sha256(old_db) == before


def test_cli_validate_accepts_good_data_and_rejects_bad(tiny_dir):
    ok = subprocess.run([sys.executable, "-m", "etl", "validate", "--data-dir", str(TINY)], capture_output=True,
                        text=True, cwd=ROOT, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "emissions.csv" in ok.stdout
    (tiny_dir / "targets.csv").write_bytes(b"")
    bad = subprocess.run([sys.executable, "-m", "etl", "validate", "--data-dir", str(tiny_dir)], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert bad.returncode == 1
    assert "targets.csv: the file is empty" in bad.stderr


def test_terminated_build_leaves_old_database_and_no_temp_files(old_db):
    before = sha256(old_db)
    proc = subprocess.Popen([sys.executable, "-m", "etl", "build", "--data-dir", str(ROOT / "data"), "--db",
                             str(old_db)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(old_db.parent.glob(".*.tmp")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the build ended before it wrote its temporary file"
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "interrupted: nothing was written; the existing database is unchanged." in err
    assert "Traceback" not in err
    assert sha256(old_db) == before
    assert sorted(p.name for p in old_db.parent.iterdir()) == [old_db.name]


def test_cities_of_one_country_must_agree_on_eu_membership(tiny_dir, old_db):
    append(tiny_dir / "cities.csv", "Graz,AT,newcomer,true,,confirmed,nzc-list,")
    append(tiny_dir / "cities.csv", "Villach,AT,newcomer,false,,confirmed,nzc-list,")
    assert rejected(tiny_dir, old_db) == [
        "cities.csv, row 6, column 'eu_member': eu_member is false here but true for an earlier city of AT: a "
        "country is a member state or not"]


def test_a_mission_fact_that_is_unknown_has_no_unit_or_is_dated_in_the_future_is_refused(tiny_dir, old_db):
    (tiny_dir / "mission_facts.csv").write_text(
        "fact,value,unit,scope,as_of,source_id,quote\n"
        "labels_so_far,10,cities,labels,2023-10-12,nzc-list,\n"
        "eoi_received,377,towns,answers,2022-01-31,nzc-list,\n"
        "contracts_created,56,cities,contracts,2099-06-30,nzc-list,\n", encoding="utf-8")
    errors = rejected(tiny_dir, old_db)
    assert any(e.startswith("mission_facts.csv, row 2, column 'fact': 'labels_so_far'") for e in errors), errors
    assert any(e.startswith("mission_facts.csv, row 3, column 'unit': 'towns'") for e in errors), errors
    assert "mission_facts.csv, row 4, column 'as_of': 2099-06-30 is in the future" in " ".join(errors), errors
