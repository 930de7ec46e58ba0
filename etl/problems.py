"""What a build or validation found wrong, said as file, row, column and what is wrong."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

# Rows listed per file, column and kind of problem before the rest are counted: a file with a
# systematic error says so in a screenful, not a million lines.
MAX_ROWS_PER_PROBLEM = 10


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: int | None  # row in the file as a spreadsheet shows it: header = 1; None for the whole file
    column: str | None
    message: str
    severity: str = "error"  # error | warning
    sheet: str | None = None  # the sheet of a workbook, where the file has several

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet is not None:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


class ValidationFailed(Exception):
    """Raised with every error found; the database is left as it was."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=_sort_key)
        errors = [p for p in self.problems if p.severity == "error"]
        super().__init__(f"{len(errors)} problem(s) in the input data")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _sort_key(p: Problem):
    return (p.file, p.sheet or "", p.row if p.row is not None else -1, p.column or "", p.message)


class Problems:
    """Collects problems; repeats of one kind in one column are capped and counted."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self._extra: dict[tuple[str, str | None, str, str, str | None], int] = defaultdict(int)

    def add(self, file: str, row: int | None, column: str | None, message: str, severity: str = "error",
            sheet: str | None = None) -> None:
        self.items.append(Problem(file, row, column, message, severity, sheet))

    def add_rows(self, file: str, rows: list[int], column: str | None, messages: list[str], kind: str,
                 severity: str = "error", sheet: str | None = None) -> None:
        """Add one problem per row, keeping the first MAX_ROWS_PER_PROBLEM and counting the rest."""
        for row, message in zip(rows[:MAX_ROWS_PER_PROBLEM], messages[:MAX_ROWS_PER_PROBLEM], strict=False):
            self.add(file, row, column, message, severity, sheet)
        if len(rows) > MAX_ROWS_PER_PROBLEM:
            self._extra[(file, column, kind, severity, sheet)] += len(rows) - MAX_ROWS_PER_PROBLEM

    def finish(self) -> list[Problem]:
        out = list(self.items)
        for (file, column, kind, severity, sheet), n in self._extra.items():
            out.append(Problem(file, None, column, f"... and {n} more row(s) with the same problem ({kind})", severity,
                               sheet))
        return sorted(out, key=_sort_key)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.items) or any(k[3] == "error" for k in self._extra)
