"""Tests for the category vocabulary (lagesbild/data/categories.yaml) and lagesbild.sources.categories."""

from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from lagesbild.errors import InputError
from lagesbild.sources.categories import VOCABULARY_FILE, load_vocabulary, normalise, resolve, unknown_error


@pytest.mark.parametrize("text,expected", [
    ("Narkotika", "narkotikabrott"), ("Narkotikabrottslighet", "narkotikabrott"),
    ("narkotikabrott", "narkotikabrott"), ("Eget bruk", "narkotikabrott"), ("drugs", "narkotikabrott"),
    ("Våld i offentlig miljö", "vald_offentlig_miljo"), ("VALD I OFFENTLIG MILJO", "vald_offentlig_miljo"),
    ("Våld i nära relation", "vald_nara_relation"), ("Personrån", "personran"),
    ("Rån mot person", "personran"), ("Bedrägeri mot äldre", "bedrageri_aldre"),
    ("Bedrägeribrott mot äldre/funktionsnedsatta", "bedrageri_aldre"),
    ("Skadegörelse", "skadegorelse"), ("Klotter", "skadegorelse"),
    ("Skadegörelse genom klotter", "skadegorelse"), ("Tillgrepp i butik", "tillgrepp_butik"),
    ("Butiksstöld", "tillgrepp_butik"), ("stöld i butik, varuhus o.d.", "tillgrepp_butik"),
    ("Snatteri", "tillgrepp_butik"), ("Våldsbrott", "valdsbrott"), ("Misshandel", "misshandel"),
    ("Inbrott", "inbrott"), ("Bostadsinbrott", "inbrott"), ("Inbrott i bostad", "inbrott"),
    ("Olaga hot", "olaga_hot"), ("Stöld", "stold"), ("Rån", "ran"), ("Sexualbrott", "sexualbrott"),
    ("Bilbrott", "bilbrott"),
])
def test_aliases_from_the_sources(text, expected):
    mapping, unknown = resolve([text])
    assert mapping == {text: expected} and unknown == []


def test_vocabulary_shape():
    vocab = load_vocabulary()
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    ids = [c["id"] for c in data["categories"]]
    assert len(ids) == len(set(ids)) == len(vocab.categories)
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids)
    sensitive = {cid for cid, c in vocab.categories.items() if c.sensitive}
    assert sensitive == {"vald_nara_relation", "sexualbrott"}
    assert vocab.categories["vald_offentlig_miljo"].name == "Våld i offentlig miljö"
    # misshandel is its own category, not an alias of valdsbrott
    assert resolve(["Misshandel"])[0]["Misshandel"] != "valdsbrott"
    # every alias normalises to a key owned by exactly one category
    owners = {}
    for c in data["categories"]:
        for alias in [c["id"], c["name"], *c["aliases"]]:
            assert owners.setdefault(normalise(alias), c["id"]) == c["id"], alias


def test_duplicate_alias_in_vocabulary_is_refused(tmp_path):
    path = tmp_path / "kategorier.yaml"
    path.write_text("categories:\n- {id: a, name: A, aliases: [Klotter]}\n"
                    "- {id: b, name: B, aliases: [klotter]}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="klotter"):
        load_vocabulary(path)


def test_normalise():
    assert normalise("  Skadegörelse/KLOTTER  ") == "skadegorelse klotter"
    assert normalise("Stöld i butik, varuhus o.d.") == "stold i butik varuhus o d"
    assert normalise(None) == ""


def test_resolve_unknown_and_extra_aliases():
    values = ["Bus", "Narkotika", "bus", "Ringa klotter på tåg", "Bus"]
    mapping, unknown = resolve(values)
    assert mapping == {"Narkotika": "narkotikabrott"}
    assert unknown == ["Bus", "bus", "Ringa klotter på tåg"]
    mapping, unknown = resolve(values, {"BUS": "skadegorelse", "Ringa klotter på tåg": "Klotter"})
    assert unknown == [] and set(mapping.values()) == {"skadegorelse", "narkotikabrott"}
    with pytest.raises(InputError, match="finns inte"):
        resolve(values, {"Bus": "ofog"})


def test_unknown_error_lists_every_value_and_how_to_map():
    err = unknown_error("brott.csv", "Brottstyp", {"Bus": (3, 4), "Ofog i trappa": (1, 9)})
    text = err.message()
    assert err.line is None and err.column == "Brottstyp"
    assert '"Bus" (3 rader, första på rad 4)' in text
    assert '"Ofog i trappa" (1 rad, på rad 9)' in text
    assert "categories:" in text and '"Bus":' in text
    # the known categories by their Swedish names (which a mapping file accepts too), never by id
    assert "Narkotikabrott" in text and "Våld i nära relation" in text
    assert "vald_nara_relation" not in text and "narkotikabrott" not in text
    assert "formuläret på sidan Data" in text


ALIASES = sorted({a for c in load_vocabulary().categories.values() for a in c.aliases})
CHANGES = [str.upper, str.lower, str.title, lambda s: f"  {s} ", lambda s: s.replace(" ", "  ")]


@settings(deadline=None)
@given(st.sampled_from(ALIASES), st.sampled_from(CHANGES))
def test_property_aliases_resolve_regardless_of_case_and_spacing(alias, change):
    expected = resolve([alias])[0][alias]
    assert resolve([change(alias)])[0] == {change(alias): expected}


@settings(deadline=None)
@given(st.text(max_size=30))
def test_property_normalise_is_idempotent_and_ascii(text):
    once = normalise(text)
    assert normalise(once) == once
    assert re.fullmatch(r"(?:[0-9a-z]+(?: [0-9a-z]+)*)?", once)
