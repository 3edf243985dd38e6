"""Pages are read ahead in a thread of their own, but handed over in order, with the source's errors."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from aggregator.prefetch import prefetched


def test_items_arrive_in_order_and_all_of_them() -> None:
    assert list(prefetched(iter(range(100)), depth=3)) == list(range(100))


def test_the_next_item_is_produced_while_the_consumer_works() -> None:
    """The consumer, busy with item 0, sees item 1 being read: the two overlap (no clock involved)."""
    reading_next = threading.Event()

    def source() -> Iterator[int]:
        yield 0
        reading_next.set()  # the museum's server is asked for the next page
        yield 1

    overlapped = []
    for item in prefetched(source()):
        if item == 0:  # mapping and storing page 0: the next page is read meanwhile
            overlapped.append(reading_next.wait(timeout=30))
    assert overlapped == [True]


def test_an_error_of_the_source_is_raised_where_its_item_would_have_come() -> None:
    def failing() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("endpoint broke on page 3")

    seen: list[int] = []
    with pytest.raises(ValueError, match="page 3"):
        for item in prefetched(failing()):
            seen.append(item)
    assert seen == [1, 2]


def test_a_consumer_that_stops_early_stops_the_producer_and_closes_the_source() -> None:
    closed = threading.Event()

    def endless() -> Iterator[int]:
        try:
            n = 0
            while True:
                yield n
                n += 1
        finally:
            closed.set()

    for item in prefetched(endless(), depth=2):
        if item == 5:
            break

    assert closed.wait(5), "the source was closed"
