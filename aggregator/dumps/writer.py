"""Writing dumps: the store read once, in id order, rendered in worker processes, each format to its gzip file.

One pass over the store feeds every format asked for (the nightly build
writes four files from one read).  Records are cut into segments
(``segments``); a segment an earlier dump already holds is copied from it,
the others are rendered and compressed, by worker processes when there is
enough to render, and everything is written in the order read, so the output
is the same with one worker or many, copied or rendered.  Each file is written
under a temporary name in its own folder and renamed into place only when
complete (``os.replace`` is atomic within a file system): a reader never
sees a half-written dump, and a failed export leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from aggregator.dumps.formats import FORMATS, Rendered, footer_member, header_member, render_segments
from aggregator.dumps.segments import (
    SEGMENT_SPAN,
    IndexEntry,
    Piece,
    Segment,
    SegmentLibrary,
    cut_segments,
    index_path,
    render_fingerprint,
    write_index,
)
from aggregator.parallel import ProgressCallback, spawn_context
from aggregator.store.database import Database
from aggregator.store.dump_rows import iter_document_batches
from aggregator.store.stored_document import StoredDocument

__all__ = ["BATCH_SIZE", "DumpError", "DumpResult", "check_target", "export_dumps"]

log = logging.getLogger("emuseum.dumps")

BATCH_SIZE = 500
_QUEUED = 16  # units held in order at most (copied ones keep no text, rendered ones at most ~BATCH_SIZE records)


class DumpError(Exception):
    """A dump that cannot be written as asked (bad name, unwritable folder, nothing to export)."""


@dataclass(slots=True)
class DumpResult:
    path: Path
    format: str
    museum_id: str | None
    records: int
    bytes: int
    sha256: str
    created: str  # ISO 8601 UTC, when the file was complete
    state: dict[str, Any] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (record id, reason), the first 100
    copied: int = 0  # records whose bytes were copied from an earlier dump, not rendered
    rendered: int = 0  # records rendered for this dump


@dataclass(slots=True)
class _Target:
    format: str
    path: Path
    handle: IO[bytes]
    temp: Path
    digest: Any = field(default_factory=hashlib.sha256)
    size: int = 0
    records: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)

    index: list[tuple[str, IndexEntry]] = field(default_factory=list)
    copied: int = 0
    rendered: int = 0

    def write(self, data: bytes) -> None:
        if data:
            self.handle.write(data)
            self.digest.update(data)
            self.size += len(data)

    def add(self, segment: Segment, piece: Piece | None, rendered: Rendered | None) -> None:
        """Append one segment's member, copied from an earlier dump or freshly rendered, and index it."""
        if piece is not None:
            data, written, skipped = piece.read(), piece.entry.written, piece.entry.skipped
            self.copied += segment.records
        else:
            assert rendered is not None, "a segment not found in earlier dumps is rendered"
            data, written = rendered.members[self.format], rendered.written[self.format]
            skipped = tuple((record, reason) for name, record, reason in rendered.skipped if name == self.format)
            self.rendered += segment.records
        for record_id, reason in skipped:
            log.warning("dump format=%s record=%s left out: %s", self.format, record_id, reason)
            if len(self.skipped) < 100:
                self.skipped.append((record_id, reason))
        self.index.append((segment.key, IndexEntry(self.size, len(data), written, skipped)))
        self.records += written
        self.write(data)


def check_target(path: Path, format_name: str) -> None:
    """Refuse, in one line, what cannot work: an unknown format, a name not ending .gz, a folder we cannot write."""
    if format_name not in FORMATS:
        raise DumpError(f"unknown dump format {format_name!r}; use one of {', '.join(FORMATS)}")
    if not path.name.endswith(".gz") or path.name == ".gz":
        raise DumpError(f"{path}: a dump is gzip-compressed; give a file name ending in .gz")
    folder = path.parent
    if not folder.is_dir():
        raise DumpError(f"{path}: the folder {folder} does not exist; create it or choose another")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DumpError(f"{path}: cannot write in {folder}; choose a folder you may write to")
    if path.is_dir():
        raise DumpError(f"{path} is a folder; give a file name ending in .gz")


def _open_target(format_name: str, path: Path) -> _Target:
    try:
        handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False)
    except OSError as exc:
        raise DumpError(f"{path}: cannot write in {path.parent} ({exc.strerror})") from None
    return _Target(format_name, path, handle, Path(handle.name))


@dataclass(slots=True)
class _Unit:
    """Consecutive segments handed out together: what is copied, what is rendered (here or by a worker)."""

    segments: list[Segment] = field(default_factory=list)
    found: list[dict[str, Piece]] = field(default_factory=list)  # per segment: format -> earlier member
    jobs: list[tuple[list[StoredDocument], list[str]]] = field(default_factory=list)
    to_render: int = 0
    rendered: Future[list[Rendered]] | list[Rendered] | None = None
    formats: int = 0

    def results(self) -> Iterator[tuple[Segment, dict[str, Piece], Rendered | None]]:
        done = self.rendered.result() if isinstance(self.rendered, Future) else self.rendered or []
        fresh = iter(done)
        for segment, found in zip(self.segments, self.found, strict=True):
            yield segment, found, next(fresh) if len(found) < self.formats else None


def _units(
    segments: Iterable[Segment], formats: list[str], library: SegmentLibrary | None, batch_size: int
) -> Iterator[_Unit]:
    """Segments grouped so each unit holds about ``batch_size`` records to render (or many more to copy)."""
    unit = _Unit(formats=len(formats))
    for segment in segments:
        found = {}
        if library is not None:
            found = {name: piece for name in formats if (piece := library.find(name, segment.key)) is not None}
        missing = [name for name in formats if name not in found]
        if missing:
            unit.jobs.append((segment.documents, missing))
            unit.to_render += segment.records
        else:
            segment.documents = []  # copied whole: the text is not needed any more
        unit.segments.append(segment)
        unit.found.append(found)
        if unit.to_render >= batch_size or len(unit.segments) * SEGMENT_SPAN >= 8 * batch_size:
            yield unit
            unit = _Unit(formats=len(formats))
    if unit.segments:
        yield unit


def _in_order(
    units: Iterable[_Unit], base_uri: str, regions: dict[str, str], workers: int, batch_size: int
) -> Iterator[_Unit]:
    """Units in the order read, their renderings done; on worker processes once there is enough to render.

    A dump whose records are nearly all copied, or that fits in one batch,
    renders here: starting workers would cost more than it saves.
    """
    with ExitStack() as stack:
        pool: ProcessPoolExecutor | None = None
        queue: deque[_Unit] = deque()
        for unit in units:
            if unit.jobs:
                if pool is None and workers > 1 and unit.to_render >= batch_size:
                    pool = stack.enter_context(ProcessPoolExecutor(max_workers=workers, mp_context=spawn_context()))
                if pool is None:
                    unit.rendered = render_segments(unit.jobs, base_uri, regions)
                else:
                    unit.rendered = pool.submit(render_segments, unit.jobs, base_uri, regions)
                unit.jobs = []
            queue.append(unit)
            while queue and (len(queue) > _QUEUED or sum(isinstance(u.rendered, Future) for u in queue) > 2 * workers):
                yield queue.popleft()
        yield from queue


def export_dumps(
    db: Database,
    targets: dict[str, Path],
    *,
    museum_id: str | None = None,
    base_uri: str,
    regions: dict[str, str],
    workers: int = 1,
    batch_size: int = BATCH_SIZE,
    on_progress: ProgressCallback | None = None,
    library: SegmentLibrary | None = None,
    indexed: bool = False,
) -> list[DumpResult]:
    """Write the active records (all, or one museum's) to each ``{format: path}``, from one read of the store.

    Segments an earlier dump in ``library`` holds are copied from it rather
    than rendered; with ``indexed`` each file gets its segment index beside
    it, so later dumps can copy from it in turn.
    """
    for format_name, path in targets.items():
        check_target(path, format_name)
    formats = list(targets)
    state: dict[str, Any] = {}
    fingerprint = render_fingerprint(base_uri, regions)
    with ExitStack() as cleanup:
        opened: list[_Target] = []

        def discard() -> None:
            for target in opened:
                target.handle.close()
                target.temp.unlink(missing_ok=True)

        cleanup.callback(discard)
        for format_name, path in targets.items():
            opened.append(_open_target(format_name, path))
        for target in opened:
            target.write(header_member(target.format))
        done = 0
        batches = iter_document_batches(db, museum_id, size=batch_size, state=state)
        units = _units(cut_segments(batches, fingerprint), formats, library, batch_size)
        for unit in _in_order(units, base_uri, regions, workers, batch_size):
            for segment, found, rendered in unit.results():
                for target in opened:
                    target.add(segment, found.get(target.format), rendered)
                done += segment.records
            if on_progress is not None:
                on_progress(done, max(done, int(state.get("active_records", 0))))
        if done == 0:
            scope = f"museum {museum_id}" if museum_id else "the catalogue"
            raise DumpError(f"{scope} has no active records to export")
        results = []
        for target in opened:
            target.write(footer_member(target.format))
            target.handle.flush()
            os.fsync(target.handle.fileno())
            target.handle.close()
            os.chmod(target.temp, 0o644)  # served to the public, perhaps by another user's web server
        for target in opened:
            if indexed:
                write_index(index_path(target.path), target.size, target.index)
            os.replace(target.temp, target.path)
            results.append(
                DumpResult(
                    path=target.path,
                    format=target.format,
                    museum_id=museum_id,
                    records=target.records,
                    bytes=target.size,
                    sha256=target.digest.hexdigest(),
                    created=datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
                    state=dict(state),
                    skipped=target.skipped,
                    copied=target.copied,
                    rendered=target.rendered,
                )
            )
        opened.clear()  # renamed into place: nothing to discard
    return results
