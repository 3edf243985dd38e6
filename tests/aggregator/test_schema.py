"""The migrations build exactly the schema the models describe, on every supported database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from aggregator.store.database import Database
from aggregator.store.models import Base


def _described_by_models(name: str | None, type_: str, parent_names: object) -> bool:
    """The FTS5 virtual table and its shadow tables are made by raw SQL, not by the models;
    the job queue's tables are procrastinate's own (migration 0007 applies its schema SQL)."""
    return not (type_ == "table" and name is not None and name.startswith(("search_fts", "procrastinate_")))


def test_a_migrated_store_matches_the_models(any_db: Database) -> None:
    with any_db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": _described_by_models})
        differences = compare_metadata(context, Base.metadata)

    assert differences == []
