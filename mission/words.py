"""How the dashboard says numbers: tonnages and counts for people (terms are named in vocab.py)."""

from __future__ import annotations

import math


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


def euros(value: float | None) -> str:
    """An amount for people: 159,226,819,368 -> 'EUR 159.23 bn', 12,345,678 -> 'EUR 12.35 m', 850 -> 'EUR 850'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    size = abs(value)
    if size >= 1e9:
        return f"EUR {value / 1e9:,.2f} bn"
    if size >= 1e6:
        return f"EUR {value / 1e6:,.2f} m"
    return f"EUR {value:,.0f}"


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 city', '2 cities'."""
    return f"{n} {word if n == 1 else (words or word + 's')}"
