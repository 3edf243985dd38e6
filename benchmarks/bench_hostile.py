"""Broken and hostile endpoints (issue 13): how long each takes to end, at what peak memory, and how.

Run: ``.venv/bin/python -m benchmarks.bench_hostile [--quick] [--max-seconds S]``

Each scenario of ``tests/faults/hostile_endpoint.py`` runs on 127.0.0.1, and
one harvest of it runs in a child process of its own
(``tests/faults/harvest_child.py``) with the production defaults: 64 MiB
response cap after decompression, 30 s read timeout, 5 retries, 15 min per
response.  Only the museum's time limit is lowered, from the production 4 h
to ``--max-seconds`` (30 s; 10 s with ``--quick``), so that the scenarios
that only a deadline can end (stall, drip, endless fresh tokens) end in this
run: they show up at that limit plus a little.  The healthy listing is the
baseline for wall time and peak RSS (the child's own, VmHWM).

Prints a Markdown table: behaviour, wall time of the harvest, peak RSS, and
the outcome line the run report would get (the endpoint's address shortened
to URL).  Nothing is asserted; tests/faults asserts the outcomes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.measure import machine_line, print_table
from tests.faults.hostile_endpoint import HostileEndpoint

ROOT = Path(__file__).resolve().parents[1]  # child harvesters run from the repository root

__all__ = ["main"]

MiB = 1024 * 1024


@dataclass
class Scenario:
    label: str
    behaviour: str
    options: dict[str, object] = field(default_factory=dict)
    url: str | None = None  # a fixed URL instead of the endpoint's


SCENARIOS = [
    Scenario("healthy listing, 2,000 records (baseline)", "healthy", {"records": 2000, "page_size": 100}),
    Scenario("stalls after page 1 (accepts, never answers)", "stall", {"fault_after_pages": 1}),
    Scenario("drips 1 byte/s from page 2", "drip", {"fault_after_pages": 1, "drip_interval": 1.0}),
    Scenario("endless fresh tokens and records", "endless_tokens", {"page_size": 100}),
    Scenario("completeListSize 10, records without end", "list_size_lie", {"page_size": 100}),
    Scenario("same token forever", "repeat_token", {}),
    Scenario("same record with fresh tokens", "repeat_record", {"fault_after_pages": 1}),
    Scenario("300 MB page (streamed)", "oversized", {"oversize_bytes": 300 * MiB}),
    Scenario("gzip page: 1.2 MB on the wire, 1.2 GB inflated", "gzip_bomb", {"oversize_bytes": 1200 * MiB}),
    Scenario("valid 60 MB page, under the 64 MiB cap", "oversized", {"oversize_bytes": 60 * MiB}),
    Scenario("responseDate in 2099", "future_date", {"records": 60}),
    Scenario("HTML with HTTP 200 from page 2", "html", {"fault_after_pages": 1}),
    Scenario("40% of answers cut mid-body", "disconnect", {"records": 200, "disconnect_rate": 0.4}),
    Scenario("museum URL http://169.254.169.254/", "healthy", {}, url="http://169.254.169.254/latest/meta-data/"),
]


def _run(scenario: Scenario, max_seconds: float) -> list[object]:
    with HostileEndpoint(scenario.behaviour, **scenario.options) as endpoint:  # type: ignore[arg-type]
        url = scenario.url or endpoint.url
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "tests.faults.harvest_child", url, "--max-seconds", str(max_seconds)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=max_seconds * 4 + 600,
        )
        wall = time.monotonic() - started
        base = endpoint.url.rsplit("/oai", 1)[0]
    if done.returncode != 0 or not done.stdout.strip():
        return [scenario.label, wall, 0.0, f"child failed: {done.stderr.strip().splitlines()[-1:]}"]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["outcome"] == "ok":
        line = f"ok: {result['records']:,} records in {result['pages']} page(s)"
        if result["notes"]:
            line += f"; note: {result['notes'][0]}"
    else:
        line = f"{result['outcome']}: {result['message'].split(': ', 1)[-1]}"
    line = line.replace(base, "URL").replace("|", "\\|")
    return [scenario.label, float(result["seconds"]), float(result["peak_rss_mb"]), line]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a 10 s museum time limit instead of 30 s")
    parser.add_argument("--max-seconds", type=float, default=None, help="the museum time limit (default 30)")
    args = parser.parse_args(argv)
    max_seconds = args.max_seconds or (10.0 if args.quick else 30.0)
    print(machine_line())
    print(
        f"Each harvest in its own process; production defaults (64 MiB cap, 30 s read timeout, 5 retries, "
        f"15 min per response) except the museum time limit: {max_seconds:g} s (production: 4 h)."
    )
    rows = [_run(scenario, max_seconds) for scenario in SCENARIOS]
    print_table(
        "Hostile endpoints: how each harvest ends",
        ["behaviour", "wall time (s)", "peak RSS (MB)", "outcome line"],
        rows,
    )
    print()
    print(machine_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
