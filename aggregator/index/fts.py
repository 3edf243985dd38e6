"""The embedded union index: SQLite FTS5 inside the store's own database.

Writes go through the caller's session, so an index change commits or rolls
back together with the store change it reflects; the index can never show a
record the store does not have.  Text is folded by ``mappings.text`` before it
reaches FTS5, which is why Kazakh Cyrillic and Latin, Russian е/ё and case
variants meet on the same keys.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, text
from sqlalchemy.orm import Session

from aggregator.index.analysis import query_keys
from aggregator.index.documents import IndexDocument, facet_filter_values
from aggregator.index.fts_facets import (
    FACET_EXACT_LIMIT,
    FACET_LIMIT,
    FACET_SAMPLE,
    browses_everything,
    kept_counts,
    matched_counts,
    record_added,
    record_removed,
    reset_counts,
)
from aggregator.index.query import BOOLEAN_FACETS, FacetValue, Hit, SearchQuery, SearchResult
from aggregator.store.database import Database
from aggregator.store.models import SearchDoc, SearchFacet, table_of

#: Facets held in a column of search_docs, one value per record (filtering on them needs no join).
_COLUMN_FACETS = {"region": "d.region", "museum": "d.museum_id"}

__all__ = ["FACET_LIMIT", "EmbeddedSearch", "SqliteFtsIndex", "fts_match_expression", "fts_rows"]


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts_match_expression(query_text: str) -> str | None:
    """Every query token must match, by folded key (prefix) or by stem."""
    clauses = []
    for key, stem in query_keys(query_text):
        if not key:
            continue
        options = [f"keys : {_quote(key)}*"]
        if stem:
            options.append(f"stems : {_quote(stem)}")
        clauses.append("(" + " OR ".join(options) + ")")
    return " AND ".join(clauses) if clauses else None


def fts_rows(doc: IndexDocument) -> dict[str, Any]:
    """A document as the embedded index stores it, as plain JSON: its row, its facets, its folded text."""
    facets = [
        [facet, value]
        for facet, values in doc.facet_values().items()
        for value in dict.fromkeys(v[:300] for v in values)
    ]
    return {
        "doc": {
            "record_id": doc.id,
            "museum_id": doc.museum_id,
            "region": doc.region,
            "title": doc.title,
            "sort_title": doc.title.casefold(),
            "date_display": doc.date_display,
            "earliest_year": doc.earliest_year,
            "latest_year": doc.latest_year,
            "has_image": doc.has_image,
            "has_3d": doc.has_3d,
            "thumbnail": doc.thumbnail,
            "quality": doc.quality,
            "summary": doc.summary(),
        },
        "facets": facets,
        "keys": doc.search_keys(),
        "stems": doc.search_stems(),
    }


class SqliteFtsIndex:
    """Index operations bound to one session (and so to its transaction)."""

    name = "sqlite-fts"

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- writing -----------------------------------------------------------
    def upsert(self, docs: Sequence[IndexDocument]) -> None:
        self.write([fts_rows(doc) for doc in docs])

    def write(self, items: Sequence[dict[str, Any]]) -> None:
        """Write documents already cut into their rows (``fts_rows``): a few statements per batch.

        The folding (keys, stems) is the costly part of indexing, and ``fts_rows``
        can run anywhere: a harvest does it while preparing a page, in a worker
        process when there are several, so the one writer only inserts rows.
        """
        if not items:
            return
        self.delete([item["doc"]["record_id"] for item in items])
        next_rowid = (self.session.scalar(select(func.max(SearchDoc.rowid_ref))) or 0) + 1
        rows: list[dict[str, Any]] = []
        facets: list[dict[str, Any]] = []
        texts: list[dict[str, Any]] = []
        for rowid, item in enumerate(items, start=next_rowid):
            record_id = item["doc"]["record_id"]
            rows.append({**item["doc"], "rowid_ref": rowid})
            facets.extend({"record_id": record_id, "facet": facet, "value": value} for facet, value in item["facets"])
            texts.append({"rowid": rowid, "keys": item["keys"], "stems": item["stems"]})
        # Core inserts on the tables (not the ORM's bulk path): one executemany each.
        self.session.execute(insert(table_of(SearchDoc)), rows)
        if facets:
            self.session.execute(insert(table_of(SearchFacet)), facets)
            record_added(self.session, facets)
        self.session.execute(text("INSERT INTO search_fts(rowid, keys, stems) VALUES (:rowid, :keys, :stems)"), texts)

    def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        rowids = self.session.scalars(select(SearchDoc.rowid_ref).where(SearchDoc.record_id.in_(list(ids)))).all()
        if rowids:
            self.session.execute(
                text("DELETE FROM search_fts WHERE rowid IN :rowids").bindparams(bindparam("rowids", expanding=True)),
                {"rowids": list(rowids)},
            )
        record_removed(self.session, ids)
        self.session.execute(delete(SearchFacet).where(SearchFacet.record_id.in_(list(ids))))
        self.session.execute(delete(SearchDoc).where(SearchDoc.record_id.in_(list(ids))))

    def clear(self) -> None:
        self.session.execute(text("DELETE FROM search_fts"))
        reset_counts(self.session)
        self.session.execute(delete(SearchFacet))
        self.session.execute(delete(SearchDoc))

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(SearchDoc)) or 0

    # -- searching ---------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResult:
        query.check_window()
        where: list[str] = []
        params: dict[str, Any] = {}
        expanding: list[str] = []
        source = "search_docs d"
        match = fts_match_expression(query.text)
        if query.text.strip() and match is None:
            return SearchResult(total=0, hits=[], facets={}, page=query.page, size=query.size)
        if match is not None:
            source = "search_fts f JOIN search_docs d ON d.rowid_ref = f.rowid"
            where.append("search_fts MATCH :match")
            params["match"] = match
        for n, (facet, values) in enumerate(sorted(query.filters.items())):
            if facet in BOOLEAN_FACETS:
                column = "d.has_image" if facet == "has_image" else "d.has_3d"
                wanted = {v == "true" for v in values}
                if len(wanted) == 1:
                    where.append(f"{column} = :b{n}")
                    params[f"b{n}"] = wanted.pop()
                continue
            if facet in _COLUMN_FACETS:  # one value per record, an indexed column: no facet rows to join
                # With a text match, '+' keeps SQLite off the column's index: it must drive by the
                # match, else it runs the MATCH once per record of the region (minutes at 100,000).
                plus = "+" if match is not None else ""
                where.append(f"{plus}{_COLUMN_FACETS[facet]} IN :v{n}")
            else:
                where.append(
                    f"d.record_id IN (SELECT record_id FROM search_facets WHERE facet = :f{n} AND value IN :v{n})"
                )
                params[f"f{n}"] = facet
            params[f"v{n}"] = facet_filter_values(facet, list(values))
            expanding.append(f"v{n}")
        if query.date_from is not None:
            where.append("d.latest_year >= :date_from")
            params["date_from"] = query.date_from
        if query.date_to is not None:
            where.append("d.earliest_year <= :date_to")
            params["date_to"] = query.date_to
        where_sql = " WHERE " + " AND ".join(where) if where else ""
        matched = f"SELECT d.record_id FROM {source}{where_sql}"

        def run(sql: str, extra: dict[str, Any] | None = None) -> Any:
            statement = text(sql)
            if expanding:
                statement = statement.bindparams(*(bindparam(n, expanding=True) for n in expanding))
            return self.session.execute(statement, {**params, **(extra or {})})

        total = run(f"SELECT count(*) FROM ({matched})").scalar_one()
        order = {
            "title": "d.sort_title ASC",
            "date": "d.earliest_year IS NULL, d.earliest_year ASC, d.sort_title ASC",
            "-date": "d.latest_year IS NULL, d.latest_year DESC, d.sort_title ASC",
        }.get(query.sort)
        score = "bm25(search_fts)" if match is not None else "NULL"
        if order is None:
            order = f"{score} ASC, d.sort_title ASC" if match is not None else "d.sort_title ASC"
        rows = run(
            f"SELECT d.record_id, d.museum_id, d.region, d.summary, d.has_image, d.has_3d, "
            f"{score} AS score FROM {source}{where_sql} ORDER BY {order} "
            f"LIMIT :limit OFFSET :offset",
            {"limit": query.size, "offset": query.offset},
        ).all()
        hits = []
        for row in rows:
            summary = json.loads(row.summary) if isinstance(row.summary, str) else (row.summary or {})
            hits.append(
                Hit(
                    id=row.record_id,
                    title=summary.get("title", ""),
                    museum_id=row.museum_id,
                    region=row.region,
                    date_display=summary.get("date_display"),
                    object_type=summary.get("object_type", []),
                    thumbnail=summary.get("thumbnail"),
                    has_image=bool(row.has_image),
                    has_3d=bool(row.has_3d),
                    score=-row.score if row.score is not None else None,
                )
            )
        facets: dict[str, list[FacetValue]]
        approximate = False
        if browses_everything(query):  # the home page: counts over everything are kept
            facets = kept_counts(self.session, query.facets)
        elif not query.facets or total <= FACET_EXACT_LIMIT:
            facets = matched_counts(run, matched, query.facets)
        else:
            # Every stride-th record by rowid (harvest order, so all museums take part), counts scaled back.
            stride = -(-total // FACET_SAMPLE)
            sampled = f"SELECT d.record_id FROM {source} WHERE {' AND '.join([*where, 'd.rowid_ref % :stride = 0'])}"
            facets = matched_counts(run, sampled, query.facets, scale=stride, cap=total, extra={"stride": stride})
            approximate = True
        return SearchResult(
            total=total,
            hits=hits,
            facets=facets,
            facets_approximate=approximate,
            page=query.page,
            size=query.size,
        )


class EmbeddedSearch:
    """The FTS5 index for readers, one short session per call (a long-lived session would pin a snapshot)."""

    name = "sqlite-fts"

    def __init__(self, db: Database) -> None:
        self.db = db

    def search(self, query: SearchQuery) -> SearchResult:
        with self.db.session() as session:
            return SqliteFtsIndex(session).search(query)

    def count(self) -> int:
        with self.db.session() as session:
            return SqliteFtsIndex(session).count()

    def close(self) -> None:
        return None
