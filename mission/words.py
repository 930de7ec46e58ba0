"""How the dashboard says numbers: tonnages, amounts and counts for people, in the reader's language (i18n; terms are
named in vocab.py)."""

from __future__ import annotations

import math

from i18n import gettext as _
from i18n import ngettext, number


def _scaled(value: float | None, steps: tuple[tuple[float, float, int, str], ...], digits: int, small: str) -> str:
    """`value` in the first unit whose threshold it reaches: steps of (threshold, divisor, digits, unit)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return _("n/a")
    for threshold, divisor, places, unit in steps:
        if abs(value) >= threshold:
            return unit.format(number(value / divisor, places))
    return small.format(number(value, digits))


def tonnes(value: float | None) -> str:
    """A tonnage for people: 1,234,567 -> '1.23 Mt', 45,600 -> '45.6 kt', 850 -> '850 t' ('1,23 Mt' in French)."""
    return _scaled(value, ((1e6, 1e6, 2, "{} Mt"), (1e4, 1e3, 1, "{} kt")), 0, "{} t")


def euros(value: float | None) -> str:
    """An amount for people: 159,226,819,368 -> 'EUR 159.23 bn', 12,345,678 -> 'EUR 12.35 m', 850 -> 'EUR 850'."""
    return _scaled(value, ((1e9, 1e9, 2, _("EUR {} bn")), (1e6, 1e6, 2, _("EUR {} m"))), 0, _("EUR {}"))


def count(n: int, singular: str, plural: str) -> str:
    """'1 city', '2 cities': the form of `singular`/`plural` (each with `{n}`) for `n`, in the reader's language
    (Polish has three forms); `make i18n-extract` collects both."""
    return ngettext(singular, plural, n).format(n=number(n))


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 city', '2 cities' in English only: kept for sentences not yet translated; use `count`."""
    return f"{n} {word if n == 1 else (words or word + 's')}"
