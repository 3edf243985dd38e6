"""What the queue holds, for ``emuseum jobs``: read straight from procrastinate's tables in the store.

Statuses are named as operators say them: queued (todo), running (doing),
done (succeeded), failed, cancelled, aborted.  Times come from procrastinate's
own event log: when a job was queued, last started and finished.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text

from aggregator.store.database import Database

__all__ = ["STATUS_WORDS", "JobRow", "job_counts", "list_jobs", "status_code"]

STATUS_WORDS = {
    "todo": "queued",
    "doing": "running",
    "succeeded": "done",
    "failed": "failed",
    "cancelled": "cancelled",
    "aborting": "aborting",
    "aborted": "aborted",
}
_CODES = {word: code for code, word in STATUS_WORDS.items()}

_LIST = text(
    """
    SELECT j.id, j.task_name, j.status::text AS status, j.args, j.lock, j.attempts, j.worker_id,
           j.scheduled_at,
           (SELECT min(e.at) FROM procrastinate_events e WHERE e.job_id = j.id AND e.type = 'deferred') AS queued_at,
           (SELECT max(e.at) FROM procrastinate_events e WHERE e.job_id = j.id AND e.type = 'started') AS started_at,
           (SELECT max(e.at) FROM procrastinate_events e WHERE e.job_id = j.id
             AND e.type IN ('succeeded', 'failed', 'cancelled', 'aborted')) AS finished_at
      FROM procrastinate_jobs j
     WHERE (CAST(:status AS text) IS NULL OR j.status::text = :status)
     ORDER BY j.id DESC
     LIMIT :limit
    """
)
_COUNTS = text("SELECT status::text, count(*) FROM procrastinate_jobs GROUP BY status")


def _stamp(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class JobRow:
    id: int
    task: str  # harvest, remap, reindex (without the emuseum. prefix)
    status: str  # an operator's word (STATUS_WORDS)
    args: dict[str, Any]
    lock: str | None
    attempts: int
    worker_id: int | None
    queued_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def target(self) -> str:
        """What the job works on: a museum id, "all", or "full"/"pending" for reindexes."""
        if "museum_id" in self.args:
            return str(self.args["museum_id"] or "all")
        if "full" in self.args:
            return "full" if self.args["full"] else "pending"
        return ""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "task": self.task,
            "status": self.status,
            "args": self.args,
            "lock": self.lock,
            "attempts": self.attempts,
            "worker_id": self.worker_id,
            "queued_at": _stamp(self.queued_at),
            "started_at": _stamp(self.started_at),
            "finished_at": _stamp(self.finished_at),
        }


def status_code(word: str) -> str:
    """An operator's status word (or procrastinate's own) as stored; ValueError names the known ones."""
    if word in _CODES:
        return _CODES[word]
    if word in STATUS_WORDS:
        return word
    raise ValueError(f"unknown job status {word!r}; known: {', '.join(_CODES)}")


def list_jobs(db: Database, *, status: str | None = None, limit: int = 50) -> list[JobRow]:
    """The newest jobs first, optionally of one status (an operator's word)."""
    code = status_code(status) if status else None
    with db.engine.connect() as conn:
        rows = conn.execute(_LIST, {"status": code, "limit": limit}).mappings().all()
    return [
        JobRow(
            id=row["id"],
            task=row["task_name"].removeprefix("emuseum."),
            status=STATUS_WORDS.get(row["status"], row["status"]),
            args=dict(row["args"] or {}),
            lock=row["lock"],
            attempts=row["attempts"],
            worker_id=row["worker_id"],
            queued_at=row["queued_at"],
            started_at=row["started_at"],
            finished_at=row["finished_at"],
        )
        for row in rows
    ]


def job_counts(db: Database) -> dict[str, int]:
    """How many jobs are in each status, every operator's word present (0 when none)."""
    counts = {word: 0 for word in ("queued", "running", "done", "failed")}
    with db.engine.connect() as conn:
        for code, count in conn.execute(_COUNTS):
            word = STATUS_WORDS.get(code, code)
            counts[word] = counts.get(word, 0) + int(count)
    return counts
