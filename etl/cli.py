"""Command line over the ETL library: `python -m etl build` and `python -m etl validate`."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from etl import schema
from etl.covenant import Matching
from etl.load import DEFAULT_DATA_DIR, STEPS, build, default_db, prepare
from etl.problems import Problem, ValidationFailed
from etl.sources import cdp

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Build and check the Cities Mission warehouse (DuckDB).")
out = Console()
err = Console(stderr=True)

DataDir = Annotated[Path, typer.Option("--data-dir", help="folder of input files (CSV or XLSX)")]
WithCdp = Annotated[list[Path] | None, typer.Option(
    "--with-cdp", help="a CDP City-wide Emissions CSV to add (repeat for several years); files in "
    "DATA_DIR/external/cdp/ are added without this option")]
WithGcom = Annotated[list[Path] | None, typer.Option(
    "--with-gcom", help="a Covenant of Mayors workbook (the JRC's df1) to read; workbooks in DATA_DIR/gcom/ are "
    "read without this option")]
MAX_WARNINGS_SHOWN = 20


def _progress(total: int) -> tuple[Progress, Callable[[str], None]]:
    progress = Progress(TextColumn("{task.description:<22}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                        TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal)
    task = progress.add_task("reading", total=total)

    def step(name: str) -> None:
        progress.update(task, advance=1, description=name)

    return progress, step


def _report_problems(problems: list[Problem]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    for p in errors:
        err.print(f"[red]error[/red] {p}", markup=True, highlight=False, soft_wrap=True)
    for p in problems:
        if p.severity == "warning":
            err.print(f"[yellow]warning[/yellow] {p}", markup=True, highlight=False, soft_wrap=True)
    err.print(f"\n{len(errors)} error(s): nothing was written; the existing database is unchanged.", style="bold red")


def _counts(title: str, what: str, rows: list[tuple[str, int]]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(what)
    table.add_column("rows", justify="right")
    for name, n in rows:
        table.add_row(name, f"{n:,}")
    return table


def _report_warnings(warnings: list[Problem]) -> None:
    for w in warnings[:MAX_WARNINGS_SHOWN]:
        out.print(f"[yellow]warning[/yellow] {w}", highlight=False, soft_wrap=True)
    if len(warnings) > MAX_WARNINGS_SHOWN:
        out.print(f"... and {len(warnings) - MAX_WARNINGS_SHOWN} more warnings (table build_warning)")


def _terminated(_signum, _frame) -> None:
    """SIGTERM (e.g. `kill`, a service stop) unwinds like Ctrl-C, so the build removes its temporary file."""
    raise KeyboardInterrupt


@app.command("build")
def build_command(
    data_dir: DataDir = DEFAULT_DATA_DIR,
    db: Annotated[Path | None, typer.Option("--db", help="database file [default: $MISSION_DB or "
                                            "data/mission.duckdb]")] = None,
    with_cdp: WithCdp = None,
    with_gcom: WithGcom = None,
) -> None:
    """Validate the input files and build the warehouse atomically (the old file stays until all checks pass)."""
    target = db or default_db()
    progress, step = _progress(len(STEPS))
    signal.signal(signal.SIGTERM, _terminated)
    try:
        with progress:
            summary = build(data_dir, target, progress=step, with_cdp=with_cdp or (), with_gcom=with_gcom or ())
    except ValidationFailed as failure:
        _report_problems(failure.problems)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err.print("interrupted: nothing was written; the existing database is unchanged.", style="bold red")
        raise typer.Exit(130) from None
    out.print(_counts(f"Built {summary.db}", "table", [(t.name, summary.rows[t.name]) for t in schema.TABLES]))
    out.print(f"sources: {summary.sources}   warnings: {len(summary.warnings)}   build id: {summary.build_id[:12]}")
    cdp_files = {f.name for f in summary.cdp}
    _report_warnings([w for w in summary.warnings if w.file not in cdp_files])
    _report_covenant(summary.covenant)
    for report in summary.cdp:
        _report_cdp(report)


def _report_covenant(matching: Matching) -> None:
    """How the cities of cities.csv were found among the Covenant signatories: linked, ambiguous, not found."""
    if not (matching.links or matching.ambiguous or matching.unmatched):
        return
    rules = {}
    for _city, rule in matching.links.values():
        rules[rule] = rules.get(rule, 0) + 1
    out.print(f"\n[bold]Covenant of Mayors[/bold]: {len(matching.links)} cities of cities.csv linked to their "
              "signatory (" + ", ".join(f"{n} by {rule}" for rule, n in rules.items()) + ")", highlight=False)
    if matching.ambiguous:
        out.print(f"ambiguous: not linked ({len(matching.ambiguous)}; an alias in cities.csv settles one):")
        for line in matching.ambiguous:
            out.print(f"  {line}", highlight=False, soft_wrap=True, markup=False)
    if matching.unmatched:
        out.print(f"not found among the signatories ({len(matching.unmatched)}):")
        out.print("  " + "; ".join(matching.unmatched), highlight=False, soft_wrap=True, markup=False)


def _report_cdp(report: cdp.FileSummary) -> None:
    """What one CDP file gave, and every row of it that was not loaded (rows of other countries counted)."""
    out.print(f"\n[bold]{report.name}[/bold] ({report.source_id}): {report.rows:,} rows; {report.matched} matched a "
              f"city of the warehouse; {report.figures} totals loaded for {len(report.loaded_cities)} cities.",
              highlight=False)
    for why, title in (("flagged", "loaded, with an implausible value left out"),
                       ("matched", "matched a city but not loaded"), ("ambiguous", "ambiguous: not loaded")):
        if report.skipped[why]:
            out.print(f"{title} ({len(report.skipped[why])}):")
        for problem in report.skipped[why]:
            out.print(f"  row {problem.row}: {problem.message}", highlight=False, soft_wrap=True, markup=False)
    if report.unmatched_names:
        out.print(f"no city of that name in the warehouse, in a country that has Mission or newcomer cities "
                  f"({len(report.unmatched_names)}; add an alias in cities.csv if one is a city of ours):")
        out.print("  " + "; ".join(report.unmatched_names), highlight=False, markup=False)
    if report.other_countries:
        out.print(f"{report.other_countries:,} rows of countries without a city in the warehouse were not read "
                  "further.")


@app.command("validate")
def validate_command(data_dir: DataDir = DEFAULT_DATA_DIR, with_cdp: WithCdp = None,
                     with_gcom: WithGcom = None) -> None:
    """Check the input files (with the Covenant workbooks, and CDP files matched to the cities) without building:
    every problem as file, sheet, row, column and what is wrong."""
    progress, step = _progress(len(STEPS) - 2)
    try:
        with progress:
            prepared = prepare(data_dir, with_cdp or (), today=dt.date.today(), progress=step,
                               with_gcom=with_gcom or ())
    except ValidationFailed as failure:
        _report_problems(failure.problems)
        raise typer.Exit(1) from None
    out.print(_counts(f"{data_dir}: valid", "file", [(f.name, f.rows) for f in prepared.files]))
    cdp_files = {f.name for f in prepared.cdp}
    _report_warnings([w for w in prepared.warnings if w.file not in cdp_files])
    _report_covenant(prepared.covenant)
    for report in prepared.cdp:
        _report_cdp(report)


@app.command("schema")
def schema_command() -> None:
    """Print the warehouse tables and columns as Markdown (the contract of the .duckdb file)."""
    from etl.docs import warehouse_markdown

    sys.stdout.write(warehouse_markdown())


def main() -> None:
    try:
        app()
    except Exception as exc:
        if os.environ.get("MISSION_TRACEBACK"):
            raise
        err.print(f"internal error: {type(exc).__name__}: {exc} (set MISSION_TRACEBACK=1 to see the traceback)",
                  style="bold red")
        sys.exit(2)
