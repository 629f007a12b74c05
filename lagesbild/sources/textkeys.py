"""Names as keys: accents stripped, field names normalised, identifiers slugified.

Used by every reader to match column and field names case- and accent-insensitively, and to make
place and activity ids from names. Light on purpose (no geodata imports).
"""

from __future__ import annotations

import re
import unicodedata

#: Words after an area's name that are not part of it ("Vårberg stadsdel", "Skärholmens
#: stadsdelsområde", "Stockholms kommun"); normalised, longest first.
AREA_SUFFIXES = ("stadsdelsnamndsomrade", "stadsdelsforvaltning", "stadsdelsomrade", "stadsomrade", "stadsdel",
                 "kommun", "sdf", "sdo")
#: Names of the whole country in Brå's and SCB's tables ("Riket", "Hela landet"): no place here.
NATIONAL = frozenset(re.sub(r"[^a-z]", "", t) for t in (
    "riket", "hela riket", "sverige", "hela sverige", "hela landet", "samtliga kommuner", "alla kommuner"))
_SLUG_SPECIAL = str.maketrans({"/": "-", "ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ł": "l"})


def strip_accents(text: str) -> str:
    """Return `text` without diacritics.

    Examples
    --------
    >>> strip_accents("Hässelby-Vällingby, Älvsjö, Fruängen, Café")
    'Hasselby-Vallingby, Alvsjo, Fruangen, Cafe'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


#: å, ä, ö (and æ, ø as ä, ö) come after z, in that order, as in a Swedish dictionary
_AFTER_Z = {"å": "\U0010fff1", "ä": "\U0010fff2", "æ": "\U0010fff2", "ö": "\U0010fff3", "ø": "\U0010fff3"}


def swedish_order(text: object) -> str:
    """A sort key in Swedish alphabetical order: case and other accents forgiven (é as e, ü as y),
    å, ä, ö after z in that order (code points put ä before å, and every capital before "de Geer").

    Examples
    --------
    >>> sorted(["Östertälje", "Älvsjö", "Årsta", "Hovsjö", "Ronna", "de Geer", "Zinkensdamm"], key=swedish_order)
    ['de Geer', 'Hovsjö', 'Ronna', 'Zinkensdamm', 'Årsta', 'Älvsjö', 'Östertälje']
    >>> sorted(["Vällingby centrum", "Vårberg", "Västertorp"], key=swedish_order)
    ['Vårberg', 'Vällingby centrum', 'Västertorp']
    """
    s = unicodedata.normalize("NFC", str(text).casefold()).replace("ü", "y")
    return strip_accents("".join(_AFTER_Z.get(ch, ch) for ch in s))


def fold(text: object) -> str:
    """A name with case and spacing forgiven, accents kept (Vårberg the stadsdel is not Varberg).

    Examples
    --------
    >>> fold("  VÅRBERG "), fold("Varberg") == fold("Vårberg")
    ('vårberg', False)
    """
    return " ".join(str(text).casefold().split())


def normalize_key(key: object) -> str:
    """Return a property or field name reduced to lower-case ASCII letters and digits.

    Examples
    --------
    >>> normalize_key("Stadsdelsområde"), normalize_key("place_id"), normalize_key("SDF:s åtagande")
    ('stadsdelsomrade', 'placeid', 'sdfsatagande')
    """
    text = strip_accents(str(key)).lower()
    return re.sub(r"[^a-z0-9]", "", text)


def area_keys(name: object) -> list[str]:
    """The keys an area's name may match a place by, best first: :func:`normalize_key` of the name,
    then without a suffix word of :data:`AREA_SUFFIXES`, then also without the genitive ``s`` the
    suffix takes ("Skärholmens stadsdelsområde" → Skärholmen).

    Examples
    --------
    >>> area_keys("Vårberg stadsdel"), area_keys("Skärholmens stadsdelsområde")
    (['varbergstadsdel', 'varberg'], ['skarholmensstadsdelsomrade', 'skarholmens', 'skarholmen'])
    >>> area_keys("Årsta"), area_keys("Stadsdel")
    (['arsta'], ['stadsdel'])
    """
    text = str(name).strip()
    keys = [normalize_key(text)]
    words = text.split()
    if len(words) > 1 and normalize_key(words[-1]) in AREA_SUFFIXES:
        stem = " ".join(words[:-1])
        keys.append(normalize_key(stem))
        if stem.endswith("s") and len(stem) > 2:
            keys.append(normalize_key(stem[:-1]))
    return keys


def slugify(text: object, sep: str = "-", max_length: int | None = None) -> str:
    """Return an ASCII slug of `text` (å, ä → a, ö → o, ``/`` → separator).

    Parameters
    ----------
    text : object
        Name to turn into an identifier; converted with ``str``.
    sep : str
        Separator between words.
    max_length : int, optional
        Cut the slug at the last separator before this length.

    Examples
    --------
    >>> slugify("Hässelby torg"), slugify("Älvsjö/Solberga"), slugify("Utsatt område", sep="_")
    ('hasselby-torg', 'alvsjo-solberga', 'utsatt_omrade')
    >>> slugify("Fortsätta platssamverkan kring Hässelby torg", max_length=25)
    'fortsatta-platssamverkan'
    """
    ascii_text = strip_accents(str(text).lower().translate(_SLUG_SPECIAL))
    slug = re.sub(r"[^a-z0-9]+", sep, ascii_text).strip(sep)
    if max_length is not None and len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit(sep, 1)[0] if sep in cut else slug[:max_length]
    return slug
