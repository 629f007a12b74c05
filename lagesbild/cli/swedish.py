"""An :class:`argparse.ArgumentParser` that speaks Swedish: ``--help``'s headings and argparse's errors.

argparse writes its own words in English ("usage:", "positional arguments", "options", "show this help
message and exit", "the following arguments are required"); :class:`SwedishParser` replaces them, also
in every subcommand's parser (subparsers are made with the parent's class).

Examples
--------
>>> p = SwedishParser(prog="lagesbild", description="Test.")
>>> _ = p.add_argument("fil", help="en fil")
>>> text = p.format_help()
>>> "användning: lagesbild" in text and "positionella argument:" in text and "flaggor:" in text
True
>>> "visa den här hjälpen och avsluta" in text, "usage" in text, "options" in text
(True, False, False)
>>> swedish_error("the following arguments are required: fil")
'följande argument krävs: fil'
"""

from __future__ import annotations

import argparse
import re
import sys

#: Swedish metavars of arguments registered without one (argparse would show the English dest in capitals:
#: ``--place PLACE``); :func:`swedish_metavars` sets them on every parser
METAVARS = {
    "db": "DATABAS", "crs": "KOORDINATSYSTEM", "report": "RAPPORTFIL", "source": "KÄLLA",
    "mapping": "MAPPNINGSFIL", "place": "PLATS", "category": "KATEGORI", "periods": "PERIOD",
    "period": "PERIOD", "date_from": "ÅÅÅÅ-MM-DD", "date_to": "ÅÅÅÅ-MM-DD", "vs_from": "ÅÅÅÅ-MM-DD",
    "vs_to": "ÅÅÅÅ-MM-DD", "alpha": "NIVÅ", "area": "OMRÅDE", "cell_size": "METER", "activity": "AKTIVITET",
    "months": "MÅNADER", "width_cm": "CM", "dpi": "DPI", "date": "ÅÅÅÅ-MM-DD", "author": "FÖRFATTARE",
    "text": "TEXT", "since": "ÅÅÅÅ-MM-DD", "note_id": "NR", "until": "ÅÅÅÅ-MM-DD",
}


def swedish_metavars(parser: argparse.ArgumentParser) -> list[str]:
    """Give every value-taking argument of ``parser`` and its subcommands a Swedish metavar from
    :data:`METAVARS` where it has none; return the ``dest`` names that have neither (a test keeps this
    list empty).

    >>> p = SwedishParser(prog="x")
    >>> _ = p.add_argument("--place")
    >>> swedish_metavars(p), "--place PLATS" in p.format_help()
    ([], True)
    """
    missing = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                missing += swedish_metavars(sub)
        elif action.metavar is None and action.choices is None and action.nargs != 0:
            if action.dest in METAVARS:
                action.metavar = METAVARS[action.dest]
            else:
                missing.append(action.dest)
    return missing


#: argparse's English error messages (Python 3.11–3.13) and their Swedish wording
ERRORS = (
    (r"the following arguments are required: (.*)", r"följande argument krävs: \1"),
    (r"unrecognized arguments: (.*)", r"okända argument: \1"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)",
     r"argument \1: ogiltigt val: \2 (välj bland \3)"),
    (r"argument (.*?): invalid (\w+) value: (.*)", r"argument \1: ogiltigt värde (\2): \3"),
    (r"argument (.*?): expected one argument", r"argument \1: ett värde behövs"),
    (r"argument (.*?): expected at least one argument", r"argument \1: minst ett värde behövs"),
    (r"argument (.*?): expected (.*) arguments?", r"argument \1: \2 värden behövs"),
    (r"argument (.*?): not allowed with argument (.*)", r"argument \1: går inte ihop med \2"),
    (r"argument (.*?): ignored explicit argument (.*)", r"argument \1: värdet \2 hör inte hit"),
    (r"one of the arguments (.*) is required", r"ett av argumenten \1 krävs"),
    (r"ambiguous option: (.*?) could match (.*)", r"tvetydig flagga: \1 kan vara \2"),
)


#: Python's type names in "invalid <type> value" and their Swedish words
TYPE_NAMES = {"float": "decimaltal", "int": "heltal"}


def swedish_error(message: str) -> str:
    """argparse's English error ``message`` in Swedish (unchanged when it is not one of argparse's).

    >>> swedish_error("argument --alpha: invalid float value: 'fem'")
    "argument --alpha: ogiltigt värde (decimaltal): 'fem'"
    """
    for pattern, replacement in ERRORS:
        if re.fullmatch(pattern, message):
            out = re.sub(pattern, replacement, message)
            return re.sub(r"ogiltigt värde \((\w+)\)", lambda m: f"ogiltigt värde ({TYPE_NAMES.get(m[1], m[1])})",
                          out, count=1)
    return message


class SwedishHelpFormatter(argparse.HelpFormatter):
    """``användning:`` instead of ``usage:``."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "användning: " if prefix is None else prefix)


class SwedishParser(argparse.ArgumentParser):
    """An argument parser with Swedish headings, ``-h/--help`` text and error messages."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", SwedishHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "positionella argument"
        self._optionals.title = "flaggor"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="visa den här hjälpen och avsluta")

    def error(self, message: str):
        """Print the usage and the Swedish message to stderr; exit with code 2."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fel: {swedish_error(message)}\n")
