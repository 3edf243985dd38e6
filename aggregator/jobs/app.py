"""The procrastinate application of this process, connected to the store's database on demand.

One App object carries the task definitions (``aggregator.jobs.tasks``); the
connection is given per use, because the store's URL is known only once the
settings are read (``EMUSEUM_DATABASE_URL`` on each machine).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from procrastinate import App, PsycopgConnector
from sqlalchemy.engine import make_url

__all__ = ["app", "conninfo", "connector", "opened"]

# Commands that queue work say so in their own words; procrastinate's INFO lines ("Deferred 1 job")
# would only repeat them in cron mail.  A worker turns them back on: its log is how it is watched.
logging.getLogger("procrastinate").setLevel(logging.WARNING)
app = App(connector=PsycopgConnector(), import_paths=["aggregator.jobs.tasks"])


def conninfo(database_url: str) -> str:
    """The SQLAlchemy URL of the store (postgresql+psycopg://...) as libpq reads it."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def connector(database_url: str, *, max_size: int) -> PsycopgConnector:
    """A pool of at most ``max_size`` connections; one is opened at start, more when work needs them."""
    return PsycopgConnector(conninfo=conninfo(database_url), min_size=1, max_size=max_size)


@contextmanager
def opened(database_url: str) -> Iterator[App]:
    """The app connected for synchronous use (deferring jobs), closed afterwards."""
    with app.replace_connector(connector(database_url, max_size=2)):
        app.open()
        try:
            yield app
        finally:
            app.close()
