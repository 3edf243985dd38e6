"""The engine-neutral half of the search-cluster adapters: batching, retries, the alias lifecycle.

Everything that does not depend on the client library lives in ``EngineIndex``:
batching (``engines.bulk``: batches that shrink when an overloaded node refuses
them), retry with backoff, the alias lifecycle and the atomic swap of a
rebuild.  An adapter only maps a dozen primitive calls onto its client and
translates that client's exceptions into ``IndexUnavailable``, so OpenSearch and
Elasticsearch cannot drift apart in behaviour.
"""

from __future__ import annotations

import logging
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar

import orjson

from aggregator.index.documents import IndexDocument
from aggregator.index.engines.bulk import MAX_PAUSE, BulkWriter, Operation, backoff_pause
from aggregator.index.engines.dsl import (
    TextAnalysis,
    cacheable,
    document_body,
    index_body,
    parse_response,
    search_body,
)
from aggregator.index.engines.url import EngineLocation
from aggregator.index.errors import DocumentsRejected, IndexUnavailable
from aggregator.index.query import SearchQuery, SearchResult

__all__ = ["EngineIndex"]

log = logging.getLogger("emuseum.index")

_STAMP_DIGITS = 20  # %Y%m%d%H%M%S%f
#: Index settings of a rebuild while it loads: no refreshes (one flush at the end instead of one a
#: second) and the translog fsynced every few seconds instead of per bulk.  Nobody searches the new
#: index before ``finish_rebuild`` resets both; a crash mid-load only costs the unfinished index.
LOADING_SETTINGS: dict[str, str] = {"refresh_interval": "-1", "translog.durability": "async"}
_T = TypeVar("_T")


class EngineIndex(ABC):
    """The union index on a search cluster, behind one alias; adapters supply the client calls."""

    engine: ClassVar[str] = ""

    def __init__(
        self,
        location: EngineLocation,
        *,
        batch_size: int = 500,
        batch_bytes: int = 8_000_000,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.location = location
        self._sleep = sleep
        # self._bulk is looked up per call, so the adapter's client made after this line is the one used.
        self.bulk = BulkWriter(self._bulk, location, docs=batch_size, size=batch_bytes, sleep=sleep)
        self._analysis: TextAnalysis | None = None

    @property
    def name(self) -> str:
        return self.engine

    @property
    def alias(self) -> str:
        return self.location.prefix

    def describe(self) -> str:
        return self.location.describe()

    # -- primitives each adapter implements (raising IndexUnavailable only) ----------
    @abstractmethod
    def _bulk(self, body: bytes) -> dict[str, Any]:
        """One _bulk request whose body is ready NDJSON (each line ends with a newline)."""

    @abstractmethod
    def _search(self, index: str, body: dict[str, Any], *, cache: bool = False) -> dict[str, Any]:
        """One _search; ``cache`` asks the shard request cache to keep (or give back) the query phase."""

    @abstractmethod
    def _count(self, index: str) -> int: ...

    @abstractmethod
    def _refresh(self, index: str) -> None: ...

    @abstractmethod
    def _create_index(self, name: str, body: dict[str, Any]) -> None: ...

    @abstractmethod
    def _alias_targets(self, alias: str) -> list[str]:
        """Indices the alias points at; empty when there is no such alias."""

    @abstractmethod
    def _update_aliases(self, actions: list[dict[str, Any]]) -> None: ...

    @abstractmethod
    def _put_settings(self, index: str, settings: dict[str, Any]) -> None: ...

    @abstractmethod
    def _delete_indices(self, names: list[str]) -> None: ...

    @abstractmethod
    def _matching_indices(self, pattern: str) -> list[str]: ...

    @abstractmethod
    def _has_analyzer(self, name: str) -> bool:
        """Whether the engine knows a built-in analyzer (Elasticsearch's test distribution lacks most)."""

    @abstractmethod
    def close(self) -> None: ...

    def text_analysis(self) -> TextAnalysis:
        """``language`` where the engine has language analyzers, else ``portable`` (asked once)."""
        if self._analysis is None:
            known = self._retrying(lambda: self._has_analyzer("russian") and self._has_analyzer("whitespace"))
            self._analysis = "language" if known else "portable"
            if not known:
                log.info("%s: no language analyzers; indexing folded keys as keywords", self.describe())
        return self._analysis

    def _index_body(self) -> dict[str, Any]:
        return index_body(self.text_analysis(), self.location.replicas)

    # -- retry -------------------------------------------------------------------------
    def _pause(self, attempt: int) -> None:
        self._sleep(backoff_pause(self.location.backoff, attempt, MAX_PAUSE))

    def _retrying(self, call: Callable[[], _T]) -> _T:
        """Run ``call``, again after a growing pause while it fails transiently (429, 5xx, network)."""
        attempts = max(1, self.location.attempts)
        for attempt in range(1, attempts + 1):
            try:
                return call()
            except IndexUnavailable as exc:
                if not exc.transient or attempt == attempts:
                    raise
                log.warning("%s: %s; retry %d of %d", self.describe(), exc.message, attempt, attempts - 1)
                self._pause(attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")

    # -- writing -----------------------------------------------------------------------
    def _operations(self, index: str, docs: Iterable[IndexDocument]) -> Iterator[Operation]:
        for doc in docs:
            source = orjson.dumps(document_body(doc))
            yield Operation(doc.id, {"index": {"_index": index, "_id": doc.id}}, source, len(source) + 100)

    def _write(self, operations: Iterable[Operation]) -> tuple[int, dict[str, str]]:
        return self.bulk.write(operations)

    def upsert(self, docs: Iterable[IndexDocument]) -> int:
        """Index (create or replace) documents through the alias; returns how many were written.

        Raises DocumentsRejected after sending everything when the engine refused
        some documents for good, IndexUnavailable when it could not be reached.
        """
        written, rejected = self._write(self._operations(self.alias, docs))
        if rejected:
            raise DocumentsRejected(rejected)
        return written

    def delete(self, ids: Iterable[str]) -> int:
        """Remove documents by record id; ids the index does not hold count as removed."""
        operations = (
            Operation(record_id, {"delete": {"_index": self.alias, "_id": record_id}}, None, 100)
            for record_id in dict.fromkeys(ids)
        )
        written, rejected = self._write(operations)
        if rejected:
            raise DocumentsRejected(rejected)
        return written

    # -- reading -----------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        body = search_body(query)
        cache = cacheable(query)

        def call() -> dict[str, Any]:
            raw = self._search(self.alias, body, cache=cache)
            shards = raw.get("_shards") or {}
            if shards.get("failed"):
                # A partial answer would under-count facets; during an alias swap it heals at once.
                failures = shards.get("failures") or [{}]
                reason = (failures[0].get("reason") or {}).get("reason", "unknown")
                raise IndexUnavailable(
                    f"{self.describe()}: search failed on {shards['failed']} of {shards.get('total')} "
                    f"shard(s): {reason}",
                    transient=True,
                )
            return raw

        try:
            raw = self._retrying(call)
        except IndexUnavailable as exc:
            if exc.status != 404:
                raise
            # The old index of a rebuild can vanish between alias resolution and execution.
            try:
                raw = self._retrying(call)
            except IndexUnavailable as again:
                if again.status == 404:
                    raise IndexUnavailable(
                        f"{self.describe()}: the alias does not exist yet; run `emuseum reindex --full` "
                        f"({again.message})",
                        status=404,
                    ) from again
                raise
        return parse_response(raw, query)

    def count(self) -> int:
        return self._retrying(lambda: self._count(self.alias))

    def refresh(self) -> None:
        """Make every write so far visible to searches (the engine does it each second anyway)."""
        self._retrying(lambda: self._refresh(self.alias))

    # -- index lifecycle ----------------------------------------------------------------
    def _new_index_name(self) -> str:
        return f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"

    def _owned(self, names: Iterable[str]) -> list[str]:
        """Only indices this alias's lifecycle created: ``{prefix}-`` and exactly 20 digits."""
        own = re.compile(rf"^{re.escape(self.alias)}-\d{{{_STAMP_DIGITS}}}$")
        return sorted(name for name in names if own.match(name))

    def ensure_index(self) -> str:
        """The index behind the alias, created together with the alias when there is none."""
        targets = self._retrying(lambda: self._alias_targets(self.alias))
        if targets:
            return targets[0]
        name = self._new_index_name()
        body = self._index_body()
        body["aliases"] = {self.alias: {}}
        self._retrying(lambda: self._create_index(name, body))
        log.info("%s: created index %s", self.describe(), name)
        return name

    def rebuild(
        self,
        docs: Iterable[IndexDocument],
        *,
        on_rejected: Callable[[dict[str, str]], None] | None = None,
    ) -> str:
        """Load a fresh index, then point the alias at it in one atomic request; returns its name.

        Searches keep hitting the old index until the swap and the new one after
        it, never a half-filled one.  Refreshes are off while loading (one
        segment flush at the end instead of one a second).  Documents the engine
        rejects abort the rebuild unless ``on_rejected`` takes them; any other
        failure deletes the new index and leaves the alias as it was.
        """
        name = self.start_rebuild()
        try:
            _, rejected = self.load(name, docs)
            if rejected:
                if on_rejected is None:
                    raise DocumentsRejected(rejected)
                on_rejected(rejected)
            self.finish_rebuild(name)
        except BaseException:
            self.abandon_rebuild(name)
            raise
        return name

    # The steps of a rebuild, apart: several processes may ``load`` one new index at once.
    def start_rebuild(self) -> str:
        """Create the new index (refreshes off) beside the one the alias points at; returns its name."""
        name = self._new_index_name()
        body = self._index_body()
        body["settings"]["index"].update(LOADING_SETTINGS)
        self._retrying(lambda: self._create_index(name, body))
        return name

    def load(self, name: str, docs: Iterable[IndexDocument]) -> tuple[int, dict[str, str]]:
        """Bulk-write documents into the named index: (written, rejected record id -> reason)."""
        return self._write(self._operations(name, docs))

    def finish_rebuild(self, name: str) -> None:
        """Refresh the loaded index, swap the alias to it atomically, and delete the old one."""
        # Back to the defaults (refresh each second, fsync per request) before anyone searches it.
        self._retrying(lambda: self._put_settings(name, {"index": dict.fromkeys(LOADING_SETTINGS)}))
        self._retrying(lambda: self._refresh(name))
        old = self._retrying(lambda: self._alias_targets(self.alias))
        actions: list[dict[str, Any]] = [{"remove": {"index": o, "alias": self.alias}} for o in old]
        actions.append({"add": {"index": name, "alias": self.alias}})
        self._retrying(lambda: self._update_aliases(actions))
        stale = [o for o in old if o != name]
        if stale:
            try:
                self._retrying(lambda: self._delete_indices(stale))
            except IndexUnavailable as exc:  # the swap happened; a leftover index only costs disk
                log.warning("%s: alias swapped to %s but old %s not deleted: %s", self.describe(), name, stale, exc)
        log.info("%s: rebuilt into %s (replaced %s)", self.describe(), name, ", ".join(old) or "nothing")

    def abandon_rebuild(self, name: str) -> None:
        """Delete an unfinished new index; the alias stays where it was."""
        try:
            self._delete_indices([name])
        except IndexUnavailable as cleanup:
            log.warning("%s: could not delete unfinished index %s: %s", self.describe(), name, cleanup)

    def drop(self) -> None:
        """Delete the alias's indices and any unfinished rebuilds (tests and decommissioning)."""
        names = set(self._retrying(lambda: self._alias_targets(self.alias)))
        names |= set(self._owned(self._retrying(lambda: self._matching_indices(f"{self.alias}-*"))))
        if names:
            self._retrying(lambda: self._delete_indices(sorted(names)))
