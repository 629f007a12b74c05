"""Plats: the quick periods beside the Sep–Aug comparison, and links to Jämför platser and Mönster.

:func:`with_quick` takes the place page's content and adds, after the page header (last in meeting
mode), links to the
side-by-side comparison (this place and similar places, with the chosen periods and categories) and to
the patterns page (only for the role ``analytiker``), and right under the comparison table (after the
meeting grid in meeting mode) a compact table of
the last 28 days, year to date and the last 12 months against the same days a year earlier
(:func:`lagesbild.analysis.meeting.quick_comparison`). Without incident-level data for the place a
Swedish sentence says why the section is empty.
"""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from lagesbild.analysis import meeting as analysis
from lagesbild.figures.format import fmt_date, fmt_int, fmt_p
from lagesbild.web import auth, common
from lagesbild.web import components as ui
from lagesbild.web.numbers import Numbers
from lagesbild.web.state import build_search

TITLE = "Senaste 28 dagarna, hittills i år och senaste 12 månaderna"
#: what a suppressed count hides with it in the download: the pack's columns of a comparison
#: (lagesbild.export.safety.COMPARE_DEPENDENTS) and the p-value after the correction, which gives it away too
QUICK_DEPENDENTS = {"*": ("change", "pct_change", "p_value", "q_value", "significant", "verdict")}
NO_INCIDENTS = ("Snabba perioder räknas per dag och kräver brott på händelsenivå (med datum och läge) "
                "inom platsen; för {name} finns inga sådana, bara antal per månad eller år om några.")
#: the chosen categories have no incident at the place (Botkyrka, desk7: a table of "data saknas" only)
NO_INCIDENTS_CHOSEN = ("Snabba perioder räknas per dag och kräver brott på händelsenivå (med datum och läge) "
                       "inom platsen; för {name} finns inga sådana i {cats}, bara antal per månad eller år "
                       "om några.")
#: some chosen categories have none
SOME_MISSING = ("Data saknas för {cats}: inga brott på händelsenivå inom platsen, bara antal per månad eller "
                "år om några; snabba perioder räknas per dag.")


def quick_table(q: pd.DataFrame, names: dict, *, meeting: bool = False) -> pd.DataFrame:
    """One row per category, one column per span: ``<now> mot <a year earlier>`` and an arrow for a
    change that is significant after the Benjamini–Hochberg correction (read column by column: no
    frame per category). A span pair not tested for want of incident data (p-value NaN) with nothing
    counted in either span reads "data saknas", not "0 mot 0": a missing month is not a month without
    crime."""
    labels = dict(zip(q["span"], q["span_label"], strict=True))
    heads = {span: labels[span].split(" (")[0] for span in dict.fromkeys(q["span"])}
    rows: dict = {}
    columns = ("category", "span", "count_a", "count_b", "days_a", "days_b", "significant", "p_value")
    for cat, span, ca, cb, da, db, sig, p in zip(*(q[c].tolist() for c in columns), strict=True):
        row = rows.setdefault(cat, {"Kategori": names.get(cat, cat)})
        arrow = (" ▲" if cb > ca * db / da else " ▼") if sig else ""
        if pd.isna(p) and not ca and not cb:  # nothing counted where no incident source covers: not 0
            row[heads[span]] = "data saknas"
            continue
        missing = " (data saknas)" if pd.isna(p) else ""
        row[heads[span]] = f"{fmt_int(cb)} mot {fmt_int(ca)}{arrow}{missing}"
    return pd.DataFrame(list(rows.values()))


def quick_section(store, settings, place_id, categories=None, *, meeting: bool = False) -> html.Div:
    """The quick-period card of a place."""
    place = common.place(store, place_id) or {"name": place_id}
    q = analysis.quick_comparison(store, settings, place=place_id, categories=categories or None)
    if q.empty:
        return html.Div(id="place-quick", className="card table-card quick-card", children=[
            html.H2(TITLE), html.P(NO_INCIDENTS.format(name=place["name"]), className="empty-text",
                                   role="status")])
    names = common.category_names(store)
    table = quick_table(q, names, meeting=meeting)
    spans_shown = [c for c in table.columns if c != "Kategori"]
    without = table.loc[(table[spans_shown] == "data saknas").all(axis=1), "Kategori"].tolist()
    if len(without) == len(table):  # every cell "data saknas": say why instead of a table of it
        return html.Div(id="place-quick", className="card table-card quick-card", children=[
            html.H2(TITLE), html.P(NO_INCIDENTS_CHOSEN.format(name=place["name"], cats=_listed(without)),
                                   className="empty-text", role="status")])
    first = q.drop_duplicates("span")
    spans = "; ".join(f"{label.split(' (')[0]}: {fmt_date(sb)}–{fmt_date(eb)} mot {fmt_date(sa)}–{fmt_date(ea)}"
                      for label, sb, eb, sa, ea in zip(*(first[c] for c in (  # no namedtuple per row
                          "span_label", "start_b", "end_b", "start_a", "end_a")), strict=True))
    sig = q[q["significant"]]
    notes = ["Antal brott nu mot samma dagar ett år tidigare, räknade per dag från brott på "
             "händelsenivå. ▲/▼: statistiskt säkerställd förändring (kvasi-Poisson-test med platsens och "
             "kategorins vanliga variation, korrigerat för "
             f"{fmt_int(q.attrs.get('fdr_tests', len(q)))} test med Benjamini–Hochberg).", spans]
    if without:
        notes.append(SOME_MISSING.format(cats=_listed(without)))
    if not meeting and len(sig):
        notes.append("Lägsta justerade p-värde: " + fmt_p(sig["q_value"].min()) + ".")
    return html.Div(id="place-quick", className="card table-card quick-card span-2", children=[
        html.H2(TITLE), ui.table(table, "place-quick-table",
                                 columns=[{"name": c, "id": c, "type": "text"} for c in table.columns],
                                 numbers=Numbers(q, TITLE, place=place["name"], counts=("count_a", "count_b"),
                                                 dependents=QUICK_DEPENDENTS, headers={"span_label": "Jämförelse", "q_value":
                                                          "p-värde efter korrigering"})),
        ui.notes(notes)])


def _listed(names: list[str]) -> str:
    """Swedish list: ``['A', 'B', 'C']`` → ``'A, B och C'`` (lower-case after the first: a sentence's part).

    >>> _listed(["Skadegörelse", "Inbrott", "Våld i offentlig miljö"])
    'skadegörelse, inbrott och våld i offentlig miljö'
    """
    low = [n[:1].lower() + n[1:] for n in names]
    return low[0] if len(low) == 1 else f"{', '.join(low[:-1])} och {low[-1]}"


def links(store, place_id, categories, periods, meeting: bool = False) -> html.Div:
    """Links from the place to Jämför platser and (for analysts) Mönster, keeping the choices."""
    cmp = build_search({"mote": meeting, "plats": [place_id], "lik": "1", "kat": categories, "per": periods})
    items = [dcc.Link("Jämför med andra platser", href=f"/jamfor{cmp}", id="place-compare-link",
                      className="view-link")]
    if auth.allowed("analytiker"):
        pat = build_search({"mote": meeting, "plats": place_id})
        items.append(dcc.Link("Mönster i tid och rum", href=f"/monster{pat}", id="place-patterns-link",
                              className="view-link"))
    return html.Div(items, className="place-links")


def with_quick(content: list, store, settings, place_id, categories=None, periods=None,
               meeting: bool = False) -> list:
    """The place page's content with the links after the header and the quick periods after the
    comparison block (content without a place is returned unchanged)."""
    if not place_id or len(content) < 3:
        return content
    out = list(content)
    quick = quick_section(store, settings, place_id, categories, meeting=meeting)
    top = out[-2]  # the grid whose first panel is the comparison table
    if not meeting and getattr(top, "className", None) == "grid" and isinstance(top.children, list):
        top.children = [top.children[0], quick, *top.children[1:]]  # right under the comparison
    else:
        out.insert(len(out) - 1, quick)
    # in meeting mode the place's overview keeps its one screen: the links go last
    out.insert(len(out) if meeting else 1, links(store, place_id, categories, periods, meeting))
    return out
