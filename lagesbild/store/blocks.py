"""Incident blocks: one source's incidents of one month as a compressed column block.

Incident rows are not stored one SQL row each: a city's ten years are 1.5 million rows, and writing
them row by row (with a unique constraint and indexes) costs SQLite 8–12 times the parse of the file.
Instead the ingest writes, per source and month, a block of the month's incidents in the Arrow IPC
stream format with LZ4-compressed buffers (:data:`FORMAT`) into the ``incident_blocks`` table
(``source, month, rows, ingest_id, format, data``). Everything else stays plain SQL: the monthly
counts per place (``incident_counts``) that every comparison reads, coverage, sources and the ingest
log. The blocks are written in the ingest's transaction, so an ingest is still all-or-nothing, and
the table works on SQLite (BLOB) and PostgreSQL (BYTEA) alike.

A block can be read by any Arrow implementation: ``pyarrow.ipc.open_stream(data).read_all()`` gives
the columns of :data:`SCHEMA`.

``time_known`` is False for an incident whose file gave a date but no time of day (``occurred_at`` is
then 00:00 of the day): its date and weekday count, its hour is unknown. Blocks written before the
column existed have none; they are read (:func:`conform`) with every time known, as they were read
before (a missing time there is a 00:00 like a real midnight). :func:`to_frame` gives the column when
asked (``time_known=True``), so a frame of incidents keeps its columns for every other reader.

This module only encodes and decodes; :mod:`lagesbild.store.incident_writes` and
:mod:`lagesbild.store.incident_reads` move the blocks in and out of the database.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

FORMAT = "arrow-ipc-lz4/1"
SCHEMA = pa.schema([
    ("incident_id", pa.string()),
    ("occurred_at", pa.timestamp("us")),
    ("category", pa.dictionary(pa.int32(), pa.string())),
    ("x", pa.float64()),
    ("y", pa.float64()),
    ("time_known", pa.bool_()),
])
COLUMNS = [f.name for f in SCHEMA]
_OPTIONS = ipc.IpcWriteOptions(compression="lz4")


def to_arrow(df: pd.DataFrame) -> pa.Table:
    """The incident columns of a frame (``incident_id, occurred_at, category, x, y``) as a table.

    Examples
    --------
    >>> df = pd.DataFrame({"incident_id": ["a"], "occurred_at": pd.to_datetime(["2020-01-05 12:00"]),
    ...                    "category": ["ran"], "x": [1.0], "y": [2.0]})
    >>> to_arrow(df).schema == SCHEMA
    True
    """
    when = pa.array(df["occurred_at"].to_numpy(dtype="datetime64[us]"), pa.timestamp("us"))
    known = (df["time_known"].to_numpy(dtype=bool) if "time_known" in df
             else np.ones(len(df), dtype=bool))  # a frame without the flag gives its times as times
    return pa.table([arrow_strings(df["incident_id"]), when, _dictionary(df["category"]),
                     pa.array(df["x"].to_numpy(float)), pa.array(df["y"].to_numpy(float)),
                     pa.array(known, pa.bool_())],
                    schema=SCHEMA)


def conform(table: pa.Table) -> pa.Table:
    """A block in :data:`SCHEMA`: one written before ``time_known`` existed gets it, every time known
    (as it was read before).

    Examples
    --------
    >>> old = pa.table({"incident_id": ["a", "b"],
    ...                 "occurred_at": pa.array(pd.to_datetime(["2020-01-05 00:00", "2020-01-05 13:10"]),
    ...                                         pa.timestamp("us")),
    ...                 "category": pa.array(["ran", "ran"]).dictionary_encode(), "x": [1.0, 1.0],
    ...                 "y": [2.0, 2.0]})
    >>> conform(old)["time_known"].to_pylist()
    [True, True]
    """
    if "time_known" in table.column_names:
        return table
    return table.append_column("time_known", pa.array(np.ones(table.num_rows, dtype=bool), pa.bool_()))


def arrow_strings(values: pd.Series) -> pa.Array:
    """A column of strings as an Arrow string array (without Python objects when it is pyarrow-backed).

    Examples
    --------
    >>> arrow_strings(pd.Series(["a", "b"], dtype="string[pyarrow]")).to_pylist()
    ['a', 'b']
    """
    return pc.cast(pa.array(values), pa.string())


def _dictionary(values: pd.Series) -> pa.DictionaryArray:
    """Categories as an Arrow dictionary array (a pandas Categorical converts without copying)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy().astype(np.int32)
        return pa.DictionaryArray.from_arrays(
            pa.array(codes, mask=codes < 0), pa.array(list(values.cat.categories), pa.string()))
    return pc.dictionary_encode(pa.array(np.asarray(values, dtype=object), pa.string()))


def month_slices(table: pa.Table) -> Iterator[tuple[pd.Timestamp, pa.Table]]:
    """Split a table into one table per calendar month (first day, rows), in month order.

    Examples
    --------
    >>> df = pd.DataFrame({"incident_id": ["a", "b", "c"],
    ...                    "occurred_at": pd.to_datetime(["2020-02-01", "2020-01-31", "2020-02-09"]),
    ...                    "category": "ran", "x": 1.0, "y": 2.0})
    >>> [(str(m.date()), t["incident_id"].to_pylist()) for m, t in month_slices(to_arrow(df))]
    [('2020-01-01', ['b']), ('2020-02-01', ['a', 'c'])]
    """
    if table.num_rows == 0:
        return
    months = table["occurred_at"].to_numpy().astype("datetime64[M]")
    if not (months[1:] >= months[:-1]).all():
        order = np.argsort(months, kind="stable")
        table, months = table.take(order), months[order]
    cuts = np.flatnonzero(months[1:] != months[:-1]) + 1
    starts = np.concatenate([[0], cuts])
    ends = np.concatenate([cuts, [len(months)]])
    for lo, hi in zip(starts, ends, strict=False):
        yield pd.Timestamp(months[lo]), table.slice(lo, hi - lo)


def encode(table: pa.Table) -> bytes:
    """One block's bytes (Arrow IPC stream, LZ4-compressed buffers)."""
    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, SCHEMA, options=_OPTIONS) as writer:
        writer.write_table(conform(table).combine_chunks())
    return sink.getvalue().to_pybytes()


def decode(data: bytes) -> pa.Table:
    """The table in one block.

    Examples
    --------
    >>> df = pd.DataFrame({"incident_id": ["a"], "occurred_at": pd.to_datetime(["2020-01-05"]),
    ...                    "category": ["ran"], "x": [1.0], "y": [2.0]})
    >>> decode(encode(to_arrow(df)))["incident_id"].to_pylist()
    ['a']
    """
    return ipc.open_stream(pa.py_buffer(data)).read_all()


def to_frame(tables: list[pa.Table], sources: list[str], *, time_known: bool = False) -> pd.DataFrame:
    """Decoded blocks as one frame: ``incident_id, occurred_at, category, x, y, source``, and with
    ``time_known=True`` also ``time_known`` (bool; False: a date without a time of day, stored as
    00:00) before ``source``.

    ``occurred_at`` is ``datetime64[ns]``; ids, categories and sources are Python strings.

    Examples
    --------
    >>> df = pd.DataFrame({"incident_id": ["a", "b"], "occurred_at": pd.to_datetime(["2020-01-05"] * 2),
    ...                    "category": "ran", "x": 1.0, "y": 2.0, "time_known": [False, True]})
    >>> t = decode(encode(to_arrow(df)))
    >>> to_frame([t], ["s"]).columns.tolist()
    ['incident_id', 'occurred_at', 'category', 'x', 'y', 'source']
    >>> to_frame([t], ["s"], time_known=True)["time_known"].tolist()
    [False, True]
    """
    if not tables:
        return empty_frame(time_known=time_known)
    tables = [conform(t) if time_known else t.drop_columns(["time_known"]) if "time_known" in
              t.column_names else t for t in tables]
    names = np.asarray(sources, dtype=object)
    table = pa.concat_tables(tables, promote_options="permissive") if len(tables) > 1 else tables[0]
    table = table.set_column(2, "category", pc.cast(table["category"], pa.string()))
    df = table.to_pandas(timestamp_as_object=False, date_as_object=False)
    df["occurred_at"] = df["occurred_at"].astype("datetime64[ns]")
    df["source"] = np.repeat(names, [t.num_rows for t in tables])
    return df


def empty_frame(*, time_known: bool = False) -> pd.DataFrame:
    """An incident frame without rows (with the ``time_known`` column when asked)."""
    out = pd.DataFrame({"incident_id": pd.Series([], dtype=object),
                        "occurred_at": pd.Series([], dtype="datetime64[ns]"),
                        "category": pd.Series([], dtype=object), "x": pd.Series([], dtype=float),
                        "y": pd.Series([], dtype=float), "source": pd.Series([], dtype=object)})
    if time_known:
        out.insert(5, "time_known", pd.Series([], dtype=bool))
    return out


def filter_table(table: pa.Table, *, category=None, start=None, end=None, bbox=None) -> pa.Table:
    """Rows of a block in the categories, inclusive dates and EPSG:3006 box asked for.

    Filtering the Arrow table before it becomes a DataFrame keeps a map's read to the rows it shows.

    Examples
    --------
    >>> df = pd.DataFrame({"incident_id": ["a", "b"],
    ...                    "occurred_at": pd.to_datetime(["2020-01-31 23:59", "2020-02-01 00:00"]),
    ...                    "category": ["ran", "inbrott"], "x": [1.0, 9.0], "y": [1.0, 9.0]})
    >>> t = to_arrow(df)
    >>> [filter_table(t, **kw).num_rows for kw in ({"end": "2020-01-31"}, {"category": ["inbrott"]},
    ...                                             {"bbox": (0, 0, 5, 5)}, {})]
    [1, 1, 1, 2]
    """
    keep = None

    def both(mask):
        return mask if keep is None else pc.and_(keep, mask)

    if category is not None:
        cats = [category] if isinstance(category, str) else list(category)
        keep = both(pc.is_in(pc.cast(table["category"], pa.string()), value_set=pa.array(cats, pa.string())))
    when = table["occurred_at"]
    if start is not None:
        keep = both(pc.greater_equal(when, pa.scalar(pd.Timestamp(start).to_pydatetime(), when.type)))
    if end is not None:
        stop = (pd.Timestamp(end) + pd.Timedelta(days=1)).to_pydatetime()
        keep = both(pc.less(when, pa.scalar(stop, when.type)))
    if bbox is not None:
        x, y = table["x"], table["y"]
        for mask in (pc.greater_equal(x, bbox[0]), pc.greater_equal(y, bbox[1]),
                     pc.less_equal(x, bbox[2]), pc.less_equal(y, bbox[3])):
            keep = both(mask)
    return table if keep is None else table.filter(keep)
