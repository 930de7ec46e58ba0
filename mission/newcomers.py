"""Newcomer cities: a readiness tier from what is known, the support each tier opens, and the next step."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

import vocab
from mission import overview, queries
from mission.db import cached
from mission.words import plural

# The steps of the Mission Platform's opening to cities that are not Mission Cities, in order. A city is at the
# highest tier whose steps it has all taken; a step it has not taken (or that is unknown) stops the count.
STEPS = ("monitors", "target_2050", "ambition_2030")


@dataclass(frozen=True)
class Tier:
    level: int
    code: str  # vocab.TIER
    opens: tuple[str, ...]
    next_step: str

    @property
    def name(self) -> str:
        return vocab.TIER.label(self.code)


TIERS = (
    Tier(0, "not_monitoring", ("Online learning and support pathways",),
         "Set up an emission inventory of the city (for example a GPC BASIC inventory) and keep it up to date."),
    Tier(1, "inventory", ("Online learning and support pathways", "Peer discussion groups"),
         "Have the mayor sign a target of climate neutrality by 2050: it opens study visits and twinning."),
    Tier(2, "neutrality_2050",
         ("Online learning and support pathways", "Peer discussion groups", "Study visits", "Twinning"),
         "Set a 2030 ambition: how far the city will cut its emissions by 2030."),
    Tier(3, "ambition_2030",
         ("Online learning and support pathways", "Peer discussion groups", "Study visits", "Twinning"),
         "Build a portfolio of actions towards the 2030 ambition: the Mission Cities' contracts (portfolio page) "
         "and the peers below show how others did it."),
)
UNKNOWN = "unknown"
QUESTIONS = {"monitors": "Does the city monitor its emissions (an emission inventory)?",
             "target_2050": "Has the mayor signed a target of climate neutrality by 2050?",
             "ambition_2030": "Does the city have a 2030 ambition for its emissions?"}


@dataclass(frozen=True)
class Readiness:
    """A tier (None when even the first answer is unknown), and whether the answers above it are unknown."""

    tier: Tier | None
    unknown_after: str | None

    @property
    def label(self) -> str:
        if self.tier is None:
            return UNKNOWN
        return self.tier.name + (" (at least: the next step is not known)" if self.unknown_after else "")


def readiness(answers: dict[str, bool | None]) -> Readiness:
    """The tier of a city from its answers (True, False or None = unknown), step by step in STEPS' order."""
    level = 0
    for step in STEPS:
        answer = answers.get(step)
        if answer is None:
            return Readiness(TIERS[level] if level else None, step)
        if not answer:
            return Readiness(TIERS[level], None)
        level += 1
    return Readiness(TIERS[level], None)


def warehouse_answers(has_2030_target: bool, reported_years: int) -> dict[str, bool | None]:
    """What the warehouse knows of a city's steps: an inventory reported by the city means it monitors (a modelled
    estimate says nothing); a 2030 target row means a 2030 ambition; nothing records a signed 2050 target."""
    return {"monitors": True if reported_years else None, "target_2050": None,
            "ambition_2030": True if has_2030_target else None}


def tier_counts(newcomers: pl.DataFrame) -> pl.DataFrame:
    """Newcomers per country and tier label."""
    return newcomers.group_by("country", "tier").agg(pl.len().cast(pl.Int32).alias("cities")).sort("country", "tier")


def summary_text(name: str, country: str, population: int | None, answers: dict[str, bool | None],
                 result: Readiness, peers: list) -> str:
    """The downloadable summary of a self-check, as plain text (built from the answers; nothing is stored)."""
    words = {True: "yes", False: "no", None: "not sure"}
    lines = [f"Cities Mission Dashboard: readiness self-check for {name or 'a city'} ({country})", ""]
    if population:
        lines.append(f"Population: {population:,}")
    lines += [f"{QUESTIONS[s]} {words[answers.get(s)]}" for s in STEPS]
    lines += ["", f"Tier: {result.label}"]
    if result.tier is not None:
        lines.append("Opens: " + ", ".join(result.tier.opens))
    lines.append("Next step: " + next_step(result))
    if peers:
        lines += ["", "Mission Cities to learn from:"]
        lines += [f"- {m.profile.name} ({m.profile.country_iso2}): {'; '.join(m.reasons)}" for m in peers]
    return "\n".join(lines) + "\n"


def next_step(result: Readiness) -> str:
    if result.tier is None:
        return "Answer whether the city monitors its emissions: that is the first step."
    if result.unknown_after:
        return f"Find out: {QUESTIONS[result.unknown_after]}"
    return result.tier.next_step


def tiers_summary(newcomers: pl.DataFrame) -> str:
    known = newcomers.filter(pl.col("tier") != UNKNOWN)
    return (f"{plural(newcomers.height, 'newcomer city', 'newcomer cities')} in the warehouse; the facts behind a "
            f"tier are known for {known.height}. The warehouse records whether a city reports its own inventory and "
            "has a 2030 target, never whether a 2050 target is signed.")


@cached
def newcomer_table(path: Path | None = None) -> pl.DataFrame:
    """One row per newcomer city: country, population, twinning partners, the facts the warehouse knows, tier."""
    cities = overview.all_city_metrics(path=path).filter(pl.col("cohort") == "newcomer")
    reported = (queries.city_totals(path=path).filter(pl.col("kind") == "reported")
                .group_by("city_id").agg(pl.col("year").n_unique().alias("reported_years")))
    links = queries.twin_links(path=path)
    partners = (links.group_by("city_id").agg(pl.col("partner").sort().str.join(", ").alias("twins")))
    rows = []
    for r in cities.join(reported, on="city_id", how="left").join(partners, on="city_id", how="left").iter_rows(
            named=True):
        answers = warehouse_answers(r["target_year"] is not None, r["reported_years"] or 0)
        rows.append({**{k: r[k] for k in ("city_id", "name", "country_iso2", "country", "population",
                                          "baseline_kind", "grade", "grade_reason", "twins")},
                     **{step: answers[step] for step in STEPS}, "tier": readiness(answers).label})
    return pl.DataFrame(rows, schema={"city_id": pl.Utf8, "name": pl.Utf8, "country_iso2": pl.Utf8,
                                      "country": pl.Utf8, "population": pl.Int64, "baseline_kind": pl.Utf8,
                                      "grade": pl.Utf8, "grade_reason": pl.Utf8, "twins": pl.Utf8,
                                      "monitors": pl.Boolean,
                                      "target_2050": pl.Boolean, "ambition_2030": pl.Boolean, "tier": pl.Utf8}
                        ).sort("name")
