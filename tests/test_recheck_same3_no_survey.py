"""A place without survey results got a chart of nothing in the pack ("Inget att visa: det finns ingen
trygghetsmätning för platsen") under a source line naming the survey and a data date, and an empty
"Trygghet …" PNG and CSV in the zip (same3's finding, on Muskö of a kommun's own areas); the section now
says it in a sentence."""

from __future__ import annotations

import pytest

from lagesbild.export.content import Chart, Paragraph
from lagesbild.export.data import ExportData, parse_periods
from lagesbild.export.sections import place_section

PERIODS = ["2021–2022", "2022–2023"]


@pytest.fixture(scope="module")
def data(demo_store, demo_settings):
    return ExportData(demo_store, demo_settings)


def _survey_part(blocks):
    i = next(i for i, b in enumerate(blocks) if getattr(b, "text", None) == "Trygghetsmätning")
    return blocks[i + 1]


def test_a_place_without_survey_rows_gets_a_sentence(data, demo_store):
    survey = demo_store.survey()
    assert not (survey["place_id"] == "farsta").any()  # the premise, from the store's own table
    blocks = place_section(data, data.place("farsta"), parse_periods(PERIODS), with_map=False)
    part = _survey_part(blocks)
    assert isinstance(part, Paragraph), part
    assert "ingen trygghetsmätning" in part.text and "Farsta" in part.text
    assert not any(isinstance(b, Chart) and b.name.startswith("Trygghet") for b in blocks)


def test_a_place_with_survey_rows_keeps_its_chart(data, demo_store):
    assert (demo_store.survey()["place_id"] == "hasselby-torg").any()
    blocks = place_section(data, data.place("hasselby-torg"), parse_periods(PERIODS), with_map=False)
    assert isinstance(_survey_part(blocks), Chart)
