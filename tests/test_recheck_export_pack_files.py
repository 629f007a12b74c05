"""A whole meeting pack of a store with Brå's years to 2025 beside monthly data to August 2023: the
read-me in the ZIP gives the meeting's date as the cover does ("5 dec 2026", it was "2026-12-05"), and
the DOCX, the PDF and the read-me say where the packed places' data end."""

from __future__ import annotations

import datetime as dt
import subprocess
import zipfile

import docx
import pytest

from lagesbild.export.pack import build_pack
from tests.test_recheck_export_dataend import mixed_store  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_pack_files_say_the_meeting_date_and_data_end_in_swedish(mixed_store, settings, tmp_path):  # noqa: F811
    result = build_pack(mixed_store, settings, places=["Hässelby torg", "varberg"],
                        periods=["2021–2022", "2022–2023"], out_dir=tmp_path / "ut", date=dt.date(2026, 12, 5),
                        with_map=False)
    readme = zipfile.ZipFile(result.zip).read("LÄSMIG.txt").decode("utf-8")
    assert readme.splitlines()[0] == "Mötespaket: Beredningsgrupp 5 dec 2026"
    assert "Perioder: 2021–2022 och 2022–2023" in readme
    assert "data t.o.m. 31 aug 2023" in readme and "2025" not in readme
    cover = [p.text for p in docx.Document(result.docx).paragraphs[:10]]
    assert "Data t.o.m.: 31 aug 2023" in cover
    pdf = subprocess.run(["pdftotext", "-layout", str(result.pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    assert "Data t.o.m.: 31 aug 2023" in pdf and "31 dec 2025" not in pdf
