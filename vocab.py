"""Every controlled vocabulary of the dashboard, declared once: each term's code, label, short label, colour, note,
aliases and flags.

A leaf module (it imports nothing of the project and reads nothing) shared by both sides: the ETL checks that
inputs use these codes and stores them; the read side shows their labels and colours, and assets/app.css repeats
the colours of kinds and grades (tests/unit/test_vocab.py holds them equal). Labels are the words a translation
starts from. data/README.md documents the codes of every input vocabulary."""

from __future__ import annotations

from dataclasses import dataclass

from i18n import gettext

# Okabe & Ito (2008), "Color Universal Design": distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {"orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73", "yellow": "#F0E442",
             "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7", "black": "#000000"}
GREY = "#8C8C8C"


@dataclass(frozen=True, kw_only=True)
class Term:
    """One value a column may hold, and how it is shown."""

    code: str
    label: str
    short: str | None = None  # a few words, for hover labels and tight places
    colour: str | None = None  # where the term is drawn
    note: str | None = None  # what it means, in a sentence
    aliases: tuple[str, ...] = ()  # other spellings an input may use
    flags: frozenset[str] = frozenset()  # what the domain rules ask of it (see each vocabulary)
    group: str | None = None  # a coarser category it belongs to (see each vocabulary)
    rank: int | None = None  # its place where the vocabulary ranks its terms (see each vocabulary)


@dataclass(frozen=True)
class Vocabulary:
    """The terms of one column or concept, in the order they are listed and drawn."""

    name: str
    terms: tuple[Term, ...]

    def __post_init__(self) -> None:
        codes = [t.code for t in self.terms]
        if len(set(codes)) != len(codes):
            raise ValueError(f"vocabulary {self.name} repeats a code: {codes}")

    def __contains__(self, code: object) -> bool:
        return any(t.code == code for t in self.terms)

    def __iter__(self):
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def codes(self, flag: str | None = None) -> tuple[str, ...]:
        """Every code, or those whose term has `flag`."""
        return tuple(t.code for t in self.terms if flag is None or flag in t.flags)

    def term(self, code: str) -> Term:
        for t in self.terms:
            if t.code == code:
                return t
        raise KeyError(f"{code!r} is not a {self.name}")

    def label(self, code: str | None, default: str | None = None) -> str:
        """The label of `code` in the reader's language; `default` (else the code itself) for a code the vocabulary
        does not have."""
        if code in self:
            return gettext(self.term(code).label)
        return default if default is not None else str(code)

    def short(self, code: str) -> str:
        """The short label of `code` (else its label; the code itself for a code the vocabulary does not have), in
        the reader's language."""
        if code in self:
            term = self.term(code)
            return gettext(term.short or term.label)
        return str(code)

    def note(self, code: str) -> str:
        """What `code` means, in a sentence, in the reader's language ("" where the term has no note)."""
        note = self.term(code).note if code in self else None
        return gettext(note) if note else ""

    def labels(self) -> dict[str, str]:
        """Every code's label in the reader's language."""
        return {t.code: gettext(t.label) for t in self.terms}

    def colours(self) -> dict[str, str]:
        return {t.code: t.colour for t in self.terms if t.colour}

    def parse(self, text: str) -> str | None:
        """The code of `text` given as a code or one of its aliases (case and spaces ignored), else None."""
        key = " ".join(text.split()).lower()
        for t in self.terms:
            if key == t.code.lower() or key in (a.lower() for a in t.aliases):
                return t.code
        return None


def _vocab(name: str, *terms: Term) -> Vocabulary:
    return Vocabulary(name, terms)


def T(code: str, label: str, **kw) -> Term:
    """A term, briefly (flags as any collection)."""
    if "flags" in kw:
        kw["flags"] = frozenset(kw["flags"])
    return Term(code=code, label=label, **kw)


# --- Emissions ------------------------------------------------------------------------------------------------
# Flags: `city`, a sector of a city inventory (not the grand total); `allows_negative`, carbon sinks may make it
# negative. Group: the sector group of the peer finder's sector mix (industrial processes with industry, land use
# with "other").
SECTOR = _vocab(
    "sector",
    T("buildings", "Buildings", flags={"city"}, group="buildings"),
    T("transport", "Transport", flags={"city"}, group="transport"),
    T("waste", "Waste", flags={"city"}, group="waste"),
    T("ippu", "Industrial processes (IPPU)", flags={"city"}, group="industry"),
    T("afolu", "Agriculture, forestry, land use", flags={"city", "allows_negative"}, group="other"),
    T("energy_supply", "Energy supply", flags={"city"}, group="energy supply"),
    T("industry", "Industry", flags={"city"}, group="industry"),
    T("other", "Other", flags={"city"}, group="other"),
    T("total", "Total", note="the inventory's grand total, when the document gives one"),
)
SCOPE = _vocab(
    "scope",
    T("1", "scope 1 (direct)", colour=OKABE_ITO["blue"]),
    T("2", "scope 2 (grid energy)", colour=OKABE_ITO["orange"]),
    T("3", "scope 3 (other indirect)", colour=OKABE_ITO["bluish_green"]),
    T("1+2", "scopes 1+2", colour=OKABE_ITO["reddish_purple"]),
    T("all", "all scopes (no split)", colour=OKABE_ITO["sky_blue"]),
)
# Kinds of a number. Flags: `input`, an input file may state it (a modelled estimate is computed by the build);
# `warehouse`, a kind of emission figure in the warehouse; `usable_inventory`, an inventory of the city's own
# emissions (a projection or a modelled estimate is not one); `export`, a kind in exported data. Rank: the order
# in which the kinds are taken as a city's baseline (0 first; a kind without a rank is never a baseline).
KIND = _vocab(
    "kind",
    T("reported", "reported by the city", colour=OKABE_ITO["blue"], rank=0,
      note="reported by the city in its Climate City Contract",
      flags={"input", "warehouse", "usable_inventory", "export"}),
    T("modelled_estimate", "modelled estimate", colour=OKABE_ITO["vermillion"], rank=2,
      note="modelled estimate of the dashboard: population x national emissions per person by sector",
      flags={"warehouse", "export"}),
    T("official_statistic", "official statistic", colour=OKABE_ITO["bluish_green"], rank=1,
      note="official statistic (national figures, GeoNames populations)",
      flags={"input", "warehouse", "usable_inventory", "export"}),
    T("projected_bau", "projection (business as usual)", colour=OKABE_ITO["reddish_purple"],
      note="business-as-usual projection stated in the contract", flags={"input", "warehouse", "export"}),
    T("official_announcement", "official announcement",
      note="announced by the European Commission / NetZeroCities", flags={"export"}),
    T("computed", "computed by the dashboard",
      note="computed by the dashboard from the figures above (targets in tonnes, pathways, sums)", flags={"export"}),
    T("none", "no baseline", colour=GREY, note="a city without any emissions figure (shown, never stored)"),
)
BASIS = _vocab(
    "ghg_basis",
    T("per_year", "per year"),
    T("total_to_2030", "total to 2030"),
    T("unknown", "basis not stated"),
)
# How a total was read from an inventory (the `city_total` view's method).
TOTAL_METHOD = _vocab(
    "total method",
    T("grand_total", "the document's total"),
    T("sum_of_sectors", "sum of its sectors"),
    T("sum_of_scopes", "sum of its scope rows"),
    T("sum_of_sectors_and_scopes", "sum of sectors and scopes"),
)

# --- Actions ----------------------------------------------------------------------------------------------------
# Group: the sector whose monetised co-benefits apply to the field (data/cobenefit_values.csv is by sector); a
# field without one uses the values given for all sectors.
FIELD = _vocab(
    "field_of_action",
    T("built_environment", "Built environment", colour=OKABE_ITO["blue"], group="buildings"),
    T("energy_systems", "Energy systems", colour=OKABE_ITO["orange"], group="energy_supply"),
    T("mobility", "Mobility", colour=OKABE_ITO["bluish_green"], group="transport"),
    T("waste_circular", "Waste and circular economy", colour=OKABE_ITO["vermillion"], group="waste"),
    T("nature_based", "Nature-based solutions", colour=OKABE_ITO["sky_blue"], group="afolu"),
    T("industry", "Industry", colour=OKABE_ITO["reddish_purple"], group="industry"),
    T("governance", "Governance", colour=OKABE_ITO["yellow"]),
    T("other", "Other", colour=GREY),
)
LEVER = _vocab(
    "lever",
    T("technology_infrastructure", "Technology and infrastructure"),
    T("governance_policy", "Governance and policy"),
    T("social_innovation", "Social innovation"),
    T("democracy_participation", "Democracy and participation"),
    T("finance_funding", "Finance and funding"),
    T("learning_capabilities", "Learning and capabilities"),
    T("data_digital", "Data and digital"),
    T("other", "Other"),
)
COBENEFIT = _vocab(
    "cobenefit",
    T("air_quality", "Air quality"),
    T("health", "Health"),
    T("jobs_economy", "Jobs and economy"),
    T("energy_poverty", "Energy poverty"),
    T("biodiversity", "Biodiversity"),
    T("climate_adaptation", "Climate adaptation"),
    T("social_inclusion", "Social inclusion"),
    T("noise", "Noise"),
    T("energy_security", "Energy security"),
    T("mobility_access", "Access to mobility"),
    T("green_space", "Green space"),
    T("cost_savings", "Cost savings"),
    T("other", "Other"),
)
# What the dashboard flags on an action instead of summing it silently (mission/portfolio.py).
FLAG = _vocab(
    "action flag",
    T("overlap", "overlapping estimate: the document says it is not additive with other actions",
      short="overlapping, not additive"),
    T("removal", "may be carbon removal (sinks, negative emissions) rather than a cut in emissions",
      short="may be carbon removal"),
    T("exceeds_baseline", "the stated reduction is larger than the city's whole baseline",
      short="larger than the baseline"),
    T("cost_outlier", "cost per tonne far above the rest (beyond Tukey's fence on a log scale, over all actions)",
      short="cost per tonne far above the rest"),
    T("implausible", "the transcription note calls a figure implausible", short="note: implausible figure"),
)
# Monetised co-benefit unit values (cobenefit_values.csv): the sectors they are given for ("all": any sector) and
# the co-benefits valued.
VALUE_SECTOR = _vocab(
    "value sector",
    *(T(s.code, s.label) for s in SECTOR if s.code in {"transport", "buildings", "energy_supply", "industry",
                                                      "waste", "afolu"}),
    T("all", "All sectors"),
)
VALUED_COBENEFIT = _vocab(
    "valued co-benefit",
    T("air_quality", "Air quality"),
    T("health", "Health"),
    T("noise", "Noise"),
    T("congestion", "Congestion"),
    T("other", "Other"),
)

# --- Cities -----------------------------------------------------------------------------------------------------
# Flag `listed`: a cohort cities.csv gives (signatories come from the Covenant of Mayors workbooks).
COHORT = _vocab(
    "cohort",
    T("mission", "Mission City", colour=OKABE_ITO["bluish_green"], note="one of the 112 Mission Cities",
      flags={"listed"}),
    T("newcomer", "newcomer city", colour=OKABE_ITO["sky_blue"], flags={"listed"},
      note="a city of the Mission Platform's programmes (Pilot Cities, Twinning) that is not a Mission City"),
    T("signatory", "Covenant of Mayors signatory", colour=GREY,
      note="a municipality that signed the Covenant of Mayors (JRC's GCoM-MyCovenant file) and is neither a Mission "
           "City nor a programme city"),
)
STAGE = _vocab(
    "stage",
    T("labelled", "Mission Label", colour=OKABE_ITO["bluish_green"],
      note="the European Commission endorsed the city's Climate City Contract"),
    T("in_review", "Contract in preparation or review", colour=OKABE_ITO["orange"]),
    T("newcomer", "Newcomer (no contract)", colour=OKABE_ITO["sky_blue"]),
)
# Data quality grades (the rules are in mission/quality.py): green for the best, vermillion for modelled-only
# (never red/green alone: labels say A-D). Black letters on every colour: white would be under 4.5:1 on all four.
GRADE = _vocab(
    "grade",
    T("A", "A", colour=OKABE_ITO["bluish_green"]),
    T("B", "B", colour=OKABE_ITO["sky_blue"]),
    T("C", "C", colour=OKABE_ITO["orange"]),
    T("D", "D", colour=OKABE_ITO["vermillion"]),
    T("none", "no emissions figure", colour=GREY),
)
# What the Mission Platform opens to a city (the rule is mission/tiers.py), from the most to the least. Colours: the
# Mission's green, blue for a 2050 commitment, grey for any other city.
TIER = _vocab(
    "tier",
    T("mission_city", "Mission City", colour=OKABE_ITO["bluish_green"], rank=0,
      note="one of the 112 Mission Cities: the Mission's own support, with everything the platform opens"),
    T("committed_2050", "Committed to climate neutrality by 2050", colour=OKABE_ITO["blue"], rank=1,
      short="2050 commitment",
      note="a climate-neutrality commitment for 2050 or earlier signed by the mayor, from a citable source: "
           "study visits and twinning open"),
    T("open", "Any city (no 2050 commitment known)", colour=GREY, rank=2, short="no 2050 commitment known",
      note="online learning, peer discussion groups and national events are open to any European city"),
)
# What the platform offers (mission/tiers.py says which tier opens which).
SUPPORT = _vocab(
    "support",
    T("learning", "Online learning and support pathways"),
    T("peer_groups", "Online peer discussion groups"),
    T("national_events", "National events with ministries"),
    T("study_visits", "Study visits to Mission Cities"),
    T("twinning", "The Twinning Learning Programme"),
    T("mission_support", "The Mission's own support: the Climate City Contract, the Mission Label and "
      "NetZeroCities' city advisers"),
)
# Whose 2030 target a city's pathway uses (mission/pathways.py words each one for each place).
TARGET_ORIGIN = _vocab(
    "target origin",
    T("own", "the city's own target", note="the 2030 target of the city's Climate City Contract"),
    T("mission_default", "the Mission's default target",
      note="a Mission City whose contract gives no target in the warehouse: the Mission's cut of 80%"),
    T("comparison", "no target: the Mission's default, for comparison only",
      note="a newcomer city has no contract and so no target; the Mission's default is drawn only to compare"),
)
CITY_CONFIDENCE = _vocab(
    "city confidence",
    T("confirmed", "confirmed first-hand"),
    T("uncertain", "confirmed only by a third-party copy of the list"),
)
PLACE_METHOD = _vocab(
    "place method",
    T("gazetteer", "GeoNames gazetteer"),
    T("override", "the project's override table"),
    T("covenant", "the Covenant of Mayors file (the signatory's point, as the JRC publishes it)"),
)
POPULATION_METHOD = _vocab(
    "population method",
    T("contract", "from the city's contract"),
    T("override", "from the project's override table"),
    T("gazetteer", "GeoNames gazetteer (city proper)"),
    T("covenant", "declared by the signatory when it joined the Covenant of Mayors"),
)
# How far a city's point can be trusted (etl/geo.py checks the Covenant's points at build time). Flag `usable`: the
# point is drawn on maps and distances are measured from it.
PLACEMENT = _vocab(
    "placement",
    T("exact", "the city's own point", flags={"usable"}),
    T("approximate", "approximate: not the city's own point (the note says why)", flags={"usable"}),
    T("outside", "outside the city's country: a wrong point, not drawn and not used for distances"),
    T("missing", "no point: not on the map"),
)
TERRITORY = _vocab(
    "territory",
    T("municipality", "municipality"),
    T("metropolitan", "metropolitan area"),
    T("district", "district"),
    T("other", "other"),
)
PROGRAMME = _vocab(
    "programme",
    T("pilot_cities", "Pilot Cities Programme"),
    T("twinning", "Twinning Learning Programme"),
)
DATE_PRECISION = _vocab(
    "date precision",
    T("day", "the day is known"),
    T("month", "only the month is known (the date is its first day)"),
)
CONFIDENCE = _vocab(
    "confidence",
    T("high", "read directly"),
    T("medium", "interpreted"),
    T("low", "inferred"),
)

# --- The Covenant of Mayors (df1 of the JRC's GCoM-MyCovenant release) ---------------------------------------------
COVENANT_STATUS = _vocab(
    "signatory status",
    T("published", "active", note="an active signatory of the Covenant of Mayors"),
    T("on_hold", "suspended", aliases=("on-hold", "on hold"),
      note="suspended by the Covenant for not complying with its commitment, notably for not reporting"),
)
ADHESION = _vocab(
    "adhesion type",
    T("individual", "an individual signatory", aliases=("As an individual signatory",)),
    T("group_individually", "in a group of signatories committing individually (joint plan, option 1)",
      aliases=("As a group of signatories committing individually (joint SEAP - option 1)",)),
    T("group_collectively", "in a group of signatories committing collectively (joint plan, option 2)",
      aliases=("As a group of signatories committing collectively (joint SEAP - option 2)",)),
)
# A country's relation to Horizon Europe, the programme that funds the Mission (horizon_association.csv).
HORIZON_RELATION = _vocab(
    "Horizon Europe relation",
    T("eu_member", "EU member state"),
    T("associated", "associated to Horizon Europe",
      note="a country associated to Horizon Europe, whose cities the Mission takes in"),
)

# --- Mission-wide figures as the Commission and NetZeroCities published them (mission_facts.csv) -----------------
MISSION_FACT = _vocab(
    "Mission fact",
    T("eoi_received", "expressions of interest received"),
    T("eoi_eligible", "eligible expressions of interest"),
    T("cities_selected", "Mission Cities selected"),
    T("contracts_created", "Climate City Contracts created"),
    T("labels_cumulative", "Mission Labels awarded so far",
      note="the published count treats Eindhoven & Helmond as two labels; cities.csv holds one joint entry"),
    T("investment_plans_total", "investment plans of the labelled cities, in total"),
    T("investment_needed", "investment needed"),
    T("incremental_investment_needed", "incremental investment needed"),
)
# What differs between the two inventories a city's achieved pace is measured between (mission/progress.py).
PACE_CAVEAT = _vocab(
    "difference between two inventories",
    T("partial", "one inventory is partial (it covers fewer sectors): not comparable"),
    T("scopes", "the inventories cover different scopes"),
    T("method", "the totals are read differently (a grand total against a sum of sectors or scopes)"),
    T("sectors", "the inventories split a different number of sectors"),
    T("source", "the inventories come from different documents"),
    T("boundary", "the reports state a different boundary or protocol"),
)
FACT_UNIT = _vocab(
    "unit of a Mission fact",
    T("cities", "cities"),
    T("EUR bn", "billion euros"),
)

# --- Targets ----------------------------------------------------------------------------------------------------
TARGET_TYPE = _vocab(
    "target_type",
    T("reduction_pct", "a percentage cut"),
    T("climate_neutrality", "climate neutrality"),
    T("net_positive", "net positive"),
)
REFERENCE_KIND = _vocab(
    "reference_kind",
    T("inventory_year", "an inventory year"),
    T("bau_2030", "the 2030 business-as-usual projection"),
    T("unknown", "not stated"),
)

# --- National figures -------------------------------------------------------------------------------------------
# Flag `allows_negative`: land use can be a net sink.
NATIONAL_SECTOR = _vocab(
    "national_sector",
    T("electricity_heat", "Electricity and heat"),
    T("transport", "Transport"),
    T("buildings", "Buildings"),
    T("manufacturing_construction", "Manufacturing and construction"),
    T("industrial_processes", "Industrial processes"),
    T("fugitive_energy", "Fugitive emissions from energy"),
    T("other_fuel_combustion", "Other fuel combustion"),
    T("agriculture", "Agriculture"),
    T("waste", "Waste"),
    T("land_use_change_forestry", "Land use change and forestry", flags={"allows_negative"}),
)
