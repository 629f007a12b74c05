"""An activity's before/after says when something else changed at the place inside its windows (stats2).

Two activities at Vårberg: platssamverkan from March 2022 (ended 30 September 2022) and cameras from
September 2022. Platssamverkan's after window (Mar 2022 – Feb 2023) holds the cameras' start and five
months after its own end; the cameras' before window (Sep 2021 – Aug 2022) holds platssamverkan's
start. A fall that came with the cameras was read as platssamverkan's effect (and the other way round),
with no word on it. Each row now warns; the tests themselves are unchanged.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from lagesbild.analysis import plan
from lagesbild.core.effects import activity_effects
from lagesbild.ingest import ingest_file

MONTHS = pd.date_range("2019-01-01", "2024-12-01", freq="MS")


def _monthly(rng):
    rows = []
    for place, mean in (("varberg", 30), ("skarholmen", 300)):
        level = np.where(MONTHS >= "2022-09-01", 0.6, 1.0) if place == "varberg" else np.ones(len(MONTHS))  # cameras work
        rows += [(place, "skadegorelse", m, int(c)) for m, c in zip(MONTHS, rng.poisson(mean * level), strict=True)]
    return pd.DataFrame(rows, columns=["place_id", "category", "month", "count"])


ACTS = pd.DataFrame({"activity_id": ["samverkan", "kameror", "tidigare"],
                     "aktivitet": ["Platssamverkan Vårberg", "Kameror vid Vårbergs centrum", "Trygghetsvandringar"],
                     "start_date": pd.to_datetime(["2022-03-15", "2022-09-01", "2020-02-01"]),
                     "end_date": pd.to_datetime(["2022-09-30", None, "2020-06-30"]),
                     "open_ended": [False, True, False]})
LINKS = pd.DataFrame({"activity_id": ["samverkan", "kameror", "tidigare"], "place_id": "varberg"})
PLACES = pd.DataFrame({"place_id": ["varberg", "skarholmen"], "district_id": ["skarholmen", None],
                       "name": ["Vårberg", "Skärholmen"], "kind": ["utsatt_omrade", "stadsdelsomrade"]})


def _by_activity(table):
    return {a: " ".join(table.loc[table["activity_id"] == a, "warnings"].astype(str)) for a in ACTS["activity_id"]}


def test_each_activity_names_the_other_one_inside_its_windows_and_its_own_early_end():
    table = activity_effects(_monthly(np.random.default_rng(3)), ACTS, LINKS, PLACES,
                             category="skadegorelse")
    said = _by_activity(table)
    assert "Kameror vid Vårbergs centrum startade 1 sep 2022" in said["samverkan"]
    assert "Aktiviteten avslutades 30 sep 2022, före efterfönstrets slut (28 feb 2023)" in said["samverkan"]
    assert "Platssamverkan Vårberg startade 15 mars 2022" in said["kameror"]
    assert "avslutades 30 sep 2022" in said["kameror"]  # platssamverkan's end lies in the cameras' after window
    assert "Förändringen kan inte skiljas mellan aktiviteterna." in said["kameror"]
    # an activity whose windows (Feb 2019 – Jan 2021) hold neither: only its own end
    assert "Annan aktivitet" not in said["tidigare"]
    assert "Aktiviteten avslutades 30 juni 2020" in said["tidigare"]
    # the tests are as before: the cameras' fall is found, and half of it lies in platssamverkan's window
    assert table.attrs["fdr"]
    found = table[(table["category"] == "skadegorelse")].set_index("activity_id")
    assert found.loc["kameror", "verdict"].startswith("minskning")
    assert found.loc["samverkan", "count_after"] < found.loc["samverkan", "count_before"]


def test_one_activity_asked_alone_still_sees_the_others_of_its_place(places_store, tmp_path):
    """``lagesbild effect --activity`` asks for one activity: the others come from the store."""
    rng = np.random.default_rng(4)
    lines = ["Plats;Brottskategori;Månad;Antal"]
    for row in _monthly(rng).itertuples():
        name = "Vårberg" if row.place_id == "varberg" else "Skärholmen"
        lines.append(f"{name};Skadegörelse;{row.month:%Y-%m};{row.count}")
    (tmp_path / "brott.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(textwrap.dedent("""\
        prioriterade områden:
          - namn: Riktat arbete mot avgränsade platser och utsatta områden
            aktiviteter:
              - id: samverkan
                aktivitet: Platssamverkan Vårberg
                plats: Vårberg
                start: 2022-03-15
                slut: 2022-09-30
              - id: kameror
                aktivitet: Kameror vid Vårbergs centrum
                plats: Vårberg
                start: 2022-09-01
        """), encoding="utf-8")
    for kind, name in (("crimes", "brott.csv"), ("activities", "plan.yaml")):
        report = ingest_file(places_store, kind, tmp_path / name)
        assert report.status == "ok", report.message
    one = plan.activity_effect(places_store, "samverkan", category="skadegorelse")
    said = " ".join(one["warnings"].astype(str))
    assert "Kameror vid Vårbergs centrum startade 1 sep 2022" in said
    assert "Aktiviteten avslutades 30 sep 2022" in said


def test_a_change_of_source_at_the_start_is_warned_of():
    # monthly counts from the police's file until August 2022, incidents (fewer: only those with
    # coordinates) from September: the cameras' "fall" is the change of source
    monthly = _monthly(np.random.default_rng(5))
    monthly["source"] = np.where(monthly["month"] >= "2022-09-01", "polisen-incidenter", "polisen-brott")
    table = activity_effects(monthly, ACTS, LINKS, PLACES, category="skadegorelse")
    said = _by_activity(table)
    assert ("Källbyte: brottsdata före start kommer från polisen-brott, efter start från polisen-incidenter"
            in said["kameror"])
    assert "Källbyte" not in said["tidigare"]  # 2019–2021: one source on both sides
    # platssamverkan's before window (Mar 2021 – Feb 2022) is the file's, its after window both
    assert "efter start från polisen-brott, polisen-incidenter" in said["samverkan"]
