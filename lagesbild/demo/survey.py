"""The demo safety-survey file ``data/demo/trygghetsmatning.csv``: four real rows, the rest FICTITIOUS.

Real (``Fiktiv=nej``): Hässelby-Vällingby's action plan quotes "the latest trygghetsmätning":
23 % at Hässelby torg against 9 % for the district said drunk people disturb order, 20 % against 8 %
drug-affected people. The plan does not give the year (it was written for 2020; 2019 is assumed) or
the number of respondents (left empty).

Everything else is invented from the declarative tables below: a city level per indicator, a factor
per area, a change per area and year, and a deterministic jitter.

Examples
--------
>>> rows = survey_rows()
>>> [r for r in rows if r[0] == "Hässelby torg" and r[2] == 2019 and r[6] == "nej"][0][4]
'23'
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

COMMENT = ("# FIKTIVA DEMODATA utom raderna med Fiktiv=nej: Hässelby torg och Hässelby-Vällingby, "
           "'Berusade personer stör ordningen' 23 % resp. 9 % och 'Narkotikapåverkade personer stör "
           "ordningen' 20 % resp. 8 %, ur Hässelby-Vällingbys åtgärdsplan ('senaste trygghetsmätningen'; "
           "året 2019 är antaget, antal svarande okänt). Alla rader med Fiktiv=ja är påhittade.")
HEADER = ("Område", "Nivå", "År", "Indikator", "Andel (%)", "Antal svarande", "Fiktiv")
YEARS = (2017, 2019, 2021, 2023)
SEED = 2019

# Indicator: (city share in % , how strongly it follows local disorder: 0 = not at all, 1 = fully)
INDICATORS: dict[str, tuple[float, float]] = {
    "Otrygg utomhus sent en kväll i området": (24.0, 0.5),
    "Oro för att utsättas för brott": (19.0, 0.35),
    "Nedskräpning": (33.0, 0.45),
    "Skadegörelse/klotter": (22.0, 0.6),
    "Berusade personer stör ordningen": (7.0, 1.0),
    "Narkotikapåverkade personer stör ordningen": (6.0, 1.0),
}

# Area (as named in geodata/places.geojson), level, disorder factor against the city, respondents
# in 2017, and the change per year (factor on the 2017 level).
AREAS: tuple[tuple[str, str, float, int, dict[int, float]], ...] = (
    ("Hässelby torg", "plats", 3.2, 210, {2017: 1.0, 2019: 1.05, 2021: 0.8, 2023: 0.7}),
    ("Vällingby centrum", "plats", 2.2, 260, {2017: 1.0, 2019: 1.05, 2021: 1.25, 2023: 0.95}),
    ("Skärholmen centrum", "plats", 2.4, 240, {2017: 1.0, 2019: 1.0, 2021: 1.05, 2023: 1.0}),
    ("Älvsjö/Solberga", "plats", 2.3, 300, {2017: 1.0, 2019: 1.1, 2021: 1.1, 2023: 0.85}),
    ("Fruängen", "plats", 1.6, 220, {2017: 1.0, 2019: 0.95, 2021: 1.1, 2023: 1.0}),
    ("Vårberg", "plats", 2.5, 230, {2017: 1.0, 2019: 0.97, 2021: 0.92, 2023: 0.88}),
    ("Bredäng", "plats", 2.4, 240, {2017: 1.0, 2019: 0.98, 2021: 0.94, 2023: 0.9}),
    ("Sätra", "plats", 1.7, 190, {2017: 1.0, 2019: 1.0, 2021: 0.97, 2023: 0.95}),
    ("Hässelby-Vällingby", "stadsdelsomrade", 1.3, 1150, {2017: 1.0, 2019: 1.0, 2021: 0.95, 2023: 0.92}),
    ("Hägersten-Älvsjö", "stadsdelsomrade", 1.1, 1480, {2017: 1.0, 2019: 1.0, 2021: 0.98, 2023: 0.95}),
    ("Skärholmen", "stadsdelsomrade", 1.8, 820, {2017: 1.0, 2019: 0.98, 2021: 0.95, 2023: 0.9}),
    ("Stockholm", "stad", 1.0, 17500, {2017: 1.0, 2019: 1.0, 2021: 0.98, 2023: 0.96}),
)

# The real figures: (area, year, indicator) -> percent.
REAL: dict[tuple[str, int, str], int] = {
    ("Hässelby torg", 2019, "Berusade personer stör ordningen"): 23,
    ("Hässelby-Vällingby", 2019, "Berusade personer stör ordningen"): 9,
    ("Hässelby torg", 2019, "Narkotikapåverkade personer stör ordningen"): 20,
    ("Hässelby-Vällingby", 2019, "Narkotikapåverkade personer stör ordningen"): 8,
}


def _percent(value: float) -> str:
    """One decimal with decimal comma."""
    return f"{value:.1f}".replace(".", ",")


def survey_rows(seed: int = SEED) -> list[tuple[str, str, int, str, str, str, str]]:
    """All rows of the demo survey file (strings as written, year as int)."""
    rng = np.random.default_rng(seed)
    rows = []
    for area, level, factor, n2017, change in AREAS:
        for year in YEARS:
            respondents = int(round(n2017 * (1 + 0.03 * (year - 2017) / 2) * rng.uniform(0.92, 1.08)))
            for indicator, (city, weight) in INDICATORS.items():
                jitter = rng.normal(1.0, 0.06)
                real = REAL.get((area, year, indicator))
                if real is not None:
                    rows.append((area, level, year, indicator, str(real), "", "nej"))
                    continue
                share = city * factor ** weight * change[year] ** weight * jitter
                share = min(max(share, 1.0), 85.0)
                rows.append((area, level, year, indicator, _percent(share), str(respondents), "ja"))
    return rows


def write_survey(path: Path | str, *, seed: int = SEED) -> Path:
    """Write the demo survey CSV (UTF-8, ``;``, decimal comma) and return its path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = write_survey(pathlib.Path(tempfile.mkdtemp()) / "t.csv")
    >>> p.read_text(encoding="utf-8").splitlines()[1]
    'Område;Nivå;År;Indikator;Andel (%);Antal svarande;Fiktiv'
    """
    lines = [COMMENT, ";".join(HEADER)] + [";".join(str(v) for v in row) for row in survey_rows(seed)]
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":  # pragma: no cover
    import logging
    import sys

    from lagesbild.logconfig import configure_logging

    configure_logging("INFO")
    logging.getLogger(__name__).info("Skrev %s", write_survey(
        sys.argv[1] if len(sys.argv) > 1 else "data/demo/trygghetsmatning.csv"))
