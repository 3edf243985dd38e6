"""Timing, memory and table helpers shared by the benchmark scripts.

Every figure a benchmark prints is set against a baseline measured in the
same process and the same minute, because on a shared 2-core machine absolute
seconds drift with whatever else runs; a ratio to a baseline drifts far less.
Nothing here asserts a timing: the scripts print, people read.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

# The benchmarks' museums are loopback peers and exports in temporary folders; production
# refuses both unless the operator allows them (config/source_policy.py).
os.environ.setdefault("EMUSEUM_ALLOW_SOURCE_NETWORKS", "127.0.0.0/8,::1/128")
os.environ.setdefault("EMUSEUM_FILE_SOURCES_DIR", tempfile.gettempdir())

__all__ = [
    "Stopwatch",
    "Timing",
    "heap_peak",
    "machine_line",
    "percentile",
    "print_table",
    "rate",
    "ratio",
    "repeat_timed",
    "rss_peak_mib",
    "stopwatch",
    "wait_for_quiet",
    "children_usage",
    "self_cpu",
]

_T = TypeVar("_T")


@dataclass(slots=True)
class Stopwatch:
    """Wall-clock and process-CPU seconds of one block (CPU shows time spent waiting)."""

    wall: float = 0.0
    cpu: float = 0.0


@contextmanager
def stopwatch() -> Iterator[Stopwatch]:
    watch = Stopwatch()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield watch
    finally:
        watch.wall = time.perf_counter() - wall
        watch.cpu = time.process_time() - cpu


@dataclass(slots=True)
class Timing:
    """Repeated latencies of one operation, in seconds."""

    samples: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return percentile(self.samples, 50)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.samples) if self.samples else 0.0


def percentile(samples: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile: with few samples an interpolated p95 would invent a value."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil without floats drifting
    return ordered[int(rank) - 1]


def repeat_timed(action: Callable[[], _T], repeats: int, *, warmup: int = 1) -> tuple[Timing, _T]:
    """Run ``action`` ``warmup`` times unmeasured, then ``repeats`` times measured."""
    result: Any = None
    for _ in range(warmup):
        result = action()
    timing = Timing()
    for _ in range(repeats):
        started = time.perf_counter()
        result = action()
        timing.samples.append(time.perf_counter() - started)
    return timing, result


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def ratio(value: float, baseline: float) -> str:
    """``value / baseline`` as ``12.3x``; the unit every conclusion in RESULTS.md uses."""
    if baseline <= 0:
        return "n/a"
    return f"{value / baseline:.1f}x"


def rss_peak_mib() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@contextmanager
def heap_peak() -> Iterator[list[float]]:
    """Peak Python heap (MiB) allocated inside the block, via tracemalloc.

    tracemalloc slows allocation-heavy code by a factor of two or more, so a
    benchmark measures heap in a separate pass from the one it times.
    """
    out: list[float] = []
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    base, _ = tracemalloc.get_traced_memory()
    try:
        yield out
    finally:
        _, peak = tracemalloc.get_traced_memory()
        if not was_tracing:
            tracemalloc.stop()
        out.append((peak - base) / (1024 * 1024))


def machine_line() -> str:
    """Date, CPU count and load, printed atop every run so a figure keeps its context."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def _cell(value: object) -> str:
    if isinstance(value, float):
        if value >= 100:
            return f"{value:,.0f}"
        if value >= 10:
            return f"{value:.1f}"
        return f"{value:.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_table(title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A plain Markdown table: readable in a terminal and pasteable into RESULTS.md."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    print(f"\n### {title}\n")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    sys.stdout.flush()


def wait_for_quiet(max_load: float = 1.5, timeout: float = 1800.0, poll: float = 15.0) -> str:
    """Wait until the 1-minute load average is under ``max_load`` (at most ``timeout`` seconds).

    The machine is shared: a figure taken while someone else's test suite runs
    is worth less.  Returns the line to print, which says whether the wait
    succeeded or ran out (then the run goes ahead, and its figures say so).
    """
    started = time.monotonic()
    while True:
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        waited = time.monotonic() - started
        if load < max_load:
            return f"load average {load:.2f} < {max_load} after waiting {waited:.0f} s"
        if waited >= timeout:
            return f"load average still {load:.2f} >= {max_load} after {waited:.0f} s: measuring anyway, under load"
        time.sleep(poll)


def children_usage() -> tuple[float, float]:
    """(CPU seconds, peak RSS MiB) of this process's finished children (worker processes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
