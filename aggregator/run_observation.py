"""A run's HTTP figures and its endpoint's observed behaviour, written onto the run at ``finish``.

The harvester counts (``harvester.http_stats``) and notices (Identify's
granularity and deleted-record policy, expired resumption tokens, deletions
sent); the pipeline adds what only it sees: whether an incremental run got
records older than its ``from`` (the endpoint ignores ``from``).  A resumed
run adds the new attempt's figures to those of the attempts before it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aggregator.store.models import HarvestRun
from harvester.http_stats import HttpStats

__all__ = ["RunObservation", "record_observation"]


def _export_behaviour() -> dict[str, object]:
    return {"protocol": "csv", "deleted_record": "complete listing"}


@dataclass(slots=True)
class RunObservation:
    museum_id: str
    stats: HttpStats = field(default_factory=HttpStats)
    endpoint: Callable[[], dict[str, object]] = _export_behaviour

    def to_json(self) -> dict[str, object]:
        return {"http": self.stats.to_json(), "endpoint": self.endpoint()}


def record_observation(run: HarvestRun, observed: dict[str, Any] | None, older_than_window: int) -> None:
    """Add the figures of this attempt to the run's (plain data from ``RunObservation.to_json``)."""
    if not observed:
        return
    http: dict[str, Any] = observed.get("http") or {}
    run.http_requests = (run.http_requests or 0) + int(http.get("requests", 0))
    run.http_errors = (run.http_errors or 0) + int(http.get("errors", 0))
    run.retries = (run.retries or 0) + int(http.get("retries", 0))
    run.bytes_received = (run.bytes_received or 0) + int(http.get("bytes", 0))
    if http.get("response_ms"):
        run.response_ms = dict(http["response_ms"])
    endpoint: dict[str, Any] = {**(run.endpoint or {}), **(observed.get("endpoint") or {})}
    endpoint["waited_seconds"] = round(float((run.endpoint or {}).get("waited_seconds", 0)) + http.get("waited", 0), 1)
    if run.mode == "incremental" and endpoint.get("protocol") == "oai-pmh":
        endpoint["honours_from"] = older_than_window == 0
        endpoint["older_than_window"] = older_than_window
    run.endpoint = endpoint
