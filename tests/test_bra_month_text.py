"""A tidy crime table whose month is one text ("januari 2025", "2025-01") and that has a rate column
beside its counts ("Per 1 000 inv.", "Per 100 000 inv.") was read as Brå's long layout, which takes a
month from År + Månad only: every row was refused with 'värde "": perioden saknas', naming no column,
exit 2 (desk9's Södertälje file). The month's own text is the period when there is no År column; the
same file without the rate column always loaded."""

from __future__ import annotations

import pytest

from lagesbild.cli import main
from lagesbild.settings import load_settings
from lagesbild.store import Store


@pytest.mark.parametrize(("header", "months"), [
    ("Plats;Brottskategori;Månad;Antal;Per 1 000 inv.", ("januari 2025", "februari 2025")),
    ("Plats;Brottskategori;Månad;Antal;Per 100 000 inv.", ("januari 2025", "februari 2025")),
    ("Plats;Brottskategori;Månad;Antal;Per 1000 inv", ("2025-01", "2025-02")),
    ("Plats;Brottskategori;Månad;Antal", ("januari 2025", "februari 2025")),  # a guard: it always loaded
])
def test_a_month_text_beside_a_rate_column_loads(tmp_path, header, months):
    rate = ";0,05" if header.count(";") == 4 else ""
    rows = [f"Södertälje;Skadegörelse;{m};{n}{rate}" for m, n in zip(months, (5, 7), strict=True)]
    path = tmp_path / "brott.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    db = tmp_path / "s.sqlite"
    assert main(["--db", str(db), "ingest", "crimes", str(path), "--no-progress"]) == 0
    store = Store(load_settings({}, data_dir=str(tmp_path), db=str(db)).db_url)
    got = store.monthly_counts()
    by_month = dict(zip(got["month"].astype(str).str[:7], got["count"], strict=True))
    assert by_month == {"2025-01": 5, "2025-02": 7}  # the counts, never the rates
