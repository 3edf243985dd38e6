"""Numbers for Prometheus: what the store holds per museum, how the last runs went, backlogs, drift.

Everything but the search latency is read from the store when Prometheus
scrapes (a custom collector), so the figures are right whichever process
harvested; the search latency is a histogram the web app observes.  A job
queue, once there is one, reports its length through ``set_queue_length``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime

from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from aggregator.ops.alerts import list_alerts
from aggregator.ops.health import store_figures

__all__ = ["CatalogueMetrics", "queue_length", "set_queue_length"]

_queue_length: Callable[[], int | None] | None = None


def set_queue_length(source: Callable[[], int | None] | None) -> None:
    """The hook a job queue sets: a function returning how many jobs wait (None: unknown)."""
    global _queue_length
    _queue_length = source


def queue_length() -> int:
    """Jobs waiting in the queue; 0 while the catalogue has no queue."""
    if _queue_length is None:
        return 0
    return _queue_length() or 0


def _gauge(name: str, documentation: str, values: Mapping[str, float], label: str = "museum") -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=[label])
    for key, value in sorted(values.items()):
        family.add_metric([key], value)
    return family


class _StoreCollector(Collector):
    def __init__(self, ops: object) -> None:
        self.ops = ops  # aggregator.ops.service.Operations (typed loosely: it imports the catalogue)

    def collect(self) -> Iterator[Metric]:
        ops = self.ops
        db = ops.db  # type: ignore[attr-defined]
        figures = store_figures(db)
        yield _gauge("emuseum_records_harvested", "Raw records held per museum (not deleted).", figures.harvested)
        yield _gauge("emuseum_records_mapped", "Core records (mapped, searchable) per museum.", figures.mapped)
        yield _gauge("emuseum_records_quarantined", "Records in quarantine per museum.", figures.quarantined)
        runs = {r["museum_id"]: r for r in figures.last_runs}
        yield _gauge(
            "emuseum_last_run_seconds",
            "Duration of each museum's newest run.",
            {m: float(r["seconds"] or 0) for m, r in runs.items()},
        )
        yield _gauge(
            "emuseum_last_run_http_errors",
            "Failed HTTP attempts in each museum's newest run.",
            {m: float(r["http_errors"] or 0) for m, r in runs.items()},
        )
        yield _gauge(
            "emuseum_last_run_http_requests",
            "HTTP requests of each museum's newest run.",
            {m: float(r["http_requests"] or 0) for m, r in runs.items()},
        )
        yield _gauge(
            "emuseum_last_run_succeeded",
            "1 when each museum's newest run succeeded, else 0.",
            {m: float(r["status"] == "succeeded") for m, r in runs.items()},
        )
        yield _gauge(
            "emuseum_last_run_timestamp_seconds",
            "When each museum's newest run started (Unix time).",
            {m: datetime.fromisoformat(r["started_at"]).timestamp() for m, r in runs.items() if r["started_at"]},
        )
        yield GaugeMetricFamily("emuseum_outbox_backlog", "Changes waiting to be sent to the search engine.",
                                value=figures.outbox)  # fmt: skip
        yield GaugeMetricFamily("emuseum_store_records", "Core records in the store.", value=figures.store_records)
        index = ops.index_count()  # type: ignore[attr-defined]
        if index is not None:
            yield GaugeMetricFamily("emuseum_index_documents", "Documents the search index holds.", value=index)
        yield GaugeMetricFamily("emuseum_queue_length", "Jobs waiting in the job queue (0 without one).",
                                value=queue_length())  # fmt: skip
        yield GaugeMetricFamily("emuseum_alerts_open", "Alerts open now.", value=len(list_alerts(db)))


class CatalogueMetrics:
    """A registry of its own (one per web app) with the store collector and the search histogram."""

    def __init__(self, ops: object) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(_StoreCollector(ops))
        self.search_seconds = Histogram(
            "emuseum_search_seconds",
            "Time to answer a search (API and page).",
            ["endpoint"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
            registry=self.registry,
        )

    def timed_search(self, endpoint: str) -> _Timer:
        return _Timer(self.search_seconds.labels(endpoint=endpoint))


class _Timer:
    def __init__(self, child: object) -> None:
        self.child = child
        self.started = 0.0

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.child.observe(time.perf_counter() - self.started)  # type: ignore[attr-defined]
