"""benchmarks/README.md's table of files is one Markdown table naming every script in benchmarks/, and
every usage line it shows runs a script that exists.

On 37f47c4 the row of ``common.py`` stood after the paragraph below the table, where Markdown draws it as
a line of text with pipes, not as a row of the table.
"""

from __future__ import annotations

import re
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
TEXT = (BENCH / "README.md").read_text(encoding="utf-8")


def _tables(text: str) -> list[list[str]]:
    """Runs of consecutive lines that start with '|'."""
    tables, run = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            run.append(line)
        elif run:
            tables.append(run)
            run = []
    return tables


def test_every_table_has_a_header_and_separator():
    for table in _tables(TEXT):
        assert len(table) >= 2 and re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", table[1]), f"no table header: {table[0]}"


def test_the_file_table_names_every_script():
    table = next(t for t in _tables(TEXT) if t[0].startswith("| file |"))
    named = {m for row in table[2:] for m in re.findall(r"^\| `([\w.]+\.py)`", row)}
    assert named == {p.name for p in BENCH.glob("*.py")}


def test_usage_lines_run_existing_scripts():
    lines = re.findall(r"^\.venv/bin/python (benchmarks/\S+\.py)", TEXT, flags=re.MULTILINE)
    assert len(lines) >= 10
    assert [line for line in lines if not (BENCH.parent / line).is_file()] == []


def test_a_row_after_a_paragraph_is_a_table_of_its_own():
    assert len(_tables("| a |\n|---|\n| 1 |\n\ntext\n| 2 |\n")) == 2
