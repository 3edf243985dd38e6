"""Harvests started over the API: run in a background thread, their outcome kept for /api/museums.

A harvest can take minutes, far longer than an HTTP client waits, so the API
answers 202 at once and the run goes on here.  One run per museum at a time:
two concurrent runs of the same museum would fight over its checkpoint.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = ["AlreadyRunning", "HarvestJob", "HarvestJobs"]

log = logging.getLogger("emuseum.web.harvest")

#: Runs a harvest of the museums named and returns one summary per museum.
HarvestRunner = Callable[[list[str]], Sequence[Any]]


class AlreadyRunning(RuntimeError):
    """A harvest of this museum was started over the API and has not finished yet."""


@dataclass(slots=True)
class HarvestJob:
    museum_id: str
    state: str = "running"  # running | finished | failed
    requested_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    summary: dict[str, Any] | None = None
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "museum_id": self.museum_id,
            "state": self.state,
            "requested_at": self.requested_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "summary": self.summary,
            "error": self.error,
        }


def _summary_json(summary: Any) -> dict[str, Any]:
    try:
        return asdict(summary)
    except TypeError:
        return {"result": str(summary)}


class HarvestJobs:
    def __init__(self, run: HarvestRunner) -> None:
        self._run = run
        self._lock = threading.Lock()
        self._jobs: dict[str, HarvestJob] = {}

    def start(self, museum_id: str) -> HarvestJob:
        with self._lock:
            current = self._jobs.get(museum_id)
            if current is not None and current.state == "running":
                raise AlreadyRunning(
                    f"a harvest of {museum_id} requested at {current.requested_at.isoformat()} "
                    "is still running"
                )
            job = HarvestJob(museum_id=museum_id)
            self._jobs[museum_id] = job
        thread = threading.Thread(
            target=self._execute, args=(job,), name=f"harvest-{museum_id}", daemon=True
        )
        thread.start()
        return job

    def _execute(self, job: HarvestJob) -> None:
        try:
            summaries = self._run([job.museum_id])
            summary = _summary_json(summaries[0]) if summaries else None
            job.summary = summary
            failed = summary is not None and summary.get("status") not in (None, "succeeded")
            job.state = "failed" if failed else "finished"
            job.error = summary.get("error") if summary else None
        except Exception as exc:  # the thread must record every failure, or nobody sees it
            log.exception("museum=%s api harvest failed", job.museum_id)
            job.state = "failed"
            job.error = f"{type(exc).__name__}: {exc}"
        finally:
            job.finished_at = datetime.now(UTC)
            job.done.set()

    def latest(self, museum_id: str) -> HarvestJob | None:
        with self._lock:
            return self._jobs.get(museum_id)

    def wait(self, museum_id: str, timeout: float | None = None) -> bool:
        """Block until the museum's latest job is done; False on timeout (for tests and shutdown)."""
        job = self.latest(museum_id)
        return True if job is None else job.done.wait(timeout)
