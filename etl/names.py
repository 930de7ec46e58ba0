"""When two names are one city's: every way the ETL compares names, in one place, with each caller's policy named.

Keys (what a name is reduced to before it is compared):
- `slug`: accents, case and punctuation dropped, words joined by '-' ('Cluj-Napoca' -> 'cluj-napoca'). A city's
  id, and the key of the names and aliases of cities.csv.
- `fold`: case and accents dropped, nothing else ('Malmö' -> 'malmo'). The gazetteer's key: GeoNames spells the
  names it knows, and a finer key would merge places.
- `government_key`: a slug without the words that say "municipality of" ('Comune di Milano' -> 'milano'). The
  key of the organisations that report to CDP-ICLEI.

Policies (who compares what, and what counts as a match; none ever guesses between several cities):
- twinning partners (etl.transform.twin_links): a partner's name is a city's name or alias, as slugs; exactly one
  city, else a warning and no link.
- CDP rows (etl.sources.cdp.match): the city's name, else an alias, else, in the same country, exactly one city
  whose name contains the organisation's or is contained in it; as government keys.
- Covenant of Mayors signatories (etl.covenant.match): a city of cities.csv is the one individual signatory of its
  country found by the first of these rules that finds any: its name as a slug, an alias as a slug, its name or
  an alias as a government key, its name or an alias contained as whole words in the signatory's government key
  ('Klagenfurt' in 'Klagenfurt am Woerthersee'). Several at that rule, or a signatory found by two cities, is
  listed as ambiguous and nothing is linked; a group of municipalities is never a city.
- the gazetteer (etl.places.Gazetteer.find): a primary name before an alternate one, folded; the most populous
  of several places.
"""

from __future__ import annotations

import re
import unicodedata

from slugify import slugify


def slug(name: str) -> str:
    return slugify(name)


def fold(name: str) -> str:
    """Lower-case ASCII form of a name ('Malmö' -> 'malmo')."""
    if name.isascii():
        return name.lower().strip()
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().strip()


GOVERNMENT_WORDS = re.compile(
    r"\b(city|municipality|metropolitan|council|county|borough|district|kommune|kommun|stad|comune|di|de|del|"
    r"municipio|ayuntamiento|ville|stadt|gemeente|city of|of|the|town|commune|regional|region|provincial)\b")


def government_key(name: str | None) -> str:
    """A name without accents, case and the words that say 'municipality of': 'Comune di Milano' -> 'milano'."""
    words = GOVERNMENT_WORDS.sub(" ", slugify(name or "", separator=" "))
    return slugify(words)


def contains_words(outer: str, inner: str) -> bool:
    """Whether the slug `inner` is whole words of the slug `outer` ('klagenfurt' of 'klagenfurt-am-worthersee', not
    'lund' of 'lunden')."""
    return bool(inner) and f"-{inner}-" in f"-{outer}-"
