"""The job queue joins the store: procrastinate's tables, types and functions (PostgreSQL only).

Procrastinate keeps its jobs in the database it serves, so on a PostgreSQL
store the queue needs no broker: this revision applies procrastinate's own
schema SQL (the file its ``schema --apply`` command runs) inside the store's
migration transaction, under the store's advisory lock.  procrastinate has no
Alembic support; its upgrades are SQL files in its wheel
(``procrastinate/sql/migrations``), so a new procrastinate version with a
newer file than ``SCHEMA_AT`` needs a new revision applying those files
(tests/aggregator/test_job_schema.py fails until it exists).  The embedded
SQLite store has no queue: nothing happens there.

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

#: procrastinate's newest schema migration contained in the schema this revision applies (3.10.x).
SCHEMA_AT = "03.04.00_50_post_add_retry_failed_job_procedure"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        from procrastinate.schema import SchemaManager
    except ImportError as exc:  # pragma: no cover - the postgres extra installs both
        raise RuntimeError("a PostgreSQL store needs procrastinate: pip install 'emuseum[postgres]'") from exc
    if bind.exec_driver_sql("SELECT to_regclass('procrastinate_jobs')").scalar() is not None:
        return  # applied by hand before this revision existed (procrastinate schema --apply)
    # Many statements, no parameters: psycopg sends them as one simple query, dollar quotes intact.
    driver = bind.connection.driver_connection
    assert driver is not None
    driver.execute(SchemaManager.get_schema())


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        DO $$
        DECLARE item record;
        BEGIN
            FOR item IN SELECT tablename FROM pg_tables
                        WHERE schemaname = current_schema() AND tablename LIKE 'procrastinate\\_%' LOOP
                EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', item.tablename);
            END LOOP;
            FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p
                        JOIN pg_namespace n ON n.oid = p.pronamespace
                        WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%' LOOP
                EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', item.signature);
            END LOOP;
            FOR item IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                        WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate\\_%'
                          AND t.typtype IN ('e', 'c') LOOP
                EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', item.typname);
            END LOOP;
        END $$;
        """
    )
