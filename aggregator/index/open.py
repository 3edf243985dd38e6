"""Which union index the catalogue uses, chosen by one URL (``EMUSEUM_INDEX_URL``).

``sqlite`` (the default) is the embedded FTS5 index inside a SQLite store,
written in the same transaction as the records.  ``opensearch+http://…`` or
``elasticsearch+https://…`` names a search cluster (see ``engines.url``): a
harvest then writes outbox rows in its transaction and the cluster is synced
after the commit.  Engine clients are imported only when an engine is named.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.orm import Session

from aggregator.index.engines.base import EngineIndex
from aggregator.index.engines.url import parse_index_url
from aggregator.index.errors import IndexUnavailable
from aggregator.index.fts import EmbeddedSearch, SqliteFtsIndex
from aggregator.index.outbox import OutboxIndex
from aggregator.index.query import SearchQuery, SearchResult
from aggregator.store.database import Database

__all__ = ["SearchIndex", "index_writer", "is_embedded", "open_engine", "open_search_index"]


class SearchIndex(Protocol):
    """What the web app and the CLI need from any index: answer a query, say how many records."""

    def search(self, query: SearchQuery) -> SearchResult: ...

    def count(self) -> int: ...

    def close(self) -> None: ...


def is_embedded(index_url: str) -> bool:
    return index_url in ("", "sqlite", "sqlite-fts")


def index_writer(session: Session, index_url: str) -> SqliteFtsIndex | OutboxIndex:
    """Where a harvest writes inside its transaction: FTS5 in SQLite, else the outbox for an engine."""
    if is_embedded(index_url) and session.get_bind().dialect.name == "sqlite":
        return SqliteFtsIndex(session)
    return OutboxIndex(session)


def open_engine(index_url: str, **options: Any) -> EngineIndex:
    """The adapter for an ``opensearch+…`` or ``elasticsearch+…`` URL (its client is imported only then)."""
    location = parse_index_url(index_url)
    if location.engine == "opensearch":
        from aggregator.index.engines.opensearch import OpenSearchIndex

        return OpenSearchIndex(location, **options)
    from aggregator.index.engines.elasticsearch import ElasticsearchIndex

    return ElasticsearchIndex(location, **options)


def open_search_index(db: Database, index_url: str) -> SearchIndex:
    """The index that answers searches: embedded FTS5 beside a SQLite store, else the engine."""
    if is_embedded(index_url):
        if not db.is_sqlite:
            raise IndexUnavailable(
                "the embedded index exists only in a SQLite store; with PostgreSQL set "
                "EMUSEUM_INDEX_URL to a search engine, e.g. opensearch+http://127.0.0.1:9200/emuseum"
            )
        return EmbeddedSearch(db)
    return open_engine(index_url)
