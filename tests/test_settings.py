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


NUMERIC = [s for s in SETTINGS if s.kind in (int, float)]


@pytest.mark.parametrize("setting", NUMERIC, ids=lambda s: s.name)
def test_environment_overrides_typed_setting(setting):
    value = setting.kind((setting.minimum + setting.maximum) / 2)
    s = load_settings({f"LAGESBILD_{setting.name.upper()}": str(value)})
    assert getattr(s, setting.name) == value


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_has_a_type_and_a_range_its_default_meets(setting):
    assert setting.kind in (str, int, float, bool)
    if setting.kind in (int, float):
        assert setting.minimum is not None and setting.maximum is not None
    else:
        assert setting.choices is not None or setting.check is not None or setting.kind is bool
    assert setting.validate(setting.default) == setting.default
    assert setting.describe_allowed()


@pytest.mark.parametrize("setting", NUMERIC, ids=lambda s: s.name)
@pytest.mark.parametrize("where", ["below", "above", "nan"])
def test_numbers_outside_their_range_stop_the_start(setting, where):
    raw = {"below": setting.minimum - 1, "above": setting.maximum * 10 + 1, "nan": "nan"}[where]
    with pytest.raises(SettingsError) as err:
        load_settings({f"LAGESBILD_{setting.name.upper()}": str(raw)})
    text = str(err.value)
    assert f"LAGESBILD_{setting.name.upper()}=" in text and str(raw) in text and "tillåtet är" in text


@pytest.mark.parametrize(("name", "raw", "allowed"), [
    ("ALPHA", "5", "ett tal från 0,001 till 0,2"),
    ("PORT", "99999", "ett heltal från 1 till 65535"),
    ("PORT", "åtta", "ett heltal från 1 till 65535"),
    ("HOST", "http://x y", "en IP-adress eller ett värdnamn"),
    ("BASEMAP_URL", "file:///etc/passwd", "tomt eller en http(s)-adress"),
    ("DB", "mysql://u@h/db", "postgresql+psycopg://"),
    ("LOG_LEVEL", "mycket", "ett av 'DEBUG'"),
])
def test_bad_values_name_variable_value_and_what_is_allowed(name, raw, allowed):
    with pytest.raises(SettingsError) as err:
        load_settings({f"LAGESBILD_{name}": raw})
    assert f"LAGESBILD_{name}={raw!r}" in str(err.value)
    assert allowed in str(err.value)


def test_decimal_comma_is_accepted():
    assert load_settings({"LAGESBILD_ALPHA": "0,01"}).alpha == 0.01


def test_bad_setting_stops_the_cli_with_exit_code_2(monkeypatch, capsys):
    from lagesbild.cli import main

    monkeypatch.setenv("LAGESBILD_ALPHA", "5")
    assert main(["status"]) == 2
    err = capsys.readouterr().err
    assert "LAGESBILD_ALPHA='5'" in err and "Traceback" not in err


def test_bad_setting_stops_the_server_start(tmp_path):
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "LAGESBILD_PORT": "99999", "LAGESBILD_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, str(Path(__file__).resolve().parent.parent / "app.py")],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "LAGESBILD_PORT='99999'" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("setting", [s for s in SETTINGS if s.kind is bool], ids=lambda s: s.name)
def test_boolean_settings_read_swedish_and_english_words(setting):
    for raw, value in (("nej", False), ("0", False), ("ja", True), ("1", True), ("falskt", False)):
        assert getattr(load_settings({f"LAGESBILD_{setting.name.upper()}": raw}), setting.name) is value
    with pytest.raises(SettingsError, match=setting.name.upper()):
        load_settings({f"LAGESBILD_{setting.name.upper()}": "kanske"})


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
