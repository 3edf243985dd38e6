"""Connections only to addresses the source policy allows, and a total time per response.

Two things requests cannot do on its own:

* **Address checks that survive DNS rebinding.**  Checking a host name and then
  letting the connection resolve it again leaves a window in which the name
  can change to 169.254.169.254.  Here the connection itself resolves the
  name once, checks *every* address it got (all must be allowed), and
  connects to the checked address; redirects open new connections and are
  checked the same way.  A refused address raises ``AddressRefused`` before
  a byte is sent.  Through an HTTP proxy (``HTTP(S)_PROXY``) the harvester
  never connects to the museum itself; there the target name is resolved and
  checked when the request is sent, and the proxy's own lookup is not seen.
* **A deadline for a whole response**, not per read.  A server dripping one
  byte a second never trips a read timeout.  ``ResponseWatch`` arms a timer
  and, when it fires, shuts down the socket the response is being read from,
  which ends any blocked read at once (headers or body, plain or TLS).
"""

from __future__ import annotations

import socket
import sys
import threading
from typing import Any, ClassVar
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.utils import select_proxy
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import connection as urllib3_connection

from config.source_policy import SourcePolicy, literal_address

__all__ = ["AddressRefused", "GuardedAdapter", "ResponseWatch", "check_host", "guard_session"]

_local = threading.local()


class AddressRefused(Exception):
    """The host resolves to an address the source policy forbids (not an OSError: never retried)."""

    def __init__(self, host: str, problem: str, *, literal: bool = False) -> None:
        self.host = host
        self.problem = problem
        super().__init__(problem if literal else f"{host}: {problem}")


def check_host(host: str, port: int, policy: SourcePolicy) -> list[str]:
    """Every address ``host`` resolves to, each allowed by ``policy``; else AddressRefused.

    Raises ``socket.gaierror`` when the name does not resolve.
    """
    literal = literal_address(host)
    if literal is not None:
        problem = policy.address_problem(literal)
        if problem:
            raise AddressRefused(host, problem, literal=True)
        return [str(literal)]
    family = urllib3_connection.allowed_gai_family()
    infos = socket.getaddrinfo(host, port, family, socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        problem = policy.address_problem(address)
        if problem:
            raise AddressRefused(host, f"it resolves to {problem}")
    return addresses


class ResponseWatch:
    """Ends the reading of one response when its time is up, by shutting its socket down.

    Used as a context manager around one request; the guarded connections
    attach their socket to the watch of the current thread.  ``fired`` tells
    the reader that whatever ended its read was the watch.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = max(0.0, seconds)
        self.fired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer: threading.Timer | None = None

    def __enter__(self) -> ResponseWatch:
        _local.watch = self
        if self.seconds != float("inf"):
            self._timer = threading.Timer(self.seconds, self._fire)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._timer is not None:
            self._timer.cancel()
        _local.watch = None
        with self._lock:
            self._sockets.clear()

    def attach(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            fired = self.fired
        if fired:
            _shutdown(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's, also under TLS
    except OSError:
        pass


def current_watch() -> ResponseWatch | None:
    return getattr(_local, "watch", None)


class _GuardedConnection:
    """Mixin for urllib3 connections: resolve once, check, connect to the checked address."""

    source_policy: ClassVar[SourcePolicy]
    # attributes of urllib3's HTTPConnection this mixin relies on
    _dns_host: str
    host: str
    port: int
    timeout: Any
    source_address: Any
    socket_options: Any
    sock: socket.socket | None

    def _new_conn(self) -> socket.socket:
        try:
            addresses = check_host(self._dns_host, self.port, self.source_policy)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc  # type: ignore[arg-type]
        last: OSError | None = None
        for address in addresses:
            try:
                sock = urllib3_connection.create_connection(
                    (address, self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as exc:
                raise ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
                ) from exc
            except OSError as exc:
                last = exc
                continue
            sys.audit("http.client.connect", self, self.host, self.port)
            return sock
        raise NewConnectionError(self, f"Failed to establish a new connection: {last}")  # type: ignore[arg-type]

    def getresponse(self) -> Any:
        watch = current_watch()
        if watch is not None:
            watch.attach(self.sock)
        return super().getresponse()  # type: ignore[misc]


def _pool_classes(policy: SourcePolicy) -> dict[str, type]:
    http_conn = type("GuardedHTTPConnection", (_GuardedConnection, HTTPConnection), {"source_policy": policy})
    https_conn = type("GuardedHTTPSConnection", (_GuardedConnection, HTTPSConnection), {"source_policy": policy})
    return {
        "http": type("GuardedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
        "https": type("GuardedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
    }


class GuardedAdapter(HTTPAdapter):
    """requests' adapter with guarded connections (see the module docstring)."""

    def __init__(self, policy: SourcePolicy, **kwargs: Any) -> None:
        self.source_policy = policy
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _pool_classes(self.source_policy)

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        proxies = kwargs.get("proxies") or {}
        if request.url and select_proxy(request.url, proxies):
            parts = urlsplit(request.url)
            try:
                check_host(parts.hostname or "", parts.port or 80, self.source_policy)
            except socket.gaierror as exc:
                raise requests.ConnectionError(f"{parts.hostname}: name does not resolve ({exc})") from exc
        response = super().send(request, *args, **kwargs)
        if response.is_redirect:
            # requests reads a redirect's body "to release the connection", however large it is, even
            # with allow_redirects=False; nothing in it is needed, so the connection is closed instead.
            response.raw.close()
            response._content = b""
            response._content_consumed = True  # type: ignore[attr-defined]  # requests' own flag, not in its stubs
        return response


def guard_session(session: requests.Session, policy: SourcePolicy) -> requests.Session:
    """``session`` with guarded adapters for http:// and https:// (replacing the ones it had)."""
    for prefix in ("http://", "https://"):
        current = session.adapters.get(prefix)
        if not (isinstance(current, GuardedAdapter) and current.source_policy == policy):
            session.mount(prefix, GuardedAdapter(policy))
    return session
