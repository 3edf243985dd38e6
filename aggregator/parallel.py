"""Worker processes: how many, and how they start.

Mapping and building index documents are pure Python and hold the GIL, so
harvests, remaps and reindexes spread over the machine's cores in worker
*processes*.  They start fresh (spawn): a forked child would inherit this
process's threads, locks and open database connections.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from multiprocessing.context import SpawnContext
from typing import Any, TypeVar

__all__ = ["ProgressCallback", "default_workers", "ordered_results", "spawn_context", "unordered_results"]

#: (records done, records in all): how a long remap or reindex reports its progress.
ProgressCallback = Callable[[int, int], None]

_T = TypeVar("_T")
_END = object()


def default_workers() -> int:
    """The CPU count: what ``--workers`` means when it is not given."""
    return max(1, os.cpu_count() or 1)


def spawn_context() -> SpawnContext:
    return multiprocessing.get_context("spawn")


def unordered_results(
    pool: Executor, task: Callable[..., _T], items: Iterable[Any], *args: Any, in_flight: int
) -> Iterator[_T]:
    """``task(item, *args)`` for every item on ``pool``, results as they finish.

    At most ``in_flight`` tasks are submitted at a time, so results (a range of
    mapped records, a batch of documents) never pile up in memory faster than
    the caller takes them.
    """
    pending = iter(items)
    running: set[Future[_T]] = set()
    while True:
        while len(running) < in_flight and (item := next(pending, _END)) is not _END:
            running.add(pool.submit(task, item, *args))
        if not running:
            return
        done, running = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            yield future.result()


def ordered_results(
    pool: Executor, task: Callable[..., _T], items: Iterable[Any], *args: Any, in_flight: int
) -> Iterator[_T]:
    """``task(item, *args)`` for every item on ``pool``, results in the order of the items.

    For output that must keep the input's order (a dump in id order): up to
    ``in_flight`` tasks run ahead while the caller writes the oldest one's
    result, so the workers stay busy and memory stays bounded.
    """
    pending = iter(items)
    queue: deque[Future[_T]] = deque()
    while True:
        while len(queue) < in_flight and (item := next(pending, _END)) is not _END:
            queue.append(pool.submit(task, item, *args))
        if not queue:
            return
        yield queue.popleft().result()
