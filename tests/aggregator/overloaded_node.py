"""A search node short of heap, on 127.0.0.1 in front of a real one, for the bulk-writer specs.

It forwards every request to a real OpenSearch or Elasticsearch node and passes
its answers back, except the ``_bulk`` requests it refuses the way an overloaded
node does:

================= =====================================================================
setting           what the node does
================= =====================================================================
breaker_bytes     refuses a bulk body over this many bytes with HTTP 429 and the parent
                  circuit breaker's answer (``circuit_breaking_exception``, "[parent]
                  Data too large, data for [<http_request>] ...") as OpenSearch sends it
max_content_bytes refuses a bulk body over this many bytes with HTTP 413 and no body, as
                  the HTTP layer does past ``http.max_content_length``
refuse_next       refuses the next N bulk requests whatever their size (429, breaker)
reject_items_next in the next N answers to bulk requests it forwarded, every item becomes
                  429 ``es_rejected_execution_exception`` (the write queue is full); the
                  real node did index them, so sending them again is harmless
retry_after       a ``Retry-After`` header on every refusal (429)
================= =====================================================================

``bulk_requests`` records each bulk request as it arrived (bytes, document ids,
the status answered, whether its items were rejected), so a spec can see the splits and which documents were
taken; counting what arrived is left to the real node.
"""

from __future__ import annotations

import http.client
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from tests.loopback import LoopbackServer, QuietHandler

__all__ = ["BulkRequest", "OverloadedNode", "breaker_answer"]

_ACTIONS = ("index", "create", "update", "delete")


@dataclass(frozen=True)
class BulkRequest:
    size: int  # bytes of the body
    ids: tuple[str, ...]  # the documents it carried, in order
    status: int  # what the node answered
    items_rejected: bool = False  # answered 200, every item 429 (reject_items_next)

    @property
    def documents(self) -> int:
        return len(self.ids)


def breaker_answer(wanted: int, limit: int) -> bytes:
    """OpenSearch's 429 body when the parent circuit breaker refuses a request's bytes."""
    mb = 1024 * 1024
    reason = (
        f"[parent] Data too large, data for [<http_request>] would be [{wanted}/{wanted / mb:.1f}mb], "
        f"which is larger than the limit of [{limit}/{limit / mb:.1f}mb], real usage: [{wanted}/{wanted / mb:.1f}mb], "
        f"new bytes reserved: [{wanted}/{wanted / mb:.1f}mb], usages [request=0/0b, fielddata=0/0b, "
        f"in_flight_requests={wanted}/{wanted / mb:.1f}mb]"
    )
    error = {
        "type": "circuit_breaking_exception",
        "reason": reason,
        "bytes_wanted": wanted,
        "bytes_limit": limit,
        "durability": "TRANSIENT",
    }
    return json.dumps({"error": {"root_cause": [error], **error}, "status": 429}).encode()


def _ids(raw: bytes) -> tuple[str, ...]:
    ids = []
    for line in raw.splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if len(item) == 1 and next(iter(item)) in _ACTIONS:
            ids.append(str(next(iter(item.values())).get("_id")))
    return tuple(ids)


@dataclass
class OverloadedNode:
    upstream: str  # the real node, http://127.0.0.1:PORT
    engine: str = "opensearch"
    breaker_bytes: int | None = None
    max_content_bytes: int | None = None
    refuse_next: int = 0
    reject_items_next: int = 0
    retry_after: str | None = None
    bulk_requests: list[BulkRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        parts = urlsplit(self.upstream)
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port or 9200
        self._lock = threading.Lock()
        self._server: LoopbackServer | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the node first"
        return self._server.base_url

    def start(self) -> OverloadedNode:
        node = self

        class Handler(QuietHandler):
            def _serve(self) -> None:
                node._handle(self)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _serve  # noqa: N815 - http.server's names

        self._server = LoopbackServer(Handler).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()

    def __enter__(self) -> OverloadedNode:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def refused(self) -> list[BulkRequest]:
        return [r for r in self.bulk_requests if r.status >= 400]

    @property
    def taken(self) -> list[BulkRequest]:
        return [r for r in self.bulk_requests if r.status < 300 and not r.items_rejected]

    # -- answers ------------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        if not handler.path.split("?")[0].endswith("/_bulk"):
            self._reply(handler, *self._forward(handler, raw))
            return
        ids = _ids(raw)
        refusal = self._refusal(len(raw))
        if refusal is not None:
            status, body = refusal
            with self._lock:
                self.bulk_requests.append(BulkRequest(len(raw), ids, status))
            headers = [("Content-Type", "application/json")] if body else []
            if status == 429 and self.retry_after is not None:
                headers.append(("Retry-After", self.retry_after))
            self._reply(handler, status, headers, body)
            return
        status, headers, payload = self._forward(handler, raw)
        with self._lock:
            rewrite = status == 200 and self.reject_items_next > 0
            if rewrite:
                self.reject_items_next -= 1
            self.bulk_requests.append(BulkRequest(len(raw), ids, status, items_rejected=rewrite))
        if rewrite:
            payload = self._rejected_items(payload)
        self._reply(handler, status, headers, payload)

    def _refusal(self, size: int) -> tuple[int, bytes] | None:
        with self._lock:
            if self.max_content_bytes is not None and size > self.max_content_bytes:
                return 413, b""
            if self.refuse_next > 0:
                self.refuse_next -= 1
                return 429, breaker_answer(size, self.breaker_bytes or size // 2)
            if self.breaker_bytes is not None and size > self.breaker_bytes:
                return 429, breaker_answer(size, self.breaker_bytes)
        return None

    @staticmethod
    def _rejected_items(payload: bytes) -> bytes:
        answer = json.loads(payload)
        for item in answer["items"]:
            result = next(iter(item.values()))
            result["status"] = 429
            result["error"] = {
                "type": "es_rejected_execution_exception",
                "reason": "rejected execution of coordinating operation [shard_detail=[test][0][P], "
                "shard_coordinating_and_primary_bytes=0, shard_operation_bytes=1024, shard_max_coordinating_and_"
                "primary_bytes=0] OR [node_coordinating_and_primary_bytes=0, node_replica_bytes=0, node_all_bytes="
                "0, node_operation_bytes=1024, node_max_coordinating_and_primary_bytes=53687091]",
            }
        answer["errors"] = True
        return json.dumps(answer).encode()

    def _forward(self, handler: BaseHTTPRequestHandler, raw: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in ("host", "content-length")}
        connection = http.client.HTTPConnection(self._host, self._port, timeout=30)
        try:
            connection.request(handler.command, handler.path, body=raw or None, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def _reply(self, handler: BaseHTTPRequestHandler, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        handler.send_response(status)
        for name, value in headers:
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                handler.send_header(name, value)
        if self.engine == "elasticsearch" and not any(n.lower() == "x-elastic-product" for n, _ in headers):
            handler.send_header("X-Elastic-Product", "Elasticsearch")  # as the real node says on its answers
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(body)
