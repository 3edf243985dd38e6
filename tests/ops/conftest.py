"""A small night: real OAI-PMH peers on 127.0.0.1, one museum that cannot be reached, a real SMTP server
(aiosmtpd) and a real webhook receiver, all on loopback and stopped after each test."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import datetime
from email import message_from_bytes, policy
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
import yaml

from demo.oai_endpoint import EndpointRecord, OaiEndpoint
from demo.samples import generate_museum_objects, to_lido
from tests.loopback import LoopbackServer, QuietHandler

__all__ = ["Night", "closed_port", "records"]


def records(museum_id: str, count: int) -> list[EndpointRecord]:
    objects = generate_museum_objects(museum_id, count, seed=7, region="KZ-75", base_url="https://m.example/")
    return [
        EndpointRecord(identifier=f"oai:{museum_id}.kz:{o.local_id}", datestamp=datetime(2025, 1, 1),
                       metadata={"lido": to_lido(o, museum_id)})
        for o in objects
    ]  # fmt: skip


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Mailbox:
    """aiosmtpd's handler: keeps every message it is sent."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


class Webhook:
    """A loopback HTTP server that keeps the JSON bodies POSTed to it."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        received = self.bodies

        class Handler(QuietHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length", 0))
                received.append(json.loads(self.rfile.read(length)))
                self.send_response(204)
                self.end_headers()

        self.server = LoopbackServer(Handler).start()
        self.url = f"{self.server.base_url}/hook"

    def stop(self) -> None:
        self.server.stop()


class Night:
    """Three museums: healthy, one whose export will shrink (held), one unreachable."""

    def __init__(self, folder: Path, healthy: OaiEndpoint, shrinking: OaiEndpoint, env: dict[str, str]) -> None:
        self.folder, self.healthy, self.shrinking, self.env = folder, healthy, shrinking, env
        self.config = folder / "config"
        self.config.mkdir()
        museums = [
            {"id": "kz-healthy", "name": {"en": "Healthy Museum", "ru": "Здоровый музей", "kk": "Сау музей"},
             "region": "KZ-75", "source": {"type": "oai-pmh", "url": healthy.url}},
            {"id": "kz-shrinking", "name": {"en": "Shrinking Museum"}, "region": "KZ-71",
             "source": {"type": "oai-pmh", "url": shrinking.url}},
            {"id": "kz-broken", "name": {"en": "Broken Museum", "ru": "Сломанный музей"}, "region": "KZ-35",
             "source": {"type": "oai-pmh", "url": f"http://127.0.0.1:{closed_port()}/oai"}},
        ]  # fmt: skip
        (self.config / "museums.yaml").write_text(yaml.safe_dump({"museums": museums}), encoding="utf-8")


@pytest.fixture
def night(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Night]:
    pytest.importorskip("aiosmtpd")
    from aiosmtpd.controller import Controller

    mailbox, webhook = Mailbox(), Webhook()
    port = closed_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        "EMUSEUM_DATABASE_URL": f"sqlite:///{tmp_path / 'cat.db'}",
        "EMUSEUM_INDEX_URL": "sqlite",
        "EMUSEUM_SMTP_HOST": "127.0.0.1",
        "EMUSEUM_SMTP_PORT": str(port),
        "EMUSEUM_REPORT_TO": "ministry@example.kz",
        "EMUSEUM_REPORT_WEBHOOK": webhook.url,
        "EMUSEUM_REPORT_LANG": "ru",
        "EMUSEUM_ALERT_FAILED_NIGHTS": "2",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    try:
        with (
            OaiEndpoint(records("kz-healthy", 30), name="H", formats=["lido"], batch_size=10) as healthy,
            OaiEndpoint(records("kz-shrinking", 40), name="S", formats=["lido"], batch_size=10) as shrinking,
        ):
            value = Night(tmp_path, healthy, shrinking, env)
            value.mailbox, value.webhook = mailbox, webhook  # type: ignore[attr-defined]
            yield value
    finally:
        controller.stop()
        webhook.stop()
