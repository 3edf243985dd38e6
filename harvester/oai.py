"""Harvesting one museum's OAI-PMH endpoint into pages of raw records.

The harvester does not know the store.  It turns a Checkpoint into a stream
of Pages; each Page carries the checkpoint to save *with* its records, whose
resumption token is the one for the NEXT page, read from the page just
parsed.  Committing page N together with its checkpoint and resuming from it
therefore fetches page N+1 exactly: nothing skipped, nothing repeated.  (This
is why sickle's own iterator is not used: it moves its token forward while the
current page's records are still being consumed, FACTS §8.)

sickle sends the requests (through ``Sickle.harvest``, fed by our retrying
fetcher); each response is parsed once, here, from its bytes.  The next page
is requested while the current one's records are cut out (one request at a
time, as before): what the checkpoint says is unchanged by it.

Bounds (issue 13): every request goes through ``HttpFetcher`` under the
museum's ``SourcePolicy`` (allowed addresses, response-size cap) and the run's
deadline; a window that loops is stopped by ``ListingGuard``; the server's
clock is trusted only as far as ``server_clock`` allows.  Each ends in a
one-line HarvestError naming the museum, the URL and what to do, after the
pages already yielded (and committed by the caller) - the next run resumes
from their checkpoint.

Local ids: the OAI identifier scheme is ``oai:<namespace-identifier>:<local>``
with a domain-like namespace identifier.  ``local_id`` is the ``<local>`` part
when the identifier follows that scheme (it keeps any further colons, so it
stays unique) and the whole identifier otherwise.  It is a pure function of
the identifier, so it is stable across harvests, and it survives a museum
renaming its repository domain.  The full identifier is kept in
``RawRecord.oai_identifier``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import requests
from sickle import Sickle

from config.registry import OaiSource
from config.source_policy import SourcePolicy
from harvester.checkpoint import Checkpoint
from harvester.endpoint_hints import EndpointHints
from harvester.endpoint_info import (
    DAY_GRANULARITY,
    EndpointInfo,
    endpoint_info_from_identify,
)
from harvester.errors import (
    BadResumptionToken,
    CannotDisseminateFormat,
    DeadlineExceeded,
    excerpt,
    oai_error_for_code,
)
from harvester.http import HttpFetcher, RetryPolicy
from harvester.http_stats import HttpStats
from harvester.limits import Deadline, harvest_deadline
from harvester.listing_guard import ListingGuard
from harvester.oai_document import Document, oai_name, read_document
from harvester.oai_records import LIDO_NS, OAI_DC_NS, local_id_from_oai_identifier, records_of
from harvester.page import Page
from harvester.server_clock import FutureDatestamps, incremental_from, window_start

__all__ = [
    "LIDO_NS",
    "OAI_DC_NS",
    "EndpointInfo",
    "OaiHarvester",
    "format_from",
    "is_oai_error_document",
    "local_id_from_oai_identifier",
]


log = logging.getLogger("emuseum.harvest")

_q = oai_name


def format_from(moment: datetime, granularity: str) -> str:
    """An OAI ``from``/``until`` value in the endpoint's granularity (UTC; naive = UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    if granularity == DAY_GRANULARITY:
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class _FetchingSickle(Sickle):  # type: ignore[misc]  # sickle ships no type information
    """sickle with our transport: retries, timeout and User-Agent live in HttpFetcher."""

    def __init__(self, endpoint: str, fetcher: HttpFetcher) -> None:
        super().__init__(endpoint, max_retries=0)
        self._fetcher = fetcher

    def _request(self, kwargs: dict[str, str]) -> requests.Response:
        return self._fetcher.get_once(self.endpoint, kwargs, accept=is_oai_error_document)


def is_oai_error_document(response: requests.Response) -> bool:
    """Some servers send OAI ``<error>`` answers with HTTP 400/404/422; read those, not fail."""
    if response.status_code >= 500 or response.status_code == 429:
        return False
    head = response.content[:8192]
    return b"OAI-PMH" in head and b"error" in head and b"code=" in head


class OaiHarvester:
    """Harvests one museum's endpoint; see the module docstring for the page/checkpoint rule.

    ``policy`` is the source policy (addresses, response cap; default: the
    environment's), ``deadline`` a ``time.monotonic()`` moment the run must end
    by (default: now + the museum's ``max_seconds`` or the policy's; callers
    pass ``harvest_deadline(source, policy, max_seconds=flag)``).
    ``max_pages_per_window`` overrides the page cap derived from completeListSize.
    ``endpoint_hints`` is what an endpoint check measured (``harvester.endpoint_hints``):
    the granularity to write ``from`` in, and whether ``from`` is honoured at all.
    """

    def __init__(
        self,
        museum_id: str,
        source: OaiSource,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        retry_policy: RetryPolicy | None = None,
        max_pages_per_window: int | None = None,
        max_window_restarts: int = 3,
        policy: SourcePolicy | None = None,
        deadline: float | Deadline | None = None,
        stats: HttpStats | None = None,
        endpoint_hints: EndpointHints | None = None,
    ) -> None:
        self.museum_id = museum_id
        self.stats = stats if stats is not None else HttpStats()
        self.hints = endpoint_hints or EndpointHints()
        self.source = source
        self.max_pages_per_window = max_pages_per_window
        self.max_window_restarts = max_window_restarts
        self.policy = policy if policy is not None else SourcePolicy.from_env()
        self.deadline = Deadline.of(deadline, harvest_deadline(source, self.policy))
        self._fetcher = HttpFetcher(
            museum_id,
            session=session,
            timeout=source.timeout,
            user_agent=source.user_agent,
            policy=retry_policy or RetryPolicy(max_retries=source.max_retries),
            sleep=sleep,
            source_policy=self.policy,
            max_response_bytes=self.policy.max_response_bytes_for(source),
            deadline=self.deadline,
            stats=self.stats,
        )
        self._sickle = _FetchingSickle(source.url, self._fetcher)
        self._info: EndpointInfo | None = None
        self._pending_notes: list[str] = []  # from start(), reported with the first page
        self._pages_this_run = 0
        self._records_this_run = 0
        self._token_restarts = 0  # expired tokens: the window was listed again from its start
        self._deleted_seen = 0

    # -- requests -------------------------------------------------------------------------

    def _fetch(self, params: dict[str, str]) -> Document:
        """One OAI request, retried as a whole (transport *and* parse) on transient failures."""
        try:
            return self._fetch_document(params)
        except DeadlineExceeded as exc:
            raise self._stopped(exc) from None

    def _fetch_document(self, params: dict[str, str]) -> Document:
        def attempt() -> Document:
            try:
                response = self._sickle.harvest(**params)
                content = response.http_response.content
            except requests.HTTPError as exc:  # an accepted OAI error document with HTTP 4xx
                if exc.response is None:
                    raise
                content = exc.response.content
            return read_document(content)

        return self._fetcher.with_retries(self._fetcher.describe(self.source.url, params), attempt)

    def _stopped(self, exc: DeadlineExceeded) -> DeadlineExceeded:
        """The time limit, said with what this run got done (the pages yielded so far)."""
        return DeadlineExceeded(
            self.museum_id,
            f"stopped {self.deadline.describe()} with {self._pages_this_run} page(s) "
            f"({self._records_this_run} records) done in this run; the next run resumes from the "
            f"checkpoint after the last of them; raise max_seconds for this museum if its listing "
            f"needs longer ({exc.message})",
        )

    def _fetched(self, ahead: Future[Document] | None, params: dict[str, str]) -> Document:
        """The response asked for ahead (its failure raised now, after the pages before it), or fetched now."""
        if ahead is None:
            return self._fetch(params)
        try:
            return ahead.result()
        except DeadlineExceeded as exc:
            raise self._stopped(exc) from None

    def _raise_for_errors(self, document: Document, params: dict[str, str]) -> None:
        errors = document.errors()
        if errors:
            code, message = errors[0]
            where = self._fetcher.describe(self.source.url, params)
            raise oai_error_for_code(code, self.museum_id, f"{excerpt(message, 200)} (request {where})")

    def observed(self) -> dict[str, object]:
        """How the endpoint behaved in this run, as plain data for the run's history.

        Identify's words when this run asked for them (incremental runs do),
        plus what the listing showed: deletions sent, resumption tokens that
        expired (the window was restarted).
        """
        seen: dict[str, object] = {
            "protocol": "oai-pmh",
            "token_restarts": self._token_restarts,
            "token_expiry": self._token_restarts > 0,
            "deleted_seen": self._deleted_seen,
        }
        if self._info is not None:
            seen.update(
                repository_name=self._info.repository_name,
                granularity=self._info.granularity,
                deleted_record=self._info.deleted_record,
                earliest_datestamp=self._info.earliest_datestamp,
            )
        return seen

    # -- Identify / formats ---------------------------------------------------------------

    def identify(self) -> EndpointInfo:
        """The endpoint's self-description (fetched once per harvester)."""
        if self._info is None:
            params = {"verb": "Identify"}
            document = self._fetch(params)
            self._raise_for_errors(document, params)
            self._info = endpoint_info_from_identify(document.root)
            log.info(
                "event=identify museum=%s granularity=%s deleted_record=%s earliest=%s",
                self.museum_id,
                self._info.granularity,
                self._info.deleted_record,
                self._info.earliest_datestamp,
            )
        return self._info

    def metadata_formats(self) -> list[tuple[str, str]]:
        """(metadataPrefix, metadataNamespace) pairs the endpoint offers."""
        params = {"verb": "ListMetadataFormats"}
        document = self._fetch(params)
        self._raise_for_errors(document, params)
        formats = []
        for element in document.root.iter(_q("metadataFormat")):
            prefix = (element.findtext(_q("metadataPrefix")) or "").strip()
            namespace = (element.findtext(_q("metadataNamespace")) or "").strip()
            if prefix:
                formats.append((prefix, namespace))
        return formats

    def choose_prefix(self) -> str:
        """The configured prefix (if offered), else LIDO, else oai_dc."""
        formats = self.metadata_formats()
        offered = ", ".join(p for p, _ in formats) or "nothing"
        wanted = self.source.metadata_prefix
        if wanted is not None:
            if any(p == wanted for p, _ in formats):
                return wanted
            raise CannotDisseminateFormat(
                self.museum_id,
                f"museums.yaml asks for metadataPrefix {wanted!r} but {self.source.url} offers {offered}",
            )
        for prefix, namespace in formats:
            if prefix.lower() == "lido" or namespace.rstrip("/") == LIDO_NS:
                return prefix
        for prefix, namespace in formats:
            if prefix == "oai_dc" or namespace == OAI_DC_NS:
                return prefix
        raise CannotDisseminateFormat(
            self.museum_id,
            f"{self.source.url} offers neither LIDO nor oai_dc (offers {offered}); "
            "set metadata_prefix in museums.yaml only once a mapping for it exists",
        )

    # -- windows and pages ----------------------------------------------------------------

    def start(self, *, last_success: datetime | None, full: bool, now: datetime | None = None) -> Checkpoint:
        """The first checkpoint of a harvest window.

        Incremental ``from`` goes back ``overlap_seconds`` behind the last
        successful run (ideally the server's responseDate), because server
        clocks and commit delays make the exact boundary unreliable; records
        seen twice are upserted idempotently by the caller.  It is never later
        than our own clock minus the overlap; a last run dated in our future
        makes the window list everything instead (``server_clock``).
        """
        prefix = self.choose_prefix()
        from_: str | None = None
        if not full and last_success is None:
            log.info("event=no_previous_run museum=%s action=full_harvest", self.museum_id)
            full = True
        if not full and self.hints.honours_from is False:
            log.info("event=from_ignored museum=%s action=full_listing", self.museum_id)
            self._pending_notes.append(
                f"the endpoint check of {self.hints.checked_at or 'an earlier date'} found that this endpoint "
                "ignores 'from': asking for the full list instead (deletions are noticed too)"
            )
            full = True
        if not full and last_success is not None:
            moment, note = incremental_from(
                last_success, now or datetime.now(UTC), timedelta(seconds=self.source.overlap_seconds)
            )
            if note:
                log.warning("event=clock museum=%s note=%r", self.museum_id, note)
                self._pending_notes.append(note)
            measured = self.hints.granularity or self.identify().granularity
            from_ = format_from(moment, measured) if moment is not None else None
        return Checkpoint(
            museum_id=self.museum_id,
            source_type="oai-pmh",
            full=full,
            metadata_prefix=prefix,
            set_spec=self.source.set,
            from_=from_,
        )

    def _window_params(self, checkpoint: Checkpoint, prefix: str) -> dict[str, str]:
        params = {
            "verb": "ListRecords",
            "metadataPrefix": prefix,
            "from": checkpoint.from_,
            "until": checkpoint.until,
            "set": checkpoint.set_spec,
        }
        return {key: value for key, value in params.items() if value is not None}

    def pages(self, checkpoint: Checkpoint) -> Iterator[Page]:
        """One Page per OAI response, from the checkpoint's token or the window's start.

        The next page is asked for as soon as this one's resumption token is
        read, and received in a second thread while this page's records are
        cut out and handed on: the endpoint's serving time and ours overlap,
        one request at a time as before.  A failure of that request is raised
        at the next page, after this one, as if it had been made then.
        """
        fetcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"oai-{self.museum_id}")
        try:
            yield from self._pages(checkpoint, fetcher)
        finally:
            # a request under way is let finish (its time limit bounds it): nothing runs on after the listing
            fetcher.shutdown(wait=True, cancel_futures=True)

    def _pages(self, checkpoint: Checkpoint, fetcher: ThreadPoolExecutor) -> Iterator[Page]:
        prefix = checkpoint.metadata_prefix or self.choose_prefix()
        token = checkpoint.resumption_token
        window_started = checkpoint.window_started
        pages_done, records_done = checkpoint.pages_done, checkpoint.records_done
        guard = ListingGuard(
            self.museum_id,
            self.source.url,
            max_pages=self.max_pages_per_window,
            records_before=records_done if token else 0,
            first_token=token,
        )
        future = FutureDatestamps(datetime.now(UTC))
        restarts = 0
        ahead: Future[Document] | None = None
        while True:
            if token:
                params = {"verb": "ListRecords", "resumptionToken": token}
            else:
                params = self._window_params(checkpoint, prefix)
            document, ahead = self._fetched(ahead, params), None
            errors = document.errors()
            codes = [code for code, _ in errors]
            if "badResumptionToken" in codes and token:
                restarts += 1
                if restarts > self.max_window_restarts:
                    raise BadResumptionToken(
                        self.museum_id,
                        f"the endpoint rejected resumption tokens {restarts} times "
                        f"(last {excerpt(token, 60)}); its tokens expire faster than pages can be fetched",
                    )
                log.warning(
                    "event=token_expired museum=%s token=%r action=restart_window from=%s",
                    self.museum_id,
                    token,
                    checkpoint.from_,
                )
                token = None
                self._token_restarts += 1
                guard.restart()
                continue
            if errors and "noRecordsMatch" not in codes:
                self._raise_for_errors(document, params)
            notes = self._pending_notes
            self._pending_notes = []
            if window_started is None:
                window_started, clock_note = window_start(document.response_date(), datetime.now(UTC))
                if clock_note:
                    log.warning("event=clock museum=%s note=%r", self.museum_id, clock_note)
                    notes.append(clock_note)
            # noRecordsMatch is an empty list, even when a broken server adds a token (§9.3).
            next_token = None if errors else document.resumption_token()
            if next_token and not guard.handed_out(next_token):
                ahead = fetcher.submit(self._fetch_document, {"verb": "ListRecords", "resumptionToken": next_token})
            records, quarantined = ([], []) if errors else records_of(self.museum_id, document, prefix)
            guard.check_page(
                [r.oai_identifier or r.local_id for r in records] + [q.local_id or "" for q in quarantined],
                next_token,
                None if errors else document.complete_list_size(),
            )
            for record in records:
                future.check(record.oai_identifier or record.local_id, record.datestamp)
            if (future_note := future.note()) is not None:
                notes.append(future_note)
            last = next_token is None
            pages_done += 1
            records_done += len(records)
            page = Page(
                records=records,
                checkpoint=checkpoint.model_copy(
                    update={
                        "metadata_prefix": prefix,
                        "resumption_token": next_token,
                        "window_started": window_started,
                        "pages_done": pages_done,
                        "records_done": records_done,
                    }
                ),
                quarantined=quarantined,
                repaired=notes + document.repair_notes(),
                last=last,
                complete_listing=last and checkpoint.full,
            )
            del document  # the page's tree and text: free before the caller works on the page
            log.info(
                "event=page museum=%s page=%d records=%d deleted=%d quarantined=%d repaired=%d last=%s",
                self.museum_id,
                pages_done,
                len(records),
                sum(r.deleted for r in records),
                len(quarantined),
                len(page.repaired),
                last,
                extra={"page": pages_done},
            )
            for note in page.repaired:
                log.warning("event=repaired museum=%s note=%r", self.museum_id, note)
            for bad in quarantined:
                log.warning(
                    "event=quarantined museum=%s record=%s reason=%r",
                    self.museum_id,
                    bad.local_id,
                    bad.reason,
                    extra={"page": pages_done, "record_id": bad.local_id},
                )
            self._pages_this_run += 1
            self._records_this_run += len(records)
            self._deleted_seen += sum(r.deleted for r in records)
            yield page
            if last:
                return
            token = next_token
