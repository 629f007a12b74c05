"""Demo data replaced by real data: `demo --remove` takes the fictitious incidents, survey and plan
out, so real incidents read in beside them are counted alone and nothing says "fiktiva" any more.
Before, the demo could not be removed: the store said FIKTIVA DEMODATA forever and mixed the demo's
months with the real file's."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from shapely import wkt
from shapely.geometry import Point

from lagesbild.cli import main
from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import load_settings
from tests.e2e_support import copy_sqlite


def real_incidents(store, path, n: int = 200, seed: int = 1) -> pd.DataFrame:
    """``n`` skadegörelse inside Hässelby torg's stored polygon, Sep 2020–Aug 2022, written to ``path``."""
    poly = wkt.loads(store.places().set_index("place_id").loc["hasselby-torg", "wkt_3006"])
    rng = np.random.default_rng(seed)
    days = pd.date_range("2020-09-01", "2022-08-31")
    x0, y0, x1, y1 = poly.bounds
    rows = []
    while len(rows) < n:
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        if poly.buffer(-1).contains(Point(x, y)):
            rows.append((f"R-{len(rows)}", days[rng.integers(len(days))].date().isoformat(), "Skadegörelse",
                         round(x, 1), round(y, 1)))
    rows[0] = (rows[0][0], "2020-09-01", *rows[0][2:])  # the file begins with its first month
    df = pd.DataFrame(rows, columns=["Händelse-id", "Brottsdatum", "Brottskategori", "E", "N"])
    df = df.sort_values("Brottsdatum", kind="stable")
    df.to_csv(path, index=False)
    return df


@pytest.fixture
def replaced(demo_store_path, tmp_path):
    db = tmp_path / "store.sqlite"
    copy_sqlite(demo_store_path, db)  # the demo's last writes may be in its -wal file
    cfg = load_settings({}, data_dir=str(tmp_path), db=str(db))
    store = open_store(cfg)
    inc = real_incidents(store, tmp_path / "polisen.csv")
    ingest_file(store, "incidents", tmp_path / "polisen.csv")
    return cfg, store, inc


def test_demo_remove_leaves_the_real_data_alone_and_unmarked(replaced, capsys):
    cfg, store, inc = replaced
    assert main(["--db", cfg.db, "status"]) == 0
    assert "FIKTIVA DEMODATA" in capsys.readouterr().out
    assert main(["--db", cfg.db, "demo", "--remove"]) == 0
    assert capsys.readouterr().out.startswith("Demodata borttagna (")
    assert main(["--db", cfg.db, "status", "--format", "json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["demodata"] is False and not any(s["fiktiv"] for s in status["källor"])
    assert {s["källa"] for s in status["källor"]} == {"demo-platser", "polisen-incidenter"}  # places kept
    assert main(["--db", cfg.db, "status"]) == 0
    assert "FIKTIV" not in capsys.readouterr().out
    # the real file's counts alone (the demo's were mixed in wherever the file had no month)
    when = pd.to_datetime(inc["Brottsdatum"])
    hand = (int(when.between("2020-09-01", "2021-08-31").sum()), int(when.between("2021-09-01", "2022-08-31").sum()))
    assert main(["--db", cfg.db, "compare", "--place", "hasselby-torg", "--category", "skadegorelse",
                 "--periods", "2020-2021", "2021-2022", "--format", "json"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert (row["count_a"], row["count_b"]) == hand
    assert main(["--db", cfg.db, "survey", "--place", "hasselby-torg"]) == 0
    assert "ingen trygghetsmätning" in capsys.readouterr().out
    # the web: no banner, no "fiktiva" in the shell or the figure context
    from lagesbild.web import create_app
    from lagesbild.web.common import figure_context

    app = create_app(cfg, store)
    layout = app.server.test_client().get("/_dash-layout").get_data(as_text=True)
    assert "Fiktiva demodata" not in layout and "fiktiva" not in layout.lower()
    assert figure_context(store, cfg).demo is False
    # again: nothing to remove; and the demo can be read in again (its files are not "already read")
    assert main(["--db", cfg.db, "demo", "--remove"]) == 0
    assert "inga demodata" in capsys.readouterr().out
    assert main(["--db", cfg.db, "demo", "--force"]) == 0
    capsys.readouterr()
    assert store.meta()["demo"] is True and store.counts()["incidents"] > 60_000
