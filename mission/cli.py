"""The read side's command line (a thin layer over mission.briefs): `python -m mission brief --country FR` or
`--city klagenfurt`, writing the brief's ZIP into `--out`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

import i18n
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
    lang: Annotated[str, typer.Option(help=f"language of the brief: {', '.join(i18n.LANGUAGES)}")] = i18n.DEFAULT,
) -> None:
    """A city's, a country's or the Mission's progress brief: a PDF, every chart as PNG and CSV, in one ZIP."""
    if i18n.normal(lang) is None:
        print(f"No language {lang!r}: choose one of {', '.join(i18n.LANGUAGES)}.", file=sys.stderr)
        raise typer.Exit(2)
    if not mission and (country is None) == (city is None):
        print("Give --country, --city or --mission.", file=sys.stderr)
        raise typer.Exit(2)
    if mission and city is not None:
        print("--mission takes --country, not --city.", file=sys.stderr)
        raise typer.Exit(2)
    with pinned(), i18n.use(lang):  # one build of the warehouse, one language, for the whole brief
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


@app.command("progress")
def progress_command(
    country: Annotated[str | None, typer.Option(help="ISO codes of the countries, e.g. FR or FR,BE (default: the "
                                                     "whole Mission)")] = None,
) -> None:
    """The Mission progress page's figures as text: the road, the gap and who is in its sums, the pace, the money."""
    from mission import progress
    from mission.words import tonnes

    with pinned():
        p = progress.of(progress.Scope.from_query({"country": country or ""}))
        g = p.gap
        lines = [f"Mission progress: {p.who}", "", progress.road_summary(p.road, p.scope, p.labelled, p.who), "",
                 progress.gap_summary(g, p.who), *progress.coverage_words(g), ""]
        lines += [f"  {s.label:<45} {s.tco2e:>16,.0f} t CO2e a year" for s in g.steps()]
        lines += ["", "Planned cuts that can be added up, by field of action:"]
        lines += [f"  {r['field_of_action']:<20} {r['planned_tco2e']:>14,.0f} t a year  {r['addable_actions']:>4} "
                  f"actions  {r['cities']:>3} cities" for r in p.by_field.iter_rows(named=True)]
        lines += ["", progress.pace_summary(p.pace, p.who)]
        lines += [f"  {r['sentence']}" + (f" [{r['caveats']}]" if r["caveats"] else "")
                  for r in p.pace.iter_rows(named=True)]
        lines += ["", progress.money_summary(p.published, p.costs, p.who),
                  f"Summed 2030 targets: {tonnes(g.target)} ({tonnes(g.target_own)} own, "
                  f"{tonnes(g.target_default)} Mission default)."]
    print("\n".join(lines))


def brief_main() -> None:
    """`python -m mission.briefs [options]`: the `brief` command on its own."""
    typer.main.get_command(app).main(args=["brief", *sys.argv[1:]], prog_name="python -m mission.briefs")
