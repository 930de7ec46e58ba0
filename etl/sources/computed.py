"""The source rows of what the build computes or is given besides sources.csv, from their wording in
computed.toml (data, not code): `source_row("modelled", year=2022)`."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

TEXTS = Path(__file__).with_name("computed.toml")
FIELDS = ("source_id", "title", "producer", "url", "licence", "citation", "notes")


@cache
def _texts() -> dict[str, dict[str, str]]:
    with TEXTS.open("rb") as f:
        return tomllib.load(f)


def source_id(kind: str, **values: object) -> str:
    """The id of a computed source ('dashboard-modelled-national-per-capita-2022')."""
    return _texts()[kind]["source_id"].format(**values)


def source_id_template(kind: str, placeholder: str = "year") -> str:
    """The id with its placeholder as polars' `pl.format` writes it ('...-per-capita-{}')."""
    return _texts()[kind]["source_id"].replace("{" + placeholder + "}", "{}")


def text(kind: str, name: str) -> str:
    """Another wording of `kind` (e.g. the CDP caveat written into each row's note)."""
    return _texts()[kind][name]


def source_row(kind: str, **values: object) -> dict[str, object]:
    """A row of the `source` table for `kind` (modelled | cdp), its placeholders filled in; `accessed` empty."""
    texts = _texts()[kind]
    row = {name: texts[name].format(**values) or None for name in FIELDS}
    return {**row, "accessed": None}
