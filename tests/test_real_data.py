"""Real Swedish data as it comes: Brå files in a fresh store, built-in geography, partial uploads."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from scipy.stats import binomtest

from lagesbild import analysis
from lagesbild.errors import InputError
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings
from lagesbild.sources.geography import builtin_places, find_builtin
from lagesbild.store import Store

DATA = Path(__file__).resolve().parent / "data" / "bra"


def test_bra_files_load_into_a_fresh_store_and_compare_yearly(store):
    y = ingest_file(store, "crimes", DATA / "bra_omraden_ar.csv")
    m = ingest_file(store, "crimes", DATA / "bra_boden_manad.csv")
    assert (y.rejected, m.rejected) == (0, 0) and (y.accepted, m.accepted) == (84, 140)
    assert set(y.builtin_places) == {"goteborg", "boden", "hasselby-vallingby", "skarholmen"}
    assert m.replaced == 0  # a monthly file does not replace the yearly counts of the same year
    out = analysis.place_comparison(store, "hasselby-vallingby", ["2024", "2025"])
    lines = (DATA / "bra_omraden_ar.csv").read_text(encoding="utf-8").splitlines()
    row = next(x for x in lines if x.startswith("Hässelby-Vällingby;Rån mot privatperson")).split(";")
    ran = out.set_index("category").loc["personran"]
    assert (ran["count_a"], ran["count_b"]) == (int(row[4]), int(row[6]))
    ref = binomtest(int(row[6]), int(row[4]) + int(row[6]), 0.5).pvalue  # 2024 and 2025: equally long
    assert ran["p_unadjusted"] == pytest.approx(ref, rel=1e-9)  # p_value: after BH over the table
    # the file has three years: too few to estimate the year-to-year variation, and the verdict says so
    assert ran["verdict"] == "ökning, statistiskt säkerställd (exakt Poissontest: för kort historik)"
    assert not out["verdict"].str.startswith("kan inte bedömas").any()
    assert "totalt" in set(out["category"]) and "alla" not in set(out["category"])
    assert store.data_until() == pd.Timestamp("2025-12-31").date()
    by = store.data_until_by_source().set_index(["category", "grain"])["data_until"]
    assert by[("narkotikabrott", "month")] == pd.Timestamp("2026-08-31").date()
    assert by[("narkotikabrott", "year")] == pd.Timestamp("2025-12-31").date()


def test_compare_command_gives_verdicts_for_yearly_data(tmp_path, capsys):
    from lagesbild.cli import main

    db = str(tmp_path / "s.sqlite")
    assert main(["--db", db, "ingest", "crimes", str(DATA / "bra_omraden_ar.csv")]) == 0
    assert main(["--db", db, "compare", "--place", "Göteborg", "--periods", "2024", "2025",
                 "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert rows and all(not r["verdict"].startswith("kan inte bedömas") for r in rows)


def test_builtin_geography():
    g = builtin_places()
    assert (g["kind"] == "kommun").sum() + 1 == 290 and (g["kind"] == "lan").sum() == 21
    assert (g["kind"] == "stadsdel").sum() == 117 and (g["kind"] == "stadsdelsomrade").sum() == 13
    districts = set(g.loc[g["kind"] == "stadsdelsomrade", "place_id"])
    assert set(g.loc[g["kind"] == "stadsdel", "district_id"]) <= districts
    assert g["place_id"].is_unique and g.geometry.is_valid.all()
    for text, pid in [("Stockholm", "stockholm"), ("Hässelby-Vällingby", "hasselby-vallingby"),
                      ("Göteborg", "goteborg"), ("Boden", "boden"), ("0180", "stockholm"),
                      ("Göteborgs stad", "goteborg"), ("MALMÖ", "malmo"), ("Stockholms län", "stockholms-lan")]:
        assert find_builtin(text) == pid, text
    # a stadsdel lies inside its district (most of its area)
    hg = g.set_index("place_id")
    inside = hg.loc["hasselby-gard"].geometry.intersection(hg.loc["hasselby-vallingby"].geometry).area
    assert inside / hg.loc["hasselby-gard"].geometry.area > 0.95


def _square_naming_its_district(path: Path) -> None:
    """A coordinator's first places file: one square that names its district, Hässelby-Vällingby."""
    square = [[17.8425, 59.3668], [17.8441, 59.3668], [17.8441, 59.3680], [17.8425, 59.3680],
              [17.8425, 59.3668]]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"namn": "Ruta vid torget", "typ": "omrade",
                                          "stadsdelsområde": "Hässelby-Vällingby"},
        "geometry": {"type": "Polygon", "coordinates": [square]}}]}), encoding="utf-8")


def test_fresh_store_accepts_places_naming_their_district(store, tmp_path):
    f = tmp_path / "rutor.geojson"
    _square_naming_its_district(f)
    rep = ingest_file(store, "places", f)
    assert rep.rejected == 0 and rep.builtin_places == ["hasselby-vallingby"]
    p = store.places().set_index("name")
    assert p.loc["Ruta vid torget", "district_id"] == "hasselby-vallingby"
    assert p.loc["Hässelby-Vällingby", "kind"] == "stadsdelsomrade"


def test_unknown_district_is_still_refused(store, tmp_path):
    f = tmp_path / "p.geojson"
    f.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"namn": "X", "typ": "omrade", "stadsdelsområde": "Atlantis"},
        "geometry": {"type": "Polygon", "coordinates": [[[17.84, 59.36], [17.85, 59.36],
                                                         [17.85, 59.37], [17.84, 59.36]]]}}]}))
    with pytest.raises(InputError) as exc:
        ingest_file(store, "places", f)
    assert "okänt stadsdelsområde" in exc.value.message()


def _monthly_file(path, places, months, categories, value=10):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["Plats", "Brottskategori", "Månad", "Antal"])
        for p in places:
            for m in months:
                for i, c in enumerate(categories):
                    w.writerow([p, c, m, value + i + (len(p) % 3)])
    return path


def test_partial_upload_leaves_other_places_and_categories_as_they_were(store, tmp_path):
    months = [f"{y}-{m:02d}" for y in (2021, 2022, 2023) for m in range(1, 13)
              if (y, m) >= (2021, 9) and (y, m) <= (2023, 8)]
    places = ["Boden", "Göteborg", "Kiruna"]
    ingest_file(store, "crimes", _monthly_file(tmp_path / "a.csv", places, months,
                                               ["Narkotika", "Skadegörelse"]))
    assert store.data_until() == pd.Timestamp("2023-08-31").date()
    before = {p: analysis.place_comparison(store, p) for p in ("boden", "goteborg", "kiruna")}
    # three rows for September 2023, one place, one category
    small = tmp_path / "b.csv"
    small.write_text("Plats;Brottskategori;Månad;Antal\nBoden;Narkotika;2023-09;3\n", encoding="utf-8")
    ingest_file(store, "crimes", small)  # the same source as the first file
    assert store.data_until() == pd.Timestamp("2023-08-31").date()
    for p in ("goteborg", "kiruna", "boden"):
        after = analysis.place_comparison(store, p)
        if p == "boden":  # its own history gained a month: the dispersion estimate may move, not the counts
            cols = ["category", "period_a", "period_b", "count_a", "count_b", "change", "verdict"]
            pd.testing.assert_frame_equal(after[cols], before[p][cols])
        else:
            pd.testing.assert_frame_equal(after, before[p])
        assert not (after["pct_change"] == -100).any()
    # Boden's skadegörelse is not turned into zero by the upload of narkotika
    sep = analysis.place_comparison(store, "boden", ["2022-09", "2023-09"]).set_index("category")
    assert sep.loc["skadegorelse", "verdict"].startswith("kan inte bedömas")
    assert sep.loc["narkotikabrott", "count_b"] == 3


def test_keep_valid_counts_and_lists_every_rejected_row(store, tmp_path):
    rows = ["Plats;Brott;År;Antal"] + [f"Boden;Ofog {i % 3};{2000 + i};1" for i in range(26)] + [
        "Boden;Rån;2024;2"]
    f = tmp_path / "k.csv"
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    rep = ingest_file(store, "crimes", f, keep_valid=True, report_path=tmp_path / "avv.csv")
    assert (rep.accepted, rep.rejected) == (1, 26) and "26 avvisade" in rep.message
    with open(tmp_path / "avv.csv", encoding="utf-8-sig") as fh:
        listed = list(csv.reader(fh, delimiter=";"))[1:]
    assert sorted(int(r[2]) for r in listed) == list(range(2, 28))


def test_old_store_coverage_is_upgraded(tmp_path):
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE coverage (source VARCHAR(120) NOT NULL, place_id VARCHAR(120), "
                "month DATE NOT NULL)")
    con.execute("INSERT INTO coverage VALUES ('inc', NULL, '2020-01-01')")
    con.commit()
    con.close()
    s = Store(f"sqlite:///{path}")
    cov = s.coverage()
    assert cov[["source", "month"]].values.tolist() == [["inc", pd.Timestamp("2020-01-01")]]
    assert cov["category"].isna().all() and cov["place_id"].isna().all()
    assert s.meta()["schema_version"] == "3"


def test_settings_store_sync_still_works(tmp_path):
    s = load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "x.sqlite"))
    assert "totalt" in set(open_store(s).categories()["category_id"])


def test_partial_incident_upload_covers_only_its_places_and_categories(places_store, tmp_path):
    import numpy as np

    places = places_store.places_gdf()
    rng = np.random.default_rng(7)
    pts = []
    for pid in ("hasselby-torg", "varberg", "bredang"):
        geom = places.set_index("place_id").loc[pid, "geometry"]
        c = geom.representative_point()
        pts.append((pid, c.x, c.y))
    rows = ["Händelse-id,Brottsdatum,Klockslag,Brottskategori,E,N"]
    n = 0
    for month in pd.period_range("2021-09", "2023-08", freq="M"):
        for _pid, x, y in pts:
            for cat in ("Narkotika", "Skadegörelse"):
                for _ in range(int(rng.integers(3, 9))):
                    n += 1
                    rows.append(f"H-{n},{month.start_time:%Y-%m}-05,12:00,{cat},{x:.1f},{y:.1f}")
    big = tmp_path / "inc.csv"
    big.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ingest_file(places_store, "incidents", big)
    assert places_store.data_until() == pd.Timestamp("2023-08-31").date()
    before = {p: analysis.place_comparison(places_store, p) for p in ("varberg", "bredang")}
    _, x, y = pts[0]
    small = tmp_path / "small.csv"
    small.write_text("Händelse-id,Brottsdatum,Klockslag,Brottskategori,E,N\n" + "".join(
        f"S-{i},2023-09-0{i},12:00,Narkotika,{x:.1f},{y:.1f}\n" for i in (1, 2, 3)), encoding="utf-8")
    ingest_file(places_store, "incidents", small)
    assert places_store.data_until() == pd.Timestamp("2023-08-31").date()
    cov = places_store.coverage()
    sep = cov[cov["month"] == pd.Timestamp("2023-09-01")]
    assert set(sep["category"]) == {"narkotikabrott"}
    assert "varberg" not in set(sep["place_id"]) and "hasselby-torg" in set(sep["place_id"])
    for p in ("varberg", "bredang"):
        pd.testing.assert_frame_equal(analysis.place_comparison(places_store, p), before[p])


def test_source_total_is_shown_but_never_added_into_alla():
    from lagesbild.core.compare import counts_by_period

    monthly = pd.DataFrame({"place_id": "boden", "category": ["totalt", "inbrott", "narkotikabrott"],
                            "month": pd.Timestamp("2025-01-01"), "count": [100, 7, 20]})
    t = counts_by_period(monthly, ["2025-01"], place_id="boden").set_index("category")["count"]
    assert t["totalt"] == 100 and t["alla"] == 27


# ---- files shaped like real exports, run through the command line in a fresh data dir -------------

def _cli(db, *args) -> int:
    from lagesbild.cli import main

    return main(["--db", str(db), *args])


def _json(out: str) -> list[dict]:
    """The JSON rows of a command's output (after any lines naming the place)."""
    return json.loads(out[out.index("\n[") + 1:] if not out.startswith("[") else out)


def _data_rows(path: Path, header_start: str, delimiter: str = ",") -> list[dict]:
    """The table of a Brå-shaped file read independently (csv module): rows between the header and
    the blank line before Brå's notes."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    start = next(i for i, x in enumerate(lines) if x.startswith(header_start))
    end = next(i for i in range(start, len(lines)) if not lines[i].strip())
    return list(csv.DictReader(lines[start:end], delimiter=delimiter))


def _stored(db) -> dict:
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT place_id, category, period_start, count FROM crime_counts").fetchall()
    return {(p, c, str(s)[:10]): n for p, c, s, n in rows}


def test_cli_bra_yearly_goteborg_and_stadsomraden(tmp_path, capsys):
    """A Brå yearly file (title lines, notes, decimal comma, '..', Per100000) for Göteborg and its
    stadsområden: loads without a mapping file once the stadsområden are places, and compares."""
    db = tmp_path / "s.sqlite"
    assert _cli(db, "ingest", "places", str(DATA / "goteborg_stadsomraden.geojson")) == 0
    assert _cli(db, "ingest", "crimes", str(DATA / "bra_goteborg_ar.csv")) == 0
    out = capsys.readouterr().out
    assert "105 rader inlästa" in out and "delar vars överordnade brott finns i filen (30)" in out
    rows = _data_rows(DATA / "bra_goteborg_ar.csv", "År;", ";")
    stored = _stored(db)
    node = {"totalt": "5036", "misshandel": None, "narkotikabrott": "11650", "vapenbrott": "11708",
            "sexualbrott": "11093", "skadegorelse": "11099", "bedrageri": "11096", "olaga_hot": "11314"}
    for r in rows:
        cat = next((c for c, b in node.items() if b == r["Brott_ID"]), None)
        if cat is None:
            continue
        key = (r["Område"].lower().replace("ä", "a").replace("ö", "o"), cat, f"{r['År']}-01-01")
        want = None if r["Antal"] == ".." else (0 if r["Antal"] == "-" else int(r["Antal"]))
        assert stored[key] == want, key  # never Per100000
    for area in ("Göteborg", "Centrum", "Hisingen", "Nordost", "Sydväst"):
        assert _cli(db, "compare", "--place", area, "--periods", "2024", "2025", "--format", "json") == 0
        res = _json(capsys.readouterr().out)
        assert {r["category"] for r in res} >= {"totalt", "narkotikabrott", "skadegorelse"}
        assert not any(r["verdict"].startswith("kan inte bedömas") for r in res), area


def test_cli_tidy_yearly_reexport(tmp_path, capsys):
    """The issue's tidy re-export (year, area, crime_type, count): every row loads, no mapping."""
    db = tmp_path / "s.sqlite"
    assert _cli(db, "ingest", "places", str(DATA / "goteborg_stadsomraden.geojson")) == 0
    assert _cli(db, "ingest", "crimes", str(DATA / "bra_goteborg_ar_tidy.csv")) == 0
    assert "75 rader inlästa" in capsys.readouterr().out
    assert _cli(db, "compare", "--place", "Hisingen", "--periods", "2024", "2025", "--format", "json") == 0
    res = _json(capsys.readouterr().out)
    assert not any(r["verdict"].startswith("kan inte bedömas") for r in res)


def test_cli_tidy_yearly_reexport_in_a_fresh_store(tmp_path, capsys):
    """The issue's own case: the tidy re-export in a fresh store, with no places file: all 75 rows load
    (the stadsområden become areas without a shape under Göteborg) and 2024 is compared with 2025."""
    db = tmp_path / "s.sqlite"
    assert _cli(db, "ingest", "crimes", str(DATA / "bra_goteborg_ar_tidy.csv")) == 0
    out = capsys.readouterr().out
    assert "75 rader inlästa" in out and "nya områden utan karta under Göteborg" in out
    for place in ("Göteborg", "Hisingen"):
        assert _cli(db, "compare", "--place", place, "--periods", "2024", "2025", "--format", "json") == 0
        res = _json(capsys.readouterr().out)
        assert res and not any(r["verdict"].startswith("kan inte bedömas") for r in res)


def test_cli_yearly_file_with_a_misspelt_area_makes_no_new_area(tmp_path, capsys):
    """A name close to a known one is a typo, not a new area: refused with the usual message."""
    db = tmp_path / "s.sqlite"
    f = tmp_path / "stav.csv"
    f.write_text("year,area,crime_type,count\n2024,Göteborg,Totalt antal brott,100\n"
                 "2024,Centrum,Totalt antal brott,40\n2025,Göteborg,Totalt antal brott,90\n"
                 "2025,Centrum,Totalt antal brott,35\n", encoding="utf-8")
    assert _cli(db, "ingest", "crimes", str(f)) == 0
    capsys.readouterr()
    f.write_text("year,area,crime_type,count\n2025,Göteborg,Totalt antal brott,90\n"
                 "2025,Centrrum,Totalt antal brott,35\n", encoding="utf-8")
    assert _cli(db, "ingest", "crimes", str(f)) == 2
    err = capsys.readouterr().err
    assert "Centrrum" in err and "okänd plats" in err
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM places WHERE name = 'Centrrum'").fetchone() == (0,)


def test_cli_bra_monthly_hierarchy_names_or_ids(tmp_path, capsys):
    """Brå's monthly hierarchical layout with Brå's 41 nodes (full path names, real Brott_ID,
    Månad/Förälder_ID written as floats, '2026 prel., Aug'): loads without a mapping file; the same
    file with Brott_ID only gives the same store; parts are never added to their totals."""
    names, ids = tmp_path / "n.sqlite", tmp_path / "i.sqlite"
    assert _cli(names, "ingest", "crimes", str(DATA / "bra_boden_hierarki_manad.csv")) == 0
    assert _cli(ids, "ingest", "crimes", str(DATA / "bra_boden_hierarki_manad_id.csv")) == 0
    assert capsys.readouterr().out.count("240 rader inlästa") == 2
    stored = _stored(names)
    assert stored == _stored(ids)
    rows = _data_rows(DATA / "bra_boden_hierarki_manad.csv", "År,")
    by = {(r["Brott_ID"], int(r["År"]), int(float(r["Månad"]))): r["Antal"] for r in rows}

    def antal(bid, y, m):
        v = by[(bid, y, m)]
        return None if v == ".." else (0 if v == "-" else int(v))

    # category -> Brå's nodes summed into it (their parent in the file has no category of its own)
    parts = {"totalt": ["13192"], "misshandel": ["13197"], "sexualbrott": ["13678"],
             "skadegorelse": ["13216"], "bedrageri": ["13211"], "narkotikabrott": ["13236"],
             "vapenbrott": ["13247"], "bilbrott": ["13258", "13262"], "cykelstold": ["13260"],
             "inbrott": ["13264"], "ran": ["13268"], "tillgrepp_butik": ["13550"]}
    months = [(2025, m) for m in range(1, 13)] + [(2026, m) for m in range(1, 9)]
    assert len(stored) == len(parts) * len(months)
    for cat, bids in parts.items():
        for y, m in months:
            vals = [antal(b, y, m) for b in bids]
            want = None if None in vals else sum(vals)
            assert stored[("boden", cat, f"{y}-{m:02d}-01")] == want, (cat, y, m)
    assert stored[("boden", "bilbrott", "2025-03-01")] is None  # '..' in one part: the sum is unknown
    assert stored[("boden", "cykelstold", "2025-06-01")] == 0  # '-': nothing to report
    with sqlite3.connect(names) as con:
        prel = dict(con.execute("SELECT substr(period_start, 1, 7), max(preliminary) FROM crime_counts "
                                "GROUP BY 1").fetchall())
    assert prel["2026-08"] == 1 and prel["2025-12"] == 0
    assert _cli(names, "compare", "--place", "Boden", "--periods", "2025-08", "2026-08",
                "--format", "json") == 0
    res = _json(capsys.readouterr().out)
    assert not any(r["verdict"].startswith("kan inte bedömas") for r in res)


def test_cli_fresh_store_places_naming_their_district(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    f = tmp_path / "rutor.geojson"
    _square_naming_its_district(f)
    assert _cli(db, "ingest", "places", str(f)) == 0
    assert "hasselby-vallingby" in capsys.readouterr().out
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT district_id FROM places WHERE name = 'Ruta vid torget'").fetchone() == (
            "hasselby-vallingby",)


def test_cli_partial_upload_leaves_other_places_as_they_were(tmp_path, capsys):
    db = tmp_path / "s.sqlite"
    assert _cli(db, "ingest", "places", str(DATA / "goteborg_stadsomraden.geojson")) == 0
    assert _cli(db, "ingest", "crimes", str(DATA / "bra_goteborg_ar.csv")) == 0
    capsys.readouterr()

    def compare(area):
        assert _cli(db, "compare", "--place", area, "--periods", "2024", "2025", "--format", "json") == 0
        return {r["category"]: r for r in _json(capsys.readouterr().out)}

    before = {a: compare(a) for a in ("Göteborg", "Centrum", "Hisingen", "Nordost", "Sydväst")}
    small = tmp_path / "del.csv"
    small.write_text("Anmälda brott\n\nÅr;Periodtyp;Periodetikett;Område;Brott;Brott_ID;Antal;Per100000\n"
                     "2025;Helår;2025;Nordost;Brott mot specialstraffrättsliga författningar, Vapenlagen "
                     "(9 kap. 1-2 §);11708;3;2,4\n\nKälla: Brå\n", encoding="utf-8")
    assert _cli(db, "ingest", "crimes", str(small)) == 0
    capsys.readouterr()
    for area, was in before.items():
        now = compare(area)
        if area != "Nordost":
            assert now == was, area
        else:
            # its own counts stay; only the adjusted p-values move (FDR over the place's table)
            assert now["vapenbrott"]["count_b"] == 3
            keep = ("count_a", "count_b", "change", "p_unadjusted", "period_a", "period_b")
            assert {k: [v[c] for c in keep] for k, v in now.items() if k not in ("vapenbrott", "alla")} == {
                k: [v[c] for c in keep] for k, v in was.items() if k not in ("vapenbrott", "alla")}


def test_builtin_places_added_to_a_store_with_incidents_count_only_the_new_places(
        places_store, tmp_path, monkeypatch):
    """A crimes file naming a built-in place adds it; only it is indexed and counted, and the counts
    and coverage are what a full recount gives (Hässelby gård holds skadegörelse only, yet is
    covered for narkotika too, as the recount covers it); then the same for Stockholms län."""
    from lagesbild.ingest import handlers

    places = places_store.places_gdf().set_index("place_id")
    rows = ["Händelse-id,Brottsdatum,Klockslag,Brottskategori,E,N"]
    for i, pid in enumerate(("hasselby-torg", "bredang") * 6):
        c = places.loc[pid, "geometry"].representative_point()
        cat = "Narkotika" if pid == "bredang" else "Skadegörelse"
        rows.append(f"H-{i},2023-0{1 + i % 3}-05,12:00,{cat},{c.x:.1f},{c.y:.1f}")
    inc = tmp_path / "inc.csv"
    inc.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ingest_file(places_store, "incidents", inc)
    indexed = []
    real = handlers.PlaceIndex

    def spy(p):
        indexed.append(sorted(p["place_id"]))
        return real(p)

    monkeypatch.setattr(handlers, "PlaceIndex", spy)
    f = tmp_path / "brott.csv"
    f.write_text("Plats;Brottskategori;År;Antal\nHässelby gård;Rån;2023;1\n", encoding="utf-8")
    rep = ingest_file(places_store, "crimes", f)
    assert rep.builtin_places == ["hasselby-gard"] and indexed == [["hasselby-gard"]]
    f.write_text("Plats;Brottskategori;År;Antal\nStockholms län;Rån;2023;5\n", encoding="utf-8")
    rep = ingest_file(places_store, "crimes", f)
    assert rep.builtin_places == ["stockholms-lan"] and indexed[1:] == [["stockholms-lan"]]

    def snapshot():
        with places_store.engine.connect() as con:
            counts = pd.read_sql("SELECT * FROM incident_counts", con).sort_values(
                ["source", "place_id", "category", "year"]).reset_index(drop=True)
            cov = pd.read_sql("SELECT source, place_id, category, month, grain FROM coverage", con)
        return counts, cov.sort_values(list(cov.columns)).reset_index(drop=True)

    counts, cov = snapshot()
    lan = counts[counts["place_id"] == "stockholms-lan"]
    assert lan.filter(like="m").sum(numeric_only=True).sum() > 0  # the län holds the points
    gard = counts[counts["place_id"] == "hasselby-gard"]
    assert set(gard["category"]) == {"skadegorelse"}
    monthly = cov[(cov["place_id"] == "hasselby-gard") & (cov["grain"] == "month")]
    assert set(monthly["category"]) == {"skadegorelse", "narkotikabrott"}
    monkeypatch.setattr(handlers, "PlaceIndex", real)
    with places_store.transaction() as w:
        handlers.rebuild_incident_counts(w)
    full_counts, full_cov = snapshot()
    pd.testing.assert_frame_equal(counts, full_counts)
    pd.testing.assert_frame_equal(cov, full_cov)


def test_survey_ingest_raises_no_pandas_future_warning(store, tmp_path):
    """The survey path fills its level column (here: from the place kinds, no Level column) without
    pandas' object downcasting (FutureWarning)."""
    import warnings

    f = tmp_path / "trygghet.csv"
    f.write_text("Område;År;Indikator;Andel;Svarande\nBoden;2024;Otrygg utomhus sent en kväll;0,31;210\n"
                 "Vårberg;2024;Otrygg utomhus sent en kväll;0,22;480\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        rep = ingest_file(store, "survey", f)
    assert rep.accepted == 2
    levels = dict(zip(store.survey()["place_id"], store.survey()["level"], strict=True))
    assert levels == {"boden": "plats", "varberg": "plats"}  # no kind gives a level: the default


# Brå's nodes in bra_goteborg_ar.csv -> the dashboard's categories (misshandel has no node there)
GBG_NODES = {"5036": "totalt", "11650": "narkotikabrott", "11708": "vapenbrott", "11093": "sexualbrott",
             "11099": "skadegorelse", "11096": "bedrageri", "11314": "olaga_hot"}
GBG_AREAS = ("Göteborg", "Centrum", "Hisingen", "Nordost", "Sydväst")


def _file_counts() -> dict:
    """(area, category, year) -> count, read from the Brå file with the csv module."""
    out = {}
    for r in _data_rows(DATA / "bra_goteborg_ar.csv", "År;", ";"):
        if r["Brott_ID"] in GBG_NODES:
            v = r["Antal"]
            out[(r["Område"], GBG_NODES[r["Brott_ID"]], int(r["År"]))] = (
                None if v == ".." else (0 if v == "-" else int(v)))
    return out


def test_cli_bra_yearly_goteborg_without_places_file(tmp_path, capsys):
    """Göteborg's stadsområden have no shape here: a fresh store loads the Brå file without a places
    file, stores them as areas without a shape under Göteborg (said in the report), and compares
    them; a places file given later gives them their shapes and the counts stay."""
    db = tmp_path / "s.sqlite"
    assert _cli(db, "ingest", "crimes", str(DATA / "bra_goteborg_ar.csv")) == 0
    out = capsys.readouterr().out
    assert "105 rader inlästa" in out
    assert ("4 nya områden utan karta under Göteborg: Centrum, Hisingen, Nordost, Sydväst. "
            "Lägg in en platsfil för att få dem på kartan.") in out
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT name, kind, district_id, wkt_3006, wkt_4326 FROM places "
                           "ORDER BY name").fetchall()
    assert [r[0] for r in rows] == sorted(GBG_AREAS)
    sub = [r for r in rows if r[0] != "Göteborg"]
    assert all(r[1:] == ("stadsdelsomrade", "goteborg", "POLYGON EMPTY", "POLYGON EMPTY") for r in sub)
    want = _file_counts()
    for area in GBG_AREAS:
        assert _cli(db, "compare", "--place", area, "--periods", "2024", "2025", "--format", "json") == 0
        res = {r["category"]: r for r in _json(capsys.readouterr().out)}
        assert set(res) >= {"totalt", "narkotikabrott", "skadegorelse"}, area
        assert not any(r["verdict"].startswith("kan inte bedömas") for r in res.values()), area
        for cat in ("narkotikabrott", "skadegorelse", "sexualbrott"):
            a, b = want[(area, cat, 2024)], want[(area, cat, 2025)]
            assert (res[cat]["count_a"], res[cat]["count_b"]) == (a, b), (area, cat)
            ref = binomtest(b, a + b, 0.5).pvalue  # 2024 has 366 days, still a year as long as 2025
            assert res[cat]["p_unadjusted"] == pytest.approx(ref, rel=1e-9), (area, cat)
    assert _cli(db, "status") == 0
    assert ("Platser (5): Centrum (saknar karta), Göteborg, Hisingen (saknar karta), Nordost (saknar karta), "
            "Sydväst (saknar karta)") in capsys.readouterr().out
    before = _stored(db)
    assert _cli(db, "ingest", "places", str(DATA / "goteborg_stadsomraden.geojson")) == 0
    assert _cli(db, "status") == 0
    assert "Platser (5): Centrum, Göteborg, Hisingen, Nordost, Sydväst" in capsys.readouterr().out
    with sqlite3.connect(db) as con:
        after = dict(con.execute("SELECT name, wkt_3006 FROM places WHERE name != 'Göteborg'").fetchall())
        ids = {r[0] for r in con.execute("SELECT place_id FROM places")}
    assert sorted(after) == sorted(GBG_AREAS[1:]) and len(ids) == 5  # replaced, not added
    assert all(w.startswith("POLYGON ((") for w in after.values())
    assert _stored(db) == before
    assert _cli(db, "compare", "--place", "Hisingen", "--periods", "2024", "2025", "--format", "json") == 0
    assert not any(r["verdict"].startswith("kan inte bedömas") for r in _json(capsys.readouterr().out))


def test_cli_bra_namesake_area_of_another_kommun_gets_its_own_place(tmp_path, capsys):
    """Göteborg and Malmö both have a "Centrum": a Malmö file loaded after Göteborg's gets a Centrum of
    its own under Malmö (malmo-centrum), and Göteborg's counts stay as they were."""
    db = tmp_path / "s.sqlite"
    assert _cli(db, "ingest", "crimes", str(DATA / "bra_goteborg_ar.csv")) == 0
    gbg = _stored(db)
    text = (DATA / "bra_goteborg_ar.csv").read_text(encoding="utf-8-sig")
    for old, new in (("Göteborg", "Malmö"), ("Hisingen", "Innerstaden"), ("Nordost", "Norr"),
                     ("Sydväst", "Söder")):
        text = text.replace(old, new)
    malmo = tmp_path / "bra_malmo_ar.csv"
    malmo.write_text(text, encoding="utf-8")
    assert _cli(db, "ingest", "crimes", str(malmo)) == 0
    assert "4 nya områden utan karta under Malmö: Centrum, Innerstaden, Norr, Söder." in capsys.readouterr().out
    with sqlite3.connect(db) as con:
        centra = con.execute("SELECT place_id, district_id FROM places WHERE name = 'Centrum' "
                             "ORDER BY place_id").fetchall()
    assert centra == [("centrum", "goteborg"), ("malmo-centrum", "malmo")]
    after = _stored(db)
    assert {k: v for k, v in after.items() if k in gbg} == gbg  # Göteborg untouched
    want = {(area.replace("Göteborg", "Malmö"), cat, year): n for (area, cat, year), n in _file_counts().items()
            if area in ("Göteborg", "Centrum")}
    ids = {"Malmö": "malmo", "Centrum": "malmo-centrum"}
    for (area, cat, year), n in want.items():
        if n is not None:
            assert after[(ids[area], cat, f"{year}-01-01")] == n, (area, cat, year)


def test_cli_bra_unknown_area_with_two_kommuner_is_refused(tmp_path, capsys):
    """Whose sub-area an unknown area is cannot be told when the file names two kommuner: refused as
    before, with the Swedish message and exit code 2, and nothing written."""
    db = tmp_path / "s.sqlite"
    f = tmp_path / "tva.csv"
    f.write_text("Anmälda brott\n\nÅr;Periodtyp;Periodetikett;Område;Brott;Brott_ID;Antal;Per100000\n"
                 "2025;Helår;2025;Göteborg;Totalt antal brott;5036;100;1,0\n"
                 "2025;Helår;2025;Boden;Totalt antal brott;5036;50;1,0\n"
                 "2025;Helår;2025;Centrum;Totalt antal brott;5036;20;1,0\n\nKälla: Brå\n", encoding="utf-8")
    assert _cli(db, "ingest", "crimes", str(f)) == 2
    err = capsys.readouterr().err
    assert "rad 6" in err and "Centrum" in err and "okänd plats" in err and "Traceback" not in err
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM places").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM crime_counts").fetchone() == (0,)
    # the whole country is never a sub-area of the one kommun: its rows are skipped, and said
    f.write_text("Anmälda brott\n\nÅr;Periodtyp;Periodetikett;Område;Brott;Brott_ID;Antal;Per100000\n"
                 "2025;Helår;2025;Göteborg;Totalt antal brott;5036;100;1,0\n"
                 "2025;Helår;2025;Riket;Totalt antal brott;5036;50;1,0\n\nKälla: Brå\n", encoding="utf-8")
    assert _cli(db, "ingest", "crimes", str(f)) == 0
    assert "rader för hela landet (ingen plats här) (1)" in capsys.readouterr().out
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT place_id FROM places").fetchall() == [("goteborg",)]
        assert con.execute("SELECT place_id, count FROM crime_counts").fetchall() == [("goteborg", 100)]


def test_places_file_with_its_own_ids_gives_shapeless_areas_their_shape(store, tmp_path):
    """A places file that names a shapeless area by name under an id of its own replaces the empty
    geometry of the stored area (its id and counts stay) instead of adding a second Centrum."""
    from sqlalchemy import text

    def counts():
        with store.engine.connect() as con:
            return sorted(con.execute(text("SELECT place_id, category, period_start, count "
                                           "FROM crime_counts")).all())

    ingest_file(store, "crimes", DATA / "bra_goteborg_ar.csv")
    before = counts()
    assert len(before) == 105
    geo = json.loads((DATA / "goteborg_stadsomraden.geojson").read_text(encoding="utf-8"))
    for i, f in enumerate(geo["features"]):
        f["properties"]["id"] = f"gbg-{i}"
        if i % 2:
            del f["properties"]["stadsdelsområde"]  # the stored area's kommun is kept
        else:
            f["properties"]["stadsdelsområde"] = "Göteborgs stad"
    other = json.loads(json.dumps(geo["features"][0]))  # a Centrum of another kommun: a place of its own
    other["properties"].update(id="malmo-c", stadsdelsområde="Malmö")
    other["geometry"]["coordinates"] = [[[13.0, 55.6], [13.01, 55.6], [13.01, 55.61], [13.0, 55.6]]]
    geo["features"].append(other)
    path = tmp_path / "egna_id.geojson"
    path.write_text(json.dumps(geo), encoding="utf-8")
    rep = ingest_file(store, "places", path)
    assert rep.accepted == 5
    places = store.places().set_index("place_id")
    assert sorted(places.index) == ["centrum", "goteborg", "hisingen", "malmo", "malmo-c", "nordost",
                                    "sydvast"]
    assert places.loc["malmo-c", "district_id"] == "malmo"
    sub = places.drop(index=["goteborg", "malmo", "malmo-c"])
    assert sub["wkt_3006"].str.startswith("POLYGON ((").all() and (sub["district_id"] == "goteborg").all()
    assert counts() == before
    out = analysis.place_comparison(store, "centrum", ["2024", "2025"])
    assert not out["verdict"].str.startswith("kan inte bedömas").any()


def test_a_yearly_place_has_one_family_whichever_categories_are_asked(store):
    # Brå's yearly counts: a category's adjusted p-value was that of the categories asked (the
    # command line with --category gave 0.688 where the Plats page gave 0.900 for the same test)
    from statsmodels.stats.multitest import multipletests

    ingest_file(store, "crimes", DATA / "bra_omraden_ar.csv")
    every = analysis.place_comparison(store, "hasselby-vallingby", ["2024", "2025"])
    ref = multipletests(every["p_unadjusted"], alpha=0.05, method="fdr_bh")[1]
    assert every["p_value"].tolist() == pytest.approx(list(ref), rel=1e-12)
    every = every.set_index("category")
    for asked in (["inbrott"], ["inbrott", "personran"]):
        some = analysis.place_comparison(store, "hasselby-vallingby", ["2024", "2025"],
                                         categories=asked).set_index("category")
        assert list(some.index) == asked
        for c in asked:
            assert some.loc[c, "p_value"] == pytest.approx(every.loc[c, "p_value"], rel=1e-12)
            assert some.loc[c, "verdict"] == every.loc[c, "verdict"]
        assert some.attrs["fdr"]["m"] == len(every)


REGIONS = {  # the 21 regions' own names (SKR's list) and the built-in place each stands for
    "Region Stockholm": "stockholms-lan", "Region Uppsala": "uppsala-lan", "Region Sörmland": "sodermanlands-lan",
    "Region Östergötland": "ostergotlands-lan", "Region Jönköpings län": "jonkopings-lan",
    "Region Kronoberg": "kronobergs-lan", "Region Kalmar län": "kalmar-lan",
    "Region Gotland": "gotland",  # the kommun, which has the region's tasks (the län is the same area)
    "Region Blekinge": "blekinge-lan", "Region Skåne": "skane-lan", "Region Halland": "hallands-lan",
    "Västra Götalandsregionen": "vastra-gotalands-lan", "Region Värmland": "varmlands-lan",
    "Region Örebro län": "orebro-lan", "Region Västmanland": "vastmanlands-lan",
    "Region Dalarna": "dalarnas-lan", "Region Gävleborg": "gavleborgs-lan",
    "Region Västernorrland": "vasternorrlands-lan", "Region Jämtland Härjedalen": "jamtlands-lan",
    "Region Västerbotten": "vasterbottens-lan", "Region Norrbotten": "norrbottens-lan",
}


@pytest.mark.parametrize(("name", "place_id"), REGIONS.items())
def test_a_region_written_by_its_own_name_is_its_lan(name, place_id):
    """Brå's and the regions' own files write "Region Skåne", "Region Gotland": not unknown places."""
    assert find_builtin(name) == place_id
    assert find_builtin(name.upper()) == place_id
