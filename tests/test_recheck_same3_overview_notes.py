"""``overview``'s text said "Anmälda brott 2021–2022 jämfört med 2020–2021" of a year whose data end
on 31 March 2022 without saying that both years were counted September–March only (like for like);
Översikt says it under its table, and a reader of the command's text took 7 months for a whole year.
The command now prints the notes Översikt prints (same3's finding)."""

from __future__ import annotations

import pytest

from lagesbild.cli import main
from lagesbild.settings import load_settings
from lagesbild.store import Store
from tests import test_web_callbacks as small


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ovnotes")
    cfg = load_settings({}, data_dir=str(folder), db=str(folder / "store.sqlite"))
    small._write(Store(cfg.db_url), small._incidents())  # incidents 1 Sep 2019 – 31 March 2022
    return folder / "store.sqlite"


def test_overview_text_says_the_part_year_is_compared_like_for_like(store_path, capsys):
    assert main(["--db", str(store_path), "overview", "--period", "2021–2022"]) == 0
    text = capsys.readouterr().out
    head, *_ = text.splitlines()
    assert "2021–2022" in head and "2020–2021" in head
    # the data end on 31 March 2022: both years are counted September to March only, and it is said
    assert "sep–mar " in text, text
    assert "31 mars 2022" in text, text


def test_overview_text_has_the_pages_notes(store_path, capsys):
    from lagesbild.analysis.overview import overview_table
    from lagesbild.analysis.overview_notes import split_notes

    cfg = load_settings({}, data_dir=str(store_path.parent), db=str(store_path))
    res = overview_table(Store(cfg.db_url), cfg, period="2021–2022")
    notes, alla = split_notes(res["comparison"], res["rows"], res["category_names"])
    assert main(["--db", str(store_path), "overview", "--period", "2021–2022"]) == 0
    text = capsys.readouterr().out
    for note in [*alla[:3], *notes[:3]]:
        assert note in text, note
