"""The corpus of nasty files in tests/data/nasty: each is refused with a Swedish message or accepted.

Every refusal leaves the store exactly as it was; nothing ends in a traceback, through the ingest API
and through the command line (exit code 2, the "Fel:" message first on stderr).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file, open_store
from lagesbild.ingest.guard import STORE_REFUSED, TOO_COMPLEX
from lagesbild.settings import ROOT, load_settings

NASTY = ROOT / "tests" / "data" / "nasty"
#: words of the English messages of PyYAML, libyaml, json, openpyxl and Python's exceptions
ENGLISH = re.compile(r"\b(found|expected|could|cannot|while|not|the|Error|error|Exception)\b")
PLACES = ROOT / "geodata" / "places.geojson"
CRIMES = ROOT / "tests" / "data" / "brott_bred.csv"

# file -> (kind, None when accepted else a part of the Swedish message)
EXPECTED = {
    # a rate table ("per 100 000 invånare" only in the title line; values 825,0) is never read as counts
    "crimes_rate_title_decimals.csv": (
        "crimes", "filens rubrik säger att tabellen har brott per invånare"),
    "atgardsplan_bom.yaml": ("activities", None),  # Notepad's "UTF-8 with BOM"
    "atgardsplan_utf16.yaml": ("activities", None),  # Notepad's "Unicode"
    "atgardsplan_cp1252.yaml": ("activities", None),
    "alias_bomb.yaml": ("activities", "hänvisningarna (*namn) gör filen större än"),
    "deep_nesting.yaml": ("activities", "nästlade i mer än 40 nivåer"),
    "nul_byte.yaml": ("activities", "otillåtet tecken U+0000"),
    "activities_broken_sheet_xml.xlsx": ("activities", "filen är skadad"),
    # one cell far out makes every row 16 384 cells wide (a 500 KB file took minutes)
    "crimes_cell_in_column_xfd.xlsx": ("crimes", 'bladet "Brott" har en cell i kolumn XFD (rad 3)'),
    "activities_start_year9999.yaml": (
        "activities", 'rad 5, kolumn "start", värde "9999-12-31": orimligt år i datumet'),
    "activities_loptid_year1_flow.yaml": (
        "activities", 'rad 2, kolumn "löptid", värde "0001-01-01": orimligt år i datumet'),
    "activities_huge_int.yaml": ("activities", "rad 2, tecken 9: talet har för många siffror"),
    "mapping_huge_int.yaml": ("mapping", "rad 3, tecken 8: talet har för många siffror"),
    "activities_duplicate_key.yaml": (
        "activities", 'rad 5, tecken 5: nyckeln "plats" finns två gånger (även på rad 4)'),
    "activities_duplicate_top_key.yaml": (
        "activities", 'rad 7, tecken 1: nyckeln "aktiviteter" finns två gånger (även på rad 1)'),
    "mapping_duplicate_key.yaml": ("mapping", 'rad 3, tecken 1: nyckeln "columns" finns två gånger'),
    "event_duplicate_key.json": ("events", 'nyckeln "id" finns två gånger i samma objekt'),
    "activities_tab_indent.yaml": ("activities", "rad 2, tecken 1: tabbtecken får inte användas för indrag"),
    "activities_custom_tag.yaml": ("activities", "rad 3, tecken 16: okänd typmarkering (!namn); ta bort den"),
    "activities_unclosed_brace.yaml": ("activities", "rad 2, tecken 1: ett kommatecken eller } saknas"),
    "event_missing_comma.json": ("events", "filen är inte giltig JSON (ett kommatecken väntades), rad 1, tecken 11"),
    "mapping_bomb.yaml": ("mapping", "hänvisningarna (*namn) gör filen större än"),
    "mapping_deep.yaml": ("mapping", "nästlade i mer än 40 nivåer"),
    "event_bom.json": ("events", None),
    "event_null_summary.json": ("events", None),
    "event_missing_summary.json": ("events", None),
    "event_null_url.json": ("events", None),
    "event_missing_url.json": ("events", None),
    "event_null_location_name.json": ("events", None),
    "event_null_name.json": ("events", 'kolumn "name": värde saknas'),
    "event_missing_name.json": ("events", 'kolumn "name": värde saknas'),
    "event_null_type.json": ("events", 'kolumn "type": värde saknas'),
    "event_missing_type.json": ("events", 'kolumn "type": värde saknas'),
    "event_nul_in_name.json": ("events", "NUL-tecken"),
    "event_surrogate.json": ("events", "ogiltigt tecken (U+D800)"),
    "event_deep.json": ("events", "nästlad för djupt"),
    "event_huge_int.json": ("events", "för många siffror"),
    "survey_broken_sheet_xml.xlsx": ("survey", "filen är skadad (ett blads XML är trasig)"),
    "survey_truncated.xlsx": ("survey", "inte en Excel-fil"),
    "survey_not_zip.xlsx": ("survey", "inte en Excel-fil"),
    "survey_no_sheet_part.xlsx": ("survey", "hittade ingen rubrikrad"),
    "survey_huge_respondents.csv": ("survey", 'kolumn "Svarande", värde "99999999999": talet är för stort'),
    "survey_mixed_encoding.csv": ("survey", "filen blandar teckenkodningar: rad 1 och rad 2"),  # was "ingen rubrikrad"
    "survey_overlong_indicator_nul.csv": ("survey", "indikatorn har ett skadat tecken"),  # NUL: U+FFFD, refused
    "crimes_utf16.csv": ("crimes", None),  # Excel's "Unicode-text": UTF-16 with a mark, read since data5
    "crimes_huge_count.csv": ("crimes", "talet är för stort; högst 2\u00a0147\u00a0483\u00a0647"),
    "crimes_formula_place.csv": ("crimes", "okänd plats"),
    "crimes_wide_same_month_twice.csv": (
        "crimes", 'rad 1, kolumn "2020-01", värde "2020-01": perioden finns i 2 kolumner'),
    "crimes_wide_unnamed_column.csv": (
        "crimes", 'rad 3, kolumn "kolumn 4", värde "7": kolumnen har värden men ingen rubrik'),
    "crimes_merged_month_header.xlsx": (
        "crimes", 'rad 2, kolumn "D", värde "7": cellen har ett värde men ingen rubrik'),
    "crimes_formula_without_value.xlsx": (
        "crimes", "öppna filen i Excel och spara den igen så att värdena räknas ut\n"
                  '  crimes_formula_without_value.xlsx, blad "Sheet", rad 2, kolumn "Antal", värde "=2+3": '
                  "formeln i cell D2 har inget beräknat värde"),
    "crimes_future_month.csv": ("crimes", 'rad 2, kolumn "Månad", värde "2099-12": perioden ligger i framtiden'),
    "places_overlong_name.geojson": ("places", "texten är 130 tecken lång; högst 120 tecken"),
    "places_bom.geojson": ("places", None),
    "places_name_of_another_place.geojson": (
        "places", 'kolumn "namn", värde "Vårberg": namnet används redan av platsen "Vårberg" (id varberg)'),
    "places_population_huge.geojson": (
        "places", 'kolumn "befolkning", värde "1000000000000000019884624838656": befolkningen är orimligt stor'),
    "places_utf16.geojson": ("places", None),  # Notepad's "Unicode"
    # valid UTF-8 (NUL is a character) and Excel's Strict format: both said "hittade ingen rubrikrad"
    "crimes_utf16_no_bom.csv": ("crimes", None),  # UTF-16 without a mark, told by its NUL bytes: read since data6
    "crimes_strict_ooxml.xlsx": ("crimes", 'filen är sparad som "Strict Open XML-kalkylblad"'),
    # GDAL said "filens innehåll kunde inte tolkas"; which feature?
    "places_unclosed_ring.geojson": ("places", 'objekt 2 ("B"): polygonens ring är inte sluten'),
    # GEOS's English reason was the value, and the repair's area change was "41897871,50 %"
    "places_bow_tie.geojson": ("places", "polygonen korsar sig själv vid N 6\u00a0577\u00a0874, E 671\u00a0077 "
                                         "(SWEREF 99 TM)\": ogiltig geometri som inte kan lagas säkert "
                                         "(lagningen ändrar ytan med mer än 100 %)"),
    "places_not_gpkg.gpkg": ("places", "(okänt eller skadat filformat)"),  # refused by its bytes
    "places_truncated.geojson": ("places", "JSON-texten tar slut för tidigt)"),
    # zip archives Python cannot unpack, or damaged past the central directory (each was a traceback)
    "places_zip_deflate64.zip": ("places", "packningsmetod som inte kan packas upp (zip-metod 9"),
    "places_zip_encrypted.zip": ("places", "zip-arkivet har lösenordsskydd"),
    "places_zip_bad_crc.zip": ("places", '"platser.geojson" kan inte packas upp (kontrollsumman stämmer inte)'),
    "places_zip_broken_member.zip": ("places", '"platser.geojson" kan inte packas upp (data eller rubriker'),
    "places_zip_version.zip": ("places", "zip-arkivet har en zip-version som inte kan läsas"),
    # Excel saves a password-protected workbook as an OLE file (so is an old .xls)
    "crimes_password_protected.xlsx": ("crimes", "filen är en lösenordsskyddad Excel-fil eller en gammal .xls"),
    "crimes_zip_encrypted.xlsx": ("crimes", "Excel-filen har lösenordsskydd"),
    "crimes_zip_deflate64.xlsx": ("crimes", "spara arbetsboken igen i Excel"),
    "crimes_zip_version.xlsx": ("crimes", "Excel-filen har en zip-version som inte kan läsas"),
    "crimes_zip_bad_crc.xlsx": ("crimes", "filen är skadad (zip-arkivet är trasigt)"),
    # found by an independent probe: a second "Antal" was silently left out; "5 %" and a cell formatted
    # 0 % (5 read as 500 %) were stored as counts; YAML 1.1 made "id: 0123" the octal 83
    "crimes_count_column_twice.csv": ("crimes", 'kolumn "Antal", värde "Antal": kolumnen finns 2 gånger'),
    "crimes_count_column_twice.xlsx": ("crimes", 'kolumn "Antal", värde "Antal": kolumnen finns 2 gånger'),
    "survey_share_column_twice.csv": ("survey", 'kolumn "Andel (%)", värde "Andel (%)": kolumnen finns 2'),
    "crimes_count_percent.csv": ("crimes", 'värde "5 %": antalet är en andel (%), inte ett antal'),
    "crimes_count_percent_format.xlsx": ("crimes", 'värde "500 %": antalet är en andel (%), inte ett antal'),
    "activities_yaml11_numbers.yaml": ("activities", None),
    "crimes_month_year0.csv": ("crimes", 'värde "0000-01": året finns inte i kalendern'),  # was Python's English
    # UTF-8 with one Windows-1252 line was read as cp1252 throughout ("stÃ¶r"), and the reverse
    "survey_mixed_encoding_row.csv": ("survey", "filen blandar teckenkodningar: rad 2 och rad 4"),
    "crimes_mixed_encoding_late.csv": ("crimes", "filen blandar teckenkodningar: rad 1 och rad 3"),
    # accepted where crimes and incidents refuse the same: a future time or year, a place outside Sweden
    "event_future.json": ("events", "tidpunkten ligger i framtiden"),
    "event_gps_outside_sweden.json": ("events", 'värde "0,0": platsen ligger utanför Sverige'),
    "survey_future_year.csv": ("survey", 'värde "2099": året ligger i framtiden'),
    "crimes_cr_line_endings.csv": ("crimes", "raderna slutar bara med CR"),  # was "no header row"
    # 30 000 empty styled rows after the data (Excel's used range): each was parsed (10 MB took ~25 s)
    "crimes_empty_used_range.xlsx": ("crimes", None),
    # PX-Web's months "2023M01" in a long table's column were "okänd period" (read in a wide header)
    "crimes_pxweb_long_months.csv": ("crimes", None),
    # a server's error or login page saved under the data file's name: each reader gave its own wrong
    # reason ("ingen rubrikrad", "inte en Excel-fil", "filen är XML", "inte giltig JSON")
    "crimes_html_error_page.csv": (
        "crimes", 'filen är en webbsida (HTML), inte en datafil – troligen en felsida eller inloggningssida '
                  'som sparades i stället för filen; ladda ner filen igen (sidans rubrik: "404 – Sidan kunde'),
    "survey_html_error_page.xlsx": ("survey", "filen är en webbsida (HTML)"),
    "places_html_login_page.geojson": ("places", 'filen är en webbsida (HTML), inte en datafil'),
    "events_html_no_title.json": ("events", "filen är en webbsida (HTML)"),
    # a chart sheet first was a traceback ('Chartsheet' has no 'reset_dimensions'); a very hidden sheet
    # with an old table made the file "2 blad med en tabell" and proposed the hidden one
    "crimes_chartsheet_first.xlsx": ("crimes", None),
    "crimes_hidden_sheet_first.xlsx": ("crimes", None),
    # a crs named "SWEREF99 TM" (not an EPSG code) was read by GDAL as WGS 84: "filen anger WGS 84 men
    # koordinaterna är inte longitud/latitud"; the GeoJSON draft's {"type": "EPSG"} was "ingen namngiven"
    "places_crs_sweref_name.geojson": ("places", None),
    "places_crs_epsg_type.geojson": ("places", None),
    "places_crs_unknown_name.geojson": ("places", 'GeoJSON-filens "crs" namnger ett okänt koordinatsystem'),
    # "Källa: …" and "* färre än 30 svarande" under a long survey table were refused rows
    "survey_footnotes_long.csv": ("survey", None),
    # Klockslag "24:00" was blamed on the date: 'kolumn "Brottsdatum", värde "2019-03-01": datumet finns inte'
    "incidents_time_24.csv": ("incidents", 'kolumn "Klockslag", värde "24:00": klockslaget kunde inte tolkas'),
    # both said only "YAML-texten kan inte tolkas här"
    "activities_recursive_alias.yaml": (
        "activities", "rad 1, tecken 4: en hänvisning (*namn) pekar på värdet den själv står i"),
    "activities_bad_unicode_escape.yaml": ("activities", "rad 1, tecken 17: ogiltig \\u-kod i en sträng"),
    # a place merged down A2:A4 beside its rows: rows 3 and 4 were "platsen saknas"
    "crimes_merged_place_rows.xlsx": ("crimes", None),
    # .shp, .shx and .prj zipped without the .dbf: "filen har ingen egenskap med platsens namn"
    "places_zip_shp_without_dbf.zip": ("places", 'Shapefilen "tiny.shp" saknar sin .dbf-fil'),
    # UTF-16 without a byte-order mark (with one they were read): "otillåtet tecken U+0000"
    "activities_utf16_no_bom.yaml": ("activities", None),
    "event_utf16_be_no_bom.json": ("events", None),
    # "Prioriterat område" merged down over its activities: only the first one had it (nothing said)
    "activities_merged_priority_area.xlsx": ("activities", None),
    # "1\u2009306" (thin space between thousands): "antalet kunde inte tolkas som ett tal"
    "crimes_thin_space_thousands.csv": ("crimes", None),
    # a decimal comma in a comma-separated file: only "raden har 7 fält men rubrikraden har 6"
    "survey_comma_decimal_unquoted.csv": (
        "survey", 'rad 2, värde "Vårberg,plats,2021,Otrygg,0,41,230": raden har 7 fält men rubrikraden har 6 '
                  "(ett tal med decimal- eller tusentalskomma i en kommaseparerad fil?"),
    # counts for January 1900 (a broken Excel date) were stored
    "crimes_month_1900.csv": ("crimes", 'värde "1900-01": perioden ligger före 1950'),
    # two exports pasted together: the second header was "okänd brottskategori: Brottstyp"
    "crimes_header_repeated.csv": ("crimes", None),
    # SWEREF 99 TM coordinates in a GeoJSON without "crs": the refusal said "filen anger WGS 84"
    "places_sweref_without_crs.geojson": (
        "places", 'filens koordinater är inte longitud/latitud (WGS 84), som filen anger eller som en '
                  'GeoJSON-fil utan eget "crs" ska ha; ange koordinatsystemet med --crs'),
    # an id of 1e400 was shown as the value "Infinity", which the file does not hold
    "event_id_past_float_range.json": ("events", 'kolumn "id", värde "1e400": id:t är för stort'),
    "events_huge_id.json": ("events", 'kolumn "id", värde "1000000000000000000000000000000": id:t är för stort'),
    "events_id_unit_separator.json": ("events", 'kolumn "id", värde "0'),
    # two plans joined with cat, the second's byte-order mark mid-file: "ett listelement (-) väntades"
    "activities_bom_mid_file.yaml": ("activities", None),
    # a day number in a 1904-system workbook was said to be its day in the 1900 system (2015-01-31)
    "crimes_1904_period_number.xlsx": (
        "crimes", "42035 är 2019-02-01 i arbetsbokens datumsystem, Mac-Excels 1904-system"),
    # three corners on one parallel (no area) became a 7 km sliver once projected, stored as a place
    "places_collinear_lonlat.geojson": (
        "places", "ogiltig geometri som inte kan lagas säkert (lagningen ger ingen polygon)"),
    "places_spike_lonlat.geojson": ("places", None),  # repaired (the spike goes) and said in the report
    # an empty constant was the place "None" for every row ('värde "None": okänd plats')
    "mapping_constant_empty.yaml": ("mapping", 'rad 3, kolumn "constants: place": värdet saknas'),
    # a sound workbook saved as .csv was "filen är skadad (okänt fel i filens innehåll)" (openpyxl's name check)
    "crimes_workbook_named_csv.csv": ("crimes", None),
    # a date cell holding 3000000 (past 9999-12-31): 'värde "#VALUE!"' and openpyxl's English warning
    "activities_date_cell_past_9999.xlsx": (
        "activities", 'rad 2, kolumn "C", värde "3000000": cell C2 är formaterad som datum men talet är inget datum'),
    # a 1904-system day number in the plan's Start column: only "datumet kan inte läsas"
    "activities_1904_start_number.xlsx": (
        "activities", "(42035 är 2019-02-01 i arbetsbokens datumsystem, Mac-Excels 1904-system)"),
    # "1/9 2020" and "Q3 2020" were read as the whole year (a start on 2020-01-01, eight months early)
    "activities_text_dates_day_month.xlsx": (
        "activities", 'värde "1/9 2020": "1/9 2020" kan inte läsas entydigt som datum'),
    # a ring ending at another height: read, but GDAL's English "Non closed ring detected" reached the user
    "places_ring_other_height.geojson": ("places", None),
    # three events on one line (as the API writes them): the third's duplicate id was "rad 3"
    "events_one_line_duplicate_id.json": (
        "events", 'händelse 3, kolumn "id", värde "1": id:t finns redan på händelse 1'),
    # a zero-width space after a count, a byte-order mark before a month: "kunde inte tolkas", "okänd period"
    "crimes_invisible_edges.csv": ("crimes", None),
    # "2024-01" and "jan 2024" as two columns: 'samma plats, kategori och period som rad 2' of row 2 itself
    "crimes_wide_month_two_ways.csv": (
        "crimes", 'rad 1, kolumn "jan 2024", värde "jan 2024": perioden är densamma som kolumnen "2024-01" har'),
}


@pytest.fixture(scope="module")
def base_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nasty")
    settings = load_settings({}, data_dir=str(folder), db=str(folder / "base.sqlite"))
    store = open_store(settings)
    ingest_file(store, "places", PLACES)
    store.engine.dispose()  # the last connection closed: the WAL is checkpointed into the file
    return folder / "base.sqlite"


def _store(base_store, tmp_path):
    tmp_path.mkdir(parents=True, exist_ok=True)
    db = tmp_path / "s.sqlite"
    shutil.copy(base_store, db)
    settings = load_settings({}, data_dir=str(tmp_path), db=str(db))
    return open_store(settings)


def _ingest(store, name):
    kind, _ = EXPECTED[name]
    if kind == "mapping":
        return ingest_file(store, "crimes", CRIMES, mapping=str(NASTY / name))
    return ingest_file(store, kind, NASTY / name)


def test_every_nasty_file_has_an_expectation():
    assert sorted(p.name for p in NASTY.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_nasty_file_is_refused_cleanly_or_accepted(name, base_store, tmp_path):
    store = _store(base_store, tmp_path)
    before = store.dump()
    expected = EXPECTED[name][1]
    if expected is None:
        report = _ingest(store, name)
        assert report.status == "ok" and report.accepted >= 1
        return
    with pytest.raises(InputError) as info:
        _ingest(store, name)
    message = info.value.message()
    assert expected in message
    assert STORE_REFUSED not in message and TOO_COMPLEX not in message  # a reader check caught it
    assert "\x00" not in message and "\ud800" not in message
    assert not ENGLISH.search(message.replace(name, "")), message  # a library's words translated
    assert store.dump() == before


def test_bom_action_plan_loads_like_the_plain_one(base_store, tmp_path):
    a = _store(base_store, tmp_path / "a")
    b = _store(base_store, tmp_path / "b")
    ingest_file(a, "activities", NASTY / "atgardsplan_bom.yaml")
    ingest_file(b, "activities", ROOT / "tests" / "data" / "atgardsplan_ny.yaml")
    assert a.followups().equals(b.followups())
    assert a.activities()["activity_id"].tolist() == b.activities()["activity_id"].tolist()
    # a follow-up written as plain text has no goal: stored as an empty text, not refused
    assert "" in set(a.followups()["goal_met"])


def test_missing_optional_event_fields_are_stored_empty(base_store, tmp_path):
    store = _store(base_store, tmp_path)
    ingest_file(store, "events", NASTY / "event_null_summary.json")
    assert store.events()["summary"].tolist() == [""]


def _cli(*args, db):
    env = {**os.environ, "LAGESBILD_DB": str(db)}
    return subprocess.run([sys.executable, "-m", "lagesbild", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)


@pytest.mark.parametrize("name", ["alias_bomb.yaml", "event_null_name.json",
                                  "survey_broken_sheet_xml.xlsx", "deep_nesting.yaml",
                                  "activities_start_year9999.yaml", "activities_huge_int.yaml",
                                  "survey_html_error_page.xlsx"])
def test_cli_refuses_with_exit_2_and_the_message_first(name, base_store, tmp_path):
    db = tmp_path / "s.sqlite"
    shutil.copy(base_store, db)
    kind = EXPECTED[name][0]
    res = _cli("ingest", kind, NASTY / name, db=db)
    assert res.returncode == 2, res.stderr
    assert res.stderr.startswith("Fel: "), res.stderr  # no library warning before the message
    assert "Traceback" not in res.stderr and EXPECTED[name][1] in res.stderr


def test_cli_source_name_longer_than_the_store_takes_is_refused(base_store, tmp_path):
    db = tmp_path / "s.sqlite"
    shutil.copy(base_store, db)
    res = _cli("ingest", "events", "--source", "k" * 121, NASTY / "event_bom.json", db=db)
    assert res.returncode == 2
    assert "källans namn är 121 tecken långt; högst 120" in res.stderr
    res = _cli("ingest", "events", "--source", "k" * 120, NASTY / "event_bom.json", "--format", "json",
               db=db)
    assert res.returncode == 0 and json.loads(res.stdout)[0]["källa"] == "k" * 120


def test_library_warnings_come_after_the_error_message(tmp_path, monkeypatch, capsys):
    import warnings

    from lagesbild import cli

    def noisy(args):
        warnings.warn("Workbook contains no default style, apply openpyxl's default", UserWarning, stacklevel=2)
        raise InputError("fil.xlsx", "filen är skadad")

    parser = cli.build_parser()
    args = parser.parse_args(["--db", str(tmp_path / "s.sqlite"), "status"])
    args.run = noisy
    monkeypatch.setattr(cli, "build_parser", lambda: _Fixed(parser, args))
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fel: fil.xlsx: filen är skadad")
    assert err.index("Fel:") < err.index("default style")


class _Fixed:
    def __init__(self, parser, args):
        self.parser, self.args = parser, args

    def parse_args(self, argv):
        return self.args


@pytest.mark.parametrize("name", ["alias_bomb.yaml", "deep_nesting.yaml", "event_null_name.json",
                                  "survey_broken_sheet_xml.xlsx", "places_overlong_name.geojson",
                                  "crimes_html_error_page.csv"])
def test_web_upload_check_refuses_nasty_files(name, base_store, tmp_path):
    """The dashboard's upload runs the same readers and checks: a refusal, not a hang or a crash."""
    from plotly.utils import PlotlyJSONEncoder

    from lagesbild.web.views.data import validate_upload

    store = _store(base_store, tmp_path)
    before = store.dump()
    component, can_ingest = validate_upload(store, EXPECTED[name][0], NASTY / name, name=name)
    assert can_ingest is False
    shown = json.dumps(component, cls=PlotlyJSONEncoder, ensure_ascii=False)
    assert EXPECTED[name][1].split(": ")[-1] in shown
    assert store.dump() == before


def test_a_long_flat_yaml_file_is_refused_while_it_is_read(tmp_path, base_store):
    """A 10 MB action plan of 1.3 million list items stops at the node limit, not after parsing all."""
    from lagesbild.sources.yamllines import MAX_EXPANDED_NODES

    path = tmp_path / "lang.yaml"
    path.write_text("- aktivitet: x\n  extra:\n" + "    - a\n" * 1_300_000, encoding="utf-8")
    store = _store(base_store, tmp_path)
    with pytest.raises(InputError, match=f"fler än {MAX_EXPANDED_NODES:,} värden".replace(",", "\u00a0")) \
            as info:
        ingest_file(store, "activities", path)
    assert info.value.errors[0].line < 200_000


def test_a_field_longer_than_the_csv_module_takes_is_refused_in_swedish(base_store, tmp_path):
    store = _store(base_store, tmp_path)
    before = store.dump()
    path = tmp_path / "brott.csv"
    path.write_text("Område;Brottstyp;Period;Antal\nA;" + "x" * 5_000_000 + ";2023-01;1\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        ingest_file(store, "crimes", path)
    assert "(ett fält får vara högst 131\xa0072 tecken)" in info.value.message()  # Swedish thousands
    assert "field" not in info.value.message() and store.dump() == before
