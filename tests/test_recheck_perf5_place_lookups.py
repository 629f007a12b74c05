"""perf5 (issue 10): a place's colour order of categories and its "data t.o.m." are read from the
store's cube (kept per data version) instead of from the place's frames. A guard (it passes on the
code before too): for every place of the demo, places without rows of their own among them, and for a
store whose coverage ends at different months for different places, they are what the frame-based
code (kept here as the reference) gives."""

from __future__ import annotations

import pandas as pd

from lagesbild.analysis import base, memo
from lagesbild.analysis.place import category_order, place_data_until
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings
from tests.e2e_support import copy_sqlite


def _order_by_frames(store, place_id) -> list[str]:
    monthly = base.complete_counts(store, place_ids=[place_id])
    sums = monthly.groupby("category")["count"].sum()
    ranked = sorted(sums.index, key=lambda c: (-int(sums[c]), c))
    return ranked + [c for c in base.categories_with_data(store) if c not in set(ranked)]


def _until_by_frames(store, place_id):
    until = base.data_until(store)
    own = base.coverage_for(store, [place_id])
    own = own.loc[own["place_id"].isna() | (own["place_id"] == place_id), "month"]
    if own.empty or own.isna().all():
        return until
    last = (pd.Timestamp(own.max()) + pd.offsets.MonthEnd(0)).date()
    if until is not None and (last.year, last.month) == (until.year, until.month):
        return until
    return last


def _check(store) -> int:
    ids = [*sorted(store.places()["place_id"]), "ingen-sadan-plats"]
    for place in ids:
        assert category_order(store, place) == _order_by_frames(store, place), place
        assert place_data_until(store, place) == _until_by_frames(store, place), place
    return len(ids)


def test_order_and_data_until_as_the_frames_give(demo_store):
    assert _check(demo_store) > 20
    orders = {tuple(category_order(demo_store, p)) for p in demo_store.places()["place_id"]}
    assert len(orders) > 3  # places rank their categories differently


def test_order_and_data_until_after_a_new_file_of_one_place(demo_store_path, tmp_path, monkeypatch):
    """A file of one place's months running on after the others' (Brå months to a later month): its
    own end and counts, the other places' unchanged; asked before and after the ingest in one process."""
    copy_sqlite(demo_store_path, tmp_path / "demo.sqlite")
    settings = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "demo.sqlite"))
    store = open_store(settings)
    monkeypatch.setattr(memo, "_MEMO", {})
    _check(store)
    before = place_data_until(store, "hasselby-torg"), category_order(store, "hasselby-torg")
    months = pd.date_range("2023-01-01", "2024-06-01", freq="MS")
    lines = ["Område;Brottstyp;Period;Antal"] + [f"Hässelby torg;Bedrägeri mot äldre;{m:%Y-%m};{900 + i}"
                                                for i, m in enumerate(months)]
    (tmp_path / "c.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert ingest_file(store, "crimes", tmp_path / "c.csv", source="bra-manad").status == "ok"
    _check(store)
    after = place_data_until(store, "hasselby-torg"), category_order(store, "hasselby-torg")
    assert after != before and after[1][0] == "bedrageri_aldre"


def _place_by_filter(store, place_id):
    df = base.places(store)
    hit = df[df["place_id"] == place_id] if len(df) else df
    return None if hit.empty else hit.iloc[0].to_dict()


def test_place_rows_as_the_filter_gives(demo_store, store):
    """``base.place`` reads every place's row once per data version: the same dict, value types
    included, as the place's own filter gave; None for an unknown id and in a store without places."""
    ids = [*demo_store.places()["place_id"], "ingen-sadan-plats", None]
    for place in ids:
        got, want = base.place(demo_store, place), _place_by_filter(demo_store, place)
        assert (got is None) == (want is None), place
        if want is None:
            continue
        assert list(got) == list(want), place
        for key in want:
            a, b = got[key], want[key]
            assert type(a) is type(b) and (a is b or a == b or (a != a and b != b)), (place, key)
        got["name"] = "ändrad"  # a new dict each call
        assert base.place(demo_store, place)["name"] == want["name"]
    assert base.place(store, "hasselby-torg") is None
