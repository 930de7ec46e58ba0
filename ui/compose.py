"""Sentences with components inside them (a link in the middle of a sentence): the sentence stays one translated
message with named placeholders (docs/i18n.md), and the placeholders are filled with components, in the order the
translation puts them."""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"\{([a-z_0-9]+)\}")


def compose(message: str, **parts) -> list:
    """`message` (already translated, with `{name}` placeholders) as a list of its text and `parts` (components or
    text): compose(_("Every source is listed on {link}."), link=dcc.Link(_("the sources page"), href="/sources"))."""
    out: list = []
    position = 0
    for found in _PLACEHOLDER.finditer(message):
        if found.start() > position:
            out.append(message[position:found.start()])
        part = parts[found.group(1)]
        out.extend(part if isinstance(part, list) else [part])
        position = found.end()
    if position < len(message):
        out.append(message[position:])
    return out
