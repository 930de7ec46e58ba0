"""CSV reading: the row of every record is the one a spreadsheet shows, whatever the line endings."""

import hashlib
from pathlib import Path

import polars as pl
import pytest

from etl.problems import Problems
from etl.schema import INPUTS
from etl.sources import tabular
from etl.sources.tabular import ROW, _read_csv, read_table


def _read(tmp_path: Path, text: str):
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8", newline="")
    problems = Problems()
    read = _read_csv(path, problems)
    return (read[0] if read else None), [str(p) for p in problems.finish()]


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("a,b\n1,2\n3,4\n", [2, 3]),
        ("a,b\r\n1,2\r\n3,4\r\n", [2, 3]),
        ("\ufeffa,b\n1,2\n", [2]),
        ("a,b\n1,2\n\n3,4\n", [2, 4]),  # a blank line still counts
        ('a,b\n1,"two\nlines"\n3,4\n', [2, 4]),  # a field with a line break pushes the next record down
        ('a,b\n1,"x\n\ny"\n\n3,4\n', [2, 6]),
    ],
)
def test_rows_match_what_a_spreadsheet_shows(tmp_path, text, rows):
    frame, problems = _read(tmp_path, text)
    assert problems == []
    assert frame[ROW].to_list() == rows


def test_every_malformed_record_is_listed_at_once(tmp_path):
    frame, problems = _read(tmp_path, "a,b\n1,2,3\n4,5\n6\n")
    assert frame is None
    assert problems == [
        "t.csv, row 2: has 3 fields but the header has 2 (check quoting and separators)",
        "t.csv, row 4: has 1 fields but the header has 2 (check quoting and separators)",
    ]


@pytest.mark.parametrize("header", ["national_sector,city_sector,city_sector",
                                    "national_sector, city_sector,city_sector"])
def test_a_column_named_twice_is_refused_even_with_spaces(tmp_path, header):
    path = tmp_path / "sector_map.csv"
    path.write_text(f"{header}\nwaste,waste,waste\n", encoding="utf-8")
    problems = Problems()
    assert read_table(path, INPUTS["sector_map"], problems) is None
    assert [str(p) for p in problems.finish()] == [
        "sector_map.csv, row 1, column 'city_sector': the column appears more than once in the header"]


def test_a_column_named_twice_in_a_workbook_is_refused(tmp_path):
    path = tmp_path / "sector_map.xlsx"
    pl.DataFrame([["national_sector", "city_sector", "city_sector"], ["waste", "waste", "other"]],
                 orient="row").write_excel(path, include_header=False)
    problems = Problems()
    assert read_table(path, INPUTS["sector_map"], problems) is None
    assert [str(p) for p in problems.finish()] == [
        "sector_map.xlsx, row 1, column 'city_sector': the column appears more than once in the header"]


@pytest.mark.parametrize("text", ["a,b\n1,2\r\n3,4\n", "a,b\r\n1,2\n3,4\r\n"],
                         ids=["LF file, one CRLF", "CRLF file, one LF"])
def test_mixed_line_endings_are_named_as_the_cause(tmp_path, text):
    frame, problems = _read(tmp_path, text)
    assert frame is None
    assert problems[0].startswith("t.csv: cannot be read as CSV: the file mixes Windows (CRLF) and Unix (LF) line "
                                  "endings; save it again with one kind")


def test_a_line_break_inside_a_quoted_field_of_a_crlf_file_is_read(tmp_path):
    frame, problems = _read(tmp_path, 'a,b\r\n1,"x\ny"\r\n3,4\r\n')
    assert problems == [] and frame["c1"].to_list() == ["x\ny", "4"] and frame[ROW].to_list() == [2, 4]


@pytest.mark.parametrize("chunk", [3, 5, 7, 1 << 24])
@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("a,b\nx,é\ny,ü\n", [2, 3]),
        ("a,b\r\n1,2\r\n3,4", [2, 3]),  # CRLF pairs cut by a chunk; no newline at the end
        ('a,b\n1,"two\nlines"\n3,4\n', [2, 4]),
        ("a,b\n1,2\n\n3,4\n", [2, 4]),
    ],
)
def test_the_scan_reads_any_chunking_alike(tmp_path, monkeypatch, chunk, text, rows):
    monkeypatch.setattr(tabular, "_CHUNK", chunk)
    frame, problems = _read(tmp_path, text)
    assert problems == [] and frame[ROW].to_list() == rows


@pytest.mark.parametrize("chunk", [4, 1 << 24])
@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"a,b\n1,2\n3,\xe9t\xe9\n", "t.csv, row 3: the file is not UTF-8 (it looks like Windows-1252 / Latin-1): "
                                     "byte 0xe9 cannot be read; save it as UTF-8"),
        # The file stops inside a two-byte character.
        (b"a,b\n1,2\n3,\xc3", "t.csv, row 3: the file is not UTF-8 (it looks like Windows-1252 / Latin-1): "
                               "byte 0xc3 cannot be read; save it as UTF-8"),
        # A two-byte character's first byte ends a chunk (of 4 bytes); the next byte does not continue it.
        (b"a,b\xc3x\n1,2\n", "t.csv, row 1: the file is not UTF-8 (it looks like Windows-1252 / Latin-1): "
                              "byte 0xc3 cannot be read; save it as UTF-8"),
    ],
    ids=["Latin-1 byte", "cut character at the end", "bad character across chunks"],
)
def test_a_byte_that_is_not_utf8_is_found_in_any_chunk(tmp_path, monkeypatch, chunk, data, problem):
    monkeypatch.setattr(tabular, "_CHUNK", chunk)
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    problems = Problems()
    assert _read_csv(path, problems) is None
    assert [str(p) for p in problems.finish()] == [problem]


def test_the_file_hash_is_that_of_its_bytes(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\r\n1,\xc3\xa9\r\n")
    read = _read_csv(path, Problems())
    assert read.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
