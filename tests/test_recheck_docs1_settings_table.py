"""README's settings table says what lagesbild/settings.py's table says: the same settings in the same
order, each with its default and the values it allows (range or choices), and a type the range fits.

tests/test_settings.py checks only that each variable's name appears somewhere in README. This test
parses README's table (``| variable | default | allowed | meaning |`` under "## Settings") and compares
every row with :data:`lagesbild.settings.SETTINGS`. The README's "meaning" column is the user's longer
text, in English as the settings' help; both must be non-empty (an exact match of the two texts is not
asked: the README says more, e.g. the population file's layouts).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lagesbild.settings import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _table() -> dict[str, dict[str, str]]:
    section = README.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| `LAGESBILD_")]
    rows = {}
    for line in lines:
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        assert len(cells) == 4, line
        name = cells[0].strip("`")
        rows[name] = {"default": cells[1], "allowed": cells[2], "meaning": cells[3]}
    return rows


TABLE = _table()


def _number(text: str) -> float:
    """A number as README writes it: '1 000 000', '0.05', '200'."""
    return float(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))


def _env(setting) -> str:
    return f"LAGESBILD_{setting.name.upper()}"


def test_same_settings_in_the_same_order():
    assert list(TABLE) == [_env(s) for s in SETTINGS]


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_default(setting):
    shown = TABLE[_env(setting)]["default"]
    if setting.default == "":
        assert shown == "empty"
        return
    value = shown.strip("`")
    assert shown == f"`{value}`", f"default not quoted as code: {shown!r}"
    if setting.kind is bool:
        assert value == ("1" if setting.default else "0")
    elif setting.kind in (int, float):
        assert _number(value) == setting.default
        if setting.kind is int:
            assert re.fullmatch(r"\d[\d ]*", value), f"an integer setting shown as {value!r}"
    elif setting.name == "data_dir":  # the default is made absolute under the checkout (or working folder)
        assert Path(str(setting.default)).as_posix().endswith("/" + value)
    else:
        assert value == setting.default


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_allowed_values(setting):
    allowed = TABLE[_env(setting)]["allowed"]
    if setting.kind in (int, float):
        match = re.fullmatch(r"([\d .,\u00a0]+?)\s*[–-]\s*([\d .,\u00a0]+)", allowed)
        assert match, f"{allowed!r} is not a range 'a–b'"
        assert (_number(match[1]), _number(match[2])) == (setting.minimum, setting.maximum)
    elif setting.choices is not None:
        assert re.findall(r"`([^`]+)`", allowed) == list(setting.choices)
    elif setting.kind is bool:
        assert allowed == "`1`/`0`, `ja`/`nej`"
    else:
        assert allowed, "no allowed values given"


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_meaning_and_help_are_both_given(setting):
    assert TABLE[_env(setting)]["meaning"]
    assert setting.help.strip()


def test_parser_reads_a_range_and_rejects_a_wrong_one():
    # '1 000 000' is one million (a hand reading), and a one-sided text is not a range
    assert _number("1 000 000") == 1_000_000
    assert re.fullmatch(r"([\d .,\u00a0]+?)\s*[–-]\s*([\d .,\u00a0]+)", "a folder") is None
