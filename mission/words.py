"""How the dashboard says numbers: tonnages and counts for people (terms are named in vocab.py)."""

from __future__ import annotations

import math


def _scaled(value: float | None, steps: tuple[tuple[float, float, str], ...], small: str) -> str:
    """`value` in the first unit whose threshold it reaches: steps of (threshold, divisor, format)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    for threshold, divisor, form in steps:
        if abs(value) >= threshold:
            return form.format(value / divisor)
    return small.format(value)


def tonnes(value: float | None) -> str:
    """A tonnage for people: 1,234,567 -> '1.23 Mt', 45,600 -> '45.6 kt', 850 -> '850 t'."""
    return _scaled(value, ((1e6, 1e6, "{:,.2f} Mt"), (1e4, 1e3, "{:,.1f} kt")), "{:,.0f} t")


def euros(value: float | None) -> str:
    """An amount for people: 159,226,819,368 -> 'EUR 159.23 bn', 12,345,678 -> 'EUR 12.35 m', 850 -> 'EUR 850'."""
    return _scaled(value, ((1e9, 1e9, "EUR {:,.2f} bn"), (1e6, 1e6, "EUR {:,.2f} m")), "EUR {:,.0f}")


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 city', '2 cities'."""
    return f"{n} {word if n == 1 else (words or word + 's')}"
