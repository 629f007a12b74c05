"""`compare --format csv` named each category by its id alone ("vald_nara_relation"); a coordinator
opening it in Excel now also gets the name the text table and Plats use ("Våld i nära relation"), in a
"Kategori" column beside "Kategori-id". Reference: the demo's category table (categories.yaml)."""

from __future__ import annotations

import csv
import io
import json


def test_compare_csv_and_json_name_the_categories(demo_store_path, capsys):
    from lagesbild.cli import main

    capsys.readouterr()
    assert main(["--db", str(demo_store_path), "compare", "--place", "hasselby-torg", "--format", "csv"]) == 0
    rows = [r for r in csv.reader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff")), delimiter=";")
            if not r[0].startswith("# ")]
    header, body = rows[0], rows[1:]
    at, name_at = header.index("Kategori-id"), header.index("Kategori")
    assert name_at == at + 1
    names = {r[at]: r[name_at] for r in body}
    assert names["skadegorelse"] == "Skadegörelse" and names["narkotikabrott"] == "Narkotikabrott"
    assert names.get("alla") == "Alla valda kategorier"
    assert main(["--db", str(demo_store_path), "compare", "--place", "hasselby-torg", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {r["category"]: r["category_name"] for r in records} == names
