"""Kept facet counts for browsing everything, and an index to browse by title (embedded index).

The home page counts eight facets over the whole catalogue; at 100,000
records that read every facet row, eight times, on each visit (1.2 s p95,
benchmarks/RESULTS.md).  ``search_facet_counts`` holds records per facet value,
written with the facet rows from now on; this revision fills it from the rows
already there, so an upgraded store needs no re-index.  ``sort_title`` gets an
index so "everything, by title" walks it instead of sorting every record.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_facet_counts",
        sa.Column("facet", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("facet", "value"),
    )
    op.execute(
        "INSERT INTO search_facet_counts (facet, value, records) "
        "SELECT facet, value, count(*) FROM search_facets GROUP BY facet, value"
    )
    with op.batch_alter_table("search_docs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_docs_sort_title"), ["sort_title"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("search_docs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_docs_sort_title"))
    op.drop_table("search_facet_counts")
