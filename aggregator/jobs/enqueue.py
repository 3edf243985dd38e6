"""Putting work on the queue: which lock each job takes, and what "already queued" means.

* ``lock=museum:<id>``: one museum is never worked on by two jobs at once (its
  harvests and remaps run one after the other, in the order they were queued).
* ``queueing_lock``: the same work is never waiting twice; a second request
  while one waits is reported, not added.  Full and incremental harvests wait
  separately (asking for a full one is never swallowed by a queued incremental).
* reindexes share ``lock=index``: one at a time; dump builds share ``lock=dumps``.
"""

from __future__ import annotations

from dataclasses import dataclass

from procrastinate import exceptions

from aggregator.catalogue import Catalogue
from aggregator.jobs.app import opened
from aggregator.jobs.tasks import dumps, harvest, reindex, remap

__all__ = [
    "Enqueued",
    "enqueue_dumps",
    "enqueue_harvests",
    "enqueue_reindex",
    "enqueue_remap",
    "enqueue_scheduled",
]


@dataclass(frozen=True, slots=True)
class Enqueued:
    what: str
    job_id: int | None  # None: the same work was already waiting

    def line(self) -> str:
        if self.job_id is None:
            return f"{self.what}: already queued (see emuseum jobs)"
        return f"{self.what}: queued as job {self.job_id}"


def enqueue_harvests(
    database_url: str, museum_ids: list[str], *, full: bool = False, max_seconds: float | None = None
) -> list[Enqueued]:
    out = []
    with opened(database_url):
        for museum_id in museum_ids:
            kind = "harvest-full" if full else "harvest"
            deferrer = harvest.configure(lock=f"museum:{museum_id}", queueing_lock=f"{kind}:{museum_id}")
            what = f"{kind} {museum_id}"
            try:
                out.append(Enqueued(what, deferrer.defer(museum_id=museum_id, full=full, max_seconds=max_seconds)))
            except exceptions.AlreadyEnqueued:
                out.append(Enqueued(what, None))
    return out


def enqueue_scheduled(catalogue: Catalogue, museum_ids: list[str], *, full: bool = False) -> list[Enqueued]:
    """``emuseum schedule`` on a PostgreSQL store: the scheduled museums go on the queue, workers harvest them."""
    ids = [museum.id for museum in catalogue.museums(museum_ids)]  # unknown ids fail as `emuseum harvest` does
    return enqueue_harvests(catalogue.settings.database_url, ids, full=full)


def enqueue_remap(database_url: str, museum_id: str | None = None) -> Enqueued:
    lock = f"museum:{museum_id}" if museum_id else "remap:all"
    what = f"remap {museum_id or 'all museums'}"
    with opened(database_url):
        deferrer = remap.configure(lock=lock, queueing_lock=f"remap:{museum_id or '*'}")
        try:
            return Enqueued(what, deferrer.defer(museum_id=museum_id))
        except exceptions.AlreadyEnqueued:
            return Enqueued(what, None)


def enqueue_reindex(database_url: str, *, full: bool = False) -> Enqueued:
    what = "reindex full" if full else "reindex"
    with opened(database_url):
        deferrer = reindex.configure(lock="index", queueing_lock=what.replace(" ", "-"))
        try:
            return Enqueued(what, deferrer.defer(full=full))
        except exceptions.AlreadyEnqueued:
            return Enqueued(what, None)


def enqueue_dumps(database_url: str, *, per_museum: bool = False) -> Enqueued:
    what = "dumps per museum" if per_museum else "dumps"
    with opened(database_url):
        deferrer = dumps.configure(lock="dumps", queueing_lock=what.replace(" ", "-"))
        try:
            return Enqueued(what, deferrer.defer(per_museum=per_museum))
        except exceptions.AlreadyEnqueued:
            return Enqueued(what, None)
