"""Action portfolios: cost per tonne, flags on doubtful figures, co-benefit and lever matrices, portfolio vs gap."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import polars as pl

import vocab
from i18n import gettext as _
from i18n import in_sentence, number, percent
from mission import queries
from mission.db import cached
from mission.words import count, tonnes

DEFAULT_YEARS_OF_EFFECT = 10
# Tukey's fence on a log scale: a cost per tonne more than 1.5 interquartile ranges of log10(EUR/t) above the
# upper quartile of all actions with both figures is "far above the rest". Costs span six orders of magnitude.
TUKEY_K = 1.5

# What the transcription notes say about a figure (data/README.md: overlapping estimates, carbon removal,
# implausible values are described in the notes, never corrected).
OVERLAP = re.compile(r"overlap|not additive|isolated effect|double count", re.IGNORECASE)
REMOVAL = re.compile(r"carbon removal|\bremovals\b|negative emission|BECCS|sequestration|\bsinks?\b", re.IGNORECASE)
IMPLAUSIBLE = re.compile(r"implausib|looks (too )?(large|high)", re.IGNORECASE)

# Flags whose reduction is left out of a portfolio's sum (shown, never added).
NOT_SUMMED = ("overlap", "exceeds_baseline", "implausible")


def addable() -> pl.Expr:
    """The actions whose reductions may be added up: an annual figure, and no flag in NOT_SUMMED."""
    flagged = pl.col("flags").list.eval(pl.element().is_in(NOT_SUMMED)).list.any()
    return pl.col("annual_tco2e").is_not_null() & ~flagged


def cost_addable() -> pl.Expr:
    """The actions whose stated cost may be added up: a cost, and no note calling a figure implausible."""
    return pl.col("cost_eur").is_not_null() & ~pl.col("flags").list.contains("implausible")


@dataclass(frozen=True)
class CostMethod:
    """How a stated reduction becomes tonnes over the action's life: the assumptions, visible and adjustable.

    Most documents give an investment and an annual reduction whose basis is not stated. Cost per tonne =
    cost / (annual reduction x years of effect); a reduction stated as a total to 2030 is already a total."""

    years_of_effect: int = DEFAULT_YEARS_OF_EFFECT
    unknown_as_per_year: bool = True

    def describe(self) -> str:
        """The method in words, in the reader's language."""
        if self.unknown_as_per_year:
            words = _("Cost per tonne = cost / (annual reduction x {years} years of effect); a reduction stated as a "
                      "total to 2030 is used as it is; reductions whose basis the document does not state are read "
                      "as per year. Costs are as the contracts state them (mostly investment, sometimes shared or "
                      "partial); nothing is discounted.")
        else:
            words = _("Cost per tonne = cost / (annual reduction x {years} years of effect); a reduction stated as a "
                      "total to 2030 is used as it is; reductions whose basis is not stated are left out. Costs are "
                      "as the contracts state them (mostly investment, sometimes shared or partial); nothing is "
                      "discounted.")
        return words.format(years=self.years_of_effect)


def annual_reduction(reduction: float | None, basis: str, method: CostMethod) -> float | None:
    """The reduction in t CO2e a year, or None when it is missing or not an annual figure."""
    if reduction is None or basis == "total_to_2030":
        return None
    if basis == "unknown" and not method.unknown_as_per_year:
        return None
    return reduction


def lifetime_reduction(reduction: float | None, basis: str, method: CostMethod) -> float | None:
    """The tonnes an action avoids over its assumed life."""
    if reduction is None:
        return None
    if basis == "total_to_2030":
        return reduction
    annual = annual_reduction(reduction, basis, method)
    return None if annual is None else annual * method.years_of_effect


def cost_per_tonne(cost: float | None, reduction: float | None, basis: str, method: CostMethod) -> float | None:
    """EUR per tonne avoided; None without a cost or a positive reduction."""
    tonnes_avoided = lifetime_reduction(reduction, basis, method)
    if cost is None or tonnes_avoided is None or tonnes_avoided <= 0:
        return None
    return cost / tonnes_avoided


def cost_fence(costs_per_tonne: list[float | None]) -> float | None:
    """The cost per tonne above which an action is an outlier: 10 ** (Q3 + 1.5 IQR) of log10(EUR/t).

    Quartiles by the nearest-rank method over the positive values; None with fewer than four."""
    logs = sorted(math.log10(c) for c in costs_per_tonne if c is not None and c > 0)
    if len(logs) < 4:
        return None
    q1, q3 = logs[math.ceil(0.25 * len(logs)) - 1], logs[math.ceil(0.75 * len(logs)) - 1]
    return 10 ** (q3 + TUKEY_K * (q3 - q1))


def with_costs(actions: pl.DataFrame, method: CostMethod, baselines: dict[str, float]) -> pl.DataFrame:
    """`queries.actions()` plus annual_tco2e, lifetime_tco2e, cost_per_t and flags (a list of vocab.FLAG codes).

    Pass every action, not a filtered set: the cost outlier fence is computed over all of them."""
    rows = actions.to_dicts()
    for row in rows:
        reduction, basis = row["ghg_reduction_tco2e"], row["ghg_basis"]
        row["annual_tco2e"] = annual_reduction(reduction, basis, method)
        row["lifetime_tco2e"] = lifetime_reduction(reduction, basis, method)
        row["cost_per_t"] = cost_per_tonne(row["cost_eur"], reduction, basis, method)
    fence = cost_fence([r["cost_per_t"] for r in rows])
    for row in rows:
        note, reduction, flags = row["note"] or "", row["ghg_reduction_tco2e"], []
        if reduction is not None and OVERLAP.search(note):
            flags.append("overlap")
        if reduction is not None and REMOVAL.search(note):
            flags.append("removal")
        baseline = baselines.get(row["city_id"])
        yearly = row["annual_tco2e"] if row["annual_tco2e"] is not None else reduction
        if baseline and yearly is not None and row["ghg_basis"] != "total_to_2030" and yearly > baseline:
            flags.append("exceeds_baseline")
        if fence is not None and row["cost_per_t"] is not None and row["cost_per_t"] > fence:
            flags.append("cost_outlier")
        if IMPLAUSIBLE.search(note):
            flags.append("implausible")
        row["flags"] = flags
    return pl.DataFrame(rows, schema={**actions.schema, "annual_tco2e": pl.Float64, "lifetime_tco2e": pl.Float64,
                                      "cost_per_t": pl.Float64, "flags": pl.List(pl.String)})


@dataclass(frozen=True)
class PortfolioFilters:
    """Which actions the portfolio page shows; empty = all."""

    cities: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    levers: tuple[str, ...] = ()
    years: int = DEFAULT_YEARS_OF_EFFECT
    unknown_as_per_year: bool = True

    @classmethod
    def from_query(cls, query: dict) -> PortfolioFilters:
        """Read from a URL query or from the page's controls; unknown values are dropped, never an error."""

        def items(key: str, allowed=None, upper: bool = False) -> tuple[str, ...]:
            raw = query.get(key) or []
            values = raw.split(",") if isinstance(raw, str) else raw if isinstance(raw, list | tuple) else []
            out = {(v.strip().upper() if upper else v.strip()) for v in values if isinstance(v, str) and v.strip()}
            return tuple(sorted(v for v in out if allowed is None or v in allowed))

        try:
            years = min(max(int(query.get("years") or DEFAULT_YEARS_OF_EFFECT), 1), 40)
        except (TypeError, ValueError):
            years = DEFAULT_YEARS_OF_EFFECT
        countries = tuple(c for c in items("country", upper=True) if len(c) == 2)
        return cls(items("city"), countries, items("field", vocab.FIELD.codes()), items("lever", vocab.LEVER.codes()),
                   years, query.get("unknown") != "exclude")

    def to_query(self) -> dict[str, str]:
        query = {"city": ",".join(self.cities), "country": ",".join(self.countries), "field": ",".join(self.fields),
                 "lever": ",".join(self.levers),
                 "years": "" if self.years == DEFAULT_YEARS_OF_EFFECT else str(self.years),
                 "unknown": "" if self.unknown_as_per_year else "exclude"}
        return {k: v for k, v in query.items() if v}

    @property
    def method(self) -> CostMethod:
        return CostMethod(self.years, self.unknown_as_per_year)

    def apply(self, actions: pl.DataFrame) -> pl.DataFrame:
        if self.cities:
            actions = actions.filter(pl.col("city_id").is_in(self.cities))
        if self.countries:
            actions = actions.filter(pl.col("country_iso2").is_in(self.countries))
        if self.fields:
            actions = actions.filter(pl.col("field_of_action").is_in(self.fields))
        if self.levers:
            actions = actions.filter(pl.col("levers").list.eval(pl.element().is_in(self.levers)).list.any())
        return actions


def macc(actions: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The cost-effectiveness curve and what is not on it.

    On the curve: actions with a positive cost per tonne and an annual reduction, cheapest first, each a bar from
    x0 to x1 (cumulative t CO2e a year). Off the curve: every other action with the reason in words."""
    curve = (actions.filter((pl.col("cost_per_t") > 0) & pl.col("annual_tco2e").is_not_null())
             .sort("cost_per_t", "action_id")
             .with_columns(x1=pl.col("annual_tco2e").cum_sum())
             .with_columns(x0=pl.col("x1") - pl.col("annual_tco2e")))
    off = actions.filter(~pl.col("action_id").is_in(curve["action_id"].implode())).with_columns(
        reason=pl.when(pl.col("cost_eur").is_null() & pl.col("ghg_reduction_tco2e").is_null())
        .then(pl.lit(_("no cost and no reduction stated")))
        .when(pl.col("cost_eur").is_null()).then(pl.lit(_("no cost stated")))
        .when(pl.col("ghg_reduction_tco2e").is_null()).then(pl.lit(_("no reduction stated")))
        .when(pl.col("ghg_basis") == "total_to_2030").then(pl.lit(_("reduction stated as a total to 2030, not a "
                                                                     "year")))
        .when(pl.col("ghg_reduction_tco2e") <= 0).then(pl.lit(_("no positive reduction")))
        .when(pl.col("cost_eur") <= 0).then(pl.lit(_("cost stated as zero")))
        .otherwise(pl.lit(_("reduction of unstated basis, left out by the chosen method"))))
    return curve, off


def cobenefit_matrix(actions: pl.DataFrame) -> pl.DataFrame:
    """Co-benefit x field of action: how many actions, and their summed annual reduction.

    An action with several co-benefits counts in each row, so rows do not add up to the portfolio."""
    exploded = actions.select("action_id", "field_of_action", "cobenefits", "annual_tco2e").explode("cobenefits")
    return (exploded.filter(pl.col("cobenefits").is_not_null())
            .group_by(pl.col("cobenefits").alias("cobenefit"), "field_of_action")
            .agg(pl.len().cast(pl.Int32).alias("actions"), pl.col("annual_tco2e").sum().alias("annual_tco2e"))
            .sort("cobenefit", "field_of_action"))


def sankey_links(actions: pl.DataFrame) -> pl.DataFrame:
    """Links field -> lever and lever -> co-benefit, each weighted by the number of actions that make it."""
    levers = actions.select("action_id", "field_of_action", "levers", "cobenefits").explode("levers").filter(
        pl.col("levers").is_not_null())
    first = (levers.group_by(source=pl.col("field_of_action"), target=pl.col("levers"))
             .agg(pl.len().cast(pl.Int32).alias("actions"))
             .with_columns(pl.lit("field").alias("source_kind"), pl.lit("lever").alias("target_kind")))
    second = (levers.explode("cobenefits").filter(pl.col("cobenefits").is_not_null())
              .group_by(source=pl.col("levers"), target=pl.col("cobenefits"))
              .agg(pl.len().cast(pl.Int32).alias("actions"))
              .with_columns(pl.lit("lever").alias("source_kind"), pl.lit("cobenefit").alias("target_kind")))
    columns = ["source_kind", "source", "target_kind", "target", "actions"]
    return pl.concat([first.select(columns), second.select(columns)]).sort(columns[:4])


def lever_coverage(actions: pl.DataFrame, by: str = "city_id") -> pl.DataFrame:
    """Fields x levers per city (or per country with by='country_iso2'): the number of actions, zero where a
    portfolio leaves a lever unused in a field it acts in. Fields a portfolio has no action in are not listed."""
    used = (actions.select(by, "field_of_action", "levers").explode("levers").filter(pl.col("levers").is_not_null())
            .group_by(by, "field_of_action", pl.col("levers").alias("lever"))
            .agg(pl.len().cast(pl.Int32).alias("actions")))
    grid = (actions.select(by, "field_of_action").unique()
            .join(pl.DataFrame({"lever": list(vocab.LEVER.labels())}), how="cross"))
    return (grid.join(used, on=[by, "field_of_action", "lever"], how="left")
            .with_columns(pl.col("actions").fill_null(0)).sort(by, "field_of_action", "lever"))


@dataclass(frozen=True)
class Step:
    label: str
    tco2e: float
    measure: str  # absolute | relative | total


@dataclass(frozen=True)
class Waterfall:
    """From the baseline, through each field's planned annual reduction, to the emissions left and the gap."""

    steps: list[Step]
    remaining: float
    target: float | None
    gap: float | None
    left_out: pl.DataFrame
    sentence: str


def waterfall(city: str, baseline: float, baseline_year: int, target: float | None, actions: pl.DataFrame) -> Waterfall:
    """The portfolio vs gap view of one city. Reductions are annual (see CostMethod); actions flagged as
    overlapping, implausible or larger than the baseline are listed, never summed; carbon removal is its own step."""
    counted = actions.filter(addable())
    removal = counted.filter(pl.col("flags").list.contains("removal"))
    cuts = counted.filter(~pl.col("flags").list.contains("removal"))
    steps = [Step(_("Baseline {year}").format(year=baseline_year), baseline, "absolute")]
    by_field = cuts.group_by("field_of_action").agg(pl.col("annual_tco2e").sum()).sort("annual_tco2e", descending=True)
    for field, value in by_field.iter_rows():
        steps.append(Step(vocab.FIELD.label(field, field), -value, "relative"))
    if removal.height:
        steps.append(Step(_("Carbon removal (stated)"), -float(removal["annual_tco2e"].sum()), "relative"))
    remaining = baseline + sum(s.tco2e for s in steps[1:])
    steps.append(Step(_("Left after the portfolio"), remaining, "total"))
    left_out = actions.filter(~pl.col("action_id").is_in(counted["action_id"].implode()))
    gap = None if target is None else remaining - target
    planned = baseline - remaining
    values = {"actions": count(counted.height, "{n} action", "{n} actions"), "city": city,
              "planned": tonnes(planned), "baseline": tonnes(baseline), "year": baseline_year,
              "remaining": tonnes(remaining)}
    if gap is None:
        words = _("The {actions} with an annual reduction that can be added up would cut {city}'s emissions by "
                  "{planned} CO2e a year, from {baseline} ({year}) to {remaining}; the target cannot be expressed in "
                  "tonnes, so the gap is unknown.").format(**values)
    elif gap > 0:
        words = _("The {actions} with an annual reduction that can be added up would cut {city}'s emissions by "
                  "{planned} CO2e a year, from {baseline} ({year}) to {remaining}; the 2030 target is {target}, so a "
                  "gap of {gap} a year ({share} of the baseline) remains.").format(
            target=tonnes(target), gap=tonnes(gap), share=percent(gap / baseline * 100), **values)
    else:
        words = _("The {actions} with an annual reduction that can be added up would cut {city}'s emissions by "
                  "{planned} CO2e a year, from {baseline} ({year}) to {remaining}, {below} below the 2030 target of "
                  "{target}.").format(below=tonnes(-gap), target=tonnes(target), **values)
    if left_out.height:
        words += " " + _("{actions} are not added: see the list.").format(
            actions=count(left_out.height, "{n} action", "{n} actions"))
    return Waterfall(steps, remaining, target, gap, left_out, words)


@cached
def all_actions(years: int = DEFAULT_YEARS_OF_EFFECT, unknown_as_per_year: bool = True,
                path: Path | None = None) -> pl.DataFrame:
    """`with_costs` over every action of the warehouse, for one cost method (computed once per version)."""
    baselines = {r["city_id"]: r["baseline_tco2e"] for r in queries.cities(path=path).iter_rows(named=True)
                 if r["baseline_tco2e"] is not None}
    return with_costs(queries.actions(path=path), CostMethod(years, unknown_as_per_year), baselines)


def table(actions: pl.DataFrame) -> pl.DataFrame:
    """The actions as people read them: words instead of codes, flags spelled out, the source with its reference."""
    def words(column: str, mapping: dict[str, str], sep: str = ", ") -> pl.Expr:
        return pl.col(column).list.eval(pl.element().replace(mapping)).list.join(sep)

    return actions.select(
        "action_id", "action_name", "city",
        pl.col("field_of_action").replace(vocab.FIELD.labels()).alias("field"),
        words("levers", vocab.LEVER.labels()).alias("levers"),
        pl.col("ghg_reduction_tco2e").alias("reduction"),
        pl.col("ghg_basis").replace(vocab.BASIS.labels()).alias("basis"),
        "cost_eur", "cost_per_t",
        words("cobenefits", vocab.COBENEFIT.labels()).alias("cobenefits"),
        words("flags", vocab.FLAG.labels(), "; ").alias("flags"),
        pl.when(pl.col("ref").is_not_null()).then(pl.concat_str("source_id", pl.lit(", "), "ref"))
        .otherwise(pl.col("source_id")).alias("source"),
        pl.col("note").fill_null(""),
    )


def summary(actions: pl.DataFrame) -> str:
    """The headline of the actions shown."""
    if not actions.height:
        return _("No action matches these filters.")
    flagged = actions.filter(pl.col("flags").list.len() > 0).height
    return _("{actions} of {cities} in {countries}: {with_reduction} state a reduction, {with_cost} a cost, {flagged} "
             "carry a flag.").format(
        actions=count(actions.height, "{n} action", "{n} actions"),
        cities=count(actions["city_id"].n_unique(), "{n} city", "{n} cities"),
        countries=count(actions["country_iso2"].n_unique(), "{n} country", "{n} countries"),
        with_reduction=number(actions["ghg_reduction_tco2e"].is_not_null().sum()),
        with_cost=number(actions["cost_eur"].is_not_null().sum()), flagged=number(flagged))


def macc_summary(curve: pl.DataFrame, off: pl.DataFrame) -> str:
    """One sentence on the cost-effectiveness curve."""
    if not curve.height:
        return _("No action shown has both a cost and an annual reduction; {actions} are listed below.").format(
            actions=count(off.height, "{n} action", "{n} actions"))
    cheap = curve.filter(pl.col("cost_per_t") <= 100)
    return _("{actions} have both a cost and an annual reduction, together {tonnes} CO2e a year; the median costs "
             "EUR {median} per tonne and {cheap} ({cheap_tonnes} a year) cost EUR 100 or less. {off} are not on "
             "the curve (listed below).").format(
        actions=count(curve.height, "{n} action", "{n} actions"), tonnes=tonnes(curve["annual_tco2e"].sum()),
        median=number(curve["cost_per_t"].median()),
        cheap=count(cheap.height, "{n} action", "{n} actions"), cheap_tonnes=tonnes(cheap["annual_tco2e"].sum()),
        off=count(off.height, "{n} action", "{n} actions"))


def cobenefit_summary(matrix: pl.DataFrame) -> str:
    if not matrix.height:
        return _("No action shown names a co-benefit.")
    top = matrix.group_by("cobenefit").agg(pl.col("actions").sum()).sort("actions", "cobenefit", descending=True)
    name, n = top.row(0)
    return _("The co-benefit named most often is {cobenefit} ({actions}); {cobenefits} co-benefits appear across "
             "{fields} fields of action.").format(
        cobenefit=in_sentence(vocab.COBENEFIT.label(name, name)), actions=count(n, "{n} action", "{n} actions"),
        cobenefits=number(top.height), fields=number(matrix["field_of_action"].n_unique()))


def lever_summary(coverage: pl.DataFrame) -> str:
    if not coverage.height:
        return _("No action shown names a lever.")
    unused = coverage.filter(pl.col("actions") == 0)
    cells = coverage.height
    return _("{used} of {cells} field-and-lever combinations are used; {unused} are left unused in the fields this "
             "selection acts in.").format(used=number(cells - unused.height), cells=number(cells),
                                          unused=number(unused.height))


def sankey_summary(actions: pl.DataFrame) -> str:
    with_both = actions.filter((pl.col("levers").list.len() > 0) & (pl.col("cobenefits").list.len() > 0)).height
    return _("{actions} of {total} name both a lever and a co-benefit and appear in the diagram.").format(
        actions=count(with_both, "{n} action", "{n} actions"), total=number(actions.height))


@dataclass(frozen=True)
class PortfolioView:
    """Everything the portfolio page shows for one choice of filters, built once per warehouse version."""

    actions: pl.DataFrame
    rows: list[dict]
    curve: pl.DataFrame
    off_curve: pl.DataFrame
    matrix: pl.DataFrame
    coverage: pl.DataFrame
    links: pl.DataFrame
    summary: str
    macc_summary: str
    cobenefit_summary: str
    lever_summary: str
    sankey_summary: str


@cached
def view(chosen: PortfolioFilters, path: Path | None = None) -> PortfolioView:
    """The portfolio page's tables and sentences for `chosen` (lever coverage per city when one city is chosen,
    per country when one country is, else over the whole selection); mission.charts.portfolio draws them."""
    actions = chosen.apply(all_actions(chosen.years, chosen.unknown_as_per_year, path=path))
    curve, off = macc(actions)
    matrix = cobenefit_matrix(actions)
    by = "city_id" if len(chosen.cities) == 1 else "country_iso2" if len(chosen.countries) == 1 else "everything"
    coverage = lever_coverage(actions.with_columns(pl.lit("all").alias("everything")), by=by)
    links = sankey_links(actions)
    return PortfolioView(
        actions, table(actions).to_dicts(), curve, off, matrix, coverage, links, summary(actions),
        macc_summary(curve, off), cobenefit_summary(matrix), lever_summary(coverage), sankey_summary(actions))


# What the co-benefit matrix can count for each field and co-benefit: actions, or their summed annual reduction.
HEAT_VALUES = ("actions", "annual_tco2e")


def heat_value(value: object) -> str:
    """The matrix value a page or an export link asks for; the number of actions unless it names another."""
    return value if value in HEAT_VALUES else "actions"
