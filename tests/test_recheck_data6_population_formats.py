"""SCB's population table in the two other forms SCB gives it: JSON-stat 2.0 (PxWebApi v1 and v2 with
``json-stat2``) and the PC-Axis file (Statistikdatabasen's "PC-Axis" download). Both were refused
("hittar ingen rubrikrad …", the CSV reader's message for any file it cannot read). The files are built
here from the published layouts (JSON-stat 2.0's dataset: id, size, dimension with category index as a
list or an object, value as a list or a sparse object, status ".."; PX 2013: KEYWORD=value;, STUB,
HEADING, VALUES, CODES, DATA in row-major order with ".." for missing); the numbers are fictitious
and every rate is checked by hand: a year's count over that year's population, per 1 000.
"""

from __future__ import annotations

import json

import pytest

from lagesbild.cli import main
from lagesbild.errors import InputError
from lagesbild.sources.population import read_population

CRIMES = "Område;Brott;2024;2025\r\nStockholms kommun;Narkotikabrott;12 000;11 500\r\n"


def _dataset(region_index, values, *, status=None, metric=True, extra=None) -> dict:
    """A JSON-stat 2.0 dataset as PxWebApi 2 returns it: Region × (Kon) × ContentsCode × Tid."""
    dims = {"Region": {"label": "region", "category": {"index": region_index,
                                                          "label": {"0180": "Stockholm", "0184": "Solna",
                                                                    "0180C1090": "0180C1090"}}}}
    ids, sizes = ["Region"], [len(region_index)]
    if extra:
        dims["Kon"] = {"label": "kön", "category": {"index": ["1", "2"], "label": {"1": "män", "2": "kvinnor"}}}
        ids.append("Kon")
        sizes.append(2)
    if metric:
        dims["ContentsCode"] = {"label": "tabellinnehåll", "category": {
            "index": {"000005FE": 0}, "label": {"000005FE": "Folkmängd"},
            "unit": {"000005FE": {"base": "antal", "decimals": 0}}}}
        ids.append("ContentsCode")
        sizes.append(1)
    dims["Tid"] = {"label": "år", "category": {"index": {"2024": 0, "2025": 1},
                                                "label": {"2024": "2024", "2025": "2025"}}}
    ids.append("Tid")
    sizes.append(2)
    out = {"version": "2.0", "class": "dataset", "label": "Folkmängden per region och år",
           "source": "SCB", "updated": "2026-02-20T07:00:00Z", "id": ids, "size": sizes,
           "dimension": dims, "value": values,
           "role": {"time": ["Tid"], "metric": ["ContentsCode"] if metric else [], "geo": ["Region"]}}
    if status is not None:
        out["status"] = status
    return out


def _rates(tmp_path, capsys, monkeypatch, pop_path) -> dict:
    crimes = tmp_path / "bra.csv"
    crimes.write_text(CRIMES, encoding="utf-8")
    db = tmp_path / "s.sqlite"
    monkeypatch.setenv("LAGESBILD_POPULATION_FILE", str(pop_path))
    assert main(["--db", str(db), "ingest", "crimes", str(crimes), "--no-progress"]) == 0
    capsys.readouterr()
    code = main(["--db", str(db), "compare", "--place", "Stockholm", "--periods", "2024", "2025",
                 "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    row, = json.loads(out)
    return row


def test_a_json_stat2_population_table_gives_the_rates(tmp_path, capsys, monkeypatch):
    path = tmp_path / "folkmangd.json"
    path.write_text(json.dumps(_dataset(["0180", "0184"], [1_010_000, 1_025_000, 85_000, None],
                                        status={"3": ".."}), ensure_ascii=False), encoding="utf-8")
    row = _rates(tmp_path, capsys, monkeypatch, path)
    assert row["rate_a"] == pytest.approx(12_000 / 1_010_000 * 1000)  # 11,88 per 1 000
    assert row["rate_b"] == pytest.approx(11_500 / 1_025_000 * 1000)  # 11,22


@pytest.mark.parametrize("form", ["sparse", "v1_bundle", "no_metric", "index_object"])
def test_json_stat_variants_read_the_same_figures(tmp_path, form):
    dataset = _dataset(["0180", "0184"], [1_010_000, 1_025_000, 85_000, None])
    if form == "sparse":
        dataset["value"] = {"0": 1_010_000, "1": 1_025_000, "2": 85_000}
    elif form == "v1_bundle":  # PxWebApi v1 "json-stat" (1.x): id and size under dimension
        dataset["dimension"]["id"], dataset["dimension"]["size"] = dataset.pop("id"), dataset.pop("size")
        dataset = {"dataset": dataset}
    elif form == "no_metric":
        dataset = _dataset(["0180", "0184"], [1_010_000, 1_025_000, 85_000, None], metric=False)
    else:
        dataset["dimension"]["Region"]["category"]["index"] = {"0184": 1, "0180": 0}
    path = tmp_path / "f.json"
    path.write_text(json.dumps(dataset), encoding="utf-8")
    frame = read_population(path)
    got = sorted((r.area, int(r.year), int(r.population), r.name) for r in frame.itertuples())
    assert got == [("0180", 2024, 1_010_000, "Stockholm"), ("0180", 2025, 1_025_000, "Stockholm"),
                   ("0184", 2024, 85_000, "Solna")]


def test_json_stat_deso_codes_and_a_split_by_kon_are_read(tmp_path):
    # Region × Kon × ContentsCode × Tid, the last fastest: 0180C1090 män 2024, män 2025, kvinnor 2024, …
    dataset = _dataset(["0180C1090"], [1_200, 1_210, 1_300, 1_320], extra=True)
    path = tmp_path / "deso.json"
    path.write_text(json.dumps(dataset), encoding="utf-8")
    frame = read_population(path)
    got = sorted((r.area, int(r.year), int(r.population)) for r in frame.itertuples())
    assert got == [("0180C1090", 2024, 2_500), ("0180C1090", 2025, 2_530)]
    assert "name" not in frame  # a DeSO's label is its code, not a name


PX = ('CHARSET="ANSI";\r\nAXIS-VERSION="2010";\r\nCODEPAGE="{codepage}";\r\nLANGUAGE="sv";\r\n'
      'DECIMALS=0;\r\nMATRIX="BE0101N1";\r\nSUBJECT-AREA="Befolkning";\r\n'
      'DESCRIPTION="Folkmängden per region, kön och år";\r\nTITLE="Folkmängden efter region, kön och år";\r\n'
      'TITLE[en]="Population by region, sex and year";\r\n'
      'CONTENTS="Folkmängden";\r\nUNITS="antal";\r\nSTUB="region","kön";\r\nHEADING="år";\r\n'
      'VALUES("region")="0180 Stockholm","0184 "\r\n"Solna";\r\nVALUES("kön")="män","kvinnor";\r\n'
      'VALUES("år")="2024","2025";\r\nTIMEVAL("år")=TLIST(A1),"2024","2025";\r\n'
      'CODES("region")="0180","0184";\r\nCODES("kön")="1","2";\r\n'
      'NOTEX("region")="Uppgifterna avser förhållandet den 31 december respektive år.";\r\n'
      'SOURCE="Statistiska centralbyrån (SCB)";\r\n'
      'DATA=\r\n500000 505000 \r\n510000 520000 \r\n42000 ".." \r\n43000 "..";\r\n')


@pytest.mark.parametrize("codepage", ["iso-8859-1", "utf-8"])
def test_a_pc_axis_file_gives_the_rates(tmp_path, capsys, monkeypatch, codepage):
    path = tmp_path / "BE0101N1.px"
    path.write_bytes(PX.format(codepage=codepage).encode("cp1252" if codepage != "utf-8" else "utf-8"))
    row = _rates(tmp_path, capsys, monkeypatch, path)
    assert row["rate_a"] == pytest.approx(12_000 / (500_000 + 510_000) * 1000)  # men + women
    assert row["rate_b"] == pytest.approx(11_500 / (505_000 + 520_000) * 1000)
    frame = read_population(path)
    got = sorted((r.area, int(r.year), int(r.population), r.name) for r in frame.itertuples())
    assert got == [("0180", 2024, 1_010_000, "Stockholm"), ("0180", 2025, 1_025_000, "Stockholm"),
                   ("0184", 2024, 85_000, "Solna")]


BAD_JSON = {
    "negative": (_dataset(["0180", "0184"], [1, -3, 5, 6]), "$.value[1] (region 0180"),
    "size": ({**_dataset(["0180", "0184"], [1, 2, 3, 4]), "size": [2, 1, 3]}, "size säger 3"),
    "count": (_dataset(["0180", "0184"], [1, 2, 3]), "$.value: har 3 värden men dimensionerna ger 4"),
    "months": ({**_dataset(["0180"], [1, 2]), "dimension": {**_dataset(["0180"], [1, 2])["dimension"], "Tid": {
        "label": "månad", "category": {"index": ["2024M01", "2024M02"]}}}}, 'har tiden "2024M01", inget år'),
    "not_jsonstat": ({"city": [{"year": 2020, "pop": 5}]}, "ingen JSON-stat-tabell"),
    "fraction": (_dataset(["0180"], [1_000.5, 2_000]), "befolkningen måste vara ett heltal"),
}


@pytest.mark.parametrize("case", sorted(BAD_JSON))
def test_a_bad_json_stat_file_is_refused_in_swedish_with_exit_2(tmp_path, capsys, monkeypatch, case):
    doc, said = BAD_JSON[case]
    path = tmp_path / "folkmangd.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    crimes = tmp_path / "bra.csv"
    crimes.write_text(CRIMES, encoding="utf-8")
    db = tmp_path / "s.sqlite"
    assert main(["--db", str(db), "ingest", "crimes", str(crimes), "--no-progress"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("LAGESBILD_POPULATION_FILE", str(path))
    code = main(["--db", str(db), "compare", "--place", "Stockholm", "--periods", "2024", "2025"])
    err = capsys.readouterr().err
    assert code == 2
    assert "folkmangd.json" in err and said in err and "Traceback" not in err


@pytest.mark.parametrize(("change", "said"), [
    (lambda t: t.replace('43000 "..";', '43000 ".."\r\n7;'), "rad 29: DATA har fler värden än variablerna ger (8)"),
    (lambda t: t.replace('43000 "..";', '43000;'), "rad 28: DATA har 7 värden men variablerna ger 8"),
    (lambda t: t + 'VALUES("år")="2026";\r\n', "rad 29: text efter DATA"),
    (lambda t: t.replace('STUB="region","kön";', 'KEYS("region")=CODES;\r\nSTUB="region","kön";'), "KEYS"),
    (lambda t: t.replace("DATA=", "DATA"), 'rad 24: "DATA" är inget px-nyckelord'),
    (lambda t: t.replace('CODEPAGE="iso-8859-1"', 'CODEPAGE="ebcdic"'), 'CODEPAGE "ebcdic"'),
    (lambda t: t.replace('500000 505000', '500000 -5'), "rad 25, värde \"-5\": DATA värde 2 (region 0180, kön 1, år 2025)"),
])
def test_a_bad_px_file_is_refused_naming_its_line(tmp_path, change, said):
    path = tmp_path / "f.px"
    path.write_bytes(change(PX.format(codepage="iso-8859-1")).encode("cp1252"))
    with pytest.raises(Exception) as info:
        read_population(path)
    assert type(info.value).__name__ == "InputError"
    assert said in info.value.message()


@pytest.mark.parametrize(("file", "what"), [("scb.px", "PC-Axis-fil (px)"), ("scb.json", "JSON-stat-tabell")])
@pytest.mark.parametrize("kind", ["crimes", "incidents", "survey"])
def test_a_statistics_cube_read_as_a_table_is_refused_saying_what_it_is(tmp_path, capsys, file, what, kind):
    path = tmp_path / file
    if file.endswith(".px"):
        path.write_bytes(PX.format(codepage="utf-8").encode("utf-8"))
    else:
        path.write_text(json.dumps(_dataset(["0180"], [1, 2])), encoding="utf-8")
    code = main(["--db", str(tmp_path / "s.sqlite"), "ingest", kind, str(path), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"filen är en {what} från en statistikdatabas" in err and "spara tabellen som CSV" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_a_json_stat_file_saved_again_by_notepad_is_read(tmp_path, encoding):
    path = tmp_path / "folkmangd.json"
    path.write_bytes(json.dumps(_dataset(["0180"], [1_010_000, 1_025_000]), ensure_ascii=False, indent=2)
                     .encode(encoding))
    frame = read_population(path)
    assert sorted((r.area, int(r.year), int(r.population)) for r in frame.itertuples()) == \
        [("0180", 2024, 1_010_000), ("0180", 2025, 1_025_000)]


def test_a_cube_of_another_figure_is_refused_naming_it(tmp_path):
    doc = _dataset(["0180"], [1_200, 1_300])
    doc["dimension"]["ContentsCode"]["category"]["label"] = {"000005FE": "Folkökning"}
    path = tmp_path / "f.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError, match='innehåller "Folkökning", inte folkmängd'):
        read_population(path)
    path = tmp_path / "f.px"
    path.write_bytes(PX.format(codepage="utf-8").replace('CONTENTS="Folkmängden"', 'CONTENTS="Levande födda"')
                     .encode("utf-8"))
    with pytest.raises(InputError, match='innehåller "Levande födda", inte folkmängd'):
        read_population(path)
    doc["dimension"]["ContentsCode"]["category"]["label"] = {"000005FE": "Antal personer"}  # guard: a head count
    path = tmp_path / "g.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert read_population(path)["population"].tolist() == [1_200, 1_300]
