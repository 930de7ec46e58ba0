"""CSV reading: the row of every record is the one a spreadsheet shows, whatever the line endings."""

from pathlib import Path

import pytest

from etl.problems import Problems
from etl.sources.tabular import ROW, _read_csv


def _read(tmp_path: Path, text: str):
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8", newline="")
    problems = Problems()
    frame = _read_csv(path, problems)
    return frame, [str(p) for p in problems.finish()]


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


def test_duplicate_header_names_are_refused(tmp_path):
    frame, problems = _read(tmp_path, "a,b,a\n1,2,3\n")
    assert frame is None
    assert problems == ["t.csv, row 1, column 'a': the column appears more than once in the header"]
