"""The feed interface an OAI-PMH data provider serves: items in (datestamp, id) order, sets, metadata.

Two data providers share the protocol handling of ``repository``: the
catalogue's ``/oai`` (its feed is the store, ``aggregator.store.feed``) and
``emuseum publish`` (its feed is a museum's spreadsheet with persistent
datestamps, ``aggregator.publish``).  Each implements ``DataSource``; the
repository only needs a consistent snapshot (``FeedView``) per answer.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from lxml import etree

from mappings.core import CoreRecord

__all__ = ["DataSource", "FeedItem", "FeedView", "FeedWindow", "RepositoryIdentity", "SetEntry"]


@dataclass(slots=True)
class FeedItem:
    record_id: str
    museum_id: str
    stamp: datetime  # UTC; the keyset value together with record_id
    deleted: bool
    document: dict[str, Any] | None = None  # the core record, when asked for
    sets: tuple[str, ...] | None = None  # the setSpecs it belongs to; None: the museum's own set

    @property
    def set_specs(self) -> tuple[str, ...]:
        return self.sets if self.sets is not None else (self.museum_id,)


@dataclass(frozen=True, slots=True)
class FeedWindow:
    """Bounds on the datestamp: ``lower`` inclusive, ``upper`` exclusive; a set to keep to."""

    lower: datetime | None = None
    upper: datetime | None = None
    set_spec: str | None = None


class FeedView(Protocol):
    """One consistent snapshot of the feed (the items of a page and the list's size agree)."""

    def earliest(self) -> datetime | None: ...

    def lookup(self, record_id: str, *, with_document: bool = False) -> FeedItem | None: ...

    def items(
        self,
        window: FeedWindow,
        after: tuple[datetime, str] | None,
        limit: int,
        *,
        with_documents: bool = False,
    ) -> list[FeedItem]: ...

    def count(self, window: FeedWindow) -> int: ...


@dataclass(frozen=True, slots=True)
class SetEntry:
    spec: str
    names: dict[str, str]  # language -> name
    coverage: str | None = None  # dc:coverage of the set description (a region code, say)


@dataclass(frozen=True, slots=True)
class RepositoryIdentity:
    """What Identify says, and how identifiers are made: ``oai:<namespace>:<record id>``."""

    name: str
    admin_email: str
    namespace: str  # a domain name (the oai-identifier scheme's repositoryIdentifier)
    sample_record_id: str


class DataSource(Protocol):
    identity: RepositoryIdentity

    def feed(self) -> AbstractContextManager[FeedView]: ...

    def sets(self) -> list[SetEntry]: ...

    def metadata(self, record: CoreRecord, prefix: str) -> etree._Element:
        """The record's ``lido`` or ``oai_dc`` element (``prefix`` is one of METADATA_FORMATS)."""
        ...
