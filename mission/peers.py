"""Mission Cities like me: the most similar Mission Cities by size, place, emissions per person and sector mix."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

import vocab
from i18n import N_, number, percent
from i18n import gettext as _
from mission import overview, queries
from mission.db import cached
from mission.quality import Grade
from mission.words import count

# UN Statistics Division, Standard country or area codes for statistical use (M49): geographic sub-regions (names
# marked for translation, translated where they are shown).
M49_REGION = {
    **dict.fromkeys(("DK", "EE", "FI", "IS", "IE", "LV", "LT", "NO", "SE", "GB"), N_("Northern Europe")),
    **dict.fromkeys(("AT", "BE", "FR", "DE", "LI", "LU", "MC", "NL", "CH"), N_("Western Europe")),
    **dict.fromkeys(("AL", "AD", "BA", "HR", "GR", "IT", "MT", "ME", "MK", "PT", "SM", "RS", "SI", "ES", "XK"),
                    N_("Southern Europe")),
    **dict.fromkeys(("BY", "BG", "CZ", "HU", "MD", "PL", "RO", "RU", "SK", "UA"), N_("Eastern Europe")),
    **dict.fromkeys(("AM", "AZ", "CY", "GE", "IL", "TR"), N_("Western Asia")),
}
# Sector mix groups (vocab.SECTOR's group): industry and industrial processes together; land use and "other".
MIX_GROUPS = {t.code: t.group for t in vocab.SECTOR if t.group}
# The groups in words (the reasons name the largest).
GROUP_WORDS = {"buildings": N_("buildings"), "transport": N_("transport"), "waste": N_("waste"),
               "industry": N_("industry"), "energy supply": N_("energy supply"), "other": N_("other")}
# A difference of this many tonnes per person counts as fully different (about the spread of the Mission Cities).
PER_CAPITA_SCALE_T = 5.0
PEERS = 5


@dataclass(frozen=True)
class Profile:
    """What the similarity compares. Any of population, per_capita_t and mix may be unknown (None / empty)."""

    name: str
    country_iso2: str
    population: int | None = None
    per_capita_t: float | None = None
    mix: dict[str, float] = field(default_factory=dict)
    city_id: str | None = None
    per_capita_kind: str | None = None
    grade: Grade | None = None  # data quality grade of the baseline behind per_capita_t


@dataclass(frozen=True)
class Match:
    profile: Profile
    distance: float
    reasons: list[str]


def sector_mix(rows: pl.DataFrame) -> dict[str, float]:
    """Shares of a baseline's positive emissions by MIX_GROUPS (sinks and negative rows left out)."""
    totals: dict[str, float] = {}
    for sector, tco2e in rows.select("sector", "tco2e").iter_rows():
        if tco2e and tco2e > 0:
            group = MIX_GROUPS.get(sector, "other")
            totals[group] = totals.get(group, 0.0) + tco2e
    whole = sum(totals.values())
    return {k: v / whole for k, v in totals.items()} if whole else {}


def components(a: Profile, b: Profile) -> dict[str, float]:
    """The distances that can be computed, each from 0 (same) to about 1 (fully different):
    size = |log10 of the populations' ratio| (1 = tenfold); place = 0 same country, 0.5 same UN M49 sub-region,
    1 otherwise; per_capita = |difference| / 5 t, at most 1; mix = half the summed absolute share differences."""
    out = {}
    if a.population and b.population:
        out["size"] = abs(math.log10(a.population / b.population))
    if a.country_iso2 == b.country_iso2:
        out["place"] = 0.0
    else:
        region = M49_REGION.get(a.country_iso2)
        out["place"] = 0.5 if region and region == M49_REGION.get(b.country_iso2) else 1.0
    if a.per_capita_t is not None and b.per_capita_t is not None:
        out["per_capita"] = min(abs(a.per_capita_t - b.per_capita_t) / PER_CAPITA_SCALE_T, 1.0)
    if a.mix and b.mix:
        out["mix"] = sum(abs(a.mix.get(k, 0.0) - b.mix.get(k, 0.0)) for k in set(a.mix) | set(b.mix)) / 2
    return out


def distance(a: Profile, b: Profile) -> float:
    """The mean of the available components, each weighted equally (lower = more similar)."""
    parts = components(a, b)
    return sum(parts.values()) / len(parts)


def _largest(mix: dict[str, float]) -> tuple[str, float]:
    return max(mix.items(), key=lambda kv: (kv[1], kv[0]))


def reasons(a: Profile, b: Profile) -> list[str]:
    """Why b is like a, in words, one phrase per component."""
    words = []
    if a.population and b.population:
        words.append(_("population {population} (yours {yours})").format(population=number(b.population),
                                                                         yours=number(a.population)))
    if a.country_iso2 == b.country_iso2:
        words.append(_("same country"))
    elif M49_REGION.get(a.country_iso2) and M49_REGION.get(a.country_iso2) == M49_REGION.get(b.country_iso2):
        words.append(_("same region ({region})").format(region=_(M49_REGION[a.country_iso2])))
    elif b.country_iso2 in M49_REGION:
        words.append(_("in {region}").format(region=_(M49_REGION[b.country_iso2])))
    else:
        words.append(_("in another region"))
    if a.per_capita_t is not None and b.per_capita_t is not None:
        per_capita = (_("{value} t CO2e per person (modelled) (yours {yours})")
                      if b.per_capita_kind == "modelled_estimate" else _("{value} t CO2e per person (yours {yours})"))
        words.append(per_capita.format(value=number(b.per_capita_t, 1), yours=number(a.per_capita_t, 1)))
    if a.mix and b.mix:
        (sector_b, share_b), (sector_a, share_a) = _largest(b.mix), _largest(a.mix)
        if sector_a == sector_b:
            words.append(_("largest sector {sector}, {share} too").format(sector=_sector(sector_b),
                                                                          share=percent(share_b * 100)))
        else:
            words.append(_("largest sector {sector}, {share} (yours: {own_sector}, {own_share})").format(
                sector=_sector(sector_b), share=percent(share_b * 100), own_sector=_sector(sector_a),
                own_share=percent(share_a * 100)))
    return words


def _sector(group: str) -> str:
    return _(GROUP_WORDS[group]) if group in GROUP_WORDS else group


def find(me: Profile, candidates: list[Profile], n: int = PEERS) -> list[Match]:
    """The n candidates closest to `me` (itself excluded), ties broken by name."""
    others = [c for c in candidates if not (me.city_id and c.city_id == me.city_id)]
    ranked = sorted(others, key=lambda c: (distance(me, c), c.name))
    return [Match(c, distance(me, c), reasons(me, c)) for c in ranked[:n]]


def profiles(cities: pl.DataFrame, sectors: pl.DataFrame) -> list[Profile]:
    """A profile per city of `overview.city_metrics` rows, with the sector mix of its baseline."""
    mixes = {cid: sector_mix(rows) for (cid,), rows in sectors.group_by("city_id")}
    return [Profile(r["name"], r["country_iso2"], r["population"], r["per_capita_t"], mixes.get(r["city_id"], {}),
                    r["city_id"], r["baseline_kind"],
                    Grade(r["grade"], r["grade_reason"]) if r.get("grade") else None)
            for r in cities.iter_rows(named=True)]


def summary(me: Profile, matches: list[Match]) -> str:
    if not matches:
        return _("No Mission City to compare {city} with.").format(city=me.name)
    names = ", ".join(m.profile.name for m in matches)
    return _("The {cities} most like {city}: {names}.").format(
        cities=count(len(matches), "{n} Mission City", "{n} Mission Cities"), city=me.name, names=names)


@cached
def all_profiles(path: Path | None = None) -> list[Profile]:
    """A profile of every city in the warehouse (computed once per warehouse version)."""
    return profiles(overview.all_city_metrics(path=path), queries.baseline_sectors(path=path))


def mission_candidates(path: Path | None = None) -> list[Profile]:
    """The Mission Cities a city can be compared with."""
    mission = set(overview.all_city_metrics(path=path).filter(pl.col("cohort") == "mission")["city_id"])
    return [p for p in all_profiles(path=path) if p.city_id in mission]


def profile_of(city_id: str, path: Path | None = None) -> Profile | None:
    return next((p for p in all_profiles(path=path) if p.city_id == city_id), None)
