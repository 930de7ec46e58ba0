"""The read side's command line (a thin layer over mission.briefs): `python -m mission brief --country FR` or
`--city klagenfurt`, writing the brief's ZIP into `--out`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mission.briefs import BriefNotPossible, city_brief, country_brief, mission_brief, zip_bytes, zip_name
from mission.db import pinned

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


@app.callback()
def main() -> None:
    """Briefs of the Cities Mission Dashboard, from the warehouse ($MISSION_DB, else data/mission.duckdb)."""


@app.command("brief")
def brief_command(
    country: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 code, e.g. FR")] = None,
    city: Annotated[str | None, typer.Option(help="city id as in the dashboard's addresses, e.g. klagenfurt")] = None,
    mission: Annotated[bool, typer.Option("--mission", help="the Mission's progress (with --country: those "
                                                            "countries' Mission Cities, e.g. FR,BE)")] = False,
    out: Annotated[Path, typer.Option(help="folder for the ZIP (created if missing)")] = Path("."),
) -> None:
    """A city's, a country's or the Mission's progress brief: a PDF, every chart as PNG and CSV, in one ZIP."""
    if not mission and (country is None) == (city is None):
        print("Give --country, --city or --mission.", file=sys.stderr)
        raise typer.Exit(2)
    if mission and city is not None:
        print("--mission takes --country, not --city.", file=sys.stderr)
        raise typer.Exit(2)
    with pinned():  # one build of the warehouse for the whole brief
        try:
            brief = (mission_brief(country or "") if mission else country_brief(country) if country
                     else city_brief(city))
        except BriefNotPossible as why:
            print(f"No brief: {why}.", file=sys.stderr)
            raise typer.Exit(1) from None
        content = zip_bytes(brief, progress=lambda i, n, what: print(f"[{i}/{n}] {what}", file=sys.stderr))
    out.mkdir(parents=True, exist_ok=True)
    target = out / zip_name(brief)
    target.write_bytes(content)
    print(target)


def brief_main() -> None:
    """`python -m mission.briefs [options]`: the `brief` command on its own."""
    typer.main.get_command(app).main(args=["brief", *sys.argv[1:]], prog_name="python -m mission.briefs")
