"""Endpoint profiles: what the last check of each museum's OAI-PMH endpoint found.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "endpoint_profiles",
        sa.Column("museum_id", sa.String(length=100), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("declared_granularity", sa.String(length=30), nullable=True),
        sa.Column("granularity", sa.String(length=30), nullable=True),
        sa.Column("honours_from", sa.Boolean(), nullable=True),
        sa.Column("deleted_record", sa.String(length=20), nullable=True),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("museum_id"),
    )


def downgrade() -> None:
    op.drop_table("endpoint_profiles")
