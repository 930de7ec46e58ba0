"""One inventory of a city, read without double counting (the hierarchy rule of data/README.md), with every caveat
in words."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

import vocab
from i18n import gettext as _
from i18n import in_sentence
from mission.words import tonnes

# Sums within half a percent of the document's figure count as equal (rounded tables).
TOLERANCE = 0.005


@dataclass(frozen=True)
class InventoryView:
    """The rows to draw (one level per sector), the document's total, and what did not add up."""

    rows: pl.DataFrame
    total: float | None
    notes: list[str]

    def largest_words(self) -> str:
        """The sector with the most emissions, in words: 'buildings (325.0 kt)'."""
        by_sector = self.rows.group_by("sector").agg(pl.col("tco2e").sum()).sort("tco2e", "sector", descending=True)
        sector, value = by_sector.row(0)
        return _("{sector} ({tonnes})").format(sector=in_sentence(vocab.SECTOR.label(sector, sector)),
                                                   tonnes=tonnes(value))


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b), 1.0)


def inventory_view(rows: pl.DataFrame) -> InventoryView:
    """Pick one level per sector by the hierarchy rule of data/README.md.

    A sector's scope rows are drawn when they add up to its all-scopes row (or it has none); otherwise the
    all-scopes row is drawn and the difference is noted. The document's grand total is returned as the total,
    and a note says when the sectors do not add up to it."""
    notes: list[str] = []
    keep: list[pl.DataFrame] = []
    for sector in sorted(set(rows["sector"]) - {"total"}):
        own = rows.filter(pl.col("sector") == sector)
        scopes, whole = own.filter(pl.col("scope") != "all"), own.filter(pl.col("scope") == "all")
        if scopes.height and (not whole.height or _close(scopes["tco2e"].sum(), whole["tco2e"][0])):
            keep.append(scopes)
        else:
            keep.append(whole)
            if scopes.height:
                notes.append(_("{sector}: the scope rows add up to {scopes}, the sector's total is {total}; the "
                               "total is shown.").format(sector=vocab.SECTOR.label(sector, sector),
                                                         scopes=tonnes(scopes["tco2e"].sum()),
                                                         total=tonnes(whole["tco2e"][0])))
    drawn = pl.concat(keep) if keep else rows.clear()
    grand = rows.filter((pl.col("sector") == "total") & (pl.col("scope") == "all"))
    total = float(grand["tco2e"][0]) if grand.height else (float(drawn["tco2e"].sum()) if drawn.height else None)
    if grand.height and drawn.height and not _close(drawn["tco2e"].sum(), total):
        notes.append(_("The document's total is {total}; its sector rows add up to {sectors}. The document's total "
                       "is the baseline.").format(total=tonnes(total), sectors=tonnes(drawn["tco2e"].sum())))
    return InventoryView(drawn, total, notes)
