"""Every file, folder and ``module.function`` that README.md and docs/architecture.md name in code
quotes exists, so a newcomer who follows a reference finds it.

On ad3cb70 README pointed at ``sources/crimes.unfinished_periods`` (defined in
``sources/extraction.py``; crimes.py only imports it) and at ``assets/meeting-fit.js`` (it is
``lagesbild/web/assets/meeting-fit.js``). A ``module.name`` counts only where the module itself
defines the name (a def, class or assignment at its top level, or a method of a class in it), read
with ``ast``, not where it is imported.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "lagesbild"
DOCS = {name: (ROOT / name).read_text(encoding="utf-8") for name in ("README.md", "docs/architecture.md")}
LAYERS = "sources|store|ingest|core|analysis|figures|web|export|cli|demo"
#: names of things made when the program runs (the store's folder, an example --out), not in the checkout
MADE_AT_RUN = ("data/local", "backup/", "mötespaket/", "<", "*", "NN/", "relative_ci_low/")


def _quoted(text: str) -> list[str]:
    return re.findall(r"`([^`\s]+)`", text)


def _references(kind: str) -> list[tuple[str, str]]:
    found = []
    for doc, text in DOCS.items():
        for ref in _quoted(text):
            ref = ref.rstrip(".,;:)")
            # "../shared/…" is beside the checkout, where this machine keeps it: a clone elsewhere has none
            if (not re.fullmatch(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]*)+", ref) or ref.startswith((".venv", "-", "../"))
                    or any(m in ref for m in MADE_AT_RUN)):
                continue
            is_attr = re.fullmatch(rf"(lagesbild/)?({LAYERS})/[\w/]+\.[a-z_]\w*", ref) and not re.search(
                r"\.(py|js|css|yaml|md|json|geojson|csv|txt|toml|lock|sh)$", ref)
            if (kind == "attr") == bool(is_attr):
                found.append((doc, ref))
    return sorted(set(found))


def _defined(module: Path) -> set[str]:
    names = set()
    for node in ast.parse(module.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
            if isinstance(node, ast.ClassDef):
                names |= {n.name for n in node.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def _exists(doc: str, ref: str) -> bool:
    bare = ref.removeprefix("lagesbild/")
    # docs/architecture.md's web row names the page modules under pages/ and views/ (of web/)
    places = [ROOT / ref, PACKAGE / bare] + ([PACKAGE / "web" / bare] if doc == "docs/architecture.md" else [])
    return any(p.exists() for p in places)


def test_references_were_found():
    assert len(_references("path")) > 100 and len(_references("attr")) > 10


@pytest.mark.parametrize(("doc", "ref"), _references("path"))
def test_named_path_exists(doc, ref):
    assert _exists(doc, ref), f"{doc} names {ref!r}, which is not in the checkout"


@pytest.mark.parametrize(("doc", "ref"), _references("attr"))
def test_named_function_is_defined_in_its_module(doc, ref):
    module, _, name = ref.removeprefix("lagesbild/").partition(".")
    path = PACKAGE / f"{module}.py"
    assert path.is_file(), f"{doc}: {ref!r}: no module {module}.py"
    assert name.split(".")[0] in _defined(path), f"{doc}: {ref!r}: {module}.py does not define {name}"


def test_an_imported_name_does_not_count(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from x import imported\n\ndef own():\n    pass\n\nclass C:\n    def meth(self):\n        pass\n")
    assert _defined(module) == {"own", "C", "meth"}


def test_bare_file_names_exist():
    """A file quoted by its bare name (``resolve.py``) is a file somewhere in the checkout. On e767209
    docs/architecture.md said place names are resolved "by `ingest.py`": there is no such file (it is
    the package ``ingest/``, the resolving in ``ingest/resolve.py``)."""
    files = {p.name for p in ROOT.rglob("*") if ".venv" not in p.parts and ".git" not in p.parts}
    missing = sorted({(doc, name) for doc, text in DOCS.items()
                      for name in re.findall(r"`([A-Za-z0-9_]+\.(?:py|js|css|yaml|md))`", text)
                      if name not in files and not name.isupper() and not name.startswith("NAME")})
    assert missing == []
