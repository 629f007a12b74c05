"""The before/after table of the action plan's activities, formatted for a DataTable, an HTML table or
a Word table (:func:`make_effects_table`), and its one note on the family of tests.

Examples
--------
>>> around_text("ingen säkerställd skillnad mot jämförelseområdet", 0.0004)
'ingen säkerställd skillnad mot jämförelseområdet (p-värde <\\xa00,001)'
"""

from __future__ import annotations

import pandas as pd

from lagesbild.figures.format import MISSING, fmt_change_pct, fmt_int, fmt_p
from lagesbild.figures.tables import ARROWS, category_label, verdict_class


def effects_note(effects: pd.DataFrame | None) -> str:
    """The one Swedish note on a table of effects' family of tests (what was adjusted for many tests,
    :func:`lagesbild.core.effect_family.adjust_effects`); '' when nothing was tested.

    Examples
    --------
    >>> effects_note(None), effects_note(pd.DataFrame())
    ('', '')
    """
    if effects is None:
        return ""
    return str(effects.attrs.get("fdr", {}).get("note", ""))


def around_text(verdict: str, q) -> str:
    """The verdict against the surroundings with its adjusted p-value, when tested.

    Examples
    --------
    >>> around_text("ingen säkerställd skillnad mot jämförelseområdet", 0.31)
    'ingen säkerställd skillnad mot jämförelseområdet (p-värde 0,310)'
    >>> around_text("ingen säkerställd skillnad mot jämförelseområdet", None)
    'ingen säkerställd skillnad mot jämförelseområdet'
    """
    if q is None or pd.isna(q):
        return str(verdict)
    return f"{verdict} (p-värde {fmt_p(q)})"


def make_effects_table(effects: pd.DataFrame, *, category_names=None) -> pd.DataFrame:
    """Before/after each activity (:func:`lagesbild.core.effects.activity_effects`), formatted.

    The p-values shown are the Benjamini–Hochberg adjusted ones, those that decided the verdicts:
    ``q_value`` in its column, and against the surroundings ``relative_q`` (or ``wdd_q`` where the WDD
    is the comparison) after that verdict (one column less: the pack's page holds eight). The table's
    family is told once by :func:`effects_note`.

    Examples
    --------
    >>> e = pd.DataFrame({"aktivitet": ["Platssamverkan"], "category": ["alla"], "before_label":
    ...     ["feb 2018–jan 2019"], "after_label": ["feb 2019–jan 2020"], "count_before": [240],
    ...     "count_after": [120], "change": [-120], "pct_change": [-50.0], "p_value": [1e-5],
    ...     "q_value": [4e-5], "significant": [True], "verdict": ["minskning, statistiskt säkerställd"],
    ...     "relative_q": [0.31], "relative_verdict": ["ingen säkerställd skillnad mot jämförelseområdet"],
    ...     "wdd_verdict": [None], "note": [""]})
    >>> row = make_effects_table(e).iloc[0]
    >>> row[["Före", "Efter", "p-värde", "Bedömning"]].tolist()
    ['240 (feb 2018–jan 2019)', '120 (feb 2019–jan 2020)', '<\\xa00,001', '▼ minskning, statistiskt säkerställd']
    >>> row["Jämfört med omgivningen"]
    'ingen säkerställd skillnad mot jämförelseområdet (p-värde 0,310)\'
    """
    names = dict(category_names or {})
    cols = ["Aktivitet", "Kategori", "Före", "Efter", "Förändring", "p-värde", "Bedömning",
            "Jämfört med omgivningen", "_klass", "_not", "_category"]
    if effects is None or effects.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for r in effects.to_dict("records"):
        klass = verdict_class(r.get("significant"), r.get("verdict"))
        before = f"{fmt_int(r['count_before'])} ({r['before_label']})" if r.get("before_label") else MISSING
        after = f"{fmt_int(r['count_after'])} ({r['after_label']})" if r.get("after_label") else MISSING
        wdd, q_around = r.get("relative_verdict"), r.get("relative_q")
        if wdd is None or (isinstance(wdd, float) and pd.isna(wdd)):
            wdd, q_around = r.get("wdd_verdict"), r.get("wdd_q")
        notes = " ".join(_sentence(str(x)) for x in (r.get("note"), r.get("warnings")) if x and not pd.isna(x))
        rows.append({
            "Aktivitet": r["aktivitet"], "Kategori": category_label(names, r["category"]), "Före": before,
            "Efter": after, "Förändring": fmt_change_pct(r['change'], r['pct_change']),
            "p-värde": fmt_p(r.get("q_value")),
            "Bedömning": ARROWS[klass] + str(r.get("verdict") or MISSING),
            "Jämfört med omgivningen": MISSING if wdd is None or pd.isna(wdd) else around_text(wdd, q_around),
            "_klass": klass, "_not": notes, "_category": r["category"]})
    return pd.DataFrame(rows, columns=cols)


def _sentence(text: str) -> str:
    """``text`` as a sentence: a capital first letter and a full stop (the effect's notes are joined
    fragments, "data täcker bara 4 månader …; …", and its warnings whole sentences; side by side in
    one cell they ran together: "… kortats till 4 månader Säsong: …").

    Examples
    --------
    >>> _sentence("data täcker bara 4 månader efter start"), _sentence("Säsong: kortare än ett år.")
    ('Data täcker bara 4 månader efter start.', 'Säsong: kortare än ett år.')
    """
    text = text.strip()
    if not text:
        return text
    return text[0].upper() + text[1:] + ("" if text[-1] in ".!?" else ".")


def compared_with(effects: pd.DataFrame) -> str:
    """The area before/after rows are compared with ("resten av Huddinge"), or the general words when
    they name none or several (Plats, Åtgärdsplan and the pack say it alike).

    >>> compared_with(pd.DataFrame({"comparison": ["resten av Huddinge", "resten av Huddinge", None]}))
    'resten av Huddinge'
    >>> compared_with(pd.DataFrame({"comparison": ["resten av Huddinge", "resten av Skärholmen"]}))
    'resten av stadsdelsområdet'
    """
    areas = set(effects["comparison"].dropna()) if "comparison" in effects else set()
    return areas.pop() if len(areas) == 1 else "resten av stadsdelsområdet"
