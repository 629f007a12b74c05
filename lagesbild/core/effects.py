"""Before and after an activity: counts in equal windows, the Poisson test and the WDD test.

For an activity linked to a place with a start date, reported crime is counted in two windows of the
same length, before and after the start (the start month belongs to "after"; 12 months each by
default), cut from the place's own months with data: a comparison area without data for a category
(a district file of fewer categories than the place's own) leaves the place's change judged and only
the comparison undone (:func:`~lagesbild.core.effect_windows.comparison_gap`). The change gets the
quasi-Poisson test of the place × category's dispersion, fitted from its monthly history as every
comparison (:mod:`lagesbild.core.dispersion`; the exact conditional Poisson test of
:mod:`lagesbild.core.poisson` with too short a history). Where a comparison area is given (by default
the rest of the place's district), the primary test compares the place's after/before ratio with the
comparison area's (:func:`lagesbild.core.relative.relative_test`: Fisher's exact test of the 2 × 2
counts, or with the two areas' dispersions combined its quasi version; an area whose history is too
short for a dispersion counts as Poisson, the other keeps its own). The weighted displacement difference of Wheeler &
Ratcliffe (2018, *Crime Science* 7:11) is shown only as they define it — with a displacement buffer and
a comparison area of comparable baseline (:func:`lagesbild.core.relative.wdd_note`) — with its z test:

    WDD = ΔT − ΔC  (+ ΔD − ΔCd with a buffer D and its comparison area Cd),
    Var(WDD) = T₀ + T₁ + C₀ + C₁ (+ D₀ + D₁ + Cd₀ + Cd₁),  z = WDD / √Var,

where Δ is after minus before. A negative WDD means the place fell relative to the comparison area.
Either way this is an association, never proof of effect; every result says so in Swedish.

**Many tests at once.** A table of effects is one Benjamini–Hochberg family per kind of test:
:mod:`lagesbild.core.effect_family`.
"""

from __future__ import annotations

import pandas as pd

from lagesbild.core import effect_windows as ew
from lagesbild.core.effect_family import ALL_CATEGORIES, Q_COLUMNS, adjust_effects
from lagesbild.core.effect_overlap import overlap_warnings, source_warnings
from lagesbild.core.effect_row import AREAS, dispersions, row_tests, window_counts
from lagesbild.core.effect_windows import rest_of_district
from lagesbild.core.effect_yearly import whole_periods_reason
from lagesbild.core.period_pairs import TOTAL_CATEGORY
from lagesbild.core.periods import as_date
from lagesbild.core.relative import (
    RELATIVE_COLUMNS,
    WDD_VERDICTS,
    regression_to_mean_warning,
    season_warning,
    wdd_test,
)

# --- declarative tables ------------------------------------------------------------------------
__all__ = ["WDD_VERDICTS", "activity_effects", "adjust_effects", "before_after", "rest_of_district",
           "wdd_test"]
CAVEAT = ("Sambandet visar inte att aktiviteten orsakade förändringen "
          "(association, inte bevis på effekt).")
MIN_MONTHS = 3
TOO_SHORT_AFTER, TOO_SHORT_BEFORE, NO_DATA = ew.TOO_SHORT_AFTER, ew.TOO_SHORT_BEFORE, ew.NO_DATA
NOTE_SHORTENED = ("data täcker bara {k} månader {side} start; båda fönstren har kortats till "
                  "{k} månader")
#: the windows cut because the comparison area's data (not the place's) end or begin near the start
NOTE_SHORTENED_AREA = ("jämförelseområdets data täcker bara {k} månader {side} start; båda fönstren har "
                       "kortats till {k} månader")
NOTE_NO_PCT = "procentuell förändring saknas (0 brott före start)"
NOTE_NO_DISTRICT_DATA = "stadsdelsområdets siffror saknas – ingen jämförelse med resten av det"
REST_LABEL = "resten av stadsdelsområdet ({district})"
REST_LABELS = {"stadsdelsomrade": REST_LABEL, "stad": "resten av staden ({district})"}  # else "resten av X"
_RELATIVE = [c for r in RELATIVE_COLUMNS for c in ((r, Q_COLUMNS[r]) if r in Q_COLUMNS else (r,))]
COLUMNS = [
    "place_id", "category", "before_label", "before_start", "before_end", "after_label",
    "after_start", "after_end", "months", "count_before", "count_after", "change", "pct_change",
    "p_value", "q_value", "significant", "verdict", "comparison", "comparison_before",
    "comparison_after", "buffer_before", "buffer_after", "buffer_comparison_before",
    "buffer_comparison_after", *_RELATIVE, "wdd", "wdd_var", "wdd_z", "wdd_p", "wdd_q",
    "wdd_significant", "wdd_verdict", "note", "warnings", "caveat",
]


def before_after(monthly: pd.DataFrame, *, place_id: str, start, months: int = 12, category=None,
                 comparison_ids=None, buffer_ids=None, buffer_comparison_ids=None,
                 district_id: str | None = None, coverage: pd.DataFrame | None = None,
                 alpha: float = 0.05, names: dict | None = None, data_end=None) -> pd.DataFrame:
    """Counts before and after a start date, their tests (Benjamini–Hochberg adjusted over the place's
    categories: :func:`adjust_effects`), and the WDD against a comparison area.

    Parameters
    ----------
    monthly : DataFrame
        The store's ``monthly_counts`` frame: ``place_id, category, month, count``.
    place_id : str
        The place the activity is linked to.
    start : date-like
        The activity's start; its month is the first month "after".
    months : int, default 12
        Length of each window in months.
    category : str, list of str or None
        One category (one row), several (a row each plus ``alla``, their sum), or None: every category
        found in the windows of the areas involved, plus ``alla`` (their sum; a source's own ``totalt``
        is summed only when it is the only category), as the comparisons' rows.
    comparison_ids : list of str, optional
        Place ids whose summed counts form the comparison area. Default: with ``district_id``, the
        rest of the district (:func:`rest_of_district`, also without the buffer); otherwise none.
    buffer_ids, buffer_comparison_ids : list of str, optional
        A displacement area and its own comparison area (see :func:`wdd_test`).
    district_id : str, optional
        The place's district, for the default comparison area.
    coverage : DataFrame, optional
        The store's ``coverage`` frame (``source, place_id, month``; ``place_id`` None = every place).
        A month counts as covered when every area involved is covered. Without it, every month
        between the first and the last month of ``monthly`` counts as covered.
    alpha : float, default 0.05
        Significance level (the false discovery rate of each kind of test).
    names : dict, optional
        Place id -> name, for the comparison area's label (``comparison``); ids where missing.
    data_end : date-like, optional
        The last day of complete data (:func:`lagesbild.core.coverage.complete_until`): a month ending
        after it is not covered, so a month the data end in is never compared with whole ones.

    Returns
    -------
    DataFrame
        One row per category (:data:`COLUMNS`), its tests adjusted as one family with every category
        found in the windows, shown or not (:func:`adjust_effects`). When the data do not cover both
        full windows, both are shortened to the covered length and ``note`` says so; with fewer than
        :data:`MIN_MONTHS` months after (or before) the start nothing is tested and ``verdict`` says
        why (:func:`~lagesbild.core.effect_windows.untestable`). ``caveat`` is :data:`CAVEAT` on every row.

    Examples
    --------
    >>> m = pd.DataFrame({"place_id": ["torg"] * 24, "category": ["skadegörelse"] * 24,
    ...     "month": pd.date_range("2018-02-01", periods=24, freq="MS"),
    ...     "count": [20] * 12 + [10] * 12})
    >>> r = before_after(m, place_id="torg", start="2019-02-15", category="skadegörelse").iloc[0]
    >>> r.before_label, r.after_label, int(r.count_before), int(r.count_after)
    ('feb 2018–jan 2019', 'feb 2019–jan 2020', 240, 120)
    >>> r.verdict, r.caveat == CAVEAT
    ('minskning, statistiskt säkerställd', True)
    """
    table, extra = _before_after(monthly, place_id=place_id, start=start, months=months,
                                 category=category, comparison_ids=comparison_ids, buffer_ids=buffer_ids,
                                 buffer_comparison_ids=buffer_comparison_ids, district_id=district_id,
                                 coverage=coverage, alpha=alpha, names=names, data_end=data_end)
    return adjust_effects(table, alpha, extra=extra)


def _before_after(monthly, *, place_id, start, months, category, comparison_ids, buffer_ids,
                  buffer_comparison_ids, district_id, coverage, alpha, names, data_end=None, kinds=None):
    """:func:`before_after` before the adjustment: the rows asked for (raw p-values) and the raw
    p-values (:data:`Q_COLUMNS`) of the other categories found in the windows, the rest of the family."""
    if months < 1:
        raise ValueError(f"Fönstret måste vara minst en månad, inte {months!r}.")
    frame = monthly.assign(month=ew.month_starts(monthly["month"]).to_numpy())
    buffer_ids, notes, below = list(buffer_ids or []), [], []
    areas = {"treated": [place_id]}
    cover_ids = [place_id] + buffer_ids + list(buffer_comparison_ids or [])
    comparison = None
    if comparison_ids is not None:  # the place (and its buffer) is never part of its own comparison
        comparison_ids = [c for c in comparison_ids if c != place_id and c not in buffer_ids]
        areas["control"] = list(comparison_ids)
        comparison = ", ".join((names or {}).get(c, c) for c in comparison_ids)
        cover_ids += list(comparison_ids)
    elif district_id is not None:
        if (frame["place_id"] == district_id).any():
            rest = rest_of_district(frame, place_id, district_id, buffer_ids)
            below, frame = rest.attrs["below"], pd.concat([frame, rest], ignore_index=True)  # (cat, month)
            areas["control"] = [f"resten-av-{district_id}"]
            label = REST_LABELS.get(kinds.get(district_id), "resten av {district}") if kinds else REST_LABEL
            comparison = label.format(district=(names or {}).get(district_id, district_id))
            cover_ids.append(district_id)
        else:
            notes.append(NOTE_NO_DISTRICT_DATA)
    if buffer_ids and "control" in areas:
        areas["buffer"] = buffer_ids
        if buffer_comparison_ids:
            areas["buffer_control"] = list(buffer_comparison_ids)
    first_after = pd.Timestamp(as_date(start)).replace(day=1)
    # the categories of the windows at their longest; with coverage naming categories each category
    # has its own months (a category whose data end early is not counted as zeros after its end)
    widest = ew.window(ew.shift(first_after, -months), 2 * months)
    found = sorted(set().union(*[set(window_counts(frame, ids, widest).index) for ids in areas.values()]))
    # a category only the comparison area has data for is not the place's: no row, nor part of its total
    own_months = ew.category_covered(monthly, coverage, [place_id], data_end, found, [], ALL_CATEGORIES)
    if any(own_months[c] for c in found):
        found = [c for c in found if own_months[c]]
    below = {c for c, m in below if widest.start <= m.date() <= widest.end}  # in the months compared
    shown, parts = ew.rows_and_parts(category, found, TOTAL_CATEGORY)
    others = [c for c in found if c not in shown]
    # the place's windows are cut from its own months; the months of every area (the comparison area,
    # a buffer) are asked only of the tests against them (a category the district lacks is still judged)
    by_cat, compared = (ew.category_covered(monthly, coverage, ids, data_end, shown + others, parts,
                                            ALL_CATEGORIES) for ids in ([place_id], cover_ids))
    groups: dict = {}
    for c in shown + others:
        groups.setdefault((by_cat[c], compared[c]), []).append(c)
    tables, extras = {}, []
    # a place without any month of crime data (a survey's area, say) is not "too short after start"
    no_data = coverage is not None and not by_cat[None]
    for (covered, with_areas), members in groups.items():
        table, extra = _windowed(frame, areas, (set(covered), set(with_areas)), first_after, months, alpha,
                                 notes, [c for c in members if c in shown], [c for c in members if c in others],
                                 place_id, comparison, no_data, parts)
        tables.update({c: table[table["category"] == c] for c in members if c in shown})
        extras.append(extra)
    table = pd.concat([tables[c] for c in shown], ignore_index=True) if shown else \
        _windowed(frame, areas, (by_cat[None], compared[None]), first_after, months, alpha, notes, [], [],
                  place_id, comparison)[0]
    if len({by_cat[c] for c in parts if c in by_cat}) > 1:  # the total only has the months all parts have
        total = (table["category"] == ALL_CATEGORIES).to_numpy()
        table.loc[total, "note"] = [_sentences([n, ew.NOTE_TOTAL_CUT]) for n in table.loc[total, "note"]]
    extra = ew.stack([ew.without_other_source(e, below, parts) for e in extras])
    return ew.without_other_source(table, below, parts).reindex(columns=COLUMNS), extra


def _windowed(frame, areas, covered, first_after, months, alpha, notes, shown, others, place_id,
              comparison, no_data=False, parts=()):
    """The rows of ``shown`` and the family's ``others`` of categories sharing the covered months
    (``covered``: the place's own, and those every area has): equal windows before and after
    ``first_after``, counts, tests, warnings (``no_data``: the place has none). The windows are cut
    from the months every area has when those give windows long enough to test; otherwise from the
    place's own, and the place is compared with nothing
    (:func:`~lagesbild.core.effect_windows.comparison_gap` says why)."""
    notes, (own, with_areas) = list(notes), covered
    # the months every area has while they can be tested (the comparison area's data ending a month
    # early shorten both windows), else the place's own months
    covered = with_areas if min(ew.spans(with_areas, first_after, months)) >= MIN_MONTHS else own
    n_after, n_before = ew.spans(covered, first_after, months)
    k = min(n_after, n_before)
    if MIN_MONTHS <= k < months:
        side = "efter" if n_after <= n_before else "före"
        # the place's own months reach further: it is the comparison area's data that are short
        notes.append((NOTE_SHORTENED_AREA if min(ew.spans(own, first_after, months)) > k else
                      NOTE_SHORTENED).format(k=k, side=side))
    before, after = ew.window(ew.shift(first_after, -k), k), ew.window(first_after, k)
    gap = ew.comparison_gap(with_areas, before, after) if "control" in areas else ""
    if gap:  # the place's own change is judged; against the comparison area nothing is
        areas = {"treated": areas["treated"]}
    counts = {role: (window_counts(frame, ids, before), window_counts(frame, ids, after))
              for role, ids in areas.items()}
    testable = k >= MIN_MONTHS
    # the family's other categories: tested, adjusted with the rows shown, then left out
    others = others if testable else []
    # the place's dispersion from its own history (a comparison area's file of 22 months, windows cut
    # to them, left a place of 60 months without one: its change had the exact Poisson test)
    disp = dispersions(frame, areas, {"treated": own, "control": with_areas}, shown + others,
                       parts) if testable else {}
    extra = pd.DataFrame([row_tests(counts, c, alpha, True, disp[c], p_only=True) for c in others],
                         columns=["category", *Q_COLUMNS])[["category", *Q_COLUMNS]]
    short = ew.untestable(covered, first_after, n_after, n_before, MIN_MONTHS, no_data)
    rows = [row_tests(counts, c, alpha, testable, disp.get(c), parts=parts) for c in shown]
    table = pd.DataFrame(rows, columns=list(dict.fromkeys(["category", *COLUMNS, "wdd_note"])))
    for col in ("significant", "wdd_significant"):
        table[col] = table[col].astype("boolean")
    for col in [c for pair in AREAS.values() for c in pair] + ["change"]:
        table[col] = table[col].astype("Int64")
    for col, window, part in (("before", before, "start"), ("before", before, "end"),
                              ("after", after, "start"), ("after", after, "end")):
        day = pd.Timestamp(getattr(window, part)) if window else pd.NaT  # one unit, also for NaT
        table[f"{col}_{part}"] = pd.Series(day, index=table.index, dtype=ew.DAY_DTYPE)
        table[f"{col}_label"] = window.label if window else None
    table = table.assign(place_id=place_id, months=k, comparison=comparison, caveat=CAVEAT)
    if k == 0:  # no window: nothing was counted (a 0 here read as "no crimes" on the plan's page)
        for col in [c for pair in AREAS.values() for c in pair] + ["change"]:
            table[col] = pd.array([pd.NA] * len(table), dtype="Int64")
    if not testable:
        table["verdict"] = short
    elif gap:
        table["relative_verdict"] = [gap.format(what=ew.WHAT_TOTAL if c == ALL_CATEGORIES else ew.WHAT_CATEGORY)
                                     for c in table["category"]]
    table["note"] = [_sentences(notes + ([NOTE_NO_PCT] if testable and b == 0 else []) + ([w] if w else []))
                     for b, w in zip(table["count_before"], table["wdd_note"], strict=True)]
    own = frame[frame["place_id"] == place_id]
    warnings = [season_warning(k) if testable else ""]
    for cat in table["category"]:
        sel = own[own["category"].isin(parts)] if cat == ALL_CATEGORIES else own[own["category"] == cat]
        series = sel.groupby("month")["count"].sum()
        series = series.reindex(sorted(m for m in covered if m < first_after), fill_value=0)
        warnings.append(regression_to_mean_warning(series, first_after) if testable else "")
    table["warnings"] = [" ".join(w for w in (warnings[0], r) if w) for r in warnings[1:]]
    return table, extra


def activity_effects(monthly: pd.DataFrame, activities: pd.DataFrame, activity_places: pd.DataFrame,
                     places: pd.DataFrame, *, months: int = 12, category=None,
                     coverage: pd.DataFrame | None = None, alpha: float = 0.05,
                     data_end=None, context: tuple | None = None,
                     whole_counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`before_after` for every activity with a start date and a linked place.

    The comparison area is the rest of the place's district (``places.district_id``); a place
    without a district (a district, the city) gets no comparison. The whole table is one family of
    tests (every activity × place × category, also categories not asked for; :func:`adjust_effects`),
    so a place's table and an activity's table each control the false discovery rate.

    Parameters
    ----------
    monthly, coverage : DataFrame
        As for :func:`before_after`.
    activities : DataFrame
        ``activity_id, aktivitet, start_date, ...``; rows without ``start_date`` are skipped.
    activity_places : DataFrame
        ``activity_id, place_id``.
    places : DataFrame
        ``place_id, district_id, ...``.
    months, category, alpha, data_end
        As for :func:`before_after`.
    context : (activities, activity_places) or None
        The store's activities and links, for :func:`~lagesbild.core.effect_overlap.overlap_warnings`.
    whole_counts : DataFrame, optional
        The store's counts of whole periods (``period_counts``: ``place_id, period_start,
        period_end``): a place without any month of data but with these says which whole periods it
        has (:func:`~lagesbild.core.effect_yearly.whole_periods_reason`).

    Returns
    -------
    DataFrame
        ``activity_id, aktivitet, start_date`` followed by :data:`COLUMNS`, one block of rows per
        activity × place; ``attrs['fdr']`` describes the family (:func:`adjust_effects`).

    Examples
    --------
    >>> m = pd.DataFrame({"place_id": ["torg"] * 24, "category": ["rån"] * 24,
    ...     "month": pd.date_range("2018-02-01", periods=24, freq="MS"), "count": [3] * 24})
    >>> acts = pd.DataFrame({"activity_id": ["a1", "a2"], "aktivitet": ["Platssamverkan", "Plan"],
    ...                      "start_date": [pd.Timestamp("2019-02-01"), None]})
    >>> links = pd.DataFrame({"activity_id": ["a1", "a2"], "place_id": ["torg", "torg"]})
    >>> pl = pd.DataFrame({"place_id": ["torg"], "district_id": [None]})
    >>> activity_effects(m, acts, links, pl, category="rån")[["activity_id", "verdict"]].values.tolist()
    [['a1', 'ingen säkerställd förändring']]
    """
    head = ["activity_id", "aktivitet", "start_date"]
    links = activity_places[["activity_id", "place_id"]].merge(
        activities[head], on="activity_id")
    links = links[links["start_date"].notna()]
    districts = places.set_index("place_id")["district_id"].to_dict()
    names = places.set_index("place_id")["name"].to_dict() if "name" in places else {}
    kinds = places.set_index("place_id")["kind"].to_dict() if "kind" in places else None
    blocks, extras = [], []
    for act_id, name, start, pid in links[head + ["place_id"]].itertuples(index=False):
        district = districts.get(pid)
        res, extra = _before_after(monthly, place_id=pid, start=start, months=months, category=category,
                                   comparison_ids=None, buffer_ids=None, buffer_comparison_ids=None,
                                   district_id=None if pd.isna(district) else district,
                                   coverage=coverage, alpha=alpha, names=names, data_end=data_end,
                                   kinds=kinds)
        no_months = (res["verdict"] == ew.NO_DATA).to_numpy()
        if no_months.any() and whole_counts is not None and not ew.covered_months(monthly, coverage, [pid]):
            why = whole_periods_reason(names.get(pid, pid), whole_counts[whole_counts["place_id"] == pid])
            res.loc[no_months, "verdict"] = why or ew.NO_DATA
        blocks.append(res.assign(activity_id=act_id, aktivitet=name, start_date=start))
        extras.append(extra)
    if not blocks:
        return pd.DataFrame(columns=head + COLUMNS)
    table = pd.concat(blocks, ignore_index=True)[head + COLUMNS]
    table = adjust_effects(table, alpha, extra=ew.stack(extras))
    table = overlap_warnings(table, *(context or (activities, activity_places)))
    return source_warnings(table, monthly, ALL_CATEGORIES)


def _sentences(parts) -> str:
    """A row's notes as sentences, each its own (they were joined with "; ", so a note every row has,
    "WDD visas inte …", could not be told apart from a row's own and was listed under every row).

    >>> _sentences(["procentuell förändring saknas (0 brott före start)", "", "WDD visas inte: x."])
    'Procentuell förändring saknas (0 brott före start). WDD visas inte: x.'
    >>> _sentences([])
    ''
    """
    kept = [str(p).strip().rstrip(".") for p in parts if p and str(p).strip()]
    return " ".join(f"{p[0].upper()}{p[1:]}." for p in kept)

