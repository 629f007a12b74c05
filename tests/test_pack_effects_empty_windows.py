"""The meeting pack's before/after table gives its two sentence columns the room of windows without counts.

An activity that starts after the crime data end has no before/after counts: every "Före" and "Efter" cell
is "–", yet both columns kept 2.2 of the table's 16.6 width units, and the verdict and the comparison with
the area ("kan inte bedömas: brottsdata per månad finns bara t.o.m. …", 2.6 units each) ran about ten lines
a row (Barkarby's pack, Järfälla, page 6). Reference: the Word table's cell widths (python-docx), which
the writer sets from the table's relative widths, and the weights by hand: with empty windows 1.2 + 1.2 of
14.6 units, else 2.2 + 2.2 of 16.6.
"""

from __future__ import annotations

import docx

from tests.test_cli import run
from tests.test_recheck_desk7_pack_effects_area import _store


def _effects_table(db, tmp_path):
    out = tmp_path / "paket"
    res = run("pack", "--places", "flemingsberg", "--periods", "2023–2024", "2024–2025", "--out", out,
              "--no-progress", db=db)
    assert res.returncode == 0, res.stderr
    (word,) = out.glob("*.docx")
    for table in docx.Document(str(word)).tables:
        head = [c.text for c in table.rows[0].cells]
        if "Jämfört med omgivningen" in head:
            return head, table
    raise AssertionError("no before/after table in the pack")


def _widths(head, table) -> dict:
    return {name: table.rows[1].cells[i].width for i, name in enumerate(head)}


def test_windows_without_counts_give_their_room_to_the_sentences(tmp_path):
    db = _store(tmp_path)  # crimes Sep 2022 – Aug 2025
    plan = tmp_path / "plan_sen.yaml"  # starts after the data's end: nothing before or after to count
    plan.write_text("- id: hu-sen\n  aktivitet: Trygghetsvandring Flemingsberg (FIKTIV)\n"
                    "  plats: [flemingsberg]\n  löptid: Start februari 2026, tillsvidare\n", encoding="utf-8")
    res = run("ingest", "activities", plan, "--no-progress", "--replace-source", "--source", "atgardsplan",
              db=db)  # the plan's default source: the earlier plan is replaced
    assert res.returncode == 0, res.stderr
    head, table = _effects_table(db, tmp_path)
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    # the plan replaced: only the late activity, every window without a count
    assert rows and all(r[0].startswith("Trygghetsvandring") or r[0] == "" for r in rows)
    assert all(r[head.index(c)].strip(" -–") == "" for r in rows for c in ("Före", "Efter"))
    w = _widths(head, table)
    # 1.2 of 14.6 units against 2.6: the sentence column is 2.6 / 1.2 = 2.17 times the window's width
    assert abs(w["Jämfört med omgivningen"] / w["Före"] - 2.6 / 1.2) < 0.01
    assert abs(w["Bedömning"] / w["Efter"] - 2.6 / 1.2) < 0.01


def _check_counted(head, table):
    w = _widths(head, table)
    assert abs(w["Jämfört med omgivningen"] / w["Före"] - 2.6 / 2.2) < 0.01


def test_windows_with_counts_keep_their_width(tmp_path):
    head, table = _effects_table(_store(tmp_path), tmp_path)  # starts Sep 2024: counts before and after
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert any(r[head.index("Före")].strip(" -–") for r in rows)
    _check_counted(head, table)
