"""A chart whose every count is a hidden small count of a sensitive category says so; it said "det
finns inga månader med data för urvalet", as if nothing had been reported."""

from __future__ import annotations

from lagesbild.analysis.base import parse_periods
from lagesbild.cli import main
from lagesbild.export.charts import months_chart
from lagesbild.export.data import ExportData
from lagesbild.ingest import open_store
from lagesbild.settings import ROOT, load_settings


def _texts(fig) -> str:
    return " ".join(a.text or "" for a in fig.layout.annotations)


def test_a_month_chart_of_only_hidden_counts_says_they_are_hidden(tmp_path):
    crimes = tmp_path / "brott.csv"
    crimes.write_text("Plats;Brottskategori;Månad;Antal\n" + "".join(
        f"Hässelby torg;Våld i nära relation;{y}-{m:02d};{(y + m) % 3}\n"
        for y in (2021, 2022, 2023) for m in range(1, 13)), encoding="utf-8")
    settings = load_settings({}, db=str(tmp_path / "s.sqlite"), data_dir=str(tmp_path))
    places = ROOT / "tests" / "data" / "places_4326.geojson"
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
