"""Write the Brå-shaped test files in this folder (deterministic; numbers are made up).

The layouts follow Brå's statistics database downloads: title lines above the header, notes below the
table, ``..`` (uppgift saknas), ``-`` (inget att redovisa), decimal comma, ``prel.`` labels, and the
tidy long layout with Periodtyp/Periodetikett/Brott_ID/Förälder_ID/Nivå1–5/Per100000 columns.

    python tests/data/bra/make_fixtures.py
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec"]
# Brott_ID, Brott, Förälder_ID, level, base monthly count (Boden, about 28 000 inhabitants)
TREE = [
    (1, "Totalt antal brott", None, 1, 260),
    (2, "Brott mot brottsbalken", 1, 2, 190),
    (10, "8 kap. Stöld- och tillgreppsbrott", 2, 3, 70),
    (11, "Bostadsinbrott", 10, 4, None),
    (12, "Inbrott i villa", 11, 5, 3),
    (13, "Inbrott i lägenhet", 11, 5, 2),
    (14, "Stöld ur eller från motordrivet fordon", 10, 4, 9),
    (15, "Stöld i butik, varuhus o.d.", 10, 4, 14),
    (20, "12 kap. Skadegörelsebrott", 2, 3, 30),
    (21, "Klotter", 20, 4, 8),
    (30, "Brott mot specialstraffrättsliga författningar", 1, 2, 70),
    (31, "Narkotikabrott", 30, 3, 20),
    (32, "Eget bruk av narkotika", 31, 4, 12),
    (40, "Trafikbrott", 30, 3, 25),
]
POP = 28_000


def _count(base, year, month, bid):
    """A made-up but plausible count (deterministic)."""
    return max(0, base + ((year * 7 + month * 13 + bid * 5) % 9) - 4)


def _level_names(bid):
    by = {t[0]: t for t in TREE}
    path = []
    while bid is not None:
        path.append(by[bid][1])
        bid = by[bid][2]
    path = list(reversed(path)) + [""] * 5
    return path[:5]


def monthly() -> str:
    """Boden, months Jan 2025 – Aug 2026 (2026 preliminary), tidy long layout, comma-separated."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    out.write("Anmälda brott, antal och per 100 000 invånare, efter kommun, brottstyp och månad\n")
    out.write("Källa: Brottsförebyggande rådet (Brå), statistikdatabasen över anmälda brott. "
              "Uttag 2026-09-15. FIKTIVA SIFFROR för test.\n\n")
    w.writerow(["År", "Månad", "Kvartal", "Periodtyp", "Periodetikett", "Preliminär", "Kommun",
                "Region_ID", "Brott", "Brott_ID", "Brottsnivå", "Förälder_ID", "Nivå1", "Nivå2",
                "Nivå3", "Nivå4", "Nivå5", "Antal", "Per100000"])
    for year, last in ((2025, 12), (2026, 8)):
        for month in range(1, last + 1):
            prel = year == 2026
            label = f"{year}{' prel.' if prel else ''}, {MONTHS[month - 1]}"
            kids = {}
            for bid, _name, _parent, _level, base in TREE:
                if base is None:
                    continue
                kids[bid] = _count(base, year, month, bid)
            kids[11] = kids[12] + kids[13]
            for bid, name, parent, level, _ in TREE:
                n = kids[bid]
                cell = "-" if n == 0 else str(n)
                if (bid, year, month) == (14, 2025, 3):
                    cell = ".."
                rate = f"{n * 100000 / POP:.1f}".replace(".", ",") if cell != ".." else ".."
                w.writerow([year, month, "", "Månad", label, "True" if prel else "False", "Boden",
                            "2582", name, bid, level, "" if parent is None else f"{parent}.0",
                            *_level_names(bid), cell, rate])
    out.write("\n")
    out.write('".. = Uppgift saknas eller för osäker för att redovisas. - = Inget finns att redovisa."\n')
    out.write("Anm. Statistiken för 2026 är preliminär.\n")
    return out.getvalue()


AREAS = [("Göteborg", 1.0 * 20), ("Boden", 1.0), ("Hässelby-Vällingby", 2.6), ("Skärholmen", 1.3)]
CRIMES = [("Totalt antal brott", 900), ("Stöld ur eller från motordrivet fordon", 40),
          ("Inbrott i villa", 8), ("Inbrott i lägenhet", 10), ("Narkotikabrott", 70),
          ("Misshandel inkl. grov", 30), ("Skadegörelsebrott", 110), ("Rån mot privatperson", 4)]


def yearly() -> str:
    """Areas × crimes × 2023–2025, wide download layout: count and rate per year, semicolons."""
    lines = ["Anmälda brott, antal och per 100 000 invånare, efter område, brottstyp och år",
             "Period: 2023–2025",
             ""]
    head = ["Område", "Brott"]
    for y in (2023, 2024, 2025):
        head += [f"{y} Antal", f"{y} Per 100 000 inv."]
    lines.append(";".join(head))
    for area, scale in AREAS:
        for i, (crime, base) in enumerate(CRIMES):
            cells = [area, crime]
            for y in (2023, 2024, 2025):
                n = int(base * scale) + ((y * 3 + i * 7 + len(area)) % 11) - 5
                if area == "Hässelby-Vällingby" and crime == "Rån mot privatperson" and y == 2025:
                    n = 2 * n + 12  # a real rise, for the comparison test
                n = max(n, 0)
                count = f"{n:,}".replace(",", " ")
                rate = f"{n * 100000 / (scale * 28000):.1f}".replace(".", ",")
                if area == "Boden" and crime == "Rån mot privatperson" and y == 2023:
                    count, rate = "..", ".."
                cells += [count, rate]
            lines.append(";".join(cells))
    lines += ["", "Källa: Brå, statistikdatabasen över anmälda brott. FIKTIVA SIFFROR för test.",
              "Förklaring: .. = uppgift saknas; - = inget finns att redovisa",
              "Per 100 000 invånare avser medelfolkmängden."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    (HERE / "bra_boden_manad.csv").write_text(monthly(), encoding="utf-8-sig")
    (HERE / "bra_omraden_ar.csv").write_text(yearly(), encoding="utf-8")
