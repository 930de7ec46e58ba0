"""The read side's command line (a thin layer over mission.briefs): `python -m mission brief --country FR` or
`--city klagenfurt`, writing the brief's ZIP into `--out`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mission.briefs import BriefNotPossible, city_brief, country_brief, zip_bytes, zip_name
from mission.db import pinned

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


@app.callback()
def main() -> None:
    """Briefs of the Cities Mission Dashboard, from the warehouse ($MISSION_DB, else data/mission.duckdb)."""


@app.command("brief")
def brief_command(
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 code, e.g. FR")] = None,
    city: Annotated[str | None, typer.Option(help="city id as in the dashboard's addresses, e.g. klagenfurt")] = None,
    out: Annotated[Path, typer.Option(help="folder for the ZIP (created if missing)")] = Path("."),
) -> None:
    """A city's or a country's brief: a two-page PDF, every chart as PNG and CSV, in one ZIP."""
    if (country is None) == (city is None):
        print("Give --country or --city (one of them).", file=sys.stderr)
        raise typer.Exit(2)
    with pinned():  # one build of the warehouse for the whole brief
        try:
            brief = country_brief(country) if country else city_brief(city)
        except BriefNotPossible as why:
            print(f"No brief: {why}.", file=sys.stderr)
            raise typer.Exit(1) from None
        content = zip_bytes(brief, progress=lambda i, n, what: print(f"[{i}/{n}] {what}", file=sys.stderr))
    out.mkdir(parents=True, exist_ok=True)
    target = out / zip_name(brief)
    target.write_bytes(content)
    print(target)
