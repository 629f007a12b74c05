"""Reading the same file again: at the same moment in two connections, and with a corrected mapping.

1. Two ingests of one file that both passed the "already read" check before either had written (two
   CLI processes at the same moment) both wrote: the second replaced the first's rows and the log
   held two reads. The check is asked again once the write lock is held, so the second says "redan
   inläst" and writes nothing. The test orders the two deterministically with events: the first
   holds the write lock (inside its transaction) until the second has passed its first check.
2. A file read again with a corrected ``--mapping`` kept the rows its earlier read put under the
   wrong category beside the new ones. Now what that earlier read wrote (and its coverage) is replaced;
   other files of the same source stay.
"""

from __future__ import annotations

import json
import threading

from lagesbild.cli import main
from lagesbild.ingest import open_store, run
from lagesbild.settings import ROOT, load_settings

PLACES = ROOT / "tests" / "data" / "places_4326.geojson"
CRIMES = ("Plats;Brottskategori;Månad;Antal\n" + "".join(
    f"Vårberg;Eget bruk av narkotika;2023-0{m};{n}\n" for m, n in ((1, 7), (2, 4), (3, 9)))
    + "Vårberg;Rån;2023-01;2\n")
# another file of the same source: other place, other months
OTHER = ("Plats;Brottskategori;Månad;Antal\n"
         "Skärholmen;Skadegörelse;2023-05;11\nVårberg;Skadegörelse;2023-06;5\n")


def _store(tmp_path):
    return open_store(load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "s.sqlite")))


def _cli(tmp_path, capsys, *args) -> tuple[int, str]:
    capsys.readouterr()
    rc = main(["--db", str(tmp_path / "s.sqlite"), "ingest", "--no-progress", "--format", "json",
               *map(str, args)])
    out = capsys.readouterr()
    return rc, (json.loads(out.out)[0]["meddelande"] if out.out.strip() else out.err)


def _totals(tmp_path) -> dict:
    counts = _store(tmp_path).monthly_counts()
    return {(p, c): int(n) for (p, c), n in counts.groupby(["place_id", "category"])["count"].sum().items()}


def _covered(tmp_path) -> set:
    cov = _store(tmp_path).coverage()
    return {(p, c, m.strftime("%Y-%m")) for p, c, m in zip(cov["place_id"], cov["category"], cov["month"],
                                                          strict=True)}


def two_ingests_at_once(url: str, tmp_path, monkeypatch) -> None:
    """Two ingests of one file, each with its own store connections: the first holds the write lock
    inside its transaction until the second has passed its first "already read" check; the second
    must then find the first's rows once it has the lock, and write nothing."""
    from lagesbild.store import Store

    store = Store(url)
    run.sync_categories(store)
    run.ingest_file(store, "places", PLACES)
    crimes = tmp_path / "brott.csv"
    crimes.write_text(CRIMES.replace("Eget bruk av narkotika", "Narkotikabrott"), encoding="utf-8")

    holding, checked = threading.Event(), threading.Event()
    handler, default = run.KINDS["crimes"]
    first_check = run.already_read

    def hold_lock(*args, **kwargs):  # the first ingest, inside its transaction, holding the lock
        if threading.current_thread().name == "first":
            holding.set()
            assert checked.wait(120), "the second ingest never passed its first check"
        return handler(*args, **kwargs)

    def check(store, digest, kind, conn=None):
        out = first_check(store, digest, kind, conn) if conn is not None else first_check(store, digest, kind)
        if threading.current_thread().name == "second" and conn is None:
            checked.set()  # the second passed the check before the first committed
        return out

    monkeypatch.setitem(run.KINDS, "crimes", (hold_lock, default))
    monkeypatch.setattr(run, "already_read", check)
    reports = {}

    def ingest(name):
        own = Store(url)  # its own connections, as another process's
        try:
            reports[name] = run.ingest_file(own, "crimes", crimes)
        finally:
            own.engine.dispose()

    first = threading.Thread(target=ingest, args=("first",), name="first")
    first.start()
    assert holding.wait(120)
    second = threading.Thread(target=ingest, args=("second",), name="second")
    second.start()
    first.join(180)
    second.join(180)
    assert not first.is_alive() and not second.is_alive()
    assert reports["first"].status == "ok", reports["first"].message
    assert reports["second"].status == "noop", reports["second"].message
    assert "redan inläst" in reports["second"].message
    assert f"inläsning nr {reports['first'].ingest_id}" in reports["second"].message
    log = store.ingest_log()
    assert (log[log["kind"] == "crimes"]["status"] == "ok").sum() == 1
    assert (log["status"] == "running").sum() == 0  # the second's log row was rolled back
    counts = store.monthly_counts()
    got = {(p, c): int(n) for (p, c), n in counts.groupby(["place_id", "category"])["count"].sum().items()}
    assert got == {("varberg", "narkotikabrott"): 20, ("varberg", "ran"): 2}
    store.engine.dispose()


def test_two_ingests_of_one_file_at_the_same_moment_write_it_once(tmp_path, monkeypatch):
    two_ingests_at_once(f"sqlite:///{tmp_path / 's.sqlite'}", tmp_path, monkeypatch)


def test_a_corrected_mapping_replaces_what_the_earlier_read_of_the_file_wrote(tmp_path, capsys):
    crimes, other = tmp_path / "brott.csv", tmp_path / "annan.csv"
    crimes.write_text(CRIMES, encoding="utf-8")
    other.write_text(OTHER, encoding="utf-8")
    wrong, right = tmp_path / "fel.yaml", tmp_path / "rätt.yaml"
    wrong.write_text('categories:\n  "Eget bruk av narkotika": skadegorelse\n', encoding="utf-8")
    right.write_text('categories:\n  "Eget bruk av narkotika": narkotikabrott\n', encoding="utf-8")
    assert _cli(tmp_path, capsys, "places", PLACES)[0] == 0
    assert _cli(tmp_path, capsys, "crimes", crimes, "--mapping", wrong)[0] == 0
    assert _cli(tmp_path, capsys, "crimes", other)[0] == 0
    assert _totals(tmp_path) == {("varberg", "skadegorelse"): 25, ("varberg", "ran"): 2,
                                 ("skarholmen", "skadegorelse"): 11}
    assert ("varberg", "skadegorelse", "2023-02") in _covered(tmp_path)

    rc, said = _cli(tmp_path, capsys, "crimes", crimes, "--mapping", right)
    assert rc == 0, said
    assert "Filen lästes in förut med en annan mappning (inläsning nr 2)" in said
    assert "De 4 rader som den förra inläsningen av filen skrev togs bort först" in said
    assert "4 tidigare rader ersatta" in said
    # the wrong category is gone with its coverage; the other file of the same source stays
    assert _totals(tmp_path) == {("varberg", "narkotikabrott"): 20, ("varberg", "ran"): 2,
                                 ("varberg", "skadegorelse"): 5, ("skarholmen", "skadegorelse"): 11}
    covered = _covered(tmp_path)
    assert not {m for p, c, m in covered if (p, c) == ("varberg", "skadegorelse")} - {"2023-06"}
    assert {("varberg", "narkotikabrott", "2023-03"), ("skarholmen", "skadegorelse", "2023-05")} <= covered

    # the same mapping again: nothing to do; the wrong one again: its read comes back
    assert "redan inläst" in _cli(tmp_path, capsys, "crimes", crimes, "--mapping", right)[1]
    rc, said = _cli(tmp_path, capsys, "crimes", crimes, "--mapping", wrong)
    assert rc == 0 and "redan inläst" not in said, said
    assert _totals(tmp_path) == {("varberg", "skadegorelse"): 25, ("varberg", "ran"): 2,
                                 ("skarholmen", "skadegorelse"): 11}


def test_a_corrected_survey_mapping_replaces_the_earlier_rows(tmp_path, capsys):
    survey = tmp_path / "trygghet.csv"
    survey.write_text("Område;År;Fråga;Andel;Antal svarande;Ort\n"
                      "Vårberg;2023;Otrygg ute sent;23;400;Skärholmen\n", encoding="utf-8")
    wrong, right = tmp_path / "fel.yaml", tmp_path / "rätt.yaml"
    wrong.write_text('columns: {area: "Ort"}\n', encoding="utf-8")
    right.write_text('columns: {area: "Område"}\n', encoding="utf-8")
    assert _cli(tmp_path, capsys, "places", PLACES)[0] == 0
    rc, said = _cli(tmp_path, capsys, "survey", survey, "--mapping", wrong)
    assert rc == 0, said
    assert sorted(_store(tmp_path).survey()["place_id"]) == ["skarholmen"]
    rc, said = _cli(tmp_path, capsys, "survey", survey, "--mapping", right)
    assert rc == 0 and "Den rad som den förra inläsningen av filen skrev togs bort först" in said, said
    assert sorted(_store(tmp_path).survey()["place_id"]) == ["varberg"]
