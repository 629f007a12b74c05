"""Text sorted alike on every store: by code point, as SQLite's BINARY collation sorts.

PostgreSQL sorts text by the database's collation. A database created under a Swedish or English
locale (Debian's initdb and createdb take the system's) sorts "anna" before "Bo" and "å" before "ä";
SQLite sorts by code point ("Bo" before "anna", "ä" before "å"). The store's ordered reads (places,
activities, accounts, the coverage rows the dispersions are summed from) therefore name text columns
through :func:`bytewise`: on PostgreSQL ``COLLATE "C"`` (byte order of UTF-8, which is code point
order), elsewhere the column as it is.

>>> from sqlalchemy import column, select, String
>>> from sqlalchemy.dialects import postgresql, sqlite
>>> q = select(column("name", String)).order_by(bytewise(column("name", String)))
>>> str(q.compile(dialect=postgresql.dialect())).split("ORDER BY ")[1]
'name COLLATE "C"'
>>> str(q.compile(dialect=sqlite.dialect())).split("ORDER BY ")[1]
'name'
"""

from __future__ import annotations

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import String


class _Bytewise(ColumnElement):
    """A text column ordered by code point on every dialect."""

    inherit_cache = False  # built per query; statements holding one are not cached

    def __init__(self, element):
        self.element = element
        self.type = element.type


@compiles(_Bytewise)
def _as_it_is(element, compiler, **kw):
    return compiler.process(element.element, **kw)


@compiles(_Bytewise, "postgresql")
def _c_collation(element, compiler, **kw):
    return f'{compiler.process(element.element, **kw)} COLLATE "C"'


def bytewise(col):
    """``col`` sorted by code point: text columns get the C collation on PostgreSQL; others stay."""
    return _Bytewise(col) if isinstance(col.type, String) else col


def bytewise_labels(cols) -> list:
    """``cols`` for the select list of a ``DISTINCT`` query ordered by them: PostgreSQL wants the
    ordered expressions in the select list, so each text column is selected collated under its own
    name (and ``order_by`` the returned labels)."""
    return [bytewise(c).label(c.name) for c in cols]
