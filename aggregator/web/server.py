"""Running the web app: in the foreground for people, in a background thread for tests.

Both bind to a socket we open ourselves, so a port already in use fails at
once with a clear message instead of deep inside uvicorn, and tests can ask
the operating system for a free port and know it before the server starts.
"""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn
from rich.console import Console

from aggregator.catalogue import Catalogue
from aggregator.web.api import create_app

__all__ = ["ServerThread", "bind_socket", "serve"]


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket; port 0 lets the operating system pick a free one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise OSError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve(catalogue: Catalogue, host: str = "127.0.0.1", port: int = 8000, console: Console | None = None) -> None:
    """Serve the API, the search page and /oai until interrupted (Ctrl+C)."""
    console = console or Console()
    sock = bind_socket(host, port)
    url = _url(host, sock.getsockname()[1])
    app = create_app(catalogue)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    console.print(f"Serving the national catalogue at {url} (API docs {url}docs, OAI-PMH {url}oai); Ctrl+C stops.")
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    console.print("Server stopped.")


class ServerThread:
    """The app on 127.0.0.1 in a daemon thread, for tests that need a real HTTP server.

    ``with ServerThread(app) as server: requests.get(server.url + "oai")``
    """

    def __init__(self, app: object, host: str = "127.0.0.1", port: int = 0, *, start_timeout: float = 20.0) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.start_timeout = start_timeout
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def url(self) -> str:
        return _url(self.host, self.port)

    def start(self) -> ServerThread:
        self._socket = bind_socket(self.host, self.port)
        self.port = self._socket.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="off")  # type: ignore[arg-type]
        self._server = uvicorn.Server(config)
        server, sock = self._server, self._socket
        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=f"uvicorn-{self.port}", daemon=True
        )
        self._thread.start()
        # uvicorn exposes readiness only as a flag; poll it until the deadline.
        deadline = time.monotonic() + self.start_timeout
        pause = threading.Event()
        while not server.started and self._thread.is_alive() and time.monotonic() < deadline:
            pause.wait(0.02)
        if not server.started:
            self.stop()
            raise RuntimeError(f"the web server did not start on {self.url}")
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
