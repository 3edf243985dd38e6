"""One OAI-PMH harvest in a process of its own, reporting one JSON line (used for peak-RSS specs).

``python -m tests.faults.harvest_child URL [--max-response-bytes N] [--max-seconds S] ...``
prints ``{"outcome": "ok" | "<HarvestError class>", "message", "pages", "records",
"seconds", "peak_rss_mb"}``; the peak is this process's own (VmHWM), so neither
earlier children of the caller nor the caller's own size can blur it.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import resource
import sys
import time

from config.registry import OaiSource
from config.source_policy import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_SECONDS_PER_MUSEUM, SourcePolicy
from harvester.errors import HarvestError
from harvester.oai import OaiHarvester

__all__ = ["main"]


def _peak_rss_kib() -> int:
    """This process's own peak: Linux's VmHWM, which starts afresh at exec.

    ``ru_maxrss`` does not: a child forked from a large test process reports the
    parent's high-water mark even if it never used that much itself.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--museum", default="hostile-museum")
    parser.add_argument("--max-response-bytes", type=int, default=DEFAULT_MAX_RESPONSE_BYTES)
    parser.add_argument("--max-seconds", type=float, default=DEFAULT_MAX_SECONDS_PER_MUSEUM)
    parser.add_argument("--max-response-seconds", type=float, default=900.0)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--max-retries", type=int, default=5)
    parser.add_argument("--allow", default="127.0.0.0/8,::1/128")
    args = parser.parse_args(argv)
    policy = SourcePolicy(
        allowed_networks=tuple(ipaddress.ip_network(n) for n in args.allow.split(",") if n),
        max_response_bytes=args.max_response_bytes,
        max_seconds=args.max_seconds,
        max_response_seconds=args.max_response_seconds,
    )
    source = OaiSource(type="oai-pmh", url=args.url, timeout=args.timeout, max_retries=args.max_retries)
    started = time.monotonic()
    pages = records = 0
    outcome, message = "ok", ""
    notes: list[str] = []
    try:
        harvester = OaiHarvester(args.museum, source, policy=policy)
        for page in harvester.pages(harvester.start(last_success=None, full=True)):
            pages += 1
            records += len(page.records)
            notes.extend(page.repaired)
    except HarvestError as exc:
        outcome, message = type(exc).__name__, str(exc)
    except MemoryError:
        outcome, message = "MemoryError", ""
    peak_kib = _peak_rss_kib()
    print(
        json.dumps(
            {
                "outcome": outcome,
                "message": message,
                "pages": pages,
                "records": records,
                "seconds": round(time.monotonic() - started, 2),
                "peak_rss_mb": round(peak_kib / 1024, 1),
                "notes": notes[:3],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
