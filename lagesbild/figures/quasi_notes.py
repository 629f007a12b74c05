"""The dispersion notes of many comparisons said once.

Översikt (and ``lagesbild overview``) tests every place × category with its own quasi-Poisson factor,
and each factor came with a sentence of its own, naming neither place nor category: at five places of
Huddinge the page listed "Testet tar hänsyn till att antalen varierar 1,2 gånger …" three times with
1,2, 1,1 and 1,4 and cut the other two (the page shows three general notes), so a note that said
something else could be pushed out by them.
"""

from __future__ import annotations

import re

from lagesbild.core.dispersion import NOTE_QUASI

#: one comparison's dispersion sentence, its factor captured
QUASI_SENTENCE = re.compile(re.escape(NOTE_QUASI).replace(re.escape("{phi}"), r"(?P<phi>\d+(?:,\d+)?)"))
QUASI_RANGE = ("Testen tar hänsyn till att antalen varierar mer än slumpen (kvasi-Poisson): {low}–{high} "
               "gånger, olika för olika platser och kategorier (se Plats).")


def merge_quasi_notes(notes: list[str]) -> list[str]:
    """``notes`` with every dispersion sentence replaced by one giving the range of their factors,
    at the first one's place; a single one stays as it is.

    Examples
    --------
    >>> q = "Testet tar hänsyn till att antalen varierar {} gånger mer än slumpen (kvasi-Poisson)."
    >>> merge_quasi_notes([q.format("1,2"), "Annat.", q.format("1,05"), q.format("1,4")])
    ['Testen tar hänsyn till att antalen varierar mer än slumpen (kvasi-Poisson): 1,05–1,4 gånger, olika för olika platser och kategorier (se Plats).', 'Annat.']
    >>> merge_quasi_notes([q.format("1,2"), "Annat."]) == [q.format("1,2"), "Annat."]
    True
    """
    factors = [m["phi"] for n in notes if (m := QUASI_SENTENCE.fullmatch(n.strip()))]
    if len(set(factors)) < 2:
        return list(notes)
    value = lambda phi: float(phi.replace(",", "."))  # noqa: E731
    merged = QUASI_RANGE.format(low=min(factors, key=value), high=max(factors, key=value))
    out, placed = [], False
    for n in notes:
        if QUASI_SENTENCE.fullmatch(n.strip()):
            if not placed:
                out.append(merged)
                placed = True
            continue
        out.append(n)
    return out
