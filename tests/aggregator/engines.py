"""The real search engines the specifications run on, and helpers shared by the index specs.

``make test`` (devtools/test_services.py) starts a private OpenSearch 2.19 node
and an Elasticsearch 9 node on loopback ports and names them in
``EMUSEUM_TEST_OPENSEARCH_URL`` and ``EMUSEUM_TEST_ELASTICSEARCH_URL``.  Each
test owns a unique alias prefix and deletes its indices at teardown.
"""

from __future__ import annotations

import os
import socket
import uuid
from typing import Any

import pytest

from aggregator.index.engines import EngineIndex
from aggregator.index.open import open_engine
from aggregator.store.database import Database
from aggregator.store.records import RecordStore, SavedCore
from config.registry import Museum
from mappings.core import CoreRecord
from tests.conftest import missing_service

__all__ = [
    "ENGINES",
    "closed_port_url",
    "engine_base_url",
    "engine_param",
    "engine_url",
    "fresh_engine",
    "save_records",
]

ENGINES = ("opensearch", "elasticsearch")
_URL_ENV = {"opensearch": "EMUSEUM_TEST_OPENSEARCH_URL", "elasticsearch": "EMUSEUM_TEST_ELASTICSEARCH_URL"}


def engine_param(engine: str) -> Any:
    """A pytest param for an engine, carrying the marker that names the service it needs."""
    return pytest.param(engine, marks=getattr(pytest.mark, engine), id=engine)


def engine_base_url(engine: str = "opensearch") -> str:
    url = os.environ.get(_URL_ENV[engine])
    if not url:
        missing_service(f"{_URL_ENV[engine]} is not set (make test starts the {engine} node)")
    return url.rstrip("/")


def engine_url(engine: str, alias: str, options: str = "attempts=3&backoff=0.2") -> str:
    # One node, no replicas: new indices are green at once.
    return f"{engine}+{engine_base_url(engine)}/{alias}?{options}&replicas=0"


def fresh_engine(engine: str = "opensearch", **options: Any) -> EngineIndex:
    """An adapter on a unique alias, so tests never see each other's documents."""
    return open_engine(engine_url(engine, f"test-{uuid.uuid4().hex[:12]}"), **options)


def closed_port_url(prefix: str = "emuseum", engine: str = "opensearch") -> str:
    """An engine URL nothing listens on: the OS gave the port out and it was closed at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"{engine}+http://127.0.0.1:{port}/{prefix}?attempts=2&backoff=0.01&timeout=2"


def save_records(db: Database, records: list[CoreRecord], regions: dict[str, str]) -> None:
    """Write core records (and their museums) to the store the way a harvest does."""
    with db.session() as session:
        store = RecordStore(session)
        for museum_id in sorted({r.museum_id for r in records}):
            store.save_museum(
                Museum.model_validate(
                    {
                        "id": museum_id,
                        "name": {"en": museum_id},
                        "region": regions[museum_id],
                        "source": {"type": "oai-pmh", "url": "http://127.0.0.1:9/oai"},
                    }
                )
            )
        existing = store.core_rows([r.id for r in records])
        store.save_cores([SavedCore(r, "hash-" + r.id, 0.5, existing.get(r.id)) for r in records])
        session.commit()
