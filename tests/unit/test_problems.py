"""Problems read as file, row, column and what is wrong; repeats are capped and counted."""

from etl.problems import MAX_ROWS_PER_PROBLEM, Problem, Problems


def test_problem_reads_as_file_row_column_message():
    p = Problem("emissions.csv", 12, "tco2e", "'abc' is text where a number belongs")
    assert str(p) == "emissions.csv, row 12, column 'tco2e': 'abc' is text where a number belongs"


def test_problem_without_row_names_only_the_file():
    assert str(Problem("cities.csv", None, None, "the file is empty")) == "cities.csv: the file is empty"


def test_repeated_problems_are_capped_and_the_rest_counted():
    problems = Problems()
    rows = list(range(2, 2 + MAX_ROWS_PER_PROBLEM + 5))
    problems.add_rows("e.csv", rows, "year", ["bad"] * MAX_ROWS_PER_PROBLEM, kind="not a number")
    found = problems.finish()
    assert len(found) == MAX_ROWS_PER_PROBLEM + 1
    assert "... and 5 more row(s) with the same problem (not a number)" in str(found[0])
    assert problems.has_errors
