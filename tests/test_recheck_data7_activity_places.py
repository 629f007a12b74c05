"""An action plan naming a built-in place (Vårberg, a stadsdel; Skärholmen, a stadsdelsområde) was refused
in a fresh store — "okänd plats: inga platser är inlästa ännu" — while a crime or survey file naming the
same place was accepted (README: a place named in any file is looked up in the file, the store, then the
built-in geography). Activities now resolve as the other kinds do, and a place they add counts the
incidents already stored in it."""

from __future__ import annotations

from lagesbild.store import Store
from tests.test_cli import run

PLAN = """prioriterade områden:
  - namn: Platssamverkan
    aktiviteter:
      - id: vb-samverkan
        aktivitet: Platssamverkan Vårberg
        plats: Vårberg
        start: 2020-09-01
      - id: skh-vandring
        aktivitet: Trygghetsvandring
        plats: [Skärholmen]
        löptid: 2021-01-01 – 2021-12-31
"""


def _plan(tmp_path, text=PLAN):
    path = tmp_path / "atgardsplan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_fresh_store_takes_an_action_plan_naming_built_in_places(tmp_path):
    db = tmp_path / "x.sqlite"
    res = run("ingest", "activities", _plan(tmp_path), "--no-progress", db=db)
    assert res.returncode == 0, res.stderr
    store = Store(f"sqlite:///{db}")
    links = store.activity_places()
    acts = store.activities()
    assert sorted(acts["activity_id"]) == ["skh-vandring", "vb-samverkan"]
    places = set(store.places()["place_id"])
    assert {"varberg", "skarholmen"} <= places
    assert sorted(zip(links["activity_id"], links["place_id"], strict=True)) == [
        ("skh-vandring", "skarholmen"), ("vb-samverkan", "varberg")]


def test_an_unknown_place_is_still_refused_and_nothing_is_written(tmp_path):
    db = tmp_path / "x.sqlite"
    res = run("ingest", "activities", _plan(tmp_path, PLAN.replace("[Skärholmen]", "[Okändaplatsen]")),
              "--no-progress", db=db)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert 'kolumn "plats", värde "Okändaplatsen": okänd plats' in res.stderr
    if db.exists():
        store = Store(f"sqlite:///{db}")
        assert store.activities().empty
        assert "varberg" not in set(store.places()["place_id"])


def test_incidents_stored_before_count_for_the_place_the_plan_adds(tmp_path):
    """Three incidents inside Vårberg (points taken from the built-in shape), read before any place."""
    from lagesbild.sources.geography import builtin_places

    shape = builtin_places().set_index("place_id").loc["varberg", "geometry"]
    p = shape.representative_point()
    inc = tmp_path / "brott.csv"
    inc.write_text("Id;Datum;Brottskategori;E;N\n" + "".join(
        f"H-{i};2021-03-{10 + i} 12:00;Skadegörelse;{p.x:.1f};{p.y:.1f}\n" for i in range(3)), encoding="utf-8")
    db = tmp_path / "x.sqlite"
    assert run("ingest", "incidents", inc, "--no-progress", db=db).returncode == 0
    res = run("ingest", "activities", _plan(tmp_path), "--no-progress", db=db)
    assert res.returncode == 0, res.stderr
    counts = Store(f"sqlite:///{db}").monthly_counts(place_ids=["varberg"])
    assert int(counts[counts["category"] == "skadegorelse"]["count"].sum()) == 3
