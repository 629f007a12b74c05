"""The page while the PostgreSQL server does not answer (ops2's finding, fixed in ``session-end.js``).

The server answers a callback with 503 and "Databasen svarar inte just nu, försök igen om en stund."
while its database server is stopped; Dash then did nothing, leaving the last page on screen without a
word. Now the sentence stands in a banner (``role="alert"``) until a callback is answered again. Real
Chromium, a real app process and a real PostgreSQL server that is stopped and started again.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.e2e_support import own_app
from tests.test_cli_store_errors import PLACES
from tests.test_recheck_ops2_db_down import MESSAGE, Server

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.slow]

JS_BANNER = "const b = document.getElementById('lagesbild-db-unreachable');" \
            "return b ? [b.getAttribute('role'), b.innerText, b.getBoundingClientRect().height] : null;"

#: whether the element arguments[0] is the topmost at its own centre (nothing covers it)
JS_ON_TOP = "const r = arguments[0].getBoundingClientRect();" \
            "const e = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);" \
            "return e === arguments[0] || arguments[0].contains(e);"


def test_a_stopped_database_server_is_said_in_a_banner_until_it_answers_again(browser, tmp_path, monkeypatch):
    from lagesbild.cli import main

    server = Server()
    try:
        monkeypatch.setenv("LAGESBILD_DATA_DIR", str(tmp_path))
        assert main(["--db", server.url, "ingest", "--no-progress", "places", str(PLACES)]) == 0
        with own_app(browser, tmp_path, server.url) as b:
            b.open("/metod", "#app-root nav")
            assert b.driver.execute_script(JS_BANNER) is None
            server.stop()
            b.driver.find_element(By.CSS_SELECTOR, "a.nav-link[href='/karta']").click()
            role, text, height = b.wait(lambda d: d.execute_script(JS_BANNER), "ingen rad om databasen visas")
            assert role == "alert" and text.strip() == MESSAGE and height > 10
            nav = b.driver.find_element(By.CSS_SELECTOR, "a.nav-link[href='/data']")
            assert b.driver.execute_script(JS_ON_TOP, nav), "the banner covers the menu"
            server.start()
            b.driver.find_element(By.CSS_SELECTOR, "a.nav-link[href='/data']").click()
            b.wait(lambda d: d.execute_script(JS_BANNER) is None, "raden om databasen står kvar")
            b.wait_location("/data")
    finally:
        server.remove()
