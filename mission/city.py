"""A city as the dashboard knows it: where it is, its cohort, population, Mission Label, baseline and 2030 target,
whose target its pathway uses, and the pathway itself.

`City.from_row` is the one place that reads the columns of `queries.cities()`; everything else reads a `City`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

import i18n
from i18n import date, percent
from i18n import gettext as _
from mission.pathways import (
    TARGET_WORDS,
    ContractTarget,
    Point,
    Rate,
    Target,
    TargetOrigin,
    gap_to_line,
    rate_sentence,
    required_rate,
    resolve_target,
    straight_line,
)

Inventories = dict[tuple[int, str], float]  # a city's complete inventories: (year, kind) -> t CO2e


def day_words(day: dt.date) -> str:
    """A day in words, in the reader's language (`i18n.date`: '7 mai 2024'); English keeps the two-digit day the
    dashboard has always written ('07 May 2024')."""
    return f"{day:%d %B %Y}" if i18n.current() == i18n.DEFAULT else date(day)


@dataclass(frozen=True, kw_only=True)
class Population:
    """How many people live in the territory the city's figures cover, and where the number comes from."""

    value: int
    year: int | None
    kind: str | None  # reported | official_statistic
    method: str | None  # contract | override | gazetteer
    territory: str | None
    source_id: str | None
    ref: str | None


@dataclass(frozen=True, kw_only=True)
class Label:
    """The city's Mission Label: when the European Commission announced it, and in which wave."""

    date: dt.date
    precision: str  # day | month
    wave: int | None
    source_id: str | None

    def when(self) -> str:
        """'May 2024' where the source gives the month only, else '12 May 2024'."""
        return date(self.date, "month") if self.precision == "month" else day_words(self.date)


@dataclass(frozen=True, kw_only=True)
class City:
    """One city of the warehouse."""

    city_id: str
    name: str
    country_iso2: str
    country: str
    cohort: str  # mission | newcomer
    confidence: str | None
    lat: float | None
    lon: float | None
    population: Population | None
    label: Label | None
    baseline: Point | None  # one baseline, never a mix of kinds (the `city_baseline` view)
    contract_target: ContractTarget | None

    @classmethod
    def from_row(cls, row: dict) -> City:
        """The city of one `queries.cities()` row."""
        population = Population(
            value=row["population"], year=row["population_year"], kind=row["population_kind"],
            method=row["population_method"], territory=row["population_territory"],
            source_id=row["population_source"], ref=row["population_ref"]) if row["population"] else None
        label = Label(date=row["label_date"], precision=row["date_precision"], wave=row["wave"],
                      source_id=row["label_source"]) if row["label_date"] is not None else None
        baseline = Point(row["baseline_year"], row["baseline_tco2e"], row["baseline_kind"],
                         row["baseline_source"]) if row["baseline_tco2e"] is not None else None
        target = ContractTarget(
            year=row["target_year"], reduction_pct=row["reduction_pct"], target_type=row["target_type"],
            reference_year=row["reference_year"], reference_kind=row["reference_kind"],
            residual_tco2e=row["residual_tco2e"], residual_pct=row["residual_pct"], source_id=row["target_source"],
            ref=row["target_ref"], note=row["target_note"]) if row["target_year"] is not None else None
        return cls(city_id=row["city_id"], name=row["name"], country_iso2=row["country_iso2"],
                   country=row["country"], cohort=row["cohort"], confidence=row["confidence"], lat=row["lat"],
                   lon=row["lon"], population=population, label=label, baseline=baseline, contract_target=target)

    @property
    def has_baseline(self) -> bool:
        return self.baseline is not None

    @property
    def is_newcomer(self) -> bool:
        return self.cohort == "newcomer"

    @property
    def stage(self) -> str:
        """vocab.STAGE: labelled, in_review (a Mission City without the label yet) or newcomer."""
        if self.is_newcomer:
            return "newcomer"
        return "labelled" if self.label is not None else "in_review"

    @property
    def target_origin(self) -> TargetOrigin:
        """Whose 2030 target the city's pathway uses: its contract's; else, for a Mission City, the Mission's
        default; for a newcomer (no contract, so no target) the Mission's default only to compare."""
        if self.contract_target is not None:
            return "own"
        return "comparison" if self.is_newcomer else "mission_default"

    def target_badge(self) -> str:
        """The badge naming whose target the page uses ('target: none' where nothing is drawn at all)."""
        if self.target_origin == "comparison" and not self.has_baseline:
            return _("target: none")
        return _(TARGET_WORDS[self.target_origin].badge)

    def target(self, inventories: Inventories) -> Target:
        """The city's 2030 target in tonnes (it needs a baseline), from its complete inventories."""
        if self.baseline is None:
            raise ValueError(f"{self.name} has no baseline: no target in tonnes")
        return resolve_target(self.baseline, self.contract_target, inventories,
                              default="comparison" if self.is_newcomer else "mission_default")


def with_partial(totals: pl.DataFrame) -> pl.DataFrame:
    """`queries.city_totals()` plus `partial`: an inventory without a grand total that covers fewer sectors than
    the city's most detailed inventory of the same kind (e.g. a later year that only updates one sector).
    A partial inventory is drawn but never used as the starting point of the required cut, nor for grade A."""
    most = pl.col("sectors").max().over("city_id", "kind")
    return totals.with_columns(((pl.col("method") != "grand_total") & (pl.col("sectors") < most)).alias("partial"))


def inventories_by_city(totals: pl.DataFrame) -> dict[str, Inventories]:
    """Each city's complete inventories, (year, kind) -> tonnes, from `queries.city_totals()` rows."""
    out: dict[str, Inventories] = {}
    for row in with_partial(totals).filter(~pl.col("partial")).iter_rows(named=True):
        out.setdefault(row["city_id"], {})[(row["year"], row["kind"])] = row["tco2e"]
    return out


def latest_point(baseline: Point, inventories: Inventories) -> Point:
    """The most recent total of the baseline's kind: where the required cut starts from."""
    years = [year for (year, kind) in inventories if kind == baseline.kind and year >= baseline.year]
    year = max(years, default=baseline.year)
    return Point(year, inventories.get((year, baseline.kind), baseline.tco2e), baseline.kind)


@dataclass(frozen=True)
class Pathway:
    """Everything the pathway chart and its sentence need."""

    points: list[Point]
    baseline: Point
    target: Target
    line: list[tuple[int, float]]
    rate: Rate | None
    sentence: str
    position: str


def pathway(city: City, totals: pl.DataFrame) -> Pathway | None:
    """The pathway of a city from its `city_total` rows (`queries.city_totals()`); None without a baseline."""
    if city.baseline is None:
        return None
    mine = with_partial(totals.filter(pl.col("city_id") == city.city_id))
    points = [Point(r["year"], r["tco2e"], r["kind"], r["source_id"], r["partial"]) for r in mine.iter_rows(named=True)]
    inventories = {(p.year, p.kind): p.tco2e for p in points if not p.partial}
    target = city.target(inventories)
    line = straight_line(city.baseline, target)
    start = latest_point(city.baseline, inventories)
    rate = required_rate(start, target)
    position = ""
    gap = gap_to_line(start, line) if start.year != city.baseline.year else None
    if gap is not None:
        words = (_("Its {year} inventory lies {pct} above the straight line from the {baseline_year} baseline to the "
                   "target.") if gap > 0 else
                 _("Its {year} inventory lies {pct} below the straight line from the {baseline_year} baseline to the "
                   "target."))
        position = words.format(year=start.year, pct=percent(abs(gap) * 100), baseline_year=city.baseline.year)
    return Pathway(points, city.baseline, target, line, rate, rate_sentence(city.name, rate, target), position)
