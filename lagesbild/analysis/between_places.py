"""The difference between two places' rates in one period and category on Jämför platser, and a
district or city without the place it holds ("Skärholmen utom Vårberg").

The counts are compared with person-years (population × months / 12) as exposures: with the
quasi-Poisson F test where either place has enough monthly history (each place's dispersion weighed by
its share of the variance of the log rate ratio, :func:`lagesbild.core.relative.design_effect`), never
below the exact conditional Poisson test's p-value, else with that exact test
(:mod:`lagesbild.analysis.side_by_side`'s module docstring says why). Between places without a
meaningful rate, or without data for every month, no verdict is given.

Examples
--------
>>> from lagesbild.core.dispersion import POISSON
>>> a = {"name": "A", "count": 30, "exposure": 1000.0, "missing": 0, "window": 1, "dispersion": POISSON}
>>> b = {**a, "name": "B", "count": 12}
>>> r = _between(a, b)
>>> r["method"], round(r["p_unadjusted"], 4)
('exakt Poisson', 0.0079)
>>> _between(a, {**b, "missing": 2})["verdict"]
'kan inte bedömas: data saknas för delar av perioden'
"""

from __future__ import annotations

import math

import pandas as pd

from lagesbild.core.dispersion import METHOD_EXACT, METHOD_QUASI, Dispersion, quasi_rate_test
from lagesbild.core.poisson import poisson_rate_test
from lagesbild.core.relative import design_effect

NO_RATE = "kan inte bedömas: brott per 1 000 invånare är inte meningsfullt för {who}"
#: the rest of an area is less than nothing: the place's counts are not part of the area's
OTHER_SOURCE = ("kan inte bedömas: {inner} har fler brott än {outer}, så antalen kommer från olika källor "
                "och kan inte jämföras")
NO_MONTHS = "kan inte bedömas: data saknas för delar av perioden"
#: the method under the differences between places on Jämför (Metod says the same at length)
BETWEEN_NOTE = ("Skillnad mellan platser: antalen jämförs med personår (invånare × månader / 12) som "
                "exponering – kvasi-Poisson-test där varje plats egen slumpvariation vägs efter hur osäker "
                "den gör kvoten, "
                "eller exakt Poissontest när båda platsernas historik är för kort. Bara där brott per 1 000 invånare "
                "är meningsfullt för båda platserna. En plats jämförs med sitt eget stadsdelsområde eller "
                "staden utan platsen själv (”Skärholmen utom Vårberg”), eftersom platsens brott och "
                "invånare räknas också där. Se Metod.")
REST = "{name} utom {inner}"  # a district or city without the place it holds


def _between(a: dict, b: dict) -> dict:
    """The test of two places' rates in one period and category (see the module docstring)."""
    out = {"p_unadjusted": math.nan, "method": None, "phi": math.nan, "df": math.nan, "verdict": None}
    if a["missing"] or b["missing"] or a["window"] != b["window"]:
        out["verdict"] = NO_MONTHS
        return out
    below = [x for x in (a, b) if x.get("other_source")]
    if below:
        out["verdict"] = OTHER_SOURCE.format(inner=below[0]["rest_of"], outer=below[0]["outer_name"])
        return out
    lacking = [x for x in (a, b) if not (x["exposure"] > 0)]
    # the rest of an area without a place whose rate is not meaningful has none only because of it
    bad = [x["name"] for x in lacking if not any(x.get("rest_of") == y["name"] for y in lacking)]
    if bad:
        out["verdict"] = NO_RATE.format(who=" och ".join(bad))
        return out
    da, db = a["dispersion"], b["dispersion"]
    ca, cb, ea, eb = int(a["count"]), int(b["count"]), a["exposure"], b["exposure"]
    if da.quasi or db.quasi:
        # each place's dispersion weighed by its share of the variance of the log rate ratio: a
        # district of thousands that varies 50 times more than chance weighs little beside a place of
        # forty (with the larger of the two, no difference of such a place was ever found). A place
        # whose history is too short counts as Poisson (φ 1, known exactly); the other keeps its own
        # (ignoring it, a place varying 4 times more than chance beside one of 18 months was "higher"
        # in 84 of 400 pairs without any difference)
        phi, nu = design_effect([(1.0 / max(c, 0.5), *((d.phi, d.df_resid) if d.quasi else (1.0, math.inf)))
                                 for c, d in ((ca, da), (cb, db))])
        disp = Dispersion(phi, phi, nu, min(d.n_months for d in (da, db) if d.quasi), METHOD_QUASI, "")
        # never below the exact test's p: overdispersion only widens, and the F test's deviance
        # approximation undercut the exact test at small counts (6 against 0: 0.006 for 0.031)
        p = max(quasi_rate_test(ca, cb, ea, eb, disp), poisson_rate_test(ca, cb, ea, eb))
        out.update(p_unadjusted=p, method=METHOD_QUASI, phi=disp.phi, df=disp.df_resid)
    else:
        out.update(p_unadjusted=poisson_rate_test(ca, cb, ea, eb), method=METHOD_EXACT)
    return out


def _holds(outer: dict, inner: dict) -> bool:
    """Whether place ``outer`` holds place ``inner``: the city holds every place, a district its own."""
    return outer["place_id"] != inner["place_id"] and (
        outer.get("kind") == "stad" or inner.get("district_id") == outer["place_id"])


def _rest(outer: dict, inner: dict) -> dict:
    """The ``outer`` area without the ``inner`` place it holds: its count and exposure less the
    place's, its spread (dispersion) kept. A place's crimes are counted in its district too, so
    testing the two against each other counted them on both sides (conservative, but not the
    question); the rest of the district is. Without a positive rest the rate cannot be compared."""
    count, exposure = outer["count"] - inner["count"], outer["exposure"] - inner["exposure"]
    name = REST.format(name=outer["name"], inner=inner["name"])
    outer = {**outer, "rest_of": inner["name"], "outer_name": outer["name"]}
    if not pd.isna(count) and count < 0:  # no count below zero: the place's are not part of the area's
        return {**outer, "name": name, "count": math.nan, "rate": math.nan, "exposure": math.nan,
                "other_source": True}
    if pd.isna(count) or pd.isna(exposure) or not exposure > 0:
        return {**outer, "name": name, "count": count, "rate": math.nan, "exposure": math.nan}
    return {**outer, "name": name, "count": count, "exposure": exposure, "rate": count * 1000.0 / exposure}
