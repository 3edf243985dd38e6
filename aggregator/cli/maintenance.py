"""``emuseum remap``, ``reindex`` and ``quality``: keeping the store and the index right after changes."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from aggregator.catalogue import Catalogue
from aggregator.cli.app import ConfigOption, Failure, app, console
from aggregator.cli.progress import progress_bar
from aggregator.index.errors import DocumentsRejected, IndexUnavailable
from aggregator.parallel import default_workers
from config.settings import load_settings

__all__ = ["quality", "reindex", "remap"]


WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", min=1, help="Worker processes sharing the work; default: the CPU count."),
]


@app.command()
def remap(
    museum: Annotated[str | None, typer.Option(help="Only this museum.")] = None,
    workers: WorkersOption = None,
    enqueue: Annotated[bool, typer.Option("--enqueue", help="Put it on the queue for `emuseum worker`.")] = False,
    config: ConfigOption = None,
) -> None:
    """Re-map stored raw records after a mapping change (no re-harvest), in worker processes."""
    if enqueue:
        _enqueue("remap", config, museum_id=museum)
        return
    with Catalogue.open(config) as catalogue, progress_bar("remapping") as on_progress:
        summary = catalogue.remap(museum, workers=workers or default_workers(), on_progress=on_progress)
    console.print(
        f"remapped {summary.examined} records with {summary.workers} worker(s): {summary.changed} changed, "
        f"{summary.unchanged} unchanged, {summary.failed} failed",
        highlight=False,
    )
    for name, n in summary.changed_fields.most_common():
        console.print(f"  {name}: {n} records", highlight=False)
    for failure in summary.failures[:20]:
        console.print(f"  failed: {failure}", markup=False, highlight=False)
    for note in summary.notes:
        console.print(f"  note: {note}", markup=False, highlight=False)


@app.command()
def reindex(
    full: Annotated[
        bool, typer.Option("--full", help="Rebuild the whole index from the store and swap it in atomically.")
    ] = False,
    workers: WorkersOption = None,
    enqueue: Annotated[bool, typer.Option("--enqueue", help="Put it on the queue for `emuseum worker`.")] = False,
    config: ConfigOption = None,
) -> None:
    """Bring the search index up to date with the store (pending changes, or all with --full)."""
    if enqueue:
        _enqueue("reindex", config, full=full)
        return
    with Catalogue.open(config) as catalogue, progress_bar("reindexing") as on_progress:
        try:
            report = catalogue.reindex(full=full, workers=workers or default_workers(), on_progress=on_progress)
        except (IndexUnavailable, DocumentsRejected) as exc:
            raise Failure(str(exc)) from None
    console.print(report.line(), markup=False, highlight=False)
    for record_id, reason in list(report.rejected.items())[:20]:
        console.print(f"  rejected: {record_id}: {reason}", markup=False, highlight=False)


def _enqueue(task: str, config: ConfigOption, *, museum_id: str | None = None, full: bool = False) -> None:
    """Put a remap or a reindex on the job queue (PostgreSQL store) instead of running it here."""
    from aggregator.jobs import require_queue

    settings = load_settings(config)
    require_queue(settings.database_url, "--enqueue")
    from aggregator.jobs.enqueue import enqueue_reindex, enqueue_remap

    with Catalogue.open(config) as catalogue:  # validates the museum, and migrates a fresh store
        if museum_id and catalogue.museum(museum_id) is None:
            raise Failure(catalogue.settings.registry.unknown([museum_id]))
    queued = (
        enqueue_remap(settings.database_url, museum_id)
        if task == "remap"
        else enqueue_reindex(settings.database_url, full=full)
    )
    console.print(queued.line(), markup=False, highlight=False)


@app.command()
def quality(
    museum: Annotated[str | None, typer.Option(help="Only this museum.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    config: ConfigOption = None,
) -> None:
    """Per-museum quality: mean score, tiers, what is most often missing, over-used titles."""
    with Catalogue.open(config) as catalogue:
        if museum and catalogue.museum(museum) is None:
            raise Failure(catalogue.settings.registry.unknown([museum]))
        summaries = catalogue.quality(museum)
    if as_json:
        print(json.dumps([s.to_json() for s in summaries], ensure_ascii=False, indent=2))
        return
    table = Table("museum", "records", "mean", "tiers A/B/C/0", "most frequent findings", "over-used titles")
    for s in summaries:
        findings = ", ".join(f"{k} {v}" for k, v in sorted(s.findings.items(), key=lambda kv: -kv[1])[:3])
        duplicates = ", ".join(f"{t} ({n})" for t, n in s.duplicate_titles[:2])
        tiers = "/".join(str(s.tiers.get(t, 0)) for t in ("A", "B", "C", "0"))
        table.add_row(s.museum_id, str(s.records), str(s.mean_score), tiers, findings, duplicates)
    console.print(table)
