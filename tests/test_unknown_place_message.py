"""An unknown place's refusal says where the name was looked for: the store and the built-in geography.

Since files resolve places against the built-in geography too (b54b7ca), a fresh store's refusal
"okänd plats: inga platser är inlästa ännu" told a user to read a places file first, though "Vårberg"
or "Göteborg" would have been found without one. It now says the name is not among the built-in places
(which kinds) either, in a fresh store and in one with places.
"""

from __future__ import annotations

from tests.test_cli import run

PLAN = """prioriterade områden:
  - namn: Platssamverkan
    aktiviteter:
      - id: a1
        aktivitet: Platssamverkan
        plats: {place}
        start: 2020-09-01
"""


def _ingest(tmp_path, db, place):
    path = tmp_path / f"plan-{place}.yaml"
    path.write_text(PLAN.format(place=place), encoding="utf-8")
    return run("ingest", "activities", path, "--no-progress", db=db)


def test_fresh_store_refusal_names_the_built_in_places(tmp_path):
    res = _ingest(tmp_path, tmp_path / "x.sqlite", "Okändaplatsen")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert 'värde "Okändaplatsen": okänd plats: namnet finns inte bland de inbyggda platserna' in res.stderr
    assert "Sveriges kommuner och län" in res.stderr
    assert "inga platser är inlästa ännu" not in res.stderr


def test_store_with_places_refusal_names_both_and_lists_stored_places(tmp_path):
    db = tmp_path / "x.sqlite"
    assert _ingest(tmp_path, db, "Vårberg").returncode == 0  # a built-in place, now stored
    res = _ingest(tmp_path, db, "Okändaplatsen")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "namnet finns varken bland de inlästa platserna eller bland de inbyggda" in res.stderr
    assert "använd en av: " in res.stderr and "varberg" in res.stderr
