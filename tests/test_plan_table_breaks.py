"""Åtgärdsplan's tables may wrap a name after its "/" (a zero-width space for the browser) so a long
name such as "Fruängen/Västertorp/Hägerstensåsen" does not widen its column past the card at 1366 px
(tests/test_meeting_layouts.py measures that in the browser); the Excel downloads of both tables are
built from the data and carry no zero-width space."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from lagesbild.figures.activities import ZWSP, make_plan_table, slash_breaks
from lagesbild.figures.plan_effects import make_plan_effects_table
from lagesbild.web.chart_source import _components
from lagesbild.web.numbers import numbers_of, xlsx_bytes
from lagesbild.web.views.plan import plan_view


def test_a_name_may_wrap_after_its_slashes_only():
    assert slash_breaks("Fruängen/Västertorp/Hägerstensåsen") == \
        f"Fruängen/{ZWSP}Västertorp/{ZWSP}Hägerstensåsen"
    assert slash_breaks("T1 / T2") == "T1 / T2"
    assert slash_breaks("utan snedstreck") == "utan snedstreck"


def test_the_tables_cells_break_but_their_links_do_not():
    acts = pd.DataFrame({"activity_id": ["a"], "aktivitet": ["Platssamverkan Fruängen/Västertorp"],
                         "priority_area": ["Platser"], "start_date": pd.to_datetime(["2019-02-01"]),
                         "end_date": [pd.NaT], "open_ended": [True]})
    links = pd.DataFrame({"activity_id": ["a"], "place_id": ["alvsjo-solberga"]})
    row = make_plan_table(acts, links, None, place_names={"alvsjo-solberga": "Älvsjö/Solberga"},
                          link_suffix="?mote=1").iloc[0]
    assert row["Aktivitet"] == f"Platssamverkan Fruängen/{ZWSP}Västertorp"
    assert row["Plats"] == f"[Älvsjö\\/{ZWSP}Solberga](/plats/alvsjo-solberga?mote=1)"
    effects = pd.DataFrame({"activity_id": ["a"], "aktivitet": ["Samverkan Älvsjö/Solberga"],
                            "place_id": ["alvsjo-solberga"], "category": ["alla"], "before_label": ["2019"],
                            "after_label": ["2020"], "count_before": [240], "count_after": [200],
                            "change": [-40], "pct_change": [-16.7], "q_value": [0.2], "significant": [False],
                            "verdict": ["ingen säkerställd förändring"], "relative_verdict": [None],
                            "relative_q": [None], "wdd_verdict": [None], "note": [""]})
    names = {"alvsjo-solberga": "Älvsjö/Solberga"}
    row = make_plan_effects_table(effects, place_names=names).iloc[0]
    assert (row["Aktivitet"], row["Plats"]) == (f"Samverkan Älvsjö/{ZWSP}Solberga", f"Älvsjö/{ZWSP}Solberga")
    row = make_plan_effects_table(effects, place_names=names, link_suffix="").iloc[0]
    assert row["Plats"] == f"[Älvsjö\\/{ZWSP}Solberga](/plats/alvsjo-solberga)"


def test_the_downloads_of_both_tables_have_no_zero_width_space(demo_settings, demo_store):
    settings, store = demo_settings, demo_store
    content = plan_view(store, settings)
    grids = {n.id: n for n in _components(content) if isinstance(getattr(n, "id", None), str)}
    shown = {tid: "".join(str(v) for r in grids[tid].data for v in r.values())
             for tid in ("plan-table", "plan-effects")}
    assert ZWSP in shown["plan-table"]  # "Samverkan Fokus Älvsjö/Solberga" and its place
    for tid in ("plan-table", "plan-effects"):
        numbers = numbers_of(grids[tid])
        frame = numbers.frame
        assert not frame.astype(str).apply(lambda c: c.str.contains(ZWSP)).any().any(), tid
        book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(numbers, store, settings)[0]))
        cells = [str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None]
        assert cells and not any(ZWSP in c for c in cells), tid
    assert "Älvsjö/Solberga" in "".join(numbers_of(grids["plan-table"]).frame["platser"])
