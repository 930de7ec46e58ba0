"""Every input file and every warehouse table, declared once: columns, types, units, keys, vocabularies."""

from __future__ import annotations

from dataclasses import dataclass, field

from vocab import (
    ADHESION,
    BASIS,
    CITY_CONFIDENCE,
    COBENEFIT,
    COHORT,
    CONFIDENCE,
    COVENANT_STATUS,
    DATE_PRECISION,
    FACT_UNIT,
    FIELD,
    HORIZON_RELATION,
    KIND,
    LEVER,
    MISSION_FACT,
    NATIONAL_SECTOR,
    PLACE_METHOD,
    PLACEMENT,
    POPULATION_METHOD,
    PROGRAMME,
    REFERENCE_KIND,
    SCOPE,
    SECTOR,
    TARGET_TYPE,
    TERRITORY,
    VALUE_SECTOR,
    VALUED_COBENEFIT,
    Vocabulary,
)

SCHEMA_VERSION = 6

# Vocabularies are declared once, in vocab.py: codes, labels, colours and the flags that rules read.
YEAR_MIN, YEAR_MAX = 1990, 2060
# The first Mission Labels were awarded on 12 October 2023 (data/sources.csv:
# nzc-2023-10-12-eu-mission-label-award-can-unlock-cities-potentia); only the month of some later label dates is
# known, so any day from the start of that year is accepted, and nothing earlier.
LABEL_DATE_MIN = "2023-01-01"


# --- Input files: the documented input format (CSV, or the same columns in .xlsx) -------------------
@dataclass(frozen=True)
class InputColumn:
    """One column of an input file. `kind` is how its text is read: text, int, float, date, bool, list."""

    name: str
    kind: str = "text"
    required: bool = False
    vocab: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    unit: str | None = None
    description: str = ""


@dataclass(frozen=True)
class InputFile:
    name: str  # logical name: the file is NAME.csv or NAME.xlsx
    description: str
    columns: tuple[InputColumn, ...]
    key: tuple[str, ...]  # natural key: two rows with the same key must not disagree
    optional: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> InputColumn:
        return next(c for c in self.columns if c.name == name)


def _c(name: str, kind: str = "text", **kw) -> InputColumn:
    """An input column; `vocab` is a Vocabulary (all its codes) or the codes allowed."""
    if isinstance(kw.get("vocab"), Vocabulary):
        kw["vocab"] = kw["vocab"].codes()
    return InputColumn(name, kind, **kw)


def _year(name: str, required: bool = False, description: str = "") -> InputColumn:
    return _c(name, "int", required=required, min=YEAR_MIN, max=YEAR_MAX, description=description)


_CITY = _c("city", required=True, description="city name as in cities.csv")
_ISO2 = _c("country_iso2", required=True, description="ISO 3166-1 alpha-2 country code")
_SOURCE = _c("source_id", required=True, description="a source_id of sources.csv")

INPUT_FILES: tuple[InputFile, ...] = (
    InputFile(
        "sources", "one row per source", key=("source_id",),
        columns=(
            _c("source_id", required=True), _c("title", required=True), _c("producer"), _c("url"),
            _c("accessed", "date"), _c("licence"), _c("citation"), _c("notes"),
        ),
    ),
    InputFile(
        "cities", "one row per city", key=("city", "country_iso2"),
        columns=(
            _CITY, _ISO2, _c("cohort", required=True, vocab=COHORT.codes("listed")), _c("eu_member", "bool"),
            _c("aliases", "list", description="';'-separated other names"),
            _c("confidence", vocab=CITY_CONFIDENCE), _SOURCE, _c("note"),
        ),
    ),
    InputFile(
        "programmes", "one row per city and programme", key=("city", "country_iso2", "programme"), optional=True,
        columns=(
            _CITY, _ISO2, _c("programme", required=True, vocab=PROGRAMME), _c("programme_cohort"),
            _c("activity"), _c("partner"), _SOURCE,
        ),
    ),
    InputFile(
        "mission_labels", "one row per labelled city", key=("city", "country_iso2"),
        columns=(
            _CITY, _ISO2, _c("label_date", "date", required=True),
            _c("date_precision", required=True, vocab=DATE_PRECISION),
            _c("wave", "int", required=True, min=1, max=99), _SOURCE,
        ),
    ),
    InputFile(
        "emissions", "one row per city, year, sector, scope and kind",
        key=("city", "country_iso2", "year", "sector", "scope", "kind"),
        columns=(
            _CITY, _ISO2, _year("year", required=True), _c("sector", required=True, vocab=SECTOR),
            _c("scope", required=True, vocab=SCOPE),
            _c("tco2e", "float", required=True, unit="t CO2e", description="emissions in tonnes CO2-equivalent"),
            _c("kind", required=True, vocab=KIND.codes("input")), _SOURCE, _c("ref"),
            _c("confidence", vocab=CONFIDENCE), _c("note"),
        ),
    ),
    InputFile(
        "targets", "one row per city", key=("city", "country_iso2"),
        columns=(
            _CITY, _ISO2, _year("target_year", required=True),
            _c("reduction_pct", "float", min=0, max=200, unit="%"),
            _c("target_type", required=True, vocab=TARGET_TYPE), _year("reference_year"),
            _c("reference_kind", required=True, vocab=REFERENCE_KIND), _year("inventory_base_year"),
            _c("residual_tco2e", "float", unit="t CO2e"), _c("residual_pct", "float", min=0, unit="%"),
            _SOURCE, _c("ref"), _c("confidence", vocab=CONFIDENCE), _c("basis_note"),
        ),
    ),
    InputFile(
        "actions", "one row per action", key=("action_id",),
        columns=(
            _c("action_id", required=True), _CITY, _ISO2, _c("action_name", required=True),
            _c("field_of_action", required=True, vocab=FIELD), _c("levers", "list", vocab=LEVER),
            _c("action_type"), _c("ghg_reduction_tco2e", "float", unit="t CO2e"),
            _c("ghg_basis", required=True, vocab=BASIS), _c("cost_eur", "float", min=0, unit="EUR"),
            _year("start_year"), _year("end_year"), _c("responsible"), _c("cobenefits", "list", vocab=COBENEFIT),
            _SOURCE, _c("ref"), _c("confidence", vocab=CONFIDENCE), _c("note"),
        ),
    ),
    InputFile(
        "population", "one row per city: the population of the territory its contract covers",
        key=("city", "country_iso2"), optional=True,
        columns=(
            _CITY, _ISO2, _c("population", "int", required=True, min=1, unit="people"), _year("year"),
            _c("territory", vocab=TERRITORY), _SOURCE, _c("ref"), _c("confidence", vocab=CONFIDENCE), _c("note"),
        ),
    ),
    InputFile(
        "national_ghg", "one row per country and year", key=("country_iso2", "year"),
        columns=(
            _ISO2, _year("year", required=True), _c("population", "int", min=1, unit="people"),
            _c("total_ghg_mt_co2e", "float", unit="Mt CO2e"), _c("ghg_per_capita_t", "float", unit="t CO2e per person"),
            _SOURCE,
        ),
    ),
    InputFile(
        "national_ghg_sectors", "one row per country, year and national sector",
        key=("country_iso2", "year", "national_sector"),
        columns=(
            _ISO2, _year("year", required=True), _c("national_sector", required=True, vocab=NATIONAL_SECTOR),
            _c("mt_co2e", "float", required=True, unit="Mt CO2e"), _SOURCE,
        ),
    ),
    InputFile(
        "sector_map", "how national sectors map onto city sectors", key=("national_sector",),
        columns=(
            _c("national_sector", required=True, vocab=NATIONAL_SECTOR),
            _c("city_sector", required=True, vocab=SECTOR.codes("city")),
        ),
    ),
    InputFile(
        "city_locations", "override table for cities the offline gazetteer cannot place by name",
        key=("city", "country_iso2"), optional=True,
        columns=(
            _CITY, _ISO2,
            _c("gazetteer_names", "list", description="';'-separated gazetteer names: first gives the point, "
               "populations are summed"),
            _c("lat", "float", min=-90, max=90, unit="degrees"), _c("lon", "float", min=-180, max=180, unit="degrees"),
            _c("coord_source_id", required=True, description="source of the point (or of the gazetteer names)"),
            _c("population", "int", min=1, unit="people"), _year("population_year"),
            _c("population_source_id", description="source of the population, where one is given"),
            _c("ref"), _c("note"),
        ),
    ),
)
INPUT_FILES = (*INPUT_FILES, InputFile(
    "mission_facts", "one row per Mission-wide figure as published (shown as published, never mixed with the "
    "warehouse's own counts)", key=("fact", "as_of"), optional=True,
    columns=(_c("fact", required=True, vocab=MISSION_FACT), _c("value", "float", required=True, min=0),
             _c("unit", required=True, vocab=FACT_UNIT), _c("scope", required=True, description="what it counts"),
             _c("as_of", "date", required=True, description="the date the figure describes"), _SOURCE,
             _c("quote", description="the source's own words")),
), InputFile(
    "horizon_association", "one row per country with a relation to Horizon Europe (a country not listed has none)",
    key=("country_iso2",), optional=True,
    columns=(_ISO2, _c("relation", required=True, vocab=HORIZON_RELATION), _c("note"), _SOURCE),
), InputFile(
    "cobenefit_values", "monetised co-benefits per tonne of CO2e cut, by sector, from published sources",
    key=("sector", "cobenefit", "source_id"), optional=True,
    columns=(
        _c("sector", required=True, vocab=VALUE_SECTOR), _c("cobenefit", required=True, vocab=VALUED_COBENEFIT),
        _c("low_eur_per_tco2e", "float", min=0, unit="EUR per t CO2e"),
        _c("central_eur_per_tco2e", "float", required=True, min=0, unit="EUR per t CO2e"),
        _c("high_eur_per_tco2e", "float", min=0, unit="EUR per t CO2e"),
        _year("price_year", description="price level of the euros, where the source states it"),
        _c("includes_climate_damage", "bool", required=True,
           description="true if the value includes the damage of the CO2 itself (double counts with a carbon price)"),
        _SOURCE, _c("ref"), _c("derivation", description="how the per-tonne value follows from the source"),
    ),
))
INPUTS = {f.name: f for f in INPUT_FILES}


# --- Warehouse tables: the public contract of the .duckdb file ---------------------------------------
@dataclass(frozen=True)
class Field:
    name: str
    type: str  # DuckDB type
    description: str
    unit: str | None = None
    nullable: bool = True
    vocab: tuple[str, ...] | None = None  # the codes it may hold (vocab.py); the build checks them


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, table, column) beyond the conventions below
    order_by: tuple[str, ...] = field(default=())

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def references(self) -> tuple[tuple[str, str, str], ...]:
        """Every (column, table, column) this table points at: its declared foreign keys plus the conventions of
        the warehouse (a `city_id` is a city, a source column a source). The build checks them all."""
        conventional = [(c, "city", "city_id") for c in self.columns if c == "city_id" and self.name != "city"]
        conventional += [(c, "source", "source_id") for c in self.columns
                         if c in SOURCE_COLUMNS and self.name != "source"]
        return (*self.foreign_keys, *conventional)

    def ddl(self) -> str:
        lines = [
            f"{f.name} {f.type}" + ("" if f.nullable and f.name not in self.primary_key else " NOT NULL")
            for f in self.fields
        ]
        # Keys are checked by the build (etl.load.check_primary_keys), not enforced with an index: an index on
        # the largest table costs most of the load time and adds nothing to a read-only file.
        return f"CREATE TABLE {self.name} (\n  " + ",\n  ".join(lines) + "\n)"

    @property
    def sort_key(self) -> tuple[str, ...]:
        return self.order_by or self.primary_key or self.columns


def F(name: str, type_: str, description: str, unit: str | None = None, nullable: bool = True,
      vocab: Vocabulary | tuple[str, ...] | None = None) -> Field:
    return Field(name, type_, description, unit, nullable, vocab.codes() if isinstance(vocab, Vocabulary) else vocab)


# Columns that name a source.source_id.
SOURCE_COLUMNS = ("source_id", "coord_source_id", "population_source", "horizon_source_id")
_F_SOURCE = F("source_id", "VARCHAR", "the source of this row: source.source_id", nullable=False)
_F_REF = F("ref", "VARCHAR", "where the value sits in its source (file and line of the document copy)")
_F_CONF = F("confidence", "VARCHAR", "high: read directly; medium: interpreted; low: inferred")
_F_CITY = F("city_id", "VARCHAR", "city.city_id", nullable=False)

TABLES: tuple[Table, ...] = (
    Table("source", "one row per source of any fact in the warehouse", (
        F("source_id", "VARCHAR", "stable identifier"), F("title", "VARCHAR", "title", nullable=False),
        F("producer", "VARCHAR", "who produced it"), F("url", "VARCHAR", "where it can be read"),
        F("accessed", "DATE", "when it was read"), F("licence", "VARCHAR", "licence or terms"),
        F("citation", "VARCHAR", "how to cite it"), F("notes", "VARCHAR", "caveats; for computed sources, the method"),
    ), primary_key=("source_id",)),
    Table("country", "one row per country of a city or of the national figures", (
        F("country_iso2", "VARCHAR", "ISO 3166-1 alpha-2"), F("iso3", "VARCHAR", "ISO 3166-1 alpha-3"),
        F("name", "VARCHAR", "English name (GeoNames)", nullable=False),
        F("eu_member", "BOOLEAN", "EU member state (from cities.csv, else horizon_association.csv; NULL where "
          "neither says)"),
        F("source_id", "VARCHAR", "source of the name and codes", nullable=False),
        F("horizon_relation", "VARCHAR", "eu_member | associated: its relation to Horizon Europe (NULL: none)",
          vocab=HORIZON_RELATION),
        F("horizon_source_id", "VARCHAR", "source of that relation"),
    ), primary_key=("country_iso2",)),
    Table("city", "one row per city: the Mission Cities, the programmes' newcomer cities and the Covenant of Mayors "
          "signatories that are neither (groups of municipalities are not cities: see covenant_signatory)", (
        F("city_id", "VARCHAR", "stable slug of the name (with the country code where names repeat)"),
        F("name", "VARCHAR", "name as in cities.csv", nullable=False),
        F("country_iso2", "VARCHAR", "country.country_iso2", nullable=False),
        F("cohort", "VARCHAR", "mission | newcomer | signatory", nullable=False, vocab=COHORT),
        F("eu_member", "BOOLEAN", "in an EU member state"),
        F("aliases", "VARCHAR[]", "other names"),
        F("confidence", "VARCHAR", "confirmed | uncertain: is the city's status confirmed first-hand",
          vocab=CITY_CONFIDENCE),
        F("lat", "DOUBLE", "latitude of the city's point (NULL: no point known)", "degrees"),
        F("lon", "DOUBLE", "longitude of the city's point (NULL: no point known)", "degrees"),
        F("coord_method", "VARCHAR", "gazetteer | override | covenant", vocab=PLACE_METHOD),
        F("coord_source_id", "VARCHAR", "source of the coordinates"),
        F("placement", "VARCHAR", "exact | approximate (not the city's own point) | outside (its country: a wrong "
          "point) | missing", nullable=False,
          vocab=PLACEMENT),
        F("placement_note", "VARCHAR", "why a point is approximate (or was not checked)"),
        F("geonameid", "BIGINT", "GeoNames id of the gazetteer entry used for the point"),
        F("population", "BIGINT", "population of the territory the contract covers where known", "people"),
        F("population_year", "INTEGER", "year of the population figure"),
        F("population_territory", "VARCHAR", "municipality | metropolitan | district | other", vocab=TERRITORY),
        F("population_method", "VARCHAR", "contract | override | gazetteer | covenant", vocab=POPULATION_METHOD),
        F("population_kind", "VARCHAR", "reported (the city's contract) | official_statistic",
          vocab=("reported", "official_statistic")),
        F("population_source", "VARCHAR", "source.source_id of the population"),
        F("population_ref", "VARCHAR", "where the population sits in its source"),
        F("source_id", "VARCHAR", "source of the city's mission status", nullable=False),
        F("note", "VARCHAR", "note"),
    ), primary_key=("city_id",), foreign_keys=(("country_iso2", "country", "country_iso2"),)),
    Table("mission_label", "one row per city that received the Mission Label", (
        _F_CITY, F("label_date", "DATE", "date of the label announcement", nullable=False),
        F("date_precision", "VARCHAR", "day | month (only the month is known: the date is its first day)",
          nullable=False, vocab=DATE_PRECISION),
        F("wave", "INTEGER", "label wave (1 = first announcement)", nullable=False), _F_SOURCE,
    ), primary_key=("city_id",)),
    Table("programme", "one row per city and NetZeroCities programme (pilot cities, twinning)", (
        _F_CITY, F("programme", "VARCHAR", "pilot_cities | twinning", vocab=PROGRAMME),
        F("programme_cohort", "VARCHAR", "cohort"),
        F("activity", "VARCHAR", "activity"), F("partner", "VARCHAR", "partner cities as written in the source"),
        _F_SOURCE,
    ), primary_key=("city_id", "programme")),
    Table("twin_link", "one row per twinning pair named in programmes.csv (partner text matched to a city)", (
        F("city_id", "VARCHAR", "city.city_id of the twinning city"),
        F("partner_city_id", "VARCHAR", "city.city_id of its partner"),
        F("programme_cohort", "VARCHAR", "cohort of the Twinning Learning Programme"),
        F("inferred", "BOOLEAN", "the source implies the pairing rather than stating it", nullable=False),
        F("partner_text", "VARCHAR", "the partner as written in the source", nullable=False), _F_SOURCE,
    ), primary_key=("city_id", "partner_city_id"), foreign_keys=(("partner_city_id", "city", "city_id"),)),
    Table("covenant_signatory", "one row per Covenant of Mayors signatory as the JRC publishes it (df1), with the "
          "city it is (NULL for a group of municipalities) and how it was matched", (
        F("organisation_id", "VARCHAR", "the signatory's id on the MyCovenant platform"),
        F("city_id", "VARCHAR", "city.city_id of the signatory; NULL for a group of municipalities"),
        F("name", "VARCHAR", "organisation_name as written", nullable=False),
        F("country_iso2", "VARCHAR", "country.country_iso2", nullable=False),
        F("is_group", "BOOLEAN", "a group of local authorities (group_profile), not a city", nullable=False),
        F("members", "VARCHAR[]", "for a group: the names of the signatories in the file that belong to it"),
        F("group_organisation_id", "VARCHAR", "the group the signatory belongs to"),
        F("group_name", "VARCHAR", "that group's name"),
        F("population_adhesion", "BIGINT", "population declared when joining", "people"),
        F("lat", "DOUBLE", "latitude as published", "degrees"), F("lon", "DOUBLE", "longitude as published", "degrees"),
        F("placement", "VARCHAR", "exact | approximate | outside | missing: the point, as checked at build time",
          nullable=False, vocab=PLACEMENT),
        F("placement_note", "VARCHAR", "why the point is approximate"),
        F("com_2020", "BOOLEAN", "signatory of the CoM 2020 initiative", nullable=False),
        F("com_2030", "BOOLEAN", "signatory of the CoM 2030 initiative", nullable=False),
        F("com_2050", "BOOLEAN", "signatory of the CoM 2050 initiative (climate neutrality by 2050; launched 2021)",
          nullable=False),
        F("mayors_adapt", "BOOLEAN", "signatory of the Mayors Adapt initiative", nullable=False),
        F("status", "VARCHAR", "published (active) | on_hold (suspended for not complying, notably not reporting)",
          nullable=False, vocab=COVENANT_STATUS),
        F("adhesion_type", "VARCHAR", "individual | group_individually | group_collectively (NULL: the file's "
          "value is none of them)", vocab=ADHESION),
        F("adhesion_date", "DATE", "date of adhesion"),
        F("action_plan_expected", "BOOLEAN", "the signatory is expected to submit its own action plan"),
        F("coordinator", "VARCHAR", "Covenant Coordinator"), F("supporter", "VARCHAR", "Covenant Supporter"),
        F("gcom_id", "VARCHAR", "the signatory's id in the Global Covenant of Mayors"),
        F("matched_by", "VARCHAR", "how it was linked to a city of cities.csv (exact name | alias | name without "
          "'municipality of' | contained name); NULL: a city of its own or a group"),
        _F_SOURCE, F("ref", "VARCHAR", "sheet and row of the workbook"),
    ), primary_key=("organisation_id",), foreign_keys=(("country_iso2", "country", "country_iso2"),)),
    Table("city_nearest_mission", "for each city with a point, the nearest Mission Cities (for study visits), "
          "by straight-line distance in ETRS89-LAEA (EPSG:3035)", (
        _F_CITY, F("rank", "INTEGER", "1 = the nearest"),
        F("mission_city_id", "VARCHAR", "city.city_id of the Mission City", nullable=False),
        F("km", "DOUBLE", "straight-line distance", "km", nullable=False),
    ), primary_key=("city_id", "rank"), foreign_keys=(("mission_city_id", "city", "city_id"),)),
    Table("emission_inventory", "city emissions by year, sector and scope; read with the hierarchy rule "
          "(a grand-total row wins over sector rows, which win over their scope rows) within one data set", (
        _F_CITY, F("year", "INTEGER", "inventory year"), F("sector", "VARCHAR", "city sector or total", vocab=SECTOR),
        F("scope", "VARCHAR", "1 | 2 | 3 | 1+2 | all; basic | basic+ (GPC reporting levels, cdp rows only)"),
        F("tco2e", "DOUBLE", "emissions", "t CO2e", nullable=False),
        F("kind", "VARCHAR", "reported | projected_bau | official_statistic | modelled_estimate",
          vocab=KIND.codes("warehouse")),
        F("dataset", "VARCHAR", "mission (emissions.csv and modelled estimates: baselines are read from these) | "
          "cdp (CDP-ICLEI open data, self-reported, not verified; see emission_report)", nullable=False),
        _F_SOURCE, _F_REF, _F_CONF, F("note", "VARCHAR", "note"),
    ), primary_key=("city_id", "year", "sector", "scope", "kind", "source_id")),
    Table("emission_report", "one row per inventory a city reported outside the mission data (CDP-ICLEI): its "
          "boundary and method as the city described them, and how the report was matched to the city", (
        _F_CITY, F("year", "INTEGER", "accounting year (the calendar year holding most of the period)"),
        _F_SOURCE, F("dataset", "VARCHAR", "cdp", nullable=False),
        F("organisation", "VARCHAR", "reporting organisation as written", nullable=False),
        F("account", "VARCHAR", "the reporter's account number"),
        F("accounting_period", "VARCHAR", "accounting period as written"),
        F("boundary", "VARCHAR", "inventory boundary compared to the administrative city boundary, as written"),
        F("protocol", "VARCHAR", "primary protocol, as written"), F("gases", "VARCHAR", "gases included"),
        F("population", "BIGINT", "population the reporter gives (NULL where implausible: see flags)", "people"),
        F("population_year", "INTEGER", "year of that population"),
        F("land_area_km2", "DOUBLE", "land area the reporter gives (NULL where implausible: see flags)", "km2"),
        F("matched_by", "VARCHAR", "exact name | alias | similar name in the same country", nullable=False),
        F("flags", "VARCHAR", "implausible values found in the report ('; '-separated), NULL if none"),
        _F_REF,
    ), primary_key=("city_id", "year", "source_id")),
    Table("target", "one row per city: its 2030 target as the contract states it", (
        _F_CITY, F("target_year", "INTEGER", "target year", nullable=False),
        F("reduction_pct", "DOUBLE", "reduction against the reference", "%"),
        F("target_type", "VARCHAR", "reduction_pct | climate_neutrality | net_positive", nullable=False,
          vocab=TARGET_TYPE),
        F("reference_year", "INTEGER", "year of the reference emissions"),
        F("reference_kind", "VARCHAR", "inventory_year | bau_2030 | unknown", nullable=False, vocab=REFERENCE_KIND),
        F("inventory_base_year", "INTEGER", "base year of the city's inventory"),
        F("residual_tco2e", "DOUBLE", "residual emissions in the target year", "t CO2e"),
        F("residual_pct", "DOUBLE", "residual emissions as a share of the reference", "%"),
        _F_SOURCE, _F_REF, _F_CONF, F("basis_note", "VARCHAR", "what the target is measured against"),
    ), primary_key=("city_id",)),
    Table("action", "one row per action of a city's portfolio, as transcribed (blank stays blank)", (
        F("action_id", "VARCHAR", "stable id: city slug and number"), _F_CITY,
        F("action_name", "VARCHAR", "name", nullable=False),
        F("field_of_action", "VARCHAR", "field of action", nullable=False, vocab=FIELD),
        F("levers", "VARCHAR[]", "levers of change"), F("action_type", "VARCHAR", "type as written"),
        F("ghg_reduction_tco2e", "DOUBLE", "GHG reduction as stated (basis in ghg_basis)", "t CO2e"),
        F("ghg_basis", "VARCHAR", "per_year | total_to_2030 | unknown", nullable=False, vocab=BASIS),
        F("cost_eur", "DOUBLE", "cost as stated", "EUR"), F("start_year", "INTEGER", "start"),
        F("end_year", "INTEGER", "end"), F("responsible", "VARCHAR", "responsible body"), _F_SOURCE, _F_REF,
        _F_CONF, F("note", "VARCHAR", "note"),
    ), primary_key=("action_id",)),
    Table("action_cobenefit", "one row per action and co-benefit", (
        F("action_id", "VARCHAR", "action.action_id"), F("cobenefit", "VARCHAR", "co-benefit", vocab=COBENEFIT),
    ), primary_key=("action_id", "cobenefit"), foreign_keys=(("action_id", "action", "action_id"),)),
    Table("national_ghg", "national greenhouse-gas totals (Jones et al. via Our World in Data)", (
        F("country_iso2", "VARCHAR", "country"), F("year", "INTEGER", "year"),
        F("population", "BIGINT", "population", "people"), F("total_ghg_mt_co2e", "DOUBLE", "total", "Mt CO2e"),
        F("ghg_per_capita_t", "DOUBLE", "per capita", "t CO2e per person"),
        F("kind", "VARCHAR", "official_statistic", nullable=False), _F_SOURCE,
    ), primary_key=("country_iso2", "year"), foreign_keys=(("country_iso2", "country", "country_iso2"),)),
    Table("national_ghg_sector", "national emissions by sector (Climate Watch via Our World in Data); "
          "never add these to national_ghg totals", (
        F("country_iso2", "VARCHAR", "country"), F("year", "INTEGER", "year"),
        F("national_sector", "VARCHAR", "national sector", vocab=NATIONAL_SECTOR),
        F("mt_co2e", "DOUBLE", "emissions", "Mt CO2e", nullable=False),
        F("kind", "VARCHAR", "official_statistic", nullable=False), _F_SOURCE,
    ), primary_key=("country_iso2", "year", "national_sector"),
        foreign_keys=(("country_iso2", "country", "country_iso2"),)),
    Table("sector_map", "how national sectors map onto city sectors (for modelled estimates)", (
        F("national_sector", "VARCHAR", "national sector"),
        F("city_sector", "VARCHAR", "city sector", nullable=False, vocab=SECTOR.codes("city")),
    ), primary_key=("national_sector",)),
    Table("cobenefit_value", "monetised co-benefits per tonne of CO2e cut, by sector (published unit values)", (
        F("sector", "VARCHAR", "sector the value applies to (all = any)"), F("cobenefit", "VARCHAR", "co-benefit"),
        F("low_eur_per_tco2e", "DOUBLE", "low value", "EUR per t CO2e"),
        F("central_eur_per_tco2e", "DOUBLE", "central value", "EUR per t CO2e", nullable=False),
        F("high_eur_per_tco2e", "DOUBLE", "high value", "EUR per t CO2e"),
        F("price_year", "INTEGER", "price level of the euros (NULL: not stated by the source)"),
        F("includes_climate_damage", "BOOLEAN", "includes the damage of the CO2 itself", nullable=False),
        _F_SOURCE, F("ref", "VARCHAR", "where the figures sit in the source (table, page)"),
        F("derivation", "VARCHAR", "how the per-tonne value follows from the source"),
    ), primary_key=("sector", "cobenefit", "source_id")),
    Table("mission_fact", "Mission-wide figures as the European Commission and NetZeroCities published them (counts of "
          "cities, labels so far, investment sums), each with its scope, date and the source's words; never added to "
          "or mixed with the warehouse's own counts", (
        F("fact", "VARCHAR", "what the figure is", vocab=MISSION_FACT),
        F("value", "DOUBLE", "the figure as published", nullable=False),
        F("unit", "VARCHAR", "cities | EUR bn", nullable=False, vocab=FACT_UNIT),
        F("scope", "VARCHAR", "what it counts, as the source says", nullable=False),
        F("as_of", "DATE", "the date the figure describes"),
        F("kind", "VARCHAR", "official_announcement", nullable=False, vocab=("official_announcement",)),
        _F_SOURCE, F("quote", "VARCHAR", "the source's own words"),
    ), primary_key=("fact", "as_of")),
    Table("build_warning", "problems found while building that did not stop the build", (
        F("file", "VARCHAR", "input file"), F("row", "INTEGER", "row in the file (header = 1)"),
        F("column_name", "VARCHAR", "column"), F("message", "VARCHAR", "what is wrong", nullable=False),
    ), order_by=("file", "row", "column_name", "message")),
    Table("load_log", "one row per input file loaded", (
        F("file", "VARCHAR", "file name"), F("sha256", "VARCHAR", "checksum of the file", nullable=False),
        F("rows", "BIGINT", "data rows read", nullable=False),
        F("loaded_at", "TIMESTAMP", "when the build ran (UTC)", nullable=False),
    ), primary_key=("file",)),
    Table("build_info", "one row: what built this file", (
        F("build_id", "VARCHAR", "sha256 over the inputs' checksums: same inputs, same id", nullable=False),
        F("schema_version", "INTEGER", "version of this schema", nullable=False),
        F("built_at", "TIMESTAMP", "when the build ran (UTC)", nullable=False),
        F("data_dir", "VARCHAR", "the input folder's name"),
    )),
)
TABLE = {t.name: t for t in TABLES}

# A reading aid for SQL users: each city's total per year and kind in the mission data set, following the
# hierarchy rule of data/README.md (grand total row, else the sum of sector 'all' rows, else the sum of scope rows).
# The kinds a city's baseline may be, in the order they are taken (vocab.KIND's rank): never a projection.
BASELINE_KINDS = tuple(t.code for t in sorted((t for t in KIND if t.rank is not None), key=lambda t: t.rank))


def _baseline_rank(column: str) -> str:
    """SQL: the rank of the kind in `column` as a baseline (BASELINE_KINDS' order)."""
    return f"CASE {column} " + " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(BASELINE_KINDS)) + " END"


VIEWS = {
    # The hierarchy rule below the grand total, stated once: a sector's all-scopes row, else the sum of its scope
    # rows (a sector with both is read at its all-scopes row).
    "city_sector_total": """
CREATE VIEW city_sector_total AS
SELECT city_id, year, kind, sector, tco2e, 'all_scopes' AS level, source_id
FROM emission_inventory WHERE dataset = 'mission' AND sector <> 'total' AND scope = 'all'
UNION ALL
SELECT city_id, year, kind, sector, sum(tco2e) AS tco2e, 'sum_of_scopes' AS level, min(source_id) AS source_id
FROM emission_inventory e WHERE dataset = 'mission' AND sector <> 'total' AND scope <> 'all'
  AND NOT EXISTS (SELECT 1 FROM emission_inventory a WHERE a.city_id = e.city_id AND a.year = e.year
                  AND a.kind = e.kind AND a.sector = e.sector AND a.scope = 'all' AND a.dataset = 'mission')
GROUP BY city_id, year, kind, sector
""",
    "city_total": """
CREATE VIEW city_total AS
WITH grand AS (
    SELECT city_id, year, kind, tco2e, 'grand_total' AS method, source_id
    FROM emission_inventory WHERE dataset = 'mission' AND sector = 'total' AND scope = 'all'
), sector_level AS (
    SELECT city_id, year, kind, sum(tco2e) AS tco2e,
           CASE WHEN bool_and(level = 'all_scopes') THEN 'sum_of_sectors'
                WHEN bool_and(level = 'sum_of_scopes') THEN 'sum_of_scopes'
                ELSE 'sum_of_sectors_and_scopes' END AS method,
           min(source_id) AS source_id
    FROM city_sector_total
    GROUP BY city_id, year, kind
)
SELECT * FROM grand
UNION ALL
SELECT s.* FROM sector_level s
WHERE NOT EXISTS (SELECT 1 FROM grand g WHERE g.city_id = s.city_id AND g.year = s.year AND g.kind = s.kind)
""",
    # The baseline of each city: its reported inventory of the base year its target names, else its
    # latest reported inventory, else the modelled estimate. Never a mix of kinds.
    "city_baseline": f"""
CREATE VIEW city_baseline AS
WITH ranked AS (
    SELECT t.*, row_number() OVER (
        PARTITION BY t.city_id
        ORDER BY {_baseline_rank("t.kind")},
                 (t.year = g.inventory_base_year) DESC NULLS LAST, t.year DESC) AS rank
    FROM city_total t LEFT JOIN target g USING (city_id)
    WHERE t.kind IN ({", ".join(f"'{k}'" for k in BASELINE_KINDS)})
)
SELECT city_id, year, kind, tco2e, method, source_id FROM ranked WHERE rank = 1
""",
}
