"""Mappings made in the browser (lagesbild.ingest.mappings, web/views/datamapping.py).

The saved mapping is a file the CLI's ``--mapping`` takes as it is: the same file read in through the
browser's path (form choices -> mapping -> "Läs in") and through ``lagesbild ingest crimes --mapping``
with the saved YAML gives the same stored rows. The form's choices are fuzzed with hypothesis: any input
either gives a mapping that survives its YAML round trip unchanged or a Swedish InputError.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.ingest import open_store
from lagesbild.ingest.mappings import (
    COLUMN_LABELS,
    SavedMappings,
    build_mapping,
    check_mapping,
    mapping_needs,
    mapping_yaml,
)
from lagesbild.settings import load_settings
from lagesbild.sources.mapping import load_mapping
from lagesbild.sources.yamllines import load_yaml
from lagesbild.web.views import data as view
from lagesbild.web.views import datamapping as mapview

HEADER = "Område;Brottsgrupp;Månad;Antal anmälda;Kommentar\n"
ROWS = [("Fickstöld på torget", 4), ("Bus och klotter", 5), ("Snatteri i butik X", 2),
        ("Snatteri i butik Y", 3), ("Okänt övrigt", 7)]
COLUMN_CHOICES = ["category", "count", "ignorera"]  # Brottsgrupp, Antal anmälda, Kommentar
CATEGORY_CHOICES = {"Bus och klotter": "skadegorelse", "Fickstöld på torget": "stold",
                    "Okänt övrigt": "ignorera", "Snatteri i butik X": "tillgrepp_butik",
                    "Snatteri i butik Y": "tillgrepp_butik"}


def _file(path, month="2021-01"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "".join(f"Hässelby-Vällingby;{t};{month};{n};x\n" for t, n in ROWS),
                    encoding="utf-8")
    return path


def _settings(folder):
    folder.mkdir(parents=True, exist_ok=True)
    return load_settings({}, data_dir=str(folder), db=str(folder / "lb.sqlite"))


def _rows(store) -> list[tuple]:
    """Stored crime rows without their row and ingest numbers."""
    return sorted(r[1:8] for r in store.dump()["crime_counts"])


def test_the_form_asks_columns_then_categories_with_same_family_suggestions(tmp_path):
    path = _file(tmp_path / "brott.csv")
    needs = mapping_needs("crimes", path)
    assert needs.unknown_columns == ["Brottsgrupp", "Antal anmälda", "Kommentar"]
    assert needs.missing == ["category", "count"] and needs.needed
    mapping = build_mapping("crimes", dict(zip(needs.unknown_columns, COLUMN_CHOICES, strict=True)), {})
    needs = mapping_needs("crimes", path, mapping)
    assert needs.missing == [] and needs.unknown_columns == ["Kommentar"]
    assert needs.unknown_categories == sorted(CATEGORY_CHOICES)
    assert needs.suggestions == {"Bus och klotter": "skadegorelse", "Fickstöld på torget": "stold",
                                 "Okänt övrigt": None, "Snatteri i butik X": "tillgrepp_butik",
                                 "Snatteri i butik Y": "tillgrepp_butik"}
    full = build_mapping("crimes", {}, CATEGORY_CHOICES, mapping)
    assert not mapping_needs("crimes", path, full).needed


def test_a_saved_mapping_is_found_for_the_same_header_only_and_can_be_forgotten(tmp_path):
    book = SavedMappings(tmp_path)
    mapping = build_mapping("crimes", {"Brottsgrupp": "category", "Antal anmälda": "count"},
                            CATEGORY_CHOICES)
    headers = ["Område", "Brottsgrupp", "Månad", "Antal anmälda", "Kommentar"]
    path = book.save("Polisen brott/Söder", "crimes", headers, mapping)
    assert path == tmp_path / "mappningar" / "polisen-brott-soder.yaml"
    # the same shape, written differently (case, accents, spaces), finds it; another shape does not
    assert book.find("crimes", ["OMRADE", "brottsgrupp", "manad", "Antal  anmälda", "kommentar"]) == (
        "polisen-brott-soder", mapping)
    assert book.find("crimes", headers[:-1]) is None
    assert book.find("survey", headers) is None
    # the file on disk is exactly what the CLI reads
    assert load_mapping(str(path)) == replace(load_mapping(mapping), source=str(path))
    assert book.forget("polisen-brott-soder") and book.find("crimes", headers) is None
    assert not book.forget("polisen-brott-soder")


@pytest.mark.parametrize(("text", "says"), [
    ("kolumner: {place: Ort}\n", "okända nycklar i mappningsfilen: kolumner"),
    ("columns: {plats: Ort}\n", "okända kolumner i mappningen: plats"),
    ("categories: {Bus: hyss}\n", "kategorin 'hyss' som 'Bus' ska mappas till finns inte"),
    ("columns: [place, Ort]\n", "columns: ska vara en lista"),
])
def test_a_hand_edited_saved_mapping_is_held_to_the_rules_of_a_mapping_file(tmp_path, text, says):
    book = SavedMappings(tmp_path)
    book.save("egen", "crimes", ["A", "B"], {"categories": {"Bus": "skadegorelse"}})
    book.path("egen").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        book.find("crimes", ["A", "B"])
    assert says in exc.value.reason


def test_the_browser_path_and_the_cli_with_the_saved_yaml_store_the_same_rows(tmp_path, monkeypatch):
    from lagesbild.cli import main

    web_settings = _settings(tmp_path / "webb")
    web_store = open_store(web_settings)
    path = _file(tmp_path / "webb" / "uppladdningar" / "brott.csv")
    # the browser: the form's state, the user's choices, "Läs in" (the page's own functions)
    state = mapview.analyse(web_settings, "crimes", path, "brott.csv", "brottskalla")
    assert state["show"] and state["columns"] == ["Brottsgrupp", "Antal anmälda", "Kommentar"]
    mapping = mapview.apply_choices(state, COLUMN_CHOICES, [])
    state = mapview.revise(state, mapping, COLUMN_CHOICES, [])
    mapping = mapview.apply_choices(state, COLUMN_CHOICES,
                                    [CATEGORY_CHOICES[t] for t in state["categories"]])
    pending = {"path": str(path), "kind": "crimes", "name": "brott.csv", "source": "brottskalla",
               "mapping": mapping, "save": {"name": state["save_as"], "headers": state["headers"]}}
    _component, changed = view.commit_upload(web_store, pending)
    assert changed
    mapview.save_after_commit(web_settings, pending)
    saved = SavedMappings(web_settings.data_dir).path("brottskalla")
    assert saved.exists()

    # the CLI, in a fresh store, with the saved YAML as --mapping
    cli_settings = _settings(tmp_path / "cli")
    monkeypatch.setenv("LAGESBILD_DB", cli_settings.db)
    code = main(["ingest", "crimes", str(_file(tmp_path / "cli" / "brott.csv")), "--source",
                 "brottskalla", "--mapping", str(saved), "--no-progress"])
    assert code == 0
    web_rows, cli_rows = _rows(web_store), _rows(open_store(cli_settings))
    assert web_rows == cli_rows
    # two texts into one category are summed, an ignored one is left out
    assert sorted((r[2], r[5]) for r in web_rows) == [("skadegorelse", 5), ("stold", 4),
                                                      ("tillgrepp_butik", 5)]


def test_the_next_file_of_the_same_shape_gets_the_saved_mapping_and_no_form(tmp_path):
    settings_ = _settings(tmp_path)
    book = SavedMappings(settings_.data_dir)
    book.save("polisen-brott", "crimes", HEADER.strip().split(";"),
              build_mapping("crimes", {"Brottsgrupp": "category", "Antal anmälda": "count"},
                            CATEGORY_CHOICES))
    state = mapview.analyse(settings_, "crimes", _file(tmp_path / "feb.csv", "2021-02"), "feb.csv",
                            None)
    assert state["saved"] == "polisen-brott" and not state["show"]
    assert state["base"]["categories"] == CATEGORY_CHOICES


def test_two_headers_for_one_column_are_refused_in_swedish():
    with pytest.raises(InputError) as exc:
        build_mapping("crimes", {"A": "category", "B": "category"}, {})
    assert "'Brottskategori' är vald för både 'A' och 'B'" in exc.value.reason


CANONICAL = st.sampled_from([*COLUMN_LABELS["crimes"], "ignorera", "", None])
TARGETS = st.one_of(st.sampled_from(["skadegorelse", "Skadegörelse", "ignorera", "stold", "", None]),
                    st.text(max_size=12))
TEXTS = st.text(max_size=40)


@settings(deadline=None, max_examples=150)
@given(st.lists(TEXTS, max_size=6, unique=True), st.lists(CANONICAL, max_size=6),
       st.lists(TEXTS, max_size=6, unique=True), st.lists(TARGETS, max_size=6),
       st.lists(st.one_of(st.none(), st.text(max_size=30)), max_size=1))
def test_the_form_input_gives_a_cli_mapping_or_a_swedish_refusal(headers, columns, texts, targets, place):
    state = {"kind": "crimes", "columns": headers, "categories": texts, "base": {},
             "constants": ["place"]}
    try:
        mapping = mapview.apply_choices(state, columns, targets, place)
    except InputError as err:
        assert err.reason and "Traceback" not in err.reason
        return
    # what the form gives is what the CLI reads back from its YAML, and it is valid there too
    again = load_yaml(mapping_yaml(mapping), "m.yaml") or {}
    assert again == mapping
    assert check_mapping("crimes", again) == mapping
    spec = load_mapping(again)
    assert len(set(spec.columns.values())) == len(spec.columns)
    assert set(spec.columns) <= set(COLUMN_LABELS["crimes"])


@pytest.mark.parametrize("name", ["bra/bra_boden_manad.csv", "bra/bra_omraden_ar.csv", "brott_ar.tsv"])
def test_files_the_readers_recognise_ask_for_nothing(name):
    """Title lines are not taken for the header, and Brå's own layouts are known column by column."""
    needs = mapping_needs("crimes", Path(__file__).parent / "data" / name)
    assert not needs.needed and needs.missing == [] and needs.unknown_categories == []
    assert "category" in needs.matched or name.startswith("bra/")


def test_a_file_without_a_place_column_is_given_its_place_in_the_form(tmp_path):
    """brott_bred.csv names its place in a title line only: the form asks for the place of all rows."""
    from lagesbild.ingest import validate_file

    path = Path(__file__).parent / "data" / "brott_bred.csv"
    state = mapview.analyse(_settings(tmp_path), "crimes", path, path.name, None)
    assert state["show"] and state["missing"] == ["place"] and state["constants"] == ["place"]
    assert state["columns"] == ["Totalt"] and state["categories"] == []
    mapping = mapview.apply_choices(state, ["ignorera"], [], ["  Hässelby-Vällingby "])
    assert mapping == {"constants": {"place": "Hässelby-Vällingby"}}
    report = validate_file(open_store(_settings(tmp_path / "s")), "crimes", path, mapping=mapping)
    assert report.accepted > 0 and report.errors == []


def test_a_survey_file_mapped_in_the_form_validates(tmp_path):
    from lagesbild.ingest import validate_file

    path = tmp_path / "trygghet.csv"
    path.write_text("Geografi X;År;Indikator;Andel;Svarande\n"
                    "Hässelby-Vällingby;2021;Otrygg utomhus sent en kväll;0,23;230\n", encoding="utf-8")
    needs = mapping_needs("survey", path)
    assert needs.missing == ["area"] and needs.unknown_columns == ["Geografi X"]
    mapping = build_mapping("survey", {"Geografi X": "area"}, {})
    store = open_store(_settings(tmp_path / "s"))
    report = validate_file(store, "survey", path, mapping=mapping)
    assert (report.accepted, report.errors) == (1, [])


NASTY = sorted(p for p in (Path(__file__).parent / "data" / "nasty").iterdir()
               if p.suffix in (".csv", ".xlsx"))


@pytest.mark.parametrize("kind", ["crimes", "survey", "incidents"])
@pytest.mark.parametrize("path", NASTY, ids=lambda p: p.name)
def test_nasty_files_give_the_form_or_a_swedish_refusal(tmp_path, path, kind):
    try:
        state = mapview.analyse(_settings(tmp_path), kind, path, path.name, None)
    except InputError as err:
        assert err.reason
        return
    assert set(state["columns"]) <= set(state["headers"])


@settings(deadline=None, max_examples=120)
@given(st.binary(max_size=400) | st.text(alphabet=";,\t\n\"#åäö Ab1-.", max_size=300).map(
    lambda t: t.encode("utf-8")))
def test_the_header_finder_never_fails_with_a_traceback(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fil.csv"
        path.write_bytes(data)
        try:
            needs = mapping_needs("crimes", path)
        except InputError as err:
            assert err.reason
            return
        assert set(needs.unknown_columns) <= set(needs.headers)


def test_a_file_with_a_title_line_is_matched_by_its_header_row(tmp_path):
    """The header the form asks about is the row with the columns, not the title above it, and the
    saved mapping is found again for the next file with the same title and header."""
    settings_ = _settings(tmp_path)
    text = "Anmälda brott, Boden, 2021\n\n" + HEADER + "Boden;Bus och klotter;2021-01;5;\n"
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(text, encoding="utf-8")
    second.write_text(text.replace("2021-01", "2021-02"), encoding="utf-8")
    state = mapview.analyse(settings_, "crimes", first, "a.csv", "boden")
    assert state["headers"] == HEADER.strip().split(";")
    mapping = mapview.apply_choices(state, COLUMN_CHOICES, [])
    SavedMappings(settings_.data_dir).save(state["save_as"], "crimes", state["headers"], mapping)
    again = mapview.analyse(settings_, "crimes", second, "b.csv", "boden")
    assert again["saved"] == "boden" and again["headers"] == state["headers"]
    # the saved columns are applied; the category text the mapping does not name is still asked
    assert again["columns"] == ["Kommentar"] and again["missing"] == []
    assert again["categories"] == ["Bus och klotter"] and again["show"]


@pytest.mark.parametrize(("district", "ok"), [("Hässelby-Vällingby", True), ("Atlantis", False)])
def test_a_places_file_uploaded_resolves_its_districts_as_the_cli_does(tmp_path, district, ok):
    """The Data page's check of a places file: a district of the built-in geography is accepted in a
    fresh store; an unknown one is a rejected row with a Swedish reason, and nothing is written."""
    import json

    from tests.test_web_callbacks import by_id

    ring = [[17.84, 59.36], [17.844, 59.36], [17.844, 59.362], [17.84, 59.362], [17.84, 59.36]]
    path = tmp_path / "platser.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"id": "provtorget", "namn": "Provtorget", "stadsdelsområde": district}}]}),
        encoding="utf-8")
    store = open_store(_settings(tmp_path / "s"))
    before = store.dump()
    report, can = view.validate_upload(store, "places", path, name="platser.geojson")
    assert can is ok and store.dump() == before
    if not ok:
        errors = by_id(report, "upload-errors").data
        assert [(e["Rad"], e["Värde"]) for e in errors] == [("1", "Atlantis")]
        assert errors[0]["Orsak"].startswith("okänt stadsdelsområde")
        return
    _component, changed = view.commit_upload(store, {"path": str(path), "kind": "places",
                                                     "name": "platser.geojson"})
    places = store.places().set_index("place_id")
    assert changed and places.loc["provtorget", "district_id"] == "hasselby-vallingby"


def test_an_xlsx_file_with_a_title_row_is_asked_the_same_as_a_csv(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["Anmälda brott i Boden"], [], HEADER.strip().split(";"),
                ["Boden", "Bus och klotter", "2021-01", 5, ""]):
        sheet.append(row)
    path = tmp_path / "brott.xlsx"
    book.save(path)
    needs = mapping_needs("crimes", path)
    assert needs.headers == HEADER.strip().split(";") and needs.missing == ["category", "count"]
    mapping = build_mapping("crimes", dict(zip(needs.unknown_columns, COLUMN_CHOICES, strict=True)), {})
    assert mapping_needs("crimes", path, mapping).unknown_categories == ["Bus och klotter"]
