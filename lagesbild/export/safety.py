"""Safety of exported files: small-number suppression, spreadsheet-formula neutralisation, file names.

* **Suppression.** Counts below a threshold (the ``suppress_below`` setting) in sensitive categories
  (``store.categories().sensitive``, e.g. våld i nära relation) are replaced by ``–``; numbers that
  would let a reader recompute them (change, percent, rates, p-value, the total over categories for
  the same period) are hidden too.
* **Neutralisation.** A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
  is read by Excel and LibreOffice as a formula; such cells get a leading apostrophe.
* **File names.** :func:`safe_filename` turns a place name and periods into a name every common file
  system accepts, with å, ä and ö kept.

Examples
--------
>>> neutralise("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> safe_filename("Älvsjö/Solberga 2019–2020")
'Älvsjö-Solberga 2019–2020'
>>> safe_filename("con")
'_con'
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from lagesbild.analysis.categories import ALL_ID
from lagesbild.figures.format import MISSING
from lagesbild.formulas import DANGEROUS_FIRST, neutralise, neutralise_frame  # noqa: F401 (re-exported)

# ----- declarative tables ----------------------------------------------------------------------
#: Characters Windows refuses in file names (plus the two path separators).
FORBIDDEN_CHARS = '<>:"|?*/\\'
#: Device names Windows reserves, with or without an extension.
RESERVED_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{d}{i}" for d in ("COM", "LPT") for i in [*"123456789", "¹", "²", "³"]])
MAX_NAME_CHARS = 100
MAX_NAME_BYTES = 200  # UTF-8 bytes; file systems allow 255, leaving room for an extension
FALLBACK_NAME = "fil"

SUPPRESSED = MISSING  # "–"
SUPPRESSION_NOTE = ("– = färre än {n} anmälda brott i en känslig kategori ({cats}); antalet och "
                    "förändringen visas inte för att skydda de personer som berörs.")
SUPPRESSED_VERDICT = "visas inte (litet antal)"
#: For a comparison table: which derived columns depend on which counts.
COMPARE_DEPENDENTS = {
    "count_a": ("rate_a", "rate_a_low", "rate_a_high"),  # a rate's interval gives the count back too
    "count_b": ("rate_b", "rate_b_low", "rate_b_high"),
    "*": ("change", "pct_change", "p_value", "p_unadjusted", "significant", "verdict"),
}
#: For a trend table over periods (:func:`lagesbild.core.trend_family.trend_table`): its smallest period
#: count (``min_count``) decides, and its ratio, interval, tests and verdict are hidden with it
TREND_COUNTS = ("min_count",)
TREND_DEPENDENTS = {"*": ("rate_ratio", "ci_low", "ci_high", "p_value", "p_value_wald", "p_unadjusted",
                          "dispersion", "mk_s", "mk_tau", "mk_p", "significant", "verdict")}
#: For a before/after table of activities (:func:`lagesbild.core.effects.activity_effects`): its counts,
#: and what is hidden with them on a row where one is small and sensitive (the pack and the web's download)
EFFECT_COUNTS = ("count_before", "count_after", "comparison_before", "comparison_after", "buffer_before",
                 "buffer_after", "buffer_comparison_before", "buffer_comparison_after")
EFFECT_DEPENDENTS = {"*": ("change", "pct_change", "p_value", "q_value", "significant", "verdict",
                           "relative_ratio", "relative_ci_low", "relative_ci_high", "relative_ci_level",
                           "relative_p", "relative_q", "relative_significant", "relative_verdict",
                           "relative_phi", "relative_nu", "wdd", "wdd_var", "wdd_z", "wdd_p", "wdd_q", "wdd_significant",
                           "wdd_verdict")}


# ----- file names ------------------------------------------------------------------------------
def _clean_chars(text: str) -> str:
    keep = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in FORBIDDEN_CHARS:
            keep.append("-")
        elif cat[0] == "C" or cat in ("Zl", "Zp"):  # control, format, private use, separators
            keep.append(" " if ch in "\t\n\r\x0b\x0c\u2028\u2029" else "")
        elif cat == "Zs":
            keep.append(" ")
        else:
            keep.append(ch)
    return "".join(keep)


def _limit(text: str, max_chars: int) -> str:
    """``text`` within ``max_chars`` characters and :data:`MAX_NAME_BYTES` bytes, cut between words when
    a space or hyphen lies in the last third ("… Stockholm", not "… Stockholm 2" of "2022–2023").

    Examples
    --------
    >>> _limit("Jämförelse Stockholm 2021–2022 2022–2023", 32), _limit("Ettlångtordutanmellanrum", 10)
    ('Jämförelse Stockholm 2021–2022', 'Ettlångtor')
    """
    whole = text
    text = text[:max_chars]
    while len(text.encode("utf-8")) > MAX_NAME_BYTES:
        text = text[:-1]
    if len(text) < len(whole) and whole[len(text)] not in " -" and text[-1:] not in (" ", "-"):
        gap = max(text.rfind(" "), text.rfind("-"))
        if gap >= len(text) * 2 // 3:
            text = text[:gap]
    return text


def _is_reserved(text: str) -> bool:
    stem = text.split(".", 1)[0].rstrip(" ").upper()
    return stem in RESERVED_NAMES


def safe_filename(text, *, max_chars: int = MAX_NAME_CHARS) -> str:
    """A file name (without directory) made from free text, safe on Windows, macOS and Linux.

    Path separators and ``<>:"|?*`` become ``-``; control characters are dropped; runs of spaces and
    hyphens are collapsed; leading and trailing dots, hyphens and spaces are removed;
    Windows device names (``CON``, ``NUL``, ``COM1`` …, also with an extension) get a leading ``_``;
    the result is at most ``max_chars`` characters and 200 UTF-8 bytes. Letters such as å, ä, ö are
    kept (in Unicode NFC). The function is idempotent.

    Examples
    --------
    >>> safe_filename("../../etc/passwd")
    'etc-passwd'
    >>> safe_filename("Hässelby torg: 2019–2020?"), safe_filename("NUL.txt"), safe_filename(" . ")
    ('Hässelby torg- 2019–2020', '_NUL.txt', 'fil')
    """
    text = unicodedata.normalize("NFC", _clean_chars(unicodedata.normalize("NFC", str(text))))
    text = re.sub(r" {2,}", " ", text)
    text = re.sub(r"-{2,}", "-", text)
    text = re.sub(r"(?: ?- ?){2,}", "-", text)
    for _ in range(3):  # stripping and cutting can expose new ends; a fixed point comes quickly
        text = _limit(text.lstrip(". -").rstrip(". -"), max_chars).lstrip(". -").rstrip(". -")
    if not text:
        return FALLBACK_NAME
    if _is_reserved(text):
        text = _limit("_" + text, max_chars).rstrip(". -")
    return text


def safe_stem(text, tail="") -> str:
    """:func:`safe_filename` of ``text`` and ``tail`` where a long ``text`` (a place's name) is cut and
    ``tail`` (the periods) is kept: "Trend <a long name> 2020–2021 till 2022–2023" lost its periods,
    or kept "2020–2021" alone as if the chart showed that year. A tail that leaves no room for the
    text is cut with it, as :func:`safe_filename` would.

    Examples
    --------
    >>> safe_stem("Trend " + "Ängsgården " * 12, "2020–2021 till 2022–2023")[-24:]
    '2020–2021 till 2022–2023'
    >>> safe_stem("Trend Vårberg", "2022–2023"), safe_stem("Aktiviteter Älvsjö/Solberga")
    ('Trend Vårberg 2022–2023', 'Aktiviteter Älvsjö-Solberga')
    """
    tail = safe_filename(tail) if str(tail).strip(" .-") else ""
    whole = safe_filename(f"{text} {tail}" if tail else text)
    if not tail or whole.endswith(tail):
        return whole
    room = MAX_NAME_CHARS - len(tail) - 1
    budget = MAX_NAME_BYTES - len(tail.encode()) - 1
    if room < MAX_NAME_CHARS // 3 or budget < MAX_NAME_BYTES // 3:  # the tail nearly fills a name
        return whole
    head = safe_filename(text, max_chars=room)
    while len(head.encode()) > budget:  # the budget exceeds any fallback name, so this ends
        head = safe_filename(head[:-1], max_chars=room)
    return safe_filename(f"{head} {tail}")


# ----- suppression -----------------------------------------------------------------------------
def suppression_note(threshold: int, category_names) -> str:
    """The note printed under a table or chart with suppressed numbers.

    Examples
    --------
    >>> suppression_note(5, ["Våld i nära relation"])[:40]
    '– = färre än 5 anmälda brott i en känsli'
    """
    return SUPPRESSION_NOTE.format(n=threshold, cats=", ".join(category_names))


def _small(value, threshold: int) -> bool:
    try:
        return not pd.isna(value) and float(value) < threshold
    except (TypeError, ValueError):
        return False


def suppress_counts(df: pd.DataFrame, *, count_columns, sensitive, threshold: int,
                    category_column: str = "category", dependents=None,
                    total_category: str | None = ALL_ID,
                    whole_category: bool = False) -> tuple[pd.DataFrame, int]:
    """Hide small counts of sensitive categories.

    Parameters
    ----------
    df : DataFrame
        A table with a category column and count columns.
    count_columns : sequence of str
        The columns holding counts.
    sensitive : collection of str
        Sensitive category ids.
    threshold : int
        Counts below this (0 included) are hidden; 0 or less turns suppression off.
    dependents : dict, optional
        ``{count column: derived columns}``; key ``"*"`` lists columns hidden when any count on the
        row is hidden (see :data:`COMPARE_DEPENDENTS`).
    total_category : str or None
        The category of a total row; its count in a column is hidden too when a count in the same
        column is hidden on a row it sums (secondary suppression), so the total cannot give it away.

    Returns
    -------
    (DataFrame, int)
        A copy with hidden cells set to ``–`` (affected columns become object columns; a ``verdict``
        column gets a short text) and the number of counts hidden.
    whole_category : bool
        A category with one count hidden has every count of every row hidden (a series of months:
        its period totals are shown elsewhere, and a total less the months shown, or one rolling
        12-month sum less the next, gave the hidden month away).

    Examples
    --------
    >>> df = pd.DataFrame({"category": ["vald_nara_relation", "rån"], "count": [3, 2]})
    >>> out, n = suppress_counts(df, count_columns=["count"], sensitive={"vald_nara_relation"},
    ...                          threshold=5)
    >>> out["count"].tolist(), n
    (['–', 2], 1)
    """
    out = df.copy()
    if threshold <= 0 or out.empty:
        return out, 0
    dependents = dependents or {}
    is_sensitive = out[category_column].isin(set(sensitive))
    hidden = {c: is_sensitive & out[c].map(lambda v: _small(v, threshold)) for c in count_columns}
    if total_category is not None:
        is_total = out[category_column] == total_category
        for c in count_columns:
            if hidden[c].any():
                hidden[c] = hidden[c] | is_total
    if whole_category:
        cats = set(out.loc[pd.concat([hidden[c] for c in count_columns], axis=1).any(axis=1), category_column])
        for c in count_columns:
            hidden[c] = hidden[c] | (out[category_column].isin(cats) & out[c].notna())
    any_hidden = pd.Series(False, index=out.index)
    for c in count_columns:
        any_hidden |= hidden[c]
    masks = {c: hidden[c] for c in count_columns}
    for c in count_columns:
        for dep in dependents.get(c, ()):
            masks[dep] = masks.get(dep, False) | hidden[c]
    for dep in dependents.get("*", ()):
        masks[dep] = masks.get(dep, False) | any_hidden
    for col, mask in masks.items():
        if col in out.columns and mask.any():
            fill = SUPPRESSED_VERDICT if col == "verdict" else SUPPRESSED
            out[col] = out[col].astype(object).where(~mask, fill)
    n = int(sum(int((hidden[c] & is_sensitive).sum()) for c in count_columns))
    return out, n


def is_suppressed(value) -> bool:
    """Whether a cell holds the suppression mark."""
    return isinstance(value, str) and value == SUPPRESSED
