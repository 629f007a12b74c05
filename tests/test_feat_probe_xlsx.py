"""The Excel downloads of the quick periods (Plats) and the differences between places (Jämför) hide
with a small count of a sensitive category every number that gives it away (probe of issue #15).

A hidden count is worth nothing if the row keeps its test: a p-value before or after the correction,
or the ratio of the two places' rates (with the other place's rate and the populations shown) give the
count back. The pack's rule (lagesbild.export.safety.COMPARE_DEPENDENTS) names the columns of a
comparison; these two frames have more.
"""

from __future__ import annotations

from tests.sheets import sheet_rows
from tests.test_xlsx_download import _download, _workbook, env  # noqa: F401 (the module's fixture)

HIDDEN = "–"


def _rows(graph, path, search):
    sent, message = _download(graph, path, search)
    assert message == "", message
    return sheet_rows(_workbook(sent)["Siffror"])


def test_quick_periods_hide_the_adjusted_p_value_with_a_small_sensitive_count(demo_store, demo_settings):
    import io

    import openpyxl

    from lagesbild.web.numbers import numbers_of, xlsx_bytes
    from lagesbild.web.pages.place_quick import quick_section

    section = quick_section(demo_store, demo_settings, "varberg", ["vald_nara_relation", "skadegorelse"])
    def walk(node):
        if isinstance(node, (list, tuple)):
            for child in node:
                yield from walk(child)
        elif node is not None and not isinstance(node, (str, int, float)):
            yield node
            yield from walk(getattr(node, "children", None))

    numbers = next(numbers_of(n) for n in walk(section) if getattr(n, "id", None) == "place-quick-table")
    content, _name = xlsx_bytes(numbers, demo_store, demo_settings)
    rows = sheet_rows(openpyxl.load_workbook(io.BytesIO(content))["Siffror"])
    small = [r for r in rows if r["Kategori-id"] == "vald_nara_relation" and HIDDEN in (r["Antal A"], r["Antal B"])]
    assert small, rows  # Vårberg's last 28 days hold few such crimes: hidden
    for r in small:
        for col in ("p-värde", "p-värde efter korrigering", "Förändring", "Förändring (%)", "Säkerställd"):
            assert r[col] == HIDDEN, (col, r)
    shown = [r for r in rows if r["Kategori-id"] == "skadegorelse"]
    assert shown and all(isinstance(r["p-värde efter korrigering"], (int, float)) for r in shown)


def test_differences_between_places_hide_the_rate_ratio_and_the_unadjusted_p_value(env):  # noqa: F811
    rows = _rows("cmp-between", "/jamfor", "?plats=torg&plats=centrum&plats=sdo&kat=vald_nara_relation"
                                           "&kat=narkotikabrott&per=2020-2021&per=2021-2022")
    small = [r for r in rows if r["Kategori-id"] == "vald_nara_relation" and HIDDEN in (r["Antal A"], r["Antal B"])]
    assert small, rows
    for r in small:
        for col in ("Kvot per period", "p-värde före korrigering", "p-värde", "Säkerställd"):
            assert r[col] in (HIDDEN, None), (col, r)
