"""The meeting pack's content: the cover and one section per place (blocks of the content model).

The closing methods section is in :mod:`lagesbild.export.methods`. Numbers come from the core and are
formatted with :mod:`lagesbild.figures.format`; the verdicts are the core's own texts.
"""

from __future__ import annotations

import textwrap

import pandas as pd

from lagesbild.analysis.base import KIND_NAMES
from lagesbild.analysis.place import place_comparison
from lagesbild.export.charts import map_chart, months_chart, share_chart, survey_chart, trend_chart
from lagesbild.export.content import Bullets, Heading, PageBreak, Paragraph, Table
from lagesbild.export.data import ExportData
from lagesbild.export.effects_section import (  # noqa: F401 (re-exported: the pack's sections in one place)
    EFFECT_DATA,
    EFFECT_NOTE,
    EFFECT_WIDTHS,
    agreeing_round,
    effects_data,
    effects_table,
)
from lagesbild.export.headers import HEADERS
from lagesbild.export.methods import alpha_text, day
from lagesbild.export.safety import (
    COMPARE_DEPENDENTS,
    SUPPRESSED,
    safe_filename,
    safe_stem,
    suppress_counts,
    suppression_note,
)
from lagesbild.figures.activities import followup_field
from lagesbild.figures.format import fmt_date, fmt_int, fmt_periods
from lagesbild.figures.tables import category_label, comparison_notes, make_comparison_table

# ----- declarative tables ----------------------------------------------------------------------
#: a place's kind at the start of its facts line: the analysis layer's names, capitalised
KIND_TEXT = {**{k: v[:1].upper() + v[1:] for k, v in KIND_NAMES.items()},
             "utsatt_omrade": "Utsatt område (polisens klassning)"}
DEMO_WARNING = ("FIKTIVA DEMODATA – siffrorna i det här dokumentet är påhittade. De beskriver inga "
                "verkliga brott, svar eller aktiviteter och får inte användas som underlag.")
EXTERNAL_TEXT = "Extern version: antal under {n} i känsliga kategorier ({cats}) visas som –."
NO_CRIME_DATA = "inga anmälda brott för platserna"  # the cover's data date of places without any
SUPPRESS_TEXT = "Antal under {n} i känsliga kategorier ({cats}) visas som –."
COMPARE_WIDTHS = {"Kategori": 2.3, "Jämförelse": 2.3, "Före": 1.0, "Efter": 1.0, "Förändring": 1.6,
                  "Förändring (%)": 1.8, "Per 1 000 inv. och år": 2.0, "p-värde": 1.4, "Bedömning": 2.9}
#: the comparison's data file: the headers of Plats' Excel download (one table, export/headers.py; the
#: pack said "Lika med lika" of the column the download calls "Samma månader")
COMPARE_DATA = {c: HEADERS[c] for c in (
    "category_name", "period_a", "period_b", "start_a", "end_a", "start_b", "end_b", "count_a", "count_b",
    "change", "pct_change", "rate_a", "rate_a_low", "rate_a_high", "rate_b", "rate_b_low", "rate_b_high",
    "p_value", "significant", "verdict", "like_for_like", "note")}
ACTIVITY_COLUMNS = ["Aktivitet", "Arbetsgrupp", "Start", "Slut", "Mötesfrekvens", "Sammankallande"]
ACTIVITY_WIDTHS = [3.2, 2.0, 1.6, 1.6, 2.3, 2.3]
FOLLOWUP_COLUMNS = ["Aktivitet", "År", "T1", "T2", "VB"]
FOLLOWUP_WIDTHS = [3.0, 0.8, 2.4, 2.4, 2.4]
FOLLOWUP_CHARS = 160  # longer follow-up texts are cut with an ellipsis (the CSV has them whole)
TEST_NOTE = ("Bedömning: kvasi-Poisson-test med platsens och kategorins egen variation, skattad ur "
             "historiken (månaderna, eller källans egna hela perioder när siffrorna är årsvisa; exakt "
             "Poissontest när historiken är för kort, då står det vid bedömningen), tvåsidigt, nivå α = {alpha}, korrigerat för många jämförelser i "
             "tabellen (Benjamini–Hochberg). ”Ingen säkerställd förändring” betyder att skillnaden "
             "ryms i den vanliga variationen.")


# ----- cover -----------------------------------------------------------------------------------
def cover(data: ExportData, places: list[dict], periods, *, meeting: str, date) -> list:
    """Title, meeting, date, places, periods, data date; the demo warning; the contents."""
    until = data.until_of(*places)  # the packed places', not the store's (Brå's years to 2025)
    lines = [f"Möte: {meeting}", f"Datum: {fmt_date(date)}",
             f"Platser: {', '.join(p['name'] for p in places)}",
             f"Perioder: {fmt_periods([p.label for p in periods])}",
             f"Data t.o.m.: {fmt_date(until) if until else NO_CRIME_DATA}",
             f"Sammanställt av: {data.settings.organisation}"]
    blocks = [Paragraph(f"Lägesbild – {meeting}", "cover_title")]
    blocks += [Paragraph(line, "cover") for line in lines]
    if data.demo:
        blocks.append(Paragraph(DEMO_WARNING, "warning"))
    if data.threshold > 0:
        names = [data.category_names.get(c, c) for c in sorted(data.sensitive)]
        text = EXTERNAL_TEXT if data.external else SUPPRESS_TEXT
        blocks.append(Paragraph(text.format(n=data.threshold, cats=", ".join(names)), "note"))
    blocks += [Paragraph("Innehåll", "cover"),
               Bullets([p["name"] for p in places] + ["Metod och läsanvisning"]), PageBreak()]
    return blocks


# ----- comparison ------------------------------------------------------------------------------
def comparison(data: ExportData, place: dict, periods) -> pd.DataFrame:
    """The place's comparison for every category (:func:`lagesbild.analysis.place.place_comparison`)."""
    return place_comparison(data.store, place["place_id"], periods, alpha=data.alpha)


def comparison_table(data: ExportData, place: dict, periods) -> Table:
    """The comparison table with the core's verdicts, small sensitive counts suppressed."""
    raw = comparison(data, place, periods)
    shown = make_comparison_table(raw, category_names=data.category_names)
    shown, n = suppress_counts(
        shown, count_columns=["Före", "Efter"], sensitive=data.sensitive, threshold=data.threshold,
        category_column="_category", dependents={
            "Efter": ("Per 1 000 inv. och år",),
            "*": ("Förändring", "Förändring (%)", "p-värde", "Bedömning")})
    shown["Bedömning"] = shown["Bedömning"].replace(SUPPRESSED, "visas inte (litet antal)")
    hidden_raw, _ = suppress_counts(raw, count_columns=["count_a", "count_b"], sensitive=data.sensitive,
                                    threshold=data.threshold, dependents=COMPARE_DEPENDENTS)
    data_table = hidden_raw.assign(category_name=[  # as the table shows it ("Alla valda kategorier")
        category_label(data.category_names, c) for c in hidden_raw["category"]])
    columns = [c for c in shown.columns if not c.startswith("_")]
    notes = comparison_notes(shown) + [TEST_NOTE.format(alpha=alpha_text(data.alpha))]
    if n:
        notes.append(suppression_note(data.threshold, [data.category_names.get(c, c)
                                                        for c in sorted(data.sensitive)]))
    return Table(
        name=safe_stem(f"Jämförelse {place['name']}", " ".join(p.label for p in periods)),
        columns=columns, rows=shown[columns].astype(str).values.tolist(),
        widths=[COMPARE_WIDTHS.get(c, 1.0) for c in columns], notes=notes,
        data=data_table[[c for c in COMPARE_DATA if c in data_table]].rename(columns=COMPARE_DATA),
        caption=f"Anmälda brott per kategori, {fmt_periods([p.label for p in periods])}")


# ----- activities ------------------------------------------------------------------------------
def _date(value, open_ended=False) -> str:
    if pd.isna(value):
        return "tillsvidare" if open_ended else "–"
    return fmt_date(value)


CUT_NOTE = ("Långa uppföljningstexter är förkortade (…); hela texterna finns i paketets zip-fil, "
            "data/{file}.csv och .xlsx.")


def _cut(text: str, limit: int = FOLLOWUP_CHARS) -> str:
    """The text, shortened at a word (never mid-word) when longer than ``limit``."""
    return textwrap.shorten(str(text), limit, placeholder=" …")


def _followup_cell(rows: pd.DataFrame) -> str:
    if rows.empty:
        return "–"
    r = rows.iloc[-1]
    goal, done = followup_field(r["goal_met"]), followup_field(r["carried_out"])
    # a follow-up of what was done only (no "mål uppfyllt") is its text, not "Mål uppfyllt: . …"
    parts = ([f"Mål uppfyllt: {goal}"] if goal else []) + ([done] if done else [])
    return _cut(". ".join(parts)) if parts else "–"


def activity_tables(data: ExportData, place: dict) -> list:
    """The place's activities and their T1/T2/VB follow-ups as two tables (or a sentence)."""
    acts = data.activities_for(place["place_id"])
    if acts.empty:
        return [Paragraph("Platsen har inga aktiviteter i åtgärdsplanen.", "body")]
    rows = [[a["aktivitet"], a.get("arbetsgrupp") or "–", _date(a["start_date"]),
             _date(a["end_date"], bool(a.get("open_ended"))), a.get("motesfrekvens") or "–",
             a.get("sammankallande") or "–"] for a in acts.to_dict("records")]
    stem = safe_filename(f"Aktiviteter {place['name']}")
    # the data file: dates as dates (they were the display text "1 mars 2022"), missing ones empty
    numbers = pd.DataFrame(rows, columns=ACTIVITY_COLUMNS).assign(
        Start=[day(a["start_date"]) for a in acts.to_dict("records")],
        Slut=[day(a["end_date"]) or ("tillsvidare" if a.get("open_ended") else None)
              for a in acts.to_dict("records")])
    blocks = [Table(stem, ACTIVITY_COLUMNS, rows, ACTIVITY_WIDTHS, data=numbers, caption="Aktiviteter")]
    fu = data.followups[data.followups["activity_id"].isin(set(acts["activity_id"]))]
    names = dict(zip(acts["activity_id"], acts["aktivitet"], strict=True))
    fu_rows = []
    for (aid, year), grp in fu.groupby(["activity_id", "year"], sort=True):
        fu_rows.append([names[aid], str(year)] + [_followup_cell(grp[grp["period"] == t])
                                                  for t in ("T1", "T2", "VB")])
    if not fu_rows:
        return blocks + [Paragraph("Ingen uppföljning är registrerad för platsens aktiviteter.",
                                   "note")]
    fu_data = fu.assign(aktivitet=fu["activity_id"].map(names)).rename(columns={
        "aktivitet": "Aktivitet", "year": "År", "period": "Tertial", "goal_met": "Mål uppfyllt",
        "carried_out": "Genomfört"})[["Aktivitet", "År", "Tertial", "Mål uppfyllt", "Genomfört"]]
    fu_stem = safe_filename(f"Uppföljning {place['name']}")
    blocks.append(Table(fu_stem, FOLLOWUP_COLUMNS, fu_rows, FOLLOWUP_WIDTHS, data=fu_data.reset_index(drop=True),
                        caption="Uppföljning per tertial (T1 jan–apr, T2 maj–aug, VB helår)"))
    if any(str(cell).endswith(" …") for row in fu_rows for cell in row[2:]):
        blocks.append(Paragraph(CUT_NOTE.format(file=fu_stem), "note"))
    return blocks


# ----- meeting notes -----------------------------------------------------------------------------
NOTE_COLUMNS, NOTE_WIDTHS = ["Mötesdatum", "Skriven av", "Anteckning"], [1.6, 1.8, 8.6]


def notes_block(data: ExportData, place: dict) -> list:
    """The place's latest meeting notes as a table (nothing when it has none); the text as written,
    neutralised like every cell when the table is written to CSV or XLSX."""
    from lagesbild.analysis.pack import NOTES_IN_PACK, place_notes

    notes = place_notes(data.store, place["place_id"])
    if notes.empty:
        return []
    if data.external:  # the group's own words and the names of its members stay inside
        return [Heading("Mötesanteckningar", 2), Paragraph(NOTES_LEFT_OUT, "note")]
    rows = [[fmt_date(r["meeting_date"]), r["author"], r["text"]] for r in notes.to_dict("records")]
    return [Heading("Mötesanteckningar", 2),
            Table(safe_filename(f"Mötesanteckningar {place['name']}"), NOTE_COLUMNS, rows, NOTE_WIDTHS,
                  data=notes.rename(columns={"meeting_date": "Mötesdatum", "author": "Skriven av",
                                             "text": "Anteckning", "created_at": "Skriven"}),
                  caption=f"Mötesanteckningar (de senaste, högst {NOTES_IN_PACK})")]


#: said in an external pack where the place has meeting notes
NOTES_LEFT_OUT = ("Mötesanteckningarna (vem som skrev vad) är beredningsgruppens interna och ingår inte i "
                  "den externa versionen.")


#: said in a pack built without the hot spot map (for a user below the role analytiker)
MAP_LEFT_OUT = ("Kartan med hot spots bygger på brott på händelsenivå och kräver rollen analytiker; den "
                "ingår inte i det här mötespaketet.")


# ----- one place -------------------------------------------------------------------------------
#: a place without any crime data (a survey's area) says so instead of comparing, as ``compare`` does
NO_CRIMES_TEXT = ("Det finns inga anmälda brott för {name} i databasen: jämförelse, trender, andel och "
                  "karta saknas.")
STEPS_WITHOUT_CRIMES = 4  # the progress steps a section with crimes takes (comparison … map)
def place_intro(data: ExportData, place: dict) -> Paragraph:
    """One line about the place: kind, district, population."""
    parts = [KIND_TEXT.get(place["kind"], place["kind"])]
    if place.get("district_id"):
        parts.append(f"i {data.place_name(place['district_id'])}")
    text = " ".join(parts)
    if not pd.isna(place.get("population")):
        text += f". Cirka {fmt_int(place['population'])} invånare"
    if place.get("approximate"):
        text += ". Platsens gräns är ungefärlig (ritad för hand kring verkliga koordinater)"
    return Paragraph(text + ".", "body")


def _map_block(data: ExportData, place: dict, periods):
    """The place's hot spot map, or a line saying it has none (an area without a shape)."""
    from lagesbild.analysis.maps import no_map_text

    gdf = data.places_gdf
    geom = gdf.loc[gdf["place_id"] == place["place_id"]].geometry
    if geom.empty or geom.iloc[0] is None or geom.iloc[0].is_empty:
        return Paragraph(no_map_text(data.store, place["place_id"]) + ".", "body")
    return map_chart(data, place, periods)


#: a place without survey results: a sentence, not a chart of nothing ("Inget att visa") under a source
#: line naming the survey and a data date
NO_SURVEY_TEXT = "Det finns ingen trygghetsmätning för {name} i databasen."


def survey_block(data: ExportData, place: dict, periods):
    """The place's survey chart, or a line saying it has no survey results."""
    from lagesbild.analysis.place import place_survey

    if place_survey(data.store, place["place_id"], alpha=data.alpha).empty:
        return Paragraph(NO_SURVEY_TEXT.format(name=place["name"]), "body")
    return survey_chart(data, place, periods)


def place_section(data: ExportData, place: dict, periods, *, step=None, with_map: bool = True) -> list:
    """Every block of one place's section; ``step(text)`` is called as each part is built.

    Without ``with_map`` (a pack for a role below analytiker) the hot spot map, built from incident-level
    data, is left out and a line says so (:data:`MAP_LEFT_OUT`)."""
    step = step or (lambda text, n=1: None)
    blocks = [Heading(place["name"], 1), place_intro(data, place)]
    if data.until_of(place) is None:  # a survey's area: no table of "saknas" and four empty charts
        step(f"{place['name']}: trygghetsmätning", STEPS_WITHOUT_CRIMES)
        return blocks + [Paragraph(NO_CRIMES_TEXT.format(name=place["name"]), "body"),
                         Heading("Trygghetsmätning", 2), survey_block(data, place, periods),
                         Heading("Åtgärdsplanens aktiviteter och uppföljning", 2),
                         *activity_tables(data, place), *effects_table(data, place), *notes_block(data, place)]
    step(f"{place['name']}: jämförelse")
    blocks += [Heading("Jämförelse mellan perioderna", 2), comparison_table(data, place, periods)]
    step(f"{place['name']}: trender")
    blocks += [Heading("Utveckling över tid", 2), trend_chart(data, place, periods),
               months_chart(data, place, periods), share_chart(data, place, periods)]
    step(f"{place['name']}: trygghetsmätning")
    blocks += [Heading("Trygghetsmätning", 2), survey_block(data, place, periods)]
    if with_map:
        step(f"{place['name']}: karta")
        blocks += [Heading("Heta punkter och åtgärdsplanens aktiviteter", 2), _map_block(data, place, periods)]
    else:
        blocks += [Heading("Karta", 2), Paragraph(MAP_LEFT_OUT, "body")]
    blocks += [Heading("Åtgärdsplanens aktiviteter och uppföljning", 2)]
    blocks += activity_tables(data, place)
    blocks += effects_table(data, place)
    blocks += notes_block(data, place)
    return blocks
