"""The survey rows of a place, its district and the city as arrays, joined by indicator and year.

:func:`lagesbild.core.survey.survey_table` compares a place's survey results with its district's and
the city's of the same indicator and year, and with its own previous result: :func:`rows` picks the
rows (the last of each indicator × year), :func:`lookup` joins another area's rows onto the place's,
:func:`previous` finds each row's previous survey.

Examples
--------
>>> survey = pd.DataFrame({"place_id": ["t", "t", "d"], "indicator": "oro", "year": [2019, 2021, 2021],
...                        "share": [0.3, 0.2, 0.1], "respondents": pd.array([300, 310, None], dtype="Int64"),
...                        "fictitious": True})
>>> own, district = rows(survey, survey["place_id"] == "t", None), rows(survey, survey["place_id"] == "d", None)
>>> [float(x) for x in lookup(own, district)[0]], previous(own["indicator"]).tolist()
([nan, 0.1], [-1, 0])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.core.survey_rest import _floats


def rows(survey: pd.DataFrame, mask, indicators) -> dict:
    """The rows of ``mask`` (and the indicators) as arrays, the last of each indicator × year kept
    (``keys``: their indicator × year pairs)."""
    keep = np.flatnonzero(np.asarray(mask, dtype=bool))
    ind = survey["indicator"].to_numpy()[keep]
    if indicators is not None:
        wanted = [indicators] if isinstance(indicators, str) else list(indicators)
        sel = pd.Series(ind, dtype=object).isin(wanted).to_numpy(bool)
        keep, ind = keep[sel], ind[sel]
    last = {key: i for i, key in enumerate(zip(ind.tolist(), survey["year"].to_numpy()[keep].tolist(),
                                                 strict=True))}
    pos = np.array(sorted(last.values()), dtype=np.int64)
    keep = keep[pos]
    return {"keys": sorted(last, key=last.__getitem__), "indicator": ind[pos],
            "year": survey["year"].to_numpy()[keep], "share": survey["share"].to_numpy(float)[keep],
            "respondents": _floats(survey["respondents"].iloc[keep]) if len(keep) else np.zeros(0),
            "design_effect": design_effects(survey, keep), "stated_design_effect": stated_design_effects(survey, keep),
            "fictitious": survey["fictitious"].to_numpy()[keep].astype(bool)}


def stated_design_effects(survey: pd.DataFrame, keep) -> np.ndarray:
    """The design effect each kept row's file states (NaN where none), before :func:`design_effects`
    makes one below 1 a 1 (the row's note says so)."""
    keep = np.asarray(keep, dtype=np.int64)
    if "design_effect" not in survey.columns or not len(keep):
        return np.full(len(keep), np.nan)
    return _floats(survey["design_effect"].iloc[keep])


def design_effects(survey: pd.DataFrame, keep) -> np.ndarray:
    """The design effect of each kept row: the frame's ``design_effect`` column where it has one above
    1 (a weighted survey's variance against a simple random sample of the same respondents, e.g.
    Kish's ``n·Σw²/(Σw)²``), else 1 (a simple random sample is assumed).

    A stated design effect below 1 is used as 1. Weighting alone cannot give one: Kish's
    ``n·Σw²/(Σw)²`` is at least 1 for any weights (Cauchy–Schwarz). Only a design whose strata or
    clusters make it more precise than a simple random sample can, and the file does not say how its
    figure was estimated (a column of ``n_eff/n`` instead of ``n/n_eff`` also reads below 1); with 1
    the intervals are those of a simple random sample of the respondents, never narrower, and the
    row's note names the stated figure (:data:`lagesbild.core.survey.NOTE_DESIGN_BELOW_ONE`).

    Examples
    --------
    >>> design_effects(pd.DataFrame({"design_effect": [1.6, None, 0.8]}), np.arange(3)).tolist()
    [1.6, 1.0, 1.0]
    """
    keep = np.asarray(keep, dtype=np.int64)
    if "design_effect" not in survey.columns or not len(keep):
        return np.ones(len(keep))
    d = _floats(survey["design_effect"].iloc[keep])
    return np.where(np.isfinite(d) & (d > 1), d, 1.0)


def lookup(own: dict, rows: dict | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(share, respondents, fictitious, design effect) of ``rows`` at each of ``own``'s indicator ×
    year (NaN, NaN, False, 1 where it has none): the left join of the place's rows on the comparison's."""
    k = len(own["keys"])
    share, n, fict, deff = np.full(k, np.nan), np.full(k, np.nan), np.zeros(k, bool), np.ones(k)
    if rows is None or not len(rows["keys"]):
        return share, n, fict, deff
    where = {key: i for i, key in enumerate(rows["keys"])}
    for j, key in enumerate(own["keys"]):
        i = where.get(key)
        if i is not None:
            share[j], n[j], fict[j] = rows["share"][i], rows["respondents"][i], rows["fictitious"][i]
            deff[j] = rows["design_effect"][i]
    return share, n, fict, deff


def lookup_stated(own: dict, rows: dict | None) -> np.ndarray:
    """The stated design effect of ``rows`` at each of ``own``'s indicator × year (NaN where none)."""
    out = np.full(len(own["keys"]), np.nan)
    if rows is None or not len(rows["keys"]):
        return out
    where = {key: i for i, key in enumerate(rows["keys"])}
    for j, key in enumerate(own["keys"]):
        if key in where:
            out[j] = rows["stated_design_effect"][where[key]]
    return out


def previous(indicator) -> np.ndarray:
    """Position of the previous row of the same indicator (rows sorted by indicator and year), or -1."""
    prev = np.arange(len(indicator)) - 1
    if len(prev):
        prev[0] = -1
        prev[1:][indicator[1:] != indicator[:-1]] = -1
    return prev
