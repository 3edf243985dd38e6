"""Whether this store can have a job queue: only PostgreSQL, where the queue's tables live."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from config.errors import ConfigError

__all__ = ["JobsUnavailable", "require_queue"]


class JobsUnavailable(ConfigError):
    """Jobs were asked of a store that cannot hold a queue; the message says what to do instead."""


def require_queue(database_url: str, what: str) -> None:
    """Raise a one-line JobsUnavailable unless the store is PostgreSQL (and procrastinate is installed)."""
    if make_url(database_url).get_backend_name() != "postgresql":
        raise JobsUnavailable(
            f"{what} needs the job queue, which lives in a PostgreSQL store; this store is "
            f"{make_url(database_url).get_backend_name()} - set EMUSEUM_DATABASE_URL=postgresql+psycopg://..., "
            "or run the command without a queue (emuseum harvest / remap / reindex without --enqueue)"
        )
    try:
        import procrastinate  # noqa: F401
    except ImportError:
        raise JobsUnavailable(
            f"{what} needs procrastinate, which is not installed: pip install 'emuseum[postgres]'"
        ) from None
