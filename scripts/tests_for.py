"""Which test files exercise a module: the map from `lagesbild` modules to the tests that import them.

A developer tool (not part of the app): before changing a module, run its tests; before changing a
test, see what else covers the module. Imports are read with `ast`, so nothing is executed.

    .venv/bin/python scripts/tests_for.py lagesbild/core/trend.py      # tests importing core.trend
    .venv/bin/python scripts/tests_for.py core.trend analysis.place    # the same, by dotted name
    .venv/bin/python scripts/tests_for.py --untested                   # modules no test imports

A test that drives a module only through the CLI, the web app or a browser (most `test_recheck_*`
files do) is not found by its imports: grep the tests for the Swedish text or the command as well.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "lagesbild"


def modules() -> list[str]:
    """Every module of the package as a dotted name (``lagesbild.core.trend``)."""
    names = []
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def imported(path: Path, known: set[str]) -> set[str]:
    """The package modules a file imports (``from lagesbild.core import trend`` counts as
    ``lagesbild.core.trend`` when that is a module, else as the package)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == PACKAGE)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] != PACKAGE:
                continue
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in known else node.module)
    return found & known


def files_by_module() -> dict[str, list[str]]:
    known = set(modules())
    found = defaultdict(list)
    for path in sorted((ROOT / "tests").glob("*.py")):
        for module in imported(path, known):
            found[module].append(path.name)
    return found


def dotted(arg: str) -> str:
    """``lagesbild/core/trend.py``, ``core/trend.py``, ``core.trend`` → ``lagesbild.core.trend``."""
    name = arg.removesuffix(".py").replace("/", ".").strip(".")
    return name if name.split(".")[0] == PACKAGE else f"{PACKAGE}.{name}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", help="modules as paths or dotted names")
    parser.add_argument("--untested", action="store_true", help="list modules no test file imports")
    args = parser.parse_args(argv)
    found = files_by_module()
    if args.untested:
        for module in modules():
            if module not in found:
                print(module)
        return 0
    wanted = [dotted(m) for m in args.modules] or sorted(found)
    unknown = [m for m in wanted if m not in set(modules())]
    if unknown:
        print(f"no such module: {', '.join(unknown)}", file=sys.stderr)
        return 2
    for module in wanted:
        tests = found.get(module, [])
        print(f"{module} ({len(tests)}): {' '.join(tests) if tests else '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
