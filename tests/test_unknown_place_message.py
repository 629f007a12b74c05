"""A place that is not found is answered with the places it may mean, by name and id.

The message listed the known ids only: in a store of DeSO areas, "Okänd plats: 'Östra Järna'. Kända
platser: 0181B5010, 0181B4010, …" told a user nothing about which id is which, and a store of 114
places printed all 114 ids.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from lagesbild.analysis import base

DESO = [("0181B5010", "Brunnsäng"), ("0181C1240", "Östra Järna-Överjärnas strandängar vid Mörkö"),
        ("0181A0010", "Södertälje centrum")]


@pytest.mark.parametrize("typed", ["Östra Järna", "ostra jarna", "ÖSTRA JÄRNA-Ö", "0181C12"])
def test_part_of_a_name_or_id_suggests_the_place(typed):
    text = base.unknown_place(typed, DESO)
    assert f"Okänd plats: {typed!r}." in text
    assert "Menade du: Östra Järna-Överjärnas strandängar vid Mörkö (0181C1240)?" in text
    assert "Brunnsäng (0181B5010)" in text.split("Kända platser:")[1]  # a small store lists all


def test_a_misspelt_name_in_a_large_store_suggests_without_listing_every_place():
    known = [(f"p{i:03d}", f"Område {i}") for i in range(114)] + [("hasselby-torg", "Hässelby torg")]
    text = base.unknown_place("Hässleby torg", known)
    assert "Menade du: Hässelby torg (hasselby-torg)?" in text
    assert "p000" not in text and "115 platser" in text


def test_nothing_alike_suggests_nothing():
    text = base.unknown_place("Atlantis", DESO)
    assert "Menade du" not in text and text.startswith("Okänd plats: 'Atlantis'. Kända platser:")


def test_the_cli_says_it_with_exit_code_2(demo_store_path):
    run = subprocess.run([sys.executable, "-m", "lagesbild", "--db", str(demo_store_path), "compare",
                          "--place", "haselby torg"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert "Okänd plats: 'haselby torg'. Menade du: Hässelby torg (hasselby-torg)" in run.stderr + run.stdout
    assert "Traceback" not in run.stderr
