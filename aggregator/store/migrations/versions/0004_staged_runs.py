"""Runs become staged changesets with a history: staged records, held runs, endpoint figures.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

def _run_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("bytes_received", sa.BigInteger(), nullable=True),
        sa.Column("http_requests", sa.Integer(), nullable=True),
        sa.Column("http_errors", sa.Integer(), nullable=True),
        sa.Column("retries", sa.Integer(), nullable=True),
        sa.Column("response_ms", sa.JSON(), nullable=True),
        sa.Column("endpoint", sa.JSON(), nullable=True),
        sa.Column("complete_listing", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("listed", sa.Integer(), nullable=True),
        sa.Column("active_before", sa.Integer(), nullable=True),
        sa.Column("held_reason", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("applied_through", sa.Integer(), nullable=True),
        sa.Column("pass_id", sa.Integer(), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("harvest_runs") as batch:
        for column in _run_columns():
            batch.add_column(column)
        batch.create_index("ix_harvest_runs_pass_id", ["pass_id"])
    op.create_table(
        "staged_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("museum_id", sa.String(length=100), nullable=False),
        sa.Column("local_id", sa.String(length=400), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("format", sa.String(length=60), nullable=True),
        sa.Column("payload", sa.LargeBinary(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("datestamp", sa.String(length=40), nullable=True),
        sa.Column("oai_identifier", sa.Text(), nullable=True),
        sa.Column("harvested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("document", sa.JSON(), nullable=True),
        sa.Column("mapping_version", sa.String(length=60), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("quality", sa.Float(), nullable=True),
        sa.Column("findings", sa.JSON(), nullable=True),
        sa.Column("index_document", sa.JSON(), nullable=True),
        sa.Column("existed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_staged_run_local", "staged_records", ["run_id", "local_id"])


def downgrade() -> None:
    op.drop_index("ix_staged_run_local", table_name="staged_records")
    op.drop_table("staged_records")
    with op.batch_alter_table("harvest_runs") as batch:
        batch.drop_index("ix_harvest_runs_pass_id")
        for column in reversed(_run_columns()):
            batch.drop_column(column.name)
