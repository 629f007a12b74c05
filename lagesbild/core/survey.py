"""Safety-survey tables: a place's shares with intervals, against its district and city, and changed.

The statistics of shares (Wilson intervals, the two-proportion test) are in
:mod:`lagesbild.core.proportions`, the interval of a difference in :mod:`lagesbild.core.score_interval`, the place against the rest of its area and the page's family of
tests in :mod:`lagesbild.core.survey_rest`, the rows matched by indicator and year in
:mod:`lagesbild.core.survey_rows`.

A survey result is a share of respondents (in [0, 1]) with, when known, the number of respondents.
With a respondent count the share gets a Wilson score interval, differences to the district and the
city get a pooled two-proportion z test, and the change since the previous survey at the same place
gets the same test plus the score interval that inverts it (Farrington & Manning 1990; it excludes 0
exactly when the z test's p-value is below the level). Without a count
nothing can be tested: the share is shown as it is and the result says so. When an expected count
(yes or no answers in either sample under the pooled share) is below 5 (Cochran's rule), the normal
approximation fails — with one respondent the z test rejects up to three times as often as its level —
and the test is Fisher's exact test on the answers ``round(share × n)`` instead.

**Place against the rest.** A district's (or the city's) figure usually includes the place's own
respondents, so the two samples are not independent. When ``includes_place`` is true (the default; the
setting ``survey_district_includes_place``), the place is compared with the *rest* of the district:
``share_rest = (p_d n_d − p_p n_p) / (n_d − n_p)`` with ``n_rest = n_d − n_p`` respondents, an
independent sample. The difference place − rest gets the pooled z test and its score interval
(``diff_district_lo``/``diff_district_hi``); the same for the city.

**Many tests.** A survey page shows many tests at once (change, district and city for every indicator
and year); their p-values are adjusted together with Benjamini–Hochberg (:mod:`lagesbild.core.fdr`),
and ``attrs['fdr']`` says how many there are. The score intervals of the differences are then at
the Benjamini–Yekutieli (2005) level ``1 − max(R, 1)·α/m`` (``attrs['fdr']['interval_level']``,
:func:`lagesbild.core.survey_rest.interval_level`), so that an interval excludes 0 when the adjusted
verdict says the difference is significant; a 95 % interval beside the adjusted verdict excluded 0 for
differences called "ingen säkerställd förändring". That agreement holds for the z test; where few
respondents call for Fisher's exact test, the z test's interval can disagree with it (22/30 → 28/30:
interval +1,3 to +39 p.e., Fisher p = 0,080), and the row's note says so
(:data:`NOTE_FISHER`); the verdict follows the test. The same where at most
:data:`~lagesbild.core.survey_rest.EXACT_MAX_N` respondents in each sample bound the z test's p-value
by Barnard's exact test (:data:`NOTE_BARNARD`).

All functions are pure. Shares are fractions; differences in the tables are percentage points.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.core.poisson import VERDICTS
from lagesbild.core.proportions import (  # noqa: F401 - the statistics of one share are re-exported
    _newcombe,
    _wilson,
    _z,
    _ztest,
    newcombe_interval,
    two_proportion_test,
    wilson_interval,
    wilson_intervals,
)
from lagesbild.core.score_interval import score_interval
from lagesbild.core.survey_rest import (
    NOTE_BARNARD,
    NOTE_FISHER,
    adjust_arrays,
    fisher_disagrees,
    half_step,
    lattice_samples,
    rest_impossible,
    rest_of,
    rest_respondents,
    small_samples,
)
from lagesbild.core.survey_rows import lookup, lookup_stated, previous, rows

# --- declarative tables ------------------------------------------------------------------------
CITY_LEVEL = "stad"

VERDICT_UP = VERDICTS["up"]
VERDICT_DOWN = VERDICTS["down"]
VERDICT_NONE = VERDICTS["none"]
VERDICT_UNTESTABLE = "kan inte testas – antal svarande saknas"
VERDICT_FIRST = "ingen tidigare mätning"

NOTE_NO_N = "antal svarande saknas – andelen visas utan konfidensintervall och kan inte testas"
NOTE_ZERO_N = "0 svarande – andelen visas utan konfidensintervall och kan inte testas"
NOTE_NO_N_DISTRICT = "skillnaden mot stadsdelsområdet kan inte testas – antal svarande saknas"
NOTE_NO_N_CITY = "skillnaden mot staden kan inte testas – antal svarande saknas"
NOTE_NO_REST = ("skillnaden mot {area} kan inte beräknas – {area} har inte fler svarande än platsen, så "
                "resten av området saknar svarande")
NOTE_REST_IMPOSSIBLE = ("skillnaden mot {area} kan inte beräknas – {area}s andel och antal svarande kan "
                        "inte innehålla platsens (ingår inte platsen i siffran, eller är den viktad?)")

NOTE_ROUNDED = ("andelen för resten av området räknas fram ur avrundade andelar och är därför osäkrare "
                "än antalet svarande säger; testet och intervallet tar hänsyn till det")

NOTE_DESIGN = ("vägd undersökning: intervall och test räknar med designeffekten ({d}), dvs. "
               "färre svarande än antalet i ett enkelt slumpmässigt urval")
#: a stated design effect below 1: used as 1 (see survey_rows.design_effects for why)
NOTE_DESIGN_BELOW_ONE = ("filen anger designeffekten {d}, under 1: vägning ger aldrig under 1, och filen säger "
                         "inte hur talet är skattat, så intervall och test räknar med 1 (som ett enkelt "
                         "slumpmässigt urval av de svarande)")


def _comma(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".").replace(".", ",")


#: (prefix in the output, role) for the comparison rows merged onto the place's rows.
COMPARISONS = (("district", "stadsdelsområdet"), ("city", "staden"))

COLUMNS = [
    "place_id", "indicator", "year", "share", "respondents", "ci_lo", "ci_hi",
    "district_id", "district_share", "district_respondents", "diff_district", "p_district",
    "city_share", "city_respondents", "diff_city", "p_city",
    "diff_district_lo", "diff_district_hi", "diff_city_lo", "diff_city_hi", "compared_with_rest",
    "prev_year", "prev_share", "prev_respondents", "change_pp", "change_lo_pp", "change_hi_pp",
    "p_value", "significant", "verdict", "fictitious", "note",
]


def _district_of(places: pd.DataFrame, place_id: str):
    at = np.flatnonzero(places["place_id"].to_numpy() == place_id)
    if not len(at) or pd.isna(places["district_id"].iloc[at[0]]):
        return None
    return str(places["district_id"].iloc[at[0]])


def _verdicts(change, pval, testable, has_prev, alpha) -> list[str]:
    out = []
    for c, p, t, h in zip(change, pval, testable, has_prev, strict=False):
        if not h:
            out.append(VERDICT_FIRST)
        elif not t:
            out.append(VERDICT_UNTESTABLE)
        elif p < alpha:
            out.append(VERDICT_UP if c > 0 else VERDICT_DOWN)
        else:
            out.append(VERDICT_NONE)
    return out


def _notes(own_n, dn, ds, cn, cs, includes_place: bool = False, share=None) -> list[str]:
    share = np.full(len(own_n), np.nan) if share is None else share
    for_area = {}
    for area, s_, n_ in (("stadsdelsområdet", ds, dn), ("staden", cs, cn)):
        for_area[area] = includes_place & rest_impossible(share, own_n, s_, n_)
    notes = []
    for i, (n, d_n, d_s, c_n, c_s) in enumerate(zip(own_n, dn, ds, cn, cs, strict=True)):
        parts = []
        if np.isnan(n) or n <= 0:  # 0 respondents: no interval and no test either, say why
            parts.append(NOTE_NO_N if np.isnan(n) else NOTE_ZERO_N)
        else:
            if not np.isnan(d_s) and np.isnan(d_n):
                parts.append(NOTE_NO_N_DISTRICT)
            if not np.isnan(c_s) and np.isnan(c_n):
                parts.append(NOTE_NO_N_CITY)
            # the rest of an area that includes the place: none left when it has no more respondents
            for s_, n_, area in ((d_s, d_n, "stadsdelsområdet"), (c_s, c_n, "staden")):
                if includes_place and not np.isnan(s_) and not np.isnan(n_) and n_ <= n:
                    parts.append(NOTE_NO_REST.format(area=area))
                elif for_area[area][i]:
                    parts.append(NOTE_REST_IMPOSSIBLE.format(area=area))
        notes.append("; ".join(parts))
    return notes


def survey_table(survey: pd.DataFrame, places: pd.DataFrame, *, place_id: str,
                 indicators=None, alpha: float = 0.05, includes_place: bool = True,
                 fdr: bool = True) -> pd.DataFrame:
    """One row per indicator × year at a place, with intervals, comparisons and change.

    Parameters
    ----------
    survey : DataFrame
        The store's survey frame: ``place_id, level, year, indicator, share, respondents,
        fictitious``.
    places : DataFrame
        The store's places frame (``place_id, district_id`` are used).
    place_id : str
        The place to describe.
    indicators : str or iterable of str, optional
        Restrict to these indicators (default: all the place has).
    alpha : float, default 0.05
        Significance level; intervals are at level ``1 - alpha``.
    includes_place : bool, default True
        The district's and the city's figures include the place's respondents: compare with the
        rest of them (module docstring). False compares with the figures as they are.
    fdr : bool, default True
        Adjust every p-value of the place's indicators together (Benjamini–Hochberg), whichever
        ``indicators`` are shown, so an indicator's adjusted p-value and interval do not depend on
        the others chosen.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`. ``share``, ``ci_lo``, ``ci_hi`` and the comparison shares are
        fractions; ``diff_district``, ``diff_city``, ``change_pp`` and the score interval's bounds
        ``change_lo_pp``/``change_hi_pp``, ``diff_district_lo``/``_hi``, ``diff_city_lo``/``_hi``
        are percentage points. With ``includes_place`` the differences and the pooled z tests
        ``p_district``/``p_city`` are against the rest of the district/city
        (``compared_with_rest``); ``district_share``/``city_share`` stay the published figures.
        ``significant`` and ``verdict`` refer to
        the change since the previous survey of the same indicator at the place (the previous year
        that has a result). ``fictitious`` is true when any number on the row is fictitious.
        Without respondents nothing is tested and ``note`` says so in Swedish.

    Examples
    --------
    >>> survey = pd.DataFrame({
    ...     "place_id": ["torget", "torget", "sdo", "stad"],
    ...     "level": ["plats", "plats", "stadsdelsomrade", "stad"],
    ...     "year": [2019, 2021, 2021, 2021], "indicator": ["oro"] * 4,
    ...     "share": [0.30, 0.20, 0.10, 0.12],
    ...     "respondents": pd.array([300, 310, 2000, None], dtype="Int64"),
    ...     "fictitious": [True] * 4})
    >>> places = pd.DataFrame({"place_id": ["torget", "sdo", "stad"],
    ...                        "district_id": ["sdo", None, None]})
    >>> row = survey_table(survey, places, place_id="torget").iloc[-1]
    >>> float(round(row.change_pp, 1)), row.verdict
    (-10.0, 'minskning, statistiskt säkerställd')
    >>> float(round(row.diff_district, 1)), float(round(row.diff_city, 1)), float(row.p_city)
    (11.8, 8.0, nan)
    >>> bool(row.compared_with_rest), float(round(row.diff_district_lo, 1))
    (True, 7.5)
    """
    # every indicator of the place is tested (one family, whichever are shown); those asked are kept
    own = rows(survey, survey["place_id"].to_numpy() == place_id, None)
    order = sorted(range(len(own["keys"])), key=own["keys"].__getitem__)  # by indicator and year
    own = {k: ([v[i] for i in order] if k == "keys" else v[np.array(order, dtype=np.int64)])
           for k, v in own.items()}
    district_id = _district_of(places, place_id)
    of_district = survey["place_id"].to_numpy() == district_id
    if district_id and of_district.any() and (survey["level"].to_numpy()[of_district] == CITY_LEVEL).all():
        of_district[:] = False  # a place right under the city: its "district" is the city, tested once
    district = rows(survey, of_district, None) if district_id else None
    city = rows(survey, survey["level"].to_numpy() == CITY_LEVEL, None)
    z = _z(1 - alpha)
    share, n = own["share"], own["respondents"]
    deff = own["design_effect"]
    n_eff = n / deff  # a weighted survey's respondents count as fewer (its design effect)
    lo, hi = _wilson(share, n_eff, z)  # a share's own interval, not a test: always at 1 − alpha
    prev = previous(own["indicator"])
    has_prev = prev >= 0
    prev_s = np.where(has_prev, share[prev], np.nan) if len(prev) else np.zeros(0)
    prev_n = np.where(has_prev, n[prev], np.nan) if len(prev) else np.zeros(0)
    prev_eff = np.where(has_prev, n_eff[prev], np.nan) if len(prev) else np.zeros(0)
    stated = own["stated_design_effect"]
    # the smallest stated design effect below 1 that a row's interval or tests use (NaN: none)
    below = np.where(stated < 1, stated, np.nan)
    if len(prev):
        below = np.fmin(below, np.where(has_prev & (stated[prev] < 1), stated[prev], np.nan))
    p_change = _ztest(share, n_eff, prev_s, prev_eff)
    testable = ~np.isnan(p_change)
    fictitious = own["fictitious"] | (has_prev & own["fictitious"][prev]) if len(prev) else own["fictitious"]
    cols, samples = {}, {}
    half = half_step(survey["share"])  # published in whole percent (or one decimal): their rounding
    rounding_noted = np.zeros(len(share), bool)
    # the design effects above 1 that a row's interval or tests use, named ("platsens 1,6")
    used = [[f"platsens {_comma(d)}"] if d > 1 else [] for d in deff]
    for i in np.flatnonzero(has_prev & (deff[prev] > 1)) if len(prev) else []:
        used[i].append(f"föregående mätningens {_comma(deff[prev[i]])}")
    for prefix, other in (("district", district), ("city", city)):
        cs, cn, fict, cd = lookup(own, other)
        cols[f"{prefix}_share"], cols[f"{prefix}_respondents"] = cs, cn
        if includes_place:
            rs, rn = rest_of(share, n, cs, cn)
            # the rest is worked out of rounded shares: tested as the smaller sample its rounding makes it
            rn, rounded = rest_respondents(share, n, cn, rs, rn, half)
            rounding_noted |= rounded & np.isfinite(rs)
            cs = np.where(np.isnan(cn), cs, rs)  # without respondents: the figure as it is
            cn = np.where(np.isnan(cn), cn, rn)
        cn = cn / cd  # the area's design effect (the rest of it: the area's own)
        cols[f"diff_{prefix}"] = (share - cs) * 100
        cols[f"p_{prefix}"] = _ztest(share, n_eff, cs, cn)
        samples[prefix] = (cs, cn)
        for i in np.flatnonzero(np.isfinite(cs) & (cd > 1)):
            used[i].append(f"{'stadsdelsområdets' if prefix == 'district' else 'stadens'} {_comma(cd[i])}")
        area_stated = lookup_stated(own, other)
        below = np.fmin(below, np.where(np.isfinite(cs) & (area_stated < 1), area_stated, np.nan))
        fictitious = fictitious | fict
    family = {}
    if fdr:
        p_change, family = adjust_arrays(p_change, cols, alpha)
        # the differences' intervals at the Benjamini–Yekutieli level that goes with the BH verdicts
        z = _z(family["interval_level"])
    # the intervals invert the pooled z test that decides (the score interval): Newcombe's, another
    # approximation, disagreed with it right at α (0,254 of 78 -> 0,368 of 501, stats11)
    c_lo, c_hi = score_interval(share, n_eff, prev_s, prev_eff, z)
    for prefix, (cs, cn) in samples.items():
        d_lo, d_hi = score_interval(share, n_eff, cs, cn, z)
        cols[f"diff_{prefix}_lo"], cols[f"diff_{prefix}_hi"] = d_lo * 100, d_hi * 100
    k = len(share)
    notes = _notes(n, cols["district_respondents"], cols["district_share"], cols["city_respondents"],
                   cols["city_share"], includes_place, share)
    disagree = fisher_disagrees(small_samples(share, n_eff, prev_s, prev_eff), p_change, c_lo, c_hi, alpha)
    bounded = fisher_disagrees(lattice_samples(share, n_eff, prev_s, prev_eff), p_change, c_lo, c_hi, alpha)
    for prefix, (cs, cn) in samples.items():
        lo_hi = (cols[f"diff_{prefix}_lo"] / 100, cols[f"diff_{prefix}_hi"] / 100)
        disagree |= fisher_disagrees(small_samples(share, n_eff, cs, cn), cols[f"p_{prefix}"], *lo_hi, alpha)
        bounded |= fisher_disagrees(lattice_samples(share, n_eff, cs, cn), cols[f"p_{prefix}"], *lo_hi, alpha)
    notes = ["; ".join(x for x in (note, NOTE_ROUNDED if r else "", NOTE_FISHER if d else "",
                                   NOTE_BARNARD if bounded[i] else "",
                                   NOTE_DESIGN.format(d=", ".join(w)) if w else "",
                                   NOTE_DESIGN_BELOW_ONE.format(d=f"{below[i]:.3f}".rstrip("0").rstrip(".").replace(".", ",")) if below[i] < 1 else "")
                                   if x)
             for i, (note, r, d, w) in enumerate(zip(notes, rounding_noted, disagree, used, strict=True))]
    verdicts = _verdicts(share - prev_s, p_change, testable, has_prev, alpha)
    out = pd.DataFrame({
        "place_id": np.full(k, place_id, dtype=object), "indicator": own["indicator"], "year": own["year"],
        "share": share, "respondents": pd.array([None if np.isnan(x) else int(round(x)) for x in n],
                                                dtype="Int64"),
        "ci_lo": lo, "ci_hi": hi, "district_id": np.full(k, district_id, dtype=object), **cols,
        "compared_with_rest": np.full(k, includes_place, dtype=bool),
        "prev_year": pd.array([own["year"][i] if i >= 0 else None for i in prev], dtype="Int64"),
        "prev_share": prev_s, "prev_respondents": prev_n, "change_pp": (share - prev_s) * 100,
        "change_lo_pp": c_lo * 100, "change_hi_pp": c_hi * 100, "p_value": p_change,
        "significant": pd.array([bool(p < alpha) if t_ else None
                                 for p, t_ in zip(p_change, testable, strict=True)], dtype="boolean"),
        "verdict": np.array(verdicts, dtype=object) if k else np.zeros(0),
        "fictitious": np.asarray(fictitious, dtype=bool),
        "note": np.array(notes, dtype=object) if k else np.zeros(0)}, columns=COLUMNS)
    if indicators is not None:
        wanted = [indicators] if isinstance(indicators, str) else list(indicators)
        out = out[out["indicator"].isin(wanted).to_numpy()].reset_index(drop=True)
    out.attrs["fdr"] = family
    return out


def city_level_name(survey: pd.DataFrame | None, places: pd.DataFrame | None) -> str | None:
    """The name of the area the survey's city-level rows (``level`` "stad", which a file's "kommun"
    also is) belong to, when they are one kommun's: Södertälje's kommun rows were shown as "Staden" and
    "Mot staden" beside an empty "Mot Södertälje" (desk9). None (say "staden") for a city proper.

    >>> s = pd.DataFrame({"place_id": ["molnbo", "sodertalje"], "level": ["plats", "stad"]})
    >>> p = pd.DataFrame({"place_id": ["sodertalje"], "name": ["Södertälje"], "kind": ["kommun"]})
    >>> city_level_name(s, p), city_level_name(s, p.assign(kind="stad"))
    ('Södertälje', None)
    """
    if survey is None or places is None or survey.empty or "level" not in survey:
        return None
    ids = survey.loc[survey["level"] == CITY_LEVEL, "place_id"].dropna().unique()
    hit = places[places["place_id"] == ids[0]] if len(ids) == 1 else places.iloc[0:0]
    return str(hit["name"].iloc[0]) if len(hit) and hit["kind"].iloc[0] != "stad" else None
