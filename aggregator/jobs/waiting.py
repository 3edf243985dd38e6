"""Waiting for queued harvests to end: how a scheduled pass on the queue knows its night is over.

A pass puts one job per museum on the queue and its report must describe
what the workers did, so it waits until no job of those museums is queued or
running (including a job that was already waiting before the pass, which
``enqueue_harvests`` reports as "already queued" rather than adding).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from sqlalchemy import bindparam, text

from aggregator.store.database import Database

__all__ = ["pending_museums", "wait_for_museums"]

_PENDING = text(
    "SELECT DISTINCT lock FROM procrastinate_jobs WHERE status IN ('todo', 'doing') AND lock IN :locks"
).bindparams(bindparam("locks", expanding=True))


def pending_museums(db: Database, museum_ids: Iterable[str]) -> set[str]:
    """The museums that still have a queued or running job (their lock is ``museum:<id>``)."""
    locks = [f"museum:{museum_id}" for museum_id in museum_ids]
    if not locks:
        return set()
    with db.engine.connect() as conn:
        return {str(lock).removeprefix("museum:") for (lock,) in conn.execute(_PENDING, {"locks": locks})}


def wait_for_museums(
    db: Database,
    museum_ids: list[str],
    *,
    deadline: float,
    poll_seconds: float = 5.0,
    sleep: Callable[[float], None] = time.sleep,
) -> set[str]:
    """Wait until the museums' jobs have ended or ``deadline`` (time.time()) passes; returns those still pending."""
    while True:
        pending = pending_museums(db, museum_ids)
        if not pending or time.time() >= deadline:
            return pending
        sleep(min(poll_seconds, max(0.0, deadline - time.time())))
