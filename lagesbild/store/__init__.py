"""The store: schema and the only code that talks SQL."""

from lagesbild.store.store import Store

__all__ = ["Store"]
