"""A real OAI-PMH data provider on 127.0.0.1, for tests and the demo.

The protocol side is the third-party ``oaipmh`` package's BatchingServer, so
the harvester is tested against someone else's reading of the standard, not
against our own.  Around it sits a small stdlib HTTP server that adds what
real museum endpoints do to harvesters (FACTS §9): 503/429 with
``Retry-After``, dropped connections, truncated bodies, HTML error pages,
control characters and broken bytes inside records, tokens that repeat
forever or expire.  Faults live at the HTTP layer so the provider stays the
unmodified third-party one.

Resumption tokens are translated at the HTTP layer into opaque ones that
contain ``+``, ``/`` and ``=`` (``v1+<base64>``), because real tokens do and a
harvester that forgets to URL-encode them must fail here, not in production.
"""

from __future__ import annotations

import base64
import binascii
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from lxml import etree
from oaipmh import common
from oaipmh import error as oai_error
from oaipmh.metadata import MetadataRegistry
from oaipmh.server import BatchingServer, decodeResumptionToken

__all__ = ["EndpointRecord", "Faults", "OaiEndpoint", "RequestSeen"]

_KNOWN_FORMATS = {
    "lido": ("http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd", "http://www.lido-schema.org"),
    "oai_dc": (
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        "http://www.openarchives.org/OAI/2.0/oai_dc/",
    ),
}
_DAY = "YYYY-MM-DD"
_PATH = "/oai"
_TOKEN_ELEMENT = re.compile(rb"<resumptionToken([^>]*)>([^<]*)</resumptionToken>")
_PUBLIC_TOKEN_PREFIX = "v1+"


@dataclass
class EndpointRecord:
    identifier: str
    datestamp: datetime  # naive = UTC
    deleted: bool = False
    metadata: dict[str, bytes] = field(default_factory=dict)  # prefix -> metadata element XML
    sets: list[str] = field(default_factory=list)


@dataclass
class Faults:
    """Misbehaviour to inject; counters count requests of any verb unless said otherwise."""

    fail_first_n_with_503: int = 0
    failure_status: int = 503  # e.g. 429 for rate limiting
    retry_after: str | None = None  # sent with those failures: seconds or an HTTP-date
    repeat_token_forever: bool = False  # every token request is answered with the same token
    corrupt_record_ids: set[str] = field(default_factory=set)  # control chars + invalid UTF-8
    break_record_ids: set[str] = field(default_factory=set)  # an unclosed tag: not repairable
    drop_connection_on_page: int | None = None  # ListRecords page number (1-based), once
    truncate_first_n: int = 0  # bodies cut in half
    html_first_n: int = 0  # an HTML error page with HTTP 200
    expire_tokens: bool = False  # tokens die on expire_tokens_now() and set_records()
    page_delay: float = 0.0  # seconds before each ListRecords answer (a slow museum server)
    ignore_from: bool = False  # answer as if no 'from' had been sent (FACTS 9.10)


@dataclass(frozen=True)
class RequestSeen:
    params: dict[str, str]
    user_agent: str | None
    status: int


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _write_prebuilt(element: etree._Element, metadata: bytes) -> None:
    """oaipmh metadata writer: our records already are XML, so insert them as they are."""
    element.append(etree.fromstring(metadata))


class _Provider:
    """The IBatchingOAI data side handed to oaipmh's BatchingServer."""

    def __init__(self, endpoint: OaiEndpoint) -> None:
        self._endpoint = endpoint

    def identify(self) -> common.Identify:
        records = self._endpoint.records()
        earliest = min((_naive_utc(r.datestamp) for r in records), default=datetime(1970, 1, 1))
        return common.Identify(
            repositoryName=self._endpoint.name,
            baseURL=self._endpoint.url,
            protocolVersion="2.0",
            adminEmails=["catalogue@example.kz"],
            earliestDatestamp=earliest,
            deletedRecord=self._endpoint.deleted_record,
            granularity=self._endpoint.granularity,
            compression=["identity"],
        )

    def listMetadataFormats(self, identifier: str | None = None) -> list[tuple[str, str, str]]:
        formats = self._endpoint.formats
        if identifier is not None:
            record = self._find(identifier)
            formats = [f for f in formats if record.deleted or f in record.metadata]
            if not formats:
                raise oai_error.NoMetadataFormatsError(f"no formats for {identifier}")
        return [(p, *_KNOWN_FORMATS.get(p, (f"urn:schema:{p}", f"urn:namespace:{p}"))) for p in formats]

    def listSets(self, cursor: int = 0, batch_size: int = 10) -> list[tuple[str, str, None]]:
        specs = sorted({s for r in self._endpoint.records() for s in r.sets})
        if not specs:
            raise oai_error.NoSetHierarchyError("this repository has no sets")
        return [(s, s, None) for s in specs][cursor : cursor + batch_size]

    def getRecord(self, metadataPrefix: str, identifier: str) -> tuple[Any, Any, None]:
        self._check_prefix(metadataPrefix)
        record = self._find(identifier)
        if not record.deleted and metadataPrefix not in record.metadata:
            raise oai_error.CannotDisseminateFormatError(f"{identifier} has no {metadataPrefix}")
        return self._header(record), record.metadata.get(metadataPrefix), None

    def listRecords(
        self,
        metadataPrefix: str,
        set: str | None = None,  # noqa: A002 - the oaipmh interface names it so
        from_: datetime | None = None,
        until: datetime | None = None,
        cursor: int = 0,
        batch_size: int = 10,
    ) -> list[tuple[Any, Any, None]]:
        selected = self._select(metadataPrefix, set, from_, until)
        window = selected[int(cursor) : int(cursor) + int(batch_size)]
        return [(self._header(r), r.metadata.get(metadataPrefix), None) for r in window]

    def listIdentifiers(
        self,
        metadataPrefix: str,
        set: str | None = None,  # noqa: A002
        from_: datetime | None = None,
        until: datetime | None = None,
        cursor: int = 0,
        batch_size: int = 10,
    ) -> list[Any]:
        selected = self._select(metadataPrefix, set, from_, until)
        return [self._header(r) for r in selected[int(cursor) : int(cursor) + int(batch_size)]]

    def _check_prefix(self, prefix: str) -> None:
        if prefix not in self._endpoint.formats:
            raise oai_error.CannotDisseminateFormatError(f"unknown metadataPrefix {prefix}")

    def _find(self, identifier: str) -> EndpointRecord:
        for record in self._endpoint.records():
            if record.identifier == identifier:
                return record
        raise oai_error.IdDoesNotExistError(f"no record {identifier}")

    def _select(
        self,
        prefix: str,
        set_spec: str | None,
        from_: datetime | None,
        until: datetime | None,
    ) -> list[EndpointRecord]:
        self._check_prefix(prefix)
        selected = []
        for record in sorted(self._endpoint.records(), key=lambda r: r.identifier):
            if record.deleted and self._endpoint.deleted_record == "no":
                continue
            if not record.deleted and prefix not in record.metadata:
                continue
            stamp = _naive_utc(record.datestamp)
            if from_ is not None and stamp < from_:
                continue
            if until is not None and stamp > until:
                continue
            if set_spec is not None and not any(s == set_spec or s.startswith(set_spec + ":") for s in record.sets):
                continue
            selected.append(record)
        return selected

    def _header(self, record: EndpointRecord) -> common.Header:
        return common.Header(None, record.identifier, _naive_utc(record.datestamp), record.sets, record.deleted)


class OaiEndpoint:
    """An OAI-PMH endpoint on a free loopback port, served from a background thread."""

    def __init__(
        self,
        records: list[EndpointRecord],
        *,
        name: str,
        formats: list[str],
        batch_size: int = 10,
        granularity: str = "YYYY-MM-DDThh:mm:ssZ",
        deleted_record: str = "persistent",
        faults: Faults | None = None,
    ) -> None:
        self.name = name
        self.formats = list(formats)
        self.batch_size = batch_size
        self.granularity = granularity
        self.deleted_record = deleted_record
        self.faults = faults or Faults()
        self.url = ""
        self.requests_seen: list[RequestSeen] = []
        self._records = list(records)
        self._lock = threading.Lock()
        self._issued_tokens: set[str] = set()
        self._fault_counts = {"fail": 0, "html": 0, "truncate": 0}
        self._dropped_pages: set[int] = set()
        registry = MetadataRegistry()
        for prefix in self.formats:
            registry.registerWriter(prefix, _write_prebuilt)
        self._server = BatchingServer(_Provider(self), metadata_registry=registry, resumption_batch_size=batch_size)
        self._http: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> OaiEndpoint:
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                endpoint._serve(self, urlsplit(self.path).query)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                endpoint._serve(self, self.rfile.read(length).decode("utf-8", "replace"))

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        port = self._http.server_address[1]
        self.url = f"http://127.0.0.1:{port}{_PATH}"
        self._thread = threading.Thread(
            target=self._http.serve_forever,
            kwargs={"poll_interval": 0.05},  # stop() waits at most one poll
            name=f"oai-endpoint-{port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> OaiEndpoint:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- data -----------------------------------------------------------------------------

    def records(self) -> list[EndpointRecord]:
        with self._lock:
            return list(self._records)

    def set_records(self, records: list[EndpointRecord]) -> None:
        with self._lock:
            self._records = list(records)
            if self.faults.expire_tokens:
                self._issued_tokens.clear()

    def expire_tokens_now(self) -> None:
        """Forget every token handed out so far (only matters with ``faults.expire_tokens``)."""
        with self._lock:
            self._issued_tokens.clear()

    def list_records_params(self) -> list[dict[str, str]]:
        """Parameters of each ListRecords request seen, in order."""
        with self._lock:
            return [r.params for r in self.requests_seen if r.params.get("verb") == "ListRecords"]

    # -- HTTP -----------------------------------------------------------------------------

    def _serve(self, handler: BaseHTTPRequestHandler, query: str) -> None:
        parsed = parse_qs(query, keep_blank_values=True)
        params = {key: values[-1] for key, values in parsed.items()}
        user_agent = handler.headers.get("User-Agent")
        if urlsplit(handler.path).path != _PATH:
            self._send(handler, 404, b"<html><body>Not Found</body></html>", params, user_agent)
            return
        injected = self._injected_failure(params)
        if injected == "drop":
            self._log(params, user_agent, 0)
            handler.close_connection = True
            return
        if injected == "fail":
            headers = {"Retry-After": self.faults.retry_after} if self.faults.retry_after else {}
            body = b"<html><body>Service temporarily unavailable</body></html>"
            self._send(handler, self.faults.failure_status, body, params, user_agent, headers)
            return
        if injected == "html":
            body = b"<!DOCTYPE html><html><body><h1>Database maintenance</h1></body></html>"
            self._send(handler, 200, body, params, user_agent, content_type="text/html")
            return
        if self.faults.page_delay and params.get("verb") == "ListRecords":
            time.sleep(self.faults.page_delay)
        duplicated = [key for key, values in parsed.items() if len(values) > 1]
        if duplicated:
            body = self._error_document("badArgument", f"repeated argument {duplicated[0]}")
        else:
            body = self._answer(params)
        if injected == "truncate":
            body = body[: len(body) // 2]
        self._send(handler, 200, body, params, user_agent)

    def _injected_failure(self, params: dict[str, str]) -> str | None:
        faults = self.faults
        with self._lock:
            counts = self._fault_counts
            if counts["fail"] < faults.fail_first_n_with_503:
                counts["fail"] += 1
                return "fail"
            if counts["html"] < faults.html_first_n:
                counts["html"] += 1
                return "html"
            if counts["truncate"] < faults.truncate_first_n:
                counts["truncate"] += 1
                return "truncate"
            page = self._page_number(params)
            if page is not None and page == faults.drop_connection_on_page and page not in self._dropped_pages:
                self._dropped_pages.add(page)
                return "drop"
        return None

    def _page_number(self, params: dict[str, str]) -> int | None:
        if params.get("verb") != "ListRecords":
            return None
        token = params.get("resumptionToken")
        if token is None:
            return 1
        inner = self._inner_token(token)
        if inner is None:
            return None
        try:
            _, cursor = decodeResumptionToken(inner)
        except oai_error.BadResumptionTokenError:
            return None
        return int(cursor) // self.batch_size + 1

    def _answer(self, params: dict[str, str]) -> bytes:
        request = dict(params)
        public_token = request.get("resumptionToken")
        if public_token is not None:
            inner = self._inner_token(public_token)
            with self._lock:
                expired = self.faults.expire_tokens and public_token not in self._issued_tokens
            if inner is None or expired:
                return self._error_document(
                    "badResumptionToken",
                    f"the resumptionToken {public_token!r} is invalid or expired",
                )
            request["resumptionToken"] = inner
        if self.granularity == _DAY and any("T" in request.get(k, "") for k in ("from", "until")):
            return self._error_document("badArgument", "this repository supports day granularity (YYYY-MM-DD) only")
        if self.faults.ignore_from:
            request.pop("from", None)
        body = self._server.handleRequest(request)
        body = self._publish_tokens(body, public_token)
        return self._corrupt(body)

    def _publish_tokens(self, body: bytes, requested: str | None) -> bytes:
        def publish(match: re.Match[bytes]) -> bytes:
            inner = match.group(2).decode("utf-8")
            if self.faults.repeat_token_forever and requested is not None:
                public = requested
            else:
                public = _PUBLIC_TOKEN_PREFIX + base64.b64encode(inner.encode("utf-8")).decode()
            with self._lock:
                self._issued_tokens.add(public)
            return b"<resumptionToken" + match.group(1) + b">" + escape(public).encode() + (b"</resumptionToken>")

        body = _TOKEN_ELEMENT.sub(publish, body)
        if self.faults.repeat_token_forever and requested is not None and b"<resumptionToken" not in body:
            body = body.replace(
                b"</ListRecords>",
                b"<resumptionToken>" + escape(requested).encode() + b"</resumptionToken></ListRecords>",
            )
        return body

    @staticmethod
    def _inner_token(public: str) -> str | None:
        if not public.startswith(_PUBLIC_TOKEN_PREFIX):
            return None
        try:
            return base64.b64decode(public[len(_PUBLIC_TOKEN_PREFIX) :], validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None

    def _corrupt(self, body: bytes) -> bytes:
        for identifier in self.faults.corrupt_record_ids:
            body = self._inject(body, identifier, b"\x0b\x01\xff\xfe", into_text=True)
        for identifier in self.faults.break_record_ids:
            body = self._inject(body, identifier, b"<unclosed>", into_text=False)
        return body

    @staticmethod
    def _inject(body: bytes, identifier: str, junk: bytes, *, into_text: bool) -> bytes:
        """Put ``junk`` in that record's metadata: into its first text, or after its root tag."""
        marker = b"<identifier>" + escape(identifier).encode("utf-8") + b"</identifier>"
        at = body.find(marker)
        if at < 0:
            return body
        metadata = body.find(b"<metadata>", at)
        record_end = body.find(b"</record>", at)
        if metadata < 0 or (0 <= record_end < metadata):
            return body  # a deleted record has no metadata to spoil
        if into_text:
            position = body.find(b"</", metadata)
        else:
            position = body.find(b">", body.find(b"<", metadata + len(b"<metadata>"))) + 1
        return body[:position] + junk + body[position:]

    def _error_document(self, code: str, message: str) -> bytes:
        """An OAI error envelope for the few checks oaipmh's server does not make itself."""
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
            f"<responseDate>{now}</responseDate><request>{escape(self.url)}</request>"
            f'<error code="{code}">{escape(message)}</error></OAI-PMH>\n'
        ).encode()

    def _send(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        body: bytes,
        params: dict[str, str],
        user_agent: str | None,
        headers: dict[str, str] | None = None,
        content_type: str = "text/xml; charset=utf-8",
    ) -> None:
        self._log(params, user_agent, status)
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(body)

    def _log(self, params: dict[str, str], user_agent: str | None, status: int) -> None:
        with self._lock:
            self.requests_seen.append(RequestSeen(dict(params), user_agent, status))
