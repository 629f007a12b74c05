"""lagesbild: the local situation picture (lägesbild) of crime and insecurity.

See README.md for users and docs/architecture.md for developers.
"""

__version__ = "0.3.0"  # the one version: pyproject.toml reads it (dynamic)
