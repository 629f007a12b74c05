""""Alla valda kategorier" at a place whose months come from two sources is the total of the chosen
categories, not of every category of the place.

A place with a police monthly file for two Sep–Aug years and an incident file for the next takes the
comparison path that builds its family itself (analysis/comparison._compared). With categories chosen
its "alla" row was taken from the place's whole table, whose total of every category shares the key:
Plats and ``compare`` showed the place's total (all three categories here) as "Alla valda kategorier",
and a whole year "data saknas för 24 månader". The expected totals are summed by hand from the files.
"""

from __future__ import annotations

import json

from tests.test_cli import run

MONTHLY = {"Personrån": 2, "Skadegörelse": 5, "Narkotikabrott": 30}  # per month, Sep 2021 – Aug 2023
DAILY = {"Personrån": 11, "Skadegörelse": 3, "Narkotikabrott": 1}  # one incident a month, on this day


def _store(tmp_path):
    from lagesbild.sources.geography import builtin_places

    months = [f"{2021 + (8 + i) // 12}-{(8 + i) % 12 + 1:02d}" for i in range(24)]
    crimes = tmp_path / "brott.csv"
    crimes.write_text("Område;Brottskategori;Månad;Antal\n" + "".join(
        f"Vårberg;{c};{m};{n}\n" for m in months for c, n in MONTHLY.items()), encoding="utf-8")
    point = builtin_places().set_index("place_id").loc["varberg", "geometry"].representative_point()
    rows, i = [], 0
    for k in range(12):  # Sep 2023 – Aug 2024: one incident of each category on its day of every month
        year, month = 2023 + (8 + k) // 12, (8 + k) % 12 + 1
        for c, day in DAILY.items():
            i += 1
            rows.append(f"H-{i};{year}-{month:02d}-{day:02d} 12:00;{c};{point.x:.1f};{point.y:.1f}\n")
    incidents = tmp_path / "handelser.csv"
    incidents.write_text("Id;Datum;Brottskategori;E;N\n" + "".join(rows), encoding="utf-8")
    db = tmp_path / "x.sqlite"
    for kind, path in (("crimes", crimes), ("incidents", incidents)):
        res = run("ingest", kind, path, "--no-progress", "--extracted", "2024-10-15", db=db)
        assert res.returncode == 0, res.stderr
    return db


def test_chosen_total_is_the_sum_of_the_chosen_categories(tmp_path):
    db = _store(tmp_path)
    res = run("compare", "--place", "varberg", "--periods", "2021–2022", "2022–2023", "2023–2024",
              "--category", "personran", "skadegorelse", "--format", "json", db=db)
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    total = {(r["period_a"], r["period_b"]): r for r in rows if r["category"] == "alla"}
    assert set(total) == {("2021–2022", "2022–2023"), ("2022–2023", "2023–2024")}
    # by hand: 12 months × (2 + 5) in each police year; 12 × (1 + 1) incidents in 2023–2024
    first, second = total[("2021–2022", "2022–2023")], total[("2022–2023", "2023–2024")]
    assert (first["count_a"], first["count_b"]) == (84, 84)
    assert (second["count_a"], second["count_b"]) == (84, 24)
    for row in total.values():
        assert "data saknas" not in row["verdict"]
    assert second["verdict"].startswith("kan inte bedömas: perioderna kommer från olika källor")
