"""Component ids scoped to their page, declared once and read by the layout and the callbacks alike.

    class ID(PageIds, page="countries"):
        measure: str      # ID.measure == "countries-measure"
        chart: str

A misspelt name is an AttributeError when the page is imported (and a type checker's error), never a callback
wired to an id that does not exist; two pages cannot share an id, since each id starts with its page's name.
Families of ids made from data (one per step of a form) are `ID.part("self", step)`."""

from __future__ import annotations

import inspect
from typing import ClassVar


class PageIds:
    """Subclass once per page with `page=` and one annotated name per component (`_` becomes `-` in the id)."""

    page: ClassVar[str]

    def __init_subclass__(cls, *, page: str, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.page = page
        for name in inspect.get_annotations(cls):
            setattr(cls, name, cls.part(name.replace("_", "-")))

    def __init__(self) -> None:
        raise TypeError("PageIds are read from the class: ID.name")

    @classmethod
    def part(cls, *parts: str) -> str:
        """An id of this page made of parts: part("self", "mix", "transport") -> "<page>-self-mix-transport"."""
        return "-".join((cls.page, *parts))
