"""Writing dumps: the store read once, in id order, rendered in worker processes, each format to its gzip file.

One pass over the store feeds every format asked for (the nightly build
writes four files from one read).  Batches are rendered and compressed by
worker processes and written in the order they were read (``ordered_results``),
so the output is the same with one worker or many.  Each file is written
under a temporary name in its own folder and renamed into place only when
complete (``os.replace`` is atomic within a file system): a reader never
sees a half-written dump, and a failed export leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from aggregator.dumps.formats import FORMATS, Rendered, footer_member, header_member, render_batch
from aggregator.parallel import ProgressCallback, ordered_results, spawn_context
from aggregator.store.database import Database
from aggregator.store.dump_rows import StoredDocument, iter_document_batches

__all__ = ["BATCH_SIZE", "DumpError", "DumpResult", "check_target", "export_dumps"]

log = logging.getLogger("emuseum.dumps")

BATCH_SIZE = 500


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

    def write(self, data: bytes) -> None:
        if data:
            self.handle.write(data)
            self.digest.update(data)
            self.size += len(data)


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


def _rendered(
    batches: Iterable[list[StoredDocument]],
    formats: list[str],
    base_uri: str,
    regions: dict[str, str],
    workers: int,
    batch_size: int,
) -> Iterator[tuple[int, Rendered]]:
    """(records read, rendered batch) in the order read; in worker processes when ``workers`` > 1.

    A dump that fits in one batch is rendered here: starting workers would cost more than it.
    """
    batches = iter(batches)
    first = next(batches, None)
    if first is None:
        return
    if workers <= 1 or len(first) < batch_size:
        for batch in itertools.chain([first], batches):
            yield len(batch), render_batch(batch, formats, base_uri, regions)
        return
    sizes: list[int] = []

    def counted() -> Iterator[list[StoredDocument]]:
        for batch in itertools.chain([first], batches):
            sizes.append(len(batch))
            yield batch

    with ProcessPoolExecutor(max_workers=workers, mp_context=spawn_context()) as pool:
        for position, rendered in enumerate(
            ordered_results(pool, render_batch, counted(), formats, base_uri, regions, in_flight=workers * 2)
        ):
            yield sizes[position], rendered


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
) -> list[DumpResult]:
    """Write the active records (all, or one museum's) to each ``{format: path}``, from one read of the store."""
    for format_name, path in targets.items():
        check_target(path, format_name)
    formats = list(targets)
    state: dict[str, Any] = {}
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
        for read, rendered in _rendered(batches, formats, base_uri, regions, workers, batch_size):
            for target in opened:
                target.write(rendered.members[target.format])
                target.records += rendered.written[target.format]
            for format_name, record_id, reason in rendered.skipped:
                log.warning("dump format=%s record=%s left out: %s", format_name, record_id, reason)
                target = next(t for t in opened if t.format == format_name)
                if len(target.skipped) < 100:
                    target.skipped.append((record_id, reason))
            done += read
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
                )
            )
        opened.clear()  # renamed into place: nothing to discard
    return results
