"""One loopback HTTP server for the test peers (hostile endpoints, proxies, redirectors, webhooks).

Seven peers each started a ``ThreadingHTTPServer`` on port 0 in a daemon
thread and stopped it with shutdown + server_close + join, each in its own
words (some without the join, one on the default half-second poll).  The
plumbing lives here once, so every peer stops the same way and a fix reaches
all of them; a peer keeps its own handler and says only which host to bind
(127.0.0.1 unless a spec needs a second loopback address such as 127.0.0.2).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

__all__ = ["LoopbackServer", "QuietHandler"]


class QuietHandler(BaseHTTPRequestHandler):
    """A handler that does not write a line to stderr per request: specs read their own logs, not the peer's."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
        return


class LoopbackServer(ThreadingHTTPServer):
    """A threading HTTP server on ``host`` and a free port, served from a daemon thread until ``stop()``.

    The socket is bound on construction, so ``port`` and ``base_url`` are known
    before ``start()``; ``stop()`` may be called twice or without ``start()``.
    """

    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler], host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), handler)
        self.host = host
        self._thread: threading.Thread | None = None
        self._stopped = False

    @property
    def port(self) -> int:
        return self.server_port

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> Self:
        if self._thread is not None or self._stopped:
            raise RuntimeError(f"{self.base_url} was already started or stopped; make a new LoopbackServer")
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close the socket, wait for the handler threads, then (up to 5 s) for the serving thread."""
        if self._stopped:
            return
        self._stopped = True
        if self._thread is not None:  # shutdown() on a server that never served would wait for ever
            self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
