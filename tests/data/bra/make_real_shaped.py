"""Write the Brå files shaped like real exports of Brå's statistics database (numbers made up).

Crime names, Brott_ID and Förälder_ID are Brå's own (bra_brottslista_manad.csv and
bra_brottslista_ar_urval.csv, sources named there); the counts are fictitious but consistent with the
tree (a node is at least the sum of its parts). Shapes follow the real downloads and their re-exports:
title lines, Brå's notes at the end, decimal comma, ``..`` and ``-``, ``2026 prel., Aug``, Månad and
Förälder_ID written as floats (``8.0``, ``13193.0``) as pandas re-exports write them, Per100000 beside
Antal.

    python tests/data/bra/make_real_shaped.py
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec"]
NOTES = ["Källa: Brottsförebyggande rådet (Brå), statistikdatabasen över anmälda brott.",
         "Förklaring: .. = uppgift saknas, - = inget finns att redovisa.",
         "Statistiken för 2026 är preliminär. FIKTIVA SIFFROR för test; brottsnamn och Brott_ID är Brås."]


def brott_list(name: str) -> list[dict]:
    lines = [x for x in (HERE / name).read_text(encoding="utf-8").splitlines() if not x.startswith("#")]
    return list(csv.DictReader(lines))


def tree_counts(nodes: list[dict], rng: random.Random, scale: float) -> dict[str, int]:
    """A count per node, every parent at least the sum of its children."""
    kids: dict[str, list[str]] = {}
    for n in nodes:
        kids.setdefault(n["Förälder_ID"], []).append(n["Brott_ID"])
    out: dict[str, int] = {}

    def fill(bid: str) -> int:
        total = sum(fill(k) for k in kids.get(bid, []))
        base = 2 + int(bid) % 11  # each node its own level, a little noise from year to year
        out[bid] = total + int(base * scale * rng.uniform(0.85, 1.15))
        return out[bid]

    roots = kids[""]
    total = next(n["Brott_ID"] for n in nodes if n["Brott"] == "Totalt antal brott")
    for root in roots:
        fill(root)
    # Brå gives the total no children: it is the two law groups together
    out[total] = sum(out[r] for r in roots if r != total)
    return out


def _path_levels(nodes: list[dict], bid: str) -> list[str]:
    by = {n["Brott_ID"]: n for n in nodes}
    path = []
    while bid:
        path.append(by[bid]["Brott"])
        bid = by[bid]["Förälder_ID"]
    return (list(reversed(path)) + [""] * 5)[:5]


def _rate(count: int, pop: int) -> str:
    return f"{count / pop * 100_000:.1f}".replace(".", ",")


def monthly(ids_only: bool = False) -> str:
    """Boden, Jan 2025 – Aug 2026 (2026 preliminary), all 41 nodes of Brå's monthly table."""
    nodes = brott_list("bra_brottslista_manad.csv")
    rng = random.Random(12)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    out.write("Anmälda brott, antal och per 100 000 invånare, efter kommun, brottstyp och månad\n")
    out.write("Uttag ur Brås statistikdatabas 2026-09-15\n\n")
    head = ["År", "Månad", "Kvartal", "Periodtyp", "Periodetikett", "Preliminär", "Kommun", "Region_ID",
            "Brott", "Brott_ID", "Brottsnivå", "Förälder_ID", "Nivå1", "Nivå2", "Nivå3", "Nivå4", "Nivå5",
            "Antal", "Per100000"]
    drop = {"Brott", "Nivå1", "Nivå2", "Nivå3", "Nivå4", "Nivå5"} if ids_only else set()
    w.writerow([h for h in head if h not in drop])
    for year, last in ((2025, 12), (2026, 8)):
        for month in range(1, last + 1):
            counts = tree_counts(nodes, rng, 1.0)
            prel = year == 2026
            label = f"{year} prel., {MONTHS[month - 1]}" if prel else f"{year}, {MONTHS[month - 1]}"
            for n in nodes:
                c = counts[n["Brott_ID"]]
                antal = "-" if c == 0 else str(c)
                rate = "0,0" if c == 0 else _rate(c, 28_600)
                if (year, month, n["Brott_ID"]) == (2025, 3, "13258"):  # biltillgrepp: uppgift saknas
                    antal, rate = "..", ".."
                if (year, month, n["Brott_ID"]) == (2025, 6, "13260"):  # cykeltillgrepp: inget att redovisa
                    antal, rate = "-", "-"
                parent = f"{n['Förälder_ID']}.0" if n["Förälder_ID"] else ""
                row = dict(zip(head, [year, f"{month}.0", "", "Månad", label, prel, "Boden", 8441,
                                      n["Brott"], n["Brott_ID"], n["Brottsnivå"], parent,
                                      *_path_levels(nodes, n["Brott_ID"]), antal, rate], strict=True))
                w.writerow([row[h] for h in head if h not in drop])
    out.write("\n" + "\n".join(NOTES) + "\n")
    return out.getvalue()


AREAS = {"Göteborg": 600_000, "Centrum": 135_000, "Hisingen": 150_000, "Nordost": 125_000,
         "Sydväst": 120_000}


def yearly() -> str:
    """Göteborg and its four stadsområden, 2023–2025, Brå's yearly table (semicolon, decimal comma)."""
    nodes = [n for n in brott_list("bra_brottslista_ar_urval.csv")
             if n["Brott_ID"] in {"5036", "11084", "11085", "11086", "11087", "11090", "11091", "11093",
                                  "11095", "11096", "11099", "11650", "11653", "11652", "11708", "11643",
                                  "11314"}]
    rng = random.Random(7)
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\n")
    out.write("Anmälda brott efter område, brottstyp och år\n")
    out.write("Antal och per 100 000 invånare. Göteborg och stadsområden\n\n")
    w.writerow(["År", "Periodtyp", "Periodetikett", "Preliminär", "Område", "Brott", "Brott_ID",
                "Förälder_ID", "Antal", "Per100000"])
    for area, pop in AREAS.items():
        scale = pop / 28_600
        for year in (2023, 2024, 2025):
            counts = tree_counts(nodes, rng, scale)
            for n in nodes:
                c = counts[n["Brott_ID"]]
                antal, rate = str(c), _rate(c, pop)
                if (area, year, n["Brott_ID"]) == ("Nordost", 2023, "11708"):
                    antal, rate = "..", ".."
                if (area, year, n["Brott_ID"]) == ("Centrum", 2025, "11314"):  # olaga hot: inget
                    antal, rate = "-", "-"
                w.writerow([year, "Helår", str(year), "Nej", area, n["Brott"], n["Brott_ID"],
                            n["Förälder_ID"], antal, rate])
    out.write("\n" + "\n".join(NOTES[:2]) + "\n")
    return out.getvalue()


def tidy_yearly() -> str:
    """The tidy re-export of issue 12: year, area, crime_type, count (75 rows)."""
    rng = random.Random(3)
    kinds = {"Totalt antal brott": 300, "Misshandel inkl. grov": 12, "Skadegörelsebrott": 40,
             "Narkotikabrott": 25, "Inbrott i lägenhet": 4}
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["year", "area", "crime_type", "count"])
    for area, pop in AREAS.items():
        for year in (2023, 2024, 2025):
            for kind, base in kinds.items():
                w.writerow([year, area, kind, int(base * pop / 28_600 * rng.uniform(0.8, 1.2))])
    return out.getvalue()


def main() -> None:
    (HERE / "bra_boden_hierarki_manad.csv").write_text(monthly(), encoding="utf-8-sig")
    (HERE / "bra_boden_hierarki_manad_id.csv").write_text(monthly(ids_only=True), encoding="utf-8-sig")
    (HERE / "bra_goteborg_ar.csv").write_text(yearly(), encoding="utf-8")
    (HERE / "bra_goteborg_ar_tidy.csv").write_text(tidy_yearly(), encoding="utf-8")


if __name__ == "__main__":
    main()
