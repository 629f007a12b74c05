"""desk11 re-check (Järfälla data): period texts said once, and the one-period population note on Jämför.

References: the period's end against the data's last day by hand, and the population table itself
(Bredäng and Vårberg have SCB figures for 2010 and 2023 only, so a Sep 2021–Aug 2022 rate uses 2021 and
2022 interpolated between them, which the note must say).
"""

from __future__ import annotations

import datetime as dt
import io
from contextlib import redirect_stdout

import pandas as pd

from lagesbild.analysis import base
from lagesbild.web import common

YEAR = base.parse_periods(["2026–2027"])[0]  # 1 Sep 2026 – 31 Aug 2027


def test_period_options_take_the_data_day_in_any_form():
    # base.data_until gives a date; a Timestamp or NaT (no data) raised TypeError on the old code
    # ("Cannot compare Timestamp with datetime.date") instead of the option "2026–2027 (t.o.m. 15 okt 2026)"
    for until in (dt.date(2026, 10, 15), pd.Timestamp("2026-10-15")):
        assert common.period_label_options([YEAR], until) == [
            {"label": "2026–2027 (t.o.m. 15 okt 2026)", "value": "2026–2027"}]
    assert common.period_label_options([YEAR], pd.NaT) == [{"label": "2026–2027", "value": "2026–2027"}]
    # a period the data cover to its end is named bare (31 Aug 2027 is the period's last day)
    assert common.period_label_options([YEAR], dt.date(2027, 8, 31))[0]["label"] == "2026–2027"


def test_period_options_word_the_period_as_the_heading_does(monkeypatch):
    # the "(t.o.m. …)" text is made once, by shown_period: a change there reaches the dropdowns
    monkeypatch.setattr(common, "shown_period", lambda p, until: f"<{p.label}>")
    assert common.period_label_options([YEAR], dt.date(2026, 10, 15))[0]["label"] == "<2026–2027>"


def _known_years(store, settings, place_id):
    pops = base.population_table(store, settings)
    return set(pops.loc[(pops["place_id"] == place_id) & pops["population"].notna(), "year"])


def _texts(node) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, (list, tuple)):
        return " ".join(_texts(n) for n in node)
    kids = getattr(node, "children", None)
    return _texts(kids) if kids is not None else ""


NOTE = "Befolkningen 2021 och 2022 är interpolerad mellan kända år."


def test_one_period_on_jamfor_says_the_population_is_interpolated(demo_store, demo_settings):
    from lagesbild.web.views.side_by_side import compare_view

    for pid in ("bredang", "varberg"):  # neither 2021 nor 2022 is a known year: both interpolated
        known = _known_years(demo_store, demo_settings, pid)
        assert {2021, 2022}.isdisjoint(known) and min(known) < 2021 and max(known) > 2022
    page = _texts(compare_view(demo_store, demo_settings, places=["bredang", "varberg"],
                               periods=["2021–2022"]))
    assert "Bredäng" in page and NOTE in page  # the old page said nothing of it with one period
    assert page.count(NOTE) == 1  # both places' note, said once


def test_compare_places_text_says_the_population_is_interpolated(demo_store_path):
    from lagesbild.cli import main

    out = io.StringIO()
    with redirect_stdout(out):
        rc = main(["--db", str(demo_store_path), "compare-places", "--places", "Bredäng", "Vårberg",
                   "--periods", "2021–2022"])
    assert rc == 0
    assert NOTE in out.getvalue()  # the old text had it only in --format json's rows
