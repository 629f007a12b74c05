"""An incident file whose report numbers stand under a common Swedish header ("Händelsenummer", "K-nr",
"Ärendenr", …) had them ignored: ids were made from each row's content, and two reports of the same
category at the same time and place (two shopliftings in one shop) were refused as one row given twice
("filen har inga id"), so the whole file was refused. A header the reader does not know is now named in
that message, with how to map it."""

from __future__ import annotations

import pytest

from lagesbild.sources.incidents import read_incidents
from tests.test_cli import run

ROWS = ("{id};2024-03-05 14:00;Tillgrepp i butik;667000;6580000\n"
        "{id2};2024-03-05 14:00;Tillgrepp i butik;667000;6580000\n")


def _csv(tmp_path, header):
    path = tmp_path / "brott.csv"
    path.write_text(f"{header};Brottsdatum;Brottsrubrik;E;N\n" + ROWS.format(id="K123-24", id2="K124-24"),
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("header", ["Händelsenummer", "Händelsenr", "K-nummer", "K-nr", "Ärendenr",
                                    "Anmälningsnr", "Diarienr", "Dnr"])
def test_a_report_number_header_gives_the_ids(tmp_path, header):
    result = read_incidents(_csv(tmp_path, header))
    assert result.errors == []
    assert sorted(result.table["incident_id"].tolist()) == ["K123-24", "K124-24"]


def test_two_shopliftings_at_one_time_and_place_both_count_through_the_command_line(tmp_path):
    db = tmp_path / "x.sqlite"
    res = run("ingest", "incidents", _csv(tmp_path, "Händelsenummer"), "--no-progress", db=db)
    assert res.returncode == 0, res.stderr
    from lagesbild.store import Store

    assert sorted(Store(f"sqlite:///{db}").incidents()["incident_id"].tolist()) == ["K123-24", "K124-24"]


def test_an_unknown_id_header_is_named_in_the_refusal(tmp_path):
    db = tmp_path / "x.sqlite"
    res = run("ingest", "incidents", _csv(tmp_path, "Löpnummer"), "--no-progress", db=db)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert 'rad 3, kolumn "Brottsdatum"' in res.stderr
    assert 'är kolumnen "Löpnummer" ett id?' in res.stderr
    assert 'columns: {incident_id: "Löpnummer"}' in res.stderr
