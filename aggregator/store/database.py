"""Opening the database: an engine that is migrated and tuned before first use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from aggregator.store.errors import StoreUnavailable, describe_store, translated_store_errors
from aggregator.store.schema import migrate

__all__ = ["Database", "open_database"]


class Database:
    """An engine plus a session factory; the one handle the rest of the code passes around."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def session(self) -> Session:
        return self.sessions()

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    # WAL lets the web app read while a harvest writes; NORMAL sync is safe with WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _json_dumps(value: Any) -> str:
    """JSON columns as orjson writes them: UTF-8 text, several times faster than ``json.dumps``.

    What orjson refuses (an integer beyond 64 bits) is written by the standard library.
    """
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False)


def open_database(url: str) -> Database:
    """Create the file's folder for SQLite, connect, and migrate to the newest schema."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailable(
                    f"{describe_store(parsed)}: cannot create its folder ({exc.strerror or exc}); "
                    "set EMUSEUM_DATABASE_URL to a writable place"
                ) from None
        kwargs["connect_args"] = {"check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, json_serializer=_json_dumps, json_deserializer=orjson.loads, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    with translated_store_errors(parsed):
        try:
            migrate(engine)
        except BaseException:
            engine.dispose()
            raise
    return Database(engine)
