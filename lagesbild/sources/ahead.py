"""Read ahead: produce the next items of an iterator in a background thread.

A streaming reader alternates between reading and parsing a chunk of the file (pyarrow, numpy) and
checking it (numpy); both release the GIL for most of their work, so on two cores the next chunk is
read while the current one is checked. Items and errors arrive in the same order as without the
thread; stopping early (closing the generator) stops the thread after the item it is producing.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")
POLL_SECONDS = 0.1
_DONE = object()


def read_ahead(items: Iterator[T], depth: int = 1) -> Iterator[T]:
    """Yield the items of `items`, produced up to `depth` items ahead in a background thread.

    An exception raised by `items` is raised here after the items before it.

    Examples
    --------
    >>> list(read_ahead(iter(range(5))))
    [0, 1, 2, 3, 4]
    >>> def failing():
    ...     yield 1
    ...     raise ValueError("trasig rad")
    >>> got = read_ahead(failing())
    >>> next(got)
    1
    >>> next(got)
    Traceback (most recent call last):
    ...
    ValueError: trasig rad
    """
    box: queue.Queue = queue.Queue(maxsize=max(1, depth))
    stop = threading.Event()
    worker = threading.Thread(target=_produce, args=(items, box, stop), daemon=True,
                              name="lagesbild-read-ahead")
    worker.start()
    try:
        while True:
            item, error = box.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        worker.join()


def _produce(items: Iterator, box: queue.Queue, stop: threading.Event) -> None:
    try:
        for item in items:
            if not _put(box, (item, None), stop):
                return
        _put(box, (_DONE, None), stop)
    except BaseException as error:  # handed to the consumer's thread
        _put(box, (None, error), stop)
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()


def _put(box: queue.Queue, entry: tuple, stop: threading.Event) -> bool:
    """Put `entry` unless the consumer has stopped; whether it was put."""
    while not stop.is_set():
        try:
            box.put(entry, timeout=POLL_SECONDS)
            return True
        except queue.Full:
            continue
    return False
