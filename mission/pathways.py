"""What a city must cut by 2030: its target in tonnes, the straight-line pathway and the required annual rate."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from i18n import N_, number, percent
from i18n import gettext as _

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
    """How each place names a target of one origin ({year}: the target year; {pct}: the Mission's default cut). Marked
    for translation (N_): each place translates its words where it shows them (`Target.legend`, `_(words.badge)`)."""

    badge: str  # the city page's badge
    legend: str  # the pathway chart's legend
    label: str  # annotations and waterfall steps
    series: str  # the exported pathway's row
    brief: str  # the brief's facts table
    aim: str  # sentences: "To reach {aim} of 200 t CO2e in 2030, ..."


TARGET_WORDS: dict[TargetOrigin, TargetWords] = {
    "own": TargetWords(badge=N_("target: the city's own"), legend=N_("{year} target (city's own target)"),
                       label=N_("{year} target (own)"), series=N_("{year} target"), brief=N_("the city's own"),
                       aim=N_("its target")),
    "mission_default": TargetWords(
        badge=N_("target: Mission default"), legend=N_("{year} target (Mission default target)"),
        label=N_("{year} target (Mission default)"), series=N_("{year} target"),
        brief=N_("Mission default: {pct} cut"),
        aim=N_("the Mission's default target")),
    "comparison": TargetWords(
        badge=N_("target: none (Mission default shown for comparison)"),
        legend=N_("{year}: Mission default, for comparison only (no target)"),
        label=N_("{year}: Mission default (for comparison only)"),
        series=N_("{year}: Mission default (for comparison only)"),
        brief=N_("none: the Mission's default {pct} cut, for comparison only"),
        aim=N_("the Mission's default (for comparison only)")),
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
        return _(self.words.legend).format(year=self.year)

    @property
    def label(self) -> str:
        return _(self.words.label).format(year=self.year)

    @property
    def series(self) -> str:
        return _(self.words.series).format(year=self.year)


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


# How a contract's target is measured, in words: "{pct} below <its reference>" or "a residual of {share} of <its
# reference>", one whole message per reference (what `_reference` found).
BELOW = {
    "bau_missing": N_("{pct} below the contract's business-as-usual projection for {year}, not in the warehouse"),
    "bau": N_("{pct} below the {year} business-as-usual projection ({value} t)"),
    "baseline": N_("{pct} below the {year} baseline"),
    "inventory_missing": N_("{pct} below the {year} inventory, not in the warehouse"),
    "inventory": N_("{pct} below the {year} inventory ({value} t)"),
    "assumed": N_("{pct} below the {year} baseline (the contract does not name its reference: assumed)"),
}
RESIDUAL = {
    "bau_missing": N_("a residual of {share} of the contract's business-as-usual projection for {year}, not in the "
                      "warehouse"),
    "bau": N_("a residual of {share} of the {year} business-as-usual projection ({value} t)"),
    "baseline": N_("a residual of {share} of the {year} baseline"),
    "inventory_missing": N_("a residual of {share} of the {year} inventory, not in the warehouse"),
    "inventory": N_("a residual of {share} of the {year} inventory ({value} t)"),
    "assumed": N_("a residual of {share} of the {year} baseline (the contract does not name its reference: "
                  "assumed)"),
}


def _reference(row: ContractTarget, baseline: Point,
               totals: dict[tuple[int, str], float]) -> tuple[float | None, str, dict]:
    """The emissions a reduction_pct is measured against, which reference it is (a key of BELOW and RESIDUAL) and
    the values its words name."""
    kind, year = row.reference_kind, row.reference_year
    if kind == "bau_2030":
        bau = totals.get((row.year, "projected_bau"))
        if bau is None:
            return None, "bau_missing", {"year": row.year}
        return bau, "bau", {"year": row.year, "value": number(bau)}
    if kind == "inventory_year" and year is not None:
        if year == baseline.year:
            return baseline.tco2e, "baseline", {"year": year}
        reported = totals.get((year, "reported"))
        if reported is None:
            return None, "inventory_missing", {"year": year}
        return reported, "inventory", {"year": year, "value": number(reported)}
    return baseline.tco2e, "assumed", {"year": baseline.year}


def _share(value: float) -> str:
    """A share as the contract states it, with the decimals it has (55 -> '55%', 52.5 -> '52.5%')."""
    text = f"{value:g}"
    return percent(value, len(text.partition(".")[2]) if "e" not in text else 0)


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
        if default == "comparison":
            basis = _("the Mission's {pct} cut from the {year} baseline; the warehouse has no 2030 target of the "
                      "city's own: a newcomer city has no Climate City Contract, so the Mission's default is shown "
                      "for comparison only")
        else:
            basis = _("the Mission's {pct} cut from the {year} baseline; the warehouse has no 2030 target of the "
                      "city's own")
        basis = basis.format(pct=percent(MISSION_DEFAULT_REDUCTION_PCT), year=baseline.year)
        return Target(MISSION_TARGET_YEAR, value, origin=default, basis=basis)
    year, source, ref = row.year, row.source_id, row.ref

    def own(value: float | None, basis: str) -> Target:
        return Target(year, value, origin="own", basis=basis, source_id=source, ref=ref)

    if row.residual_tco2e is not None:
        return own(row.residual_tco2e, _("the residual emissions the contract states for {year}").format(year=year))
    pct = row.reduction_pct
    if pct is not None:
        reference, which, values = _reference(row, baseline, totals)
        words = _(BELOW[which]).format(pct=_share(pct), **values)
        return own(None if reference is None else reference * (1 - pct / 100), words)
    share = row.residual_pct
    if share is not None and 0 <= share <= 100:
        reference, which, values = _reference(row, baseline, totals)
        value = None if reference is None else reference * share / 100
        return own(value, _(RESIDUAL[which]).format(share=_share(share), **values))
    if row.target_type in {"climate_neutrality", "net_positive"}:
        return own(0.0, _("climate neutrality (net zero) in {year}; the contract states no residual emissions")
                   .format(year=year))
    return own(None, _("the contract's target could not be turned into tonnes"))


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
        return _("{city}'s target cannot be expressed in tonnes from the warehouse: {basis}.").format(
            city=city, basis=target.basis)
    if rate is None:
        return _("{city} has no inventory before {year} to measure the required cut from.").format(
            city=city, year=target.year)
    start = rate.start
    modelled = start.kind == "modelled_estimate"
    values = {"city": city, "start_year": start.year, "start": number(start.tco2e), "aim": _(target.words.aim),
              "goal": number(target.tco2e), "year": target.year, "basis": target.basis}
    if rate.tonnes_per_year is not None and rate.tonnes_per_year <= 0:
        text = (_("{city}'s {start_year} modelled estimate ({start} t CO2e) is already at or below {aim} of {goal} t "
                  "CO2e in {year}. The target is {basis}.") if modelled else
                _("{city}'s {start_year} inventory ({start} t CO2e) is already at or below {aim} of {goal} t CO2e in "
                  "{year}. The target is {basis}."))
        return text.format(**values)
    if rate.compound_pct is None:
        cut = _("{value} t CO2e").format(value=number(rate.tonnes_per_year))
    else:
        cut = percent(rate.compound_pct, 1)
    text = (_("To reach {aim} of {goal} t CO2e in {year}, {city} must cut about {cut} a year from its {start_year} "
              "modelled estimate of {start} t CO2e. The target is {basis}.") if modelled else
            _("To reach {aim} of {goal} t CO2e in {year}, {city} must cut about {cut} a year from its {start_year} "
              "inventory of {start} t CO2e. The target is {basis}."))
    return text.format(cut=cut, **values)
