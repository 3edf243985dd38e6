"""Alembic environment: runs on the connection the application hands over."""

from alembic import context

from aggregator.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only via aggregator.store.schema
    raise RuntimeError("run migrations through aggregator.store.schema.migrate()")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
