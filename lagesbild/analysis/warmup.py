"""Warm the analysis layer when the app starts: the first page opened after a start answers as fast
as later ones.

The serving entry points (``app.py``, ``lagesbild.web.wsgi``) start :func:`start_warming` next to the
export's browser. In a background thread it asks the questions the first pages ask — the overview's
default table and the Plats view (with its card of the latest days) of the place a bare Plats link
opens — which reads the store's monthly counts and coverage once and fills the per-version caches
and memo every later request shares. A request that arrives meanwhile computes what it needs itself
(the caches are built for concurrent requests), so warming never delays an answer; it only saves the
first visitor the cold reads. A failure is logged and left to the page to report.

A process that forks while the thread runs (``gunicorn --preload`` starting its workers) waits for it
first (:data:`FORK_WAIT_S` at most): a fork in the middle of a read could leave a child a lock that
its parent's thread held, and a finished warm-up is inherited by every worker.
"""

from __future__ import annotations

import logging
import os
import threading

from lagesbild.analysis import base
from lagesbild.analysis.meeting import quick_comparison
from lagesbild.analysis.overview import overview_table
from lagesbild.analysis.place import place_view

log = logging.getLogger("lagesbild.analysis.warmup")
FORK_WAIT_S = 300.0  # seconds a fork waits for a running warm-up


def warm(store, settings) -> list[str]:
    """Ask the start page's and a bare Plats link's questions once; returns what was warmed.

    Examples
    --------
    >>> from lagesbild.store import Store
    >>> from lagesbild.settings import load_settings
    >>> warm(Store("sqlite://"), load_settings({}))  # an empty store: nothing to warm
    []
    """
    done = []
    with base.one_version(store):
        if base.places(store).empty or not base.sep_aug_years(store):
            return done
        overview_table(store, settings)
        done.append("översikt")
        first = base.first_small_place(store)
        if first is not None:
            place_view(store, settings, first)
            quick_comparison(store, settings, place=first)  # the page's card of the latest days
            done.append(f"plats {first}")
    return done


def start_warming(store, settings) -> threading.Thread:
    """Run :func:`warm` in a background (daemon) thread and return the thread; a fork of this
    process waits for it."""
    def run():
        try:
            log.info("Förberedde %s", ", ".join(warm(store, settings)) or "inget (ingen data)")
        except Exception as exc:  # the page itself reports what is wrong with the data
            log.info("Förberedelsen av de första sidorna avbröts: %s", exc)

    thread = threading.Thread(target=run, daemon=True, name="lagesbild-warm-views")
    thread.start()
    os.register_at_fork(before=lambda: thread.join(FORK_WAIT_S))
    return thread
