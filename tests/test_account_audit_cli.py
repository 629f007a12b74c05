"""Account changes from the command line are in the audit log, and Konton names every action in
Swedish (sec7: `users add`, `role`, `remove` and `passwd` wrote nothing, so two password changes left
no trace; Konton showed 'note_add', 'mapping_saved' … as the code names them)."""

from __future__ import annotations

import io

from lagesbild.analysis.admin import audit_entries
from lagesbild.cli import main
from lagesbild.settings import load_settings
from lagesbild.store import Store


def test_every_account_change_from_the_command_line_is_logged(tmp_path, monkeypatch):
    db = str(tmp_path / "s.sqlite")
    password = "ett långt lösenord 42"
    for argv in (["users", "add", "kim", "--roll", "analytiker", "--stdin"],
                 ["users", "role", "kim", "läsare"],
                 ["users", "passwd", "kim", "--stdin"],
                 ["users", "remove", "kim"]):
        monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
        assert main(["--db", db, *argv]) == 0, argv
    store = Store(load_settings({}, data_dir=str(tmp_path), db=db).db_url)
    entries = [e for e in audit_entries(store) if e["action"] == "account"]
    details = sorted(e["detail"] for e in entries)
    assert details == sorted(["Kontot kim (analytiker) är skapat.", "Kontot kim har nu rollen läsare.",
                              "Lösenordet för kim är bytt.", "Kontot kim är borttaget."])
    assert all(e["username"].startswith("kommandoraden") for e in entries)


def test_konton_names_every_logged_action_in_swedish():
    import ast
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "lagesbild"
    # the page's ACTIONS as written (importing a page module needs a running Dash app)
    tree = ast.parse((root / "web" / "pages" / "accounts.py").read_text(encoding="utf-8"))
    ACTIONS = next(ast.literal_eval(node.value) for node in tree.body if isinstance(node, ast.Assign)
                   and any(getattr(t, "id", None) == "ACTIONS" for t in node.targets))
    logged = set()
    for path in root.rglob("*.py"):  # every action the code records
        logged |= set(re.findall(r"audit_event\(\s*[\"']([a-z_]+)[\"']", path.read_text(encoding="utf-8")))
    assert {"upload", "note_add"} <= logged, logged  # the search finds the web's actions
    assert sorted(logged - set(ACTIONS)) == []
