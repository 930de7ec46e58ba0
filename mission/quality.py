"""Can we trust this number? A city's totals from several sources side by side, and a data quality grade.

Rules (also shown on the data quality page):

- **Comparison.** A total a city reported elsewhere (CDP-ICLEI) is set beside the mission data's total of the same
  year; failing that, the nearest complete inventory at most `MAX_YEAR_GAP` years away (the gap is shown). A city
  whose mission data hold only a modelled estimate is compared with that estimate whatever the years, marked as
  modelled. The difference is (elsewhere - mission) / mission. It is flagged when it exceeds
  `DIFFERENCE_THRESHOLD_PCT` either way.
- **Which figure elsewhere.** The GPC BASIC total where given; else direct + grid-supplied energy emissions (scope
  1 + 2 without the generation of grid energy); else the TOTAL scope 1 and scope 2 figures added (which count any
  power generated inside the city twice); else the BASIC+ total. A report with only one scope is listed, not
  compared.
- **Grade** (first rule that applies):
  A: the city reported an inventory in its contract (the mission data) from `RECENT_FROM` or later, split into at
  least two sectors and complete (not a partial update);
  B: it reported an inventory in its contract, but none that recent, split and complete;
  C: no reported inventory in its contract, but a figure reported elsewhere (CDP-ICLEI) or an official statistic;
  D: a modelled estimate only.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import polars as pl

import vocab
from i18n import N_, number, percent
from i18n import gettext as _
from mission import queries
from mission.city import with_partial
from mission.db import cached
from mission.words import count, tonnes

# Differences beyond 20% either way are flagged. Our choice, not a standard: re-estimating one city's inventory
# with another tool or an updated emission factor typically moves it by a few percent to around a tenth, so a
# fifth or more points at a different boundary, scope coverage or an error rather than at method detail.
DIFFERENCE_THRESHOLD_PCT = 20.0
MAX_YEAR_GAP = 2
_THRESHOLD = N_("Differences beyond {threshold} either way are flagged (the dashboard's choice): re-estimating one "
                "inventory with other tools or factors moves it by a few percent to about a tenth; a fifth or more "
                "points at another boundary, other scopes or an error.")
CAVEAT = N_("Totals reported to CDP-ICLEI are self-reported by the cities and not verified; boundaries, years and "
            "methods differ from the contracts'.")  # translated where it is shown: _(CAVEAT)
# An inventory from 2015 (the Paris Agreement) or later counts as recent: older ones predate most city climate plans.
RECENT_FROM = 2015
MIN_SECTORS = 2

_GRADES = {
    "A": N_("reported by the city in its contract: a complete inventory from {year} or later, split into sectors"),
    "B": N_("reported by the city in its contract, but not a complete sector split from {year} or later"),
    "C": N_("no inventory in the city's contract; a figure reported elsewhere (CDP-ICLEI) or an official statistic"),
    "D": N_("modelled estimate only (population x national emissions per person)"),
}
# In English; `grade_words()` says them in the reader's language.
GRADES = {grade: words.format(year=RECENT_FROM) for grade, words in _GRADES.items()}

# Which independently reported figure stands for the city's total, in order of preference (words marked for
# translation: `comparable` translates them).
FIGURES = (("basic", N_("GPC BASIC total")),
           ("1+2", N_("direct + grid-supplied energy emissions (scope 1 + 2, local power generation left out)")),
           ("1,2", N_("TOTAL scope 1 + TOTAL scope 2 (counts power generated inside the city twice)")),
           ("basic+", N_("GPC BASIC+ total (adds industrial processes, land use and transboundary transport)")))


def threshold_words() -> str:
    """The threshold rule (`_THRESHOLD`) in the reader's language."""
    return _(_THRESHOLD).format(threshold=percent(DIFFERENCE_THRESHOLD_PCT))


def grade_words() -> dict[str, str]:
    """GRADES in the reader's language: what each grade means."""
    return {grade: _(words).format(year=RECENT_FROM) for grade, words in _GRADES.items()}


@dataclass(frozen=True)
class Grade:
    grade: str | None  # A-D, None without any emissions figure
    reason: str


def grade(totals: pl.DataFrame, reported_elsewhere: bool) -> Grade:
    """The grade of one city from its mission-data totals (`with_partial` rows) and whether it reported a total
    elsewhere."""
    reported = totals.filter(pl.col("kind") == "reported")
    good = reported.filter(~pl.col("partial") & (pl.col("sectors") >= MIN_SECTORS) & (pl.col("year") >= RECENT_FROM))
    words = grade_words()
    if good.height:
        best = good.sort("year").row(-1, named=True)
        return Grade("A", _("{grade} ({year}, {sectors} sectors)").format(grade=words["A"], year=best["year"],
                                                                          sectors=number(best["sectors"])))
    if reported.height:
        latest = reported.sort("year").row(-1, named=True)
        why = (_("before {year}").format(year=RECENT_FROM) if latest["year"] < RECENT_FROM
               else _("a partial update") if latest["partial"] else _("no sector split"))
        return Grade("B", _("{grade} (latest {year}: {why})").format(grade=words["B"], year=latest["year"], why=why))
    official = totals.filter(pl.col("kind") == "official_statistic").height > 0
    if official and reported_elsewhere:
        return Grade("C", _("no inventory in the city's contract; an official statistic and a total reported to "
                            "CDP-ICLEI"))
    if official:
        return Grade("C", _("no inventory in the city's contract; an official statistic"))
    if reported_elsewhere:
        return Grade("C", _("no inventory in the city's contract; a total reported to CDP-ICLEI"))
    if totals.filter(pl.col("kind") == "modelled_estimate").height:
        return Grade("D", words["D"])
    return Grade(None, _("no emissions figure in the warehouse"))


def grades_of(totals: pl.DataFrame, elsewhere: pl.DataFrame, city_ids: list[str]) -> pl.DataFrame:
    """city_id, grade, grade_reason for every city of `city_ids`."""
    marked = with_partial(totals)
    by_city = marked.partition_by("city_id", as_dict=True)
    others = set(elsewhere["city_id"].to_list())
    rows = []
    for city_id in city_ids:
        g = grade(by_city.get((city_id,), marked.clear()), city_id in others)
        rows.append({"city_id": city_id, "grade": g.grade, "grade_reason": g.reason})
    return pl.DataFrame(rows, schema={"city_id": pl.String, "grade": pl.String, "grade_reason": pl.String})


@cached
def grades(path: Path | None = None) -> pl.DataFrame:
    """`grades_of` every city in the warehouse (once per warehouse version)."""
    cities = queries.cities(path=path)
    return grades_of(queries.city_totals(path=path), queries.reported_elsewhere(path=path),
                     cities["city_id"].to_list())


def grade_of(city_id: str, path: Path | None = None) -> Grade:
    """The grade of one city (Grade(None, ...) for an id the warehouse does not know)."""
    row = grades(path=path).filter(pl.col("city_id") == city_id)
    return Grade(row["grade"][0], row["grade_reason"][0]) if row.height else Grade(None, _("unknown city"))


def comparable(rows: list[dict]) -> tuple[float, str] | None:
    """The figure that stands for the total of one report elsewhere (its rows: scope, tco2e), and what it is (in the
    reader's language)."""
    by_scope = {r["scope"]: r["tco2e"] for r in rows}
    for scope, words in FIGURES:
        if scope in by_scope:
            return by_scope[scope], _(words)
        if scope == "1,2" and "1" in by_scope and "2" in by_scope:
            return by_scope["1"] + by_scope["2"], _(words)
    return None


def _mission_match(year: int, mine: list[dict]) -> tuple[dict | None, str]:
    """The mission-data total to compare a report of `year` with, and a note on how it was chosen."""
    reported = [r for r in mine if r["kind"] in vocab.KIND.codes("usable_inventory") and not r["partial"]]
    near = sorted((r for r in reported if abs(r["year"] - year) <= MAX_YEAR_GAP),
                  key=lambda r: (abs(r["year"] - year), -r["year"], r["kind"]))
    if near:
        gap = abs(near[0]["year"] - year)
        return near[0], "" if gap == 0 else _("years differ by {gap}: the difference includes {gap} year(s) of "
                                              "change").format(gap=number(gap))
    if reported:
        years = ", ".join(str(y) for y in sorted({r["year"] for r in reported}))
        return None, _("no complete inventory within {gap} years in the mission data (it has {years})").format(
            gap=number(MAX_YEAR_GAP), years=years)
    modelled = sorted((r for r in mine if r["kind"] == "modelled_estimate"), key=lambda r: abs(r["year"] - year))
    if modelled:
        return modelled[0], _("compared with the dashboard's modelled estimate: the contract gives no inventory")
    return None, _("no total in the mission data")


COLUMNS = {
    "city_id": pl.String, "city": pl.String, "country_iso2": pl.String, "year": pl.Int32,
    "elsewhere_tco2e": pl.Float64, "elsewhere_figure": pl.String, "elsewhere_source": pl.String,
    "elsewhere_ref": pl.String, "boundary": pl.String, "protocol": pl.String, "gases": pl.String,
    "elsewhere_population": pl.Int64, "elsewhere_flags": pl.String,
    "mission_year": pl.Int32, "mission_tco2e": pl.Float64, "mission_kind": pl.String, "mission_method": pl.String,
    "mission_sectors": pl.Int32, "mission_source": pl.String, "mission_territory": pl.String,
    "mission_population": pl.Int64, "year_gap": pl.Int32, "difference_pct": pl.Float64, "disagrees": pl.Boolean,
    "note": pl.String,
}


def compare(cities: pl.DataFrame, totals: pl.DataFrame, elsewhere: pl.DataFrame) -> pl.DataFrame:
    """One row per city, year and report elsewhere: both totals with their boundaries and methods, the relative
    difference and whether it exceeds the threshold (COLUMNS)."""
    marked = with_partial(totals).to_dicts()
    by_city: dict[str, list[dict]] = {}
    for r in marked:
        by_city.setdefault(r["city_id"], []).append(r)
    info = {r["city_id"]: r for r in cities.iter_rows(named=True)}
    reports: dict[tuple[str, int, str], list[dict]] = {}
    for r in elsewhere.iter_rows(named=True):
        reports.setdefault((r["city_id"], r["year"], r["source_id"]), []).append(r)
    out = []
    for (city_id, year, source_id), rows in sorted(reports.items()):
        city, first = info.get(city_id), rows[0]
        if city is None:
            continue
        figure = comparable(rows)
        mission, note = _mission_match(year, by_city.get(city_id, []))
        row = {"city_id": city_id, "city": city["name"], "country_iso2": city["country_iso2"], "year": year,
               "elsewhere_tco2e": figure[0] if figure else None, "elsewhere_figure": figure[1] if figure else
               _("only {scopes}").format(scopes=functools.reduce(
                   lambda a, b: _("{first} and {second}").format(first=a, second=b),
                   [_("scope {scope}").format(scope=r["scope"]) for r in rows])), "elsewhere_source": source_id,
               "elsewhere_ref": first["ref"], "boundary": first["boundary"], "protocol": first["protocol"],
               "gases": first["gases"], "elsewhere_population": first["population"],
               "elsewhere_flags": first["flags"], "mission_territory": city["population_territory"],
               "mission_population": city["population"]}
        if mission is not None:
            row.update(mission_year=mission["year"], mission_tco2e=mission["tco2e"], mission_kind=mission["kind"],
                       mission_method=mission["method"], mission_sectors=mission["sectors"],
                       mission_source=mission["source_id"], year_gap=year - mission["year"])
            if figure and mission["tco2e"] > 0:
                diff = (figure[0] - mission["tco2e"]) / mission["tco2e"] * 100
                row.update(difference_pct=diff, disagrees=abs(diff) > DIFFERENCE_THRESHOLD_PCT)
        if not figure:
            note = "; ".join(x for x in (_("one scope only: not a total"), note) if x)
        row["note"] = note or None
        out.append(row)
    return pl.DataFrame(out, schema=COLUMNS)


@cached
def comparisons(path: Path | None = None) -> pl.DataFrame:
    """`compare` for every city of the warehouse (once per warehouse version)."""
    return compare(queries.cities(path=path), queries.city_totals(path=path), queries.reported_elsewhere(path=path))


def difference_words(row: dict) -> str:
    """'+12% (within 20%)', '-45% (differs by more than 20%)' or 'not compared'."""
    if row["difference_pct"] is None:
        return _("not compared")
    difference = f"{row['difference_pct']:+.0f}"[0] + percent(abs(row["difference_pct"]))
    verdict = (_("{difference} (differs by more than {threshold})") if row["disagrees"]
               else _("{difference} (within {threshold})"))
    return verdict.format(difference=difference, threshold=percent(DIFFERENCE_THRESHOLD_PCT))


def summary(frame: pl.DataFrame, name: str | None = None) -> str:
    """One sentence on the comparisons shown (of one city when `name` is given)."""
    if not frame.height:
        return (_("No total reported elsewhere is loaded for {city}.").format(city=name) if name else
                _("No total reported elsewhere is loaded for the cities shown."))
    compared = frame.filter(pl.col("difference_pct").is_not_null())
    flagged = compared.filter(pl.col("disagrees"))
    values = {"totals": count(frame.height, "{n} total", "{n} totals"), "city": name,
              "compared": number(compared.height), "flagged": number(flagged.height),
              "threshold": percent(DIFFERENCE_THRESHOLD_PCT)}
    if not name:
        return _("{totals} reported elsewhere (CDP-ICLEI) for the cities shown: {compared} compared with the mission "
                 "data, {flagged} of them differ by more than {threshold}.").format(**values)
    head = _("{totals} reported elsewhere (CDP-ICLEI) for {city}: {compared} compared with the mission data, "
             "{flagged} of them differ by more than {threshold}.").format(**values)
    if compared.height:
        r = compared.sort("year").row(-1, named=True)
        head += " " + _("Latest: {year}, {elsewhere} reported to CDP against {mission} ({mission_year}, "
                        "{kind}).").format(
            year=r["year"], elsewhere=tonnes(r["elsewhere_tco2e"]), mission=tonnes(r["mission_tco2e"]),
            mission_year=r["mission_year"], kind=vocab.KIND.label(r["mission_kind"]))
    return head
