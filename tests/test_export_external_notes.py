"""An external meeting pack leaves the group's meeting notes out (their text and who wrote them) and
says so; the internal pack has them."""

from __future__ import annotations

from lagesbild.cli import main
from lagesbild.export.content import Paragraph, Table
from lagesbild.export.data import ExportData
from lagesbild.export.sections import notes_block
from lagesbild.ingest import open_store
from lagesbild.settings import ROOT, load_settings


def test_an_external_pack_has_no_meeting_notes(tmp_path):
    settings = load_settings({}, db=str(tmp_path / "s.sqlite"), data_dir=str(tmp_path))
    places = ROOT / "tests" / "data" / "places_4326.geojson"
    assert main(["--db", settings.db, "ingest", "--no-progress", "places", str(places)]) == 0
    assert main(["--db", settings.db, "notes", "add", "--place", "varberg", "--date", "2023-05-01",
                 "--author", "Anna Svensson", "--text", "Polisen misstänker en person på torget"]) == 0
    store = open_store(settings)
    place = {"place_id": "varberg", "name": "Vårberg"}
    internal = notes_block(ExportData(store, settings), place)
    assert [r[1:] for b in internal if isinstance(b, Table) for r in b.rows] == [
        ["Anna Svensson", "Polisen misstänker en person på torget"]]
    external = notes_block(ExportData(store, settings, external=True), place)
    assert not any(isinstance(b, Table) for b in external)
    said = " ".join(b.text for b in external if isinstance(b, Paragraph))
    assert "ingår inte i den externa versionen" in said
    assert "Anna" not in said and "misstänker" not in said
