"""A night's harvest beside a live server: `emuseum harvest --all --workers 2` while `emuseum serve` answers.

Both are real processes on one SQLite store, as on a museum ministry's single
machine: the server reads while worker processes harvest and one process
writes.  No search may fail, none may meet "database is locked", and nothing
harvested may be lost or counted twice.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from demo.oai_endpoint import EndpointRecord, OaiEndpoint
from demo.samples import generate_museum_objects, to_lido

SIZES = {"kz-night-a": 150, "kz-night-b": 60, "kz-night-c": 90, "kz-night-d": 30}


def _records(museum_id: str, count: int) -> list[EndpointRecord]:
    objects = generate_museum_objects(museum_id, count, seed=5, region="KZ-75", base_url="https://m.example/")
    return [
        EndpointRecord(
            f"oai:{museum_id}.kz:{o.local_id}", datetime(2025, 1, 1), metadata={"lido": to_lido(o, museum_id)}
        )
        for o in objects
        if not o.deleted
    ]


@pytest.fixture
def peers() -> Iterator[dict[str, OaiEndpoint]]:
    with ExitStack() as stack:
        yield {
            museum_id: stack.enter_context(
                OaiEndpoint(_records(museum_id, count), name=museum_id, formats=["lido"], batch_size=10)
            )
            for museum_id, count in SIZES.items()
        }


def _config(folder: Path, peers: dict[str, OaiEndpoint]) -> Path:
    museums = [
        {"id": museum_id, "name": {"en": museum_id}, "region": "KZ-75",
         "source": {"type": "oai-pmh", "url": peer.url, "max_retries": 1}}  # fmt: skip
        for museum_id, peer in peers.items()
    ]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "museums.yaml").write_text(yaml.safe_dump({"museums": museums}), encoding="utf-8")
    return folder


def _search(base: str, query: str = "q=kebeje&facet=museum&facet=material") -> tuple[int, dict[str, Any]]:
    with urllib.request.urlopen(f"{base}api/search?{query}", timeout=30) as answer:
        return answer.status, json.loads(answer.read())


def test_searches_over_http_keep_answering_while_two_workers_harvest(peers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = _config(tmp_path / "config", peers)
    env = {**os.environ, "EMUSEUM_DATABASE_URL": f"sqlite:///{tmp_path / 'night.db'}", "EMUSEUM_INDEX_URL": "sqlite",
           "PYTHONUNBUFFERED": "1"}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "aggregator", "serve", "--port", "0", "--config", str(config)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    failures: list[str] = []
    answered = 0
    stop = threading.Event()
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+/)", first)
        assert found, f"the server did not say where it listens: {first!r}"
        base = found.group(1)

        def search_loop() -> None:
            nonlocal answered
            while not stop.is_set():
                try:
                    status, _ = _search(base)
                    answered += 1
                    if status != 200:
                        failures.append(f"HTTP {status}")
                except Exception as exc:  # noqa: BLE001 - every failure is collected and asserted below
                    failures.append(f"{type(exc).__name__}: {exc}")

        reader = threading.Thread(target=search_loop)
        reader.start()
        try:
            harvest = subprocess.run(
                [sys.executable, "-m", "aggregator", "harvest", "--all", "--workers", "2", "--config", str(config)],
                env=env, capture_output=True, text=True, timeout=600,
            )  # fmt: skip
        finally:
            stop.set()
            reader.join()
        status, after = _search(base, "size=1")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            _, server_errors = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            _, server_errors = server.communicate()

    assert harvest.returncode == 0, harvest.stdout + harvest.stderr
    assert "database is locked" not in harvest.stdout + harvest.stderr
    assert "database is locked" not in server_errors, server_errors[-2000:]
    assert failures == [] and answered > 0, failures[:5]
    for museum_id, peer in peers.items():
        line = rf"{museum_id}: succeeded \(full\) new {len(peer.records())}, "
        assert re.search(line, harvest.stdout), harvest.stdout
    assert status == 200 and after["total"] == sum(len(peer.records()) for peer in peers.values())
