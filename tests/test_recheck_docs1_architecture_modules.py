"""Every module under lagesbild/ is named in docs/architecture.md, and every module path it names exists.

A newcomer looks a module up in docs/architecture.md to find its room. On 801a76b, 29 modules were named
nowhere in it (``analysis/plan.py``, ``export/headers.py``, ``web/pages/map.py``, ``core/trend_stats.py``,
``web/store_busy.py``, …). A module counts as named when the page holds its path under ``lagesbild/``
or any tail of that path down to the file name (a table row names ``sources/`` files by their bare names),
or its dotted name with at least its package (``analysis.maps``).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lagesbild"
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def _named(rel: str) -> bool:
    parts = rel.split("/")
    tails = ["/".join(parts[i:]) for i in range(len(parts))]
    if any(re.search(r"(?<![\w/.])(lagesbild/)?" + re.escape(tail) + r"(?!\w)", DOC) for tail in tails):
        return True
    dotted = rel[:-3].split("/")
    return any(re.search(r"(?<![\w.])" + re.escape(".".join(dotted[i:])) + r"\b", DOC)
               for i in range(len(dotted) - 1))


def test_every_module_is_named_in_the_architecture_page():
    modules = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
                     if p.name != "__init__.py" and "__pycache__" not in p.parts)
    assert len(modules) > 100  # the walk found the package
    missing = [m for m in modules if not _named(m)]
    assert missing == [], f"not named in docs/architecture.md: {missing}"


def test_the_named_check_is_not_fooled_by_a_longer_name():
    # ``incidents.py`` must not count as naming ``cidents.py``; ``maps.py`` not ``s.py``
    assert re.search(r"(?<![\w/.])" + re.escape("cidents.py") + r"(?!\w)", "`incidents.py`") is None


def test_every_module_path_the_page_names_exists():
    named = set(re.findall(r"(?<![\w/.])((?:lagesbild/)?(?:sources|store|ingest|core|analysis|figures|web|export|cli|demo)"
                           r"/[\w/]+\.py)", DOC))
    assert len(named) > 50
    gone = sorted(n for n in named if not (PACKAGE / n.removeprefix("lagesbild/")).is_file())
    assert gone == [], f"docs/architecture.md names modules that do not exist: {gone}"
