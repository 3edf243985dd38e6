"""Segments: the unit a dump is rendered in, and what lets a nightly rebuild copy unchanged records instead.

Most of the catalogue does not change from one night to the next, yet
rendering a record as N-Triples or Linked Art costs a millisecond or two, so a
rebuild that renders everything again spends hours re-deriving bytes it wrote
the night before.  A dump is therefore written as a run of *segments*: a few
dozen consecutive records of one museum, each segment one gzip member per
format (a gzip file may hold many members back to back).  Beside each built
file an index lists every segment's key, byte range and counts; the next
build reads the records, computes each segment's key and, when an earlier
dump holds a member under that key, copies its bytes instead of rendering.

A key covers everything the bytes depend on: each record's id and stored
document text, the museum, and the *renderer fingerprint* (the base URI,
the region names, the bytes of the mapping code and data, and the versions of
the libraries that shape the output).  Changing any of them changes the key,
so nothing stale is ever copied.

Segment ends are chosen by the records' ids (content-defined, as rsync and
restic cut chunks): a segment ends after a record whose id hashes to a
boundary, at a museum change, or at ``SEGMENT_MAX`` records.  An inserted or
deleted record therefore changes only its own segment, not every segment after
it, and a build that copies gives the same bytes as one that renders all.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import IO, Final

from aggregator.store.stored_document import StoredDocument

__all__ = [
    "SEGMENT_MAX",
    "SEGMENT_SPAN",
    "IndexEntry",
    "Piece",
    "Segment",
    "SegmentLibrary",
    "cut_segments",
    "index_path",
    "read_index",
    "render_fingerprint",
    "write_index",
]

log = logging.getLogger("emuseum.dumps")

SEGMENT_SPAN: Final = 32  # records per segment on average
SEGMENT_MAX: Final = 256
_HEADER: Final = "emuseum-dump-segments 1"
_LIBRARIES: Final = ("cromulent", "lxml", "pydantic", "rdflib")


@dataclass(slots=True)
class Segment:
    """Consecutive records of one museum and the key their rendered bytes are filed under."""

    museum_id: str
    documents: list[StoredDocument]
    key: str = ""
    records: int = 0  # kept when ``documents`` is let go (the segment is copied, not rendered)


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """Where a segment's member lies in a dump file, and what it holds."""

    offset: int
    length: int
    written: int
    skipped: tuple[tuple[str, str], ...] = ()  # (record id, reason)


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """The bytes of everything that shapes a rendering: the mapping package, the format renderers, libraries."""
    import mappings
    from aggregator.dumps import formats

    digest = hashlib.blake2b(digest_size=16)
    root = Path(mappings.__file__).parent
    files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in [*files, Path(formats.__file__)]:
        digest.update(str(path.relative_to(path.parents[1])).encode())
        digest.update(path.read_bytes())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-".encode())
    return digest.hexdigest()


def render_fingerprint(base_uri: str, regions: dict[str, str]) -> str:
    """What, besides the records, a dump's bytes depend on; part of every segment key."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(_code_fingerprint().encode())
    digest.update(base_uri.encode())
    digest.update(json.dumps(regions, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def _ends_segment(record_id: str) -> bool:
    return zlib.crc32(record_id.encode()) % SEGMENT_SPAN == 0


def _keyed(segment: Segment, fingerprint: str) -> Segment:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(fingerprint.encode())
    digest.update(segment.museum_id.encode() + b"\0")
    for document in segment.documents:
        text = document.text.encode()
        digest.update(f"{document.id}\0{len(text)}\0".encode())
        digest.update(text)
    segment.key = digest.hexdigest()
    segment.records = len(segment.documents)
    return segment


def cut_segments(batches: Iterable[Sequence[StoredDocument]], fingerprint: str) -> Iterator[Segment]:
    """The records read, in their order, cut into keyed segments (ends chosen by id, museum, ``SEGMENT_MAX``)."""
    current: Segment | None = None
    for batch in batches:
        for document in batch:
            if current is not None and current.museum_id != document.museum_id:
                yield _keyed(current, fingerprint)
                current = None
            if current is None:
                current = Segment(document.museum_id, [])
            current.documents.append(document)
            if _ends_segment(document.id) or len(current.documents) >= SEGMENT_MAX:
                yield _keyed(current, fingerprint)
                current = None
    if current is not None:
        yield _keyed(current, fingerprint)


def index_path(dump: Path) -> Path:
    """The hidden file beside a dump that indexes its segments."""
    return dump.with_name(f".{dump.name}.segments")


def write_index(path: Path, dump_size: int, entries: Iterable[tuple[str, IndexEntry]]) -> None:
    """One line per segment: key, offset, length, records written, records left out (JSON, usually empty)."""
    temp = path.with_name(path.name + ".part")
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(f"{_HEADER}\t{dump_size}\n")
        for key, entry in entries:
            skipped = json.dumps(entry.skipped, ensure_ascii=False) if entry.skipped else ""
            handle.write(f"{key}\t{entry.offset}\t{entry.length}\t{entry.written}\t{skipped}\n")
    os.chmod(temp, 0o644)
    os.replace(temp, path)


def read_index(path: Path) -> tuple[int, dict[str, IndexEntry]] | None:
    """(the dump's size when indexed, entries by key); None when there is no readable index."""
    try:
        with open(path, encoding="utf-8") as handle:
            header, _, size = handle.readline().rstrip("\n").partition("\t")
            if header != _HEADER:
                return None
            entries = {}
            for line in handle:
                key, offset, length, written, skipped = line.rstrip("\n").split("\t", 4)
                entries[key] = IndexEntry(
                    int(offset),
                    int(length),
                    int(written),
                    tuple((str(a), str(b)) for a, b in json.loads(skipped)) if skipped else (),
                )
            return int(size), entries
    except FileNotFoundError:
        return None  # a dump written before indexes existed, or none yet: nothing to copy, nothing wrong
    except (OSError, ValueError) as exc:
        log.warning("dumps: segment index %s not used (%s); its records are rendered again", path, exc)
        return None


@dataclass(frozen=True, slots=True)
class Piece:
    """A member found in an earlier dump: read only when it is its turn to be written."""

    fd: int
    entry: IndexEntry

    def read(self) -> bytes:
        data = os.pread(self.fd, self.entry.length, self.entry.offset)
        if len(data) != self.entry.length:
            raise OSError(f"an earlier dump ended at {self.entry.offset + len(data)}, inside a segment")
        return data


@dataclass(slots=True)
class _Source:
    handle: IO[bytes]
    entries: dict[str, IndexEntry]


@dataclass(slots=True)
class SegmentLibrary:
    """Earlier dumps, per format, whose segments a new dump may copy; open files survive their removal."""

    sources: dict[str, list[_Source]] = field(default_factory=dict)

    def add(self, format_name: str, dump: Path) -> bool:
        """Offer ``dump`` (with its index) for copying; False when it or its index is missing or does not match."""
        index = read_index(index_path(dump))
        if index is None:
            return False
        size, entries = index
        try:
            handle = open(dump, "rb")
        except OSError:
            return False
        if os.fstat(handle.fileno()).st_size != size:
            handle.close()
            log.warning("dumps: %s changed since it was indexed; its records are rendered again", dump)
            return False
        self.sources.setdefault(format_name, []).append(_Source(handle, entries))
        return True

    def find(self, format_name: str, key: str) -> Piece | None:
        """Where an earlier dump of this format holds the member filed under ``key``; None when none does."""
        for source in self.sources.get(format_name, ()):
            entry = source.entries.get(key)
            if entry is not None:
                return Piece(source.handle.fileno(), entry)
        return None

    def close(self) -> None:
        for sources in self.sources.values():
            for source in sources:
                source.handle.close()
        self.sources.clear()
