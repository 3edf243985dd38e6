"""``emuseum worker``: one process taking jobs from the queue, on any machine that reaches the store.

Each worker registers with a heartbeat; ``stalled_after`` seconds of silence
mark it dead.  Beside the jobs it sweeps for jobs of dead workers
(``aggregator.jobs.stalled``).  SIGINT/SIGTERM stop taking jobs and wait for
the running ones to finish; a worker killed outright (SIGKILL, power cut) is
noticed by another worker's sweep, which puts its jobs back on the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from aggregator.jobs.app import app, connector
from aggregator.jobs.stalled import recover_stalled
from aggregator.run_owner import OWNER
from aggregator.store.database import Database, open_database

__all__ = ["DEFAULT_STALLED_AFTER", "run_worker"]

log = logging.getLogger("emuseum.jobs.worker")

#: Seconds without a heartbeat after which a worker is taken for dead (heartbeats come 4 times as often).
DEFAULT_STALLED_AFTER = 60.0


async def _sweep_forever(db: Database, stalled_after: float) -> None:
    interval = max(1.0, stalled_after / 3)
    while True:
        try:
            await recover_stalled(app, db, stalled_after)
        except Exception:  # noqa: BLE001 - the store may be briefly away; the next sweep tries again
            log.exception("sweep for stalled jobs failed; trying again in %.0fs", interval)
        await asyncio.sleep(interval)


async def _work(database_url: str, config_dir: Path | None, concurrency: int, stalled_after: float, name: str) -> None:
    import aggregator.jobs.tasks  # noqa: F401 - registers the tasks on the app

    db = open_database(database_url)  # migrates a fresh store, queue tables included
    try:
        with app.replace_connector(connector(database_url, max_size=concurrency + 4)):
            async with app.open_async():
                sweeper = asyncio.create_task(_sweep_forever(db, stalled_after))
                try:
                    log.info("worker %s (%s) taking jobs, %d at a time", name, OWNER, concurrency)
                    await app.run_worker_async(
                        name=name,
                        concurrency=concurrency,
                        update_heartbeat_interval=stalled_after / 4,
                        stalled_worker_timeout=stalled_after,
                        additional_context={"config_dir": str(config_dir) if config_dir else None},
                        delete_jobs="never",
                        install_signal_handlers=True,
                    )
                finally:
                    sweeper.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await sweeper
    finally:
        db.dispose()


def run_worker(
    database_url: str,
    config_dir: Path | None = None,
    *,
    concurrency: int = 1,
    stalled_after: float = DEFAULT_STALLED_AFTER,
    name: str | None = None,
) -> None:
    """Take jobs until SIGINT/SIGTERM (then finish the running ones)."""
    logging.getLogger("procrastinate").setLevel(logging.INFO)
    asyncio.run(_work(database_url, config_dir, concurrency, stalled_after, name or OWNER))
