"""What the analysis layer raises for a question the store cannot answer: an unknown place, category,
kind or period. The web layer answers these with 400 and their Swedish message, the CLI with exit 2.

Examples
--------
>>> try:
...     raise UnknownPeriod('Okänd period: "x".')
... except ValueError as err:  # still the ValueError every period parser's caller catches
...     print(isinstance(err, NotFound), err)
True Okänd period: "x".
"""

from __future__ import annotations


class NotFound(LookupError):
    """A place, activity, category or period the store cannot answer for (message in Swedish)."""


class UnknownPeriod(NotFound, ValueError):
    """A text that is not a period (:func:`lagesbild.analysis.periodchoice.parse_periods`)."""
