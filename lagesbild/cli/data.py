"""Data commands: ``ingest``, ``status``, ``demo``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from lagesbild.analysis import base, status
from lagesbild.cli import UserError, on_interrupt, settings_and_store

INGEST_KINDS = ("places", "crimes", "incidents", "events", "survey", "activities")
KIND_NAMES = base.SOURCE_KIND_NAMES


def register(sub) -> None:
    """Add the data commands to the parser."""
    p = sub.add_parser("ingest", help="läs in filer i databasen",
                       description="Läs in en eller flera filer. Allt eller inget per fil: vid fel "
                                   "ändras ingenting (om inte --keep-valid anges).")
    p.add_argument("kind", choices=INGEST_KINDS, metavar="TYP",
                   help="places | crimes (aggregerat eller händelsenivå, känns igen) | incidents | "
                        "events | survey | activities")
    p.add_argument("files", nargs="+", metavar="FIL",
                   help="filer att läsa in: CSV eller XLSX; platser som GeoJSON, GeoPackage, Shapefile "
                        "eller zip med en av dem; Polisens händelser som JSON; åtgärdsplanen som YAML eller XLSX")
    p.add_argument("--crs", help="koordinatsystem för händelser/platser: 3006, 3011 eller 4326")
    p.add_argument("--keep-valid", action="store_true",
                   help="läs in giltiga rader och skriv avvisade rader med orsak till en rapportfil")
    p.add_argument("--report", help="rapportfil för avvisade rader (standard: <fil>.avvisade.csv)")
    p.add_argument("--source", help="källans namn (styr vilka tidigare rader en ny export ersätter)")
    p.add_argument("--mapping", help="YAML-fil som mappar kolumnnamn och kategorier (samma fil med en "
                                     "annan mappning läses in igen)")
    p.add_argument("--replace-source", action="store_true",
                   help="ta först bort allt som källan (--source) har läst in tidigare, t.ex. efter en "
                        "rättad mappning som lägger rader under andra kategorier eller platser")
    p.add_argument("--extracted", metavar="ÅÅÅÅ-MM-DD",
                   help="uttagsdatum: när data togs ut ur källsystemet (utan det bedöms den sista hela månaden av det senaste brottets datum)")
    p.add_argument("--date-format", metavar="FORMAT",
                   help='hur händelsefilens datum är skrivna, t.ex. "MM/DD/YYYY hh:mm AM/PM" eller '
                        '"DD/MM/YYYY HH:mm" (standard: ÅÅÅÅ-MM-DD; NN/NN/ÅÅÅÅ läses när det är entydigt)')
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="rapportens form: text (standard) eller json")
    p.add_argument("--no-progress", action="store_true", help="ingen förloppsindikator")
    p.set_defaults(run=run_ingest)

    s = sub.add_parser("status", help="visa vad databasen innehåller",
                       description="Visa databasens källor, hur långt data räcker (data t.o.m.), "
                                   "platser och de senaste inläsningarna.")
    s.add_argument("--format", choices=("text", "json"), default="text",
                   help="utskriftens form: text (standard) eller json")
    s.set_defaults(run=run_status)

    d = sub.add_parser("demo", help="läs in de medföljande (fiktiva) demodata",
                       description="Läs in de medföljande demodata: FIKTIVA platser, brott, "
                                   "trygghetsmätningar och en åtgärdsplan att prova verktyget med.")
    choice = d.add_mutually_exclusive_group()  # "--force --remove" did one of the two, silently
    choice.add_argument("--force", action="store_true", help="läs in även om databasen inte är tom")
    choice.add_argument("--remove", action="store_true",
                   help="ta bort demodata (de fiktiva brotten, trygghetsmätningen och åtgärdsplanen) "
                        "men behåll platserna och allt annat som lästs in")
    d.set_defaults(run=run_demo)


def run_ingest(args) -> int:
    """``ingest``: one report per file; exit 2 when any file failed."""
    from lagesbild.errors import InputError
    from lagesbild.ingest import ingest_file
    from lagesbild.ingest.guard import check_file_size
    from lagesbild.ingest.run import guess_crime_kind

    _settings, store = settings_and_store(args, new_ok=True)
    crs = _parse_crs(args.crs)
    if args.mapping:  # bounded as the files are (below), before it is read
        check_file_size(args.mapping, Path(args.mapping).name, _settings.max_ingest_mb)
    failed, reports = 0, []
    done, read_in = [], []  # the files whose ingest ended; those of them read in (or already)
    on_interrupt(args, lambda: ingest_interrupted([Path(f).name for f in args.files], done, read_in))
    for f in args.files:
        kind = guess_crime_kind(f) if args.kind == "crimes" else args.kind
        try:
            check_file_size(f, Path(f).name, _settings.max_ingest_mb)  # before a byte is read
            rep = ingest_file(store, kind, f, crs=crs, keep_valid=args.keep_valid,
                              source=args.source, report_path=args.report, mapping=args.mapping,
                              progress=not args.no_progress and sys.stderr.isatty(),
                              extracted_at=args.extracted, date_format=args.date_format,
                              replace_source=args.replace_source)
            done.append(Path(f).name)
            read_in.append(Path(f).name)
            reports.append(rep.as_dict())
            if args.format == "text":
                print(rep.message)
        except InputError as exc:
            done.append(Path(f).name)
            failed += 1
            # named as a written file's report names it (its name, not the path as typed; kind, source)
            reports.append({"typ": kind, "fil": Path(f).name, "källa": args.source, "status": "failed",
                            "inläsning": None, "meddelande": exc.message(limit=10_000),
                            "fel": [e.as_dict() for e in exc.errors]})
            print(f"Fel: {exc.message()}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(reports, ensure_ascii=False, indent=2, default=str))
    return 2 if failed else 0


def ingest_interrupted(files: list[str], done: list[str], read_in: list[str]) -> str:
    """What an interrupted ``ingest`` saved: each file is one transaction, so the file being read
    when the signal came left nothing; of the files before it, those in ``read_in`` are read in (the
    others were refused, with their own "Fel:").

    >>> ingest_interrupted(["a.csv"], [], [])
    'ingenting av a.csv sparades.'
    >>> ingest_interrupted(["a.csv", "b.csv", "c.csv"], ["a.csv"], ["a.csv"])
    'a.csv är inläst; ingenting av b.csv sparades, c.csv lästes inte.'
    """
    now = files[len(done)] if len(done) < len(files) else None
    parts = [f"{_names(read_in)} {'är inläst' if len(read_in) == 1 else 'är inlästa'}"] if read_in else []
    if now is not None:
        text = f"ingenting av {now} sparades"
        if rest := files[len(done) + 1:]:
            text += f", {_names(rest)} lästes inte"
        parts.append(text)
    return "; ".join(parts) + "." if parts else ""


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


def _parse_crs(text):
    if not text:
        return None
    value = text.upper().removeprefix("EPSG:")
    if value not in ("3006", "3011", "4326"):
        raise UserError(f"--crs {text!r} stöds inte; ange 3006 (SWEREF 99 TM), 3011 "
                        "(SWEREF 99 18 00) eller 4326 (WGS 84)")
    return int(value)


GRAIN_NAMES = {"year": "årsvis", "quarter": "kvartalsvis", "period": "perioder", "month": "månadsvis"}


def run_status(args) -> int:
    """``status``: text for people, ``--format json`` for machines."""
    _settings, store = settings_and_store(args)
    data = status.store_status(store)
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(format_status(data))
    return 0


def format_status(data: dict) -> str:
    """The status as readable Swedish text."""
    lines = [f"Databas: {data['databas']}"]
    if data["demodata"]:
        lines.append("OBS: databasen innehåller FIKTIVA DEMODATA (inte verklig brottsstatistik).")
    lines.append(f"Data t.o.m.: {data['data_till_och_med'] or '–'}")
    lines.append("Rader: " + ", ".join(f"{status.COUNT_NAMES.get(k, k).lower()} {_fmt_int(v)}"
                                       for k, v in data["antal_rader"].items()))
    lines.append("Källor:" + ("" if data["källor"] else " (inga)"))
    for s in data["källor"]:
        span = f" {s['första_månad']}–{s['sista_månad']}" if s.get("första_månad") else ""
        tag = " (FIKTIVA DATA)" if s["fiktiv"] else ""
        lines.append(f"  {s['källa']} [{KIND_NAMES.get(s['typ'], s['typ'])}]{span}{tag}")
        per = s.get("data_tom_per_kategori") or []
        if per:
            lines.append("    data t.o.m. per kategori: " + ", ".join(
                f"{r.get('namn', r['kategori'])} {r['data_tom']}" + ("" if r["upplösning"] == "month" else
                                                       f" ({GRAIN_NAMES.get(r['upplösning'], '')})")
                for r in per))
    lines.append(f"Platser ({len(data['platser'])}): " + (", ".join(
        p["namn"] + ("" if p.get("karta", True) else " (saknar karta)") for p in data["platser"]) or "(inga)"))
    lines.append("Kategorier: " + ", ".join(data.get("kategorinamn", data["kategorier"])))
    lines.append("Senaste inläsningar:" + ("" if data["senaste_inläsningar"] else " (inga)"))
    for r in data["senaste_inläsningar"]:
        lines.append(f"  #{r['nr']} {r['tid']} {KIND_NAMES.get(r['typ'], r['typ'])}, {r['fil']}: "
                     f"{_fmt_int(r['godkända'])} godkända, {_fmt_int(r['avvisade'])} avvisade, "
                     f"{_fmt_int(r['ersatta'])} ersatta" + (", borttagen" if r["status"] == "removed" else ""))
    return "\n".join(lines)


def _fmt_int(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def run_demo(args) -> int:
    """``demo``: load the bundled demo data (fictitious, except the real figures it reproduces)."""
    from lagesbild.demo.load import holds_only_demo, load_demo

    if args.remove:
        return _remove_demo(args)
    settings, store = settings_and_store(args, new_ok=True)
    if not args.force and not holds_only_demo(store):  # an interrupted demo's own parts: go on
        raise UserError("databasen är inte tom; använd --force för att ändå läsa in demodata")
    before = _source_names(store)
    on_interrupt(args, lambda: demo_interrupted(sorted(_source_names(store) - before)))
    for rep in load_demo(store, settings, progress=sys.stderr.isatty()):
        print(rep.message)
    print("Demodata inlästa. OBS: brotten är FIKTIVA utom Hässelby torg jan–nov 2018/2019.")
    return 0


def _source_names(store) -> set[str]:
    return {s["källa"] for s in status.store_status(store)["källor"]}


def demo_interrupted(saved: list[str]) -> str:
    """What an interrupted ``demo`` left: it reads its files in one at a time, so the parts read
    before the signal stay, and ``demo`` alone goes on (:func:`lagesbild.demo.load.holds_only_demo`).

    >>> demo_interrupted([])
    'ingenting sparades.'
    >>> demo_interrupted(["demo-platser"])
    "demodata lästes in bara delvis (demo-platser); 'python -m lagesbild demo' läser in resten."
    """
    if not saved:
        return "ingenting sparades."
    return (f"demodata lästes in bara delvis ({', '.join(saved)}); 'python -m lagesbild demo' läser in "
            "resten.")


def _remove_demo(args) -> int:
    """``demo --remove``: the fictitious data out, the places and everything else read in kept."""
    from lagesbild.demo.load import remove_demo

    _settings, store = settings_and_store(args)
    gone = remove_demo(store)
    if gone is None:
        print("Databasen innehåller inga demodata; inget ändrades.")
    else:
        print(f"Demodata borttagna ({_fmt_int(gone)} rader): de fiktiva brotten, trygghetsmätningen och "
              "åtgärdsplanen. Platserna och allt annat som lästs in finns kvar.")
    return 0
