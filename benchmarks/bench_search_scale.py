"""Search at a million documents on OpenSearch and Elasticsearch, asked through the web API.

Run (the documented full run; one engine or both)::

    EMUSEUM_BENCH_OPENSEARCH_URL=http://127.0.0.1:PORT \\
    EMUSEUM_BENCH_ELASTICSEARCH_URL=http://127.0.0.1:PORT \\
    .venv/bin/python -m benchmarks.bench_search_scale --records 1000000

Harvesting and mapping a million records would take hours and measure the
harvester, not search, so the documents are made directly: a pool (default
20,000) is generated, mapped and built exactly as ``bench_search`` does
(``build_document``), and the million are copies of the pool with their own
ids, spread over 256 museums (a copy keeps its original's text, region and
facets, so word frequencies and facet shapes stay those of the pool).  The
copies go through the engine's own rebuild path (``start_rebuild``, ``load``,
``finish_rebuild``: bulk, refresh off, alias swap) and ``document_body``; only
the text folding is done once per pool document, and its rate is printed
apart, so a real ``reindex --full`` can be estimated from both figures.

The query mix is ``bench_search``'s (Kazakh Cyrillic and Latin, Russian
forms, English, filters, facets, browse everything with all 8 facets, paging)
plus a page at the end of the 10,000-result window, asked as HTTP requests to
the FastAPI app (``create_app`` over a catalogue whose index URL is the engine,
through Starlette's TestClient: routing, parameter checks, the engine call
and the JSON the researcher gets).  Baselines in the same run: the engine's
``_count`` and a ``match_all`` of 20 hits over plain HTTP, and the same mix
on the engine adapter without the web app (each query alternately through
the API and on the adapter, so both meet the same moment of load).  The store behind the app holds
no records, so result pages show the index's titles (the fallback path); a
store read of one page is a primary-key lookup of 20 rows.

Each engine gets its own alias ``emuseum-scale-<pid>``, deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
from fastapi.testclient import TestClient

from aggregator.catalogue import Catalogue
from aggregator.index.documents import IndexDocument
from aggregator.index.engines import EngineIndex
from aggregator.index.engines.dsl import document_body
from aggregator.index.open import open_engine
from aggregator.index.query import SearchQuery
from aggregator.store.database import open_database
from aggregator.web.api import create_app
from benchmarks.bench_search import QUERY_MIX, MixQuery, cached_documents
from benchmarks.measure import Timing, machine_line, print_table, rate, ratio, repeat_timed, stopwatch
from config.settings import Settings

__all__ = ["SCALE_MIX", "api_params", "copies", "main"]

ENGINE_ENV = {"opensearch": "EMUSEUM_BENCH_OPENSEARCH_URL", "elasticsearch": "EMUSEUM_BENCH_ELASTICSEARCH_URL"}
MUSEUM_SPREAD = 32  # copies of one pool museum become 32 museums: 8 x 32 = 256, about the country's 252
PROGRESS_EVERY = 100_000

#: bench_search's mix, and the last page of the 10,000-result window (deep paging at scale).
SCALE_MIX: tuple[MixQuery, ...] = (
    *QUERY_MIX,
    MixQuery("browse", "everything, page 500 by title", SearchQuery(sort="title", page=500)),
)


class _Copy(IndexDocument):
    """A pool document under another id and museum, its folded text computed once for the pool."""

    __slots__ = ("folded_keys", "folded_stems")

    folded_keys: str
    folded_stems: str

    def search_keys(self) -> str:
        return self.folded_keys

    def search_stems(self) -> str:
        return self.folded_stems


_FIELDS = tuple(f.name for f in fields(IndexDocument))


Folded = list[tuple[str, str]]


def copies(pool: list[IndexDocument], folded: Folded, numbers: Iterable[int]) -> Iterator[IndexDocument]:
    """Document ``n`` is pool document ``n % len(pool)``, copy ``n // len(pool)`` (copy 0 is the original).

    ``folded`` holds each pool document's (search keys, search stems).
    """
    for n in numbers:
        round_, index = divmod(n, len(pool))
        base = pool[index]
        doc = _Copy.__new__(_Copy)
        for name in _FIELDS:
            setattr(doc, name, getattr(base, name))
        doc.folded_keys, doc.folded_stems = folded[index]
        if round_:
            doc.id = f"{base.id}~{round_}"
            doc.museum_id = f"{base.museum_id}-{round_ % MUSEUM_SPREAD:02d}"
        yield doc


def api_params(query: SearchQuery) -> list[tuple[str, str]]:
    """The /api/search parameters asking ``query``."""
    params: list[tuple[str, str]] = []
    if query.text:
        params.append(("q", query.text))
    for name, values in sorted(query.filters.items()):
        params.extend((name, value) for value in values)
    params.extend(("facet", facet) for facet in query.facets)
    if query.date_from is not None:
        params.append(("from", str(query.date_from)))
    if query.date_to is not None:
        params.append(("to", str(query.date_to)))
    if query.sort != "relevance":
        params.append(("sort", query.sort))
    if query.page != 1:
        params.append(("page", str(query.page)))
    return params


def _engine_url(engine: str, given: str, alias: str) -> str:
    parts = urlsplit(given)
    scheme = parts.scheme if "+" in parts.scheme else f"{engine}+{parts.scheme}"
    return urlunsplit((scheme, parts.netloc, f"/{alias}", "", ""))


def _progress(
    docs: Iterator[IndexDocument], started: float, total: int, counter: list[int], stop: threading.Event
) -> Iterator[IndexDocument]:
    """Count what is sent and print every PROGRESS_EVERY; end early once ``stop`` is set (Ctrl-C)."""
    for doc in docs:
        if stop.is_set():
            return
        yield doc
        counter[0] += 1
        if counter[0] % PROGRESS_EVERY == 0:
            elapsed = time.monotonic() - started
            print(f"    {counter[0]:,} of {total:,} sent, {elapsed:.0f} s, {rate(counter[0], elapsed):,.0f} docs/s")


def load(
    engine: EngineIndex, pool: list[IndexDocument], folded: Folded, count: int, threads: int
) -> tuple[float, float]:
    """Rebuild the engine's index with ``count`` copies: (seconds sending bulks, seconds to refresh + swap)."""
    name = engine.start_rebuild()
    started = time.monotonic()
    counter = [0]
    stop = threading.Event()
    try:
        with ThreadPoolExecutor(max_workers=threads) as pool_of_senders:
            parts = [
                pool_of_senders.submit(
                    engine.load,
                    name,
                    _progress(copies(pool, folded, range(t, count, threads)), started, count, counter, stop),
                )
                for t in range(threads)
            ]
            try:
                refused = {k: v for part in parts for k, v in part.result()[1].items()}
            except BaseException:
                stop.set()  # the senders finish their current bulk and end, so the index can be deleted
                raise
        if refused:
            raise RuntimeError(f"the engine refused {len(refused)} documents, e.g. {next(iter(refused.items()))}")
        sending = time.monotonic() - started
        with stopwatch() as finishing:
            engine.finish_rebuild(name)
    except BaseException:
        engine.abandon_rebuild(name)
        raise
    return sending, finishing.wall


def _print_mix(
    title: str,
    api: list[tuple[MixQuery, Timing, int]],
    direct: list[tuple[MixQuery, Timing, int]],
    baseline: Timing,
    first: dict[str, float],
) -> Timing:
    """One row per query; ``first`` is each query's first ask through the API (cold caches)."""
    rows: list[tuple[object, ...]] = []
    for (item, timing, total), (_, engine_timing, engine_total) in zip(api, direct, strict=True):
        rows.append(
            (
                item.group,
                item.label,
                total if total == engine_total else f"{total} (adapter {engine_total})",
                first[item.label] * 1000,
                timing.p50 * 1000,
                timing.p95 * 1000,
                engine_timing.p50 * 1000,
                engine_timing.p95 * 1000,
                ratio(timing.p50, baseline.p50),
            )
        )
    every = Timing([s for _, t, _ in api for s in t.samples])
    every_direct = Timing([s for _, t, _ in direct for s in t.samples])
    rows.append(
        (
            "whole mix",
            "",
            "",
            max(first.values()) * 1000,
            every.p50 * 1000,
            every.p95 * 1000,
            every_direct.p50 * 1000,
            every_direct.p95 * 1000,
            ratio(every.p50, baseline.p50),
        )
    )
    print_table(
        title,
        (
            "group",
            "query",
            "hits",
            "API first ms",
            "API p50 ms",
            "API p95 ms",
            "adapter p50",
            "adapter p95",
            "API p50 vs base",
        ),
        rows,
    )
    return every


Measured = list[tuple[MixQuery, Timing, int]]


def _timed_pairs(
    api: Callable[[SearchQuery], int], direct: Callable[[SearchQuery], int], repeats: int, first: dict[str, float]
) -> tuple[Measured, Measured]:
    """Each query through the API and on the adapter in turn, so both meet the same moment of load."""
    through_api: Measured = []
    on_adapter: Measured = []
    for item in SCALE_MIX:
        started = time.perf_counter()
        api(item.query)  # warm-up, kept apart: with a request cache it is the only uncached ask
        first[item.label] = time.perf_counter() - started
        direct(item.query)
        timings = (Timing(), Timing())
        totals = [0, 0]
        for _ in range(repeats):
            for n, ask in enumerate((api, direct)):
                started = time.perf_counter()
                totals[n] = ask(item.query)
                timings[n].samples.append(time.perf_counter() - started)
        through_api.append((item, timings[0], totals[0]))
        on_adapter.append((item, timings[1], totals[1]))
    return through_api, on_adapter


def _api_asker(client: TestClient) -> Callable[[SearchQuery], int]:
    def ask(query: SearchQuery) -> int:
        response = client.get("/api/search?" + urlencode(api_params(query)))
        if response.status_code != 200:
            raise RuntimeError(f"/api/search answered {response.status_code}: {response.text[:300]}")
        body: dict[str, Any] = response.json()
        return int(body["total"])

    return ask


def _baselines(base_url: str, alias: str, repeats: int) -> tuple[Timing, Timing]:
    """The engine alone over plain HTTP: ``_count``, and ``match_all`` returning 20 hits."""
    with httpx.Client(base_url=base_url, timeout=60) as http:
        counting, _ = repeat_timed(lambda: http.get(f"/{alias}/_count").raise_for_status(), repeats * 3)
        body = {"query": {"match_all": {}}, "size": 20}
        matching, _ = repeat_timed(lambda: http.post(f"/{alias}/_search", json=body).raise_for_status(), repeats * 3)
    return counting, matching


def bench_engine(
    engine_name: str, given: str, pool: list[IndexDocument], folded: Folded, args: argparse.Namespace
) -> None:
    alias = f"emuseum-scale-{os.getpid()}"
    url = _engine_url(engine_name, given, alias)
    engine = open_engine(url)
    print(f"\n{engine_name}: {engine.describe()}, {machine_line()}")
    try:
        sending, finishing = load(engine, pool, folded, args.records, args.threads)
        built = engine.count()
        print_table(
            f"Index build ({engine_name})",
            ("documents", "sending s", "refresh + swap s", "docs/s", "threads"),
            [(built, sending, finishing, rate(built, sending + finishing), args.threads)],
        )
        base_url = urlunsplit((urlsplit(given).scheme.split("+")[-1], urlsplit(given).netloc, "", "", ""))
        counting, matching = _baselines(base_url, alias, args.repeats)
        first: dict[str, float] = {}
        with tempfile.TemporaryDirectory(prefix="emuseum-scale-") as tmp:
            settings = Settings(config_dir=Path(tmp), database_url=f"sqlite:///{tmp}/store.db", index_url=url)
            catalogue = Catalogue(settings, open_database(settings.database_url))
            try:
                with TestClient(create_app(catalogue)) as client:
                    api, direct = _timed_pairs(
                        _api_asker(client), lambda q: engine.search(q).total, args.repeats, first
                    )
            finally:
                catalogue.close()
        print_table(
            f"Baselines ({engine_name}, plain HTTP to the engine)",
            ("baseline", "p50 ms", "p95 ms"),
            [
                ("_count", counting.p50 * 1000, counting.p95 * 1000),
                ("match_all, 20 hits", matching.p50 * 1000, matching.p95 * 1000),
            ],
        )
        every = _print_mix(
            f"{engine_name}, {built:,} documents, {args.repeats} runs per query, through /api/search",
            api,
            direct,
            matching,
            first,
        )
        verdict = "under" if every.p95 < 0.100 else "OVER"
        print(f"  whole mix through the API: p95 {every.p95 * 1000:.1f} ms, {verdict} the 100 ms target")
    finally:
        engine.drop()
        engine.close()
        print(f"  deleted alias {alias} and its index")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000, help="documents in the index (default 1000000)")
    parser.add_argument("--pool", type=int, default=20_000, help="documents generated and mapped (default 20000)")
    parser.add_argument("--repeats", type=int, default=20, help="measured runs per query (default 20)")
    parser.add_argument("--threads", type=int, default=2, help="threads sending bulk requests (default 2)")
    parser.add_argument(
        "--engines", default="opensearch,elasticsearch", help="engines to measure, of those whose URL is set"
    )
    parser.add_argument("--documents", type=Path, help="pickle of the pool: written when absent, read when present")
    args = parser.parse_args(argv)
    print(f"bench_search_scale: {machine_line()}")
    wanted = [e.strip() for e in args.engines.split(",") if e.strip()]
    engines = [(e, os.environ[ENGINE_ENV[e]]) for e in wanted if os.environ.get(ENGINE_ENV.get(e, ""))]
    for engine_name in wanted:
        if engine_name not in dict(engines):
            print(f"{engine_name}: skipped ({ENGINE_ENV.get(engine_name, 'no such engine')} is not set)")
    if not engines:
        return
    with stopwatch() as preparing:
        pool = cached_documents(args.pool, args.documents)
    print(f"pool of {len(pool):,} documents (generate + map + quality + build) in {preparing.wall:.1f} s")
    with stopwatch() as folding:
        folded = [(doc.search_keys(), doc.search_stems()) for doc in pool]
    with stopwatch() as bodies:
        for doc in copies(pool, folded, range(len(pool))):
            document_body(doc)
    print(
        f"text folding: {rate(len(pool), folding.wall):,.0f} docs/s, engine bodies of folded documents: "
        f"{rate(len(pool), bodies.wall):,.0f} docs/s, on one core (folding is done once per pool document; "
        f"a real reindex --full folds every document)"
    )
    for engine_name, given in engines:
        bench_engine(engine_name, given, pool, folded, args)
    print(f"\nfinished: {machine_line()}")


if __name__ == "__main__":
    main()
