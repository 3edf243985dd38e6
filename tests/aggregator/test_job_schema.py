"""Migration 0007 gives a PostgreSQL store procrastinate's own schema, and an SQLite store nothing."""

from __future__ import annotations

import importlib.util
import os
import uuid
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, inspect, text

from aggregator.jobs.app import conninfo
from aggregator.store.database import Database, open_database
from tests.conftest import _postgres_database, missing_service

MIGRATION = Path(__file__).resolve().parents[2] / "aggregator/store/migrations/versions/0007_job_queue.py"


def _schema_at() -> str:
    spec = importlib.util.spec_from_file_location("migration_0007", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.SCHEMA_AT)


@pytest.fixture
def pg_db() -> Iterator[Database]:
    yield from _postgres_database()


@pytest.fixture
def empty_pg_url() -> Iterator[str]:
    """A database with nothing in it, for procrastinate to apply its schema its own way."""
    url = os.environ.get("EMUSEUM_TEST_POSTGRES_URL")
    if not url:
        missing_service("EMUSEUM_TEST_POSTGRES_URL is not set (make test starts PostgreSQL)")
    name = f"emuseum_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def _catalogue_of_queue(conn: Connection) -> dict[str, object]:
    """Everything of procrastinate's in a database: tables and columns, types, functions, indexes, triggers."""

    def rows(sql: str) -> list[tuple[object, ...]]:
        return [tuple(r) for r in conn.execute(text(sql))]

    return {
        "columns": rows(
            "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns "
            "WHERE table_name LIKE 'procrastinate%' ORDER BY 1, 2"
        ),
        "enums": rows(
            "SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid "
            "WHERE t.typname LIKE 'procrastinate%' ORDER BY 1, e.enumsortorder"
        ),
        "functions": rows(
            "SELECT p.oid::regprocedure::text, md5(p.prosrc) FROM pg_proc p WHERE p.proname LIKE 'procrastinate%' "
            "ORDER BY 1"
        ),
        "indexes": rows("SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'procrastinate%' ORDER BY 1"),
        "triggers": rows(
            "SELECT tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t WHERE tgname LIKE 'procrastinate%' ORDER BY 1"
        ),
    }


@pytest.mark.postgres
def test_the_migrated_store_holds_exactly_the_schema_procrastinate_applies(pg_db: Database, empty_pg_url: str) -> None:
    from procrastinate import App, SyncPsycopgConnector

    reference = App(connector=SyncPsycopgConnector(conninfo=conninfo(empty_pg_url), min_size=1, max_size=1))
    with reference.open():
        reference.schema_manager.apply_schema()  # what `procrastinate schema --apply` does
    engine = create_engine(empty_pg_url)
    try:
        with engine.connect() as conn:
            expected = _catalogue_of_queue(conn)
    finally:
        engine.dispose()
    with pg_db.engine.connect() as conn:
        migrated = _catalogue_of_queue(conn)
    assert expected["columns"] and expected["functions"]
    assert migrated == expected


def test_an_sqlite_store_has_no_queue(sqlite_db: Database) -> None:
    assert not [t for t in inspect(sqlite_db.engine).get_table_names() if t.startswith("procrastinate")]


def test_the_installed_procrastinate_needs_no_schema_the_migrations_lack() -> None:
    """An upgrade of procrastinate that brings a schema migration needs an Alembic revision applying it."""
    files = sorted(
        p.name.removesuffix(".sql")
        for p in resources.files("procrastinate.sql.migrations").iterdir()
        if p.name.endswith(".sql")
    )
    assert files[-1] == _schema_at(), (
        f"procrastinate brings schema migrations newer than 0007's {_schema_at()}: add an Alembic revision that "
        f"applies {', '.join(f for f in files if f > _schema_at())} (op.execute each file) and moves SCHEMA_AT"
    )


@pytest.mark.postgres
def test_opening_the_store_twice_leaves_the_queue_as_it_was(pg_db: Database) -> None:
    url = pg_db.engine.url.render_as_string(hide_password=False)
    again = open_database(url)
    try:
        with again.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM procrastinate_jobs")).scalar() == 0
    finally:
        again.dispose()
