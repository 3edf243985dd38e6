"""``emuseum``: the command line of the national catalogue.

Every command exits 0 on success and non-zero with one line saying why
otherwise, so the ministry's cron and CI can rely on it.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import click
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from aggregator.catalogue import Catalogue
from aggregator.harvest_pool import default_workers
from aggregator.held_runs import RunDecisionError
from aggregator.index.errors import IndexUnavailable
from aggregator.index.query import QueryError, SearchQuery, parse_filters
from aggregator.store.errors import StoreUnavailable
from aggregator.web.concept_labels import resolve_filter
from aggregator.web.results import facet_label
from config.errors import ConfigError
from config.regions import REGIONS
from harvester.errors import HarvestError

__all__ = ["app", "main"]

# No rich tracebacks: a usage error is one line (main() prints it), a bug keeps Python's plain one.
app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__, pretty_exceptions_enable=False)
console = Console(soft_wrap=True)  # one record, one line: never wrapped in the middle of an id or a path
err = Console(stderr=True, soft_wrap=True)

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="Folder with museums.yaml (and schedules.yaml); or EMUSEUM_CONFIG."),
]


class Failure(Exception):
    """A command that cannot do what was asked; its message is the one line the user sees."""


def _progress_callback(progress: Progress | None):  # type: ignore[no-untyped-def]
    tasks: dict[str, object] = {}
    log = logging.getLogger("emuseum.progress")

    def on_page(museum_id: str, pages: int, records: int) -> None:
        if progress is None:
            log.info("museum=%s pages=%d records=%d", museum_id, pages, records)
            return
        if museum_id not in tasks:
            tasks[museum_id] = progress.add_task(museum_id, total=None)
        progress.update(tasks[museum_id], description=f"{museum_id}: {records} records, {pages} pages")  # type: ignore[arg-type]

    return on_page


@app.command()
def harvest(
    museum_ids: Annotated[list[str] | None, typer.Argument(help="Museum ids to harvest.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Harvest every enabled museum.")] = False,
    full: Annotated[bool, typer.Option("--full", help="Full re-harvest instead of incremental.")] = False,
    max_seconds: Annotated[
        float | None,
        typer.Option("--max-seconds", min=1, help="Stop each museum's run after this long (it resumes next time)."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="Museums harvested at once (processes); default: the CPU count."),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Harvest museums (incremental once a museum has a successful run)."""
    if not museum_ids and not all_:
        raise Failure("name one or more museum ids, or use --all")
    # A progress bar on a terminal; a log line per page for cron.
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console)
    with Catalogue.open(config) as catalogue, progress if console.is_terminal else nullcontext():
        summaries = catalogue.harvest(
            museum_ids or None,
            full=full,
            on_page=_progress_callback(progress if console.is_terminal else None),
            max_seconds=max_seconds,
            workers=workers or default_workers(),
        )
    for summary in summaries:
        console.print(summary.line(), markup=False, highlight=False)
        for note in summary.notes[:10]:
            console.print(f"  note: {note}", markup=False, highlight=False)
    failed = [s for s in summaries if not s.ok and not s.held]  # a held run waits for a person: not a failure
    if failed:
        raise Failure(
            f"{len(failed)} of {len(summaries)} harvests failed: "
            + "; ".join(f"{s.museum_id}: {s.error}" for s in failed)
        )


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    config: ConfigOption = None,
) -> None:
    """Per museum: active and deleted records and the last harvest run."""
    with Catalogue.open(config) as catalogue:
        statuses = catalogue.status()
    if as_json:
        print(json.dumps([s.to_json() for s in statuses], ensure_ascii=False, indent=2))
        return
    table = Table("museum", "region", "source", "active", "deleted", "quarantined", "last run")
    for s in statuses:
        run = s.last_run
        last = (
            "never"
            if run is None
            else f"{run['status']} {run['mode']} {(run['finished_at'] or run['started_at'] or '')[:19]}"
        )
        if run and run.get("error"):
            last += f" - {run['error']}"
        table.add_row(s.museum_id, s.region, s.source, str(s.active), str(s.deleted), str(s.quarantined), last)
    console.print(table)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Free text, in any script (kk, ru, en).")] = "",
    filters: Annotated[list[str] | None, typer.Option("--filter", help="NAME=VALUE, e.g. region=KZ-75.")] = None,
    facets: Annotated[list[str] | None, typer.Option("--facet", help="Facet to count, e.g. material.")] = None,
    date_from: Annotated[int | None, typer.Option("--from", help="Year (negative for BCE).")] = None,
    date_to: Annotated[int | None, typer.Option("--to", help="Year (negative for BCE).")] = None,
    sort: Annotated[str, typer.Option(help="relevance, title, date or -date.")] = "relevance",
    page: int = 1,
    size: int = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    config: ConfigOption = None,
) -> None:
    """Search the union catalogue."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise Failure(f"--from ({date_from}) is after --to ({date_to}); swap them")
    try:
        q = SearchQuery(
            text=query,
            filters=parse_filters(filters or []),
            facets=facets or [],
            date_from=date_from,
            date_to=date_to,
            sort=sort,
            page=page,
            size=size,
        )
    except ValidationError as exc:
        raise Failure("; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())) from None
    with Catalogue.open(config) as catalogue:
        for warning in _filter_warnings(catalogue, q.filters):
            err.print(f"warning: {warning}", markup=False, highlight=False)
        result = catalogue.search(q)
        registry = catalogue.settings.registry
    if as_json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    console.print(f"{result.total} records", highlight=False)
    for hit in result.hits:
        extra = f" ({hit.date_display})" if hit.date_display else ""
        console.print(f"  {hit.id}  {hit.title}{extra}", markup=False, highlight=False)
    for name, values in result.facets.items():
        shown = ", ".join(f"{facet_label(registry, name, v.value, 'en')} ({v.count})" for v in values[:12])
        console.print(f"  [{name}] {shown}", markup=False, highlight=False)


def _filter_warnings(catalogue: Catalogue, filters: dict[str, list[str]]) -> list[str]:
    """Filter values that name nothing the catalogue knows (the search still runs, and finds nothing)."""
    warnings = []
    for name, values in filters.items():
        for value in values:
            if name == "museum" and catalogue.museum(value) is None:
                warnings.append(f"no museum has the id {value!r} (see emuseum status)")
            elif name == "region" and value not in REGIONS:
                warnings.append(f"{value!r} is not an ISO 3166-2:KZ region code (e.g. KZ-75)")
            elif name == "century" and not value.lstrip("-").isdigit():
                warnings.append(f"century {value!r} is not a number (19, or -5 for the 5th century BCE)")
            elif not resolve_filter(name, value)[1]:
                warnings.append(f"{name} {value!r} is not in the vocabulary; matched as a museum's own term")
    return warnings


@app.command("map")
def map_file(
    file: Annotated[
        Path,
        typer.Argument(help="A LIDO/oai_dc XML file or a CSV export.", exists=True, dir_okay=False),
    ],
    fmt: Annotated[str, typer.Option("--format", help="lido, oai_dc or csv:PROFILE.")] = "lido",
    to: Annotated[str, typer.Option("--to", help="json, lido, jsonld or turtle.")] = "json",
    museum: Annotated[str, typer.Option(help="Museum id to stamp on the preview.")] = "preview",
) -> None:
    """Preview how a file maps to core records (for museums checking their export)."""
    from aggregator.preview import preview_file

    try:
        output, problems = preview_file(file, fmt, to, museum)
    except ValueError as exc:
        raise Failure(str(exc)) from None
    sys.stdout.write(output)
    if not output.endswith("\n"):
        sys.stdout.write("\n")
    for line in problems:
        err.print(line, markup=False, highlight=False)


@app.command()
def remap(
    museum: Annotated[str | None, typer.Option(help="Only this museum.")] = None,
    config: ConfigOption = None,
) -> None:
    """Re-map stored raw records after a mapping change (no re-harvest)."""
    with Catalogue.open(config) as catalogue:
        summary = catalogue.remap(museum)
    console.print(
        f"remapped {summary.examined} records: {summary.changed} changed, "
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
    config: ConfigOption = None,
) -> None:
    """Bring the search index up to date with the store (pending changes, or all with --full)."""
    from aggregator.index.errors import DocumentsRejected, IndexUnavailable

    with Catalogue.open(config) as catalogue:
        try:
            report = catalogue.reindex(full=full)
        except (IndexUnavailable, DocumentsRejected) as exc:
            raise Failure(str(exc)) from None
    console.print(report.line(), markup=False, highlight=False)
    for record_id, reason in list(report.rejected.items())[:20]:
        console.print(f"  rejected: {record_id}: {reason}", markup=False, highlight=False)


runs_app = typer.Typer(no_args_is_help=False, help="Harvest runs: history, and decisions on held runs.")
app.add_typer(runs_app, name="runs")


@runs_app.callback(invoke_without_command=True)
def runs_list(
    ctx: typer.Context,
    museum: Annotated[str | None, typer.Option(help="Only this museum.")] = None,
    limit: Annotated[int, typer.Option(help="How many of the newest runs.")] = 20,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    config: ConfigOption = None,
) -> None:
    """The newest harvest runs (held ones say why); see also runs show / approve / reject."""
    if ctx.invoked_subcommand is not None:
        return
    with Catalogue.open(config) as catalogue:
        runs = catalogue.runs(museum, limit=limit)
    if as_json:
        print(json.dumps(runs, ensure_ascii=False, indent=2))
        return
    table = Table("run", "museum", "mode", "status", "started", "new", "updated", "deleted", "failed", "why")
    for run in runs:
        why = run.get("held_reason") or run.get("error") or ""
        table.add_row(str(run["id"]), run["museum_id"], run["mode"], run["status"], (run["started_at"] or "")[:19],
                      str(run["new"]), str(run["updated"]), str(run["deleted"]), str(run["failed"]), why)  # fmt: skip
    console.print(table)


@runs_app.command("show")
def runs_show(
    run_id: Annotated[int, typer.Argument(help="The run's number.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    config: ConfigOption = None,
) -> None:
    """Everything a run recorded: counts, timings, the endpoint's behaviour, why it was held."""
    with Catalogue.open(config) as catalogue:
        run = catalogue.run(run_id)
    if run is None:
        raise Failure(f"there is no harvest run {run_id}")
    if as_json:
        print(json.dumps(run, ensure_ascii=False, indent=2))
        return
    for key, value in run.items():
        if value not in (None, [], {}):
            console.print(f"{key}: {value}", markup=False, highlight=False)


def _operator() -> str:
    return os.environ.get("EMUSEUM_OPERATOR") or getpass.getuser()


@runs_app.command("approve")
def runs_approve(run_id: Annotated[int, typer.Argument(help="The held run.")], config: ConfigOption = None) -> None:
    """Apply a held run: its changes reach the store and the index."""
    with Catalogue.open(config) as catalogue:
        applied = catalogue.approve_run(run_id, by=_operator())
    console.print(
        f"run {run_id} applied: {applied.upserted} records written, {applied.deleted} deleted at source, "
        f"{applied.swept} absent from the listing removed",
        highlight=False,
    )


@runs_app.command("reject")
def runs_reject(run_id: Annotated[int, typer.Argument(help="The held run.")], config: ConfigOption = None) -> None:
    """Discard a held run: nothing of it reaches the catalogue; the next harvest starts afresh."""
    with Catalogue.open(config) as catalogue:
        dropped = catalogue.reject_run(run_id, by=_operator())
    console.print(f"run {run_id} rejected: {dropped} staged changes discarded", highlight=False)


@app.command()
def quality(
    museum: Annotated[str | None, typer.Option(help="Only this museum.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    config: ConfigOption = None,
) -> None:
    """Per-museum quality: mean score, tiers, what is most often missing, over-used titles."""
    with Catalogue.open(config) as catalogue:
        if museum and catalogue.museum(museum) is None:
            raise Failure(f"unknown museum id {museum!r}; known: {', '.join(catalogue.settings.registry.ids())}")
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


@app.command()
def schedule(config: ConfigOption = None) -> None:
    """Run the harvest schedule from schedules.yaml until interrupted."""
    from harvester.schedule import build_scheduler

    with Catalogue.open(config) as catalogue:

        def run(ids: list[str], full: bool) -> None:
            for summary in catalogue.harvest(ids, full=full):
                logging.getLogger("emuseum.schedule").info(summary.line())

        scheduler = build_scheduler(catalogue.settings.schedule, catalogue.settings.registry, run)
        if not scheduler.get_jobs():
            raise Failure("schedules.yaml has no jobs")
        try:
            scheduler.start()
        except KeyboardInterrupt:
            pass


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    config: ConfigOption = None,
) -> None:
    """Serve the search API, the search page and OAI-PMH out until interrupted."""
    from aggregator.web.server import serve as run_server

    with Catalogue.open(config) as catalogue:
        try:
            run_server(catalogue, host=host, port=port, console=console)
        except OSError as exc:
            raise Failure(str(exc)) from None


def _is_usage_error(exc: BaseException) -> bool:
    """click's and typer's (vendored click) usage errors: they carry a message and an exit code."""
    if isinstance(exc, click.ClickException):
        return True
    return type(exc).__name__ in ("UsageError", "BadParameter", "NoSuchOption", "MissingParameter",
                                  "BadOptionUsage", "BadArgumentUsage", "ClickException", "FileError")  # fmt: skip


def _usage_line(exc: BaseException) -> str:
    """``error: <what> (see emuseum search --help)``: one line, whatever click would have printed."""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    context = getattr(exc, "ctx", None)
    command = getattr(context, "command_path", None) or "emuseum"
    return f"error: {' '.join(str(message).split())} (see {command} --help)"


def main() -> None:
    logging.basicConfig(
        level=logging.INFO if not sys.stderr.isatty() else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    try:
        code = app(standalone_mode=False)
    except (click.Abort, KeyboardInterrupt):
        err.print("error: interrupted")
        sys.exit(130)
    except (
        Failure, ConfigError, HarvestError, QueryError, IndexUnavailable, StoreUnavailable, RunDecisionError
    ) as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        sys.exit(1)
    except Exception as exc:
        if not _is_usage_error(exc):
            raise
        err.print(_usage_line(exc), markup=False, highlight=False)
        sys.exit(int(getattr(exc, "exit_code", 2)))
    sys.exit(code if isinstance(code, int) else 0)
