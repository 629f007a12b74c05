"""Every ``tests/<file>.py -k <word>`` that README or docs/architecture.md quote as evidence selects a test:
the file exists and defines a test function whose name holds the word (read with ``ast``; pytest's ``-k``
matches such a name). A guard: every one of the nine held on d377efb (checked by hand with
``pytest --collect-only -k``: 1–2 tests each).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEXT = "\n".join((ROOT / doc).read_text(encoding="utf-8") for doc in ("README.md", "docs/architecture.md"))
QUOTED = sorted(set(re.findall(r"`(?:pytest )?tests/(\w+\.py)\s+-k\s+(\w+)`", TEXT)))


def _test_names(path: Path) -> set[str]:
    return {node.name for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")}


def test_the_quotes_were_found():
    assert len(QUOTED) >= 9  # a quote broken over two lines ("-k\n  burst") is read too


@pytest.mark.parametrize(("file", "word"), QUOTED)
def test_filter_selects_a_test(file, word):
    path = ROOT / "tests" / file
    assert path.is_file(), f"tests/{file} does not exist"
    assert [name for name in _test_names(path) if word in name], f"tests/{file} -k {word} selects no test"
