"""What can go wrong with the store, in words an operator can act on.

The store is a database someone else runs (or a file on a disk that fills up);
when it fails mid-harvest the command must end with one line naming the store
and what to do, never a driver traceback.  SQLAlchemy and driver exceptions are
translated here, at the store's boundary.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError

__all__ = ["STORE_FAILURES", "StoreUnavailable", "describe_store", "store_failure", "translated_store_errors"]

#: Driver errors that mean the store itself failed (down, gone away, disk full), not a bug of ours.
STORE_FAILURES = (OperationalError, InterfaceError)


class StoreUnavailable(Exception):
    """The store could not be read or written; the message names it and says what to do."""


def describe_store(url: str | URL) -> str:
    """The store's URL without its password, or the file of an SQLite store."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() == "sqlite":
        return f"the SQLite store {parsed.database or ':memory:'}"
    return f"the store {parsed.render_as_string(hide_password=True)}"


def _cause(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def store_failure(exc: BaseException, url: str | URL) -> StoreUnavailable:
    """One line for a database failure: which store, what happened, what to do next."""
    where = describe_store(url)
    cause = _cause(exc)
    lowered = cause.lower()
    if "disk is full" in lowered or "no space left" in lowered or "could not extend file" in lowered:
        advice = "free disk space and run the command again"
    elif "readonly" in lowered or "read-only" in lowered:
        advice = "make the store writable and run the command again"
    elif "locked" in lowered:
        advice = "another process holds the store; wait for it and run the command again"
    else:
        advice = "check that the database is running and reachable, then run the command again"
    return StoreUnavailable(
        f"{where} failed ({cause}); {advice} - a harvest resumes from its last committed page"
    )


@contextmanager
def translated_store_errors(url: str | URL) -> Iterator[None]:
    """Turn a database failure inside the block into StoreUnavailable."""
    try:
        yield
    except STORE_FAILURES as exc:
        raise store_failure(exc, url) from exc
    except SQLAlchemyError as exc:
        if isinstance(getattr(exc, "orig", None), OSError):
            raise store_failure(exc, url) from exc
        raise
