"""The sizes a chart export accepts: its printed width and, for PNG, its resolution.

Light on purpose (no plotly): the CLI reads the bounds when it builds its parser.
"""

from __future__ import annotations

import numbers

#: The printed width (cm) and resolution (dpi) a chart export accepts: from a narrow column to a poster
#: (60 cm at 600 dpi is 14,173 pixels wide); far outside, Chromium writes a broken image or none
WIDTH_CM = (6.0, 60.0)
DPI = (72, 600)
SIZE_REFUSED = "Diagrammet kan inte sparas {what} {value}: tillåtet är {low}–{high} {unit}."


def check_size(width_cm: float, dpi: int) -> None:
    """Refuse (:class:`~lagesbild.export.render.RenderError`, in Swedish) a width or resolution
    outside :data:`WIDTH_CM` and :data:`DPI`.

    >>> import numpy as np
    >>> check_size(16, 300), check_size(np.float64(16), np.int64(300))
    (None, None)
    >>> check_size(2.5, 300)
    Traceback (most recent call last):
    ...
    lagesbild.export.render.RenderError: Diagrammet kan inte sparas med bredden 2,5 cm: tillåtet är 6–60 cm.
    """
    from lagesbild.export.render import RenderError
    from lagesbild.figures.format import fmt_num

    for value, (low, high), what, unit in ((width_cm, WIDTH_CM, "med bredden", "cm"),
                                           (dpi, DPI, "med upplösningen", "dpi")):
        number = isinstance(value, numbers.Real)  # numpy's numbers too
        if number and low <= value <= high:  # NaN is refused: it compares false
            continue
        shown = fmt_num(value, 0 if number and float(value).is_integer() else 1) if number else repr(value)
        raise RenderError(SIZE_REFUSED.format(what=what, value=f"{shown} {unit}", low=fmt_num(low, 0),
                                              high=fmt_num(high, 0), unit=unit))
