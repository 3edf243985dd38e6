"""Reading the next page while the current one is mapped and stored.

A harvest spends its time in two places: waiting for the museum's server (and
parsing what it sends) and mapping and storing what arrived.  Running the
page iterator in a thread of its own, a page or two ahead, overlaps the two.
Pages are still handed over strictly in order, so the checkpoint committed
with a page is always the one right after it; a page read ahead but not yet
committed is simply read again when a killed run resumes.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Iterator
from typing import Generic, TypeVar

__all__ = ["prefetched"]

_T = TypeVar("_T")
_POLL = 0.2  # seconds between looks at the stop flag while the queue is full


class _Done:
    """The producer's last word: the iterator ended, or raised ``error``."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


class _Producer(Generic[_T]):
    def __init__(self, source: Iterator[_T], depth: int) -> None:
        self.items: queue.Queue[_T | _Done] = queue.Queue(maxsize=depth)
        self.stop = threading.Event()
        self.source = source
        # The logging context (museum, run) of the caller goes with the pages into the thread.
        context = contextvars.copy_context()
        self.thread = threading.Thread(target=context.run, args=(self._run,), name="emuseum-prefetch", daemon=True)

    def _put(self, item: _T | _Done) -> bool:
        while not self.stop.is_set():
            try:
                self.items.put(item, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for item in self.source:
                if not self._put(item):
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, who raises it
            self._put(_Done(exc))
            return
        finally:
            close = getattr(self.source, "close", None)
            if self.stop.is_set() and callable(close):
                close()
        self._put(_Done())


def prefetched(source: Iterator[_T], depth: int = 2) -> Iterator[_T]:
    """``source``'s items in order, produced by a background thread up to ``depth`` items ahead.

    An exception of the source is raised here, in the consumer, at the point
    where the next item would have been; if the consumer stops early, the
    producer is told to stop and the source is closed.
    """
    producer = _Producer(source, max(1, depth))
    producer.thread.start()
    try:
        while True:
            item = producer.items.get()
            if isinstance(item, _Done):
                if item.error is not None:
                    raise item.error
                return
            yield item
    finally:
        producer.stop.set()
        producer.thread.join(timeout=5)  # a read in flight ends by its own deadline; the thread is a daemon
