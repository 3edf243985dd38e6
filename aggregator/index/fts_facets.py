"""Facet counts of the embedded index: kept totals for browsing, one pass for everything else.

Counting facets over the whole catalogue reads every facet row of every
record, and at 100,000 records the home page (everything, all eight facets)
took 1.2 s p95 that way (benchmarks/RESULTS.md, "Search at scale").  Yet the
home page asks the same question on every visit, so its answer is kept in
``search_facet_counts``, changed by the same statements, in the same
transaction, as the facet rows it counts: it can never disagree with them and
needs no refresh job.  A search with text, a filter or a date range counts
over its own matches instead, all requested facets in one pass over them (one
pass per facet re-ran the match for each): exact up to ``FACET_EXACT_LIMIT``
matches.  Beyond that, one pass would again cost seconds, so about
``FACET_SAMPLE`` of the matches are counted (every n-th by rowid, which is
harvest order, so every museum takes part) and the counts scaled back; the
result then says ``facets_approximate`` and the page writes "about".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from aggregator.index.query import FacetValue, SearchQuery

__all__ = [
    "FACET_EXACT_LIMIT",
    "FACET_LIMIT",
    "FACET_SAMPLE",
    "browses_everything",
    "kept_counts",
    "matched_counts",
    "record_added",
    "record_removed",
    "reset_counts",
]

#: Values reported per facet (the most frequent first), on every backend.
FACET_LIMIT = 50
#: Up to this many matches, facets are counted exactly (about 75 ms on one quiet core).
FACET_EXACT_LIMIT = 20_000
#: Beyond it, about this many matches are counted, every n-th by rowid, and the counts scaled.
FACET_SAMPLE = 10_000

_ADD = text(
    "INSERT INTO search_facet_counts (facet, value, records) VALUES (:facet, :value, :n) "
    "ON CONFLICT (facet, value) DO UPDATE SET records = records + excluded.records"
)
_DROP_EMPTY = text("DELETE FROM search_facet_counts WHERE records <= 0")
_REMOVED = text(
    "SELECT facet, value, count(*) FROM search_facets WHERE record_id IN :ids GROUP BY facet, value"
).bindparams(bindparam("ids", expanding=True))


def browses_everything(query: SearchQuery) -> bool:
    """No text, filter or date: the facet counts are those of the whole index, which are kept."""
    return not query.text.strip() and not query.filters and query.date_from is None and query.date_to is None


def _apply(session: Session, changes: Counter[tuple[str, str]]) -> None:
    moved = [(facet, value, n) for (facet, value), n in changes.items() if n]
    if not moved:
        return
    session.execute(_ADD, [{"facet": facet, "value": value, "n": n} for facet, value, n in moved])
    if any(n < 0 for _, _, n in moved):
        session.execute(_DROP_EMPTY)


def record_removed(session: Session, record_ids: Sequence[str]) -> None:
    """Take the facet rows of these records off the kept counts; call before deleting the rows."""
    if not record_ids:
        return
    removed = session.execute(_REMOVED, {"ids": list(record_ids)}).all()
    _apply(session, Counter({(facet, value): -n for facet, value, n in removed}))


def record_added(session: Session, facet_rows: Iterable[dict[str, Any]]) -> None:
    """Add inserted facet rows (``{"facet", "value"}`` dicts, as written) to the kept counts."""
    _apply(session, Counter((row["facet"], row["value"]) for row in facet_rows))


def reset_counts(session: Session) -> None:
    """Forget every kept count (the index is being cleared)."""
    session.execute(text("DELETE FROM search_facet_counts"))


def _top(rows: Iterable[tuple[str, str, int]], facets: Sequence[str]) -> dict[str, list[FacetValue]]:
    """Per facet, the FACET_LIMIT most frequent values, ties by value (as ``ORDER BY n DESC, value``)."""
    grouped: dict[str, list[tuple[str, int]]] = {facet: [] for facet in facets}
    for facet, value, n in rows:
        if facet in grouped and n > 0:
            grouped[facet].append((value, n))
    return {
        facet: [FacetValue(value=v, count=n) for v, n in sorted(values, key=lambda item: (-item[1], item[0]))][
            :FACET_LIMIT
        ]
        for facet, values in grouped.items()
    }


def kept_counts(session: Session, facets: Sequence[str]) -> dict[str, list[FacetValue]]:
    """The facet counts over the whole index, read from the kept table (a few hundred rows)."""
    if not facets:
        return {}
    statement = text("SELECT facet, value, records FROM search_facet_counts WHERE facet IN :facets").bindparams(
        bindparam("facets", expanding=True)
    )
    rows = session.execute(statement, {"facets": list(facets)}).all()
    return _top(((r[0], r[1], r[2]) for r in rows), facets)


def matched_counts(
    run: Callable[[str, dict[str, Any]], Any],
    matched_sql: str,
    facets: Sequence[str],
    *,
    scale: int = 1,
    cap: int | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, list[FacetValue]]:
    """Counts of every requested facet over the matched records, in one pass over their facet rows.

    ``+facet`` keeps SQLite off the ``(facet, value)`` index, so it walks the
    matched records' primary keys: the cost follows the hits, not the size of
    the catalogue.  Over a sample (every ``scale``-th match), each count is
    multiplied back and kept under ``cap`` (the total): an estimate, which the
    caller flags as such.
    """
    if not facets:
        return {}
    names: dict[str, Any] = {f"facet_{n}": facet for n, facet in enumerate(facets)}
    wanted = ", ".join(f":{name}" for name in names)
    rows = run(
        f"SELECT facet, value, count(*) AS n FROM search_facets WHERE +facet IN ({wanted}) "
        f"AND record_id IN ({matched_sql}) GROUP BY facet, value",
        {**names, **(extra or {})},
    ).all()
    limit = cap if cap is not None else float("inf")
    return _top(((r[0], r[1], int(min(r[2] * scale, limit))) for r in rows), facets)
