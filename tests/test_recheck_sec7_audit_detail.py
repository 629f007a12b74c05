"""Recheck (sec7): what a request puts in the audit log's detail is bounded and cannot hide text.

An analytiker's upload records the file name the browser sends (``dt-upload.filename``) as it came:

* a name with a NUL (``"a\\x00b.csv"``) was stored by SQLite as ``"a"`` (the rest of the entry, with
  the kind and the verdict, lost), and on PostgreSQL the insert failed ("PostgreSQL text fields cannot
  contain NUL (0x00) bytes"): the upload was not audited and the request ended in an error;
* a line break or a right-to-left override in the name could make one entry look like two, or
  reorder what the admin reads on Konton;
* a 2 MB name was stored whole (measured on a running server: ``length(detail)`` 2 000 022), once per
  upload; the Konton page reads the latest 500 entries.

The detail is now written with those characters as escapes (``\\x00``, ``\\n``, ``\\u202e``) and cut at
1 000 characters with the full length named. The expected texts below are written out by hand.
"""

from __future__ import annotations

import base64

from lagesbild.store import accounts
from tests.test_security_probe import _call, _client, site

__all__ = ["site"]  # a fixture, used by name

CSV = "Område;Nivå;År;Indikator;Andel (%);Antal svarande\nVårberg;plats;2023;Oro för brott;21,5;280\n"


def _upload(app, name: str):
    c, headers = _client(app, "ann")
    contents = "data:text/csv;base64," + base64.b64encode(CSV.encode()).decode()
    r = _call(app, c, headers, "..dt-report.children...dt-pending.data",
              {"dt-upload": contents, "dt-kind": "survey", "dt-crs": None, "dt-source": None,
               "dt-upload.filename": name})
    return r


def _upload_details(store) -> list[str]:
    return [e["detail"] for e in accounts.audit_entries(store, 50) if e["action"] == "upload"]


def test_a_nul_in_an_uploads_name_does_not_cut_its_audit_entry(site):
    app, store, _cfg = site
    r = _upload(app, "a\x00b.csv")
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    (detail,) = _upload_details(store)
    assert "\x00" not in detail
    assert detail.startswith("a\\x00b.csv (survey), ")  # the name, escaped, then the kind and verdict


def test_line_breaks_and_reordering_in_a_name_are_written_as_escapes(site):
    app, store, _cfg = site
    assert _upload(app, "x.csv\n2026-12-07 login ada\u202eabc.csv").status_code == 200
    (detail,) = _upload_details(store)
    assert "\n" not in detail and "\u202e" not in detail
    assert detail.startswith("x.csv\\n2026-12-07 login ada\\u202eabc.csv (survey), ")


def test_a_long_name_is_not_stored_whole(site):
    app, store, _cfg = site
    name = "ab " * 200_000 + ".csv"  # 1 MB uploads here (spaces: a long run of letters is slow in
    # views.data.without_upload_folders, a separate finding)
    assert _upload(app, name).status_code == 200
    (detail,) = _upload_details(store)
    # 1 000 characters kept; the whole detail was the name (600 004) + " (survey), " + the verdict
    assert detail.startswith(("ab " * 334)[:1000] + " … (förkortad från 600 0")
    assert detail.endswith(" tecken)")
    assert len(detail) < 1100


def test_ordinary_text_is_kept_as_it_is():
    from lagesbild.web.auth import audit_detail

    text = "Trygghet 2023, Vårberg.csv (survey), godkänd: 1 234,5 rader; «citat» – Åsa"
    assert audit_detail(text) == text
    assert audit_detail("") == "" and audit_detail(None) == ""
