"""The browser window a page's figures are made for, when the page sent its width.

Figures are fitted to a nominal width (:data:`lagesbild.figures.fit.NOMINAL_WIDTH`): in meeting mode a
900 px panel, the narrowest a meeting chart is drawn at on a 1366 px laptop or a 1920 px projector. A
laptop at 125 % or 150 % zoom is a window of 1093 or 911 CSS px, whose one-column charts are narrower
(846 px at 911): counts over the bars, a subtitle and a legend judged to fit at 900 px ran into each
other. Plats and Jämför send the window's width with their controls (as Karta does) and make their
figures inside :func:`drawn_in`; :func:`lagesbild.figures.fit.nominal_width` then takes the panel's
width when it is narrower.

Examples
--------
>>> meeting_panel() is None
True
>>> with drawn_in([911, 512]):
...     meeting_panel()
846.0
>>> with drawn_in("x"):
...     meeting_panel() is None
True
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

#: CSS px a one-column meeting panel's chart is narrower than the browser's window: the scroll bar,
#: the page's and the card's padding (measured in Chromium: a 911 px window draws a chart of 846 px)
MEETING_PANEL_CHROME = 65
#: the widths a window may have (anything else is no window's width: a crafted request)
MAX_WINDOW = 20000
_WINDOW: contextvars.ContextVar = contextvars.ContextVar("drawn_window", default=None)


def window_width(value) -> float | None:
    """A browser window's width in CSS px as the page sent it (a number, or ``[width, height]``), or
    None when it is no window's width (missing, not finite, crafted).

    >>> window_width([911, 512]), window_width(1093.4), window_width("x"), window_width([float("inf")])
    (911.0, 1093.4, None, None)
    """
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if 0 < value < MAX_WINDOW else None


@contextmanager
def drawn_in(window):
    """Figures made inside are fitted for a browser window ``window`` CSS px wide (None or anything
    that is no width: unknown, the nominal width)."""
    token = _WINDOW.set(window_width(window))
    try:
        yield
    finally:
        _WINDOW.reset(token)


def meeting_panel() -> float | None:
    """The width of a one-column meeting panel's chart in the window of :func:`drawn_in`, or None."""
    width = _WINDOW.get()
    return width - MEETING_PANEL_CHROME if width else None
