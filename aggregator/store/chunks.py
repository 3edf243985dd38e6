"""Cutting the store into key ranges that worker processes can take one by one.

A remap or a full reindex of millions of records is CPU work (mapping,
building documents) over rows that do not depend on each other, so the
store is split into ranges of consecutive primary keys and each range is one
task.  Ranges are bounded by keys actually present, so a task costs an index
range scan however the keys are spread, and the same range never goes to two
workers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from aggregator.store.models import CoreRow, RawRow, table_of

__all__ = ["CoreRange", "RawRange", "core_ranges", "raw_ranges"]


@dataclass(frozen=True, slots=True)
class RawRange:
    """Live raw records with ``after < (museum_id, local_id) <= last``; ``after`` None: from the start."""

    after: tuple[str, str] | None
    last: tuple[str, str]
    records: int

    def condition(self) -> Any:
        raw = table_of(RawRow)
        key = tuple_(raw.c.museum_id, raw.c.local_id)
        upper = key <= tuple_(*self.last)
        return upper if self.after is None else (key > tuple_(*self.after)) & upper


@dataclass(frozen=True, slots=True)
class CoreRange:
    """Core records with ``after < id <= last``; ``after`` None: from the start."""

    after: str | None
    last: str
    records: int

    def condition(self) -> Any:
        core = table_of(CoreRow)
        upper = core.c.id <= self.last
        return upper if self.after is None else (core.c.id > self.after) & upper


def _bounds(keys: Iterator[Any], size: int) -> Iterator[tuple[Any, Any, int]]:
    """(after, last, count) of consecutive runs of ``size`` keys (the last run may be shorter)."""
    after = None
    last = None
    count = 0
    for key in keys:
        last = key
        count += 1
        if count == size:
            yield after, last, count
            after, count = last, 0
    if count:
        yield after, last, count


def raw_ranges(session: Session, size: int, museum_id: str | None = None) -> list[RawRange]:
    """Live raw records in ranges of ``size`` (one museum's, or all), in key order."""
    raw = table_of(RawRow)
    stmt = select(raw.c.museum_id, raw.c.local_id).where(raw.c.deleted.is_(False))
    if museum_id:
        stmt = stmt.where(raw.c.museum_id == museum_id)
    stmt = stmt.order_by(raw.c.museum_id, raw.c.local_id).execution_options(yield_per=10_000)
    keys = (tuple(row) for row in session.execute(stmt))
    return [RawRange(after, last, n) for after, last, n in _bounds(keys, size)]


def core_ranges(session: Session, size: int) -> list[CoreRange]:
    """Core records in ranges of ``size`` ids, in id order."""
    core = table_of(CoreRow)
    stmt = select(core.c.id).order_by(core.c.id).execution_options(yield_per=10_000)
    return [CoreRange(after, last, n) for after, last, n in _bounds(iter(session.scalars(stmt)), size)]
