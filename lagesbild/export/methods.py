"""The meeting pack's closing section: periods, tests and their level, sources, and limits.

Examples
--------
>>> LEVEL_TEXT[:16]
'Signifikansnivå:'
"""

from __future__ import annotations

import pandas as pd

from lagesbild.analysis import base, status
from lagesbild.analysis.methods import method_texts
from lagesbild.export.content import Bullets, Heading, Paragraph, Table
from lagesbild.export.data import ExportData
from lagesbild.figures.format import fmt_date, fmt_int, fmt_periods
from lagesbild.figures.style import source_line

PERIODS_TEXT = (
    "Brottsstatistiken jämförs i september–augusti-år, som i lägesbilden: 2021–2022 är 1 sep 2021 – "
    "31 aug 2022. Perioderna i det här dokumentet: {periods}. Bara hela kalendermånader räknas. "
    "Lika med lika: när den senaste perioden inte är komplett (data finns t.o.m. {until}) jämförs "
    "samma månader i varje period, och jämförelsen märks med * i tabellen. Månader utan data skiljs "
    "från månader med noll brott; en jämförelse med månader utan data bedöms inte.")
#: the first sentence when the pack's periods are not Sep–Aug years (calendar years of Brå's tables …)
PERIODS_OTHER = (
    "Lägesbilden jämför normalt september–augusti-år (2021–2022 är 1 sep 2021 – 31 aug 2022); det här "
    "dokumentet jämför {kinds}: {periods}.")
KIND_WORDS = {"calendar_year": "kalenderår", "tertial": "tertial", "vb": "helår (VB)", "month": "månader",
              "rolling_12": "rullande tolvmånadersperioder", "range": "datumintervall",
              "sep_aug": "september–augusti-år"}
LEVEL_TEXT = ("Signifikansnivå: α = {alpha}. ”Statistiskt säkerställd” betyder att en så stor skillnad "
              "skulle vara ovanlig (p < α) om bara slumpen verkade. ”Ingen säkerställd förändring” "
              "betyder inte att inget har hänt, bara att skillnaden ryms i den vanliga variationen.")
LIMITS = [
    "Anmälda brott är inte detsamma som begångna brott. Antalet beror också på hur många som "
    "anmäler och på polisens arbete: fler insatser mot narkotika ger fler anmälda narkotikabrott.",
    "Samband är inte effekt. Att en siffra ändras efter att en aktivitet har startat visar inte att "
    "aktiviteten orsakade förändringen; annat kan ha ändrats samtidigt.",
    "Små antal varierar mycket från år till år av slumpen; därför testas varje förändring.",
    "Brott registreras på en plats med viss osäkerhet, och vissa platsgränser är ungefärliga.",
    "Trygghetsmätningar är urvalsundersökningar: andelarna har en felmarginal (intervallen) och "
    "svarsfrekvensen kan skilja mellan områden.",
]
DEMO_LIMIT = ("Det här dokumentet bygger på FIKTIVA DEMODATA. Siffrorna är påhittade och beskriver "
              "inte verkliga förhållanden.")
SUPPRESSION_LIMIT = ("Antal under {n} i känsliga kategorier ({cats}) visas inte (–), och inte heller "
                     "förändringar eller summor som skulle avslöja dem.")
SOURCE_COLUMNS = ["Källa", "Typ", "Fil", "Inläst", "Uttagsdatum", "Rader", "Fiktiv"]
SOURCE_WIDTHS = [2.6, 1.8, 3.0, 1.6, 1.9, 1.0, 0.9]
KIND_NAMES = base.SOURCE_KIND_NAMES


def alpha_text(alpha: float) -> str:
    """``5 %`` for 0.05.

    Examples
    --------
    >>> [alpha_text(a).replace("\\xa0", " ") for a in (0.05, 0.01, 0.025)]
    ['5 %', '1 %', '2,5 %']
    """
    return f"{alpha * 100:g}".replace(".", ",") + "\u00a0%"


def day(value):
    """A date for a data file (a spreadsheet's date cell), or None when missing.

    >>> day("2023-09-15"), day(pd.Timestamp("2026-12-05 13:20:19")), day(None), day("")
    (datetime.date(2023, 9, 15), datetime.date(2026, 12, 5), None, None)
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    stamp = pd.to_datetime(value, errors="coerce")
    return None if pd.isna(stamp) else stamp.date()


def whole(value):
    """A whole number for a data file, or None when missing.

    >>> whole(1790.0), whole(None), whole(float("nan"))
    (1790, None, None)
    """
    return None if value is None or pd.isna(value) else int(value)


def sources_table(data: ExportData) -> Table:
    """Every source with its last ingested file, ingest date and extraction date."""
    tables = status.store_tables(data.store)
    src, log = tables["sources"], tables["log"]
    if len(src) and len(log):
        src = src.merge(log[["ingest_id", "file_name", "started_at", "rows_accepted"]],
                        left_on="last_ingest_id", right_on="ingest_id", how="left")
    rows, numbers = [], []
    for r in src.to_dict("records"):
        rows.append([r["source"], KIND_NAMES.get(r["kind"], r["kind"]), r.get("file_name") or "–",
                     fmt_date(r.get("started_at")), fmt_date(r.get("extracted_at")),
                     fmt_int(r.get("rows_accepted")), "ja" if r.get("fictitious") else "nej"])
        numbers.append([r["source"], rows[-1][1], r.get("file_name") or None, day(r.get("started_at")),
                        day(r.get("extracted_at")), whole(r.get("rows_accepted")), rows[-1][6]])
    # the data file: dates as dates and counts as numbers ("1 790" and "5 dec 2026" were text)
    frame = pd.DataFrame(numbers, columns=SOURCE_COLUMNS)
    return Table("Källor", SOURCE_COLUMNS, rows, SOURCE_WIDTHS, data=frame,
                 caption="Källor och senaste inläsning",
                 notes=["Uttagsdatum: dagen data togs ut ur källsystemet, när filen anger det."])


def periods_text(periods, until: str) -> str:
    """What the periods are: Sep–Aug years as the lägesbild uses them, or the kinds actually compared
    (a pack of calendar years said "Brottsstatistiken jämförs i september–augusti-år").

    >>> from lagesbild.analysis.base import parse_periods
    >>> periods_text(parse_periods(["2022", "2023"]), "31 dec 2023")[:120]
    'Lägesbilden jämför normalt september–augusti-år (2021–2022 är 1 sep 2021 – 31 aug 2022); det här dokumentet jämför kalen'
    """
    labels = fmt_periods([p.label for p in periods])
    text = PERIODS_TEXT.format(periods=labels, until=until)
    kinds = list(dict.fromkeys(p.kind for p in periods))
    if kinds != ["sep_aug"]:
        first = PERIODS_OTHER.format(kinds=" och ".join(KIND_WORDS.get(k, k) for k in kinds), periods=labels)
        text = first + text[text.index(" Bara hela kalendermånader"):]
    return text


def methods_section(data: ExportData, periods) -> list:
    """The closing section: periods, tests and level, sources and extraction dates, limits."""
    until = fmt_date(data.data_until)
    limits = list(LIMITS)
    if data.threshold > 0:
        names = [data.category_names.get(c, c) for c in sorted(data.sensitive)]
        limits.append(SUPPRESSION_LIMIT.format(n=data.threshold, cats=", ".join(names)))
    if data.demo:
        limits.insert(0, DEMO_LIMIT)
    cell = f"{float(data.settings.cell_size):g}"
    return [
        Heading("Metod och läsanvisning", 1),
        Heading("Perioder", 2),
        Paragraph(periods_text(periods, until)),
        Heading("Statistiska test", 2),
        Paragraph(LEVEL_TEXT.format(alpha=alpha_text(data.alpha))),
        *[block for heading, does, assumes, cannot in method_texts(
            alpha=data.alpha, cell_size=float(cell),
            min_population=getattr(data.settings, "min_population_for_rates", 1000))
          for block in (Heading(heading, 3),
                        Bullets([f"Gör: {does}", f"Antar: {assumes}", f"Kan inte visa: {cannot}"]))],
        Heading("Källor och uttagsdatum", 2),
        Paragraph(f"Brottsdata finns t.o.m. {until}. Källrad i diagrammen: "
                  f"”{source_line(data.context, until=False)}”."),  # Brå's data say Brå, not Polisen
        sources_table(data),
        Heading("Vad siffrorna inte kan visa", 2),
        Bullets(limits),
    ]
