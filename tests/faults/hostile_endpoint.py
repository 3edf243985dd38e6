"""A misbehaving OAI-PMH endpoint on 127.0.0.1, for the fault suite and bench_hostile.

It speaks enough OAI-PMH to be harvested (Identify, ListMetadataFormats,
ListRecords with oai_dc or LIDO records, ``from``/``until``, resumption
tokens with ``completeListSize``) and then misbehaves as its ``behaviour``
says, from ListRecords page ``fault_after_pages + 1`` on (earlier pages are
healthy, so a spec can check that records before the fault are kept):

============== ===================================================================
behaviour      what the endpoint does
============== ===================================================================
healthy        nothing wrong
stall          accepts the connection, reads the request, never answers
drip           sends its (valid) answer one byte per ``drip_interval`` seconds
endless_tokens a fresh token and fresh records with every page, forever
list_size_lie  the same, while every token says completeListSize="10"
repeat_token   hands back the same token forever
repeat_record  the same single record with a fresh token, forever
oversized      one page of ``oversize_bytes`` (valid records, generated lazily)
gzip_bomb      Content-Encoding gzip: small on the wire, ``oversize_bytes`` inflated
future_date    every responseDate is in 2099 (records honour ``from`` as usual)
html           HTTP 200 with an HTML page (containing ``SECRET_MARKER``)
disconnect     cuts the body in half and closes, on a ``disconnect_rate`` share of answers
============== ===================================================================

And five that misbehave on every answer (``fault_after_pages`` does not apply),
for the endpoint checker (``emuseum check-endpoint``):

===================== ============================================================
behaviour             what the endpoint does
===================== ============================================================
wrong_granularity     declares seconds, dates records in days, rejects a ``from`` with a time
ignore_from           answers as if no ``from`` / ``until`` had been sent
undeclared_deletions  declares ``deletedRecord`` no, yet every 5th record is a deleted header
mojibake              titles in Windows-1251 read as Latin-1 ("Ìóçåé" for «Музей»)
schema_invalid        a responseDate without T and Z, datestamps before identifiers, every 10th a local date
===================== ============================================================

Large bodies are generated and compressed as they are sent, never held in
memory; a client that hangs up stops the generation.  ``stop()`` ends every
stalled or dripping answer and waits for the handler threads.
"""

from __future__ import annotations

import random
import re
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from tests.loopback import LoopbackServer, QuietHandler

__all__ = ["BEHAVIOURS", "SECRET_MARKER", "HostileEndpoint"]

BEHAVIOURS = (
    "healthy",
    "stall",
    "drip",
    "endless_tokens",
    "list_size_lie",
    "repeat_token",
    "repeat_record",
    "oversized",
    "gzip_bomb",
    "future_date",
    "html",
    "disconnect",
    "wrong_granularity",
    "ignore_from",
    "undeclared_deletions",
    "mojibake",
    "schema_invalid",
)
#: Behaviours that shape every answer (the checker's faults), not only pages after fault_after_pages.
_CHARACTER = ("wrong_granularity", "ignore_from", "undeclared_deletions", "mojibake", "schema_invalid")
#: Appears in bodies the endpoint sends; a harvester's error message must never contain it.
SECRET_MARKER = "SECRET-PAGE-CONTENT-7f3a"
_EPOCH = datetime(2024, 1, 1, 8, 0, 0, tzinfo=UTC)
_FUTURE = "2099-01-01T00:00:00Z"
_HEADERS_ONLY = re.compile(r"<record>(<header[^>]*>.*?</header>)(?:<metadata>.*?</metadata>)?</record>")
_BLOCK = 1024 * 1024


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    text = value if "T" in value else f"{value}T00:00:00Z"
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _metadata(identifier: str, prefix: str, padding: int = 0, style: str = "healthy") -> str:
    title = f"Hostile test object {escape(identifier)} {SECRET_MARKER}"
    if style == "mojibake":  # «Музейный предмет» sent in cp1251 and read back as Latin-1 by the museum's export
        title = "Музейный предмет".encode("cp1251").decode("latin-1") + f" {escape(identifier)}"
    note = "x" * padding
    if prefix == "lido":
        return (
            '<lido:lido xmlns:lido="http://www.lido-schema.org">'
            f'<lido:lidoRecID lido:type="local">{escape(identifier)}</lido:lidoRecID>'
            '<lido:descriptiveMetadata xml:lang="en"><lido:objectClassificationWrap><lido:objectWorkTypeWrap>'
            "<lido:objectWorkType><lido:term>carpet</lido:term></lido:objectWorkType></lido:objectWorkTypeWrap>"
            "</lido:objectClassificationWrap><lido:objectIdentificationWrap><lido:titleWrap><lido:titleSet>"
            f"<lido:appellationValue>{title}</lido:appellationValue></lido:titleSet></lido:titleWrap>"
            f"<lido:objectDescriptionWrap><lido:objectDescriptionSet><lido:descriptiveNoteValue>{note}"
            "</lido:descriptiveNoteValue></lido:objectDescriptionSet></lido:objectDescriptionWrap>"
            "</lido:objectIdentificationWrap></lido:descriptiveMetadata>"
            '<lido:administrativeMetadata xml:lang="en"><lido:recordWrap>'
            f'<lido:recordID lido:type="local">{escape(identifier)}</lido:recordID>'
            "<lido:recordType><lido:term>item</lido:term></lido:recordType><lido:recordSource><lido:legalBodyName>"
            "<lido:appellationValue>Hostile museum</lido:appellationValue></lido:legalBodyName></lido:recordSource>"
            "</lido:recordWrap></lido:administrativeMetadata></lido:lido>"
        )
    return (
        '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{title}</dc:title><dc:type>PhysicalObject</dc:type>"
        + (f"<dc:description>{note}</dc:description>" if padding else "")
        + "</oai_dc:dc>"
    )


def _record(identifier: str, datestamp: datetime, prefix: str, padding: int = 0, style: str = "healthy") -> str:
    stamp = datestamp.strftime("%Y-%m-%d") if style == "wrong_granularity" else _stamp(datestamp)
    if style == "schema_invalid" and identifier.endswith("0"):
        stamp = datestamp.strftime("%d.%m.%Y %H:%M")  # a local date as a museum's database prints it
    ident = f"<identifier>{escape(identifier)}</identifier>"
    date = f"<datestamp>{stamp}</datestamp>"
    header = date + ident if style == "schema_invalid" else ident + date
    if style == "undeclared_deletions" and int(identifier.rsplit("-", 1)[-1] or 0) % 5 == 4:
        return f'<record><header status="deleted">{header}</header></record>'
    metadata = _metadata(identifier, prefix, padding, style)
    return f"<record><header>{header}</header><metadata>{metadata}</metadata></record>"


@dataclass
class HostileEndpoint:
    behaviour: str = "healthy"
    records: int = 30  # the healthy listing's size
    page_size: int = 10
    fault_after_pages: int = 0  # ListRecords pages answered healthily before the fault
    oversize_bytes: int = 300 * 1024 * 1024
    drip_interval: float = 1.0
    disconnect_rate: float = 0.5
    seed: int = 13
    requests_seen: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.behaviour not in BEHAVIOURS:
            raise ValueError(f"unknown behaviour {self.behaviour!r}; one of {', '.join(BEHAVIOURS)}")
        self._listing = [(f"oai:hostile.kz:obj-{n:05d}", _EPOCH + timedelta(minutes=n)) for n in range(self.records)]
        self._random = random.Random(self.seed)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._active = 0
        self._idle = threading.Condition(self._lock)
        self._nonce = 0
        self._server: LoopbackServer | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the endpoint first"
        return f"{self._server.base_url}/oai"

    def start(self) -> HostileEndpoint:
        endpoint = self

        class Handler(QuietHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                endpoint._handle(self)

        self._server = LoopbackServer(Handler).start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.stop()
        with self._idle:
            self._idle.wait_for(lambda: self._active == 0, timeout=10)

    def __enter__(self) -> HostileEndpoint:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def add_records(self, count: int, *, datestamp: datetime | None = None) -> None:
        """Records the museum adds later (dated now by default)."""
        when = datestamp or datetime.now(UTC)
        with self._lock:
            start = len(self._listing)
            self._listing.extend((f"oai:hostile.kz:obj-{n:05d}", when) for n in range(start, start + count))

    def remove_records(self, count: int) -> None:
        """The museum deletes its last ``count`` records (without a trace: no deleted header)."""
        with self._lock:
            del self._listing[len(self._listing) - count :]

    def list_records_requests(self) -> list[dict[str, str]]:
        return [r for r in self.requests_seen if r.get("verb") == "ListRecords"]

    # -- answers ------------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self._active += 1
        try:
            params = {k: v[0] for k, v in parse_qs(urlsplit(handler.path).query).items()}
            with self._lock:
                self.requests_seen.append(params)
            self._answer(handler, params)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            handler.close_connection = True  # the harvester hung up: stop generating
        finally:
            with self._idle:
                self._active -= 1
                self._idle.notify_all()

    def _faulty(self, params: dict[str, str]) -> bool:
        if self.behaviour in _CHARACTER:
            return True
        if params.get("verb") != "ListRecords":
            return self.fault_after_pages == 0 and self.behaviour in ("stall", "drip", "html")
        return self._page_number(params) > self.fault_after_pages

    def _page_number(self, params: dict[str, str]) -> int:
        token = params.get("resumptionToken")
        return 1 if not token else int(token.split("!", 1)[0]) // self.page_size + 1

    def _answer(self, handler: BaseHTTPRequestHandler, params: dict[str, str]) -> None:
        behaviour = self.behaviour if self._faulty(params) else "healthy"
        if behaviour == "stall":
            self._stop.wait()
            handler.close_connection = True
            return
        if behaviour == "html":
            body = f"<!DOCTYPE html><html><body><h1>Maintenance</h1><p>{SECRET_MARKER}</p></body></html>".encode()
            return self._send(handler, body, content_type="text/html; charset=utf-8")
        if behaviour in ("oversized", "gzip_bomb"):
            return self._stream_large(handler, gzip=behaviour == "gzip_bomb")
        body = self._body(params, behaviour).encode("utf-8")
        if behaviour == "drip":
            return self._drip(handler, body)
        if behaviour == "disconnect" and self._random.random() < self.disconnect_rate:
            return self._send(handler, body, cut=True)
        self._send(handler, body)

    def _envelope(self, params: dict[str, str], inner: str) -> str:
        date = _FUTURE if self.behaviour == "future_date" else _stamp(datetime.now(UTC))
        if self.behaviour == "schema_invalid":
            date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        attrs = "".join(f' {k}="{escape(v)}"' for k, v in params.items() if k.isalpha())
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
            f"<responseDate>{date}</responseDate><request{attrs}>{escape(self.url)}</request>{inner}</OAI-PMH>"
        )

    def _body(self, params: dict[str, str], behaviour: str) -> str:
        verb = params.get("verb")
        deleted = "no" if behaviour == "undeclared_deletions" else "persistent"
        if verb == "Identify":
            inner = (
                "<Identify><repositoryName>Hostile museum</repositoryName>"
                f"<baseURL>{escape(self.url)}</baseURL><protocolVersion>2.0</protocolVersion>"
                "<adminEmail>admin@hostile.kz</adminEmail><earliestDatestamp>2024-01-01T00:00:00Z</earliestDatestamp>"
                f"<deletedRecord>{deleted}</deletedRecord><granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>"
            )
        elif verb == "ListMetadataFormats":
            inner = (
                "<ListMetadataFormats>"
                "<metadataFormat><metadataPrefix>oai_dc</metadataPrefix>"
                "<schema>http://www.openarchives.org/OAI/2.0/oai_dc.xsd</schema>"
                "<metadataNamespace>http://www.openarchives.org/OAI/2.0/oai_dc/</metadataNamespace></metadataFormat>"
                "<metadataFormat><metadataPrefix>lido</metadataPrefix>"
                "<schema>http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd</schema>"
                "<metadataNamespace>http://www.lido-schema.org</metadataNamespace></metadataFormat>"
                "</ListMetadataFormats>"
            )
        elif verb in ("ListRecords", "ListIdentifiers"):
            inner = self._list_records(params, behaviour)
            if verb == "ListIdentifiers":  # the same list, headers only
                inner = _HEADERS_ONLY.sub(r"\1", inner)
                inner = inner.replace("ListRecords>", "ListIdentifiers>")
        elif verb == "ListSets":
            inner = '<error code="noSetHierarchy">this repository has no sets</error>'
        else:
            inner = '<error code="badVerb">unknown verb</error>'
        return self._envelope(params, inner)

    def _list_records(self, params: dict[str, str], behaviour: str) -> str:
        token = params.get("resumptionToken")
        if token:
            offset_text, from_, until, prefix = (token.split("!", 4) + ["", "", "", ""])[:4]
            offset = int(offset_text)
        else:
            offset, from_, until = 0, params.get("from", ""), params.get("until", "")
            prefix = params.get("metadataPrefix", "oai_dc")
        with self._lock:
            self._nonce += 1
            nonce = self._nonce
            listing = list(self._listing)

        def next_token(at: int, size: int | None, cursor: int) -> str:
            attrs = f' completeListSize="{size}"' if size is not None else ""
            value = f"{at}!{from_}!{until}!{prefix}!{nonce}"
            return f'<resumptionToken{attrs} cursor="{cursor}">{escape(value)}</resumptionToken>'

        if behaviour in ("endless_tokens", "list_size_lie"):
            now = datetime.now(UTC)
            records = "".join(
                _record(f"oai:hostile.kz:endless-{offset + n:07d}", now, prefix) for n in range(self.page_size)
            )
            size = 10 if behaviour == "list_size_lie" else None
            return f"<ListRecords>{records}{next_token(offset + self.page_size, size, offset)}</ListRecords>"
        if behaviour == "repeat_record":
            record = _record("oai:hostile.kz:again", _EPOCH, prefix)
            return f"<ListRecords>{record}{next_token(offset + self.page_size, None, offset)}</ListRecords>"
        if behaviour == "wrong_granularity" and "T" in from_ + until:
            return '<error code="badArgument">this repository supports day granularity (YYYY-MM-DD) only</error>'
        if behaviour == "ignore_from":
            from_ = until = ""
        low, high = _parse(from_), _parse(until)
        selected = [(i, d) for i, d in listing if (low is None or d >= low) and (high is None or d <= high)]
        if not selected:
            return '<error code="noRecordsMatch">no records in this window</error>'
        page = selected[offset : offset + self.page_size]
        style = behaviour if behaviour in _CHARACTER else "healthy"
        records = "".join(_record(i, d, prefix, style=style) for i, d in page)
        more = offset + self.page_size < len(selected)
        if behaviour == "repeat_token":
            tail = f"<resumptionToken>{self.page_size}!{from_}!{until}!{prefix}!same</resumptionToken>"
        elif more:
            tail = next_token(offset + self.page_size, len(selected), offset)
        else:
            tail = f'<resumptionToken completeListSize="{len(selected)}" cursor="{offset}"/>'
        return f"<ListRecords>{records}{tail}</ListRecords>"

    # -- transports ---------------------------------------------------------------------------

    def _send(
        self, handler: BaseHTTPRequestHandler, body: bytes, *, content_type: str = "text/xml", cut: bool = False
    ) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        if cut:
            handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(body[: len(body) // 2] if cut else body)
        if cut:
            handler.wfile.flush()
            handler.close_connection = True

    def _drip(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        head = (
            "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        handler.close_connection = True
        for byte in head + body:
            if self._stop.is_set():
                return
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            self._stop.wait(self.drip_interval)

    def _large_body(self, prefix: str, *, compressible: bool) -> Iterator[bytes]:
        """An OAI-PMH page of about ``oversize_bytes``, one ~1 MiB block at a time."""
        yield self._envelope({"verb": "ListRecords"}, "<ListRecords>")[: -len("</OAI-PMH>")].encode()
        sent, number = 0, 0
        while sent < self.oversize_bytes and not self._stop.is_set():
            if compressible:  # whitespace between elements: deflate shrinks it about 1000:1
                block = b" " * _BLOCK
            else:
                parts = []
                for _ in range(_BLOCK // 1024):
                    parts.append(_record(f"oai:hostile.kz:big-{number:08d}", _EPOCH, prefix, padding=700))
                    number += 1
                block = "".join(parts).encode()
            sent += len(block)
            yield block
        yield b"</ListRecords></OAI-PMH>"

    @staticmethod
    def _prefix_of(handler: BaseHTTPRequestHandler) -> str:
        params = {k: v[0] for k, v in parse_qs(urlsplit(handler.path).query).items()}
        token = params.get("resumptionToken")
        prefix = token.split("!")[3] if token and token.count("!") >= 3 else params.get("metadataPrefix")
        return prefix or "oai_dc"

    def _stream_large(self, handler: BaseHTTPRequestHandler, *, gzip: bool) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/xml")
        handler.send_header("Connection", "close")
        if gzip:
            handler.send_header("Content-Encoding", "gzip")
        handler.end_headers()
        handler.close_connection = True
        compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS) if gzip else None
        for block in self._large_body(self._prefix_of(handler), compressible=gzip):
            data = compressor.compress(block) if compressor else block
            if data:
                handler.wfile.write(data)
        if compressor:
            handler.wfile.write(compressor.flush())
