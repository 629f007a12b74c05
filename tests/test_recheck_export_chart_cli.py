"""``lagesbild chart`` refuses periods without any data, as ``pack`` does: 2030–2031 against 2031–2032
drew a chart saying there was nothing to show and printed "Sparat" with exit code 0."""

from __future__ import annotations

from lagesbild.cli import main
from lagesbild.ingest import ingest_file
from tests.test_recheck_export_dataend import MONTHLY_HEADER, _months


def test_chart_refuses_periods_without_data_with_exit_2_and_writes_nothing(places_store, settings, tmp_path,
                                                                          capsys):
    crimes = tmp_path / "vaarberg.csv"
    crimes.write_text(MONTHLY_HEADER + "".join(f"Vårberg;Skadegörelse;{m};{12 + i % 4}\n" for i, m in
                                               enumerate(_months("2020-09", "2023-08"))), encoding="utf-8")
    assert ingest_file(places_store, "crimes", crimes).status == "ok"
    out = tmp_path / "diagram.png"
    code = main(["--db", settings.db_url, "chart", "--chart", "trend", "--place", "Vårberg",
                 "--periods", "2030–2031", "2031–2032", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Ingen av perioderna (2030–2031, 2031–2032) har data: brottsdata finns 1 sep 2020–31 aug 2023." in err
    assert "Traceback" not in err and not out.exists()
