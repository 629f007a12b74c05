"""Where the Swedish compound words of category names may break in a narrow table header.

Chromium has no Swedish hyphenation dictionary offline, and a header set with ``overflow-wrap:
anywhere`` breaks "Narkotikabrott" wherever the column ends ("Narkotikab|rott"). Instead the headers
get soft hyphens (U+00AD) at the compound boundaries below and break nowhere else (style.css: headers
wrap only at spaces, hyphens and soft hyphens). A word not in :data:`BREAKS` may break before one of
the common last parts in :data:`SUFFIXES`.

Examples
--------
>>> breakable("Narkotikabrott").split(SOFT_HYPHEN)
['Narkotika', 'brott']
>>> breakable("Våld i nära relation") == "Våld i nära relation"
True
>>> breakable("Klotterbrott").split(SOFT_HYPHEN)
['Klotter', 'brott']
"""

from __future__ import annotations

import re

SOFT_HYPHEN = "\u00ad"
#: word -> the word with "|" where it may break: the compounds among the category names of
#: lagesbild/data/categories.yaml (only compounds: a browser fills a line up to a soft hyphen, so a
#: plain word is better moved whole to the next line)
BREAKS = {
    "Narkotikabrott": "Narkotika|brott", "Skadegörelse": "Skade|görelse", "Våldsbrott": "Vålds|brott",
    "Personrån": "Person|rån", "Tillgrepp": "Till|grepp",
    "Misshandel": "Miss|handel", "Inbrott": "In|brott", "Bilbrott": "Bil|brott",
    "Cykelstöld": "Cykel|stöld", "Sexualbrott": "Sexual|brott", "Vapenbrott": "Vapen|brott",
    "Stadsdelsområde": "Stadsdels|område",
}
#: last parts of compounds: a longer word ending in one may break before it
SUFFIXES = ("brott", "stöld", "rån", "görelse", "område")
MIN_PART = 4  # letters left before a suffix break


def _word(word: str) -> str:
    if word in BREAKS:
        return BREAKS[word].replace("|", SOFT_HYPHEN)
    for suffix in SUFFIXES:
        if word.lower().endswith(suffix) and len(word) - len(suffix) >= MIN_PART:
            return word[: -len(suffix)] + SOFT_HYPHEN + word[-len(suffix):]
    return word


def breakable(text: str) -> str:
    """``text`` with soft hyphens at the compound boundaries of its words."""
    return re.sub(r"[^\W\d_]+", lambda m: _word(m.group(0)), str(text))
