"""The settings table: every setting documented, environment overrides, --db."""

from pathlib import Path

import pytest

from lagesbild.errors import SettingsError
from lagesbild.settings import SETTINGS, db_url, load_settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented_in_readme(setting):
    assert f"LAGESBILD_{setting.name.upper()}" in README
    assert setting.help.strip()


@pytest.mark.parametrize("setting", [s for s in SETTINGS if s.kind is not str], ids=lambda s: s.name)
def test_environment_overrides_typed_setting(setting):
    if setting.kind is bool:
        for raw, value in (("nej", False), ("0", False), ("ja", True), ("1", True)):
            assert getattr(load_settings({f"LAGESBILD_{setting.name.upper()}": raw}), setting.name) is value
        with pytest.raises(SettingsError, match=setting.name.upper()):
            load_settings({f"LAGESBILD_{setting.name.upper()}": "kanske"})
        return
    raw = "7" if setting.kind is int else "0.25"
    s = load_settings({f"LAGESBILD_{setting.name.upper()}": raw})
    assert getattr(s, setting.name) == setting.kind(raw)


def test_bad_value_gives_swedish_message():
    with pytest.raises(SettingsError, match="LAGESBILD_ALPHA"):
        load_settings({"LAGESBILD_ALPHA": "fem procent"})


def test_db_override_beats_environment(tmp_path):
    s = load_settings({"LAGESBILD_DB": str(tmp_path / "env.sqlite")}, db=str(tmp_path / "cli.sqlite"))
    assert s.db_url == f"sqlite:///{tmp_path / 'cli.sqlite'}"


def test_default_store_lives_in_data_dir(tmp_path):
    s = load_settings({"LAGESBILD_DATA_DIR": str(tmp_path)})
    assert s.db_url == f"sqlite:///{tmp_path / 'lagesbild.sqlite'}"


def test_postgres_url_kept_verbatim():
    assert db_url("postgresql+psycopg://u:p@localhost/x", "/d") == "postgresql+psycopg://u:p@localhost/x"
