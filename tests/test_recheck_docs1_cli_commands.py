"""README's "Command line" block shows every command `lagesbild --help` lists, and every action of the
commands with actions (users, notes), and README names no command the program does not have.

On 801a76b the block left out `backup` and `restore` (shown only further down, under backup), `notes
remove`, and said of `users` "add | list | remove | passwd" although `users --help` lists `role` too.
The commands are read from the Swedish help text the user sees (`build_parser().format_help()`), not from
argparse's internals.
"""

from __future__ import annotations

import re
from pathlib import Path

from lagesbild.cli import build_parser

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
BLOCK = README.split("\n## Command line\n", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]


def _listed(help_text: str, metavar: str) -> list[str]:
    """The names listed under ``metavar`` in an argparse help text (four spaces, the name, its help)."""
    part = help_text.split(f"\n  {metavar}\n", 1)[1].split("\n\n", 1)[0]
    return re.findall(r"^    (\S+)", part, flags=re.MULTILINE)


def _subparser(name: str):
    action = next(a for a in build_parser()._actions if getattr(a, "choices", None) and name in a.choices)
    return action.choices[name]


def _shown(text: str) -> list[tuple[str, str]]:
    """(command, next word) of every ``python -m lagesbild COMMAND …`` in a text."""
    return re.findall(r"python -m lagesbild(?: --db \S+)? ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?", text)


COMMANDS = _listed(build_parser().format_help(), "KOMMANDO")


def test_help_parsing_found_the_commands():
    assert {"ingest", "status", "compare", "users"} <= set(COMMANDS)
    assert _listed("x\n  KOMMANDO\n    a     en\n    b-c   två\n\nflaggor:\n", "KOMMANDO") == ["a", "b-c"]


def test_the_block_shows_every_command():
    assert sorted({cmd for cmd, _ in _shown(BLOCK)}) == sorted(COMMANDS)


def test_readme_names_no_command_the_program_lacks():
    unknown = sorted({cmd for cmd, _ in _shown(README)} - set(COMMANDS))
    assert unknown == []


def test_the_block_shows_every_action_of_users_and_notes():
    for command in ("users", "notes"):
        actions = _listed(_subparser(command).format_help(), "ÅTGÄRD")
        assert len(actions) >= 3
        shown = {word for cmd, word in _shown(BLOCK) if cmd == command}
        comment = re.search(rf"lagesbild {command} .*#.*?((?:\w+ \| )+\w+)", BLOCK)
        if comment:  # a comment listing the actions ("add | list | …") names them all, in the help's order
            assert comment[1].split(" | ") == actions
            shown |= set(actions)
        assert set(actions) <= shown, f"{command}: {sorted(set(actions) - shown)} not shown"


def test_the_block_shows_every_kind_ingest_reads():
    kinds = re.search(r"\n  TYP\s+(.+?)\n  FIL", _subparser("ingest").format_help(), flags=re.DOTALL)[1]
    names = [part.split()[0] for part in " ".join(kinds.split()).split("|")]
    assert "crimes" in names and len(names) == 6
    assert sorted(names) == sorted(word for cmd, word in _shown(BLOCK) if cmd == "ingest" and word)
