"""One version of a published export: its records with persistent datestamps, as an OAI-PMH feed.

Reading the export again gives a new snapshot: each row is mapped to its
core record (the harvest's own mapping, ``mappings.formats.map_raw``), its
content hash is compared with the state's, and only a row whose content
changed (or that came back) gets a new datestamp; rows that are gone become
deleted records, dated when they were first missed.  A row the mapping
refuses is not published (it is reported), as the catalogue would not take
it either.  A snapshot never changes once built, so every answer reads one
consistent version while the next is being made.

Sets are the export's collections: one per value of the profile's
``classification`` column, its setSpec made from the concept id or the
label in Latin letters (setSpec allows only ``A-Za-z0-9-_.!~*'()``).
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aggregator.oai_pmh.feed import FeedItem, FeedWindow, SetEntry
from aggregator.publish.state import PublishState, RowState
from harvester.raw import RawRecord
from mappings.core import Term
from mappings.formats import map_raw
from mappings.report import MappingError
from mappings.text import transliterate_kk_latin

__all__ = ["Changes", "Snapshot", "build_snapshot", "set_spec_for"]

_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _moment(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def set_spec_for(term: Term) -> str:
    """A setSpec for a collection: the concept id (``local:`` dropped) or the label, in ASCII."""
    base = (term.concept or "").removeprefix("local:") or term.label("en", "ru", "kk", "und")
    latin = unicodedata.normalize("NFKD", transliterate_kk_latin(base)).encode("ascii", "ignore").decode()
    slug = _UNSAFE.sub("-", latin).strip("-").lower()
    return slug or "set-" + hashlib.sha1(base.encode()).hexdigest()[:8]


@dataclass(slots=True)
class Changes:
    """What a reload found, compared with the state before it."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    deleted: int = 0
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return f"new {self.new}, changed {self.changed}, unchanged {self.unchanged}, deleted {self.deleted}"


class Snapshot:
    """The feed of one version (``aggregator.oai_pmh.FeedView``), immutable once built."""

    def __init__(self, items: list[FeedItem], sets: list[SetEntry]) -> None:
        self._sets = sets
        self._by_id = {item.record_id: item for item in items}
        ordered = sorted(items, key=lambda i: (i.stamp, i.record_id))
        self._lists: dict[str | None, tuple[list[FeedItem], list[tuple[datetime, str]]]] = {}
        members: dict[str | None, list[FeedItem]] = {None: ordered}
        for item in ordered:
            for member_of in item.sets or ():
                members.setdefault(member_of, []).append(item)
        for key, listed in members.items():
            self._lists[key] = (listed, [(i.stamp, i.record_id) for i in listed])

    @property
    def sets(self) -> list[SetEntry]:
        return self._sets

    @property
    def live(self) -> int:
        return sum(1 for item in self._by_id.values() if not item.deleted)

    @property
    def deleted(self) -> int:
        return len(self._by_id) - self.live

    # -- FeedView ------------------------------------------------------------------------
    def earliest(self) -> datetime | None:
        listed, _ = self._lists[None]
        return listed[0].stamp if listed else None

    def lookup(self, record_id: str, *, with_document: bool = False) -> FeedItem | None:
        return self._by_id.get(record_id)

    def _range(self, window: FeedWindow, after: tuple[datetime, str] | None) -> tuple[list[FeedItem], int, int]:
        listed, keys = self._lists.get(window.set_spec, ([], []))
        start = 0
        if window.lower is not None:
            start = bisect.bisect_left(keys, (window.lower, ""))
        if after is not None:
            start = max(start, bisect.bisect_right(keys, after))
        end = len(keys) if window.upper is None else bisect.bisect_left(keys, (window.upper, ""))
        return listed, start, max(start, end)

    def items(
        self,
        window: FeedWindow,
        after: tuple[datetime, str] | None,
        limit: int,
        *,
        with_documents: bool = False,
    ) -> list[FeedItem]:
        listed, start, end = self._range(window, after)
        return listed[start : min(end, start + limit)]

    def count(self, window: FeedWindow) -> int:
        _, start, end = self._range(window, None)
        return end - start


def _fingerprint(raw: RawRecord, profile_key: str) -> str:
    return hashlib.sha256(profile_key.encode() + b"\0" + raw.payload).hexdigest()


def build_snapshot(
    raws: Iterable[RawRecord], state: PublishState, *, profile_key: str, now: datetime | None = None
) -> tuple[Snapshot, Changes]:
    """Map the rows, update ``state`` in place (datestamps, deletions) and build the snapshot.

    ``profile_key`` stands for the profile and mapping that turn rows into
    records: when it changes, every record's published content may change,
    so every datestamp moves.
    """
    stamp = _stamp(now or datetime.now(UTC))
    changes = Changes()
    items: list[FeedItem] = []
    names: dict[str, dict[str, str]] = {}
    present: set[str] = set()
    for raw in raws:
        try:
            result = map_raw(raw)
        except MappingError as exc:
            changes.notes.append(f"row {raw.local_id} not published: {exc.field}: {exc.message}")
            continue
        record = result.record
        specs = []
        for term in record.classification:
            spec = set_spec_for(term)
            specs.append(spec)
            names.setdefault(spec, dict(term.labels) or {"und": spec})
        digest = _fingerprint(raw, profile_key)
        before = state.records.get(raw.local_id)
        if before is None or before.deleted:
            changes.new += 1
            state.records[raw.local_id] = RowState(digest, stamp, False, specs)
        elif before.hash != digest:
            changes.changed += 1
            state.records[raw.local_id] = RowState(digest, stamp, False, specs)
        else:
            changes.unchanged += 1
            before.sets = specs
        present.add(raw.local_id)
        row = state.records[raw.local_id]
        document = record.model_dump(mode="json", exclude_none=True)
        items.append(FeedItem(raw.local_id, raw.museum_id, _moment(row.stamp), False, document, tuple(specs)))
    museum_id = items[0].museum_id if items else ""
    for local_id, row in state.records.items():
        if local_id in present:
            continue
        if not row.deleted:
            changes.deleted += 1
            row.deleted, row.stamp = True, stamp
        for spec in row.sets:
            names.setdefault(spec, {"und": spec})
        items.append(FeedItem(local_id, museum_id, _moment(row.stamp), True, None, tuple(row.sets)))
    sets = [SetEntry(spec, labels) for spec, labels in sorted(names.items())]
    return Snapshot(items, sets), changes
