"""What a city must cut by 2030: its target in tonnes, the straight-line pathway and the required annual rate."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

MISSION_TARGET_YEAR = 2030
# The Mission's definition of climate neutrality as the contracts state it: at least 80% below the
# baseline by 2030, the residual compensated (e.g. Aachen CCC line 107, Dublin CCC line 2027, Helsinki
# CCC line 109). Used only where a city's contract gives no 2030 target in the warehouse.
MISSION_DEFAULT_REDUCTION_PCT = 80.0


@dataclass(frozen=True)
class Point:
    """One total: a year, its emissions and what kind of figure it is."""

    year: int
    tco2e: float
    kind: str
    source_id: str | None = None
    partial: bool = False


# Whose 2030 target a pathway uses: the city's own (its contract's), the Mission's default (a Mission City whose
# contract gives none in the warehouse), or the Mission's default drawn only to compare (a newcomer city: no
# contract, so no target).
TargetOrigin = Literal["own", "mission_default", "comparison"]


@dataclass(frozen=True)
class TargetWords:
    """How each place names a target of one origin ({year}: the target year)."""

    badge: str  # the city page's badge
    legend: str  # the pathway chart's legend
    label: str  # annotations and waterfall steps
    series: str  # the exported pathway's row
    brief: str  # the brief's facts table
    aim: str  # sentences: "To reach {aim} of 200 t CO2e in 2030, ..."


TARGET_WORDS: dict[TargetOrigin, TargetWords] = {
    "own": TargetWords(badge="target: the city's own", legend="{year} target (city's own target)",
                       label="{year} target (own)", series="{year} target", brief="the city's own", aim="its target"),
    "mission_default": TargetWords(
        badge="target: Mission default", legend="{year} target (Mission default target)",
        label="{year} target (Mission default)", series="{year} target",
        brief=f"Mission default: {MISSION_DEFAULT_REDUCTION_PCT:.0f}% cut",
        aim="the Mission's default target"),
    "comparison": TargetWords(
        badge="target: none (Mission default shown for comparison)",
        legend="{year}: Mission default, for comparison only (no target)",
        label="{year}: Mission default (for comparison only)", series="{year}: Mission default (for comparison only)",
        brief=f"none: the Mission's default {MISSION_DEFAULT_REDUCTION_PCT:.0f}% cut, for comparison only",
        aim="the Mission's default (for comparison only)"),
}


@dataclass(frozen=True, kw_only=True)
class ContractTarget:
    """The 2030 target a city's contract states, as the warehouse holds it (the `target` table)."""

    year: int
    reduction_pct: float | None = None
    target_type: str | None = None
    reference_year: int | None = None
    reference_kind: str | None = None
    residual_tco2e: float | None = None
    residual_pct: float | None = None
    source_id: str | None = None
    ref: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Target:
    """Net emissions a city aims for in its target year, whose target it is, and how that figure was derived."""

    year: int
    tco2e: float | None
    origin: TargetOrigin
    basis: str
    source_id: str | None = None
    ref: str | None = None

    @property
    def own(self) -> bool:
        return self.origin == "own"

    @property
    def words(self) -> TargetWords:
        return TARGET_WORDS[self.origin]

    @property
    def legend(self) -> str:
        return self.words.legend.format(year=self.year)

    @property
    def label(self) -> str:
        return self.words.label.format(year=self.year)

    @property
    def series(self) -> str:
        return self.words.series.format(year=self.year)


@dataclass(frozen=True)
class Rate:
    """The cut a city needs each year from its latest inventory to its target."""

    start: Point
    target: Target
    compound_pct: float | None
    tonnes_per_year: float | None

    @property
    def years(self) -> int:
        return self.target.year - self.start.year


def _reference(row: ContractTarget, baseline: Point,
               totals: dict[tuple[int, str], float]) -> tuple[float | None, str]:
    """The emissions a reduction_pct is measured against, and in words what they are."""
    kind, year = row.reference_kind, row.reference_year
    if kind == "bau_2030":
        bau = totals.get((row.year, "projected_bau"))
        if bau is None:
            return None, f"the contract's business-as-usual projection for {row.year}, not in the warehouse"
        return bau, f"the {row.year} business-as-usual projection ({bau:,.0f} t)"
    if kind == "inventory_year" and year is not None:
        if year == baseline.year:
            return baseline.tco2e, f"the {year} baseline"
        reported = totals.get((year, "reported"))
        if reported is None:
            return None, f"the {year} inventory, not in the warehouse"
        return reported, f"the {year} inventory ({reported:,.0f} t)"
    return baseline.tco2e, f"the {baseline.year} baseline (the contract does not name its reference: assumed)"


def resolve_target(baseline: Point, row: ContractTarget | None, totals: dict[tuple[int, str], float] | None = None,
                   default: TargetOrigin = "mission_default") -> Target:
    """The net emissions a city aims for, in tonnes.

    `row` is the city's contract target (None when the contract gives none); `totals` maps (year, kind) to the
    city's totals, for targets measured against another year or a business-as-usual projection. The order:
    residual emissions the contract states; else its reduction against its reference; else its residual share;
    else net zero for a climate-neutrality target; else the Mission's default (80% below the baseline), whose
    origin is `default` ("comparison" for a city that has no contract, so no target)."""
    totals = totals or {}
    if row is None:
        value = baseline.tco2e * (1 - MISSION_DEFAULT_REDUCTION_PCT / 100)
        basis = (f"the Mission's {MISSION_DEFAULT_REDUCTION_PCT:.0f}% cut from the {baseline.year} baseline; the "
                 "warehouse has no 2030 target of the city's own")
        if default == "comparison":
            basis += (": a newcomer city has no Climate City Contract, so the Mission's default is shown for "
                      "comparison only")
        return Target(MISSION_TARGET_YEAR, value, origin=default, basis=basis)
    year, source, ref = row.year, row.source_id, row.ref

    def own(value: float | None, basis: str) -> Target:
        return Target(year, value, origin="own", basis=basis, source_id=source, ref=ref)

    if row.residual_tco2e is not None:
        return own(row.residual_tco2e, f"the residual emissions the contract states for {year}")
    pct = row.reduction_pct
    if pct is not None:
        reference, words = _reference(row, baseline, totals)
        if reference is None:
            return own(None, f"{pct:g}% below {words}")
        return own(reference * (1 - pct / 100), f"{pct:g}% below {words}")
    share = row.residual_pct
    if share is not None and 0 <= share <= 100:
        reference, words = _reference(row, baseline, totals)
        value = None if reference is None else reference * share / 100
        return own(value, f"a residual of {share:g}% of {words}")
    if row.target_type in {"climate_neutrality", "net_positive"}:
        return own(0.0, f"climate neutrality (net zero) in {year}; the contract states no residual emissions")
    return own(None, "the contract's target could not be turned into tonnes")


def straight_line(baseline: Point, target: Target) -> list[tuple[int, float]]:
    """The required trajectory: a straight line from the baseline to the target, one point per year."""
    if target.tco2e is None or target.year <= baseline.year:
        return []
    step = (target.tco2e - baseline.tco2e) / (target.year - baseline.year)
    return [(year, baseline.tco2e + step * (year - baseline.year)) for year in range(baseline.year, target.year + 1)]


def required_rate(start: Point, target: Target) -> Rate | None:
    """The cut needed each year from `start` (the latest inventory) to the target.

    compound_pct: the constant percentage cut per year, 1 - (target / start) ** (1 / years), in %; None when the
    target is zero or negative (no constant percentage reaches it). tonnes_per_year: the straight-line cut.
    A negative value means the city is already below its target. None when there is no target in tonnes or the
    start is not before the target year."""
    if target.tco2e is None or start.year >= target.year or start.tco2e <= 0:
        return None
    years = target.year - start.year
    compound = None
    if target.tco2e > 0:
        compound = (1 - math.pow(target.tco2e / start.tco2e, 1 / years)) * 100
    return Rate(start, target, compound, (start.tco2e - target.tco2e) / years)


def gap_to_line(point: Point, line: list[tuple[int, float]]) -> float | None:
    """How far an inventory lies above (+) or below (-) the straight line in its year, as a share of the line."""
    value = dict(line).get(point.year)
    if value is None or value <= 0:
        return None
    return (point.tco2e - value) / value


def rate_sentence(city: str, rate: Rate | None, target: Target) -> str:
    """The required reduction in one sentence, for the page, alt text and exports."""
    if target.tco2e is None:
        return f"{city}'s target cannot be expressed in tonnes from the warehouse: {target.basis}."
    if rate is None:
        return f"{city} has no inventory before {target.year} to measure the required cut from."
    start = rate.start
    kind = "modelled estimate" if start.kind == "modelled_estimate" else "inventory"
    goal = f"{target.tco2e:,.0f} t CO2e in {target.year}"
    basis = f" The target is {target.basis}."
    aim = target.words.aim
    if rate.tonnes_per_year is not None and rate.tonnes_per_year <= 0:
        return (f"{city}'s {start.year} {kind} ({start.tco2e:,.0f} t CO2e) is already at or below {aim} of "
                f"{goal}.{basis}")
    cut = f"{rate.tonnes_per_year:,.0f} t CO2e" if rate.compound_pct is None else f"{rate.compound_pct:.1f}%"
    return (f"To reach {aim} of {goal}, {city} must cut about {cut} a year from its {start.year} {kind} "
            f"of {start.tco2e:,.0f} t CO2e.{basis}")
