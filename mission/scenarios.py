"""Scenarios by ambition level: what 2030 emissions, the gap, cost and monetised co-benefits become when each field
of action delivers a share of its planned reduction (the Net Zero Planner's question, on contract data), for a city,
a country's Mission Cities or the whole Mission (its plans and baselines summed over the cities)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

import vocab
from i18n import N_, number, percent
from i18n import gettext as _
from mission import portfolio, progress, queries
from mission.city import City, inventories_by_city
from mission.db import cached
from mission.pathways import MISSION_DEFAULT_REDUCTION_PCT, MISSION_TARGET_YEAR, Point, Target
from mission.portfolio import DEFAULT_YEARS_OF_EFFECT

# Share of the planned reduction each field delivers, in %: the presets of the explorer.
PRESETS = {"low": 50, "planned": 100, "high": 150}
MAX_PCT, STEP_PCT = 150, 5
SCENARIO_KEYS = ("a", "b", "c")
DEFAULT_PRESETS = {"a": "planned", "b": "low", "c": "high"}
# Which sector's unit values apply to a field of action (data/cobenefit_values.csv is by sector); fields with
# no sector of their own use the values given for "all" sectors, if any.
FIELD_SECTOR = {t.code: t.group for t in vocab.FIELD if t.group}  # vocab.FIELD's group


@dataclass(frozen=True)
class Plan:
    """One field of a city's portfolio: its addable annual reduction and the summed cost of its actions."""

    field: str
    annual_tco2e: float
    cost_eur: float
    actions: int
    costed_actions: int
    # The part of the field that states both a cost and an addable reduction: what cost per tonne is made of.
    both_cost_eur: float = 0.0
    both_tco2e: float = 0.0
    cities: int = 1  # how many cities' addable reductions the field sums


def plan(actions: pl.DataFrame) -> list[Plan]:
    """The city's plan per field of action, from `portfolio.with_costs` rows of one city.

    The reduction counts only what the portfolio-vs-gap view adds up (an annual figure, not flagged as overlapping,
    implausible or larger than the baseline); the cost sums the stated costs of the field's actions, except those of
    actions whose note calls a figure implausible (shown on the portfolio page, never summed)."""
    counted, costed = portfolio.addable(), portfolio.cost_addable()
    both = counted & costed & (pl.col("cost_eur") > 0) & (pl.col("annual_tco2e") > 0)
    grouped = actions.group_by("field_of_action").agg(
        pl.col("annual_tco2e").filter(counted).sum().alias("annual_tco2e"),
        pl.col("cost_eur").filter(costed).sum().alias("cost_eur"), pl.len().alias("actions"),
        costed.sum().alias("costed_actions"),
        pl.col("cost_eur").filter(both).sum().alias("both_cost_eur"),
        pl.col("annual_tco2e").filter(both).sum().alias("both_tco2e"),
        pl.col("city_id").filter(counted).n_unique().alias("cities"))
    order = {f: i for i, f in enumerate(vocab.FIELD.labels())}
    rows = sorted(grouped.iter_rows(named=True), key=lambda r: order.get(r["field_of_action"], 99))
    return [Plan(r["field_of_action"], float(r["annual_tco2e"] or 0.0), float(r["cost_eur"] or 0.0), r["actions"],
                 r["costed_actions"], float(r["both_cost_eur"] or 0.0), float(r["both_tco2e"] or 0.0), r["cities"])
            for r in rows]


@dataclass(frozen=True)
class Scenario:
    """Ambition per field of action, in % of the planned reduction (0 to 150); fields not named deliver 100%."""

    ambition: dict[str, int] = field(default_factory=dict)

    def pct(self, field_of_action: str) -> int:
        return self.ambition.get(field_of_action, 100)

    @classmethod
    def preset(cls, name: str, fields: list[str]) -> Scenario:
        return cls({f: PRESETS[name] for f in fields})

    @classmethod
    def parse(cls, text: object) -> Scenario | None:
        """'mobility:120,energy_systems:80' or a preset name; None for anything else (never an error)."""
        if not isinstance(text, str) or not text:
            return None
        if text in PRESETS:
            return cls({f: PRESETS[text] for f in vocab.FIELD.labels()})
        ambition = {}
        for part in text.split(","):
            name, _, value = part.partition(":")
            if name in vocab.FIELD.labels() and value.isdigit():
                ambition[name] = min(int(value), MAX_PCT)
        return cls(ambition) if ambition else None

    def text(self, fields: list[str]) -> str:
        return ",".join(f"{f}:{self.pct(f)}" for f in fields)


@dataclass(frozen=True)
class Money:
    low: float | None
    central: float | None
    high: float | None


@dataclass(frozen=True)
class Result:
    """What a scenario gives in 2030."""

    reduction_tco2e: float
    emissions_2030: float
    gap_tco2e: float | None
    cost_eur: float
    cost_per_t: float | None
    cobenefits: Money
    valued_tco2e: float
    climate_damage_included: bool


def result(scenario: Scenario, plans: list[Plan], baseline: float, target: float | None, years_of_effect: int,
           values: pl.DataFrame | None = None) -> Result:
    """Emissions in 2030 = baseline - sum over fields of (ambition x planned annual reduction).

    Cost scales with the share delivered (ambition x the field's stated cost): an assumption, shown on the page.
    Cost per tonne is taken over the actions that state both a cost and a reduction: their scaled cost /
    (their scaled annual reduction x years of effect). Co-benefits = sum over fields of delivered
    reduction x the unit value (EUR per t CO2e) of the field's sector, low / central / high; `valued_tco2e` is the
    part of the reduction that has a unit value."""
    delivered = {p.field: scenario.pct(p.field) / 100 * p.annual_tco2e for p in plans}
    reduction = sum(delivered.values())
    cost = sum(scenario.pct(p.field) / 100 * p.cost_eur for p in plans)
    both_cost = sum(scenario.pct(p.field) / 100 * p.both_cost_eur for p in plans)
    both_tco2e = sum(scenario.pct(p.field) / 100 * p.both_tco2e for p in plans)
    emissions = baseline - reduction
    per_tonne = both_cost / (both_tco2e * years_of_effect) if both_tco2e > 0 and both_cost > 0 else None
    money, valued, climate = _monetise(delivered, values)
    return Result(reduction, emissions, None if target is None else emissions - target, cost, per_tonne, money,
                  valued, climate)


def unit_values(values: pl.DataFrame | None, field_of_action: str) -> pl.DataFrame | None:
    """The unit value rows (one per co-benefit) that apply to a field: its sector's, else those for all sectors."""
    if values is None or not values.height:
        return None
    sector = FIELD_SECTOR.get(field_of_action)
    own = values.filter(pl.col("sector") == sector) if sector else values.clear()
    rows = own if own.height else values.filter(pl.col("sector") == "all")
    return rows if rows.height else None


def _monetise(delivered: dict[str, float], values: pl.DataFrame | None) -> tuple[Money, float, bool]:
    totals = {"low": 0.0, "central": 0.0, "high": 0.0}
    seen = {"low": False, "central": False, "high": False}
    valued, climate = 0.0, False
    for field_of_action, tco2e in delivered.items():
        rows = unit_values(values, field_of_action)
        if rows is None or tco2e == 0:
            continue
        valued += tco2e
        climate = climate or bool(rows["includes_climate_damage"].any())
        for level in totals:
            column = rows[f"{level}_eur_per_tco2e"].drop_nulls()
            if column.len():
                totals[level] += tco2e * float(column.sum())
                seen[level] = True
    return Money(*(totals[k] if seen[k] else None for k in ("low", "central", "high"))), valued, climate


# Translated where it is shown: _(VALUES_METHOD).
VALUES_METHOD = N_("Monetised co-benefits = delivered reduction of each field (t CO2e a year) x the published value "
                   "per tonne for the field's sector (mobility: transport; built environment: buildings; energy "
                   "systems: energy supply; waste and circular economy: waste; industry; nature-based: land use), "
                   "summed over the co-benefits that have a value. Fields whose sector has no value use the values "
                   "given for all sectors, if any. Unit values are averages: a city's own mix of fuels and exposure "
                   "can differ a lot.")


def summary(city: str, results: dict[str, Result], grouped: bool = False) -> str:
    """One sentence comparing the scenarios (of a city, or of cities summed: `grouped`)."""
    parts = []
    for key, r in results.items():
        if r.gap_tco2e is None:
            part = _("scenario {key} leaves {emissions} t CO2e a year in 2030 (the gap to the target is unknown)")
        elif r.gap_tco2e > 0:
            part = (_("scenario {key} leaves {emissions} t CO2e a year in 2030 ({gap} t still to cut by the cities "
                      "above their targets)") if grouped else
                    _("scenario {key} leaves {emissions} t CO2e a year in 2030 ({gap} t above the target)"))
        else:
            part = (_("scenario {key} leaves {emissions} t CO2e a year in 2030 (every city's target is met)")
                    if grouped else
                    _("scenario {key} leaves {emissions} t CO2e a year in 2030 (the target is met)"))
        parts.append(part.format(key=key.upper(), emissions=number(r.emissions_2030),
                                 gap=number(r.gap_tco2e) if r.gap_tco2e is not None else ""))
    return _("For {city}, {scenarios}.").format(city=city, scenarios="; ".join(parts))


@dataclass(frozen=True)
class Comparison:
    """Up to three scenarios of a city, or of some Mission Cities summed (a country's, the Mission's), with what they
    are measured against."""

    subject: str  # the city's name, or "the Mission", or the countries' names
    key: dict[str, str]  # what reopens it: {"city": id}, {"country": "FR"} or {} (the whole Mission)
    city: City | None  # the city, when it is one
    plans: list[Plan]
    baseline: Point
    target: Target
    scenarios: dict[str, Scenario]
    results: dict[str, Result]
    unit_values: pl.DataFrame
    baseline_label: str  # "baseline 2019", "summed baselines (1990–2022)"
    cities: tuple[str, ...] = ()  # a group's cities (names), in the sums
    source_ids: tuple[str, ...] = ()  # the baselines' and targets' documents

    def query(self) -> dict[str, str]:
        fields = [p.field for p in self.plans]
        return {**self.key, **{k: s.text(fields) for k, s in self.scenarios.items()}}

    @property
    def grouped(self) -> bool:
        return self.city is None


def city_plan(city_id: str, path: Path | None = None) -> tuple[City, list[Plan]] | None:
    """The city and its plan per field, or None when it has no baseline or no actions."""
    city = queries.city(city_id, path=path)
    if city is None or not city.has_baseline:
        return None
    actions = portfolio.all_actions(DEFAULT_YEARS_OF_EFFECT, True, path=path).filter(pl.col("city_id") == city_id)
    plans = plan(actions)
    return (city, plans) if plans else None


def _chosen(chosen: dict[str, Scenario | None], plans: list[Plan]) -> dict[str, Scenario]:
    fields = [p.field for p in plans]
    return {k: chosen.get(k) or Scenario.preset(DEFAULT_PRESETS[k], fields) for k in SCENARIO_KEYS}


def compare(city_id: str, chosen: dict[str, Scenario | None], path: Path | None = None) -> Comparison | None:
    """The scenarios' results for a city (None when it has no baseline or no actions); scenarios not given take
    their default preset."""
    found = city_plan(city_id, path=path)
    if found is None:
        return None
    city, plans = found
    chosen = _chosen(chosen, plans)
    baseline = city.baseline
    target = city.target(inventories_by_city(queries.city_totals(path=path)).get(city.city_id, {}))
    values = queries.cobenefit_values(path=path)
    results = {k: result(s, plans, baseline.tco2e, target.tco2e, DEFAULT_YEARS_OF_EFFECT, values)
               for k, s in chosen.items()}
    return Comparison(city.name, {"city": city.city_id}, city, plans, baseline, target, chosen, results, values,
                      _("baseline {year}").format(year=baseline.year),
                      source_ids=tuple(sorted({s for s in (baseline.source_id, target.source_id) if s})))


@dataclass(frozen=True)
class Group:
    """The Mission Cities a group scenario sums (those in the gap's sums: a baseline and a 2030 target in tonnes),
    their plans per field summed, their summed baseline and summed target."""

    scope: progress.Scope
    who: str
    cities: pl.DataFrame  # progress.city_gaps rows in the sums
    city_fields: pl.DataFrame  # city_id, field_of_action, annual_tco2e: each city's addable reduction per field
    plans: list[Plan]
    baseline: Point
    target: Target
    baseline_label: str


@cached
def group_plan(scope: progress.Scope, path: Path | None = None) -> Group | None:
    """The summed plan of the scope's Mission Cities in the gap's sums; None when there is none."""
    p = progress.of(scope, path=path)
    rows = p.gap.in_sums
    if not rows.height:
        return None
    actions = portfolio.all_actions(DEFAULT_YEARS_OF_EFFECT, True, path=path).filter(
        pl.col("city_id").is_in(rows["city_id"].implode()))
    plans = plan(actions)
    city_fields = actions.filter(portfolio.addable()).group_by("city_id", "field_of_action").agg(
        pl.col("annual_tco2e").sum())
    g = p.gap
    years = g.baseline_years
    kind = "modelled_estimate" if g.baseline_reported == 0 else "reported"
    baseline = Point(years[1], g.baseline, kind)
    own = "own" if g.target_default == 0 else "mission_default"
    target = Target(MISSION_TARGET_YEAR, g.target, own, _(
        "the sum of {cities} cities' 2030 targets: {own} t their own, {default} t the Mission's default ({pct} cut) "
        "where a contract gives none").format(cities=number(rows.height), own=number(g.target_own),
                                              default=number(g.target_default),
                                              pct=percent(MISSION_DEFAULT_REDUCTION_PCT)))
    label = (_("summed baselines ({first}–{last})").format(first=years[0], last=years[1]) if years[0] != years[1]
             else _("summed baselines ({year})").format(year=years[0]))
    return Group(scope, p.who, rows, city_fields, plans, baseline, target, label)


def shortfall(scenario: Scenario, group: Group) -> float:
    """What the group's cities still have to cut in 2030 under a scenario, summed over the cities above their
    target: a city that delivers more than its target needs does not close another city's gap."""
    share = {f: scenario.pct(f) / 100 for f in vocab.FIELD.codes()}
    delivered = group.city_fields.group_by("city_id").agg(
        (pl.col("annual_tco2e") * pl.col("field_of_action").replace_strict(share, default=1.0)).sum()
        .alias("delivered"))
    rows = group.cities.join(delivered, on="city_id", how="left").with_columns(pl.col("delivered").fill_null(0.0))
    left = pl.col("baseline_tco2e") - pl.col("delivered") - pl.col("target_tco2e")
    return float(rows.select(left.clip(lower_bound=0).sum()).item())


def compare_group(scope: progress.Scope, chosen: dict[str, Scenario | None],
                  path: Path | None = None) -> Comparison | None:
    """The scenarios summed over the scope's Mission Cities: each field's plan is the sum of the cities' plans, so a
    scenario's 2030 emissions are the summed baselines minus the delivered reductions (linear in each city's plan,
    so the same as summing each city's result). The gap is the sum of the cities' shortfalls (`shortfall`), as on
    the Mission progress page. None when no city of the scope is in the sums."""
    group = group_plan(scope, path=path)
    if group is None:
        return None
    chosen = _chosen(chosen, group.plans)
    values = queries.cobenefit_values(path=path)
    results = {k: replace(result(s, group.plans, group.baseline.tco2e, group.target.tco2e, DEFAULT_YEARS_OF_EFFECT,
                                 values), gap_tco2e=shortfall(s, group)) for k, s in chosen.items()}
    sources = tuple(sorted(set(group.cities["baseline_source"].drop_nulls())))
    return Comparison(group.who, scope.to_query(), None, group.plans, group.baseline, group.target, chosen, results,
                      values, group.baseline_label, tuple(group.cities["name"]), sources)


def target_line_label(comparison: Comparison) -> str:
    """The target line's label: whose target a city's is; for a group, that it is a sum."""
    if comparison.grouped:
        return _("{year}: summed targets").format(year=comparison.target.year)
    return comparison.target.label


def table(comparison: Comparison) -> pl.DataFrame:
    """The results side by side as data: one row per scenario, with its ambition per field."""
    fields = [p.field for p in comparison.plans]
    sources = " ".join(sorted({*comparison.source_ids, *comparison.unit_values["source_id"].drop_nulls()}))
    return pl.DataFrame([{
        "scenario": key.upper(), "ambition_pct": comparison.scenarios[key].text(fields),
        "reduction_tco2e": r.reduction_tco2e, "emissions_2030_tco2e": r.emissions_2030, "gap_tco2e": r.gap_tco2e,
        "cost_eur": r.cost_eur, "cost_per_t_eur": r.cost_per_t, "cobenefits_low_eur": r.cobenefits.low,
        "cobenefits_central_eur": r.cobenefits.central, "cobenefits_high_eur": r.cobenefits.high,
        "unit": _("t CO2e a year; EUR; EUR a year for co-benefits"), "kind": "computed", "source_id": sources,
    } for key, r in comparison.results.items()])
