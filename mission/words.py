"""How the dashboard says things: names of kinds, sectors, scopes and fields, and tonnages for people."""

from __future__ import annotations

import math

KIND_WORDS = {"reported": "reported by the city", "modelled_estimate": "modelled estimate",
              "official_statistic": "official statistic", "projected_bau": "projection (business as usual)",
              "none": "no baseline"}
SECTOR_WORDS = {"buildings": "Buildings", "transport": "Transport", "energy_supply": "Energy supply",
                "waste": "Waste", "industry": "Industry", "ippu": "Industrial processes (IPPU)",
                "afolu": "Agriculture, forestry, land use", "other": "Other", "total": "Total"}
SCOPE_WORDS = {"1": "scope 1 (direct)", "2": "scope 2 (grid energy)", "3": "scope 3 (other indirect)",
               "1+2": "scopes 1+2", "all": "all scopes (no split)"}
FIELD_WORDS = {"built_environment": "Built environment", "energy_systems": "Energy systems", "mobility": "Mobility",
               "waste_circular": "Waste and circular economy", "nature_based": "Nature-based solutions",
               "industry": "Industry", "governance": "Governance", "other": "Other"}


def tonnes(value: float | None) -> str:
    """A tonnage for people: 1,234,567 -> '1.23 Mt', 45,600 -> '45.6 kt', 850 -> '850 t'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    size = abs(value)
    if size >= 1e6:
        return f"{value / 1e6:,.2f} Mt"
    if size >= 1e4:
        return f"{value / 1e3:,.1f} kt"
    return f"{value:,.0f} t"


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 city', '2 cities'."""
    return f"{n} {word if n == 1 else (words or word + 's')}"

LEVER_WORDS = {"technology_infrastructure": "Technology and infrastructure",
               "governance_policy": "Governance and policy",
               "social_innovation": "Social innovation", "democracy_participation": "Democracy and participation",
               "finance_funding": "Finance and funding", "learning_capabilities": "Learning and capabilities",
               "data_digital": "Data and digital", "other": "Other"}
COBENEFIT_WORDS = {"air_quality": "Air quality", "health": "Health", "jobs_economy": "Jobs and economy",
                   "energy_poverty": "Energy poverty", "biodiversity": "Biodiversity",
                   "climate_adaptation": "Climate adaptation", "social_inclusion": "Social inclusion", "noise": "Noise",
                   "energy_security": "Energy security", "mobility_access": "Access to mobility",
                   "green_space": "Green space", "cost_savings": "Cost savings", "other": "Other"}
BASIS_WORDS = {"per_year": "per year", "total_to_2030": "total to 2030", "unknown": "basis not stated"}
FLAG_WORDS = {
    "overlap": "overlapping estimate: the document says it is not additive with other actions",
    "removal": "may be carbon removal (sinks, negative emissions) rather than a cut in emissions",
    "exceeds_baseline": "the stated reduction is larger than the city's whole baseline",
    "cost_outlier": "cost per tonne far above the rest (beyond Tukey's fence on a log scale, over all actions)",
    "implausible": "the transcription note calls a figure implausible",
}
# The same flags in a few words, for hover labels.
FLAG_SHORT = {"overlap": "overlapping, not additive", "removal": "may be carbon removal",
              "exceeds_baseline": "larger than the baseline", "cost_outlier": "cost per tonne far above the rest",
              "implausible": "note: implausible figure"}
