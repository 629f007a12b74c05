"""Month names: the one table every reader, period parser and formatter uses.

Labels and month spans use three letters (``jan``, ``mar``); dates in running text follow the Swedish
convention of writing the short months in full (``mars``, ``juni``, ``juli``). Files also write English
names; :data:`MONTH_NUMBERS` reads every spelling.

Examples
--------
>>> MONTH_ABBR[2], MONTH_IN_DATES[2], MONTH_FULL[2]
('mar', 'mars', 'mars')
>>> MONTH_NUMBERS["sept"], MONTH_NUMBERS["oktober"], MONTH_NUMBERS["october"]
(9, 10, 10)
>>> SWEDISH_MONTH_NUMBERS.get("may") is None
True
"""

from __future__ import annotations

MONTH_ABBR = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MONTH_IN_DATES = ("jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec")
MONTH_FULL = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
              "oktober", "november", "december")
MONTH_ENGLISH = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                 "october", "november", "december")
MONTH_ENGLISH_ABBR = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

#: Every Swedish spelling (short, in dates, full, ``sept``) -> month number.
SWEDISH_MONTH_NUMBERS = {name: i + 1 for names in (MONTH_ABBR, MONTH_IN_DATES, MONTH_FULL)
                         for i, name in enumerate(names)} | {"sept": 9}
#: Every Swedish and English spelling -> month number.
MONTH_NUMBERS = SWEDISH_MONTH_NUMBERS | {name: i + 1 for names in (MONTH_ENGLISH, MONTH_ENGLISH_ABBR)
                                         for i, name in enumerate(names)}
