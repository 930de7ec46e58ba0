"""One function per question the dashboard asks of the warehouse."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from mission.db import query


def mission_overview(path: Path | None = None) -> dict:
    """Headline counts: Mission Cities, their countries, labelled cities, newcomers, baselines by kind."""
    counts = query("""
        SELECT
            count(*) FILTER (WHERE cohort = 'mission')::INTEGER AS mission_cities,
            count(DISTINCT country_iso2) FILTER (WHERE cohort = 'mission')::INTEGER AS countries,
            count(*) FILTER (WHERE cohort = 'newcomer')::INTEGER AS newcomers,
            (SELECT count(*) FROM mission_label)::INTEGER AS labelled
        FROM city
    """, path=path).to_dicts()[0]
    kinds = query("""
        SELECT b.kind, count(*)::INTEGER AS cities
        FROM city_baseline b JOIN city c USING (city_id)
        WHERE c.cohort = 'mission'
        GROUP BY b.kind ORDER BY b.kind
    """, path=path)
    return {**counts, "baselines_by_kind": dict(kinds.iter_rows())}


def build_info(path: Path | None = None) -> dict:
    """When the warehouse was built and from how many sources."""
    return query("""
        SELECT built_at, build_id, (SELECT count(*) FROM source)::INTEGER AS sources
        FROM build_info
    """, path=path).to_dicts()[0]


def sources(path: Path | None = None) -> pl.DataFrame:
    """Every source with its licence and citation."""
    return query("SELECT source_id, title, producer, url, licence, citation FROM source ORDER BY source_id",
                 path=path)
