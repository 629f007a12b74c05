"""What the analysis layer raises for a question the store cannot answer: an unknown place, category,
kind or period. The web layer answers these with 400 and their Swedish message, the CLI with exit 2.

Examples
--------
>>> try:
...     raise UnknownPeriod('Okänd period: "x".')
... except ValueError as err:  # still the ValueError every period parser's caller catches
...     print(isinstance(err, NotFound), err)
True Okänd period: "x".
"""

from __future__ import annotations


class NotFound(LookupError):
    """A place, activity, category or period the store cannot answer for (message in Swedish)."""


class UnknownPeriod(NotFound, ValueError):
    """A text that is not a period (:func:`lagesbild.analysis.periodchoice.parse_periods`)."""


#: a store with at most this many places lists them all when a name is not found
LIST_ALL_UP_TO = 12
SUGGESTIONS = 5


def unknown_place(key, known) -> str:
    """The message for a place ``key`` that matches no place: the places it may mean, by name and id.

    ``known`` holds ``(place_id, name)`` pairs. A place whose name or id contains what was written
    (case and accents forgiven: "ostra jarna" too), else one whose name is close to it (:func:`difflib.get_close_matches`),
    is suggested; a store of at most :data:`LIST_ALL_UP_TO` places lists every one. Ids alone
    ("0181B5010, 0181B4010, …", DeSO codes) told a user typing "Östra Järna" nothing.

    >>> known = [("0181B5010", "Brunnsäng"), ("0181C1240", "Östra Järna-Överjärnas strandängar")]
    >>> print(unknown_place("Östra Järna", known))
    Okänd plats: 'Östra Järna'. Menade du: Östra Järna-Överjärnas strandängar (0181C1240)? Kända platser: Brunnsäng (0181B5010), Östra Järna-Överjärnas strandängar (0181C1240).
    >>> many = [(f"p{i}", f"Plats {i}") for i in range(40)] + [("hasselby-torg", "Hässelby torg")]
    >>> print(unknown_place("Haselby torg", many))
    Okänd plats: 'Haselby torg'. Menade du: Hässelby torg (hasselby-torg)? Databasen har 41 platser (de listas av lagesbild status och på Översikt).
    """
    from difflib import get_close_matches

    from lagesbild.sources.textkeys import fold, strip_accents

    def loose(text):
        return strip_accents(fold(text))

    pairs = [(str(pid), str(name if name is not None else pid)) for pid, name in known]
    want = loose(key)
    hits = [p for p in pairs if want and (want in loose(p[1]) or want in loose(p[0]))]
    if not hits:
        by_name = {loose(name): (pid, name) for pid, name in pairs}
        hits = [by_name[n] for n in get_close_matches(want, list(by_name), n=SUGGESTIONS, cutoff=0.6)]
    text = f"Okänd plats: {key!r}."
    if hits:
        text += " Menade du: " + ", ".join(f"{name} ({pid})" for pid, name in hits[:SUGGESTIONS]) + "?"
    if len(pairs) <= LIST_ALL_UP_TO:
        return text + " Kända platser: " + ", ".join(f"{name} ({pid})" for pid, name in pairs) + "."
    return text + f" Databasen har {len(pairs)} platser (de listas av lagesbild status och på Översikt)."
