"""Översikt's heading over a year only begun. Data for whole months up to 31 Oct 2023 make the
latest Sep–Aug year 2023–2024 two months long; the comparison then counts sep–okt 2023 against
sep–okt 2022 (like for like), and the heading said only "Anmälda brott 2023–2024 jämfört med
2022–2023" above counts of two months each (a note under the table was the one place that told).

Reference: the file below, summed by hand: Vårberg's Narkotika in sep–okt 2023 is 2 + 2 = 4 and in
sep–okt 2022 is 1 + 1 = 2 (a year's months would be 24 and 24)."""

from __future__ import annotations

import pandas as pd

from lagesbild.ingest import ingest_file
from lagesbild.web.views.overview import overview_view
from tests.test_ingest import write

MONTHS = pd.date_range("2021-09-01", "2023-10-01", freq="MS")  # ends 31 Oct 2023


def crimes_file(tmp_path):
    lines = ["Område;Brottstyp;Månad;Antal"]
    for m in MONTHS:
        n = 2 if m.year == 2023 and m.month >= 9 else 1 if m.year == 2022 and m.month >= 9 else 2
        lines.append(f"Vårberg;Narkotika;{m:%Y-%m};{n}")
    return write(tmp_path, "brott.csv", "\n".join(lines) + "\n", encoding="utf-8")


def headings(layout) -> list[str]:
    out = []

    def walk(node):
        if isinstance(node, (list, tuple)):
            for x in node:
                walk(x)
            return
        if getattr(node, "__class__", None) is not None and node.__class__.__name__ in ("H2", "H3", "H4"):
            out.append(str(node.children))
        children = getattr(node, "children", None)
        if children is not None and not isinstance(children, str):
            walk(children)
    walk(layout)
    return out


def test_heading_says_which_months_a_begun_year_is_compared_on(places_store, settings, tmp_path):
    ingest_file(places_store, "crimes", crimes_file(tmp_path), extracted_at="2023-11-05")
    layout = overview_view(places_store, settings)
    text = str(layout)
    assert "2023–2024 jämfört med 2022–2023" in text
    title = next(h for h in headings(layout) if "jämfört med" in h)
    assert title == "Anmälda brott 2023–2024 jämfört med 2022–2023 – bara sep–okt 2023 mot sep–okt 2022"
    # the counts under it are those two months' (hand sums of the file: 4 against 2)
    assert "'c0': '4 *(+2, +100&nbsp;%)*'" in text  # the bracket a box of its own (Markdown)


def test_a_whole_year_keeps_the_plain_heading(places_store, settings, tmp_path):
    ingest_file(places_store, "crimes", crimes_file(tmp_path), extracted_at="2023-11-05")
    layout = overview_view(places_store, settings, period="2022–2023")
    title = next(h for h in headings(layout) if "jämfört med" in h)
    assert title == "Anmälda brott 2022–2023 jämfört med 2021–2022"


def test_the_command_line_heading_says_it_too(places_store, settings, tmp_path, capsys):
    from lagesbild.cli import main

    ingest_file(places_store, "crimes", crimes_file(tmp_path), extracted_at="2023-11-05")
    assert main(["--db", settings.db_url, "overview"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("Anmälda brott 2023–2024 jämfört med 2022–2023 – bara sep–okt 2023 mot "
                            "sep–okt 2022: antal")
