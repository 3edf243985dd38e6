"""The demo's night with trouble: one museum's server gone, one museum's export suddenly half empty.

``python -m demo --broken-museum ID --held-museum ID`` runs, after the
demo's two harvests, one scheduled pass (``demo-night``) in which the broken
museum cannot be reached (its endpoint is stopped, or its export file is
gone) and the held museum lost half its records (deleted at the source, or
missing from its export): the breaker holds that run, and the morning
report says so, with the broken museum's failure in plain words.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console

from aggregator.catalogue import Catalogue
from aggregator.ops.service import Operations
from demo.oai_endpoint import EndpointRecord, OaiEndpoint
from demo.samples import SampleObject, to_accounting_row, write_csv

__all__ = ["run_troubled_night"]


def _break(museum_id: str, endpoints: dict[str, OaiEndpoint], exports: Path) -> None:
    if museum_id in endpoints:
        endpoints[museum_id].stop()  # the port closes: connections are refused
    else:
        (exports / f"{museum_id}.csv").unlink(missing_ok=True)


def _halve(
    museum_id: str,
    objects: list[SampleObject],
    endpoints: dict[str, OaiEndpoint],
    exports: Path,
    records_of: Callable[[list[SampleObject]], list[EndpointRecord]],
) -> None:
    live = [o for o in objects if not o.deleted]
    # Half the fund, and at least the 20 records below which the breaker lets deletions through.
    gone = max(len(live) // 2, min(len(live) - 1, 25))
    if museum_id in endpoints:
        later = datetime.now(UTC) + timedelta(seconds=2)
        for obj in live[:gone]:
            obj.deleted, obj.datestamp = True, later
        endpoints[museum_id].set_records(records_of(objects))
    else:
        write_csv(exports / f"{museum_id}.csv", [to_accounting_row(o) for o in live[gone:]])


def run_troubled_night(
    catalogue: Catalogue,
    console: Console,
    *,
    broken: str | None,
    held: str | None,
    endpoints: dict[str, OaiEndpoint],
    objects_of: dict[str, list[SampleObject]],
    exports: Path,
    records_of: Callable[[str, list[SampleObject]], list[EndpointRecord]],
    workers: int,
) -> dict[str, Any]:
    """Break what was asked, run the ``demo-night`` pass, print the report's summary; returns the report."""
    for museum_id in (broken, held):
        if museum_id is not None and catalogue.museum(museum_id) is None:
            raise SystemExit(f"python -m demo: no demo museum has the id {museum_id!r}")
    if broken:
        _break(broken, endpoints, exports)
    if held:
        _halve(held, objects_of[held], endpoints, exports, lambda objs: records_of(held, objs))
    outcome = Operations(catalogue).run_pass("demo-night", datetime.now(UTC), None, workers=workers)
    report = outcome.report
    summary = {
        "night": report["night"],
        "job": report["job"],
        "totals": report["totals"],
        "held_runs": report["held_runs"],
        "failures": [
            {"museum_id": m["id"], "kind": m["failure"]["kind"], "detail": m["failure"]["detail"]}
            for region in report["regions"]
            for m in region["museums"]
            if m["failure"]
        ],
        "alerts": [{"kind": a["kind"], "museum_id": a["museum_id"]} for a in report["alerts"]],
        "delivered": outcome.delivered,
    }
    console.print("\nThe night's report (summary of its JSON; `emuseum report --json` shows all of it):")
    console.print(json.dumps(summary, ensure_ascii=False, indent=2), markup=False, highlight=False)
    return report
