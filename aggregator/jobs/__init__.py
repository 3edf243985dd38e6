"""Harvests, remaps and reindexes as jobs of procrastinate, the PostgreSQL task queue.

With a PostgreSQL store the queue lives in the store's own database (its
tables come with migration 0007), so any number of ``emuseum worker``
processes on any number of machines share the work with no broker to run.
procrastinate is imported only here, and only once the store is known to be
PostgreSQL: the embedded SQLite default needs neither it nor a queue.
"""

from aggregator.jobs.availability import JobsUnavailable, require_queue

__all__ = ["JobsUnavailable", "require_queue"]
