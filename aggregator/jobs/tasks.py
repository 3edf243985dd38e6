"""The jobs: one museum's harvest, a remap, a reindex; each calls the Catalogue method the CLI calls.

A job opens its own Catalogue from the worker's configuration (its
``--config`` / ``EMUSEUM_CONFIG`` and environment), so every machine reads
its own settings and a job carries only ids and flags.  A job that did not do
its work (a failed harvest, a refused one) fails, so ``emuseum jobs`` shows
it; the reason is in the worker's log and, for harvests, in ``emuseum runs``.
"""

from __future__ import annotations

import logging
from typing import Any

from procrastinate import JobContext

from aggregator.catalogue import Catalogue
from aggregator.jobs.app import app
from aggregator.run_owner import OWNER

__all__ = ["DUMPS", "HARVEST", "REINDEX", "REMAP", "JobFailed", "dumps", "harvest", "reindex", "remap"]

log = logging.getLogger("emuseum.jobs")

HARVEST, REMAP, REINDEX = "emuseum.harvest", "emuseum.remap", "emuseum.reindex"
DUMPS = "emuseum.dumps"


class JobFailed(Exception):
    """The job ran but did not do its work; the message is the museum's one-line summary."""


def _catalogue(context: JobContext) -> Catalogue:
    return Catalogue.open(context.additional_context.get("config_dir"))


def _announce(context: JobContext, what: str) -> None:
    job = context.job
    log.info("job %s attempt %d: %s on worker %s (%s)", job.id, job.attempts + 1, what, context.worker_name, OWNER)


@app.task(name=HARVEST, pass_context=True)
def harvest(
    context: JobContext, museum_id: str, full: bool = False, max_seconds: float | None = None
) -> dict[str, Any]:
    """Harvest one museum; a run a dead worker left resumes from its last committed page."""
    _announce(context, f"harvest museum={museum_id}{' full' if full else ''}")
    with _catalogue(context) as catalogue:
        summaries = catalogue.harvest([museum_id], full=full, max_seconds=max_seconds, workers=1)
    summary = summaries[0]
    log.info("job %s: %s", context.job.id, summary.line())
    if not summary.ok and not summary.held:  # a held run waits for a person: the job did its part
        raise JobFailed(summary.line())
    counts = {"new": summary.new, "updated": summary.updated, "deleted": summary.deleted, "failed": summary.failed}
    return {"museum_id": museum_id, "run_id": summary.run_id, "status": summary.status, "resumed": summary.resumed,
            **counts}  # fmt: skip


@app.task(name=REMAP, pass_context=True)
def remap(context: JobContext, museum_id: str | None = None) -> dict[str, Any]:
    """Map stored raw records again (one museum, or all)."""
    _announce(context, f"remap museum={museum_id or 'all'}")
    with _catalogue(context) as catalogue:
        summary = catalogue.remap(museum_id)
    log.info("job %s: remapped %d records, %d changed, %d failed",
             context.job.id, summary.examined, summary.changed, summary.failed)  # fmt: skip
    return {"museum_id": museum_id, "examined": summary.examined, "changed": summary.changed, "failed": summary.failed}


@app.task(name=REINDEX, pass_context=True)
def reindex(context: JobContext, full: bool = False) -> dict[str, Any]:
    """Send pending changes to the engine, or with ``full`` rebuild the index and swap the alias."""
    _announce(context, f"reindex{' full' if full else ''}")
    with _catalogue(context) as catalogue:
        report = catalogue.reindex(full=full)
    log.info("job %s: %s", context.job.id, report.line())
    return {"line": report.line(), "rejected": len(report.rejected)}


@app.task(name=DUMPS, pass_context=True)
def dumps(context: JobContext, per_museum: bool = False) -> dict[str, Any]:
    """Build the bulk dumps (every format, the whole catalogue, each museum if asked) and the manifest."""
    from aggregator.dumps.build import build_dumps
    from aggregator.parallel import default_workers

    _announce(context, f"dumps{' per museum' if per_museum else ''}")
    with _catalogue(context) as catalogue:
        report = build_dumps(catalogue, per_museum=per_museum, workers=default_workers())
    log.info("job %s: %s", context.job.id, report.line())
    if not report.entries:
        raise JobFailed("no dumps built: the catalogue has no active records")
    return {"files": len(report.entries), "folder": str(report.folder), "skipped": report.skipped}
