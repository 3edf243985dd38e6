"""Search latency over a fixed query mix, on the embedded FTS5 index (and OpenSearch if given).

Run: ``.venv/bin/python -m benchmarks.bench_search [--quick] [--records N] [--repeats N]``

The index holds N records of eight generated museums (LIDO, oai_dc and CSV
sources, as the demo mixes them).  Each query of the mix (Kazakh Cyrillic,
Kazakh Latin, Russian word forms, English; with and without filters, facets
and date ranges) is run ``repeats`` times, each in a fresh session as the web
app does; p50 and p95 are set against a baseline on the same database: a plain
``SELECT count(*)`` plus a primary-key fetch of one page of 20 rows.  The index
build rate is documents/s through ``SqliteFtsIndex.upsert`` in pages of 500,
one commit each, as a harvest writes them.

With ``EMUSEUM_BENCH_OPENSEARCH_URL`` set (``http://127.0.0.1:9200`` or an
``opensearch+http://…`` URL), the same documents go into an index under an own
alias ``emuseum-bench-<pid>`` and the same mix runs against it (the baseline
stays the SQLite one: it is the floor of any search page on this machine); the
alias and its index are deleted afterwards.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import os
import pickle
import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import text

from aggregator.index.documents import IndexDocument, build_document
from aggregator.index.fts import SqliteFtsIndex
from aggregator.index.query import SearchQuery, SearchResult
from aggregator.store.database import Database, open_database
from benchmarks.measure import Timing, machine_line, print_table, rate, ratio, repeat_timed, stopwatch
from benchmarks.sample_fund import BENCH_REGIONS, fund, museum_id_for
from demo.samples import to_accounting_row, to_lido, to_oai_dc
from harvester.raw import RawRecord
from mappings.formats import map_raw
from mappings.quality import assess

__all__ = ["QUERY_MIX", "MixQuery", "build_documents", "cached_documents", "main"]

MUSEUMS = 8
SOURCE_CYCLE = ("lido", "lido", "oai_dc", "csv:ru-accounting")  # the demo's mix of source formats
BATCH = 500
PAGE = 20
OPENSEARCH_ENV = "EMUSEUM_BENCH_OPENSEARCH_URL"


@dataclass(frozen=True, slots=True)
class MixQuery:
    group: str
    label: str
    query: SearchQuery


def _q(**fields: object) -> SearchQuery:
    return SearchQuery.model_validate(fields)


#: The fixed query mix; every query is answered by the generated funds (checked at run time).
QUERY_MIX: tuple[MixQuery, ...] = (
    MixQuery("kk Cyrillic", "кебеже", _q(text="кебеже")),
    MixQuery("kk Cyrillic", "күміс білезік", _q(text="күміс білезік")),
    MixQuery("kk Cyrillic", "сәукеле + facet material", _q(text="сәукеле", facets=["material"])),
    MixQuery("kk Latin", "kebeje", _q(text="kebeje")),
    MixQuery("kk Latin", "kümis alqa", _q(text="kümis alqa")),
    MixQuery("kk Latin", "qobyz + facet museum", _q(text="qobyz", facets=["museum"])),
    MixQuery("ru forms", "серебряные серьги", _q(text="серебряные серьги")),
    MixQuery("ru forms", "седла (genitive)", _q(text="седла")),
    MixQuery("ru forms", "войлочный + facet region", _q(text="войлочный", facets=["region"])),
    MixQuery("en", "silver bracelet", _q(text="silver bracelet")),
    MixQuery("en", "saddle", _q(text="saddle")),
    MixQuery("en", "gold, BCE + facet century", _q(text="gold", date_to=0, facets=["century"])),
    MixQuery("filtered", "серебро + region=KZ-75", _q(text="серебро", filters={"region": ["KZ-75"]})),
    MixQuery("filtered", "has_3d, no text + 2 facets", _q(filters={"has_3d": ["true"]}, facets=["region", "material"])),
    MixQuery(
        "filtered",
        "1800..1900 by date + facet type",
        _q(date_from=1800, date_to=1900, sort="date", facets=["object_type"]),
    ),
    MixQuery(
        "filtered",
        "kebeje + material=wood + image",
        _q(text="kebeje", filters={"material": ["wood"], "has_image": ["true"]}),
    ),
    MixQuery(
        "browse",
        "everything + all 8 facets",
        _q(facets=["museum", "region", "object_type", "material", "technique", "century", "has_image", "has_3d"]),
    ),
    MixQuery("browse", "everything, page 50 by title", _q(sort="title", page=50)),
)


# -- the documents ------------------------------------------------------------------------


def _raw(museum_index: int, obj: object, fmt: str) -> RawRecord:
    museum_id = museum_id_for(museum_index)
    if fmt == "lido":
        payload = to_lido(obj, f"Benchmark museum {museum_index + 1}")  # type: ignore[arg-type]
    elif fmt == "oai_dc":
        payload = to_oai_dc(obj)  # type: ignore[arg-type]
    else:
        payload = json.dumps(to_accounting_row(obj), ensure_ascii=False).encode()  # type: ignore[arg-type]
    local_id = obj.local_id if not fmt.startswith("csv") else obj.inventory_number  # type: ignore[attr-defined]
    return RawRecord(museum_id, local_id, fmt, payload)


def cached_documents(count: int, cache: Path | None) -> list[IndexDocument]:
    """``build_documents``, kept in a pickle: a before/after pair then measures the very same documents.

    Preparing 100,000 documents takes minutes on this machine; the file is
    written when absent and read when present (and its size checked).
    """
    if cache is not None and cache.exists():
        with cache.open("rb") as handle:
            documents: list[IndexDocument] = pickle.load(handle)  # noqa: S301 - our own file, just written
        if len(documents) == count:
            return documents
        print(f"  {cache} holds {len(documents):,} documents, not {count:,}: preparing them again")
    documents = build_documents(count)
    if cache is not None:
        with cache.open("wb") as handle:
            pickle.dump(documents, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return documents


def build_documents(count: int) -> list[IndexDocument]:
    """``count`` index documents spread over eight museums in eight regions."""
    documents: list[IndexDocument] = []
    per_museum = -(-count // MUSEUMS)
    for museum_index in range(MUSEUMS):
        fmt = SOURCE_CYCLE[museum_index % len(SOURCE_CYCLE)]
        region = BENCH_REGIONS[museum_index]
        size = min(per_museum, count - len(documents))
        for obj in fund(size, museum_index=museum_index, seed=museum_index + 11):
            record = map_raw(_raw(museum_index, obj, fmt)).record
            documents.append(build_document(record, region, assess(record).score))
    return documents


# -- the embedded index -------------------------------------------------------------------


def load_index(db: Database, documents: list[IndexDocument]) -> float:
    """Seconds to write every document, a page per transaction as a harvest does."""
    with stopwatch() as watch:
        for start in range(0, len(documents), BATCH):
            with db.session() as session:
                SqliteFtsIndex(session).upsert(documents[start : start + BATCH])
                session.commit()
    return watch.wall


def _embedded_search(db: Database) -> Callable[[SearchQuery], SearchResult]:
    def search(query: SearchQuery) -> SearchResult:
        with db.session() as session:
            return SqliteFtsIndex(session).search(query)

    return search


def _baseline(db: Database, ids: list[str]) -> Callable[[], int]:
    """count(*) plus a primary-key fetch of one page: the least any search page must do."""
    page_sql = text(
        "SELECT record_id, museum_id, region, summary, has_image, has_3d FROM search_docs "
        "WHERE record_id IN (" + ", ".join(f":id{n}" for n in range(len(ids))) + ")"
    )
    params = {f"id{n}": value for n, value in enumerate(ids)}

    def run() -> int:
        with db.session() as session:
            total = session.execute(text("SELECT count(*) FROM search_docs")).scalar_one()
            rows = session.execute(page_sql, params).all()
            return int(total) + len(rows)

    return run


def run_mix(search: Callable[[SearchQuery], SearchResult], repeats: int) -> list[tuple[MixQuery, Timing, SearchResult]]:
    measured = []
    for item in QUERY_MIX:
        timing, result = repeat_timed(functools.partial(search, item.query), repeats)
        measured.append((item, timing, result))
    return measured


def _print_mix(title: str, measured: list[tuple[MixQuery, Timing, SearchResult]], baseline: Timing) -> None:
    rows: list[tuple[object, ...]] = [
        ("baseline", "count(*) + pk page fetch", "-", baseline.p50 * 1000, baseline.p95 * 1000, "1.0x", "1.0x")
    ]
    for item, timing, result in measured:
        rows.append(
            (
                item.group,
                item.label,
                result.total,
                timing.p50 * 1000,
                timing.p95 * 1000,
                ratio(timing.p50, baseline.p50),
                ratio(timing.p95, baseline.p95),
            )
        )
    print_table(title, ("group", "query", "hits", "p50 ms", "p95 ms", "p50 vs base", "p95 vs base"), rows)
    groups: dict[str, Timing] = {}
    for item, timing, _ in measured:
        groups.setdefault(item.group, Timing()).samples.extend(timing.samples)
    every = Timing([s for _, t, _ in measured for s in t.samples])
    print_table(
        f"{title}: by group",
        ("group", "p50 ms", "p95 ms", "p50 vs base"),
        [
            *((g, t.p50 * 1000, t.p95 * 1000, ratio(t.p50, baseline.p50)) for g, t in groups.items()),
            ("whole mix", every.p50 * 1000, every.p95 * 1000, ratio(every.p50, baseline.p50)),
        ],
    )
    empty = [item.label for item, _, result in measured if result.total == 0]
    if empty:
        print(f"  note: no hits for {', '.join(empty)}; the mix no longer fits the generated funds")


# -- OpenSearch ---------------------------------------------------------------------------


def _engine_url(given: str, alias: str) -> str:
    parts = urlsplit(given)
    scheme = parts.scheme if "+" in parts.scheme else f"opensearch+{parts.scheme}"
    return urlunsplit((scheme, parts.netloc, f"/{alias}", "", ""))


def _compare_totals(
    embedded: list[tuple[MixQuery, Timing, SearchResult]], engine: list[tuple[MixQuery, Timing, SearchResult]]
) -> None:
    """Latencies only compare when both engines answer the same question with the same count."""
    differing = [
        f"{a.label}: FTS5 {ra.total}, OpenSearch {rb.total}"
        for (a, _, ra), (_, _, rb) in zip(embedded, engine, strict=True)
        if ra.total != rb.total
    ]
    print("  hit counts: " + ("identical to FTS5 for every query" if not differing else "; ".join(differing)))


def bench_opensearch(
    documents: list[IndexDocument],
    repeats: int,
    baseline: Timing,
    embedded: list[tuple[MixQuery, Timing, SearchResult]],
) -> None:
    given = os.environ.get(OPENSEARCH_ENV)
    if not given:
        print(f"\nOpenSearch: skipped ({OPENSEARCH_ENV} is not set)")
        return
    if importlib.util.find_spec("aggregator.index.open") is None:
        print("\nOpenSearch: skipped (aggregator/index/open.py is not in this build)")
        return
    from aggregator.index.open import open_engine

    alias = f"emuseum-bench-{os.getpid()}"
    engine = open_engine(_engine_url(given, alias))
    print(f"\nOpenSearch: {engine.describe()}")
    try:
        with stopwatch() as loading:
            engine.rebuild(documents)
        engine.refresh()
        print(
            f"  rebuild of {len(documents):,} documents: {loading.wall:.1f} s, "
            f"{rate(len(documents), loading.wall):,.0f} docs/s (bulk, refresh off, one alias swap)"
        )
        measured = run_mix(engine.search, repeats)
        _print_mix(f"OpenSearch, {engine.count():,} documents, {repeats} runs per query", measured, baseline)
        _compare_totals(embedded, measured)
    finally:
        engine.drop()
        engine.close()
        print(f"  deleted alias {alias} and its index")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2,000 records, 5 repeats: a smoke run")
    parser.add_argument("--records", type=int, help="records in the index (default 20000, quick 2000)")
    parser.add_argument("--repeats", type=int, help="measured runs per query (default 30, quick 5)")
    parser.add_argument(
        "--documents", type=Path, help="pickle of the prepared documents: written when absent, read when present"
    )
    args = parser.parse_args(argv)
    count = args.records or (2_000 if args.quick else 20_000)
    repeats = args.repeats or (5 if args.quick else 30)
    print(f"bench_search: {machine_line()}")
    with stopwatch() as preparing:
        documents = cached_documents(count, args.documents)
    print(f"prepared {len(documents):,} documents (generate + map + quality + build) in {preparing.wall:.1f} s")

    with tempfile.TemporaryDirectory(prefix="emuseum-bench-") as tmp:
        path = Path(tmp) / "search.db"
        db = open_database(f"sqlite:///{path}")
        loading = load_index(db, documents)
        print_table(
            "Index build (SQLite FTS5)",
            ("documents", "seconds", "docs/s", "database MiB"),
            [(len(documents), loading, rate(len(documents), loading), path.stat().st_size / 1024 / 1024)],
        )
        ids = [d.id for d in random.Random(5).sample(documents, PAGE)]
        baseline, _ = repeat_timed(_baseline(db, ids), repeats * 3)
        measured = run_mix(_embedded_search(db), repeats)
        _print_mix(f"SQLite FTS5, {len(documents):,} documents, {repeats} runs per query", measured, baseline)
        db.dispose()
    bench_opensearch(documents, repeats, baseline, measured)
    print(f"\nfinished: {machine_line()}")


if __name__ == "__main__":
    main()
