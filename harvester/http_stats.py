"""What one run's requests cost and met: counts, bytes, errors, retries, waits and response times.

The ministry reads a museum's health over many nights from these figures (an
endpoint whose answers take twice as long as last week is about to fail), so
``HttpFetcher`` counts every request it makes into one ``HttpStats`` per run.
The figures are plain numbers, so a worker process can send them to the
writer and a resumed run can add the new attempt's figures to the old ones.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import Any

__all__ = ["HttpStats", "percentiles"]

_KEEP = 5000  # response times kept per run: enough for stable percentiles, bounded memory


def percentiles(samples: list[float]) -> dict[str, float]:
    """``{"p50", "p90", "p99", "max", "count"}`` in milliseconds (nearest-rank), or {} without samples."""
    if not samples:
        return {}
    ordered = sorted(samples)

    def rank(pct: float) -> float:
        return round(ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)], 1)

    return {"p50": rank(50), "p90": rank(90), "p99": rank(99), "max": round(ordered[-1], 1), "count": len(ordered)}


@dataclass(slots=True)
class HttpStats:
    """Counters of one run's HTTP traffic; safe to update from the prefetch thread."""

    requests: int = 0
    errors: int = 0  # failed attempts: refused, timed out, 5xx/429, cut off, rejected (4xx)
    retries: int = 0  # attempts repeated after a transient failure
    bytes: int = 0  # response bodies after decompression
    waited: float = 0.0  # seconds slept between attempts
    latencies_ms: list[float] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def response(self, milliseconds: float, size: int) -> None:
        with self._lock:
            self.requests += 1
            self.bytes += size
            if len(self.latencies_ms) < _KEEP:
                self.latencies_ms.append(milliseconds)

    def error(self) -> None:
        with self._lock:
            self.requests += 1
            self.errors += 1

    def retry(self, wait: float) -> None:
        with self._lock:
            self.retries += 1
            self.waited += wait

    def to_json(self) -> dict[str, Any]:
        """Plain data (for a process boundary or a JSON column)."""
        with self._lock:
            return {
                "requests": self.requests,
                "errors": self.errors,
                "retries": self.retries,
                "bytes": self.bytes,
                "waited": round(self.waited, 3),
                "response_ms": percentiles(self.latencies_ms),
            }
