"""The analyst's notebook runs top to bottom on the demo data, so it never rots."""

import nbformat
from nbclient import NotebookClient

from lagesbild.settings import ROOT


def test_notebook_runs_on_demo_data(demo_store_path, monkeypatch):
    monkeypatch.setenv("LAGESBILD_DB", str(demo_store_path))
    nb = nbformat.read(ROOT / "notebooks" / "utforska_trender.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "Demodata: True" in text and "274" in text
