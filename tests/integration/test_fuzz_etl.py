"""Property-based tests of the ETL: random damage to the input files (CSV and XLSX) is either harmless or
reported as file, row, column and what is wrong; never another exception, and the old database stays as it was."""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.load import build
from etl.problems import ValidationFailed
from tests.conftest import TINY, sha256

FILES = sorted(p.name for p in TINY.glob("*.csv"))
# Bounded for CI (each example is a whole build); MISSION_FUZZ_EXAMPLES raises it for a longer local run.
EXAMPLES = settings(max_examples=int(os.environ.get("MISSION_FUZZ_EXAMPLES", "20")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
CHARACTERS = list(',;"\'\n\r\t =+-@.e0123456789NaInf<>/\\ÄéŁ😀\u00a0\u200b')
HOSTILE = st.text(alphabet=st.sampled_from(CHARACTERS), max_size=12) | st.sampled_from([
    "NaN", "inf", "-inf", "1e309", "1,234", "12,5", "1.234.567", "2020-02-30", "0000-01-01",
    "<script>alert(1)</script>", "=HYPERLINK(\"x\")", "", " ", "\"", "9" * 40, "-0", "total"])


@functools.cache
def _template() -> Path:
    """The warehouse of the undamaged tiny data, built once; each example starts from a copy."""
    db = Path(tempfile.mkdtemp()) / "template.duckdb"
    build(TINY, db)
    return db


def _run(mutate) -> None:
    """Damage a copy of the tiny data with `mutate(folder)` and build it over a good warehouse: success or a
    clear refusal that leaves the good warehouse as it was."""
    with tempfile.TemporaryDirectory() as tmp:
        folder, db = Path(tmp) / "input", Path(tmp) / "mission.duckdb"
        shutil.copytree(TINY, folder)
        shutil.copy(_template(), db)
        before = sha256(db)
        mutate(folder)
        try:
            build(folder, db)
        except ValidationFailed as failure:
            assert failure.errors, "a refused build names at least one error"
            for problem in failure.errors:
                assert problem.file and problem.message and "Traceback" not in problem.message
            assert sha256(db) == before
            assert not [p for p in Path(tmp).iterdir() if p.name.endswith(".tmp")]


@EXAMPLES
@given(name=st.sampled_from(FILES), data=st.data())
def test_a_damaged_cell_is_harmless_or_reported(name, data):
    def mutate(folder: Path) -> None:
        frame = pl.read_csv(folder / name, infer_schema_length=0)
        if not frame.height:
            return
        row = data.draw(st.integers(0, frame.height - 1))
        column = data.draw(st.sampled_from(frame.columns))
        value = data.draw(HOSTILE)
        frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == row).then(pl.lit(value))
                                   .otherwise(pl.col(column)).alias(column))
        frame.write_csv(folder / name)

    _run(mutate)


@EXAMPLES
@given(name=st.sampled_from(FILES), position=st.floats(0, 1), junk=st.binary(min_size=1, max_size=8)
       | st.sampled_from([b"\xff\xfe", b"\x00", b'"', b"\r", b"\n\n", b",,,", b"\xc3("]))
def test_damaged_bytes_are_harmless_or_reported(name, position, junk):
    def mutate(folder: Path) -> None:
        raw = (folder / name).read_bytes()
        at = int(len(raw) * position)
        (folder / name).write_bytes(raw[:at] + junk + raw[at:])

    _run(mutate)


@EXAMPLES
@given(name=st.sampled_from(FILES), cut=st.floats(0, 1), drop_column=st.booleans())
def test_truncated_files_and_missing_columns_are_reported(name, cut, drop_column):
    def mutate(folder: Path) -> None:
        path = folder / name
        if drop_column:
            frame = pl.read_csv(path, infer_schema_length=0)
            frame.drop(frame.columns[int(cut * (len(frame.columns) - 1))]).write_csv(path)
        else:
            raw = path.read_bytes()
            path.write_bytes(raw[:int(len(raw) * cut)])

    _run(mutate)


@EXAMPLES
@given(name=st.sampled_from(FILES), data=st.data())
def test_a_damaged_xlsx_is_harmless_or_reported(name, data):
    def mutate(folder: Path) -> None:
        frame = pl.read_csv(folder / name, infer_schema_length=0)
        cells = st.one_of(HOSTILE, st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                          st.booleans(), st.none())
        if frame.height:
            row = data.draw(st.integers(0, frame.height - 1))
            column = data.draw(st.sampled_from(frame.columns))
            values = frame[column].to_list()
            values[row] = data.draw(cells)
            frame = frame.with_columns(pl.Series(column, [None if v is None else v for v in values],
                                                 dtype=pl.Object if len({type(v) for v in values}) > 1 else None,
                                                 strict=False))
        (folder / name).unlink()
        frame.to_pandas().to_excel(folder / name.replace(".csv", ".xlsx"), index=False, engine="xlsxwriter")

    _run(mutate)
