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


class read_ahead(Iterator[T]):
    """Yield the items of `items`, produced up to `depth` items ahead in a background thread.

    The thread starts at once, so the first item is being produced while the caller still does
    other work. An exception raised by `items` is raised here after the items before it;
    :meth:`close` (also called when the items run out) stops the thread and closes `items`.

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

    def __init__(self, items: Iterator[T], depth: int = 1, name: str = "lagesbild-read-ahead"):
        self._box: queue.Queue = queue.Queue(maxsize=max(1, depth))
        self._stop = threading.Event()
        self._worker = threading.Thread(target=_produce, args=(items, self._box, self._stop),
                                        daemon=True, name=name)
        self._worker.start()

    def __next__(self) -> T:
        if self._stop.is_set():
            raise StopIteration
        item, error = self._box.get()
        if error is not None:
            self.close()
            raise error
        if item is _DONE:
            self.close()
            raise StopIteration
        return item

    def close(self) -> None:
        """Stop producing and wait for the thread (which closes `items`)."""
        self._stop.set()
        self._worker.join()

    def __del__(self):
        self._stop.set()


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
