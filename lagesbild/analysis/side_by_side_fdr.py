"""Jämför platser's Benjamini–Hochberg families: the changes over time (one table) and the differences
between places (the other), each adjusted on its own, and the verdicts of the differences.

Split from :mod:`lagesbild.analysis.side_by_side` (module size); see :func:`_one_family` for why two
families and not one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lagesbild.core.fdr import bh_adjust, family_note

VERDICT_NONE = "ingen säkerställd skillnad"
VERDICT_HIGHER = "högre i {a} än i {b}, statistiskt säkerställd"


#: where each family's verdicts are on the page (the Jämför page's two tables)
CHANGES_FAMILY = "Förändring över tid (tabellen med antal per period och förändringen): "
BETWEEN_FAMILY = "Skillnader mellan platserna (tabellen Skillnader mellan platserna): "
FAMILY_WHY = ("Förändringarna och skillnaderna mellan platser korrigeras var för sig: stora skillnader mellan "
              "platser ska inte göra en svag förändring säkerställd. p-värdet för en förändring justeras över "
              "förändringarna i tabellen och kan därför skilja sig från Plats, där platsens egen tabell är "
              "familjen.")


def _family(p: np.ndarray, alpha: float, noun: str, where: str) -> tuple[np.ndarray, dict]:
    q = bh_adjust(p)
    m, r = int(np.isfinite(p).sum()), int((np.nan_to_num(q, nan=1.0) < alpha).sum())
    note = family_note(m, r, alpha, noun=noun)
    return q, {"m": m, "discoveries": r, "alpha": alpha, "note": where + note if note else ""}


def _one_family(changes: pd.DataFrame, between: pd.DataFrame, alpha: float):
    """Benjamini–Hochberg over the changes shown (one family: the table of counts, rates and changes)
    and, separately, over the differences between places (the other table), and their verdicts.

    Two families, one per table, as every table of tests is one family elsewhere: in one family of
    both, the between-place differences (large and many: places differ in rate) raised the BH
    threshold for the changes, so a change the same test on Plats did not call significant was
    "säkerställd" here (Älvsjö/Solberga's våldsbrott in the demo, p 0.013 among 50 tests), with no false
    discovery control among the changes themselves; and the page's note counted discoveries in a table
    that did not show them. ``fdr`` gives ``m`` and ``discoveries`` of both together, ``changes`` and
    ``between`` each family's, and ``note`` both notes, each naming its table."""
    from lagesbild.core.compare import row_verdict

    pc = changes["p_unadjusted"].to_numpy(dtype=float) if len(changes) else np.array([])
    pb = between["p_unadjusted"].to_numpy(dtype=float)
    qc, fam_c = _family(pc, alpha, "förändring", CHANGES_FAMILY)
    qb, fam_b = _family(pb, alpha, "skillnad", BETWEEN_FAMILY)
    if len(changes):
        changes = changes.assign(p_value=qc, significant=np.nan_to_num(qc, nan=1.0) < alpha)
        changes["verdict"] = [row_verdict(r, bool(s), alpha) for r, s in
                              zip(changes.to_dict("records"), changes["significant"], strict=True)]
    between = between.assign(p_value=qb, significant=np.nan_to_num(qb, nan=1.0) < alpha)
    between["verdict"] = [_between_verdict(r, bool(s)) for r, s in
                          zip(between.to_dict("records"), between["significant"], strict=True)]
    both = fam_c["m"] and fam_b["m"]
    note = " ".join(n for n in (fam_c["note"], fam_b["note"], FAMILY_WHY if both else "") if n)
    return changes, between, {"m": fam_c["m"] + fam_b["m"],
                              "discoveries": fam_c["discoveries"] + fam_b["discoveries"], "alpha": alpha,
                              "note": note, "changes": fam_c, "between": fam_b}


def _between_verdict(r: dict, significant: bool) -> str:
    if r["method"] is None:
        return r["verdict"]
    if not significant:
        return VERDICT_NONE
    high, low = (r["name_a"], r["name_b"]) if r["rate_a"] > r["rate_b"] else (r["name_b"], r["name_a"])
    return VERDICT_HIGHER.format(a=high, b=low)
