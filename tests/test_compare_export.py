"""The chart export of Jämför platser and Mönster: the server rebuilds the figure from the address, with
the page's own role check (Mönster needs the role analytiker, as the map)."""

from __future__ import annotations

import pytest

from lagesbild.analysis import meeting
from lagesbild.settings import load_settings
from lagesbild.store import Store, accounts
from tests.e2e_support import copy_sqlite

OUTSIDE = {"REMOTE_ADDR": "10.1.2.3"}


@pytest.fixture(scope="module")
def served(demo_store_path, tmp_path_factory):
    from lagesbild.web import create_app

    folder = tmp_path_factory.mktemp("cmp-export")
    copy_sqlite(demo_store_path, folder / "s.sqlite")
    settings = load_settings({}, data_dir=str(folder), db=str(folder / "s.sqlite"))
    store = Store(settings.db_url)
    accounts.add_user(store, "lasse", "läsarens-lösenord", "läsare")
    return create_app(settings, store), store, settings


def test_the_compare_chart_is_rebuilt_from_the_address(served):
    from flask_login import login_user

    from lagesbild.web.auth import User
    from lagesbild.web.chart_source import figure_for

    app, _, _ = served
    with app.server.test_request_context("/", environ_base=OUTSIDE):
        login_user(User("lasse", "läsare"))
        fig = figure_for("/jamfor", "?plats=bredang&plats=satra&kat=skadegorelse&visa=antal", "cmp-chart")
    assert [t.name for t in fig.data] == ["Skadegörelse"]
    assert list(fig.data[0].x) == ["Bredäng", "Sätra"]
    assert fig.layout.meta["title"] == "Anmälda brott per plats"


def test_the_patterns_export_needs_the_analyst_role(served):
    from flask_login import login_user

    from lagesbild.web.auth import User
    from lagesbild.web.chart_source import ExportRefused, figure_for

    app, store, settings = served
    with app.server.test_request_context("/", environ_base=OUTSIDE):
        login_user(User("lasse", "läsare"))
        with pytest.raises(ExportRefused, match="kräver rollen analytiker"):
            figure_for("/monster", "?plats=varberg", "pat-weekday-hour")
    with app.server.test_request_context("/", environ_base=OUTSIDE):
        login_user(User("ann", "analytiker"))
        fig = figure_for("/monster", "?plats=varberg&per=2022-2023", "pat-weekday-hour")
    res = meeting.incident_patterns(store, settings, place="varberg", period="2022–2023")
    assert sum(map(sum, fig.data[0].z)) == res["n"] > 0
