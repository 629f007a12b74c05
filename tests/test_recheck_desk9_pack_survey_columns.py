"""The pack's survey data (``data/Trygghet Mölnbo 2026.csv``) headed Södertälje's shares "Staden" and
the differences against it "Skillnad mot (resten av) staden", beside empty "Stadsdelsområdet" columns,
for a place in a kommun whose survey rows are the city level (desk9's fictitious Mölnbo). The columns
now name Södertälje, once."""

from __future__ import annotations

from tests.test_recheck_desk9_survey_kommun import _open


def test_the_pack_survey_columns_name_the_kommun(tmp_path, monkeypatch):
    settings, store = _open(tmp_path, monkeypatch)
    from lagesbild.export.charts import survey_chart
    from lagesbild.export.data import ExportData

    data = ExportData(store, settings)
    table = survey_chart(data, data.place("molnbo")).data
    cols = list(table.columns)
    assert "Södertälje" in cols and "Skillnad mot (resten av) Södertälje, p.e." in cols
    assert not any("staden" in c.lower() or "stadsdelsområdet" in c.lower() for c in cols), cols
    # 2026: Mölnbo 30 % of 40, Södertälje 27 % of 900; the rest of Södertälje (0,27·900 − 0,30·40)/860
    # = 26,86 %, so +3,14 p.e. (hand computation)
    row = table[table["År"] == 2026].iloc[0]
    assert row["Södertälje"] == 0.27
    assert abs(row["Skillnad mot (resten av) Södertälje, p.e."] - 3.14) < 0.01
