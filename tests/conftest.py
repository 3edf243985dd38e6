"""Shared fixtures: every store test runs on SQLite and, when a server is given, on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from sqlalchemy import create_engine, text

from aggregator.store.database import Database, open_database

# The source policy refuses loopback addresses and local files unless told otherwise
# (config/source_policy.py).  Test endpoints listen on 127.0.0.1 and test exports are
# files in tmp folders, and the CLI tests in tests/e2e run subprocesses that inherit
# this environment, so the whole test process allows both; the specs in tests/faults
# and tests/harvester that are about the policy set narrower ones themselves.
os.environ.setdefault("EMUSEUM_ALLOW_SOURCE_NETWORKS", "127.0.0.0/8,::1/128")
os.environ.setdefault("EMUSEUM_FILE_SOURCES_DIR", "/")


def missing_service(reason: str) -> NoReturn:
    """Skip on a developer's machine; fail in CI, where `make test` must have started everything."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} - in CI every service is started by make test", pytrace=False)
    pytest.skip(reason)


def _postgres_database() -> Iterator[Database]:
    url = os.environ.get("EMUSEUM_TEST_POSTGRES_URL")
    if not url:
        missing_service("EMUSEUM_TEST_POSTGRES_URL is not set (make test starts PostgreSQL)")
    schema_db = f"emuseum_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{schema_db}"'))
    db_url = url.rsplit("/", 1)[0] + "/" + schema_db
    db = open_database(db_url)
    try:
        yield db
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{schema_db}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, tmp_path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """A freshly migrated store on each supported database."""
    if request.param == "sqlite":
        db = open_database(f"sqlite:///{tmp_path / 'store.db'}")
        yield db
        db.dispose()
    else:
        request.applymarker(pytest.mark.postgres)
        yield from _postgres_database()


@pytest.fixture
def sqlite_db(tmp_path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    db = open_database(f"sqlite:///{tmp_path / 'store.db'}")
    yield db
    db.dispose()


# -- one headless Chromium for the whole session (Debian's /usr/bin/chromium, no downloaded browser) --
# One per session and one place: a second sync_playwright in the same thread would meet the first's event loop.
CHROMIUM = "/usr/bin/chromium"
# WebGL (the 3D viewer) in SwiftShader through ANGLE: with --disable-gpu instead, a model takes ~15 s to show.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A launched browser; each module opens its own context (and closes it)."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        missing_service(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (no browser download)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
