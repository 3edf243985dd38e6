"""How long a harvest may run: a monotonic deadline per museum and run.

The caller (the pipeline, the CLI's ``--max-seconds``) computes one deadline
per run with ``harvest_deadline`` and hands it to ``OaiHarvester`` or
``read_export``; every request, retry wait and response read is then bounded
by it.  A monotonic clock, because a wall clock can jump (NTP, a VM resumed).
"""

from __future__ import annotations

import math
import time
from typing import Protocol

from config.source_policy import SourcePolicy

__all__ = ["Deadline", "format_seconds", "harvest_deadline"]


class _Limited(Protocol):
    max_seconds: float | None
    max_response_bytes: int | None
    url: str


def format_seconds(seconds: float) -> str:
    """``2.5 s``, ``12 min 5 s``, ``4 h``: a duration as a person reads it."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{hours} h"] if hours else []
    if minutes:
        parts.append(f"{minutes} min")
    if secs and not hours:
        parts.append(f"{secs} s")
    return " ".join(parts)


def harvest_deadline(
    source: _Limited,
    policy: SourcePolicy | None = None,
    *,
    max_seconds: float | None = None,
    now: float | None = None,
) -> float:
    """The ``time.monotonic()`` moment one run of one museum must end by.

    The smaller of ``max_seconds`` (a command-line flag) and the museum's own
    limit (``max_seconds`` in the registry, else ``EMUSEUM_MAX_SECONDS_PER_MUSEUM``).
    """
    policy = policy if policy is not None else SourcePolicy.from_env()
    limits = [policy.max_seconds_for(source)]
    if max_seconds is not None:
        limits.append(max_seconds)
    return (time.monotonic() if now is None else now) + min(limits)


class Deadline:
    """A monotonic deadline and when the work under it started (for "stopped after 3 h 59 min")."""

    __slots__ = ("at", "started")

    def __init__(self, at: float | None, *, started: float | None = None) -> None:
        self.at = at
        self.started = time.monotonic() if started is None else started

    @classmethod
    def after(cls, seconds: float | None) -> Deadline:
        now = time.monotonic()
        return cls(None if seconds is None else now + seconds, started=now)

    @classmethod
    def of(cls, deadline: float | Deadline | None, fallback: float) -> Deadline:
        """A caller's deadline as it is (a ``Deadline`` keeps its own start), a bare moment, or ``fallback``.

        A bare moment starts counting now, so a caller that set it earlier
        should pass a ``Deadline``: the time between setting and starting would
        otherwise shrink the limit shown in messages ("time limit 5.9 s").
        """
        if isinstance(deadline, Deadline):
            return deadline
        return cls(deadline if deadline is not None else fallback)

    @property
    def limit(self) -> float | None:
        """The seconds the work was given, or None without a deadline."""
        return None if self.at is None else self.at - self.started

    def remaining(self) -> float:
        return math.inf if self.at is None else self.at - time.monotonic()

    def expired(self) -> bool:
        return self.remaining() <= 0

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def describe(self) -> str:
        """``after 3.0 s (time limit 3.0 s)``, for messages."""
        limit = self.limit
        suffix = f" (time limit {format_seconds(limit)})" if limit is not None else ""
        return f"after {format_seconds(self.elapsed())}{suffix}"
