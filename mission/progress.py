"""Where the Mission stands: the road so far (published counts beside the warehouse's), the Mission-wide gap to 2030,
the pace the cities achieved against the pace they need, and the money (published figures beside the portfolios'
stated costs, never added together).

The sums are over the Mission Cities (the cohort that has 2030 goals) of a scope: the Mission, or some countries.
Every city is in exactly one coverage group, so none is silently left out of a sum or mixed into it."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import polars as pl

import vocab
from i18n import N_, date, ngettext, number, percent
from i18n import gettext as _
from mission import overview, portfolio, quality, queries
from mission.city import day_words, with_partial
from mission.db import cached
from mission.pathways import MISSION_DEFAULT_REDUCTION_PCT, MISSION_TARGET_YEAR
from mission.words import count, tonnes


@dataclass(frozen=True)
class Scope:
    """Whose progress: the whole Mission (no country) or the Mission Cities of some countries."""

    countries: tuple[str, ...] = ()

    @classmethod
    def from_query(cls, query: dict) -> Scope:
        """The overview's country filter ("FR,BE" or ["FR", "BE"]); anything else means the whole Mission."""
        return cls(overview.Filters.from_query({"country": query.get("country")}).countries)

    def to_query(self) -> dict[str, str]:
        return {"country": ",".join(self.countries)} if self.countries else {}

    @property
    def whole(self) -> bool:
        return not self.countries

    def apply(self, frame: pl.DataFrame) -> pl.DataFrame:
        return frame.filter(pl.col("country_iso2").is_in(self.countries)) if self.countries else frame

    def name(self, names: dict[str, str] | None = None) -> str:
        """'the Mission' or the countries' names ('France, Belgium')."""
        if self.whole:
            return _("the Mission")
        return ", ".join((names or {}).get(c, c) for c in self.countries)


# --- 1. The road so far ------------------------------------------------------------------------------------------

ROAD_COLUMNS = {"fact": pl.String, "stage": pl.String, "as_of": pl.Date, "published": pl.Float64,
                "warehouse": pl.Int64, "joint_extra": pl.Int64, "unexplained": pl.Int64, "scope": pl.String,
                "note": pl.String, "source_id": pl.String, "quote": pl.String}


def road(facts: pl.DataFrame, cities: pl.DataFrame, joint: pl.DataFrame, scope: Scope) -> pl.DataFrame:
    """One row per published count of cities (`queries.mission_facts()` rows with unit 'cities'), oldest first,
    with the warehouse's own count at the same date where it holds one (`cities`: `queries.cities()` rows;
    `joint`: `queries.joint_entries()`).

    The published label counts take a joint entry (Eindhoven & Helmond) as its member cities; the warehouse holds it
    once: `joint_extra` is what that explains of the difference, `unexplained` the rest. Published figures are for
    the whole Mission: for some countries only the warehouse counts them."""
    mission = scope.apply(cities.filter(pl.col("cohort") == "mission"))
    members = dict(joint.select("city_id", "members").iter_rows())
    rows = []
    order = {code: i for i, code in enumerate(vocab.MISSION_FACT.codes())}
    counts = facts.filter(pl.col("unit") == "cities").with_columns(
        pl.col("fact").replace_strict(order, default=len(order)).alias("order"))
    for f in counts.sort("as_of", "order").iter_rows(named=True):
        warehouse = extra = None
        note = ""
        if f["fact"] == "labels_cumulative":
            labelled = mission.filter(pl.col("label_date").is_not_null() & (pl.col("label_date") <= f["as_of"]))
            warehouse = labelled.height
            extra = sum(members.get(c, 1) - 1 for c in labelled["city_id"])
            if extra:
                joint_names = labelled.filter(pl.col("city_id").is_in(list(members)))["name"].to_list()
                names = functools.reduce(lambda a, b: _("{first} and {second}").format(first=a, second=b),
                                         joint_names)
                note = (_("the published count takes {names} as {n} cities; the warehouse holds one joint entry")
                        if len(joint_names) == 1 else
                        _("the published count takes {names} as {n} cities; the warehouse holds joint entries")
                        ).format(names=names, n=number(extra + len(joint_names)))
        elif f["fact"] == "cities_selected":
            warehouse = mission.height
            note = _("the warehouse's Mission Cities (cities.csv)")
        elif f["fact"] == "contracts_created":
            note = _("the warehouse holds the contracts it transcribed, not their dates")
        else:
            note = _("not in the warehouse")
        unexplained = None
        if warehouse is not None and scope.whole:
            unexplained = round(f["value"]) - warehouse - (extra or 0)
        elif warehouse is not None:
            note = _("the published count is the whole Mission's; the warehouse's, the chosen countries' Mission "
                     "Cities")
        rows.append({"fact": f["fact"], "stage": vocab.MISSION_FACT.label(f["fact"]), "as_of": f["as_of"],
                     "published": f["value"], "warehouse": warehouse, "joint_extra": extra,
                     "unexplained": unexplained, "scope": f["scope"], "note": note, "source_id": f["source_id"],
                     "quote": f["quote"]})
    return pl.DataFrame(rows, schema=ROAD_COLUMNS)


def labels_over_time(cities: pl.DataFrame) -> pl.DataFrame:
    """The warehouse's labels per wave and their running total (`overview.label_pipeline`), with each wave's
    source."""
    mission = cities.filter(pl.col("cohort") == "mission")
    sources = (mission.filter(pl.col("label_date").is_not_null()).group_by("wave")
               .agg(pl.col("label_source").min().alias("source_id")))
    return overview.label_pipeline(mission).join(sources, on="wave", how="left")


def road_summary(rows: pl.DataFrame, scope: Scope, label_total: int, who: str) -> str:
    """One sentence on the road: the latest published label count beside the warehouse's, and why they differ."""
    labels = rows.filter(pl.col("fact") == "labels_cumulative")
    if not labels.height:
        return _("The warehouse holds no published count of Mission Labels.")
    last = labels.row(-1, named=True)
    values = {"day": day_words(last["as_of"]), "published": number(last["published"])}
    if not scope.whole:
        return _("By {day} the European Commission and NetZeroCities had announced {published} Mission Labels across "
                 "the Mission; the warehouse holds {labelled} labelled Mission Cities in {who}.").format(
            labelled=number(label_total), who=who, **values)
    values |= {"labelled": number(last["warehouse"]), "note": last["note"],
               "unexplained": number(abs(last["unexplained"] or 0))}
    if last["joint_extra"] and last["unexplained"]:
        text = _("By {day} the European Commission and NetZeroCities had announced {published} Mission Labels; the "
                 "warehouse holds {labelled} labelled Mission Cities: {note}, and {unexplained} more label(s) are not "
                 "explained by the warehouse.")
    elif last["joint_extra"]:
        text = _("By {day} the European Commission and NetZeroCities had announced {published} Mission Labels; the "
                 "warehouse holds {labelled} labelled Mission Cities: {note}.")
    elif last["unexplained"]:
        text = _("By {day} the European Commission and NetZeroCities had announced {published} Mission Labels; the "
                 "warehouse holds {labelled} labelled Mission Cities, and {unexplained} more label(s) are not "
                 "explained by the warehouse.")
    else:
        text = _("By {day} the European Commission and NetZeroCities had announced {published} Mission Labels; the "
                 "warehouse holds {labelled} labelled Mission Cities.")
    return text.format(**values)


# --- 2. The Mission-wide gap to 2030 -------------------------------------------------------------------------------

# Which coverage group a Mission City is in: only `in_sums` enters the gap's sums; the others are counted and named.
# Marked for translation (N_), translated where they are shown.
COVERAGE = {
    "in_sums": N_("in the sums (a baseline and a 2030 target in tonnes)"),
    "no_target": N_("a baseline, but a 2030 target that cannot be expressed in tonnes: left out of the sums"),
    "no_baseline": N_("no baseline: left out of the sums"),
}

CITY_GAP_COLUMNS = {
    "city_id": pl.String, "name": pl.String, "country_iso2": pl.String, "country": pl.String,
    "coverage": pl.String, "baseline_year": pl.Int32, "baseline_tco2e": pl.Float64, "baseline_kind": pl.String,
    "target_tco2e": pl.Float64, "target_origin": pl.String, "actions": pl.Int64, "addable_actions": pl.Int64,
    "planned_tco2e": pl.Float64, "removal_tco2e": pl.Float64, "left_tco2e": pl.Float64,
    "shortfall_tco2e": pl.Float64, "beyond_target_tco2e": pl.Float64, "baseline_source": pl.String,
}


def planned_by_city(actions: pl.DataFrame) -> pl.DataFrame:
    """Per city, from `portfolio.with_costs` rows: its actions, those whose reduction may be added up, and their
    annual cuts and stated carbon removal (apart, as in a city's own waterfall)."""
    counted = portfolio.addable()
    removal = pl.col("flags").list.contains("removal")
    return actions.group_by("city_id").agg(
        pl.len().cast(pl.Int64).alias("actions"), counted.sum().cast(pl.Int64).alias("addable_actions"),
        pl.col("annual_tco2e").filter(counted & ~removal).sum().alias("planned_tco2e"),
        pl.col("annual_tco2e").filter(counted & removal).sum().alias("removal_tco2e"))


def city_gaps(cities: pl.DataFrame, actions: pl.DataFrame) -> pl.DataFrame:
    """One row per Mission City of `cities` (`overview.city_metrics` rows) with its coverage group and, in the sums,
    its baseline, target, addable planned reductions, what is left after them, the shortfall to its target and
    what its portfolio plans beyond its target (CITY_GAP_COLUMNS)."""
    mission = cities.filter(pl.col("cohort") == "mission")
    plans = planned_by_city(actions)
    frame = mission.join(plans, on="city_id", how="left").with_columns(
        pl.col("actions", "addable_actions").fill_null(0), pl.col("planned_tco2e", "removal_tco2e").fill_null(0.0))
    coverage = (pl.when(pl.col("baseline_tco2e").is_null()).then(pl.lit("no_baseline"))
                .when(pl.col("target_tco2e").is_null()).then(pl.lit("no_target")).otherwise(pl.lit("in_sums")))
    left = pl.col("baseline_tco2e") - pl.col("planned_tco2e") - pl.col("removal_tco2e")
    return frame.with_columns(coverage.alias("coverage"), left.alias("left_tco2e")).with_columns(
        pl.when(pl.col("coverage") == "in_sums").then(
            (pl.col("left_tco2e") - pl.col("target_tco2e")).clip(lower_bound=0)).alias("shortfall_tco2e"),
        pl.when(pl.col("coverage") == "in_sums").then(
            (pl.col("target_tco2e") - pl.col("left_tco2e")).clip(lower_bound=0)).alias("beyond_target_tco2e"),
    ).select([pl.col(c).cast(t) for c, t in CITY_GAP_COLUMNS.items()]).sort("name")


@dataclass(frozen=True)
class Step:
    label: str
    tco2e: float
    measure: str  # absolute | relative | total (plotly's waterfall)
    note: str = ""


@dataclass(frozen=True)
class Gap:
    """The gap of the cities in the sums, and who is not in them."""

    cities: pl.DataFrame  # city_gaps rows of the scope
    baseline_reported: float
    baseline_modelled: float
    baseline_years: tuple[int, int] | None
    planned: float
    removal: float
    shortfall_with_portfolio: float
    shortfall_without_portfolio: float
    beyond_target: float
    target_own: float
    target_default: float

    def names(self, coverage: str) -> list[str]:
        return self.cities.filter(pl.col("coverage") == coverage)["name"].to_list()

    @property
    def in_sums(self) -> pl.DataFrame:
        return self.cities.filter(pl.col("coverage") == "in_sums")

    @property
    def without_portfolio(self) -> list[str]:
        """Cities in the sums with no transcribed action whose reduction can be added up."""
        return self.in_sums.filter(pl.col("addable_actions") == 0)["name"].to_list()

    @property
    def baseline(self) -> float:
        return self.baseline_reported + self.baseline_modelled

    @property
    def left(self) -> float:
        return self.baseline - self.planned - self.removal

    @property
    def target(self) -> float:
        return self.target_own + self.target_default

    @property
    def shortfall(self) -> float:
        return self.shortfall_with_portfolio + self.shortfall_without_portfolio

    def steps(self) -> list[Step]:
        """The waterfall, from the summed baselines through the planned reductions to the summed 2030 targets:
        left after the portfolios - shortfalls + what portfolios plan beyond their targets = summed targets."""
        steps = [Step(_("Baselines reported by the cities"), self.baseline_reported, "absolute"),
                 Step(_("Baselines: modelled estimates"), self.baseline_modelled, "relative"),
                 Step(_("Summed baselines"), self.baseline, "total"),
                 Step(_("Planned cuts that can be added up"), -self.planned, "relative"),
                 Step(_("Carbon removal (stated)"), -self.removal, "relative"),
                 Step(_("Left after the portfolios"), self.left, "total"),
                 Step(_("Still to cut: cities with a portfolio"), -self.shortfall_with_portfolio, "relative"),
                 Step(_("Still to cut: cities without one"), -self.shortfall_without_portfolio, "relative"),
                 Step(_("Planned beyond their targets"), self.beyond_target, "relative",
                      _("what some portfolios plan below their city's target: it does not close other cities' gaps, "
                        "but the sums keep it so that they add up")),
                 Step(_("Summed {year} targets").format(year=MISSION_TARGET_YEAR), self.target, "total",
                      _("{own} the cities' own targets, {default} the Mission's default ({pct} cut) where a contract "
                        "gives none in the warehouse").format(own=tonnes(self.target_own),
                                                              default=tonnes(self.target_default),
                                                              pct=percent(MISSION_DEFAULT_REDUCTION_PCT)))]
        keep = {0, 2, 5}  # the reported baselines, the summed baselines and what is left after the portfolios
        return [s for i, s in enumerate(steps) if i in keep or s.measure == "total" or abs(s.tco2e) > 0]


def gap(city_rows: pl.DataFrame) -> Gap:
    """The sums of `city_gaps` rows: baselines by kind, planned reductions, shortfalls, targets by whose."""
    rows = city_rows.filter(pl.col("coverage") == "in_sums")

    def total(frame: pl.DataFrame, column: str) -> float:
        return float(frame[column].sum()) if frame.height else 0.0

    portfolio_rows = rows.filter(pl.col("addable_actions") > 0)
    years = (int(rows["baseline_year"].min()), int(rows["baseline_year"].max())) if rows.height else None
    return Gap(
        cities=city_rows,
        baseline_reported=total(rows.filter(pl.col("baseline_kind") != "modelled_estimate"), "baseline_tco2e"),
        baseline_modelled=total(rows.filter(pl.col("baseline_kind") == "modelled_estimate"), "baseline_tco2e"),
        baseline_years=years, planned=total(rows, "planned_tco2e"), removal=total(rows, "removal_tco2e"),
        shortfall_with_portfolio=total(portfolio_rows, "shortfall_tco2e"),
        shortfall_without_portfolio=total(rows.filter(pl.col("addable_actions") == 0), "shortfall_tco2e"),
        beyond_target=total(rows, "beyond_target_tco2e"),
        target_own=total(rows.filter(pl.col("target_origin") == "own"), "target_tco2e"),
        target_default=total(rows.filter(pl.col("target_origin") != "own"), "target_tco2e"))


def coverage_words(g: Gap) -> list[str]:
    """Who is in the sums and who is not, each group counted and named."""
    n = g.in_sums.height
    cities = count(n, "{n} Mission City", "{n} Mission Cities")
    out = [_("{cities} in the sums ({modelled} of them on a modelled baseline).").format(
        cities=cities, modelled=number(g.in_sums.filter(pl.col("baseline_kind") == "modelled_estimate").height))
        if n else _("{cities} in the sums.").format(cities=cities)]
    without = g.without_portfolio
    if without:
        out.append(ngettext("{n} of them has no transcribed action whose reduction can be added up, so nothing is "
                            "planned for them in the sums: {names}.",
                            "{n} of them have no transcribed action whose reduction can be added up, so nothing is "
                            "planned for them in the sums: {names}.", len(without)).format(
            n=number(len(without)), names=", ".join(without)))
    for code in ("no_target", "no_baseline"):
        names = g.names(code)
        if names:
            words = (_("{cities} with a baseline, but a 2030 target that cannot be expressed in tonnes: left out of "
                       "the sums: {names}.") if code == "no_target" else
                     _("{cities} with no baseline: left out of the sums: {names}."))
            out.append(words.format(cities=count(len(names), "{n} Mission City", "{n} Mission Cities"),
                                    names=", ".join(names)))
    return out


def gap_summary(g: Gap, who: str) -> str:
    """The gap in one sentence."""
    n = g.in_sums.height
    if not n:
        return _("No Mission City of {who} has both a baseline and a 2030 target in tonnes: there is no gap to "
                 "sum.").format(who=who)
    years = f"{g.baseline_years[0]}–{g.baseline_years[1]}" if g.baseline_years else ""
    share = g.baseline_modelled / g.baseline * 100 if g.baseline else 0.0
    return _("The {cities} of {who} in the sums emitted {baseline} CO2e a year in their baseline years ({years}; "
             "{modelled} of it modelled estimates). Their portfolios plan {planned} a year of cuts that can be added "
             "up; their 2030 targets sum to {target}, so {shortfall} a year is still to cut ({share} of the summed "
             "baselines).").format(
        cities=count(n, "{n} Mission City", "{n} Mission Cities"), who=who, baseline=tonnes(g.baseline),
        years=years, modelled=percent(share), planned=tonnes(g.planned + g.removal), target=tonnes(g.target),
        shortfall=tonnes(g.shortfall), share=percent(g.shortfall / g.baseline * 100))


BY_COUNTRY_COLUMNS = ("country_iso2", "country", "cities_in_sums", "cities_left_out", "baseline_tco2e",
                      "target_tco2e", "planned_tco2e", "planned_within_tco2e", "shortfall_tco2e",
                      "beyond_target_tco2e", "source_id")


def by_country(city_rows: pl.DataFrame) -> pl.DataFrame:
    """The gap per country: cities in the sums and left out, summed baselines, targets, planned reductions (the part
    within each city's required cut and beyond it) and the shortfall; largest shortfall first."""
    rows = city_rows.with_columns((pl.col("coverage") == "in_sums").alias("in"))
    planned = pl.col("planned_tco2e") + pl.col("removal_tco2e")
    return rows.group_by("country_iso2", "country").agg(
        pl.col("in").sum().cast(pl.Int64).alias("cities_in_sums"),
        (~pl.col("in")).sum().cast(pl.Int64).alias("cities_left_out"),
        pl.col("baseline_tco2e").filter("in").sum(), pl.col("target_tco2e").filter("in").sum(),
        planned.filter("in").sum().alias("planned_tco2e"),
        (planned - pl.col("beyond_target_tco2e")).filter("in").sum().alias("planned_within_tco2e"),
        pl.col("shortfall_tco2e").filter("in").sum(), pl.col("beyond_target_tco2e").filter("in").sum(),
        pl.col("baseline_source").filter("in").unique().sort().str.join(" ").alias("source_id"),
    ).select(BY_COUNTRY_COLUMNS).sort(["shortfall_tco2e", "country"], descending=[True, False])


def by_field(actions: pl.DataFrame, city_rows: pl.DataFrame) -> pl.DataFrame:
    """The planned reductions that can be added up, per field of action, over the cities in the sums: tonnes a
    year, how many actions and cities they come from, and how many actions state a reduction that is not added."""
    ids = city_rows.filter(pl.col("coverage") == "in_sums")["city_id"]
    mine = actions.filter(pl.col("city_id").is_in(ids.implode()))
    counted = portfolio.addable()
    order = {f: i for i, f in enumerate(vocab.FIELD.codes())}
    frame = mine.group_by("field_of_action").agg(
        pl.col("annual_tco2e").filter(counted).sum().alias("planned_tco2e"),
        counted.sum().cast(pl.Int64).alias("addable_actions"),
        pl.col("city_id").filter(counted).n_unique().cast(pl.Int64).alias("cities"),
        pl.len().cast(pl.Int64).alias("actions"),
        (pl.col("ghg_reduction_tco2e").is_not_null() & ~counted).sum().cast(pl.Int64).alias("not_added"),
        pl.col("source_id").filter(counted).unique().sort().str.join(" ").alias("source_id"))
    return frame.with_columns(pl.col("field_of_action").replace_strict(order, default=99).alias("order")) \
        .sort("order").drop("order")


# --- 3. Achieved against required ----------------------------------------------------------------------------------

PACE_COLUMNS = {
    "city_id": pl.String, "name": pl.String, "country_iso2": pl.String, "data_set": pl.String,
    "from_year": pl.Int32, "from_tco2e": pl.Float64, "to_year": pl.Int32, "to_tco2e": pl.Float64,
    "achieved_pct": pl.Float64, "required_pct": pl.Float64, "required_from_year": pl.Int32,
    "target_tco2e": pl.Float64, "target_origin": pl.String, "comparable": pl.Boolean, "on_pace": pl.Boolean,
    "caveats": pl.String, "sentence": pl.String, "source_id": pl.String,
}


@dataclass(frozen=True)
class Inventory:
    """One total of a city in one year, with what it covers."""

    year: int
    tco2e: float
    method: str  # grand_total | sum_of_sectors | ... | scope-limited total | a CDP figure
    sectors: int
    scopes: str  # 'all' or the scopes a limited total covers ('1')
    partial: bool
    source_id: str
    boundary: str | None = None  # CDP reports: the boundary and protocol as the city wrote them
    protocol: str | None = None


def yearly_change(first: Inventory, last: Inventory) -> float | None:
    """The constant yearly cut (+) or rise (-) in % that takes `first` to `last`: 1 - (last/first)^(1/years)."""
    years = last.year - first.year
    if years <= 0 or first.tco2e <= 0 or last.tco2e <= 0:
        return None
    return (1 - math.pow(last.tco2e / first.tco2e, 1 / years)) * 100


def caveats(first: Inventory, last: Inventory) -> tuple[list[str], bool]:
    """What differs between two inventories (vocab.PACE_CAVEAT codes) and whether the change is comparable at all
    (a partial inventory is not)."""
    found = []
    if first.partial or last.partial:
        found.append("partial")
    if first.scopes != last.scopes:
        found.append("scopes")
    if first.method != last.method:
        found.append("method")
    if first.sectors and last.sectors and first.sectors != last.sectors and "partial" not in found:
        found.append("sectors")
    if first.source_id != last.source_id:
        found.append("source")
    if (first.boundary, first.protocol) != (last.boundary, last.protocol):
        found.append("boundary")
    return found, "partial" not in found


def pace_sentence(name: str, achieved: float | None, first: Inventory, last: Inventory, required: float | None,
                  target_tco2e: float | None, origin: str | None) -> str:
    """'<city> cut X% a year from <year> to <year>; it needs Y% a year to reach its 2030 target'."""
    years = {"city": name, "first": first.year, "last": last.year}
    if last.partial or first.partial:
        partial = last if last.partial else first
        head = _("{city}'s {year} inventory covers fewer sectors than its other one, so its change from {first} to "
                 "{last} is not a pace").format(year=partial.year, **years)
    elif achieved is None:
        head = _("{city}'s change from {first} to {last} cannot be expressed as a yearly rate").format(**years)
    elif achieved >= 0:
        head = _("{city} cut {pct} a year from {first} to {last}").format(pct=percent(achieved, 1), **years)
    else:
        head = _("{city}'s emissions rose {pct} a year from {first} to {last}").format(pct=percent(-achieved, 1),
                                                                                       **years)
    own = origin == "own"
    if target_tco2e is None:
        tail = _("its 2030 target cannot be expressed in tonnes.")
    elif (required is None and target_tco2e > 0 and last.tco2e <= target_tco2e) or (
            required is not None and required <= 0):
        tail = (_("it is already at or below its 2030 target.") if own else
                _("it is already at or below the Mission's default 2030 target ({pct} cut)."))
    elif required is None:
        tail = (_("no constant yearly percentage reaches its 2030 target (net zero).") if own else
                _("no constant yearly percentage reaches the Mission's default 2030 target ({pct} cut) (net zero)."))
    else:
        tail = (_("it needs {required} a year to reach its 2030 target.") if own else
                _("it needs {required} a year to reach the Mission's default 2030 target ({pct} cut)."))
    tail = tail.format(required=percent(required, 1) if required is not None else "",
                       pct=percent(MISSION_DEFAULT_REDUCTION_PCT))
    return _("{head}; {tail}").format(head=head, tail=tail)


def inventories_of(totals: pl.DataFrame, limited: pl.DataFrame, elsewhere: pl.DataFrame) -> dict[str, dict]:
    """Each city's reported inventories per data set: {'mission': [Inventory], 'cdp': [Inventory]}.

    `totals`: `queries.city_totals()`; `limited`: `queries.scope_limited_totals()` (a document's total of some
    scopes only, which the city_total view does not read); `elsewhere`: `queries.reported_elsewhere()`."""
    out: dict[str, dict] = {}
    for r in with_partial(totals).filter(pl.col("kind") == "reported").iter_rows(named=True):
        out.setdefault(r["city_id"], {}).setdefault("mission", []).append(Inventory(
            r["year"], r["tco2e"], r["method"], r["sectors"], "all", r["partial"], r["source_id"]))
    by_year = limited.filter(pl.col("kind") == "reported").group_by("city_id", "year").agg(
        pl.col("tco2e").sum(), pl.col("scope").sort().str.join("+").alias("scopes"), pl.col("source_id").min())
    for r in by_year.sort("city_id", "year").iter_rows(named=True):
        have = {i.year for i in out.get(r["city_id"], {}).get("mission", [])}
        if r["year"] not in have:  # a year the city_total view does not read at all
            out.setdefault(r["city_id"], {}).setdefault("mission", []).append(Inventory(
                r["year"], r["tco2e"], f"total of scope {r['scopes']} only", 0, r["scopes"], False, r["source_id"]))
    reports: dict[tuple[str, int, str], list[dict]] = {}
    for r in elsewhere.filter(pl.col("kind") == "reported").iter_rows(named=True):
        reports.setdefault((r["city_id"], r["year"], r["source_id"]), []).append(r)
    for (city_id, year, source_id), rows in sorted(reports.items()):
        figure = quality.comparable(rows)
        if figure:
            out.setdefault(city_id, {}).setdefault("cdp", []).append(Inventory(
                year, figure[0], figure[1], 0, "all", False, source_id, rows[0]["boundary"], rows[0]["protocol"]))
    return out


def pace(cities: pl.DataFrame, inventories: dict[str, dict]) -> pl.DataFrame:
    """For each Mission City with two or more reported inventories in one data set (its contract's, else, or where
    those are not comparable, its reports to CDP-ICLEI: the two are never paired with each other), its yearly change
    between the earliest and the latest, beside the yearly cut it needs from its latest inventory to its 2030 target
    (`overview.city_metrics` rows)."""
    rows = []
    for c in cities.filter(pl.col("cohort") == "mission").iter_rows(named=True):
        sets = inventories.get(c["city_id"], {})
        pairs = []
        for data_set in ("mission", "cdp"):
            ordered = sorted(sets.get(data_set, []), key=lambda i: i.year)
            if len({i.year for i in ordered}) >= 2:
                pairs.append((data_set, ordered[0], ordered[-1], *caveats(ordered[0], ordered[-1])))
        if not pairs:
            continue
        # The contracts' pair, unless it is not comparable and the city's CDP reports give one that is.
        data_set, first, last, found, comparable = next((p for p in pairs if p[4]), pairs[0])
        achieved = yearly_change(first, last)
        required = c["required_rate_pct"]
        on_pace = None
        if comparable and achieved is not None and c["target_tco2e"] is not None:
            on_pace = achieved >= required if required is not None else last.tco2e <= c["target_tco2e"]
        rows.append({
            "city_id": c["city_id"], "name": c["name"], "country_iso2": c["country_iso2"], "data_set": data_set,
            "from_year": first.year, "from_tco2e": first.tco2e, "to_year": last.year, "to_tco2e": last.tco2e,
            "achieved_pct": achieved, "required_pct": required, "required_from_year": c["latest_year"],
            "target_tco2e": c["target_tco2e"], "target_origin": c["target_origin"], "comparable": comparable,
            "on_pace": on_pace, "caveats": "; ".join(vocab.PACE_CAVEAT.label(f) for f in found) or None,
            "sentence": pace_sentence(c["name"], achieved, first, last, required, c["target_tco2e"],
                                      c["target_origin"]),
            "source_id": " ".join(sorted({first.source_id, last.source_id}))})
    return pl.DataFrame(rows, schema=PACE_COLUMNS).sort("name")


def pace_summary(rows: pl.DataFrame, who: str) -> str:
    """How many cities are on a pace that reaches their target, with what keeps the count uncertain."""
    if not rows.height:
        return _("No Mission City of {who} has two reported inventories in the warehouse.").format(who=who)
    judged = rows.filter(pl.col("on_pace").is_not_null())
    on = judged.filter(pl.col("on_pace"))
    flagged = on.filter(pl.col("caveats").is_not_null()).height
    not_judged = rows.height - judged.height
    n = rows.height
    if flagged and not_judged:
        text = ngettext(
            "{n} Mission City of {who} has two or more reported inventories; {on} of the {judged} that can be judged "
            "cut at a pace that would reach their 2030 target ({flagged} of them with differences between the "
            "inventories, flagged); {not_judged} cannot be judged (a partial inventory or no target in tonnes). A "
            "long average says little about the recent pace.",
            "{n} Mission Cities of {who} have two or more reported inventories; {on} of the {judged} that can be "
            "judged cut at a pace that would reach their 2030 target ({flagged} of them with differences between the "
            "inventories, flagged); {not_judged} cannot be judged (a partial inventory or no target in tonnes). A "
            "long average says little about the recent pace.", n)
    elif flagged:
        text = ngettext(
            "{n} Mission City of {who} has two or more reported inventories; {on} of the {judged} that can be judged "
            "cut at a pace that would reach their 2030 target ({flagged} of them with differences between the "
            "inventories, flagged). A long average says little about the recent pace.",
            "{n} Mission Cities of {who} have two or more reported inventories; {on} of the {judged} that can be "
            "judged cut at a pace that would reach their 2030 target ({flagged} of them with differences between the "
            "inventories, flagged). A long average says little about the recent pace.", n)
    elif not_judged:
        text = ngettext(
            "{n} Mission City of {who} has two or more reported inventories; {on} of the {judged} that can be judged "
            "cut at a pace that would reach their 2030 target; {not_judged} cannot be judged (a partial inventory or "
            "no target in tonnes). A long average says little about the recent pace.",
            "{n} Mission Cities of {who} have two or more reported inventories; {on} of the {judged} that can be "
            "judged cut at a pace that would reach their 2030 target; {not_judged} cannot be judged (a partial "
            "inventory or no target in tonnes). A long average says little about the recent pace.", n)
    else:
        text = ngettext(
            "{n} Mission City of {who} has two or more reported inventories; {on} of the {judged} that can be judged "
            "cut at a pace that would reach their 2030 target. A long average says little about the recent pace.",
            "{n} Mission Cities of {who} have two or more reported inventories; {on} of the {judged} that can be "
            "judged cut at a pace that would reach their 2030 target. A long average says little about the recent "
            "pace.", n)
    return text.format(n=number(n), who=who, on=number(on.height), judged=number(judged.height),
                       flagged=number(flagged), not_judged=number(not_judged))


# --- 4. Money ----------------------------------------------------------------------------------------------------

MONEY_FACTS = ("investment_plans_total", "investment_needed", "incremental_investment_needed")


def published_money(facts: pl.DataFrame) -> pl.DataFrame:
    """The investment figures as published, each with its scope and date (never summed: they count different
    things for different sets of cities)."""
    return facts.filter(pl.col("fact").is_in(MONEY_FACTS)).sort("as_of").select(
        "fact", pl.col("fact").replace_strict(vocab.MISSION_FACT.labels()).alias("figure"), "value", "unit",
        "scope", "as_of", "kind", "source_id", "quote")


@dataclass(frozen=True)
class StatedCosts:
    """What the transcribed portfolios of a scope state as costs."""

    eur: float
    costed_actions: int
    actions: int
    costed_cities: int
    cities_with_actions: int
    mission_cities: int
    source_ids: str  # the documents of the actions that state a cost, space-separated
    implausible_eur: float = 0.0  # costs of actions whose note calls a figure implausible: shown, not summed
    implausible_actions: int = 0


def stated_costs(actions: pl.DataFrame, cities: pl.DataFrame) -> StatedCosts:
    """Sum of the costs the transcribed actions of the scope's Mission Cities state, and how many state one; costs of
    actions whose note calls a figure implausible are counted apart, never summed."""
    ids = cities.filter(pl.col("cohort") == "mission")["city_id"]
    mine = actions.filter(pl.col("city_id").is_in(ids.implode()))
    costed = mine.filter(portfolio.cost_addable())
    doubtful = mine.filter(pl.col("cost_eur").is_not_null() & ~portfolio.cost_addable())
    return StatedCosts(float(costed["cost_eur"].sum()) if costed.height else 0.0, costed.height, mine.height,
                       costed["city_id"].n_unique(), mine["city_id"].n_unique(), ids.len(),
                       " ".join(sorted(set(costed["source_id"].drop_nulls()))),
                       float(doubtful["cost_eur"].sum()) if doubtful.height else 0.0, doubtful.height)


def money_summary(published: pl.DataFrame, costs: StatedCosts, who: str) -> str:
    figures = "; ".join(_("EUR {amount} bn {scope} ({month})").format(
        amount=number(r["value"], 1), scope=r["scope"], month=date(r["as_of"], "month"))
        for r in published.iter_rows(named=True))
    sentences = [_("Published: {figures}.").format(figures=figures) if figures else
                 _("Published: no investment figure."),
                 _("The transcribed portfolios of {who} state EUR {amount} bn in costs, from {costed} of {actions} "
                   "actions in {costed_cities} of {cities} Mission Cities: what the documents state, not a total of "
                   "what the actions cost, and never added to the published figures.").format(
                     who=who, amount=number(costs.eur / 1e9, 2), costed=number(costs.costed_actions),
                     actions=number(costs.actions), costed_cities=number(costs.costed_cities),
                     cities=number(costs.mission_cities))]
    if costs.implausible_actions:
        sentences.append(ngettext(
            "EUR {amount} bn stated by {n} more action whose note calls a figure implausible is not added.",
            "EUR {amount} bn stated by {n} more actions whose note calls a figure implausible is not added.",
            costs.implausible_actions).format(amount=number(costs.implausible_eur / 1e9, 2),
                                              n=number(costs.implausible_actions)))
    return " ".join(sentences)


# --- The page's data, once per warehouse version and scope ---------------------------------------------------------

@dataclass(frozen=True)
class Progress:
    scope: Scope
    who: str
    road: pl.DataFrame
    pipeline: pl.DataFrame
    labelled: int
    gap: Gap
    by_country: pl.DataFrame
    by_field: pl.DataFrame
    pace: pl.DataFrame
    published: pl.DataFrame
    costs: StatedCosts


def country_names(path: Path | None = None) -> dict[str, str]:
    return dict(queries.countries(path=path).select("country_iso2", "name").iter_rows())


@cached
def _pace_all(path: Path | None = None) -> pl.DataFrame:
    inventories = inventories_of(queries.city_totals(path=path), queries.scope_limited_totals(path=path),
                                 queries.reported_elsewhere(path=path))
    return pace(overview.all_city_metrics(path=path), inventories)


@cached
def _city_gaps_all(path: Path | None = None) -> pl.DataFrame:
    return city_gaps(overview.all_city_metrics(path=path), portfolio.all_actions(path=path))


@cached
def of(scope: Scope, path: Path | None = None) -> Progress:
    """Everything the progress page shows for a scope."""
    metrics = scope.apply(overview.all_city_metrics(path=path))
    rows = scope.apply(_city_gaps_all(path=path))
    actions = portfolio.all_actions(path=path)
    facts = queries.mission_facts(path=path)
    mission = metrics.filter(pl.col("cohort") == "mission")
    return Progress(
        scope=scope, who=scope.name(country_names(path=path)),
        road=road(facts, metrics, queries.joint_entries(path=path), scope),
        pipeline=labels_over_time(metrics),
        labelled=mission.filter(pl.col("label_date").is_not_null()).height,
        gap=gap(rows), by_country=by_country(rows), by_field=by_field(actions, rows),
        pace=scope.apply(_pace_all(path=path)), published=published_money(facts),
        costs=stated_costs(actions, metrics))
