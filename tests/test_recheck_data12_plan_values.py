"""Action-plan values that YAML reads as something other than what was written (data12).

Found: ``plats: .inf`` and ``plats: .nan`` were dropped without a word (the activity loaded with no
place; YAML reads ``.inf`` as infinity and ``.nan`` as "not a number"), ``id: .nan`` was stored as the
id of the name (the field dropped), ``mötesfrekvens: .inf``, ``löptid: .nan``, ``finansiering: .nan``
(kept under extra as null), ``mål uppfyllt: .nan`` and ``T1: .nan`` the same; ``start: .nan`` was refused
without quoting the value. ``plats: true`` was stored as the place "ja" and ``id: true`` as the id "ja";
``id: 1.50`` as "1.5". All are refused now naming file, line, column and value, exit 2 through the CLI,
and the store unchanged. An XLSX plan's number cell 1E999 (infinity) in Plats or a follow-up column was
dropped the same way; it is refused naming the sheet's own header.

Held (guards): ``plats: no`` is the place "no" (Norway; YAML 1.1 would read false, yamllines.CORE_SCHEMA
keeps it text), ``plats: 12`` the place "12", a sheet's id cell 1.5 the id "1.5" (the cell shows 1.5).
"""

from __future__ import annotations

import json
import math
import re
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lagesbild.cli import main
from lagesbild.errors import InputError
from lagesbild.sources.activities import read_activities

PLACES = "tests/data/places_4326.geojson"  # holds the place "Hässelby torg"


def _read(tmp_path, body: str):
    path = tmp_path / "plan.yaml"
    path.write_text(f"- aktivitet: Platssamverkan\n  {body}\n", encoding="utf-8")
    return read_activities(path)


# (the field line as written, the column and value the message must name); the field is on line 2
REFUSED = [
    ("plats: .inf", "plats", ".inf"),
    ("plats: .nan", "plats", ".nan"),
    ("plats: -.inf", "plats", "-.inf"),
    ("plats: [Hässelby torg, .NaN]", "plats", "Hässelby torg, .nan"),
    ("id: .nan", "id", ".nan"),
    ("start: .nan", "start", ".nan"),
    ("slut: .inf", "slut", ".inf"),
    ("löptid: .nan", "löptid", ".nan"),
    ("mötesfrekvens: .inf", "mötesfrekvens", ".inf"),
    ("finansiering: .nan", "finansiering", ".nan"),
    ("mall: .nan", "mall", ".nan"),
    ("uppföljning: {2021: {T1: {mål uppfyllt: .nan}}}", "mål uppfyllt", ".nan"),
    ("uppföljning: {2021: {T1: .inf}}", "T1", ".inf"),
    ("plats: true", "plats", "true"),
    ("plats: [Hässelby torg, false]", "plats", "Hässelby torg, false"),
    ("id: true", "id", "true"),
    ("id: 1.50", "id", "1.5"),
]


@pytest.mark.parametrize(("body", "column", "value"), REFUSED)
def test_a_value_yaml_reads_as_no_text_is_refused_naming_line_column_and_value(tmp_path, body, column, value):
    result = _read(tmp_path, body)
    assert result.table.empty, result.table.to_dict("records")
    assert len(result.errors) == 1, [e.message() for e in result.errors]
    message = result.errors[0].message()
    assert message.startswith(f'plan.yaml, rad 2, kolumn "{column}", värde "{value}": '), message


@pytest.mark.parametrize(("body", "places"), [("plats: no", ["no"]), ("plats: 12", ["12"]),
                                              ("plats: 'true'", ["true"]), ("plats: '.nan'", [".nan"])])
def test_a_place_written_as_yaml_1_1_boolean_or_a_number_stays_as_written(tmp_path, body, places):
    result = _read(tmp_path, body)
    assert result.errors == []
    assert result.table["places"].tolist() == [places]


def _status(db, capsys) -> dict:
    capsys.readouterr()
    assert main(["status", "--db", str(db), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("body", ["plats: .inf", "id: .nan", "plats: true"])
def test_the_cli_refuses_the_plan_with_exit_2_and_the_store_is_unchanged(tmp_path, capsys, body):
    db = tmp_path / "s.sqlite"
    assert main(["ingest", "places", PLACES, "--db", str(db), "--no-progress"]) == 0
    good = tmp_path / "forra.yaml"
    good.write_text("- aktivitet: Trygghetsvandring\n  plats: Hässelby torg\n", encoding="utf-8")
    assert main(["ingest", "activities", str(good), "--db", str(db), "--no-progress"]) == 0
    before = _status(db, capsys)
    bad = tmp_path / "plan.yaml"
    bad.write_text(f"- aktivitet: Platssamverkan\n  {body}\n", encoding="utf-8")
    capsys.readouterr()
    code = main(["ingest", "activities", str(bad), "--db", str(db), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err, err
    column, value = body.split(": ")
    assert f'plan.yaml, rad 2, kolumn "{column}", värde "{value}"' in err, err
    assert _status(db, capsys) == before


def _sheet(tmp_path, raw: str):
    """A plan sheet whose Plats and follow-up cells hold the number text ``raw`` as stored in the XML
    (openpyxl itself writes an infinite number as an empty cell)."""
    book = openpyxl.Workbook()
    book.active.append(["Aktivitet", "Plats", "T1 2021 mål uppfyllt"])
    book.active.append(["Platssamverkan", 7001, 7002])
    plain = tmp_path / "a.xlsx"
    book.save(plain)
    path = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v>7001</v>", f"<v>{raw}</v>".encode())
                data = data.replace(b"<v>7002</v>", f"<v>{raw}</v>".encode())
            out.writestr(info, data)
    return path


def test_an_infinite_number_cell_in_a_plan_sheet_is_refused_naming_its_header(tmp_path):
    result = read_activities(_sheet(tmp_path, "1E999"))  # 10**999 is beyond a float: infinity
    assert result.table.empty
    messages = [e.message() for e in result.errors]
    assert messages[0].startswith('plan.xlsx, blad "Sheet", rad 2, kolumn "Plats", värde ".inf": '), messages
    assert messages[1].startswith('plan.xlsx, blad "Sheet", rad 2, kolumn "T1 2021 mål uppfyllt", '
                                  'värde ".inf": '), messages


def test_a_sheet_id_cell_with_decimals_is_the_id_the_cell_shows(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Aktivitet", "id", "Plats"])
    book.active.append(["Platssamverkan", 1.5, 12])
    book.save(tmp_path / "plan.xlsx")
    result = read_activities(tmp_path / "plan.xlsx")
    assert result.errors == []
    assert result.table[["activity_id", "places"]].values.tolist() == [["1.5", ["12"]]]


FIELDS = ["plats", "id", "mötesfrekvens", "finansiering", "start", "mål uppfyllt"]
VALUES = st.one_of(st.floats(), st.booleans(), st.integers(-10**6, 10**6),
                   st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12))


def _yaml(value) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
    return json.dumps(value, ensure_ascii=False)  # JSON is YAML: floats, true/false, quoted texts


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), value=VALUES)
def test_fuzz_a_field_is_read_or_refused_never_dropped_in_silence(tmp_path, field, value):
    body = (f"uppföljning: {{2021: {{T1: {{{field}: {_yaml(value)}}}}}}}" if field == "mål uppfyllt"
            else f"{field}: {_yaml(value)}")
    try:
        result = _read(tmp_path, body)
    except InputError as exc:  # a file-level refusal is a message, not a crash
        assert "Traceback" not in str(exc)
        return
    non_finite = isinstance(value, float) and not math.isfinite(value)
    if non_finite or (isinstance(value, bool) and field in ("plats", "id")):
        assert result.table.empty and result.errors
        assert all(e.message().startswith("plan.yaml, rad 2, kolumn ") for e in result.errors)
        assert f'värde "{_yaml(value)}"' in result.errors[0].message()
        return
    if result.errors:  # refused for another reason (an unreadable date, an empty text): with a message
        assert result.table.empty and all("rad 2" in e.message() for e in result.errors)
        return
    row = result.table.iloc[0]
    blank = isinstance(value, str) and not value.strip()
    if field == "plats" and any(part.strip() for part in re.split(r"[,;]", str(value))):
        assert row["places"], row.to_dict()
    if field == "finansiering":
        assert row["extra"] == {"finansiering": value}
    if field == "mål uppfyllt" and not blank:
        assert len(result.meta["followups"]) == 1
