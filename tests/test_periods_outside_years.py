"""A period outside the years lagesbild reads (1900–2100) is refused in Swedish, never a traceback.

``compare --periods 1066–1067 2024–2025`` (or 3000–3001, or ``--from 1066-01-01``) printed pandas'
``OutOfBoundsDatetime`` traceback with exit 1, and a Plats or Översikt address with such a period was an
HTTP 500 (found by the security check): pandas holds only 1678–2262. The one period parser and the
date ranges now hold the readers' years.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from lagesbild.ingest import open_store
from lagesbild.settings import load_settings
from tests.test_web_callbacks import text_of


def _cli(db, *args):
    return subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(db), *args], capture_output=True, text=True)


@pytest.mark.parametrize(("args", "message"), [
    (["compare", "--place", "varberg", "--periods", "1066–1067", "2022–2023"],
     'Ogiltig period: "1066–1067". Året ligger utanför 1900–2100.'),
    (["compare", "--place", "varberg", "--periods", "2022–2023", "3000–3001"],
     'Ogiltig period: "3000–3001". Året ligger utanför 1900–2100.'),
    (["compare", "--place", "varberg", "--from", "1066-01-01", "--to", "1066-12-31", "--vs-from", "2020-01-01",
      "--vs-to", "2020-12-31"], "Datumet 1066-01-01 ligger utanför åren 1900–2100."),
    (["overview", "--period", "2999-3000"], 'Ogiltig period: "2999-3000". Året ligger utanför 1900–2100.'),
])
def test_the_cli_refuses_in_swedish(demo_store_path, args, message):
    res = _cli(demo_store_path, *args)
    assert res.returncode == 2 and message in res.stderr and "Traceback" not in res.stderr


@pytest.fixture(scope="module")
def pages(demo_store_path):
    cfg = load_settings({}, data_dir=str(demo_store_path.parent), db=str(demo_store_path))
    from lagesbild.web import create_app

    create_app(cfg, open_store(cfg))
    return sys.modules["lagesbild.web.pages.place"], sys.modules["lagesbild.web.pages.overview"]


def test_plats_and_oversikt_say_why_instead_of_failing(pages):
    place, overview = pages
    shown = text_of(place.update("varberg", ["skadegorelse"], ["1066–1067", "2022–2023"], False))
    assert "Året ligger utanför 1900–2100" in shown
    shown = text_of(overview.update("1066–1067", None, None, False))
    assert 'Ogiltig period: "1066–1067". Året ligger utanför 1900–2100.' in shown
