"""Tests for lagesbild.sources.activities: action plans in YAML and XLSX, newer and 2017 templates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lagesbild.errors import InputError, RowError
from lagesbild.sources.activities import (
    COLUMNS,
    FOLLOWUP_COLUMNS,
    NEW_TEMPLATE_FIELDS,
    TEMPLATE_2017_FIELDS,
    parse_activities,
    parse_loptid,
    read_activities,
)

DATA = Path(__file__).parent / "data"
NEW = DATA / "atgardsplan_ny.yaml"
OLD = DATA / "atgardsplan_2017.yaml"
AREA = "Riktat arbete mot avgränsade platser och utsatta områden"


def _line_of(path: Path, text: str, start: int = 1) -> int:
    """1-based number of the first line at or after `start` that contains `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if i >= start and text in line)


def test_new_template_yaml():
    result = read_activities(NEW)
    assert result.errors == []
    table = result.table
    assert list(table.columns) == COLUMNS
    assert table["activity_id"].tolist() == [
        "platssamverkan-hasselby-torg", "starta-platssamverkan-vallingby-centrum",
        "platssamverkan-varberg"]
    assert table["line"].tolist() == [_line_of(NEW, "- id: platssamverkan-hasselby-torg"),
                                      _line_of(NEW, "- aktivitet: Starta"),
                                      _line_of(NEW, "- aktivitet: Platssamverkan Vårberg")]
    assert table["priority_area"].tolist() == [AREA] * 3
    assert table["places"].tolist() == [["Hässelby torg"], ["Vällingby centrum"],
                                        ["vårberg", "Skärholmen centrum"]]
    assert table["start_date"].tolist() == [dt.date(2019, 2, 1), dt.date(2020, 9, 1), dt.date(2020, 9, 1)]
    assert table["end_date"].tolist() == [None, None, dt.date(2021, 12, 31)]
    assert table["open_ended"].tolist() == [True, False, False]
    assert table["template"].tolist() == ["ny"] * 3
    first = table.iloc[0]
    assert first["arbetsgrupp"] == "Befintlig arbetsgrupp"
    assert first["motesfrekvens"] == "1 gång per månad"
    assert first["sammankallande"] == "Förvaltningen"
    assert first["sdf_kontakt"] == "Sammankallande" and first["polis_kontakt"] == "Kommunpolis"
    assert first["ovriga"].startswith("MTR, SL")
    assert first["extra"] == {"löptid": "Start februari 2019, tillsvidare"}
    assert table.iloc[1]["extra"] == {
        "löptid": "En arbetande grupp på plats september 2020",
        "uppföljning": "Uppföljningen samordnas av beredningsgruppen."}
    third = table.iloc[2]
    assert third["ovriga"] == "Stena Fastigheter, Svenska Bostäder"
    assert third["matbara_mal"].startswith("Trygghetsmätning")
    assert third["extra"] == {"Finansiering": "Respektive part bär sina egna personalkostnader"}

    expected = pd.DataFrame({
        "activity_id": ["platssamverkan-hasselby-torg"] * 3 + ["platssamverkan-varberg"],
        "year": [2021] * 4,
        "period": ["T1", "T2", "VB", "T1"],
        "goal_met": ["delvis", "ja", "ja", None],
        "carried_out": ["Två trygghetsvandringar och en städdag.", "Ny belysning vid busshållplatsen.",
                        "Torget rustat.", "Inga möten under T1."],
        "line": [_line_of(NEW, "T1:"), _line_of(NEW, "T2:"), _line_of(NEW, "VB:"),
                 _line_of(NEW, "T1: Inga")],
    })
    pd.testing.assert_frame_equal(result.meta["followups"], expected)


def test_2017_template_yaml_maps_fields_and_keeps_the_rest_in_extra():
    result = read_activities(OLD)
    assert result.errors == []
    table = result.table
    assert table["template"].tolist() == ["2017", "2017"]
    first, second = table.iloc[0], table.iloc[1]
    assert first["aktivitet"] == "Öka den kollektiva förmågan hos allmänheten"
    assert first["arbetsgrupp"] == "Arbetsgruppen för Tryggare och trivsammare centrum"
    assert first["sammankallande"] == "Stadsdelsförvaltning och polis"
    assert first["mal"].startswith("Liljeholmens centrum") and first["malgrupp"].startswith("Boende")
    assert first["polis_kontakt"] == "Kommunpolis" and first["sdf_kontakt"] == "Preventionssamordnare"
    assert first["ovriga"] == "Trafikkontoret, SL, MTR"
    assert first["places"] == ["Liljeholmen"]
    assert first["extra"] == {
        "prioriterade aktiviteter": ["Kommunicera Tyck till appen till allmänheten",
                                     "Sprida information om alkoholförtäringsförbudsområden",
                                     "Erbjuda närmiljövandringar"],
        "polisens åtagande": "Sprida kunskap och delta på möten",
        "SDF:s åtagande": "Sprida kunskap och ansvara för samverkansforumet",
        "finansiering": "Respektive part bär sina egna personalkostnader",
        "kommunikation": "Till allmänheten enligt kommunikationsplan",
        "uppföljning": "Minnesanteckningar från möten, statistik",
    }
    assert second["sammankallande"] == "Polis"  # "Ansvarig" with a capital letter
    assert second["activity_id"] == "planerade-insatser-mot-narkotikabrott-ska-koordineras-mellan"
    assert first["start_date"] is None and not first["open_ended"]
    assert result.meta["followups"].empty
    assert list(result.meta["followups"].columns) == FOLLOWUP_COLUMNS


def test_2017_template_is_detected_per_item_without_mall():
    result = parse_activities([{"Åtgärd": "Helgsamverkan", "Samverkansforum": "Barn och unga"},
                               {"aktivitet": "Trygghetsvandring", "ansvarig": "Polis"}])
    assert result.table["template"].tolist() == ["2017", "ny"]
    assert result.table["arbetsgrupp"].tolist() == ["Barn och unga", None]
    # "ansvarig" is not a field of the newer template: it is kept as written
    assert result.table["extra"].tolist() == [{}, {"ansvarig": "Polis"}]


def test_both_templates_declare_the_mapped_fields():
    assert "åtgärd" in TEMPLATE_2017_FIELDS["aktivitet"]
    assert "samverkansforum" in TEMPLATE_2017_FIELDS["arbetsgrupp"]
    assert "ansvarig" in TEMPLATE_2017_FIELDS["sammankallande"]
    assert "löptid" in NEW_TEMPLATE_FIELDS["loptid"]
    assert "mötesfrekvens" in NEW_TEMPLATE_FIELDS["motesfrekvens"]


BAD_YAML = """\
aktiviteter:
  - id: a
    aktivitet: Första
    löptid: 2020-02-30 – 2021-01-01
  - syfte: Inget namn
  - aktivitet: Tredje
    uppföljning:
      2021:
        T3: {mål uppfyllt: ja}
  - id: a
    aktivitet: Fjärde
  - aktivitet: Femte
    start: snart
    slut: 2019-01-01
  - aktivitet: Sjätte
    start: 2021-05-01
    slut: 2020-01-01
  - aktivitet: Sjunde
    plats: {namn: Vårberg}
  - aktivitet: Åttonde
    uppföljning:
      2021:
        T1: {betyg: 5}
  - aktivitet: Nionde
    löptid: Uppdrag 2020
  - aktivitet: Tionde
    start: 2021-02-29
"""


def test_yaml_errors_point_at_the_line_of_the_field(tmp_path):
    path = tmp_path / "plan.yml"
    path.write_text(BAD_YAML, encoding="utf-8")
    result = read_activities(path)
    assert result.table["aktivitet"].tolist() == ["Nionde"]
    assert result.table["start_date"].tolist() == [dt.date(2020, 1, 1)]
    assert result.table["end_date"].tolist() == [dt.date(2020, 12, 31)]
    got = [(e.line, e.column) for e in result.errors]
    assert got == [
        (_line_of(path, "löptid: 2020-02-30"), "löptid"),
        (_line_of(path, "- syfte: Inget namn"), None),
        (_line_of(path, "T3:"), "T3"),
        (_line_of(path, "- id: a", start=5), "id"),
        (_line_of(path, "start: snart"), "start"),
        (_line_of(path, "slut: 2020-01-01"), "slut"),
        (_line_of(path, "plats: {namn"), "plats"),
        (_line_of(path, "T1: {betyg"), "betyg"),
        (_line_of(path, "start: 2021-02-29"), "start"),  # PyYAML alone would raise ValueError
    ]
    reasons = [e.reason for e in result.errors]
    assert "ogiltigt datum" in reasons[0] and "saknas" in reasons[1] and "tertial" in reasons[2]
    assert "finns redan" in reasons[3] and "före" in reasons[5]
    assert all(e.file == "plan.yml" and e.sheet is None for e in result.errors)


def test_plain_values_are_read_as_written_not_as_yaml_1_1_numbers(tmp_path):
    """PyYAML's YAML 1.1 made "18:30" the number 1110 (base 60), "0123" the octal 83 and "1_000" a
    thousand: an id, a time and a group's name changed without a word."""
    path = tmp_path / "plan.yaml"
    path.write_text("prioriterade områden:\n  - namn: Riktat arbete\n    aktiviteter:\n"
                    "      - id: 0123\n        aktivitet: Kvällsvandring\n        plats: Hässelby torg\n"
                    "        mötesfrekvens: 18:30\n        arbetsgrupp: 1_000\n"
                    "      - id: 123\n        aktivitet: Trygghetsvandring\n        plats: Hässelby torg\n",
                    encoding="utf-8")
    result = read_activities(path)
    assert result.errors == []
    assert result.table["activity_id"].tolist() == ["0123", "123"]
    first = result.table.iloc[0]
    assert (first["motesfrekvens"], first["arbetsgrupp"]) == ("18:30", "1_000")


def test_derived_ids_are_made_unique_with_a_note():
    result = parse_activities([{"aktivitet": "Trygghetsvandring"}, {"aktivitet": "Trygghetsvandring"}],
                              file_name="plan.yaml")
    assert result.table["activity_id"].tolist() == ["trygghetsvandring", "trygghetsvandring-2"]
    assert len(result.notes) == 1 and "rad 2" in result.notes[0]


@pytest.mark.parametrize("text, expected", [
    ("Tillsvidare", (None, None, True)),
    ("tills vidare", (None, None, True)),
    ("Start februari 2019, tillsvidare", (dt.date(2019, 2, 1), None, True)),
    ("2020-09-01 – 2021-12-31", (dt.date(2020, 9, 1), dt.date(2021, 12, 31), False)),
    ("2019-09 -- 2020-08", (dt.date(2019, 9, 1), dt.date(2020, 8, 31), False)),
    ("1 mars 2021 till 28 feb. 2022", (dt.date(2021, 3, 1), dt.date(2022, 2, 28), False)),
    ("En arbetande grupp på plats september 2020", (dt.date(2020, 9, 1), None, False)),
    ("t.o.m. juni 2024", (None, dt.date(2024, 6, 30), False)),
    ("Uppdrag 2020", (dt.date(2020, 1, 1), dt.date(2020, 12, 31), False)),
    ("Start 2021", (dt.date(2021, 1, 1), None, False)),
    ("från 2021, tillsvidare", (dt.date(2021, 1, 1), None, True)),
    ("2017–2019 (samverkansöverenskommelsens giltighetstid)",
     (dt.date(2017, 1, 1), dt.date(2019, 12, 31), False)),
    ("Planen klar till T1. I planen kommer det framgå tidplan.", (None, None, False)),
    (dt.date(2020, 5, 4), (dt.date(2020, 5, 4), None, False)),
    (2020, (dt.date(2020, 1, 1), dt.date(2020, 12, 31), False)),
    ("Tillsvidare från mars 2020", (dt.date(2020, 3, 1), None, True)),
])
def test_parse_loptid(text, expected):
    assert parse_loptid(text) == expected


@pytest.mark.parametrize("text", ["2020-02-30", "31 april 2021", "2020-13", "2019 – 2020 tillsvidare",
                                  "start 1850", "tillsvidare, dock längst till 2023-06-30"])
def test_parse_loptid_rejects_impossible_dates(text):
    with pytest.raises(ValueError):
        parse_loptid(text)


def _workbook(path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Info"
    book.active.append(["Ingen aktivitetstabell här"])
    ws = book.create_sheet("Åtgärdsplan")
    ws.append(["Åtgärdsplan Hässelby-Vällingby 2021"])
    ws.append(["Aktivitet", "Plats", "Löptid", "Start", "Mötesfrekvens", "T1 2021 mål uppfyllt",
               "T1 2021 genomfört", "2021 VB Genomförda aktiviteter", "T3 2021 mål uppfyllt",
               "Finansiering"])
    ws.append(["Platssamverkan Hässelby torg", "Hässelby torg", "Tillsvidare",
               dt.datetime(2019, 2, 1), "1 gång per månad", "Delvis", "Två vandringar", "Klart", None,
               "Egen"])
    ws.append([None] * 10)
    ws.append(["Platssamverkan Vällingby centrum", "Vällingby centrum; Hässelby torg", None,
               "hösten", None, None, None, None, None, None])
    ws.append(["Trygghetsinventeringar", "Vårberg, Bredäng", "2020-09-01 – 2021-12-31", None, None,
               True, None, None, None, None])
    book.save(path)


def test_xlsx_one_row_per_activity_with_followup_columns(tmp_path):
    path = tmp_path / "plan.xlsx"
    _workbook(path)
    result = read_activities(path)
    table = result.table
    assert table["aktivitet"].tolist() == ["Platssamverkan Hässelby torg", "Trygghetsinventeringar"]
    assert table["line"].tolist() == [3, 6]
    assert table["places"].tolist() == [["Hässelby torg"], ["Vårberg", "Bredäng"]]
    assert table["start_date"].tolist() == [dt.date(2019, 2, 1), dt.date(2020, 9, 1)]
    assert table["end_date"].tolist() == [None, dt.date(2021, 12, 31)]
    assert table["open_ended"].tolist() == [True, False]
    assert table.iloc[0]["extra"] == {"Löptid": "Tillsvidare", "Finansiering": "Egen"}
    expected = pd.DataFrame({
        "activity_id": ["platssamverkan-hasselby-torg"] * 2 + ["trygghetsinventeringar"],
        "year": [2021, 2021, 2021], "period": ["T1", "VB", "T1"],
        "goal_met": ["delvis", None, "ja"], "carried_out": ["Två vandringar", "Klart", None],
        "line": [3, 3, 6],
    })
    pd.testing.assert_frame_equal(result.meta["followups"], expected)
    got = [(e.line, e.column, e.sheet) for e in result.errors]
    assert got == [(2, "T3 2021 mål uppfyllt", "Åtgärdsplan"), (5, "Start", "Åtgärdsplan")]
    assert "tertial" in result.errors[0].reason


@pytest.mark.parametrize("day", [dt.datetime(9999, 12, 31), dt.datetime(1, 1, 1), dt.date(2101, 1, 1)])
def test_xlsx_date_cells_outside_the_period_years_are_refused(tmp_path, day):
    """A date cell Excel allows (years 1–9999) but no period has is refused, not stored."""
    path = tmp_path / "plan.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Aktivitet", "Plats", "Start", "Slut"])
    book.active.append(["Trygghetsvandring", "Vårberg", dt.datetime(2020, 1, 1), day])
    book.save(path)
    result = read_activities(path)
    assert result.table.empty
    [error] = result.errors
    assert (error.line, error.column) == (2, "Slut")
    assert error.value.startswith(f"{day.year:04d}-") and "året ska vara 1900–2100" in error.reason


def test_xlsx_and_yaml_give_the_same_activity(tmp_path):
    yaml_path, xlsx_path = tmp_path / "plan.yaml", tmp_path / "plan.xlsx"
    yaml_path.write_text("- aktivitet: Platssamverkan Bredäng\n  plats: Bredäng, Sätra\n"
                         "  löptid: 2020-09-01 – 2021-12-31\n  mötesfrekvens: 1 gång/månad\n"
                         "  uppföljning:\n    2021:\n      T2: {mål uppfyllt: nej, genomfört: Inget}\n",
                         encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.append(["aktivitet", "plats", "löptid", "mötesfrekvens", "T2 2021 mål uppfyllt",
                        "T2 2021 genomfört"])
    book.active.append(["Platssamverkan Bredäng", "Bredäng, Sätra", "2020-09-01 – 2021-12-31",
                        "1 gång/månad", "Nej", "Inget"])
    book.save(xlsx_path)
    a, b = read_activities(yaml_path), read_activities(xlsx_path)
    assert a.errors == b.errors == []
    pd.testing.assert_frame_equal(a.table.drop(columns="line"), b.table.drop(columns="line"))
    pd.testing.assert_frame_equal(a.meta["followups"].drop(columns="line"),
                                  b.meta["followups"].drop(columns="line"))


def test_file_level_problems_raise_input_error(tmp_path):
    cases = {"a.yaml": "aktiviteter: [\n", "b.yaml": "bara text", "c.yaml": "mall: 1999\naktiviteter: []",
             "d.txt": "aktivitet: x", "e.xlsx": "inte en zip"}
    for name, text in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        with pytest.raises(InputError):
            read_activities(tmp_path / name)
    book = openpyxl.Workbook()
    book.active.append(["Namn", "Datum"])
    book.save(tmp_path / "f.xlsx")
    with pytest.raises(InputError, match="Aktivitet"):
        read_activities(tmp_path / "f.xlsx")
    with pytest.raises(InputError, match="bladet"):
        read_activities(tmp_path / "f.xlsx", sheet="Saknas")


scalars = (st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats() | st.text(max_size=20)
           | st.dates() | st.datetimes() | st.sampled_from(["tillsvidare", "2020-02-30", "2020-09-01",
                                                            "januari 2020", "T1", "ja", "2021"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(scalars.filter(lambda v: v == v), inner, max_size=3),
                      max_leaves=10)
field_names = st.sampled_from([
    "aktivitet", "Åtgärd", "id", "plats", "platser", "löptid", "start", "slut", "uppföljning",
    "mall", "ansvarig", "samverkansforum", "mål", "övriga deltagare", "prioriterat område",
])
keys = scalars.filter(lambda v: v == v)  # hashable and equal to itself (no NaN)
followup = st.dictionaries(keys | st.integers(2015, 2025), st.dictionaries(
    st.sampled_from(["T1", "T2", "VB", "T3", 1, None]),
    st.dictionaries(st.sampled_from(["mål uppfyllt", "genomfört", "okänt"]), values, max_size=2)
    | values, max_size=3), max_size=2)
activity = st.dictionaries(field_names | st.text(max_size=10) | st.integers(), values, max_size=8)
activity = activity | st.builds(lambda d, f: {**d, "uppföljning": f}, activity, followup) | values


@settings(max_examples=100, deadline=None)
@given(st.lists(activity, max_size=5))
@example([{"löptid": {}, "start": "2000"}])  # a löptid that is no text beside a start: BadValue escaped
def test_malformed_activities_give_row_errors_and_never_crash(items):
    result = parse_activities(items, file_name="plan.yaml")
    rejected = {e.line for e in result.errors}
    assert all(isinstance(e, RowError) and e.reason for e in result.errors)
    accepted = set(result.table["line"])
    assert accepted.isdisjoint(rejected)
    assert len(accepted) == len(result.table)
    assert len(accepted | rejected) <= len(items) <= len(accepted) + len(result.errors)
    assert result.table["activity_id"].is_unique
    assert set(result.meta["followups"]["activity_id"]) <= set(result.table["activity_id"])


yaml_texts = st.one_of(
    st.text(max_size=120),
    st.lists(st.sampled_from(["- ", "  ", "aktivitet: ", "åtgärd: x\n", "uppföljning:\n", "  2021:\n",
                              "    T1: ", "&a ", "*a", "[", "]", "{", "}", ": ", "\n", "löptid: ",
                              "2020-02-30", "!!binary", "!!python/object:os.system", "? ", "mall: 2017\n",
                              "plats: [a, b]\n", "'", '"', "#", "\t"]), max_size=25).map("".join),
)


@settings(max_examples=100, deadline=None)
@given(yaml_texts)
def test_any_yaml_text_gives_a_result_or_input_error(text):
    import os
    import tempfile
    fd, name = tempfile.mkstemp(suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogatepass") as fh:
            fh.write(text)
        try:
            result = read_activities(name)
        except InputError as exc:
            assert exc.reason
        else:
            assert all(isinstance(e, RowError) for e in result.errors)
    finally:
        os.unlink(name)


@pytest.mark.parametrize(("start", "slut", "expected"), [
    ("2024-03-15T10:00", "2024-06-30T23:59:59", (dt.date(2024, 3, 15), dt.date(2024, 6, 30))),
    ("2024-03-15 10.30", "2024-06-30 08:00", (dt.date(2024, 3, 15), dt.date(2024, 6, 30))),
    # an offset moves the day to Swedish time: 23:30 UTC on 15 March is 00:30 on the 16th in Stockholm
    ("2024-03-15T23:30:00Z", "2024-06-30T23:30:00+02:00", (dt.date(2024, 3, 16), dt.date(2024, 6, 30))),
])
def test_dates_with_a_time_are_read_as_their_day(tmp_path, start, slut, expected):
    """A date with a time is that day (was: "2024-03-15T10:00" read as March, the end as 31 March)."""
    path = tmp_path / "plan.yaml"
    path.write_text(f"- aktivitet: Trygghetsvandring\n  plats: Vårberg\n  start: '{start}'\n"
                    f"  slut: '{slut}'\n", encoding="utf-8")
    result = read_activities(path)
    assert result.errors == []
    assert (result.table["start_date"].iloc[0], result.table["end_date"].iloc[0]) == expected


@pytest.mark.parametrize(("value", "reason"), [
    ("2024-03-15T25:99", "finns inte"), ("2024-03-15T10:60", "finns inte"),
    ("2024-03-15 24:00", "finns inte"), ("2024-03-15Tkl10", "kan inte läsas"),
    ("2024-02-30T10:00", "finns inte"),
])
def test_impossible_times_in_plan_dates_are_refused_at_their_line(tmp_path, value, reason):
    path = tmp_path / "plan.yaml"
    path.write_text(f"- aktivitet: Trygghetsvandring\n  plats: Vårberg\n  start: '{value}'\n",
                    encoding="utf-8")
    result = read_activities(path)
    assert result.table.empty
    [error] = result.errors
    assert (error.line, error.column, error.value) == (3, "start", value)
    assert reason in error.reason


def test_a_yaml_timestamp_with_an_offset_is_its_swedish_day(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("- aktivitet: Trygghetsvandring\n  plats: Vårberg\n  start: 2024-03-15T23:30:00Z\n",
                    encoding="utf-8")
    assert read_activities(path).table["start_date"].tolist() == [dt.date(2024, 3, 16)]
