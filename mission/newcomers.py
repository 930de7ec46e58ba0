"""The programme cities that are not Mission Cities (newcomers), and the self-check of a city the warehouse does not
know: its tier by the one rule (mission/tiers.py), what it opens and its next steps."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

import vocab
from i18n import N_, number
from i18n import gettext as _
from mission import overview, queries, tiers
from mission.db import cached

# The self-check's questions: the first gives the tier (the rule reads it as the city's own word), the others the
# steps after it. Marked for translation (N_), translated where they are shown (`_(QUESTIONS[step])`).
QUESTIONS = {"target_2050": N_("Has the mayor signed a commitment to climate neutrality by 2050 or earlier (for "
                               "example the Covenant of Mayors' 2050 initiative)?"),
             "monitors": N_("Does the city monitor its emissions (an emission inventory)?"),
             "ambition_2030": N_("Does the city have a 2030 ambition for its emissions?")}
STEPS = tuple(QUESTIONS)
LATER_STEPS = {"monitors": N_("Set up an emission inventory of the city (for example a GPC BASIC inventory) and keep "
                              "it up to date"),
               "ambition_2030": N_("Set a 2030 ambition: how far the city will cut its emissions by 2030")}


@dataclass(frozen=True)
class SelfCheck:
    """A city's own answers (True, False or None = not sure), its tier by the rule and its next steps in order."""

    answers: dict[str, bool | None]
    tier: tiers.Tier

    @property
    def steps(self) -> list[str]:
        """The next steps, in the reader's language."""
        first = ([_("Find out whether the mayor has signed a commitment to climate neutrality by 2050: it would open "
                    "study visits and twinning")] if self.answers.get("target_2050") is None
                 else [self.tier.next_step])
        return first + [_(step) for name, step in LATER_STEPS.items() if not self.answers.get(name)]


def self_check(answers: dict[str, bool | None]) -> SelfCheck:
    """The tier and next steps of a city that answers the QUESTIONS (a city of its own, not in the warehouse)."""
    return SelfCheck(answers, tiers.tier_of(cohort="self", declared_2050=answers.get("target_2050")))


def summary_text(name: str, country: str, population: int | None, check: SelfCheck, peers: list) -> str:
    """The downloadable summary of a self-check, as plain text (built from the answers; nothing is stored)."""
    words = {True: _("yes"), False: _("no"), None: _("not sure")}
    lines = [(_("Cities Mission Dashboard: self-check for {name} ({country})") if name else
              _("Cities Mission Dashboard: self-check for a city ({country})")).format(name=name, country=country), ""]
    if population:
        lines.append(_("Population: {population}").format(population=number(population)))
    lines += [f"{_(QUESTIONS[s])} {words[check.answers.get(s)]}" for s in STEPS]
    lines += ["", _("Tier: {tier}").format(tier=check.tier.label), _("Why: {reason}").format(reason=check.tier.reason),
              _("Opens: {opens}").format(opens=", ".join(check.tier.opens)), _("Next steps:"),
              *(f"- {step}" for step in check.steps)]
    if peers:
        lines += ["", _("Mission Cities to learn from:")]
        lines += [f"- {m.profile.name} ({m.profile.country_iso2}): {'; '.join(m.reasons)}" for m in peers]
    return "\n".join(lines) + "\n"


@cached
def newcomer_table(path: Path | None = None) -> pl.DataFrame:
    """One row per newcomer city (the programmes' cities that are not Mission Cities): country, population, its
    programmes, twinning partners, data quality grade and its tier with the reason."""
    cities = overview.all_city_metrics(path=path).filter(pl.col("cohort") == "newcomer").select(
        "city_id", "name", "country_iso2", "country", "population", "baseline_kind", "grade", "grade_reason")
    programmes = (queries.programmes(path=path).group_by("city_id").agg(
        pl.format("{} {}", pl.col("programme").replace_strict(vocab.PROGRAMME.labels(), default=pl.col("programme")),
                  pl.col("programme_cohort").fill_null("")).sort().str.join("; ").alias("programmes")))
    partners = queries.twin_links(path=path).group_by("city_id").agg(
        pl.col("partner").sort().str.join(", ").alias("twins"))
    tiered = tiers.table(path=path).select("city_id", "tier", "tier_reason", "tier_source", "standing")
    return (cities.join(programmes, on="city_id", how="left").join(partners, on="city_id", how="left")
            .join(tiered, on="city_id", how="left").sort("name"))

