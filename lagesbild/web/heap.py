"""The start-up heap kept out of the garbage collector's full passes.

A started dashboard holds some 200 000 objects that live as long as the process: the modules of Dash,
plotly, pandas and scipy, Dash's callback registry, the pages' layouts. Python's cyclic garbage collector
walks all of them in every full (oldest-generation) collection, which a busy server runs every 60–120
callbacks: that callback then stood still for 100–200 ms (perf13, Karta's category change: the slowest
of 600 calls 113 ms, 29 ms with the heap frozen). :func:`freeze_startup` collects once and moves what is
left into the collector's permanent generation (``gc.freeze``, meant for exactly this: objects made at
start that are never freed). Under ``gunicorn --preload`` it also keeps the collector from touching, and
so copying, the parent's pages in every forked worker (Python's documentation of ``gc.freeze``).

Called by the two ways the dashboard is served, ``app.py`` and :mod:`lagesbild.web.wsgi`, after the app
is made; not by :func:`lagesbild.web.create_app`, which tests call many times in one process (frozen
objects are never freed, so their dropped apps would stay in memory).
"""

from __future__ import annotations

import gc


def freeze_startup() -> int:
    """Collect once, then freeze every object tracked by the garbage collector.

    Returns
    -------
    int
        How many objects are now frozen (``gc.get_freeze_count()``).

    (No doctest: a collection inside a test process runs other tests' finalizers. Shown by
    tests/test_startup_heap_frozen.py, in a process of its own.)
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
