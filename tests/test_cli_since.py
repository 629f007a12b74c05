"""``since`` on the command line: the dashboard's Sedan förra mötet, the same sections and items.

Every line the page lists under its six sections is a line of the CLI's text (both from
:mod:`lagesbild.figures.since` over :func:`lagesbild.analysis.since_meeting.since_last_meeting`); a note
written after the meeting shows; a meeting after today is refused in Swedish with exit code 2.
"""

from __future__ import annotations

import json
import subprocess
import sys

from dash import html

from lagesbild.cli import main
from lagesbild.figures.since import PARTS
from lagesbild.ingest import open_store
from lagesbild.settings import load_settings
from lagesbild.web.views.since import since_view
from tests.e2e_support import copy_sqlite
from tests.test_web_callbacks import walk

MEETING = "2020-01-01"  # before the session's demo was read in: everything in it is new since


def _page_items(store, cfg) -> list[str]:
    def text(node):
        kids = node.children if isinstance(node.children, list) else [node.children]
        return "".join(k if isinstance(k, str) else text(k) for k in kids if k is not None)
    return [text(li) for li in walk(since_view(store, cfg, meeting_date=MEETING)) if isinstance(li, html.Li)]


def test_the_cli_lists_what_the_page_lists(demo_store_path, capsys):
    cfg = load_settings({}, data_dir=str(demo_store_path.parent), db=str(demo_store_path))
    page = _page_items(open_store(cfg), cfg)
    capsys.readouterr()
    assert main(["--db", str(demo_store_path), "since", "--meeting", MEETING]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "Förra mötet 1 jan 2020. Ingen brottsdata fanns inläst vid mötet; nu finns data t.o.m. " \
                       "31 aug 2023. Bedömningarna gäller 2022–2023 mot 2021–2022, som på Översikt."
    items = [line.split(". ", 1)[1] for line in lines if line[:1].isdigit() and ". " in line]
    assert page[:len(items)] == items and len(items) > 10
    assert all(note in lines for note in page[len(items):])  # the notes under the sections
    for _key, title, _empty in PARTS:
        assert any(line.startswith(title) for line in lines), title
    assert lines[-1] == "OBS: FIKTIVA DEMODATA – inte verklig brottsstatistik (python -m lagesbild demo --remove tar bort dem)."


def test_the_json_holds_each_section_and_a_new_note(demo_store_path, tmp_path, capsys):
    db = tmp_path / "copy.sqlite"
    copy_sqlite(demo_store_path, db)
    assert main(["--db", str(db), "notes", "add", "--place", "varberg", "--date", "2026-01-15", "--author", "Anna",
                 "--text", "Ny belysning vid torget."]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "since", "--meeting", "2026-01-10", "--place", "varberg", "--format", "json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["meeting_date"] == "2026-01-10" and res["until_now"] == "2023-08-31"
    assert {k for k, _t, _e in PARTS} <= set(res)
    assert [n["note"] for n in res["notes"]] == ["Ny belysning vid torget."]
    assert main(["--db", str(db), "since", "--meeting", "2026-01-10", "--format", "json"]) == 0
    every = json.loads(capsys.readouterr().out)
    assert 0 < len(res["followups"]) < len(every["followups"])  # the place's activities only


def test_a_meeting_after_today_is_refused(demo_store_path):
    res = subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(demo_store_path), "since",
                          "--meeting", "2999-01-01"], capture_output=True, text=True)
    assert res.returncode == 2 and "Fel: mötesdatumet 1 jan 2999 ligger efter i dag" in res.stderr
    assert "Traceback" not in res.stderr
