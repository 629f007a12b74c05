"""Mönster's default period is the latest Sep–Aug year, begun or not. With incidents to 15 okt 2023
the page said "Hässelby torg · Alla kategorier utom känsliga · 2023–2024", and so did the tile
("Brott med koordinater … 2023–2024") and both charts, over six weeks of crimes; only the dropdown
said "(t.o.m. 15 okt 2023)". Botkyrka re-check: Alby, 47 crimes "2026–2027" from 1 sep–15 okt 2026.

Reference: the file below has one incident a day at Hässelby torg, 1 sep 2022–15 okt 2023, so
2023–2024 holds 30 + 15 = 45 of them (counted by hand)."""

from __future__ import annotations

import datetime as dt
import json

from lagesbild.ingest import ingest_file
from lagesbild.web.views.patterns import patterns_view
from tests.test_ingest import INCIDENT_HEADER, TORG, write


def incidents(tmp_path):
    day, rows = dt.date(2022, 9, 1), []
    while day <= dt.date(2023, 10, 15):
        rows.append(f"P{len(rows)};{day.isoformat()} 14:00;Skadegörelse;{TORG[0]:.1f};{TORG[1]:.1f}")
        day += dt.timedelta(days=1)
    return write(tmp_path, "händelser.csv", INCIDENT_HEADER + "\n".join(rows) + "\n", encoding="utf-8")



def test_a_begun_year_says_how_far_its_data_go(places_store, settings, tmp_path):
    ingest_file(places_store, "incidents", incidents(tmp_path), extracted_at="2023-10-16")
    page = patterns_view(places_store, settings, place="hasselby-torg", period="2023–2024")
    facts = page[0].children[1]
    assert facts.id == "pat-facts"
    assert facts.children == "Hässelby torg · Alla kategorier utom känsliga · 2023–2024 (t.o.m. 15 okt 2023)"
    text = str(page)
    assert "Div(children='45', className='tile-value')" in text  # the tile: 30 + 15 days, one a day
    assert "Alla kategorier utom känsliga, 2023–2024 (t.o.m. 15 okt 2023)" in text  # its detail


def test_a_whole_year_is_named_as_it_is(places_store, settings, tmp_path):
    ingest_file(places_store, "incidents", incidents(tmp_path), extracted_at="2023-10-16")
    page = patterns_view(places_store, settings, place="hasselby-torg", period="2022–2023")
    assert page[0].children[1].children == "Hässelby torg · Alla kategorier utom känsliga · 2022–2023"
    assert "t.o.m." not in page[0].children[1].children


def test_the_map_of_a_begun_year_says_it_too(places_store, settings, tmp_path):
    """Karta's chart named the same default period "2023–2024" (its PNG for the minutes too)."""
    from lagesbild.web.views.map import map_view

    ingest_file(places_store, "incidents", incidents(tmp_path), extracted_at="2023-10-16")
    tree = map_view(places_store, settings, area="hasselby-vallingby", category="skadegorelse",
                    period="2023–2024")
    subtitle = json.dumps(tree[0].to_plotly_json(), ensure_ascii=False, default=str)
    assert "2023–2024 (t.o.m. 15 okt 2023)" in subtitle
    whole = map_view(places_store, settings, area="hasselby-vallingby", category="skadegorelse",
                     period="2022–2023")
    assert "t.o.m. 15 okt 2023)" not in json.dumps(whole[0].to_plotly_json(), ensure_ascii=False, default=str)
