"""lagesbild: the local situation picture (lägesbild) of crime and insecurity.

See README.md for users and docs/architecture.md for developers.
"""

__version__ = "0.1.0"
