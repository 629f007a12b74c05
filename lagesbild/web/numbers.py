"""The numbers behind a chart or table, downloaded as an XLSX file built on the server.

A page's content builder says which numbers stand behind each chart and table: it hands the analysis
layer's frame (the one the figure or table was made from, never numbers read back out of a figure) to
:func:`lagesbild.web.components.chart` or :func:`lagesbild.web.components.table` as a :class:`Numbers`,
which rides on the component as a Python attribute (never sent to the browser). The "Excel" button
next to the chart or table sends only the page's address and the component's id, as the image export
does; the server builds the page's content again (:func:`lagesbild.web.chart_source.numbers_for`) and
writes the file with :func:`xlsx_bytes`:

* a sheet ``Siffror``: a Swedish header row (:data:`HEADERS`; columns without a Swedish name are left
  out), category and place names beside their ids, ``ja``/``nej`` for yes/no, then the source line,
  ``FIKTIVA DEMODATA`` for demo data and the suppression note;
* a sheet ``Om siffrorna``: title, place, periods, page, source, data date, created;
* the pack's protection: small counts in sensitive categories suppressed
  (:func:`lagesbild.export.safety.suppress_counts`, always on: a downloaded file leaves the screen)
  and every text cell neutralised against formulas (:func:`lagesbild.export.tables.write_xlsx`).

Examples
--------
>>> import pandas as pd
>>> n = Numbers(pd.DataFrame({"category": ["rån"], "count": [3], "ingest_id": [1]}), "Antal",
...             counts=("count",))
>>> list(swedish_frame(n.frame, n, {"rån": "Rån"}, {}).columns)
['Kategori-id', 'Kategori', 'Antal']
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lagesbild import clock
from lagesbild.export.headers import HEADERS
from lagesbild.figures import tables
from lagesbild.figures.style import CRIME_SOURCE, source_line

ATTRIBUTE = "_lb_numbers"  # the component attribute holding a Numbers (never serialised by Dash)
DATA_SHEET, ABOUT_SHEET = "Siffror", "Om siffrorna"
DEMO_NOTE = "Fiktiva data: demodata, inte verklig brottsstatistik."
NAME_COLUMNS = {"category": ("category_name", "Kategori"), "place_id": ("place_name", "Plats")}


@dataclass
class Numbers:
    """The frame behind one chart or table and what an export must know about it.

    Parameters
    ----------
    frame : DataFrame
        The analysis layer's result the chart or table was drawn from.
    title : str
        Swedish title (the chart's or table's).
    place, periods : optional
        Shown on the ``Om siffrorna`` sheet.
    counts : tuple of str
        Columns of counts: small counts of sensitive categories are suppressed.
    dependents : dict, optional
        Derived columns hidden with a count (see :func:`lagesbild.export.safety.suppress_counts`).
    role : str, optional
        Role needed beyond the page's own (incident-level numbers: ``analytiker``).
    headers : dict, optional
        Swedish headers for columns :data:`HEADERS` does not name.
    source : str
        The source named in the source line.
    """

    frame: pd.DataFrame
    title: str
    place: str | None = None
    periods: tuple = ()
    counts: tuple = ()
    dependents: dict | None = None
    role: str | None = None
    headers: dict = field(default_factory=dict)
    source: str = CRIME_SOURCE


def attach(component, numbers: Numbers | None):
    """Let ``component`` carry ``numbers`` for the Excel download; return the component."""
    if numbers is not None:
        setattr(component, ATTRIBUTE, numbers)
    return component


def numbers_of(component) -> Numbers | None:
    """The numbers a component carries, or None."""
    return getattr(component, ATTRIBUTE, None)


def _yes_no(value):
    if isinstance(value, (bool, np.bool_)):
        return "ja" if value else "nej"
    return value


def swedish_frame(df: pd.DataFrame, numbers: Numbers, category_names: dict,
                  place_names: dict) -> pd.DataFrame:
    """The frame with names beside ids, Swedish headers, ``ja``/``nej``; unnamed columns left out."""
    headers = {**HEADERS, **numbers.headers}
    out = df.copy()
    for id_col, (name_col, _) in NAME_COLUMNS.items():
        # a frame with the place's own ``name`` beside its id already names it (Jämför's table)
        named = name_col in out.columns or (id_col == "place_id" and "name" in out.columns)
        if id_col in out.columns and not named:
            # the total row ("alla") is the sum of the categories shown: named as the screen's table
            # names it ("Alla valda kategorier"), not "Alla kategorier"
            label = ((lambda v: tables.category_label(category_names, v)) if id_col == "category"
                     else (lambda v: place_names.get(v, v)))
            out.insert(list(out.columns).index(id_col) + 1, name_col, [label(v) for v in out[id_col]])
    keep = [c for c in out.columns if c in headers]
    out = out[keep]
    for col in keep:
        if out[col].dtype == bool or out[col].dtype == object:
            out[col] = out[col].map(_yes_no).astype(object)
        elif pd.api.types.is_datetime64_any_dtype(out[col]):
            if out[col].dt.tz is not None:
                out[col] = out[col].dt.tz_localize(None)  # Excel has no time zones
            if (out[col].dropna() == out[col].dropna().dt.normalize()).all():
                out[col] = out[col].dt.date  # whole days: dates without a time of day
    return out.rename(columns=headers)


def xlsx_bytes(numbers: Numbers, store, settings, *, page: str = "") -> tuple[bytes, str]:
    """The XLSX file of ``numbers`` and its file name (suppressed, neutralised, in Swedish)."""
    from lagesbild.export.data import ExportData
    from lagesbild.export.safety import (
        COMPARE_DEPENDENTS,
        safe_stem,
        suppress_counts,
        suppression_note,
    )
    from lagesbild.export.tables import write_xlsx
    from lagesbild.figures.format import fmt_date, fmt_periods

    data = ExportData(store, settings, suppress=True)
    frame, hidden = numbers.frame, 0
    if "place_id" in frame.columns and frame["place_id"].notna().any():
        # "Data t.o.m." and the publisher of the places in the file, as a pack of them says
        data.scope([{"place_id": pid} for pid in frame["place_id"].dropna().unique()])
    counts = [c for c in numbers.counts if c in frame.columns]
    if counts and "category" in frame.columns:
        dependents = numbers.dependents
        if dependents is None and {"count_a", "count_b"} <= set(counts):
            dependents = COMPARE_DEPENDENTS
        # per place: a total row ("alla") hides with the counts of its own place only
        groups = frame.groupby("place_id", sort=False) if "place_id" in frame.columns else [(0, frame)]
        # a series of months hides a category whole (suppress_counts' whole_category), as the pack does
        parts = [suppress_counts(part, count_columns=counts, sensitive=data.sensitive,
                                 threshold=data.threshold, dependents=dependents,
                                 whole_category="month" in frame.columns)
                 for _, part in groups]
        if parts:
            frame = pd.concat([p for p, _ in parts]).loc[frame.index]
            hidden = sum(n for _, n in parts)
    places = dict(zip(data.places["place_id"], data.places["name"], strict=True))
    table = swedish_frame(frame, numbers, data.category_names, places)
    notes = [source_line(data.context, numbers.source)]
    if data.demo:
        notes.append(DEMO_NOTE)
    if hidden:
        notes.append(suppression_note(data.threshold, [data.category_names.get(c, c)
                                                       for c in sorted(data.sensitive)]))
    periods = fmt_periods(list(numbers.periods)) if numbers.periods else "–"
    about = [("Titel", numbers.title), ("Plats", numbers.place or "–"), ("Perioder", periods),
             ("Sida", page or "–"), ("Källa", notes[0]),
             ("Data t.o.m.", fmt_date(data.data_until) if data.data_until else "–"),
             ("Skapad", clock.now().strftime("%Y-%m-%d %H:%M"))]
    about += [("Obs", n) for n in notes[1:]]
    labels = list(numbers.periods)
    span = " till ".join([labels[0], labels[-1]]) if len(labels) > 2 else " och ".join(labels)
    # a long place name is cut before the periods are (it pushed them out of the name)
    name = safe_stem(" ".join(x for x in (numbers.title, numbers.place) if x), span)
    with tempfile.TemporaryDirectory(prefix="lagesbild-xlsx-") as tmp:
        path = write_xlsx({DATA_SHEET: table, ABOUT_SHEET: pd.DataFrame(about, columns=["Uppgift", "Värde"])},
                          Path(tmp) / "siffror.xlsx", notes={DATA_SHEET: notes})
        content = path.read_bytes()
    return content, f"{name}.xlsx"
