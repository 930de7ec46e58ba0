"""What the Mission Platform opens to a city, from citable facts: the tier rule, stated once (`classify`), for every
city of the warehouse and for a city that checks itself.

The rule: a Mission City is at the tier "Mission City". Any other city is "committed to climate neutrality by 2050"
when a citable source says its mayor signed such a commitment: it is a signatory of the Covenant of Mayors' 2050
initiative (the JRC's df1), or it is in a cohort of the Twinning Learning Programme whose call required one (from
2024 on). Every other city is open to what any city may join; "not a signatory of the 2050 initiative" is said as
such, never as "no 2050 target"."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

import vocab
from i18n import N_, number, pgettext
from i18n import gettext as _
from mission import queries
from mission.db import cached

# What each tier opens (vocab.SUPPORT), from the least to the most.
OPENS = {
    "open": ("learning", "peer_groups", "national_events"),
    "committed_2050": ("learning", "peer_groups", "national_events", "study_visits", "twinning"),
    "mission_city": ("learning", "peer_groups", "national_events", "study_visits", "twinning", "mission_support"),
}
# The Twinning Learning Programme's cohorts whose call required "an existing climate neutrality commitment before or
# by 2050", with the source of that rule (data/sources.csv).
TWINNING_COMMITMENT = {"2024": "nzc-twin-cities-cohort-2-2024", "2025": "nzc-twin-cities-call-2025"}
FACTS = {"cohort": pl.Utf8, "declared_2050": pl.Boolean, "covenant_signatory": pl.Boolean, "com_2050": pl.Boolean,
         "com_2030": pl.Boolean, "status": pl.Utf8, "covenant_source": pl.Utf8, "twinning_cohorts": pl.List(pl.Utf8),
         "city_source": pl.Utf8, "labelled": pl.Boolean}


def opens(tier: str) -> list[str]:
    """The labels of what `tier` opens."""
    return [vocab.SUPPORT.label(code) for code in OPENS[tier]]


def classify(facts: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """`facts` (FACTS' columns, any others kept) with tier, tier_reason, tier_source, next_step and standing.

    declared_2050: what a city checking itself says of a signed 2050 commitment (never set for warehouse rows);
    covenant_signatory: the city is a Covenant signatory (False: not in the Covenant file; None: no Covenant file
    was loaded); com_2050 / com_2030 / status: its Covenant facts; twinning_cohorts: its Twinning Learning
    Programme cohorts; city_source: the source of its Mission status; labelled: it has the Mission Label."""
    facts = facts.lazy()
    have = facts.collect_schema().names()
    facts = facts.with_columns(pl.lit(None, dtype).alias(name) for name, dtype in FACTS.items() if name not in have)
    twin = pl.col("twinning_cohorts").fill_null([]).list.eval(
        pl.element().filter(pl.element().is_in(list(TWINNING_COMMITMENT)))).list.first()
    signed = pl.col("covenant_signatory").fill_null(False)
    com_2050 = signed & pl.col("com_2050").fill_null(False)
    suspended = signed & (pl.col("status") == "on_hold")
    declared = pl.col("declared_2050").fill_null(False)
    committed = com_2050 | twin.is_not_null() | declared
    tier = (pl.when(pl.col("cohort") == "mission").then(pl.lit("mission_city"))
            .when(committed).then(pl.lit("committed_2050")).otherwise(pl.lit("open")))
    # In the reader's language: one whole message per case (a cohort is one of TWINNING_COMMITMENT's).
    in_cohort = {cohort: _("in the Twinning Learning Programme's {cohort} cohort, whose call required a "
                           "climate-neutrality commitment by 2050").format(cohort=cohort)
                 for cohort in TWINNING_COMMITMENT}
    reason = (
        pl.when(pl.col("cohort") == "mission").then(pl.lit(_("one of the 112 Mission Cities")))
        .when(com_2050 & suspended).then(pl.lit(_(
            "a signatory of the Covenant of Mayors' 2050 initiative (climate neutrality by 2050); the Covenant has "
            "suspended it (on hold) for not complying with its commitment, notably reporting")))
        .when(com_2050).then(pl.lit(_("a signatory of the Covenant of Mayors' 2050 initiative (climate neutrality by "
                                      "2050)")))
        .when(twin.is_not_null()).then(twin.replace_strict(in_cohort, default=None))
        .when(declared).then(pl.lit(_("the city says its mayor signed a climate-neutrality commitment for 2050 or "
                                      "earlier (not checked against a source)")))
        .when(suspended).then(pl.lit(_(
            "a Covenant of Mayors signatory, not of its 2050 initiative (a 2050 target of its own, if any, is not "
            "known here); the Covenant has suspended it (on hold) for not complying with its commitment, notably "
            "reporting")))
        .when(signed).then(pl.lit(_("a Covenant of Mayors signatory, not of its 2050 initiative (a 2050 target of "
                                    "its own, if any, is not known here)")))
        .when(pl.col("covenant_signatory").is_null()).then(pl.lit(_("no climate-neutrality commitment is known (the "
                                                                    "Covenant of Mayors file is not loaded)")))
        .otherwise(pl.lit(_("no climate-neutrality commitment is known: not a Covenant of Mayors signatory, and not "
                            "in a twinning cohort that required one"))))
    source = (pl.when(pl.col("cohort") == "mission").then(pl.col("city_source"))
              .when(com_2050).then(pl.col("covenant_source"))
              .when(twin.is_not_null()).then(twin.replace_strict(TWINNING_COMMITMENT, default=None))
              .when(signed).then(pl.col("covenant_source")))
    next_step = (
        pl.when(pl.col("cohort") == "mission").then(
            pl.when(pl.col("labelled").fill_null(False)).then(pl.lit(_(
                "Carry out the Climate City Contract's action and investment plans (the city has the Mission "
                "Label)")))
            .otherwise(pl.lit(_("Complete the Climate City Contract so that it earns the Mission Label"))))
        .when(suspended).then(pl.lit(_("Report to the Covenant of Mayors again: its suspension puts the city's "
                                       "commitments on hold")))
        .when(committed).then(pl.lit(_(
            "Ask for a study visit to one of the nearest Mission Cities, or apply to the Twinning Learning "
            "Programme")))
        .when(signed).then(pl.lit(_("Step up to the Covenant of Mayors' 2050 initiative (climate neutrality by "
                                    "2050): it opens study visits and twinning")))
        .otherwise(pl.lit(_("Have the mayor sign a commitment to climate neutrality by 2050 or earlier (for "
                            "example by joining the Covenant of Mayors and its 2050 initiative): it opens study "
                            "visits and twinning"))))
    standing = (pl.when(suspended).then(pl.lit("suspended")).when(signed).then(pl.lit("active"))
                .otherwise(pl.lit("none")))
    return facts.with_columns(tier=tier, tier_reason=reason, tier_source=source, next_step=next_step,
                                     standing=standing).collect()


@dataclass(frozen=True)
class Tier:
    """The tier of one city, with why, where that is written, what it opens and the next step."""

    code: str
    reason: str
    source_id: str | None
    next_step: str

    @property
    def label(self) -> str:
        return vocab.TIER.label(self.code)

    @property
    def opens(self) -> list[str]:
        return opens(self.code)


def tier_of(**facts: object) -> Tier:
    """The tier of one city from its facts (FACTS' names; missing ones are unknown): `classify` on one row."""
    row = pl.DataFrame([{name: facts.get(name) for name in FACTS}], schema=FACTS)
    got = classify(row).row(0, named=True)
    return Tier(got["tier"], got["tier_reason"], got["tier_source"], got["next_step"])


def tier_rank() -> pl.Expr:
    """The rank of the `tier` column's code (vocab.TIER: the Mission's first)."""
    return pl.col("tier").replace_strict({t.code: t.rank for t in vocab.TIER})


# A city's standing in the Covenant of Mayors (the `standing` column of `classify`), marked for translation (N_) and
# translated where it is shown: _(STANDING[code]).
STANDING = {"active": N_("active Covenant signatory"), "suspended": N_("suspended Covenant signatory"),
            "none": N_("not a Covenant signatory")}


def counts(table: pl.DataFrame, by: str | None = None) -> pl.DataFrame:
    """Cities per tier (and `by`, e.g. country), with the active and suspended signatories apart: tier, standing,
    cities."""
    keys = [*([by] if by else []), "tier", "standing"]
    return (table.group_by(keys).agg(pl.len().cast(pl.Int64).alias("cities"))
            .with_columns(rank=tier_rank())
            .sort([*([by] if by else []), "rank", "standing"]).drop("rank"))


@cached
def table(path: Path | None = None) -> pl.DataFrame:
    """Every city of the warehouse with its facts (queries.commitments) and its tier (computed once per warehouse
    version)."""
    return classify(queries.commitments(path=path))


def of_city(city_id: str, path: Path | None = None) -> dict | None:
    """One city's row of `table`, or None for an id the warehouse does not know."""
    found = table(path=path).filter(pl.col("city_id") == city_id)
    return found.row(0, named=True) if found.height else None


@dataclass(frozen=True)
class OnTheirWay:
    """The European cities outside the Mission that the warehouse knows (signatories and programme cities), and
    how many of them are committed to climate neutrality by 2050."""

    cities: int
    committed: int


def on_their_way(countries: tuple[str, ...] | list[str] = (), path: Path | None = None) -> OnTheirWay:
    """OnTheirWay of the given countries (all when none)."""
    others = table(path=path).filter(pl.col("tier") != "mission_city")
    if countries:
        others = others.filter(pl.col("country_iso2").is_in(list(countries)))
    return OnTheirWay(others.height, others.filter(pl.col("tier") == "committed_2050").height)


HORIZON = ("eu_member", "associated", "none")


@dataclass(frozen=True)
class Filters:
    """Which cities the newcomers page shows: countries, a tier, a Covenant standing, a population range and a
    relation to Horizon Europe (none set: every city)."""

    countries: tuple[str, ...] = ()
    tier: str | None = None
    standing: str | None = None
    pop_min: int | None = None
    pop_max: int | None = None
    horizon: str | None = None

    @classmethod
    def from_query(cls, query: dict) -> Filters:
        """From a page's or a link's values; values that mean nothing are dropped (every city for that filter)."""
        raw = query.get("country") or ()
        codes = raw.split(",") if isinstance(raw, str) else raw if isinstance(raw, list | tuple) else ()
        countries = tuple(sorted({c.upper() for c in codes if isinstance(c, str) and len(c) == 2 and c.isalpha()}))

        def whole(value) -> int | None:
            try:
                number = int(value) if not isinstance(value, bool) and value not in (None, "") else None
            except (TypeError, ValueError):
                return None
            return number if number is not None and 0 <= number <= 100_000_000 else None

        def one_of(value, allowed) -> str | None:
            return value if isinstance(value, str) and value in allowed else None

        return cls(countries, one_of(query.get("tier"), vocab.TIER.codes()), one_of(query.get("standing"), STANDING),
                   whole(query.get("pop_min")), whole(query.get("pop_max")), one_of(query.get("horizon"), HORIZON))

    def to_query(self) -> dict[str, str]:
        values = {"country": ",".join(self.countries), "tier": self.tier, "standing": self.standing,
                  "pop_min": self.pop_min, "pop_max": self.pop_max, "horizon": self.horizon}
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    def apply(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The rows of a `table()` frame that pass every filter set (a population filter leaves out the cities
        whose population is not known)."""
        keep = pl.lit(True)
        if self.countries:
            keep &= pl.col("country_iso2").is_in(list(self.countries))
        if self.tier:
            keep &= pl.col("tier") == self.tier
        if self.standing:
            keep &= pl.col("standing") == self.standing
        if self.pop_min is not None:
            keep &= pl.col("population") >= self.pop_min
        if self.pop_max is not None:
            keep &= pl.col("population") <= self.pop_max
        if self.horizon:
            keep &= (pl.col("horizon_relation").is_null() if self.horizon == "none"
                     else pl.col("horizon_relation") == self.horizon)
        return frame.filter(keep)

    def describe(self) -> dict[str, str]:
        """The filters in words, for exports (in the reader's language)."""
        every = pgettext("filter", "all")
        if self.pop_max is not None:
            population = _("{low} to {high}").format(low=number(self.pop_min or 0), high=number(self.pop_max))
        else:
            population = _("from {low}").format(low=number(self.pop_min)) if self.pop_min is not None else every
        return {_("countries"): ", ".join(self.countries) or every,
                _("tier"): vocab.TIER.label(self.tier, every),
                _("Covenant standing"): _(STANDING[self.standing]) if self.standing in STANDING else every,
                _("population"): population,
                _("Horizon Europe"): (vocab.HORIZON_RELATION.label(self.horizon, _("no relation")) if self.horizon
                                      else every)}


def sorted_rows(frame: pl.DataFrame, sort: list[tuple[str, bool]] | tuple = ()) -> pl.DataFrame:
    """`frame` (of `table`) sorted by `sort` ((column, descending) pairs; `tier_rank` sorts by tier), then by name;
    an unknown value last."""
    frame = frame.with_columns(tier_rank=tier_rank())
    keys = [*sort, ("name", False), ("city_id", False)]
    return frame.sort([k for k, _ in keys], descending=[d for _, d in keys], nulls_last=True)


def rows_for_grid(chosen: Filters, sort: list[tuple[str, bool]] | tuple = (), path: Path | None = None) -> pl.DataFrame:
    """The cities `chosen` keeps, sorted: what the newcomers page's grid shows a block at a time."""
    return sorted_rows(chosen.apply(table(path=path)), sort)


def candidates(iso2: str, path: Path | None = None) -> pl.DataFrame:
    """The cities of a country committed to climate neutrality by 2050 that are not Mission Cities (candidates for
    national events and twinning), the most populous first, with the nearest Mission City."""
    nearest = queries.nearest_mission_city(path=path)
    return (table(path=path).filter((pl.col("country_iso2") == iso2) & (pl.col("tier") == "committed_2050"))
            .join(nearest, on="city_id", how="left").sort(["population", "name"], descending=[True, False],
                                                          nulls_last=True))
