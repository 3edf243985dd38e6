"""The migrations build exactly the schema the models describe, on every supported database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from aggregator.store.database import Database
from aggregator.store.models import Base
from aggregator.store.schema import migrate, migrations_config


def _described_by_models(name: str | None, type_: str, parent_names: object) -> bool:
    """The FTS5 virtual table and its shadow tables are made by raw SQL, not by the models;
    the job queue's tables are procrastinate's own (migration 0007 applies its schema SQL)."""
    return not (type_ == "table" and name is not None and name.startswith(("search_fts", "procrastinate_")))


def test_a_migrated_store_matches_the_models(any_db: Database) -> None:
    with any_db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": _described_by_models})
        differences = compare_metadata(context, Base.metadata)

    assert differences == []


def test_revision_0008_counts_the_facet_rows_an_older_store_already_holds(tmp_path: Path) -> None:
    """An upgraded store browses with correct counts at once, without a re-index."""
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    cfg = migrations_config()
    rows = [("r1", "material", "wood"), ("r2", "material", "wood"), ("r2", "region", "KZ-75")]
    rows.append(("r3", "material", "gold"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0007")
        conn.execute(
            text("INSERT INTO search_facets (record_id, facet, value) VALUES (:r, :f, :v)"),
            [{"r": r, "f": f, "v": v} for r, f, v in rows],
        )
    migrate(engine)
    with engine.connect() as conn:
        counts = conn.execute(text("SELECT facet, value, records FROM search_facet_counts ORDER BY 1, 2")).all()
    engine.dispose()
    assert [tuple(c) for c in counts] == [("material", "gold", 1), ("material", "wood", 2), ("region", "KZ-75", 1)]
