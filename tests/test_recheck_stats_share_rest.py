"""Recheck (stats): the change of a place's share of its district when the rest of the district varies
more than Poisson.

The share test divided the 2 × 2 table's likelihood-ratio statistic by the *place's* dispersion only,
as if the rest of the district were Poisson. A rest of 300–2 000 crimes a month varies 20–100 times
more than Poisson (negative binomial), and its year-to-year swings move the share as much as the
place's own: with nothing changed anywhere, "andelen har ökat/minskat, statistiskt säkerställt" came in
14 % of cases at 5 % (43 % for a place of 40 crimes a month). The rest's own dispersion now joins the
place's (``core.shares.share_dispersion``).

References are independent: each series' dispersion from statsmodels (``tests/stat_reference``), the
statistic from scipy's ``chi2_contingency``, the p-value from ``scipy.stats.f``, BH from statsmodels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency, fisher_exact
from scipy.stats import f as f_dist

from lagesbild.core.shares import share_of_parent
from tests.stat_reference import history_fit

MONTHS = pd.date_range("2019-09-01", "2025-08-01", freq="MS")
A = (MONTHS >= "2023-09-01") & (MONTHS < "2024-09-01")
B = MONTHS >= "2024-09-01"


def _nb(rng, mean, shape):
    mean = np.full(len(MONTHS), float(mean))
    return rng.negative_binomial(shape, shape / (shape + mean))


def _share(place, rest):
    n = len(MONTHS)
    monthly = pd.DataFrame({"place_id": ["torg"] * n + ["omrade"] * n, "category": "skadegorelse",
                            "month": list(MONTHS) * 2, "count": np.concatenate([place, place + rest])})
    return share_of_parent(monthly, ["2023–2024", "2024–2025"], "torg", ["omrade"]).iloc[-1]


def test_a_rest_that_varies_more_than_the_place_scales_the_test():
    rng = np.random.default_rng(5)
    place = rng.poisson(40, len(MONTHS))
    rest = _nb(rng, 300, 5)  # varies about 60 times more than Poisson
    row = _share(place, rest)
    pa, pb, ra, rb = (int(x[m].sum()) for x in (place, rest) for m in (A, B))
    assert (row["count_place"], row["count_parent"]) == (pb, pb + rb)
    (phi_p, nu_p), (phi_r, nu_r) = (history_fit(y, MONTHS) for y in (place, rest))
    phi_p, phi_r = max(phi_p, 1.0), max(phi_r, 1.0)
    assert phi_r > 20 * phi_p
    x, y = phi_p * (1 / pa + 1 / pb), phi_r * (1 / ra + 1 / rb)
    phi = (x + y) / (1 / pa + 1 / pb + 1 / ra + 1 / rb)
    nu = (x + y) ** 2 / (x ** 2 / nu_p + y ** 2 / nu_r)
    g2 = chi2_contingency([[pa, ra], [pb, rb]], correction=False, lambda_="log-likelihood")[0]
    assert row["dispersion"] == pytest.approx(phi, rel=1e-6)
    assert row["p_unadjusted"] == pytest.approx(f_dist.sf(g2 / phi, 1, nu), rel=1e-6)


def test_a_rest_that_varies_less_keeps_the_places_own_test():
    rng = np.random.default_rng(6)
    place = _nb(rng, 10, 1)  # the place varies about 10 times more than Poisson
    rest = rng.poisson(200, len(MONTHS))
    row = _share(place, rest)
    pa, pb, ra, rb = (int(x[m].sum()) for x in (place, rest) for m in (A, B))
    phi_p, nu_p = history_fit(place, MONTHS)
    g2 = chi2_contingency([[pa, ra], [pb, rb]], correction=False, lambda_="log-likelihood")[0]
    assert row["dispersion"] == pytest.approx(phi_p, rel=1e-6)
    assert row["p_unadjusted"] == pytest.approx(f_dist.sf(g2 / phi_p, 1, nu_p), rel=1e-6)


def test_both_poisson_is_fishers_exact_test():
    rng = np.random.default_rng(2)
    place, rest = rng.poisson(30, len(MONTHS)), rng.poisson(500, len(MONTHS))
    row = _share(place, rest)
    pa, pb, ra, rb = (int(x[m].sum()) for x in (place, rest) for m in (A, B))
    if max(history_fit(place, MONTHS)[0], history_fit(rest, MONTHS)[0]) <= 1:
        assert np.isnan(row["dispersion"])
        assert row["p_unadjusted"] == pytest.approx(fisher_exact([[pa, ra], [pb, rb]]).pvalue, rel=1e-9)
    else:  # a fit above 1 by chance: the Rao–Scott test with it
        assert row["dispersion"] > 1


def test_unchanged_shares_are_called_changed_at_most_at_the_level():
    """No change anywhere (300 seeded cases: the place Poisson or negative binomial, the rest up to
    100 times overdispersed): at most about 5 % of the share changes säkerställda at 5 %."""
    rng = np.random.default_rng(13)
    p = []
    for i in range(300):
        mean_p, shape_p = [(5, 1e6), (20, 5), (40, 1e6)][i % 3]
        mean_r, shape_r = [(2000, 20), (300, 5), (300, 1e6)][(i // 3) % 3]
        p.append(_share(_nb(rng, mean_p, shape_p), _nb(rng, mean_r, shape_r))["p_unadjusted"])
    share = float(np.mean(np.asarray(p) < 0.05))
    assert share <= 0.075, share  # binomial standard error 1.3 %; it was 14 %


def test_a_parent_without_data_is_not_said_to_count_less_than_the_place():
    """The city has no rows of its own in the store: its share is "data saknas", and the note said
    the place's count was larger than the city's, "så de kommer inte från samma källa"."""
    months = pd.date_range("2023-09-01", "2025-08-01", freq="MS")
    monthly = pd.DataFrame({"place_id": "torg", "category": "skadegorelse", "month": months, "count": 7})
    coverage = pd.DataFrame({"source": "polisen", "place_id": "torg", "month": months,
                             "category": None})
    out = share_of_parent(monthly, ["2023–2024", "2024–2025"], "torg", ["stad"], coverage=coverage)
    assert out["count_parent"].isna().all() and out["share"].isna().all()
    assert out["verdict"].iloc[1] == "kan inte bedömas: data saknas för 24 månader"
    assert not out["note"].str.contains("större än överområdets").any()
