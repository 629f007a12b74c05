"""README's Lint section names exactly the rules pyproject.toml selects and the ones it leaves out.

A guard: both held on 2e5bbe1 (select E W F I B UP SIM C4 PIE RUF100; ignore E501 SIM108 B008 C408).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
LINT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]["lint"]
SECTION = README.split("\n### Lint\n", 1)[1].split("\n### ", 1)[0]


def test_the_table_names_the_selected_rules():
    rows = [line for line in SECTION.splitlines() if line.startswith("| `")]
    codes = [code for row in rows for code in re.findall(r"`([A-Z]+\d*)`", row.split("|")[1])]
    assert sorted(codes) == sorted(LINT["select"])


def test_left_out_names_the_ignored_rules():
    left_out = SECTION.split("Left out on purpose:", 1)[1]
    codes = re.findall(r"`([A-Z]+\d+)`", left_out)
    assert sorted(codes) == sorted(LINT["ignore"])
