"""Argument values checked when the command line is read: numbers against their allowed range, days
as calendar dates.

A value outside the range stops the command with argparse's usage line, the flag's name and what is
allowed, and exit code 2, before anything is read or computed (an ``--alpha 5`` reached the tests and
ended in a traceback; ``--cell-size 0`` was taken as "not given"). The ranges are the settings table's
(:data:`lagesbild.settings.SETTINGS`) for the flags that override a setting, and the chart export's
(:data:`lagesbild.export.sizes.WIDTH_CM`, :data:`~lagesbild.export.sizes.DPI`) for its size.

Examples
--------
>>> cell = setting_range("cell_size")
>>> cell("150"), cell("12,5e1")
(150.0, 125.0)
>>> cell("0")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: '0' är utanför det tillåtna: ett tal från 25 till 5000
>>> number_range(int, 72, 600, "ett heltal från 72 till 600")("3e2")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: '3e2' är inte ett heltal från 72 till 600
>>> day(" 2024-02-29 ")
'2024-02-29'
>>> day("2023-02-30")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: '2023-02-30' är inte ett datum (ÅÅÅÅ-MM-DD, t.ex. 2023-10-05)
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
from collections.abc import Callable

from lagesbild.figures.format import fmt_period
from lagesbild.settings import SETTINGS


def number_range(kind: type, low: float, high: float, allowed: str) -> Callable[[str], float]:
    """An argparse ``type=``: the text as ``kind`` (decimal comma accepted for floats), refused with
    ``allowed`` (Swedish, e.g. "ett tal från 6 till 60") outside ``[low, high]``, NaN and infinity."""
    def parse(text: str):
        try:
            value = kind(text.strip().replace(",", ".")) if kind is float else kind(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} är inte {allowed}") from None
        if not (math.isfinite(value) and low <= value <= high):
            raise argparse.ArgumentTypeError(f"{text!r} är utanför det tillåtna: {allowed}")
        return value

    return parse


def _setting(name: str):
    return next(s for s in SETTINGS if s.name == name)


def setting_range(name: str) -> Callable[[str], float]:
    """:func:`number_range` for a flag that overrides the setting ``name`` (its type and bounds)."""
    setting = _setting(name)
    return number_range(setting.kind, setting.minimum, setting.maximum, setting.describe_allowed())


def setting_help(name: str, what: str) -> str:
    """A flag's help text: ``what`` it sets, what is allowed and its setting (from the settings table).

    >>> setting_help("cell_size", "rutstorlek i meter")
    'rutstorlek i meter: ett tal från 25 till 5000 (standard: LAGESBILD_CELL_SIZE)'
    """
    return f"{what}: {_setting(name).describe_allowed()} (standard: LAGESBILD_{name.upper()})"


def day(text: str) -> str:
    """An argparse ``type=`` for a day written ``ÅÅÅÅ-MM-DD`` that exists in the calendar; returns
    the text as written (without surrounding spaces)."""
    text = text.strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} är inte ett datum (ÅÅÅÅ-MM-DD, t.ex. 2023-10-05)") from None
    return text



def swedish_choice(names: dict[str, str]) -> Callable[[str], str]:
    """An argparse ``type=`` for a choice written in Swedish (the keys of ``names``, as the help shows
    them; the internal values ``names`` maps them to are accepted too, as scripts wrote them before):
    the internal value, or the choices in Swedish.

    Examples
    --------
    >>> shape = swedish_choice({"kvadrat": "square", "hexagon": "hex"})
    >>> shape("Hexagon"), shape("square")
    ('hex', 'square')
    >>> shape("cirkel")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: 'cirkel' finns inte; välj kvadrat eller hexagon
    """
    known = {k.lower(): v for k, v in names.items()} | {v.lower(): v for v in names.values()}
    listed = list(names)
    said = ", ".join(listed[:-1]) + " eller " + listed[-1] if len(listed) > 1 else listed[0]

    def parse(text: str) -> str:
        try:
            return known[text.strip().lower()]
        except KeyError:
            raise argparse.ArgumentTypeError(f"{text!r} finns inte; välj {said}") from None

    return parse


#: the most words a period typed without quotes may have ("12 mån t.o.m. mar 2022", "sep 2022 – aug 2023")
PERIOD_WORDS = 6


def period_words(texts) -> list[str]:
    """Periods typed without quotes joined back into one text each: a word that is a period on its own
    stays one; one that is not is joined with the words after it, the longest run that is a period
    (a run that is none is left as typed, for the period parser's message).

    Examples
    --------
    >>> period_words(["T1", "2021", "T1", "2022"])
    ['T1 2021', 'T1 2022']
    >>> period_words(["sep", "2022–aug", "2023", "2021/22"])
    ['sep 2022–aug 2023', '2021/22']
    >>> period_words(["2019", "2020", "mars", "foo"])
    ['2019', '2020', 'mars', 'foo']
    """
    from lagesbild.analysis.base import period_label

    words, out, i = [str(t) for t in texts or []], [], 0
    while i < len(words):
        take = 1
        if period_label(words[i]) is None:
            for n in range(min(PERIOD_WORDS, len(words) - i), 1, -1):
                if period_label(" ".join(words[i:i + n])) is not None:
                    take = n
                    break
        out.append(" ".join(words[i:i + take]))
        i += take
    return out


def distinct_periods(periods) -> list:
    """The periods, refused with a Swedish message when one is given twice (a period compared with
    itself says nothing).

    >>> from lagesbild.analysis.base import parse_periods
    >>> distinct_periods(parse_periods(["2021/22", "2021–2022"]))
    Traceback (most recent call last):
    ...
    ValueError: perioden 2021–2022 är angiven två gånger; ange olika perioder att jämföra
    """
    seen = set()
    for p in periods:
        key = (p.start, p.end)
        if key in seen:
            raise ValueError(f"perioden {fmt_period(p.label)} är angiven två gånger; ange olika perioder att jämföra")
        seen.add(key)
    return list(periods)


class OnePeriod(argparse.Action):
    """``--period`` as one period written in one or several words (``--period T1 2022`` without quotes
    stopped with "okända argument: 2022"): the words joined by spaces.

    >>> p = argparse.ArgumentParser()
    >>> _ = p.add_argument("--period", action=OnePeriod)
    >>> p.parse_args(["--period", "T1", "2022"]).period
    'T1 2022'
    """

    def __init__(self, option_strings, dest, **kwargs):
        kwargs.setdefault("nargs", "+")
        kwargs.setdefault("metavar", ("PERIOD", "ORD"))
        super().__init__(option_strings, dest, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        setattr(namespace, self.dest, " ".join(values))

