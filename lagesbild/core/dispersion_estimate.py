"""A dispersion estimate (:class:`Dispersion`): the φ a quasi-Poisson test is scaled with, how it was
obtained (the method's Swedish name) and the Swedish note that says so to a user.

:mod:`lagesbild.core.dispersion` estimates it from a monthly history and tests with it; it re-exports
these names, so ``from lagesbild.core.dispersion import Dispersion`` keeps working.

Examples
--------
>>> POISSON.quasi, Dispersion(2.5, 2.5, 30, 36, METHOD_QUASI, "").quasi
(False, True)
>>> NOTE_QUASI.format(phi=_fmt(2.345))
'Testet tar hänsyn till att antalen varierar 2,3 gånger mer än slumpen (kvasi-Poisson).'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

METHOD_QUASI = "kvasi-Poisson"
METHOD_EXACT = "exakt Poisson"
NOTE_SHORT = ("Historiken är för kort ({n} av minst {min} månader) för att skatta slumpvariationen; "
              "exakt Poissontest, som kan ge för många säkerställda förändringar om antalen varierar "
              "mer än slumpen.")
NOTE_QUASI = "Testet tar hänsyn till att antalen varierar {phi} gånger mer än slumpen (kvasi-Poisson)."
NOTE_SPARSE = ("Brott bara under en eller två månader: variationen skattas kring medelvärdet, utan trend "
               "och säsong.")


@dataclass(frozen=True)
class Dispersion:
    """A dispersion estimate: ``phi`` (≥ 1) to scale tests with, and how it was obtained."""

    phi: float
    phi_raw: float
    df_resid: float
    n_months: int
    method: str
    note: str

    @property
    def quasi(self) -> bool:
        """True when the quasi-Poisson F test applies (enough history)."""
        return self.method == METHOD_QUASI


POISSON = Dispersion(1.0, math.nan, 0, 0, METHOD_EXACT, "")


def _fmt(x: float) -> str:
    """A dispersion above 1 with one decimal, or two when one would read 1,0 ("varierar 1,0 gånger mer
    än slumpen" said nothing).

    Examples
    --------
    >>> _fmt(2.345), _fmt(1.04), _fmt(1.001)
    ('2,3', '1,04', '1,00')
    """
    return (f"{x:.1f}" if round(x, 1) > 1 else f"{x:.2f}").replace(".", ",")
