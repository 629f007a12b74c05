"""Shared fixtures: stores built by code (empty, with places, with the full demo)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from lagesbild.ingest import ingest_file, open_store
from lagesbild.settings import ROOT, load_settings

PLACES = ROOT / "geodata" / "places.geojson"

# CI (CI=true) runs the same property-based examples every time, so a red run is reproducible and never
# a roll of the dice; on a developer's machine hypothesis explores new examples each run. Every profile has
# no per-example deadline: a busy shared machine makes timing noise, and speed is measured in benchmarks/.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True, deadline=None)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("dev")
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture
def settings(tmp_path):
    """Settings pointing at an empty folder."""
    return load_settings({}, data_dir=str(tmp_path), db=str(tmp_path / "store.sqlite"))


@pytest.fixture
def store(settings):
    """An empty store (categories synced)."""
    return open_store(settings)


@pytest.fixture
def places_store(store):
    """A store with the demo places and districts."""
    ingest_file(store, "places", PLACES)
    return store


@pytest.fixture(scope="session")
def demo_store_path(tmp_path_factory) -> Path:
    """A store with the whole demo loaded once per session (copy it before writing)."""
    from lagesbild.demo.load import load_demo

    folder = tmp_path_factory.mktemp("demo")
    s = load_settings({}, data_dir=str(folder), db=str(folder / "demo.sqlite"))
    load_demo(open_store(s), s)
    return folder / "demo.sqlite"


@pytest.fixture(scope="session")
def demo_settings(demo_store_path):
    """Settings of the session's demo store."""
    return load_settings({}, data_dir=str(demo_store_path.parent), db=str(demo_store_path))


@pytest.fixture(scope="session")
def demo_store(demo_settings):
    """The session's demo store, read-only by convention."""
    return open_store(demo_settings)


# Markers ----------------------------------------------------------------------------------------------
# What a test needs beyond Python, so the fast loop can leave it out:
#   bash scripts/test.sh -m "not browser and not postgres and not slow"
# CI runs everything. A test is marked by its module (below), by the fixtures it uses, or by hand.
MODULE_MARKERS = {
    "test_e2e_pages": ("browser",),
    "test_e2e_place": ("browser",),
    "test_e2e_upload": ("browser",),
    "test_e2e_auth": ("browser",),
    "test_e2e_compare": ("browser",),
    "test_e2e_overview_links": ("browser",),
    "test_export_render": ("browser", "slow"),
    "test_export_pack": ("browser", "slow"),
    "test_export_web": ("browser", "slow"),
    "test_export_notes": ("browser", "slow"),  # renders a pack
    "test_pack_roles": ("browser", "slow"),  # renders a pack through the web app
    "test_postgres": ("postgres",),
    "test_notebook": ("slow",),
    "test_cli": ("slow",),  # each test runs the CLI in a new Python process
    "test_cli_formulas": ("slow",),  # the CLI in new processes
    "test_cli_paths": ("slow",),  # the CLI in new processes
    "test_backup": ("slow",),
    "test_same_numbers": ("slow",),  # the CLI in new processes on the demo store
    "test_recheck_cli_sigterm": ("slow",),  # the CLI in new processes, signalled
}
#: single tests, by module and test function name (parameters left out)
TEST_MARKERS = {
    "test_figures::test_charts_at_word_width_keep_labels_legend_and_source_apart": ("browser", "slow"),
    "test_figures::test_a_narrow_map_export_keeps_its_legend_source_line_and_notes_apart": ("browser", "slow"),
    "test_figures::test_why_nothing_is_shown_stays_inside_a_chart_at_word_width": ("browser", "slow"),
    "test_figures::test_a_narrow_activity_chart_keeps_its_turned_dates_clear_of_the_source_line": ("browser", "slow"),
    "test_web_callbacks::test_a_chart_export_click_sends_a_word_sized_png": ("browser", "slow"),
    "test_incident_store::test_blocks_give_back_what_was_stored_and_filter_like_pandas": ("slow",),
    "test_assign::test_assignment_equals_contains_xy": ("slow",),
    "test_backup::test_postgres_backup_restored_into_an_empty_database_gives_the_same_numbers": ("postgres",),
    "test_web_security::test_accounts_audit_and_login_work_the_same_on_postgresql": ("postgres",),
    "test_web_security::test_gunicorn_stops_instead_of_serving_beyond_loopback_without_accounts": ("slow",),
    "test_web_security::test_refuses_to_start_beyond_loopback_without_accounts": ("slow",),
    "test_web_security::test_wsgi_starts_beyond_loopback_once_an_account_exists": ("slow",),
    "test_web_security::test_the_export_browser_cannot_fetch_a_url_named_in_a_figure": ("browser", "slow"),
    "test_settings::test_bad_setting_stops_the_server_start": ("slow",),
    "test_effects::test_before_after_p_values_in_unit_interval": ("slow",),
    "test_effects_fdr::test_no_change_anywhere_holds_the_false_discovery_rate": ("slow",),  # 40 tables
    "test_fuzz_inputs::test_cli_exits_0_or_2_without_traceback": ("slow",),
    "test_nasty_inputs::test_cli_refuses_with_exit_2_and_the_message_first": ("slow",),
    "test_nasty_inputs::test_cli_source_name_longer_than_the_store_takes_is_refused": ("slow",),
    "test_nasty_inputs::test_a_long_flat_yaml_file_is_refused_while_it_is_read": ("slow",),
    "test_geofile::test_web_upload_and_cli_ingest_of_a_vrt_fetch_nothing": ("slow",),  # the CLI too
    "test_crafted_inputs::test_a_place_name_cannot_put_a_link_into_an_exported_chart": ("browser", "slow"),
    "test_crafted_inputs::test_the_cli_refuses_a_nan_geojson_with_exit_code_2": ("slow",),
    "test_crafted_inputs::test_users_refuses_a_password_that_is_not_utf8_and_reserved_names": ("slow",),
}
FIXTURE_MARKERS = {
    "browser": "browser",
    "live_server": "browser",
    "e2e_store": "browser",
    "pg_url": "postgres",
    "postgres_url": "postgres",
    "demo_store": "slow",       # the whole demo is built once per session (about 15 s)
    "demo_store_path": "slow",
}


def pytest_collection_modifyitems(config, items):
    """Add the ``browser``, ``postgres`` and ``slow`` markers from the tables above."""
    for item in items:
        module_obj = getattr(item, "module", None)
        module = module_obj.__name__.rsplit(".", 1)[-1] if module_obj else ""
        wanted = set(MODULE_MARKERS.get(module, ()))
        wanted |= set(TEST_MARKERS.get(f"{module}::{getattr(item, 'originalname', item.name)}", ()))
        wanted |= {marker for fixture, marker in FIXTURE_MARKERS.items()
                   if fixture in getattr(item, "fixturenames", ())}
        for marker in sorted(wanted):
            item.add_marker(getattr(pytest.mark, marker))


@pytest.fixture(autouse=True)
def _lagesbild_logs_reach_caplog():
    """``configure_logging`` (run in-process by the CLI's ``main``, at CRITICAL unless asked) stops the
    ``lagesbild`` logger from propagating and raises its level; caplog listens at the root, so a test
    asserting "no error was logged" after such a call could not fail. Every test starts with the
    logger propagating at no level of its own again."""
    import logging

    logger = logging.getLogger("lagesbild")
    logger.propagate, logger.level = True, logging.NOTSET
    yield


@pytest.fixture
def log_text():
    """The ``lagesbild`` log at INFO as text (a StringIO), back to WARNING afterwards."""
    import io

    from lagesbild.logconfig import configure_logging

    stream = io.StringIO()
    configure_logging("INFO", stream=stream)
    yield stream
    configure_logging("WARNING")
