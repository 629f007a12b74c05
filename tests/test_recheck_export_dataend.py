"""The meeting pack's dates are the packed places' own: a store with Brå's calendar years to 2025 beside
monthly data that end in August 2023 (the demo's incidents) must not say "Data t.o.m. 31 dec 2025" on
the cover of a pack of the monthly places, nor compare their years 2024–2025 and 2025–2026 (every
number "saknas") when no periods are asked for."""

from __future__ import annotations

import datetime as dt

import pytest

from lagesbild.analysis.pack import default_periods
from lagesbild.export.content import Paragraph
from lagesbild.export.data import ExportData, parse_periods
from lagesbild.export.sections import cover
from lagesbild.ingest import ingest_file

MONTHLY_HEADER = "Plats;Brottskategori;Månad;Antal\n"
YEARLY_HEADER = "year,area,crime_type,count\n"


def _months(start: str, end: str) -> list[str]:
    first, last = dt.date.fromisoformat(start + "-01"), dt.date.fromisoformat(end + "-01")
    out, day = [], first
    while day <= last:
        out.append(day.strftime("%Y-%m"))
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


@pytest.fixture
def mixed_store(places_store, tmp_path):
    """Monthly counts (two categories) of Hässelby torg and Vårberg from Sep 2020 to Aug 2023, and a Brå-shaped table
    of Göteborg's calendar years 2019–2025 (another source)."""
    lines = [f"{place};{cat};{m};{base + i % 7}" for place in ("Hässelby torg", "Vårberg")
             for cat, base in (("Skadegörelse", 10), ("Narkotikabrott", 3))
             for i, m in enumerate(_months("2020-09", "2023-08"))]
    monthly = tmp_path / "manad.csv"
    monthly.write_text(MONTHLY_HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    yearly = tmp_path / "bra_ar.csv"
    yearly.write_text(YEARLY_HEADER + "".join(
        f"{y},Göteborg,Skadegörelsebrott,{700 + y % 9}\n{y},Göteborg,Narkotikabrott,{500 + y % 5}\n"
        for y in range(2019, 2026)), encoding="utf-8")
    assert ingest_file(places_store, "crimes", monthly).status == "ok"
    assert ingest_file(places_store, "crimes", yearly, source="bra-brott").status == "ok"
    return places_store


def vaarberg_months(tmp_path):
    """Vårberg's Skadegörelse, Sep 2020 – Aug 2023 (12–15 a month), as a monthly counts file."""
    crimes = tmp_path / "vaarberg.csv"
    crimes.write_text(MONTHLY_HEADER + "".join(f"Vårberg;Skadegörelse;{m};{12 + i % 4}\n" for i, m in
                                               enumerate(_months("2020-09", "2023-08"))), encoding="utf-8")
    return crimes


def _cover_line(blocks, start: str) -> str:
    return next(b.text for b in blocks if isinstance(b, Paragraph) and b.text.startswith(start))


def test_the_cover_says_where_the_packed_places_data_end(mixed_store, settings):
    data = ExportData(mixed_store, settings)
    assert data.data_until == dt.date(2025, 12, 31)  # the store's: Göteborg's yearly table
    places = [data.place("hasselby-torg"), data.place("varberg")]
    blocks = cover(data, places, parse_periods(["2021–2022", "2022–2023"]), meeting="Beredningsgrupp",
                   date=dt.date(2026, 12, 5))
    assert _cover_line(blocks, "Data t.o.m.") == "Data t.o.m.: 31 aug 2023"
    # a pack that also holds Göteborg runs to the latest of its places
    blocks = cover(data, [*places, data.place("goteborg")], parse_periods(["2021–2022", "2022–2023"]),
                   meeting="Beredningsgrupp", date=dt.date(2026, 12, 5))
    assert _cover_line(blocks, "Data t.o.m.") == "Data t.o.m.: 31 dec 2025"


def test_a_pack_without_periods_compares_the_places_own_latest_years(mixed_store):
    labels = [p.label for p in default_periods(mixed_store, 2, ["hasselby-torg", "Vårberg"])]
    assert labels == ["2021–2022", "2022–2023"]
    # Göteborg alone keeps its calendar years
    assert [p.label for p in default_periods(mixed_store, 2, ["goteborg"])] == ["2024", "2025"]



def test_a_chart_names_the_publisher_and_data_end_of_its_own_place(mixed_store, settings):
    """Göteborg's Brå table to 2025 made every chart of the police's monthly places say "Polisen och
    Brå, … data t.o.m. 31 dec 2025"."""
    from lagesbild.export.charts import trend_chart

    data = ExportData(mixed_store, settings)
    periods = parse_periods(["2021–2022", "2022–2023"])
    hasselby = str(trend_chart(data, data.place("hasselby-torg"), periods).fig.to_dict()["layout"])
    assert ("Källa: Polisen, anmälda brott; bearbetning Stadsdelsförvaltningen, data t.o.m. 31 aug 2023"
            in hasselby.replace("<br>", " "))
    goteborg = str(trend_chart(data, data.place("goteborg"), parse_periods(["2024", "2025"])).fig.to_dict())
    assert "Källa: Brå, anmälda brott" in goteborg and "31 dec 2025" in goteborg.replace("<br>", " ")


def test_a_pack_of_both_names_both_publishers_and_the_later_end(mixed_store, settings):
    from lagesbild.figures.style import source_line

    data = ExportData(mixed_store, settings)
    hasselby, goteborg = data.place("hasselby-torg"), data.place("goteborg")
    data.scope([hasselby, goteborg])
    assert source_line(data.context).startswith("Källa: Polisen och Brå, anmälda brott")
    assert source_line(data.context).endswith("data t.o.m. 31 dec 2025")
    data.scope([hasselby])
    assert source_line(data.context) == ("Källa: Polisen, anmälda brott; bearbetning Stadsdelsförvaltningen, "
                                         "data t.o.m. 31 aug 2023")


def test_the_comparison_numbers_name_their_rows_as_the_table_does(mixed_store, settings):
    """The data file's total row was "Alla kategorier" under a table saying "Alla valda kategorier"."""
    from lagesbild.export.sections import comparison_table

    data = ExportData(mixed_store, settings)
    table = comparison_table(data, data.place("varberg"), parse_periods(["2021–2022", "2022–2023"]))
    assert [row[0] for row in table.rows] == table.data["Kategori"].tolist()
    assert table.data["Kategori"].tolist()[-1] == "Alla valda kategorier"
    assert table.data["Antal B"].tolist() == [int(r[3].replace("\u00a0", "").replace(" ", "")) for r in table.rows]


def test_a_place_with_yearly_counts_to_2025_and_months_to_2023_compares_its_months_latest_years(
        mixed_store, tmp_path):
    """Sep–Aug years are counted from months: Brå's years of the place to 2025 must not pull its
    default Sep–Aug years past its months (2024–2025 and 2025–2026, every number "saknas")."""
    yearly = tmp_path / "bra_vaarberg.csv"
    yearly.write_text(YEARLY_HEADER + "".join(f"{y},Vårberg,Skadegörelsebrott,{150 + y % 7}\n"
                                              for y in range(2019, 2026)), encoding="utf-8")
    assert ingest_file(mixed_store, "crimes", yearly, source="bra-vaarberg").status == "ok"
    assert [p.label for p in default_periods(mixed_store, 2, ["varberg"])] == ["2021–2022", "2022–2023"]
