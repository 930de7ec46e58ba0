"""The mission at a glance: per-city metrics for the map, the filters, the headline counts and the label pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

import vocab
from i18n import N_, date, number
from i18n import gettext as _
from mission import quality, queries
from mission.city import City, inventories_by_city, latest_point
from mission.db import cached
from mission.pathways import required_rate
from mission.words import count

LABEL_STATUSES = ("labelled", "not_labelled")


@dataclass(frozen=True)
class Metric:
    """A measure the map can colour the cities by. Its label, unit, note and words are marked for translation (N_)
    and translated where they are shown (`_(metric.label)`)."""

    key: str
    label: str
    column: str
    unit: str = ""
    categorical: bool = False
    note: str = ""
    vocabulary: vocab.Vocabulary | None = None  # a categorical metric's terms: labels and colours
    words: str = ""  # the label inside a sentence ("coloured by {metric}")


METRICS = {m.key: m for m in (
    Metric("stage", N_("Contract stage"), "stage", categorical=True, vocabulary=vocab.STAGE,
           note=N_("Mission Label: the European Commission endorsed the city's Climate City Contract."),
           words=N_("contract stage")),
    Metric("per_capita", N_("Baseline per capita"), "per_capita_t", N_("t CO2e per person"),
           note=N_("Baseline emissions divided by the population of the territory the contract covers; "
                   "baseline years differ between cities."),
           words=N_("baseline per capita")),
    Metric("rate", N_("Required annual reduction"), "required_rate_pct", N_("% a year"),
           note=N_("Constant yearly cut from the latest inventory to the 2030 target "
                   "(the city's own, else the Mission's 80%)."),
           words=N_("required annual reduction")),
    Metric("kind", N_("Kind of data"), "data_kind", categorical=True, vocabulary=vocab.KIND,
           note=N_("Whether the baseline is reported by the city in its contract or a modelled estimate."),
           words=N_("kind of data")),
    Metric("grade", N_("Data quality grade"), "grade", categorical=True, vocabulary=vocab.GRADE,
           note=N_("A: a recent inventory split into sectors in the city's contract ... D: modelled estimate only "
                   "(rules on the data quality page)."),
           words=N_("data quality grade")),
)}


@dataclass(frozen=True)
class Filters:
    """What the overview shows: countries (empty = all), cohort and label status (None = all)."""

    countries: tuple[str, ...] = ()
    cohort: str | None = None
    label_status: str | None = None
    metric: str = "stage"

    @classmethod
    def from_query(cls, query: dict) -> Filters:
        """Read filters from a URL query ("FR,BE") or the page's controls (["FR", "BE"]); unknown values are
        dropped, never an error."""
        raw = query.get("country") or ""
        items = raw.split(",") if isinstance(raw, str) else raw if isinstance(raw, list | tuple) else []
        countries = tuple(sorted({c.strip().upper() for c in items if isinstance(c, str) and len(c.strip()) == 2}))

        def pick(key: str, allowed) -> str | None:
            value = query.get(key)
            return value if isinstance(value, str) and value in allowed else None

        cohort, status = pick("cohort", vocab.COHORT.codes()), pick("label", LABEL_STATUSES)
        metric = pick("metric", METRICS) or "stage"
        return cls(countries, cohort, status, metric)

    def to_query(self) -> dict[str, str]:
        """The URL query that reopens this view (defaults left out)."""
        query = {"country": ",".join(self.countries), "cohort": self.cohort or "", "label": self.label_status or "",
                 "metric": "" if self.metric == "stage" else self.metric}
        return {k: v for k, v in query.items() if v}


# The columns city_metrics adds to queries.cities(): with the grade columns of quality.grades, the frame the map,
# the country pages, the newcomers, the peers and the charts read (tests/unit/test_overview.py holds them).
CITY_METRICS_COLUMNS: dict[str, pl.DataType] = {
    "stage": pl.String, "data_kind": pl.String, "per_capita_t": pl.Float64, "required_rate_pct": pl.Float64,
    "target_tco2e": pl.Float64, "target_origin": pl.String, "latest_year": pl.Int32}


def city_metrics(cities: pl.DataFrame, totals: pl.DataFrame) -> pl.DataFrame:
    """`queries.cities()` plus the map metrics: stage, data_kind, per_capita_t, required_rate_pct, target_tco2e,
    target_origin (whose target: own, mission_default or comparison) and latest_year."""
    inventories = inventories_by_city(totals)
    rows = []
    for row in cities.iter_rows(named=True):
        city = City.from_row(row)
        extra = dict.fromkeys(CITY_METRICS_COLUMNS) | {
            "stage": city.stage, "data_kind": city.baseline.kind if city.baseline else "none"}
        if city.baseline is not None:
            mine = inventories.get(city.city_id, {})
            target = city.target(mine)
            start = latest_point(city.baseline, mine)
            rate = required_rate(start, target)
            extra.update(target_tco2e=target.tco2e, target_origin=target.origin, latest_year=start.year,
                         required_rate_pct=rate.compound_pct if rate else None)
            if city.population:
                extra["per_capita_t"] = city.baseline.tco2e / city.population.value
        rows.append(extra)
    return pl.concat([cities, pl.DataFrame(rows, schema=CITY_METRICS_COLUMNS)], how="horizontal")


@cached
def all_city_metrics(path: Path | None = None) -> pl.DataFrame:
    """`city_metrics` of every city in the warehouse, with its data quality grade (once per warehouse version)."""
    metrics = city_metrics(queries.cities(path=path), queries.city_totals(path=path))
    return metrics.join(quality.grades(path=path), on="city_id", how="left")


def apply_filters(frame: pl.DataFrame, filters: Filters) -> pl.DataFrame:
    """The cities the filters keep."""
    if filters.countries:
        frame = frame.filter(pl.col("country_iso2").is_in(filters.countries))
    if filters.cohort:
        frame = frame.filter(pl.col("cohort") == filters.cohort)
    if filters.label_status == "labelled":
        frame = frame.filter(pl.col("label_date").is_not_null())
    elif filters.label_status == "not_labelled":
        frame = frame.filter(pl.col("label_date").is_null())
    return frame


@dataclass(frozen=True)
class Kpis:
    """The headline counts of the cities on screen."""

    mission_cities: int
    countries: int
    labelled: int
    in_review: int
    newcomers: int
    baseline_tco2e: float
    baseline_by_kind: dict[str, float] = field(default_factory=dict)
    baseline_years: tuple[int, int] | None = None

    def share(self, kind: str) -> float:
        return self.baseline_by_kind.get(kind, 0.0) / self.baseline_tco2e if self.baseline_tco2e else 0.0


def kpis(frame: pl.DataFrame) -> Kpis:
    """Counts and summed baselines of the given cities (baselines of all cohorts on screen, by kind)."""
    mission = frame.filter(pl.col("cohort") == "mission")
    with_baseline = frame.filter(pl.col("baseline_tco2e").is_not_null())
    by_kind = with_baseline.group_by("baseline_kind").agg(pl.col("baseline_tco2e").sum())
    years = (int(with_baseline["baseline_year"].min()), int(with_baseline["baseline_year"].max())) \
        if with_baseline.height else None
    return Kpis(
        mission_cities=mission.height,
        countries=frame["country_iso2"].n_unique() if frame.height else 0,
        labelled=mission.filter(pl.col("label_date").is_not_null()).height,
        in_review=mission.filter(pl.col("label_date").is_null()).height,
        newcomers=frame.filter(pl.col("cohort") == "newcomer").height,
        baseline_tco2e=float(with_baseline["baseline_tco2e"].sum()) if with_baseline.height else 0.0,
        baseline_by_kind={k: float(v) for k, v in by_kind.iter_rows()},
        baseline_years=years,
    )


def label_pipeline(frame: pl.DataFrame) -> pl.DataFrame:
    """Labels per wave and their running total: wave, label_date, date_precision, labels, cumulative, cities."""
    labelled = frame.filter(pl.col("label_date").is_not_null())
    return (labelled.group_by("wave", "label_date", "date_precision")
            .agg(pl.len().cast(pl.Int32).alias("labels"), pl.col("name").sort().str.join(", ").alias("cities"))
            .sort("label_date", "wave")
            .with_columns(pl.col("labels").cum_sum().alias("cumulative")))


def clicked_id(click: dict | None) -> str | None:
    """The id a clicked point carries in its customdata (a city on the map, a country on a bar), or None."""
    points = click.get("points") if isinstance(click, dict) else None
    first = points[0] if isinstance(points, list) and points else None
    city_id = first.get("customdata") if isinstance(first, dict) else None
    return city_id if isinstance(city_id, str) else None


def map_summary(frame: pl.DataFrame, metric_key: str) -> str:
    """One sentence saying what the map shows."""
    metric = METRICS[metric_key]
    if not frame.height:
        return _("No city matches these filters.")
    shown = {"cities": count(frame.height, "{n} city", "{n} cities"),
             "countries": count(frame["country_iso2"].n_unique(), "{n} country", "{n} countries"),
             "metric": _(metric.words)}
    if metric.categorical:
        counts = frame.group_by(metric.column).len().sort("len", descending=True)
        parts = ", ".join(_("{count} {label}").format(
            count=number(n), label=metric.vocabulary.label(v) if metric.key != "grade" else v)
            for v, n in counts.iter_rows())
        return _("The map shows {cities} in {countries}, coloured by {metric}: {parts}. Marker size shows "
                 "population.").format(parts=parts, **shown)
    known = frame[metric.column].drop_nulls()
    if not known.len():
        return _("The map shows {cities} in {countries}; none has a value for {metric}.").format(**shown)
    unit = _(metric.unit)
    values = (_("{value} {unit}").format(value=number(known[0], 1), unit=unit) if known.len() == 1 else
              _("median {median} {unit}, from {low} to {high}").format(
                  median=number(known.median(), 1), unit=unit, low=number(known.min(), 1),
                  high=number(known.max(), 1)))
    missing = frame.height - known.len()
    if missing:
        return _("The map shows {cities} in {countries}, coloured by {metric}: {values} ({missing} without a value). "
                 "Marker size shows population.").format(values=values, missing=number(missing), **shown)
    return _("The map shows {cities} in {countries}, coloured by {metric}: {values}. Marker size shows "
             "population.").format(values=values, **shown)


def pipeline_summary(pipeline: pl.DataFrame, k: Kpis) -> str:
    """One sentence saying what the label pipeline shows."""
    if not k.mission_cities:
        return _("No Mission City among the cities shown: the Mission Label is for Mission Cities.")
    if not pipeline.height:
        return (_("The Mission City shown does not have the Mission Label yet.") if k.mission_cities == 1 else
                _("None of the {n} Mission Cities shown has the Mission Label yet.").format(n=number(k.mission_cities)))
    last = pipeline.row(-1, named=True)
    return _("{labelled} of the {total} Mission Cities shown received the Mission Label in {waves} waves, the latest "
             "in {month}; {in_review} are still in preparation or review.").format(
        labelled=number(k.labelled), total=number(k.mission_cities), waves=number(pipeline.height),
        month=date(last["label_date"], "month"), in_review=number(k.in_review))
