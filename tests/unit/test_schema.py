"""The schema is declared once and is self-consistent."""


import duckdb
import polars as pl

from etl import schema
from etl.transform import city_ids


def test_every_table_and_field_is_described():
    for table in schema.TABLES:
        assert table.description
        assert all(f.description for f in table.fields), table.name
        assert set(table.primary_key) <= set(table.columns)


def test_ddl_creates_every_table_and_view():
    con = duckdb.connect()
    for table in schema.TABLES:
        con.execute(table.ddl())
    for ddl in schema.VIEWS.values():
        con.execute(ddl)
    names = {r[0] for r in con.sql("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {t.name for t in schema.TABLES} | set(schema.VIEWS) <= names


def test_city_ids_are_slugs_and_stay_unique_when_names_repeat():
    cities = pl.DataFrame({"city": ["Łódź", "Sønderborg", "Valencia", "Valencia"],
                           "country_iso2": ["PL", "DK", "ES", "VE"]})
    assert city_ids(cities)["city_id"].to_list() == ["lodz", "sonderborg", "valencia-es", "valencia-ve"]


def test_the_read_side_expects_the_schema_the_etl_writes():
    from etl.schema import SCHEMA_VERSION
    from mission.db import SCHEMA_VERSION as READ_SIDE

    assert READ_SIDE == SCHEMA_VERSION


def test_the_build_checks_every_reference_the_schema_declares_or_its_conventions_imply():
    from etl.load import check_foreign_keys

    con = duckdb.connect()
    for table in schema.TABLES:
        con.execute(table.ddl())
    con.execute("INSERT INTO source (source_id, title) VALUES ('s', 'S')")
    con.execute("INSERT INTO twin_link (city_id, partner_city_id, inferred, partner_text, source_id) "
                "VALUES ('a', 'b', false, 'B', 's'), ('a', 'c', false, 'C', 'nowhere')")
    assert sorted(check_foreign_keys(con)) == [
        "1 row(s) of twin_link.source_id point at no source.source_id",
        "2 row(s) of twin_link.city_id point at no city.city_id",
        "2 row(s) of twin_link.partner_city_id point at no city.city_id",
    ]
