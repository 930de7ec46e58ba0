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

import plotly.graph_objects as go
import polars as pl

import vocab
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


Builder = Callable[[dict], ChartExport]
BUILDERS: dict[str, Builder] = {}


def chart(name: str) -> Callable[[Builder], Builder]:
    """Register a builder under the name pages and export links use ("city-pathway")."""

    def register(builder: Builder) -> Builder:
        if name in BUILDERS:
            raise ValueError(f"two charts are called {name!r}")
        BUILDERS[name] = builder
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
    return BUILDERS[name](json.loads(params))


def city_of(params: dict, with_baseline: bool = False) -> City:
    """The city a chart's parameters name (`city_id`); UnknownChart if there is none (or, if asked, no baseline)."""
    found = queries.city(params.get("city_id")) if isinstance(params.get("city_id"), str) else None
    if found is None:
        raise UnknownChart(f"no city {params.get('city_id')!r}")
    if with_baseline and not found.has_baseline:
        raise UnknownChart(f"{found.name} has no baseline")
    return found


def grade_note(city_id: str) -> tuple[str, ...]:
    """The city's data quality grade as a note of every chart built on its baseline."""
    g = grade_of(city_id)
    return (f"data quality grade {g.grade}: {g.reason}",) if g.grade else ()


# Each subject module registers its charts when imported (at the end: they use the names above). Importing a
# submodule binds its name here, so this module refers to no domain module by a bare name that a submodule shares.
from mission.charts import city, countries, newcomers, overview, portfolio, quality, scenarios  # noqa: E402, F401
