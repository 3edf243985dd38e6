"""Harvesting one museum's OAI-PMH endpoint into pages of raw records.

The harvester does not know the store.  It turns a Checkpoint into a stream
of Pages; each Page carries the checkpoint to save *with* its records, whose
resumption token is the one for the NEXT page, read from the page just
parsed.  Committing page N together with its checkpoint and resuming from it
therefore fetches page N+1 exactly: nothing skipped, nothing repeated.  (This
is why sickle's own iterator is not used: it moves its token forward while the
current page's records are still being consumed, FACTS §8.)

sickle sends the requests (through ``Sickle.harvest``, fed by our retrying
fetcher); each response is parsed once, here, from its bytes.

Local ids: the OAI identifier scheme is ``oai:<namespace-identifier>:<local>``
with a domain-like namespace identifier.  ``local_id`` is the ``<local>`` part
when the identifier follows that scheme (it keeps any further colons, so it
stays unique) and the whole identifier otherwise.  It is a pure function of
the identifier, so it is stable across harvests, and it survives a museum
renaming its repository domain.  The full identifier is kept in
``RawRecord.oai_identifier``.
"""

from __future__ import annotations

import copy
import html
import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import requests
from lxml import etree
from sickle import Sickle

from config.registry import OaiSource
from harvester.checkpoint import Checkpoint
from harvester.endpoint_info import (
    DAY_GRANULARITY,
    OAI_NS,
    EndpointInfo,
    endpoint_info_from_identify,
)
from harvester.errors import (
    BadResumptionToken,
    CannotDisseminateFormat,
    HarvestError,
    RepeatedResumptionToken,
    oai_error_for_code,
)
from harvester.http import HttpFetcher, RetryPolicy, TransientFailure
from harvester.page import Page, Quarantined
from harvester.raw import RawRecord
from harvester.xml_parser import hardened_parser
from harvester.xml_repair import RepairedXml, repair_xml_bytes

__all__ = [
    "LIDO_NS",
    "OAI_DC_NS",
    "EndpointInfo",
    "OaiHarvester",
    "format_from",
    "local_id_from_oai_identifier",
]

LIDO_NS = "http://www.lido-schema.org"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"

log = logging.getLogger("emuseum.harvest")

_OAI_IDENTIFIER = re.compile(r"^oai:[A-Za-z][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)+:(.+)$", re.S)
_ROOT_START = re.compile(r"<(?:([A-Za-z_][\w.-]*):)?OAI-PMH\b([^>]*)>")
_NS_DECLARATION = re.compile(r"""\sxmlns(?::[A-Za-z_][\w.-]*)?\s*=\s*("[^"]*"|'[^']*')""")


def _q(name: str) -> str:
    return f"{{{OAI_NS}}}{name}"


def local_id_from_oai_identifier(identifier: str) -> str:
    """The museum-local part of an OAI identifier (see the module docstring)."""
    match = _OAI_IDENTIFIER.match(identifier)
    return match.group(1) if match else identifier


def format_from(moment: datetime, granularity: str) -> str:
    """An OAI ``from``/``until`` value in the endpoint's granularity (UTC; naive = UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    if granularity == DAY_GRANULARITY:
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _format_for_prefix(prefix: str) -> str:
    if "lido" in prefix.lower():
        return "lido"
    return prefix


def _format_of(element: etree._Element, prefix: str) -> str:
    namespace = etree.QName(element).namespace
    if namespace == LIDO_NS:
        return "lido"
    if namespace == OAI_DC_NS:
        return "oai_dc"
    return _format_for_prefix(prefix)


def _serialize(element: etree._Element) -> bytes:
    """The metadata element alone, with the namespaces it needs but not the OAI envelope's."""
    detached = copy.deepcopy(element)
    keep = [p for p, ns in detached.nsmap.items() if p is not None and ns != OAI_NS]
    etree.cleanup_namespaces(detached, keep_ns_prefixes=keep)
    return etree.tostring(detached, encoding="utf-8")


@dataclass(slots=True)
class _RecordSpan:
    start: int
    end: int
    identifier: str | None


@dataclass(slots=True)
class _Document:
    """One OAI-PMH response, parsed once."""

    root: etree._Element
    text: str
    oai_prefix: str  # "oai:" or "" as the envelope writes OAI element names
    repaired: RepairedXml
    salvage_reason: str | None = None  # set when the page was not well-formed as a whole
    _spans: list[_RecordSpan] | None = field(default=None, repr=False)

    def errors(self) -> list[tuple[str, str]]:
        return [(e.get("code") or "oaiError", (e.text or "").strip()) for e in self.root.iter(_q("error"))]

    def response_date(self) -> str | None:
        value = self.root.findtext(_q("responseDate"))
        return value.strip() if value else None

    def spans(self) -> list[_RecordSpan]:
        """Where each ``<record>`` sits in the text: for salvage and for naming repairs."""
        if self._spans is None:
            p = re.escape(self.oai_prefix)
            records = re.compile(rf"<{p}record(?:\s[^>]*)?>.*?</{p}record\s*>", re.S)
            ident = re.compile(rf"<{p}identifier(?:\s[^>]*)?>(.*?)</{p}identifier\s*>", re.S)
            self._spans = []
            for match in records.finditer(self.text):
                found = ident.search(match.group(0))
                name = html.unescape(found.group(1)).strip() if found else None
                self._spans.append(_RecordSpan(match.start(), match.end(), name))
        return self._spans

    def resumption_token(self) -> str | None:
        """The token for the next page; absent or empty means the list is complete."""
        if self.salvage_reason is not None:
            # The recovered tree may have swallowed the token into a broken record.
            p = re.escape(self.oai_prefix)
            tokens = re.findall(
                rf"<{p}resumptionToken(?:\s[^>]*)?(?:/>|>(.*?)</{p}resumptionToken\s*>)",
                self.text,
                re.S,
            )
            values = [html.unescape(t).strip() for t in tokens]
        else:
            holder = self.root.find(_q("ListRecords"))
            elements = (holder if holder is not None else self.root).iter(_q("resumptionToken"))
            values = [(e.text or "").strip() for e in elements]
        return next((v for v in values if v), None)

    def repair_notes(self) -> list[str]:
        notes: list[str] = []
        if self.repaired.encoding_note:
            notes.append(self.repaired.encoding_note)
        counts: dict[tuple[str, str], int] = {}
        for fix in self.repaired.fixes:
            owner = next(
                (s.identifier or "a record" for s in self.spans() if s.start <= fix.position < s.end),
                "the response envelope",
            )
            counts[(owner, fix.description)] = counts.get((owner, fix.description), 0) + 1
        for (owner, description), count in counts.items():
            notes.append(f"{owner}: {description}" + (f" (x{count})" if count > 1 else ""))
        if self.salvage_reason:
            notes.append(f"page not well-formed ({self.salvage_reason}); records read one by one")
        return notes


def _read_document(content: bytes) -> _Document:
    """Repair, then parse; raise TransientFailure for anything that is not an OAI-PMH answer.

    HTML error pages and truncated bodies are *not* empty harvests (sickle#58):
    they are failures worth retrying, and in the end a SourceUnavailable.
    """
    if not content.strip():
        raise TransientFailure("empty response body")
    repaired = repair_xml_bytes(content)
    text = repaired.text
    start = _ROOT_START.search(text[:65536])
    if start is None:
        head = text.lstrip()[:200].lower()
        kind = "an HTML page" if "<html" in head or "<!doctype html" in head else "not OAI-PMH XML"
        raise TransientFailure(f"the answer is {kind}: {text.lstrip()[:80]!r}")
    oai_prefix = f"{start.group(1)}:" if start.group(1) else ""
    data = repaired.utf8()
    try:
        root = etree.fromstring(data, parser=hardened_parser())
        salvage_reason = None
    except etree.XMLSyntaxError as exc:
        closing = re.compile(rf"</{re.escape(oai_prefix)}OAI-PMH\s*>\s*$")
        if not closing.search(text):
            raise TransientFailure(f"truncated or broken response ({exc})") from exc
        root = etree.fromstring(data, parser=hardened_parser(recover=True))
        if root is None:
            raise TransientFailure(f"unreadable response ({exc})") from exc
        salvage_reason = str(exc)
    if root.tag != _q("OAI-PMH"):
        raise TransientFailure(f"the answer is not an OAI-PMH document (root <{root.tag}>)")
    return _Document(root, text, oai_prefix, repaired, salvage_reason)


def _salvaged_record_elements(
    document: _Document,
) -> Iterator[etree._Element | tuple[_RecordSpan, str]]:
    """Each record parsed on its own; a record that still fails comes back as (span, reason)."""
    start = _ROOT_START.search(document.text)
    declarations = "".join(m.group(0) for m in _NS_DECLARATION.finditer(start.group(2))) if start else ""
    for span in document.spans():
        chunk = document.text[span.start : span.end]
        try:
            wrapper = etree.fromstring(f"<salvage{declarations}>{chunk}</salvage>".encode(), parser=hardened_parser())
        except etree.XMLSyntaxError as exc:
            yield span, f"not well-formed XML: {exc}"
            continue
        yield from wrapper.iter(_q("record"))


class _FetchingSickle(Sickle):
    """sickle with our transport: retries, timeout and User-Agent live in HttpFetcher."""

    def __init__(self, endpoint: str, fetcher: HttpFetcher) -> None:
        super().__init__(endpoint, max_retries=0)
        self._fetcher = fetcher

    def _request(self, kwargs: dict[str, str]) -> requests.Response:
        return self._fetcher.get_once(self.endpoint, kwargs, accept=_is_oai_error_document)


def _is_oai_error_document(response: requests.Response) -> bool:
    """Some servers send OAI ``<error>`` answers with HTTP 400/404/422; read those, not fail."""
    if response.status_code >= 500 or response.status_code == 429:
        return False
    head = response.content[:8192]
    return b"OAI-PMH" in head and b"error" in head and b"code=" in head


class OaiHarvester:
    """Harvests one museum's endpoint; see the module docstring for the page/checkpoint rule."""

    def __init__(
        self,
        museum_id: str,
        source: OaiSource,
        *,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        retry_policy: RetryPolicy | None = None,
        max_pages_per_window: int = 200_000,
        max_window_restarts: int = 3,
    ) -> None:
        self.museum_id = museum_id
        self.source = source
        self.max_pages_per_window = max_pages_per_window
        self.max_window_restarts = max_window_restarts
        policy = retry_policy or RetryPolicy(max_retries=source.max_retries)
        self._fetcher = HttpFetcher(
            museum_id,
            session=session,
            timeout=source.timeout,
            user_agent=source.user_agent,
            policy=policy,
            sleep=sleep,
        )
        self._sickle = _FetchingSickle(source.url, self._fetcher)
        self._info: EndpointInfo | None = None

    # -- requests -------------------------------------------------------------------------

    def _fetch(self, params: dict[str, str]) -> _Document:
        """One OAI request, retried as a whole (transport *and* parse) on transient failures."""

        def attempt() -> _Document:
            try:
                response = self._sickle.harvest(**params)
                content = response.http_response.content
            except requests.HTTPError as exc:  # an accepted OAI error document with HTTP 4xx
                if exc.response is None:
                    raise
                content = exc.response.content
            return _read_document(content)

        return self._fetcher.with_retries(self._fetcher.describe(self.source.url, params), attempt)

    def _raise_for_errors(self, document: _Document, params: dict[str, str]) -> None:
        errors = document.errors()
        if errors:
            code, message = errors[0]
            where = self._fetcher.describe(self.source.url, params)
            raise oai_error_for_code(code, self.museum_id, f"{message} (request {where})")

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

    def start(self, *, last_success: datetime | None, full: bool) -> Checkpoint:
        """The first checkpoint of a harvest window.

        Incremental ``from`` goes back ``overlap_seconds`` behind the last
        successful run (ideally the server's responseDate), because server
        clocks and commit delays make the exact boundary unreliable; records
        seen twice are upserted idempotently by the caller.
        """
        prefix = self.choose_prefix()
        from_: str | None = None
        if not full and last_success is None:
            log.info("event=no_previous_run museum=%s action=full_harvest", self.museum_id)
            full = True
        if not full and last_success is not None:
            moment = last_success - timedelta(seconds=self.source.overlap_seconds)
            from_ = format_from(moment, self.identify().granularity)
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
        """One Page per OAI response, from the checkpoint's token or the window's start."""
        prefix = checkpoint.metadata_prefix or self.choose_prefix()
        token = checkpoint.resumption_token
        window_started = checkpoint.window_started
        seen_tokens: set[str] = {token} if token else set()
        pages_done, records_done = checkpoint.pages_done, checkpoint.records_done
        window_pages = 0
        restarts = 0
        while True:
            if token:
                params = {"verb": "ListRecords", "resumptionToken": token}
            else:
                params = self._window_params(checkpoint, prefix)
            document = self._fetch(params)
            errors = document.errors()
            codes = [code for code, _ in errors]
            if "badResumptionToken" in codes and token:
                restarts += 1
                if restarts > self.max_window_restarts:
                    raise BadResumptionToken(
                        self.museum_id,
                        f"the endpoint rejected resumption tokens {restarts} times "
                        f"(last {token!r}); its tokens expire faster than pages can be fetched",
                    )
                log.warning(
                    "event=token_expired museum=%s token=%r action=restart_window from=%s",
                    self.museum_id,
                    token,
                    checkpoint.from_,
                )
                token = None
                seen_tokens.clear()
                window_pages = 0
                continue
            if errors and "noRecordsMatch" not in codes:
                self._raise_for_errors(document, params)
            if window_started is None:
                window_started = document.response_date()
            # noRecordsMatch is an empty list, even when a broken server adds a token (§9.3).
            next_token = None if errors else document.resumption_token()
            window_pages += 1
            if next_token is not None and next_token in seen_tokens:
                raise RepeatedResumptionToken(
                    self.museum_id,
                    f"{self.source.url} returned resumption token {next_token!r} again "
                    f"(page {window_pages} of this window); it would loop forever",
                )
            if window_pages > self.max_pages_per_window:
                raise HarvestError(
                    self.museum_id,
                    f"more than {self.max_pages_per_window} pages in one window from "
                    f"{self.source.url}; stopping in case the endpoint loops",
                )
            if next_token is not None:
                seen_tokens.add(next_token)
            records, quarantined = ([], []) if errors else self._records(document, prefix)
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
                repaired=document.repair_notes(),
                last=last,
                complete_listing=last and checkpoint.full,
            )
            log.info(
                "event=page museum=%s page=%d records=%d deleted=%d quarantined=%d repaired=%d last=%s",
                self.museum_id,
                pages_done,
                len(records),
                sum(r.deleted for r in records),
                len(quarantined),
                len(page.repaired),
                last,
            )
            for note in page.repaired:
                log.warning("event=repaired museum=%s note=%r", self.museum_id, note)
            for bad in quarantined:
                log.warning(
                    "event=quarantined museum=%s record=%s reason=%r",
                    self.museum_id,
                    bad.local_id,
                    bad.reason,
                )
            yield page
            if last:
                return
            token = next_token

    # -- records --------------------------------------------------------------------------

    def _records(self, document: _Document, prefix: str) -> tuple[list[RawRecord], list[Quarantined]]:
        harvested_at = datetime.now(UTC)
        records: list[RawRecord] = []
        quarantined: list[Quarantined] = []
        if document.salvage_reason is None:
            holder = document.root.find(_q("ListRecords"))
            elements = list(holder.iter(_q("record"))) if holder is not None else []
            items: list[etree._Element | tuple[_RecordSpan, str]] = list(elements)
        else:
            items = list(_salvaged_record_elements(document))
        for position, item in enumerate(items, 1):
            if isinstance(item, tuple):
                span, reason = item
                local = local_id_from_oai_identifier(span.identifier) if span.identifier else None
                quarantined.append(
                    Quarantined(
                        self.museum_id,
                        local,
                        f"record {span.identifier or '(no identifier)'}: {reason}",
                        document.text[span.start : span.end].encode("utf-8"),
                    )
                )
                continue
            result = self._record(item, prefix, harvested_at, position)
            (records if isinstance(result, RawRecord) else quarantined).append(result)
        return records, quarantined

    def _record(
        self, element: etree._Element, prefix: str, harvested_at: datetime, position: int = 0
    ) -> RawRecord | Quarantined:
        header = element.find(_q("header"))
        identifier = (header.findtext(_q("identifier")) or "").strip() if header is not None else ""
        if header is None or not identifier:
            return Quarantined(
                self.museum_id,
                None,
                f"record #{position} of its ListRecords page has no OAI identifier in its header",
                etree.tostring(element, encoding="utf-8"),
            )
        local_id = local_id_from_oai_identifier(identifier)
        datestamp = (header.findtext(_q("datestamp")) or "").strip() or None
        if header.get("status") == "deleted":
            return RawRecord(
                museum_id=self.museum_id,
                local_id=local_id,
                format=_format_for_prefix(prefix),
                payload=b"",
                datestamp=datestamp,
                deleted=True,
                oai_identifier=identifier,
                harvested_at=harvested_at,
            )
        metadata = element.find(_q("metadata"))
        children = [c for c in metadata if isinstance(c.tag, str)] if metadata is not None else []
        if not children:
            what = "no <metadata>" if metadata is None else "an empty <metadata>"
            return Quarantined(
                self.museum_id,
                local_id,
                f"record {identifier}: {what} although the header does not say deleted",
                etree.tostring(element, encoding="utf-8"),
            )
        return RawRecord(
            museum_id=self.museum_id,
            local_id=local_id,
            format=_format_of(children[0], prefix),
            payload=_serialize(children[0]),
            datestamp=datestamp,
            deleted=False,
            oai_identifier=identifier,
            harvested_at=harvested_at,
        )
