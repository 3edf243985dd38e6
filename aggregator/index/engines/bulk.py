"""Bulk requests an overloaded search node can take: batches that shrink when refused, waits that end.

A node short of heap refuses a whole ``_bulk`` request with HTTP 429 from its
parent circuit breaker (``circuit_breaking_exception``, "Data too large"), and
one whose body is over its ``http.max_content_length`` with 413.  The same
request sent again rarely gets through; a smaller one usually does.  So a
refused batch is split in halves, sent one after the other, down to single
documents, and the writer keeps the smaller size for its later batches (growing
back by a quarter after every ten batches the node takes whole) instead of being
refused and splitting again on every batch.  A single document still refused is
a failure.

429s, on whole requests or on items the node's full write queue rejected
(``es_rejected_execution_exception``), are waited on longer than other transient
errors: pauses grow from ``backoff`` to at most 30 s and add up to at most the
index URL's ``max_wait`` since documents last got through; a ``Retry-After`` the
client passes on replaces the computed pause.  5xx answers and network errors
keep the short path: ``attempts`` tries per request, pauses of at most 10 s.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from aggregator.index.engines.url import EngineLocation
from aggregator.index.errors import IndexUnavailable

__all__ = ["GROW_AFTER", "MAX_OVERLOAD_PAUSE", "MAX_PAUSE", "BatchLimits", "BulkWriter", "Operation", "backoff_pause"]

log = logging.getLogger("emuseum.index")

MAX_PAUSE = 10.0  # longest pause after a 5xx answer or a network error
MAX_OVERLOAD_PAUSE = 30.0  # longest single wait on a 429
# Even with backoff=0 a 429 costs some of max_wait, so a node that keeps refusing ends the wait.
_MIN_OVERLOAD_PAUSE = 0.1
GROW_AFTER = 10  # batches taken whole before a shrunken limit grows back by a quarter
_SAID = 200  # characters of the node's reason quoted in a log line or an error
_REFUSED_WHOLE = (413, 429)


def backoff_pause(backoff: float, failure: int, cap: float) -> float:
    """``backoff`` doubled for each failure after the first, at most ``cap``."""
    return float(min(backoff * 2 ** (max(1, failure) - 1), cap))


@dataclass(slots=True)
class Operation:
    """One bulk item, its source already encoded: a document is serialised once, not to size it and again to send."""

    record_id: str
    action: dict[str, Any]
    source: bytes | None
    size: int

    @property
    def is_delete(self) -> bool:
        return "delete" in self.action


def _ndjson(operations: list[Operation]) -> bytes:
    lines: list[bytes] = []
    for operation in operations:
        lines.append(orjson.dumps(operation.action))
        if operation.source is not None:
            lines.append(operation.source)
    lines.append(b"")
    return b"\n".join(lines)


def _bytes(operations: list[Operation]) -> int:
    return sum(operation.size for operation in operations)


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def _documents(count: int) -> str:
    return f"{count} document" if count == 1 else f"{count} documents"


def _item_reason(result: dict[str, Any]) -> str:
    error = result.get("error")
    if isinstance(error, dict):
        return f"{error.get('type', 'error')}: {error.get('reason', '')}".strip()
    return str(error or f"HTTP {result.get('status')}")


def _said(status: int | None, reason: str) -> str:
    """What the node said, on one line and short enough to read (a breaker's reason lists every pool)."""
    text = " ".join(reason.split())
    if len(text) > _SAID:
        text = text[: _SAID - 1] + "…"
    if not text and status == 413:
        text = "request too large"
    return f"HTTP {status} {text}".strip()


def _advice(status: int | None, reason: str) -> str:
    if status == 413:
        return "the document is larger than the node takes in one request: raise http.max_content_length on the node"
    writers = "fewer concurrent writers (e.g. `emuseum reindex --full --workers 1`)"
    if "circuit_breaking" in reason or "Data too large" in reason:
        return (
            f"give the node more heap (-Xmx in OPENSEARCH_JAVA_OPTS or ES_JAVA_OPTS) or {writers}, "
            "or allow a longer wait with max_wait= in the index URL"
        )
    if "rejected_execution" in reason:
        return f"the node's write queue stays full: give it {writers} or more CPU, or a longer max_wait= in the URL"
    return f"give the node more heap or {writers}, or a longer max_wait= in the index URL"


class BatchLimits:
    """How many documents and bytes the next batch may hold: halved on a refusal, grown back slowly."""

    def __init__(self, docs: int, size: int) -> None:
        self.max_docs, self.max_bytes = max(1, docs), max(1, size)
        self.docs, self.bytes = self.max_docs, self.max_bytes
        self._taken = 0  # batches taken whole since the last refusal or growth

    def batches(self, operations: Iterable[Operation]) -> Iterator[list[Operation]]:
        """Cut with the limits as they are at each cut, so a refusal shrinks the very next batch."""
        batch: list[Operation] = []
        size = 0
        for operation in operations:
            if batch and (len(batch) >= self.docs or size + operation.size > self.bytes):
                yield batch
                batch, size = [], 0
            batch.append(operation)
            size += operation.size
        if batch:
            yield batch

    def refused(self, docs: int, size: int) -> None:
        self.docs = min(self.docs, max(1, docs // 2))
        self.bytes = min(self.bytes, max(1, size // 2))
        self._taken = 0

    def taken(self) -> None:
        if self.docs >= self.max_docs and self.bytes >= self.max_bytes:
            return
        self._taken += 1
        if self._taken >= GROW_AFTER:
            self._taken = 0
            grown = min(self.max_docs, self.docs + max(1, self.docs // 4))
            # Bytes grow as much as documents do (a quarter at least), so the next batch really is larger.
            factor = max(grown / self.docs, 1.25)
            self.docs = grown
            self.bytes = min(self.max_bytes, int(self.bytes * factor) + 1)


class BulkWriter:
    """Sends operations in batches; splits the ones a node refuses and waits on it within ``max_wait``.

    One writer per engine adapter: its limits and its account of waiting last
    as long as the adapter (a reindex worker process keeps one for its life).
    """

    def __init__(
        self,
        post: Callable[[bytes], dict[str, Any]],
        location: EngineLocation,
        *,
        docs: int,
        size: int,
        sleep: Callable[[float], None],
    ) -> None:
        self._post = post
        self.location = location
        self.limits = BatchLimits(docs, size)
        self._sleep = sleep
        self._failures = 0  # failed tries since documents last got through: the exponent of the next pause
        self._waited = 0.0  # seconds waited on 429s since documents last got through

    def write(self, operations: Iterable[Operation]) -> tuple[int, dict[str, str]]:
        """Send everything: (documents written, record id -> reason for those refused for good)."""
        written = 0
        rejected: dict[str, str] = {}
        for batch in self.limits.batches(operations):
            batch_rejected = self._send(batch)
            rejected.update(batch_rejected)
            written += len(batch) - len(batch_rejected)
        return written, rejected

    # -- one batch ---------------------------------------------------------------------
    def _send(self, batch: list[Operation]) -> dict[str, str]:
        """One batch, as one request when the node takes it; items refused with 429/5xx go again."""
        rejected: dict[str, str] = {}
        todo = [batch]
        whole = True
        tries = 0  # tries of todo[0] that failed with a 5xx or a network error
        attempts = max(1, self.location.attempts)
        while todo:
            piece = todo[0]
            if len(piece) > 1 and (len(piece) > self.limits.docs or _bytes(piece) > self.limits.bytes):
                todo[:1] = self.limits.batches(piece)  # a half cut before a later refusal taught a smaller size
                continue
            unsent = sum(len(rest) for rest in todo[1:])
            try:
                response = self._post(_ndjson(piece))
            except IndexUnavailable as exc:
                self._failures += 1
                if exc.status in _REFUSED_WHOLE:
                    whole = False
                    todo[:1] = self._refused(exc, piece, unsent)
                    continue
                tries += 1
                if not exc.transient or tries >= attempts:
                    raise
                pause = backoff_pause(self.location.backoff, self._failures, MAX_PAUSE)
                where = self.location.describe()
                said = _said(exc.status, exc.reason) if exc.status else exc.message.removeprefix(f"{where}: ")
                log.warning(
                    "%s: bulk request of %s: %s; retry %d of %d in %.1f s",
                    where, _documents(len(piece)), said, tries, attempts - 1, pause,
                )
                self._sleep(pause)
                continue
            again, reason, overloaded = self._answered(piece, response, rejected)
            if not again:
                todo.pop(0)
                tries = 0
                continue
            self._failures += 1
            todo[0] = again
            if overloaded:
                self._wait_for_items(again, len(piece), reason, unsent)
                continue
            tries += 1
            if tries >= attempts:
                raise IndexUnavailable(
                    f"{self.location.describe()}: {_documents(len(again))} still refused after {attempts} attempts "
                    f"({reason})",
                    transient=True,
                )
            pause = backoff_pause(self.location.backoff, self._failures, MAX_PAUSE)
            log.warning(
                "%s: the node failed %s of %d with %s; sending them again in %.1f s (retry %d of %d)",
                self.location.describe(), _documents(len(again)), len(piece), reason, pause, tries, attempts - 1,
            )
            self._sleep(pause)
        if whole:
            self.limits.taken()
        return rejected

    def _answered(
        self, piece: list[Operation], response: dict[str, Any], rejected: dict[str, str]
    ) -> tuple[list[Operation], str, bool]:
        """Sort the items of an answer: (to send again, the node's reason, whether any was a 429)."""
        if not response.get("errors"):
            self._progress()
            return [], "", False
        again: list[Operation] = []
        reason = ""
        overloaded = written = False
        for operation, item in zip(piece, response.get("items", []), strict=False):
            result: dict[str, Any] = next(iter(item.values()), {})
            status = int(result.get("status", 500))
            if status < 300 or (status == 404 and operation.is_delete):
                written = True
            elif status == 429 or status >= 500:
                again.append(operation)
                overloaded = overloaded or status == 429
                if status == 429 or not reason:
                    reason = _item_reason(result)
            else:
                rejected[operation.record_id] = _item_reason(result)
        if written:
            self._progress()
        return again, reason, overloaded

    # -- waiting on an overloaded node --------------------------------------------------
    def _progress(self) -> None:
        self._failures, self._waited = 0, 0.0

    def _overload_pause(self, retry_after: float | None) -> float | None:
        """The next wait on a 429, counted against ``max_wait``; None once that is spent."""
        left = self.location.max_wait - self._waited
        if left <= 0:
            return None
        pause = backoff_pause(self.location.backoff, self._failures, MAX_OVERLOAD_PAUSE)
        if retry_after is not None:
            pause = retry_after
        pause = min(max(pause, _MIN_OVERLOAD_PAUSE), left)
        self._waited += pause
        return pause

    def _spent(self, pause: float, asked: bool) -> str:
        said = " as the node asked (Retry-After)" if asked else ""
        return f"in {pause:.1f} s{said} ({self._waited:.1f} of max_wait {self.location.max_wait:.0f} s spent)"

    def _refused(self, exc: IndexUnavailable, piece: list[Operation], unsent: int) -> list[list[Operation]]:
        """A whole request refused with 413/429: its halves (after a wait on a 429), or it again after one."""
        said = _said(exc.status, exc.reason)
        pause = self._overload_pause(exc.retry_after) if exc.status == 429 else None
        where = self.location.describe()
        if len(piece) > 1:
            half = (len(piece) + 1) // 2
            self.limits.refused(len(piece), _bytes(piece))
            log.warning(
                "%s: the node refused a bulk request of %s (%s) with %s; splitting it into %d + %d documents, "
                "sending the first %s; later batches hold at most %s (%s)",
                where, _documents(len(piece)), _megabytes(_bytes(piece)), said, half, len(piece) - half,
                self._spent(pause, exc.retry_after is not None) if pause else "now",
                _documents(self.limits.docs), _megabytes(self.limits.bytes),
            )
            if pause:
                self._sleep(pause)
            return [piece[:half], piece[half:]]
        if pause is None:
            raise self._failure(exc.status, exc.reason, piece, unsent)
        log.warning(
            "%s: the node refused a bulk request of 1 document (%s) with %s; sending it again %s",
            where, piece[0].record_id, said, self._spent(pause, exc.retry_after is not None),
        )
        self._sleep(pause)
        return [piece]

    def _wait_for_items(self, again: list[Operation], sent: int, reason: str, unsent: int) -> None:
        """Items rejected with 429 (a full write queue): wait within ``max_wait``, then send them again."""
        pause = self._overload_pause(None)
        if pause is None:
            raise self._failure(429, reason, again, unsent)
        log.warning(
            "%s: the node rejected %s of %d with %s; sending %s again %s",
            self.location.describe(), _documents(len(again)), sent, _said(429, reason),
            "it" if len(again) == 1 else "them", self._spent(pause, False),
        )
        self._sleep(pause)

    def _failure(self, status: int | None, reason: str, piece: list[Operation], unsent: int) -> IndexUnavailable:
        named = piece[0].record_id + (", …" if len(piece) > 1 else "")
        waited = f" after waiting {round(self._waited, 1):g} s in all" if status == 429 else ""
        more = f"; {unsent} more document{'s' if unsent > 1 else ''} of this batch were not sent" if unsent else ""
        return IndexUnavailable(
            f"{self.location.describe()}: the node still refuses {_documents(len(piece))} ({named}){waited}: "
            f"{_said(status, reason)}{more}; {_advice(status, reason)}",
            status=status,
            transient=status == 429,
            reason=reason,
        )
