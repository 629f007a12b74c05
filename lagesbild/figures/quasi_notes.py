"""The dispersion notes of many comparisons said once.

Översikt (and ``lagesbild overview``) tests every place × category with its own quasi-Poisson factor,
and each factor came with a sentence of its own, naming neither place nor category: at five places of
Huddinge the page listed "Testet tar hänsyn till att antalen varierar 1,2 gånger …" three times with
1,2, 1,1 and 1,4 and cut the other two (the page shows three general notes), so a note that said
something else could be pushed out by them. Also a comparison table's merging of its rows'
dispersion notes into one naming each category (:func:`merge_dispersion_notes`, used by
:func:`lagesbild.figures.tables.comparison_notes`).
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


#: a category's dispersion note (:data:`lagesbild.core.dispersion.NOTE_QUASI`), its factor captured
QUASI_NOTE = re.compile(re.escape(NOTE_QUASI).replace(re.escape("{phi}"), r"(?P<phi>[\d,]+)"))
QUASI_TOGETHER = "Testen tar hänsyn till att antalen varierar mer än slumpen (kvasi-Poisson): {each}."


def merge_dispersion_notes(out: list[str], carriers: dict, labels: list[str]) -> list[str]:
    """Each category's dispersion as one note naming every category and its factor, at the first
    one's place, when more than one row carries one (nine categories gave nine notes).

    Examples
    --------
    >>> note = "Testet tar hänsyn till att antalen varierar {} gånger mer än slumpen (kvasi-Poisson)."
    >>> from lagesbild.figures.tables import comparison_notes
    >>> import pandas as pd
    >>> comparison_notes(pd.DataFrame({"Kategori": ["Rån", "Stöld", "Bedrägeri"],
    ...                                "_not": [note.format("1,8"), note.format("2,4"), ""]}))
    ['Testen tar hänsyn till att antalen varierar mer än slumpen (kvasi-Poisson): Rån 1,8 gånger, Stöld 2,4 gånger.']
    """
    found = [(part, who, m["phi"]) for part, who in carriers.items() if (m := QUASI_NOTE.fullmatch(part))]
    if sum(len(who) for _, who, _ in found) < 2:
        return out
    order = {label: i for i, label in reversed(list(enumerate(labels)))}
    each = sorted(((w, phi) for _, who, phi in found for w in who), key=lambda x: order.get(x[0], 0))
    if len({w for w, _ in each}) < len(each):  # a label with two factors (an activity's categories)
        return out
    merged = QUASI_TOGETHER.format(each=", ".join(f"{w} {phi} gånger" for w, phi in each))
    texts = list(carriers)
    first = min(texts.index(part) for part, _, _ in found)
    drop = {texts.index(part) for part, _, _ in found}
    return [merged if i == first else text for i, text in enumerate(out) if i == first or i not in drop]
