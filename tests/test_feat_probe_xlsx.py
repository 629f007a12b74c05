"""The Excel downloads of the quick periods (Plats) and the differences between places (Jämför) hide
with a small count of a sensitive category every number that gives it away (probe of issue #15).

A hidden count is worth nothing if the row keeps its test: a p-value before or after the correction,
or the ratio of the two places' rates (with the other place's rate and the populations shown) give the
count back. The pack's rule (lagesbild.export.safety.COMPARE_DEPENDENTS) names the columns of a
comparison; these two frames have more.
"""

from __future__ import annotations

from tests.sheets import sheet_rows
from tests.test_web_callbacks import walk as _walk
from tests.test_xlsx_download import _download, _workbook, env  # noqa: F401 (the module's fixture)

HIDDEN = "–"


def _numbers(content, item_id: str):
    from lagesbild.web.numbers import numbers_of

    return next(numbers_of(n) for n in _walk(content) if getattr(n, "id", None) == item_id)


def _rows(graph, path, search):
    sent, message = _download(graph, path, search)
    assert message == "", message
    return sheet_rows(_workbook(sent)["Siffror"])


def test_quick_periods_hide_the_adjusted_p_value_with_a_small_sensitive_count(demo_store, demo_settings):
    import io

    import openpyxl

    from lagesbild.web.numbers import xlsx_bytes
    from lagesbild.web.pages.place_quick import quick_section

    section = quick_section(demo_store, demo_settings, "varberg", ["vald_nara_relation", "skadegorelse"])
    content, _name = xlsx_bytes(_numbers(section, "place-quick-table"), demo_store, demo_settings)
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


def test_jamfor_table_hides_a_change_whose_earlier_count_is_hidden(places_store, settings, tmp_path):
    """The table's download puts each place's change (verdict, p-value) on the row of the later period.
    When the earlier period's count is small and sensitive it is hidden on its own row, but the later
    row's p-value with its shown count gives it back: the change is hidden too."""
    import io

    import openpyxl
    import pandas as pd

    from lagesbild.ingest import ingest_file
    from lagesbild.web.numbers import xlsx_bytes
    from lagesbild.web.views.side_by_side import compare_view

    months = pd.date_range("2020-09-01", "2022-08-01", freq="MS")
    lines = ["Område,Brottstyp,Period,Antal"]
    for place in ("Vårberg", "Bredäng"):
        # three crimes in 2020–2021 (hidden), three a month in 2021–2022
        vnr = [3 if m >= pd.Timestamp("2021-09-01") else int(m.month in (1, 5, 9)) for m in months]
        lines += [f"{place},Våld i nära relation,{m:%Y-%m},{n}" for m, n in zip(months, vnr, strict=True)]
        lines += [f"{place},Skadegörelse,{m:%Y-%m},20" for m in months]
    path = tmp_path / "c.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest_file(places_store, "crimes", path, source="brott")
    page = compare_view(places_store, settings, places=["varberg", "bredang"], periods=["2020–2021", "2021–2022"],
                        categories=["vald_nara_relation", "skadegorelse"])
    content, _ = xlsx_bytes(_numbers(page, "cmp-table"), places_store, settings)
    rows = sheet_rows(openpyxl.load_workbook(io.BytesIO(content))["Siffror"])
    vnr = {(r["Plats-id"], r["Period"]): r for r in rows if r["Kategori-id"] == "vald_nara_relation"}
    for place in ("varberg", "bredang"):
        before, after = vnr[(place, "2020–2021")], vnr[(place, "2021–2022")]
        assert before["Antal"] == HIDDEN and after["Antal"] == 36  # 3 crimes a year, then 36
        for col in ("p-värde", "Säkerställd"):
            assert after[col] in (HIDDEN, None), (col, after)


def test_plats_comparison_hides_the_unadjusted_p_value_with_a_small_sensitive_count(env):  # noqa: F811
    """Plats's comparison (the page's download and the pack's data table share the rule): the
    p-value before the correction is hidden with the counts, as the corrected one is."""
    import pandas as pd

    from lagesbild.export.safety import COMPARE_DEPENDENTS, suppress_counts

    rows = _rows("place-comparison", "/plats/torg", "?kat=narkotikabrott&kat=vald_nara_relation"
                                                    "&per=2020-2021&per=2021-2022")
    small = [r for r in rows if HIDDEN in (r["Antal A"], r["Antal B"])]
    assert small, rows
    for r in small:
        assert r["p-värde"] == HIDDEN and r["p-värde före korrigering"] == HIDDEN, r
    # the pack's data table (lagesbild.export.sections.comparison_table) uses the same rule
    raw = pd.DataFrame({"category": ["vald_nara_relation"], "count_a": [2], "count_b": [9],
                        "p_value": [0.2], "p_unadjusted": [0.04]})
    out, n = suppress_counts(raw, count_columns=["count_a", "count_b"], sensitive={"vald_nara_relation"},
                             threshold=5, dependents=COMPARE_DEPENDENTS)
    assert n == 1 and out.loc[0, "p_unadjusted"] == HIDDEN
