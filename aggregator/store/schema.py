"""Creating or migrating the database on first use, so no command needs an init step.

Two processes may open a brand-new store at the same moment (the nightly
scheduler and an operator's command); only one may create the tables.  The
migration therefore runs under a lock the database itself provides (a
PostgreSQL advisory lock) or, for an SQLite file, an exclusive lock on a file
beside it, and the schema version is checked again once the lock is held.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

__all__ = ["migrate", "migrations_config"]

_MIGRATIONS = Path(__file__).with_name("migrations")
#: Key of the PostgreSQL advisory lock held while migrating ("emuseum" in ASCII, as a number).
_ADVISORY_KEY = 0x656D7573_65756D


def migrations_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


def _current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    lock_path = Path(database).with_name(Path(database).name + ".migrate-lock")
    with open(lock_path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
        yield


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (cheap when it is already there)."""
    # Alembic says what it does at INFO; a user running a command does not need to read it.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    cfg = migrations_config()
    head = ScriptDirectory.from_config(cfg).get_current_head()
    with engine.connect() as conn:
        if _current(conn) == head:
            return
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_KEY})
            if _current(conn) != head:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        return
    with _sqlite_file_lock(engine), engine.begin() as conn:
        if _current(conn) != head:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
