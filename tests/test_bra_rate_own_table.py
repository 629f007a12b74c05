"""A municipality's own crime table with a rate column of its own ("Per 1 000 inv.") is not Brå's.

desk10's Botkyrka file `Plats;Brottskategori;Månad;Antal;Per 1 000 inv.` was recognised as Brå's
layout by its rate column alone, stored under the source "bra-brott", and every chart's source line
said "Brå". Brå's statistics database gives rates per 100 000 inhabitants only; any other rate is the
table's own. The counts are the same either way; the source is what changes.
"""

from __future__ import annotations

import pytest

from lagesbild.cli import main
from lagesbild.settings import load_settings
from lagesbild.store import Store


@pytest.mark.parametrize(("rate", "source"), [
    ("Per 1 000 inv.", "polisen-brott"),
    ("Per 1000 invånare", "polisen-brott"),
    ("Per 100 000 inv.", "bra-brott"),  # a guard: Brå's own rate (it was Brå's before too)
])
def test_own_rate_column_is_not_bra(tmp_path, rate, source):
    path = tmp_path / "brott.csv"
    path.write_text(f"Plats;Brottskategori;Månad;Antal;{rate}\n"
                    "Södertälje;Skadegörelse;januari 2025;5;0,05\n"
                    "Södertälje;Skadegörelse;februari 2025;7;0,07\n", encoding="utf-8")
    db = tmp_path / "s.sqlite"
    assert main(["--db", str(db), "ingest", "crimes", str(path), "--no-progress"]) == 0
    got = Store(load_settings({}, data_dir=str(tmp_path), db=str(db)).db_url).monthly_counts()
    assert set(got["source"]) == {source}
    assert dict(zip(got["month"].astype(str).str[:7], got["count"], strict=True)) == {"2025-01": 5, "2025-02": 7}
