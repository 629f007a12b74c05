"""Plats' before/after notes name the rows a note is about when one activity's rows share the first
column. At Trångsunds centrum (desk7's fictitious store) the incident categories start six months before
the activity, the monthly ones years before: "Data täcker bara 6 månader före start; båda fönstren har
kortats till 6 månader" stood under the table as if of every row, while four of seven rows compare 12
months. Which categories are short is known from the files the test writes (incidents from Sep 2023,
the activity from Mar 2024).
"""

from __future__ import annotations

from tests.test_cli import run


def _store(tmp_path):
    from lagesbild.sources.geography import builtin_places

    months = [f"{2022 + (8 + i) // 12}-{(8 + i) % 12 + 1:02d}" for i in range(36)]  # Sep 2022 – Aug 2025
    crimes = tmp_path / "brott.csv"  # FIKTIVA SIFFROR
    crimes.write_text("Område;Brottskategori;Månad;Antal\n" + "".join(
        f"Vårberg;Skadegörelse;{m};{20 + i % 5}\n" for i, m in enumerate(months)), encoding="utf-8")
    point = builtin_places().set_index("place_id").loc["varberg", "geometry"].representative_point()
    rows = [f"H-{k};{m}-{1 + k % 27:02d} 12:00;Personrån;{point.x:.1f};{point.y:.1f}\n"
            for k, m in enumerate(months[12:])]  # Sep 2023 – Aug 2025
    incidents = tmp_path / "handelser.csv"
    incidents.write_text("Id;Datum;Brottskategori;E;N\n" + "".join(rows), encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text("- id: va-belysning\n  aktivitet: Belysning (FIKTIV)\n  plats: [varberg]\n"
                    "  löptid: 2024-03-01 – 2025-06-30\n", encoding="utf-8")
    db = tmp_path / "x.sqlite"
    for kind, path in (("crimes", crimes), ("incidents", incidents), ("activities", plan)):
        res = run("ingest", kind, path, "--no-progress", "--extracted", "2025-09-10", db=db)
        assert res.returncode == 0, res.stderr
    return db


def test_a_shortened_window_note_names_its_rows(tmp_path, monkeypatch):
    db = _store(tmp_path)
    monkeypatch.setenv("LAGESBILD_DB", str(db))
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(tmp_path))
    from lagesbild.analysis.place import place_effects
    from lagesbild.figures.effects_table import make_effects_table
    from lagesbild.figures.tables import comparison_notes
    from lagesbild.ingest import open_store
    from lagesbild.settings import load_settings

    settings = load_settings()
    store = open_store(settings)
    raw = place_effects(store, settings, "varberg")
    names = {"skadegorelse": "Skadegörelse", "personran": "Personrån"}
    notes = comparison_notes(make_effects_table(raw, category_names=names))
    short = [n for n in notes if "Data täcker bara 6 månader före start" in n]
    assert len(short) == 1, notes
    who = short[0].split(": Data täcker")[0]
    assert "Personrån" in who
    assert "Skadegörelse" not in who  # 12 months before and after: not shortened


def test_cli_effect_gives_each_row_its_own_windows_and_names_the_rows_of_a_note(tmp_path):
    """``lagesbild effect`` headed the table "Före: mar 2023–feb 2024   Efter: mar 2024–feb 2025" (the
    first row's windows) while Personrån's counts were of sep 2023–feb 2024 and mar 2024–aug 2024, and
    printed the shortening note without its rows."""
    db = _store(tmp_path)
    res = run("effect", "--activity", "va-belysning", db=db)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert not any(line.startswith("Före: mar 2023–feb 2024") for line in lines)
    # by hand: Personrån from Sep 2023 → 6 months before the 1 Mar 2024 start, and as many after
    personran = next(line for line in lines if line.startswith("Personrån"))
    assert "(sep 2023–feb 2024)" in personran and "(mar 2024–aug 2024)" in personran
    skadegorelse = next(line for line in lines if line.startswith("Skadegörelse"))
    assert "(mar 2023–feb 2024)" in skadegorelse and "(mar 2024–feb 2025)" in skadegorelse
    short = [line for line in lines if "Data täcker bara 6 månader före start" in line]
    assert len(short) == 1 and "(gäller Personrån, Alla valda kategorier)" in short[0]
