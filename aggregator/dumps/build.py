"""The nightly build: every format of the whole catalogue (and, if asked, of each museum) plus the manifest.

Files carry the build's time in their names
(``emuseum-all-20261130T0230Z.nt.gz``), so a rebuild never rewrites a file
someone is downloading; the new manifest replaces the old one atomically and
only then are the files of earlier builds removed (an open download keeps
reading its file).  One build runs at a time per folder (a lock file), so the
scheduler and a queued job cannot interleave.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from aggregator.catalogue import Catalogue
from aggregator.dumps.formats import FORMATS
from aggregator.dumps.manifest import MANIFEST_NAME, DumpEntry, Manifest, read_manifest, write_manifest
from aggregator.dumps.segments import SegmentLibrary, index_path
from aggregator.dumps.writer import DumpError, DumpResult, export_dumps
from aggregator.parallel import ProgressCallback
from aggregator.store.records import RecordStore

__all__ = ["BuildReport", "build_dumps", "dump_name", "published_segments"]

log = logging.getLogger("emuseum.dumps")

_PREFIX = "emuseum-"
_LOCK = ".build.lock"


@dataclass(slots=True)
class BuildReport:
    folder: Path
    entries: list[DumpEntry] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: int = 0  # records left out of some format (named in the log)
    copied: int = 0  # record renderings copied from earlier dumps (over all files)
    rendered: int = 0  # record renderings made anew

    def line(self) -> str:
        records = next((e.records for e in self.entries if e.museum is None), 0)
        size = sum(e.bytes for e in self.entries)
        return (f"dumps: {len(self.entries)} file(s), {records} records in the whole-catalogue dumps, "
                f"{size / 1024**2:.1f} MiB, in {self.folder}; {self.rendered} record renderings made, "
                f"{self.copied} copied from dumps already written")  # fmt: skip


def dump_name(scope: str, format_name: str, stamp: str) -> str:
    """``emuseum-<all|museum id>-<stamp>.<suffix>.gz``."""
    return f"{_PREFIX}{scope}-{stamp}.{FORMATS[format_name].suffix}.gz"


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    with open(folder / _LOCK, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DumpError(f"a dump build is already running in {folder}; wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _entry(result: DumpResult) -> DumpEntry:
    spec = FORMATS[result.format]
    return DumpEntry(
        file=result.path.name,
        format=result.format,
        museum=result.museum_id,
        records=result.records,
        bytes=result.bytes,
        sha256=result.sha256,
        created=result.created,
        media_type=spec.inner_type,
        description=spec.description,
        state=result.state,
    )


def _prepare(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DumpError(f"cannot create the dumps folder {folder} ({exc.strerror}); set EMUSEUM_DUMPS_DIR") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DumpError(f"cannot write in the dumps folder {folder}; set EMUSEUM_DUMPS_DIR")


def _clean(folder: Path, keep: set[str]) -> list[str]:
    """Files of earlier builds, their segment indexes, and leftovers of interrupted builds.

    We hold the lock, so none is being written; a download still reading an
    old file keeps it open and reads on.
    """
    removed = []
    indexes = {index_path(folder / name).name for name in keep}
    for path in folder.iterdir():
        name = path.name
        ours = name.startswith(_PREFIX) and name.endswith(".gz")
        leftover = name.startswith(f".{_PREFIX}") or name.startswith(f".{MANIFEST_NAME}.")
        index = name.startswith(f".{_PREFIX}") and name.endswith(".segments")
        if (ours and name not in keep) or (leftover and name.endswith(".part")) or (index and name not in indexes):
            path.unlink(missing_ok=True)
            if not index:
                removed.append(name)
    return removed


def published_segments(folder: Path, formats: list[str]) -> SegmentLibrary:
    """The published whole-catalogue dumps, whose unchanged segments a new dump copies instead of rendering."""
    library = SegmentLibrary()
    for entry in read_manifest(folder).dumps:
        if entry.museum is None and entry.format in formats:
            library.add(entry.format, folder / entry.file)
    return library


def build_dumps(
    catalogue: Catalogue,
    *,
    per_museum: bool = False,
    formats: list[str] | None = None,
    workers: int = 1,
    on_progress: ProgressCallback | None = None,
    folder: Path | None = None,
) -> BuildReport:
    """Write every format for the whole catalogue (and each museum with records), then the manifest."""
    folder = folder or catalogue.settings.dumps_dir
    _prepare(folder)
    chosen = formats or list(FORMATS)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    regions = catalogue.regions()
    report = BuildReport(folder)
    with _locked(folder), closing(published_segments(folder, chosen)) as earlier:
        scopes: list[str | None] = [None]
        if per_museum:
            with catalogue.db.session() as session:
                counts = RecordStore(session).counts_by_museum()
            scopes += sorted(m for m, c in counts.items() if c["active"] > 0)
        for scope in scopes:
            targets = {name: folder / dump_name(scope or "all", name, stamp) for name in chosen}
            try:
                results = export_dumps(
                    catalogue.db,
                    targets,
                    museum_id=scope,
                    base_uri=catalogue.settings.base_uri,
                    regions=regions,
                    workers=workers,
                    on_progress=on_progress if scope is None else None,
                    library=earlier,
                    indexed=scope is None,  # what the next build copies from
                )
            except DumpError as exc:
                if scope is None:
                    log.warning("dumps: %s; no dumps built", exc)
                    break
                log.warning("dumps: %s; skipped", exc)
                continue
            if scope is None:  # each museum's dumps copy their segments from the catalogue's just written
                earlier.close()
                for result in results:
                    earlier.add(result.format, result.path)
            report.entries.extend(_entry(result) for result in results)
            report.skipped += sum(len(result.skipped) for result in results)
            report.copied += sum(result.copied for result in results)
            report.rendered += sum(result.rendered for result in results)
        generated = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        if report.entries or not read_manifest(folder).dumps:
            write_manifest(folder, Manifest(generated, report.entries))
            report.removed = _clean(folder, {entry.file for entry in report.entries})
    log.info("%s", report.line())
    return report
