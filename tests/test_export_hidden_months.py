"""A chart whose every count is a hidden small count of a sensitive category says so; it said "det
finns inga månader med data för urvalet", as if nothing had been reported."""

from __future__ import annotations

from lagesbild.analysis.base import parse_periods
from lagesbild.cli import main
from lagesbild.export.charts import months_chart, share_chart
from lagesbild.export.data import ExportData
from lagesbild.ingest import open_store
from lagesbild.settings import ROOT, load_settings


def _texts(fig) -> str:
    return " ".join(a.text or "" for a in fig.layout.annotations)


def test_month_and_share_charts_of_only_hidden_counts_say_they_are_hidden(tmp_path):
    crimes = tmp_path / "brott.csv"
    crimes.write_text("Plats;Brottskategori;Månad;Antal\n" + "".join(
        f"{place};Våld i nära relation;{y}-{m:02d};{(m in (1, 6)) * scale + (scale > 1) * m}\n"
        for place, scale in (("Hässelby torg", 1), ("Hässelby-Vällingby", 20), ("Stockholm", 100))
        for y in (2021, 2022, 2023) for m in range(1, 13)), encoding="utf-8")
    settings = load_settings({}, db=str(tmp_path / "s.sqlite"), data_dir=str(tmp_path))
    places = ROOT / "geodata" / "places.geojson"  # with districts and the city
    for kind, file in (("places", places), ("crimes", crimes)):
        assert main(["--db", settings.db, "ingest", "--no-progress", kind, str(file)]) == 0
    store = open_store(settings)
    place = {"place_id": "hasselby-torg", "name": "Hässelby torg"}
    periods = parse_periods(["2021–2022", "2022–2023"])
    shown = months_chart(ExportData(store, settings), place, periods, category="vald_nara_relation")
    assert "inga månader" not in _texts(shown.fig) and "visas inte" not in _texts(shown.fig)
    hidden = months_chart(ExportData(store, settings, external=True), place, periods,
                          category="vald_nara_relation")
    assert "små i en känslig kategori och visas inte" in _texts(hidden.fig), _texts(hidden.fig)
    assert "inga månader med data" not in _texts(hidden.fig)
    shown = share_chart(ExportData(store, settings), place, periods, category="vald_nara_relation")
    assert "Inget att visa" not in _texts(shown.fig)
    hidden = share_chart(ExportData(store, settings, external=True), place, periods,
                         category="vald_nara_relation")
    assert "små i en känslig kategori och visas inte" in _texts(hidden.fig), _texts(hidden.fig)


def test_the_packs_csv_files_carry_the_source_line_and_notes_as_its_xlsx_files(tmp_path):
    """A CSV taken out of the ZIP said neither FIKTIVA DEMODATA nor what its '–' meant."""
    import io

    import pandas as pd

    from lagesbild.export.content import Document, Table
    from lagesbild.export.pack import write_data_files

    note = "– = färre än 5 anmälda brott i en känslig kategori (Våld i nära relation)"
    table = Table("Jämförelse Vårberg", ["Kategori", "Antal"], [["Våld i nära relation", "–"]],
                  notes=[note], data=pd.DataFrame({"Kategori": ["Våld i nära relation"], "Antal": ["–"]}))
    source = "Källa: Polisen, anmälda brott; bearbetning Stadsdelsförvaltningen – FIKTIVA DEMODATA"
    written = write_data_files(Document("Paket").add(table), tmp_path, source=source)
    files = {name: path for path, name in written}
    raw = files["data/Jämförelse Vårberg.csv"].read_bytes().decode("utf-8")
    assert raw.startswith("\ufeff# " + source + "\r\n# " + note + "\r\nKategori;Antal\r\n"), raw
    frame = pd.read_csv(io.StringIO(raw.lstrip("\ufeff")), sep=";", comment="#")
    assert frame.columns.tolist() == ["Kategori", "Antal"] and len(frame) == 1
