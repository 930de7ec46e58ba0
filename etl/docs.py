"""Renders the warehouse contract (tables, columns, types, units, keys; input vocabularies) as Markdown."""

from __future__ import annotations

from etl import schema


def warehouse_markdown() -> str:
    lines = [
        "# Warehouse tables",
        "",
        "Generated from `etl/schema.py` by `python -m etl schema > docs/warehouse.md`; a test keeps it current.",
        "Column names are the public contract of the `.duckdb` file. Every fact row has a `source_id` that is a",
        "row of `source`; every emission row has a `kind`.",
        "",
    ]
    for t in schema.TABLES:
        lines += [f"## `{t.name}`", "", t.description + ".", ""]
        if t.primary_key:
            lines += [f"Primary key: `{', '.join(t.primary_key)}`.", ""]
        lines += ["| column | type | unit | description |", "|---|---|---|---|"]
        for f in t.fields:
            required = "" if f.nullable and f.name not in t.primary_key else " (never null)"
            lines.append(f"| `{f.name}` | {f.type} | {f.unit or ''} | {f.description}{required} |")
        lines.append("")
    lines += ["## Views", ""]
    lines += [
        "- `city_sector_total`: each city's emissions per year, kind and sector at one level (the sector's "
        "all-scopes row, else the sum of its scope rows; `level` says which): the hierarchy rule of data/README.md "
        "below the grand total.",
        "- `city_total`: each city's total per year and kind, by the hierarchy rule of data/README.md (the "
        "document's grand total, else the sum of `city_sector_total`); `method` says which.",
        "- `city_baseline`: one row per city: its reported inventory of the base year its target names, else its "
        "latest reported inventory, else the modelled estimate. Never a mix of kinds.",
        "",
    ]
    return "\n".join(lines)
