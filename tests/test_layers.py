"""The layers import one way: web/, export/ and cli/ reach the core and the store only through the
analysis layer (read with ast, so a lazy import inside a function counts too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lagesbild.settings import ROOT

PACKAGE = ROOT / "lagesbild"
SURFACES = ("web", "export", "cli")
FORBIDDEN = ("lagesbild.core", "lagesbild.store")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in a file, lazy ones included."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
            out += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return out


def surface_files() -> list[Path]:
    return sorted(p for s in SURFACES for p in (PACKAGE / s).rglob("*.py"))


def test_the_checker_sees_lazy_and_aliased_imports(tmp_path):
    f = tmp_path / "m.py"
    f.write_text("def f():\n    from lagesbild import core\n    import lagesbild.store.store as s\n")
    assert {m for _, m in imported_modules(f)} >= {"lagesbild.core", "lagesbild.store.store"}


@pytest.mark.parametrize("path", surface_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_surfaces_import_nothing_from_core_or_store(path):
    bad = [(line, m) for line, m in imported_modules(path)
           if any(m == f or m.startswith(f + ".") for f in FORBIDDEN)]
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}; ask lagesbild.analysis instead"


def test_there_is_one_analysis_package_and_no_analysis_module():
    assert (PACKAGE / "analysis" / "__init__.py").is_file()
    assert not (PACKAGE / "analysis.py").exists()
