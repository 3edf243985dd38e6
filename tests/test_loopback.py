"""The loopback server the test peers share: it serves, binds the host it is given, and stops however often told."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

import pytest

from tests.loopback import LoopbackServer, QuietHandler


class Hello(QuietHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = self.path.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_it_answers_on_its_base_url_and_refuses_connections_once_stopped() -> None:
    with LoopbackServer(Hello) as server:
        url = f"{server.base_url}/hello"
        assert url == f"http://127.0.0.1:{server.port}/hello" and server.port > 0
        with urllib.request.urlopen(url, timeout=5) as answer:
            assert answer.read() == b"/hello"
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=5)


def test_stop_may_come_twice_or_without_a_start() -> None:
    never_started = LoopbackServer(Hello)
    never_started.stop()
    never_started.stop()
    server = LoopbackServer(Hello).start()
    server.stop()
    server.stop()
    with pytest.raises(RuntimeError, match="already started or stopped"):
        server.start()


def test_it_binds_the_host_it_is_given() -> None:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.2", 0))
        except OSError:
            pytest.skip("127.0.0.2 is not a loopback address on this machine")
    with LoopbackServer(Hello, host="127.0.0.2") as server:
        assert server.base_url.startswith("http://127.0.0.2:")
        with urllib.request.urlopen(f"{server.base_url}/two", timeout=5) as answer:
            assert answer.read() == b"/two"
