"""Every exportable chart, by subject: built from its parameters, with its title, unit, one-sentence summary and
the data behind it.

The page and the export call the same builder (`build`), so a PNG or CSV shows exactly what the page showed. Each
subject module (city, overview, countries, portfolio, scenarios, newcomers, quality) registers its builders with
`@chart(name)`; `theme` holds the look they share."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import polars as pl

import vocab
from i18n import gettext as _
from mission import queries
from mission.city import City
from mission.db import cached
from mission.quality import grade_of

# Kinds in exported data (vocab.KIND's `export`): the warehouse's kinds, plus announcements of the European
# Commission and figures the dashboard computes from others (a target in tonnes, the straight line, a sum).
EXPORT_KINDS = vocab.KIND.codes("export")


@dataclass(frozen=True)
class ChartExport:
    """A chart with everything an export needs to describe itself."""

    name: str  # what the chart is, for file names: "pathway"
    subject: str  # whose chart it is, for file names: "Klagenfurt"
    title: str
    unit: str
    figure: go.Figure
    data: pl.DataFrame  # exactly the data behind the chart, with unit, kind and source_id columns
    summary: str
    filters: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # caveats shown under the chart and written into the CSV
    left_out: pl.DataFrame | None = None  # rows the chart shows beside it rather than in it (e.g. not summed)


class UnknownChart(LookupError):
    """A chart name or its parameters that the warehouse cannot answer (an export link that is wrong or stale)."""


@dataclass(frozen=True)
class Chart:
    """A registered chart: how its parameters are read (a page's or an export link's plain values, into a typed
    value; UnknownChart for values the warehouse cannot answer) and how it is built from them."""

    parse: Callable[[dict], Any]
    build: Callable[[Any], ChartExport]


BUILDERS: dict[str, Chart] = {}


def no_params(_params: dict) -> None:
    """A chart of the whole warehouse: nothing to read."""
    return None


def chart(name: str, parse: Callable[[dict], Any] = no_params) -> Callable[[Callable], Callable]:
    """Register a builder under the name pages and export links use ("city-pathway"), with the function that reads
    its parameters."""

    def register(builder: Callable[[Any], ChartExport]) -> Callable[[Any], ChartExport]:
        if name in BUILDERS:
            raise ValueError(f"two charts are called {name!r}")
        BUILDERS[name] = Chart(parse, builder)
        return builder

    return register


def build(name: str, params: dict) -> ChartExport:
    """The chart `name` for `params`; UnknownChart for a name or parameters the warehouse cannot answer. A chart
    is built once per warehouse version and parameters: the page, its export buttons and the brief share it
    (exports copy the figure before they change it)."""
    if name not in BUILDERS or not isinstance(params, dict):
        raise UnknownChart(f"no chart {name!r}")
    try:
        key = json.dumps(params, sort_keys=True)
    except (TypeError, ValueError) as error:
        raise UnknownChart(f"parameters of {name!r} that are not plain values") from error
    return _built(name, key)


@cached
def _built(name: str, params: str, path: Path | None = None) -> ChartExport:
    spec = BUILDERS[name]
    return spec.build(spec.parse(json.loads(params)))


@dataclass(frozen=True)
class CityParams:
    """The city a chart is about (`{"city_id": ...}`)."""

    city: City

    @classmethod
    def parse(cls, params: dict) -> CityParams:
        found = queries.city(params.get("city_id")) if isinstance(params.get("city_id"), str) else None
        if found is None:
            raise UnknownChart(f"no city {params.get('city_id')!r}")
        return cls(found)

    def with_baseline(self) -> City:
        """The city, for a chart drawn on its baseline; UnknownChart if it has none."""
        if not self.city.has_baseline:
            raise UnknownChart(f"{self.city.name} has no baseline")
        return self.city


def grade_note(city_id: str) -> tuple[str, ...]:
    """The city's data quality grade as a note of every chart built on its baseline."""
    g = grade_of(city_id)
    return (_("data quality grade {grade}: {reason}").format(grade=g.grade, reason=g.reason),) if g.grade else ()


# Each subject module registers its charts when imported (at the end: they use the names above). Importing a
# submodule binds its name here, so this module refers to no domain module by a bare name that a submodule shares.
from mission.charts import (  # noqa: E402, F401, I001
    city, countries, newcomers, overview, portfolio, progress, quality, scenarios,
)
