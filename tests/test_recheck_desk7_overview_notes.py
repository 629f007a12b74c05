"""Översikt and ``lagesbild overview`` say the tests' dispersion once, with the range of its factors.

Each place × category comparison carries its own quasi-Poisson sentence ("Testet tar hänsyn till att
antalen varierar 1,2 gånger mer än slumpen"), naming neither place nor category. At desk7's fictitious
Huddinge store (five places, six categories) the page listed three such sentences (1,2, 1,1, 1,4) and
cut two (it shows three general notes), and the CLI printed the same three. The reference factors are
read from the JSON rows' own notes (the analysis layer), not from the merging under test.
"""

from __future__ import annotations

import json
import re

import numpy as np

from tests.test_cli import run

PLACES = ["Vårberg", "Bredäng", "Sätra", "Skärholmen"]
CATS = {"Skadegörelse": 30, "Narkotikabrott": 12, "Inbrott": 8}
FACTOR = re.compile(r"varierar (\d+(?:,\d+)?) gånger mer än slumpen")


def _store(tmp_path):
    rng = np.random.default_rng(11)
    months = [f"{2021 + (8 + i) // 12}-{(8 + i) % 12 + 1:02d}" for i in range(36)]
    lines = []
    for p_i, place in enumerate(PLACES):
        for c_i, (cat, mean) in enumerate(CATS.items()):
            # gamma-mixed Poisson: a different overdispersion per place and category
            shape = 4 + 6 * ((p_i + c_i) % 4)
            for m in months:
                lines.append(f"{place};{cat};{m};{rng.poisson(rng.gamma(shape, mean / shape))}\n")
    crimes = tmp_path / "brott.csv"
    crimes.write_text("Område;Brottskategori;Månad;Antal\n" + "".join(lines), encoding="utf-8")
    db = tmp_path / "x.sqlite"
    res = run("ingest", "crimes", crimes, "--no-progress", db=db)
    assert res.returncode == 0, res.stderr
    return db


def _reference_factors(db) -> list[str]:
    res = run("overview", "--format", "json", db=db)
    assert res.returncode == 0, res.stderr
    found = {m for row in json.loads(res.stdout) for m in FACTOR.findall(row.get("note") or "")}
    return sorted(found, key=lambda f: float(f.replace(",", ".")))  # as the notes write them


def test_cli_overview_says_the_dispersion_once_with_its_range(tmp_path):
    db = _store(tmp_path)
    factors = _reference_factors(db)
    assert len(factors) >= 3  # the data give several different factors (the case of the defect)
    res = run("overview", db=db)
    assert res.returncode == 0, res.stderr
    said = [line for line in res.stdout.splitlines() if "gånger" in line and "slumpen" in line]
    assert len(said) == 1, said
    assert f"{factors[0]}–{factors[-1]} gånger" in said[0]


def test_overview_page_says_the_dispersion_once_with_its_range(tmp_path, monkeypatch):
    db = _store(tmp_path)
    factors = _reference_factors(db)
    monkeypatch.setenv("LAGESBILD_DB", str(db))
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(tmp_path))
    from lagesbild.ingest import open_store
    from lagesbild.settings import load_settings
    from lagesbild.web.views.overview import overview_view

    settings = load_settings()
    text = json.dumps(overview_view(open_store(settings), settings), default=lambda o: o.to_plotly_json(),
                      ensure_ascii=False)
    assert len(re.findall(r"gånger mer än slumpen|slumpen \(kvasi-Poisson\): ", text)) == 1
    assert f"{factors[0]}–{factors[-1]} gånger" in text
