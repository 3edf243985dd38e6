"""``emuseum publish`` and ``emuseum profile suggest``: an OAI-PMH endpoint for a museum that has only a spreadsheet."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import typer
import uvicorn
from fastapi import FastAPI

from aggregator.cli.app import Failure, app, console
from aggregator.oai_pmh import OaiRepository, oai_router
from aggregator.publish import Changes, ExportSource, ExportWatcher, Publication, museum_id_for, state_path_for

__all__ = ["publish"]

DEFAULT_NAMESPACE = "emuseum.local"


def _namespace(base_url: str | None) -> str:
    """The oai-identifier namespace: the public host name when there is one, else a local name."""
    host = (urlsplit(base_url).hostname or "") if base_url else ""
    try:
        ipaddress.ip_address(host)
        return DEFAULT_NAMESPACE
    except ValueError:
        return host if "." in host and host[0].isalpha() else DEFAULT_NAMESPACE


def _say(text: str) -> None:
    print(text, flush=True)  # one line at a time, also through a pipe (the caller may wait for the URL)


def _report(changes: Changes | None, failure: str | None, export: Path) -> None:
    if changes is None:
        _say(f"{export.name}: not reloaded, the published version stays: {failure}")
        return
    _say(f"{export.name}: reloaded: {changes.line()}")
    for note in changes.notes[:20]:
        _say(f"  note: {note}")


@app.command()
def publish(
    export: Annotated[Path, typer.Argument(help="The museum's export: a CSV file or an Excel workbook (.xlsx).")],
    profile: Annotated[str, typer.Option("--profile", help="Column profile: a shipped name or a YAML path.")],
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 8080,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Public OAI-PMH address behind a proxy (baseURL).")
    ] = None,
    watch: Annotated[bool, typer.Option("--watch", help="Pick up a replaced export without a restart.")] = False,
    state: Annotated[
        Path | None, typer.Option("--state", help="Folder for the datestamp state (default: beside the export).")
    ] = None,
    museum: Annotated[str | None, typer.Option("--museum", help="Museum id used in record ids and templates.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Repository name (default: the file's name).")] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Worksheet of an .xlsx (default: the first).")] = None,
    page_size: Annotated[int, typer.Option("--page-size", min=1, help="Records per ListRecords page.")] = 100,
    interval: Annotated[float, typer.Option("--interval", min=0.1, help="Seconds between looks at the file.")] = 2.0,
) -> None:
    """Serve a museum's CSV or Excel export as an OAI-PMH 2.0 endpoint (LIDO and oai_dc) until interrupted."""
    from aggregator.web.server import bind_socket

    if not export.is_file():
        raise Failure(f"{export}: no such file; name the museum's CSV or .xlsx export")
    namespace = _namespace(base_url)
    publication = Publication(
        export=export.resolve(),
        profile=profile,
        state_path=state_path_for(export.resolve(), state.resolve() if state else None),
        museum_id=museum or museum_id_for(export),
        name=name or export.stem,
        namespace=namespace,
        admin_email=os.environ.get("EMUSEUM_ADMIN_EMAIL") or f"admin@{namespace}",
        sheet=sheet,
    )
    source = ExportSource(publication)
    try:
        changes = source.reload()
    except ValueError as exc:
        raise Failure(str(exc)) from None
    application = FastAPI(title=f"{publication.name} (OAI-PMH)", docs_url=None, redoc_url=None, openapi_url=None)
    application.include_router(oai_router(OaiRepository(source, page_size=page_size), base_url=base_url))
    try:
        sock = bind_socket(host, port)
    except OSError as exc:
        raise Failure(str(exc)) from None
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{sock.getsockname()[1]}/oai"
    snapshot = source.snapshot
    _say(
        f"publishing {export.name} as OAI-PMH at {url} ({snapshot.live} records, {snapshot.deleted} deleted, "
        f"{len(snapshot.sets)} sets; {changes.line()}); state in {publication.state_path}; Ctrl+C stops"
    )
    for note in changes.notes[:20]:
        _say(f"  note: {note}")
    watcher = ExportWatcher(source, interval=interval, on_reload=lambda c, f: _report(c, f, export)) if watch else None
    server = uvicorn.Server(uvicorn.Config(application, log_level="warning", access_log=False))
    try:
        if watcher is not None:
            watcher.start()
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        if watcher is not None:
            watcher.stop()
        sock.close()
    console.print("publisher stopped", markup=False, highlight=False)


profile_app = typer.Typer(no_args_is_help=True, help="Column profiles for spreadsheet exports.")
app.add_typer(profile_app, name="profile")


@profile_app.command("suggest")
def profile_suggest(
    export: Annotated[Path, typer.Argument(help="The museum's export: a CSV file or an Excel workbook (.xlsx).")],
    name: Annotated[str | None, typer.Option("--name", help="The profile's name (default: the file's).")] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Worksheet of an .xlsx (default: the first).")] = None,
) -> None:
    """Propose a column profile (YAML on stdout) from the export's header row, in kk / ru / en column names."""
    from harvester.errors import HarvestError
    from harvester.export_header import export_headers
    from mappings.csv_profiles.suggest import suggest_profile

    try:
        data = export.read_bytes()
    except OSError as exc:
        raise Failure(f"{export}: cannot read: {exc.strerror or exc}") from None
    try:
        headers = export_headers(data, xlsx=export.suffix.lower() in (".xlsx", ".xlsm"), sheet=sheet)
    except (HarvestError, UnicodeDecodeError) as exc:
        raise Failure(f"{export}: {getattr(exc, 'message', exc)}") from None
    if not headers:
        raise Failure(f"{export}: the export is empty; a header row is needed")
    try:
        suggestion = suggest_profile(headers, name or museum_id_for(export))
    except ValueError as exc:
        raise Failure(f"{export}: {exc}") from None
    print(suggestion.to_yaml(), end="")
    for header, target in suggestion.matched.items():  # the reading, on stderr: stdout stays a YAML file
        typer.echo(f"{header!r} -> {target}", err=True)
    for header in suggestion.unmatched:
        typer.echo(f"{header!r} -> not mapped", err=True)
