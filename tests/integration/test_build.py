"""The whole build on tiny fixtures and on the bundled data: contents, provenance, atomicity, idempotence."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polars as pl
import pytest

from etl import load, schema
from etl.load import build
from etl.problems import ValidationFailed
from tests.conftest import BUNDLED, TINY, rows, sha256


def _content(db: Path, skip: dict[str, set[str]] | None = None) -> dict[str, list[tuple]]:
    skip = skip or {}
    out = {}
    for t in schema.TABLES:
        cols = [c for c in t.columns if c not in skip.get(t.name, set())]
        out[t.name] = rows(db, f"SELECT {', '.join(cols)} FROM {t.name} ORDER BY ALL")
    return out


def test_tiny_build_loads_every_table(tiny_db):
    assert rows(tiny_db, "SELECT count(*) FROM city")[0][0] == 3
    assert rows(tiny_db, "SELECT count(*) FROM action")[0][0] == 2
    assert rows(tiny_db, "SELECT levers FROM action WHERE action_id = 'klagenfurt-01'")[0][0] == [
        "technology_infrastructure", "finance_funding"]
    assert rows(tiny_db, "SELECT cobenefit FROM action_cobenefit ORDER BY 1") == [("air_quality",), ("cost_savings",)]
    assert rows(tiny_db, "SELECT file FROM load_log ORDER BY 1")[0] == ("actions.csv",)


def test_blank_values_stay_blank(tiny_db):
    got = rows(tiny_db, "SELECT ghg_reduction_tco2e, cost_eur, levers FROM action WHERE action_id = 'klagenfurt-02'")
    assert got == [(None, None, None)]  # not stated in the document: NULL, not an empty list


def test_modelled_baseline_is_population_times_national_per_capita(tiny_db):
    # Tartu: GeoNames population 91,407 x EE 2022 (1.0 buildings + 3.0 + 0.5 energy supply - 0.25 land use) t
    got = rows(tiny_db, "SELECT year, kind, tco2e, method FROM city_baseline WHERE city_id = 'tartu'")
    assert got == [(2022, "modelled_estimate", 388479.0, "sum_of_sectors")]
    src = rows(tiny_db, "SELECT s.title, s.notes FROM emission_inventory e JOIN source s USING (source_id) "
                        "WHERE e.city_id = 'tartu' LIMIT 1")[0]
    assert "2022" in src[0] and "Modelled" in src[0]
    assert "population" in src[1] and "per person" in src[1]


def test_reported_inventory_is_never_replaced_by_an_estimate(tiny_db):
    kinds = rows(tiny_db, "SELECT DISTINCT kind FROM emission_inventory WHERE city_id = 'klagenfurt' ORDER BY 1")
    assert kinds == [("projected_bau",), ("reported",)]


def test_city_total_follows_the_hierarchy_rule(tiny_db):
    got = rows(tiny_db, "SELECT year, kind, tco2e, method FROM city_total WHERE city_id = 'klagenfurt' ORDER BY 1")
    assert got == [
        (2019, "reported", 1000.0, "grand_total"),  # the document's total, not 1000 + 600 + 400 + ...
        (2022, "reported", 400.0, "sum_of_scopes"),
        (2030, "projected_bau", 900.0, "grand_total"),
    ]
    assert rows(tiny_db, "SELECT year, kind FROM city_baseline WHERE city_id = 'klagenfurt'") == [(2019, "reported")]


def test_every_fact_row_has_a_source_row(tiny_db):
    import duckdb

    con = duckdb.connect(str(tiny_db), read_only=True)
    assert load.check_foreign_keys(con) == []
    con.close()


def test_build_is_idempotent(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    first, second = build(TINY, a), build(TINY, b)
    assert first.build_id == second.build_id
    assert _content(a) == _content(b)
    build(TINY, a)  # over the existing file
    assert _content(a) == _content(b)


def test_build_without_fixed_clock_differs_only_in_timestamps(tmp_path):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    build(TINY, a)
    build(TINY, b)
    skip = {"load_log": {"loaded_at"}, "build_info": {"built_at"}}
    assert _content(a, skip) == _content(b, skip)


def test_interrupted_build_leaves_old_database_byte_identical_and_no_temp_files(tmp_path, monkeypatch):
    db = tmp_path / "mission.duckdb"
    build(TINY, db)
    before = sha256(db)

    def interrupt(_con):
        raise KeyboardInterrupt

    monkeypatch.setattr(load, "CHECKS", [interrupt])
    with pytest.raises(KeyboardInterrupt):
        build(TINY, db)
    assert sha256(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mission.duckdb"]


def test_temp_files_of_a_killed_build_are_removed_by_the_next_build(tmp_path):
    db = tmp_path / "mission.duckdb"
    stale = tmp_path / ".mission.duckdb.999999999.0123abcd.tmp"
    stale.write_bytes(b"half a database")
    build(TINY, db)
    assert not stale.exists()


def test_unplaceable_city_fails_the_build_naming_it(tiny_dir, tmp_path):
    with (tiny_dir / "cities.csv").open("a", encoding="utf-8") as f:
        f.write("Atlantis,GR,newcomer,,,confirmed,nzc-list,\n")
    with pytest.raises(ValidationFailed) as failure:
        build(tiny_dir, tmp_path / "m.duckdb")
    assert any("'Atlantis' (GR) cannot be placed on the map" in str(p) for p in failure.value.errors)
    assert not (tmp_path / "m.duckdb").exists()


def test_xlsx_input_gives_the_same_warehouse_as_csv(tiny_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    csv_db = tmp_path / "csv.duckdb"
    build(tiny_dir, csv_db)
    for name in ("emissions", "actions"):
        pl.read_csv(tiny_dir / f"{name}.csv", infer_schema_length=0).write_excel(tiny_dir / f"{name}.xlsx")
        (tiny_dir / f"{name}.csv").unlink()
    xlsx_db = tmp_path / "xlsx.duckdb"
    build(tiny_dir, xlsx_db)
    skip = {"load_log": {"file", "sha256"}, "build_info": {"build_id"}}
    assert _content(csv_db, skip) == _content(xlsx_db, skip)


def test_bad_value_in_xlsx_is_reported_with_its_sheet_row(tiny_dir, tmp_path):
    frame = pl.read_csv(tiny_dir / "emissions.csv", infer_schema_length=0)
    frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == 2).then(pl.lit("lots")).otherwise("tco2e")
                               .alias("tco2e"))
    frame.write_excel(tiny_dir / "emissions.xlsx")
    (tiny_dir / "emissions.csv").unlink()
    with pytest.raises(ValidationFailed) as failure:
        build(tiny_dir, tmp_path / "m.duckdb")
    assert [str(p) for p in failure.value.errors] == [
        "emissions.xlsx, row 4, column 'tco2e': 'lots' is text where a number belongs"]


def test_csv_and_xlsx_of_the_same_file_are_refused(tiny_dir, tmp_path):
    pl.read_csv(tiny_dir / "targets.csv", infer_schema_length=0).write_excel(tiny_dir / "targets.xlsx")
    with pytest.raises(ValidationFailed) as failure:
        build(tiny_dir, tmp_path / "m.duckdb")
    assert "both targets.csv and targets.xlsx exist: keep one" in str(failure.value.errors[0])


# --- the bundled data --------------------------------------------------------------------------------
def test_bundled_build_has_112_mission_cities_in_35_countries_all_placed(bundled_db):
    assert rows(bundled_db, "SELECT count(*), count(DISTINCT country_iso2) FROM city WHERE cohort = 'mission'") == [
        (112, 35)]
    assert rows(bundled_db, "SELECT count(*) FROM city WHERE (lat IS NULL OR lon IS NULL) "
                            "AND cohort <> 'signatory'") == [(0,)]
    # A signatory whose workbook row has no point (and whose name the gazetteer does not know) is said to be unplaced.
    assert rows(bundled_db, "SELECT DISTINCT placement FROM city WHERE lat IS NULL OR lon IS NULL") == [("missing",)]
    assert rows(bundled_db, "SELECT count(*) FROM city WHERE cohort = 'newcomer'") == [(43,)]


def test_bundled_build_gives_every_mission_city_a_baseline_with_its_kind(bundled_db):
    got = dict(rows(bundled_db, "SELECT b.kind, count(*) FROM city_baseline b JOIN city c USING (city_id) "
                                "WHERE c.cohort = 'mission' GROUP BY 1"))
    assert sum(got.values()) == 112
    assert set(got) == {"reported", "modelled_estimate"}
    # data/README.md: 12 Mission Cities have no usable inventory in the transcribed contracts
    assert got["modelled_estimate"] == 12


def test_bundled_build_keeps_label_waves_and_actions(bundled_db):
    assert rows(bundled_db, "SELECT count(*), min(wave), max(wave) FROM mission_label") == [(105, 1, 6)]
    assert rows(bundled_db, "SELECT count(*), count(ghg_reduction_tco2e), count(cost_eur) FROM action") == [
        (1976, 1226, 1035)]


def test_bundled_build_has_a_source_row_for_every_fact_row(bundled_db):
    import duckdb

    con = duckdb.connect(str(bundled_db), read_only=True)
    assert load.check_foreign_keys(con) == []
    con.close()
    assert rows(bundled_db, "SELECT count(*) FROM emission_inventory WHERE kind IS NULL") == [(0,)]


def test_bundled_joint_and_unmatched_cities_come_from_the_override_table(bundled_db):
    got = dict(rows(bundled_db, "SELECT name, coord_source_id FROM city WHERE coord_method = 'override'"))
    assert set(got) == {"Eindhoven & Helmond", "Differdange", "Gozo", "Courcy", "Medijana"}


def test_make_db_path_honours_mission_db(tmp_path, monkeypatch):
    monkeypatch.setenv("MISSION_DB", str(tmp_path / "env.duckdb"))
    assert load.default_db() == tmp_path / "env.duckdb"
    monkeypatch.delenv("MISSION_DB")
    assert load.default_db() == Path("data/mission.duckdb")


def test_bundled_data_is_not_modified_by_a_build(tmp_path):
    before = {p.name: sha256(p) for p in BUNDLED.iterdir() if p.suffix == ".csv"}
    build(BUNDLED, tmp_path / "m.duckdb")
    assert {p.name: sha256(p) for p in BUNDLED.iterdir() if p.suffix == ".csv"} == before
    assert not list(BUNDLED.glob(".*.tmp"))
    assert os.listdir(tmp_path) == ["m.duckdb"]
    shutil.rmtree(tmp_path)


def test_key_check_catches_a_repeated_primary_key():
    import duckdb

    con = duckdb.connect()
    for table in schema.TABLES:
        con.execute(table.ddl())
    con.execute("INSERT INTO sector_map VALUES ('waste', 'waste'), ('waste', 'other')")
    assert load.check_primary_keys(con) == ["1 key(s) of sector_map (national_sector) appear more than once"]


def test_bundled_build_keeps_the_published_mission_figures_as_published(bundled_db):
    labels = rows(bundled_db, "SELECT as_of, value FROM mission_fact WHERE fact = 'labels_cumulative' ORDER BY as_of")
    assert [v for _, v in labels] == [10, 33, 53, 92, 103, 106]
    assert rows(bundled_db, "SELECT DISTINCT kind FROM mission_fact") == [("official_announcement",)]
    assert rows(bundled_db, "SELECT value, unit FROM mission_fact WHERE fact = 'incremental_investment_needed'") == [
        (307.0, "EUR bn")]
    # every figure names a source the warehouse holds, and keeps the source's words
    assert rows(bundled_db, "SELECT count(*) FROM mission_fact f LEFT JOIN source s USING (source_id) "
                            "WHERE s.source_id IS NULL OR f.quote IS NULL") == [(0,)]
