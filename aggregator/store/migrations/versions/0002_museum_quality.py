"""Per-museum quality summaries.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "museum_quality",
        sa.Column("museum_id", sa.String(length=100), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("mean_score", sa.Float(), nullable=True),
        sa.Column("tiers", sa.JSON(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("duplicate_titles", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["museum_id"], ["museums.id"]),
        sa.PrimaryKeyConstraint("museum_id"),
    )


def downgrade() -> None:
    op.drop_table("museum_quality")
