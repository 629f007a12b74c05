"""Bundled demo data: the fictitious incident generator and the demo survey file.

Everything the demo generates is FICTITIOUS, except the Hässelby torg figures the police published
(January–November 2018 against 2019) and the real survey rows marked ``Fiktiv=nej``. See
``data/demo/README.md``.
"""

from lagesbild.demo.generate import generate_incidents, simulate_incidents

__all__ = ["generate_incidents", "simulate_incidents"]
