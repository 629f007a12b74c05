"""The store's status is worded once: the Data page and the CLI's status name the tables and the kinds
of source the same way (they had two tables of names each: 'brott (händelser)' beside 'anmälda brott
(händelsenivå)', 'Rader med aggregerade brott' beside 'aggregerade brottsrader')."""

from __future__ import annotations

from lagesbild.analysis import base, status
from lagesbild.web.views.data import summary_view
from tests.test_cli import run


def _tables(component, out=None):
    """Every DataTable below a Dash component, by id."""
    out = {} if out is None else out
    if getattr(component, "id", None) and hasattr(component, "data") and hasattr(component, "columns"):
        out[component.id] = component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children] if children is not None else []:
        _tables(child, out)
    return out


def test_data_page_and_cli_name_tables_and_sources_alike(demo_store, demo_store_path):
    tables = {}
    for part in summary_view(demo_store):
        _tables(part, tables)
    kinds = {row["Typ"] for row in tables["data-sources"].data}
    assert base.SOURCE_KIND_NAMES["incidents"] in kinds
    assert kinds <= set(base.SOURCE_KIND_NAMES.values())
    shown = {row["Innehåll"] for row in tables["data-counts"].data}
    assert shown == {status.COUNT_NAMES[k] for k in demo_store.counts()}
    line = next(x for x in run("status", db=demo_store_path).stdout.splitlines() if x.startswith("Rader: "))
    assert all(status.COUNT_NAMES[k].lower() in line for k in demo_store.counts())
