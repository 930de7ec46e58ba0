"""The reader's language: which one is in use (per request, per job), the gettext catalogues in locale/, and numbers and
dates in the reader's locale (Babel).

A leaf module like vocab.py (it imports nothing of the project): the ETL never translates, the read side translates
what it writes (sentences, titles, labels), and vocab.py translates its terms' labels through it. Adding an EU
language is adding its catalogue (`make i18n-init LANG=nl`, translate, `make i18n-compile`) and a line to LANGUAGES.

    with i18n.use("fr"):
        i18n.gettext("Mission Cities")       # "Villes de la Mission"
        i18n.number(12345.6, 1)              # "12 345,6"
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import gettext as stdlib_gettext
import logging
from collections.abc import Iterator
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.support import Translations
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

# The languages of the interface, each named in its own language (the menu shows them so).
LANGUAGES = {"en": "English", "fr": "Français", "de": "Deutsch", "it": "Italiano", "es": "Español", "pl": "Polski"}
DEFAULT = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=DEFAULT)
# Whether the reader chose the language (a ?lang= address or the menu), rather than the browser's preference: then
# it is kept in the address, so that a copied link opens in the same language.
_chosen: contextvars.ContextVar[bool] = contextvars.ContextVar("language_chosen", default=False)
log = logging.getLogger(__name__)


def normal(code: object) -> str | None:
    """The supported language `code` names ('fr', 'FR', 'fr-BE' -> 'fr'), else None."""
    if not isinstance(code, str):
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


def current() -> str:
    """The language in use."""
    return _current.get()


def chosen() -> bool:
    """Whether the reader chose the language in use (see `_chosen`)."""
    return _chosen.get()


def set_language(code: object, chosen: bool = False) -> tuple[contextvars.Token, contextvars.Token]:
    """Use `code` (English if it is not supported) until `reset` gets the tokens back (a request's lifetime)."""
    return _current.set(normal(code) or DEFAULT), _chosen.set(chosen)


def reset(tokens: tuple[contextvars.Token, contextvars.Token]) -> None:
    _current.reset(tokens[0])
    _chosen.reset(tokens[1])


@contextlib.contextmanager
def use(code: object, chosen: bool = False) -> Iterator[str]:
    """Run a block in the language `code` (English if it is not supported); yields the language used."""
    tokens = set_language(code, chosen)
    try:
        yield current()
    finally:
        reset(tokens)


def best_match(accept_language: str | None) -> str | None:
    """The supported language a browser's Accept-Language header prefers most ('pl,en;q=0.8' -> 'pl'), or None
    (werkzeug's parser: qualities, regional variants such as 'fr-BE')."""
    return parse_accept_header(accept_language or "", LanguageAccept).best_match(list(LANGUAGES))


@functools.cache
def catalogue(code: str) -> stdlib_gettext.NullTranslations:
    """The compiled catalogue of a language (locale/<code>/LC_MESSAGES/messages.mo); none for English, the source
    language. A missing catalogue is logged and the interface stays in English rather than break."""
    if code == DEFAULT:
        return stdlib_gettext.NullTranslations()
    path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not path.is_file():
        log.warning("no compiled catalogue %s: run `make i18n-compile`; showing English", path)
        return stdlib_gettext.NullTranslations()
    return Translations.load(str(LOCALE_DIR), [code], DOMAIN)


def gettext(message: str) -> str:
    """`message` in the language in use."""
    return catalogue(current()).gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for `n` in the language in use (Polish has three)."""
    return catalogue(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in a context that tells translators apart two uses of the same English words."""
    return catalogue(current()).pgettext(context, message)


_ = gettext


def N_(message: str) -> str:
    """Marks a string for translation where it is declared; `gettext` translates it where it is shown."""
    return message


# The locale each language's numbers and dates follow: English as written in the EU (12 October 2023).
FORMAT_LOCALE = {"en": "en_GB"}


def locale() -> Locale:
    code = current()
    try:
        return Locale.parse(FORMAT_LOCALE.get(code, code))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(FORMAT_LOCALE[DEFAULT])


def number(value: float | int | None, digits: int = 0) -> str:
    """A number with the locale's separators and `digits` decimals: 12345.6 -> '12,345.6' (en), '12 345,6' (fr),
    '12.345,6' (de); 'n/a' for a missing value."""
    if value is None or (isinstance(value, float) and value != value):
        return gettext("n/a")
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return babel_numbers.format_decimal(value, format=pattern, locale=locale(), decimal_quantization=True)


def percent(value: float | None, digits: int = 0) -> str:
    """A share given in % (not a fraction): 12.34 -> '12%' (en), '12 %' (fr)."""
    if value is None or value != value:
        return gettext("n/a")
    loc = locale()
    pattern = loc.percent_formats[None].pattern  # '#,##0%' in English, '#,##0 %' in French and German
    if digits > 0:
        pattern = pattern.replace("0", "0." + "0" * digits, 1)
    return babel_numbers.format_percent(value / 100, format=pattern, locale=loc, decimal_quantization=True)


def date(day: dt.date, form: str = "long") -> str:
    """A date in the locale: form 'long' (12 October 2023), 'month' (October 2023), 'short_month' (Oct 2023)."""
    skeletons = {"month": "yMMMM", "short_month": "yMMM"}  # CLDR skeletons: each locale's own order and words
    if form in skeletons:
        return babel_dates.format_skeleton(skeletons[form], day, locale=locale())
    return babel_dates.format_date(day, format="long", locale=locale())


def separators() -> str:
    """Plotly's `separators` for the locale: the decimal sign, then the thousands sign ('.,' in English)."""
    loc = locale()
    group = babel_numbers.get_group_symbol(loc)
    # Plotly draws a narrow no-break space as a box in some fonts: a plain no-break space reads the same.
    return babel_numbers.get_decimal_symbol(loc) + group.replace("\u202f", "\u00a0")


def country(iso2: str | None, english: str | None) -> str | None:
    """A country's name in the reader's language (CLDR, via Babel: 'Pologne' for PL in French); in English, or
    where CLDR has no name for the code, `english` (the warehouse's name)."""
    if current() == DEFAULT or not iso2:
        return english
    return locale().territories.get(iso2.upper(), english)


# Languages whose nouns keep their capital inside a sentence.
CAPITALISED_NOUNS = {"de"}


def in_sentence(label: str) -> str:
    """A label ("Air quality") as it reads inside a sentence: lower case ("air quality"), except in German, where
    nouns keep their capital ("Luftqualität")."""
    if current() in CAPITALISED_NOUNS or not label:
        return label
    return label[:1].lower() + label[1:]


def languages() -> dict[str, str]:
    """The supported languages: code -> their own name."""
    return dict(LANGUAGES)


def extract_vocabulary(fileobj, keywords, comment_tags, options):
    """A Babel extractor for vocab.py (babel.cfg): every term's label, short label and note, the words the dashboard
    shows for codes. Reads the file's syntax tree, so nothing of the project is imported."""
    import ast

    tree = ast.parse(fileobj.read())
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "T"):
            continue
        texts = [node.args[1]] if len(node.args) > 1 else []
        texts += [k.value for k in node.keywords if k.arg in {"label", "short", "note"}]
        for text in texts:
            if isinstance(text, ast.Constant) and isinstance(text.value, str) and text.value:
                yield node.lineno, None, text.value, []
