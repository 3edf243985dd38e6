"""``emuseum export`` and ``emuseum dumps``: the whole catalogue (or one museum) as downloadable bulk dumps."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path
from typing import Annotated

import typer

from aggregator.catalogue import Catalogue
from aggregator.cli.app import ConfigOption, Failure, app, console
from aggregator.cli.progress import progress_bar
from aggregator.dumps import FORMATS, DumpError, export_dumps, read_manifest
from aggregator.parallel import default_workers
from config.settings import load_settings

__all__ = ["dumps_build", "dumps_list", "export"]

dumps_app = typer.Typer(no_args_is_help=True, help="The nightly bulk dumps: build them, list what is published.")
app.add_typer(dumps_app, name="dumps")

WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", min=1, help="Worker processes rendering records; default: the CPU count."),
]


def _size(n: int) -> str:
    return f"{n / 1024**2:.1f} MiB" if n >= 1024**2 else f"{n / 1024:.1f} KiB"


@app.command()
def export(
    out: Annotated[
        Path | None, typer.Argument(help="The dump file to write; its name ends in .gz (not with --all-formats).")
    ] = None,
    format_name: Annotated[
        str | None, typer.Option("--format", help=f"One of {', '.join(FORMATS)}.", show_default=False)
    ] = None,
    museum: Annotated[str | None, typer.Option(help="Only this museum's records.")] = None,
    all_formats: Annotated[
        bool, typer.Option("--all-formats", help="Build every format into the dumps folder, with the manifest.")
    ] = False,
    per_museum: Annotated[bool, typer.Option("--per-museum", help="With --all-formats: each museum too.")] = False,
    workers: WorkersOption = None,
    config: ConfigOption = None,
) -> None:
    """Write the catalogue's active records (or one museum's) to one gzip dump: lido, jsonld, nt or csv."""
    if all_formats:
        if out is not None or format_name is not None or museum is not None:
            raise Failure("--all-formats builds every format into the dumps folder: give no OUT, --format or --museum")
        dumps_build(per_museum=per_museum, workers=workers, enqueue=False, config=config)
        return
    if format_name is None or out is None:
        raise Failure(f"give --format ({', '.join(FORMATS)}) and the file to write (OUT, ending .gz)")
    if format_name not in FORMATS:
        raise Failure(f"unknown format {format_name!r}; use one of {', '.join(FORMATS)}")
    from aggregator.dumps.build import published_segments

    with Catalogue.open(config) as catalogue:
        if museum and catalogue.museum(museum) is None:
            raise Failure(catalogue.settings.registry.unknown([museum]))
        published = published_segments(catalogue.settings.dumps_dir, [format_name])
        with closing(published), progress_bar(f"exporting {format_name}") as on_progress:
            try:
                (result,) = export_dumps(
                    catalogue.db,
                    {format_name: out},
                    museum_id=museum,
                    base_uri=catalogue.settings.base_uri,
                    regions=catalogue.regions(),
                    workers=workers or default_workers(),
                    on_progress=on_progress,
                    library=published,
                )
            except DumpError as exc:
                raise Failure(str(exc)) from None
    copied = f" ({result.copied} copied from the published dump)" if result.copied else ""
    console.print(
        f"{result.path}: {result.records} records{copied}, {_size(result.bytes)}, sha256 {result.sha256}",
        highlight=False,
    )
    if result.skipped:
        console.print(f"  {len(result.skipped)} record(s) left out (see the log), e.g. "
                      f"{result.skipped[0][0]}: {result.skipped[0][1]}", markup=False, highlight=False)  # fmt: skip


@dumps_app.command("build")
def dumps_build(
    per_museum: Annotated[
        bool, typer.Option("--per-museum", help="Each museum's dumps too, not only the whole catalogue.")
    ] = False,
    workers: WorkersOption = None,
    enqueue: Annotated[bool, typer.Option("--enqueue", help="Put it on the queue for `emuseum worker`.")] = False,
    config: ConfigOption = None,
) -> None:
    """Build every format of the whole catalogue into the dumps folder (EMUSEUM_DUMPS_DIR) with its manifest."""
    if enqueue:
        from aggregator.jobs import require_queue

        settings = load_settings(config)
        require_queue(settings.database_url, "--enqueue")
        from aggregator.jobs.enqueue import enqueue_dumps

        console.print(enqueue_dumps(settings.database_url, per_museum=per_museum).line(), markup=False,
                      highlight=False)  # fmt: skip
        return
    from aggregator.dumps.build import build_dumps

    with Catalogue.open(config) as catalogue, progress_bar("building dumps") as on_progress:
        try:
            report = build_dumps(
                catalogue, per_museum=per_museum, workers=workers or default_workers(), on_progress=on_progress
            )
        except DumpError as exc:
            raise Failure(str(exc)) from None
    if not report.entries:
        raise Failure(f"no dumps built: the catalogue has no active records (dumps folder {report.folder})")
    console.print(report.line(), markup=False, highlight=False)
    if report.skipped:
        console.print(f"  {report.skipped} record(s) left out of some format; the log names them", highlight=False)


@dumps_app.command("list")
def dumps_list(config: ConfigOption = None) -> None:
    """The published dumps (the manifest of the dumps folder), one line each."""
    settings = load_settings(config)
    manifest = read_manifest(settings.dumps_dir)
    if not manifest.dumps:
        console.print(f"no dumps in {settings.dumps_dir}; build them with `emuseum dumps build`", highlight=False)
        return
    for entry in manifest.dumps:  # one line per file, whole in a pipe too (a table would be cut at 80 columns)
        console.print(f"{entry.file}  {entry.format}  {entry.museum or 'all'}  {entry.records} records  "
                      f"{_size(entry.bytes)}  {entry.created}  sha256 {entry.sha256}", markup=False,
                      highlight=False)  # fmt: skip
