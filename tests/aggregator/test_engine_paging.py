"""Deep pages and cached browsing on the engines answer exactly as the plain path did.

The engine index is stored in title order (``index.sort``) so that pages sorted
by title stop early, and browse requests ask the shard request cache.  Neither
may change a single answer: every page here is compared, hit by hit, with the
same page from an index built the way it was before (no index sort, no eager
ordinals, no cache), on the real OpenSearch and Elasticsearch nodes, and with
the order the catalogue promises (title folded, then record id).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from aggregator.index.documents import IndexDocument, build_document
from aggregator.index.engines import EngineIndex
from aggregator.index.engines.dsl import index_body
from aggregator.index.query import FACETS, SearchQuery, SearchResult
from tests.aggregator.engines import ENGINES, engine_base_url, engine_param, fresh_engine
from tests.factories import make_record

_TITLES = ("Кебеже", "кебеже", "Ыдыс", "Icon", "icon", "Алтын адам", "Ёлочная игрушка", "Zebra", "ақық", "Аяқ")
_TYPES = ("chest", "icon", "vessel", "toy")


def _documents(count: int) -> list[IndexDocument]:
    """Many documents sharing few titles (so the record id decides ties), spread over museums and years."""
    docs = []
    for n in range(count):
        record = make_record(
            f"{(n * 7919) % 1000:04d}-{n}",
            museum_id=f"kz-museum-{n % 5}",
            titles={"ru" if n % 2 else "en": f"{_TITLES[n % len(_TITLES)]}{' ' + str(n % 3) if n % 4 else ''}"},
            object_type=_TYPES[n % len(_TYPES)],
            materials=(("wood",), ("gold", "silver"), ())[n % 3],
            earliest=None if n % 6 == 0 else str(1700 + n % 250),
            latest=None if n % 6 == 0 else str(1750 + n % 250),
            image=n % 2 == 0,
        )
        docs.append(build_document(record, f"KZ-{10 + n % 4}"))
    return docs


def _plain_body(engine: EngineIndex) -> dict[str, Any]:
    """The index as it was built before: no index sort, facet ordinals built lazily."""
    body = index_body(engine.text_analysis(), engine.location.replicas)
    del body["settings"]["index"]["sort"]
    for mapping in body["mappings"]["properties"].values():
        mapping.pop("eager_global_ordinals", None)
    return body


class _Uncached:
    """Wraps an adapter so that its searches never ask the request cache (the path before)."""

    def __init__(self, engine: EngineIndex) -> None:
        self.engine = engine
        search = engine._search

        def no_cache(index: str, body: dict[str, Any], *, cache: bool = False) -> dict[str, Any]:
            return search(index, body, cache=False)

        engine._search = no_cache  # type: ignore[method-assign]
        engine._index_body = lambda: _plain_body(engine)  # type: ignore[method-assign]


@pytest.fixture(params=[engine_param(e) for e in ENGINES])
def pair(request: pytest.FixtureRequest) -> Iterator[tuple[EngineIndex, EngineIndex, list[IndexDocument]]]:
    """(new index, index built as before, documents), both loaded in several segments."""
    new, old = fresh_engine(request.param), fresh_engine(request.param)
    _Uncached(old)
    docs = _documents(360)
    try:
        for engine in (new, old):
            engine.ensure_index()
            for start in range(0, len(docs), 90):  # a refresh per part: several segments to merge-sort
                engine.upsert(docs[start : start + 90])
                engine.refresh()
        yield new, old, docs
    finally:
        for engine in (new, old):
            engine.drop()
            engine.close()


def _page(result: SearchResult) -> list[tuple[str, str]]:
    return [(hit.id, hit.title) for hit in result.hits]


def test_the_new_index_is_stored_in_title_order(pair: tuple[EngineIndex, EngineIndex, list[IndexDocument]]) -> None:
    new, _, _ = pair
    settings = httpx.get(f"{engine_base_url(new.name)}/{new.alias}/_settings", timeout=30).raise_for_status().json()
    (index_settings,) = settings.values()
    assert index_settings["settings"]["index"]["sort"]["field"] == ["sort_title", "id"]


@pytest.mark.parametrize(
    "query",
    [
        SearchQuery(sort="title", size=7),
        SearchQuery(sort="title", size=7, filters={"object_type": ["icon", "chest"]}),
        SearchQuery(sort="date", size=7),
        SearchQuery(sort="-date", size=7, date_from=1800, date_to=1900),
        SearchQuery(text="кебеже", size=7),
        SearchQuery(text="icon", sort="title", size=7),
        SearchQuery(size=7),
    ],
    ids=["title", "title-filtered", "date", "-date-range", "relevance-text", "title-text", "browse"],
)
def test_every_page_equals_the_same_page_from_the_index_built_as_before(
    pair: tuple[EngineIndex, EngineIndex, list[IndexDocument]], query: SearchQuery
) -> None:
    new, old, _ = pair
    first = old.search(query)
    assert first.total > 14, "the spec needs several pages"
    last = -(-first.total // query.size)
    for page in (1, 2, last // 2, last - 1, last):
        asked = query.model_copy(update={"page": page, "facets": list(FACETS)})
        expected, got = old.search(asked), new.search(asked)
        assert _page(got) == _page(expected), f"page {page} of {query}"
        assert (got.total, got.facets) == (expected.total, expected.facets)
        assert new.search(asked) == got  # asked again: the cached answer is the same answer


def test_title_order_is_folded_title_then_record_id(pair: tuple[EngineIndex, EngineIndex, list[IndexDocument]]) -> None:
    new, _, docs = pair
    expected = [d.id for d in sorted(docs, key=lambda d: (d.title.casefold(), d.id))]
    got: list[str] = []
    for page in range(1, len(docs) // 50 + 2):
        got.extend(hit.id for hit in new.search(SearchQuery(sort="title", size=50, page=page)).hits)
    assert got == expected


def _request_cache_hits(engine: EngineIndex) -> int:
    stats = httpx.get(
        f"{engine_base_url(engine.name)}/{engine.alias}/_stats/request_cache", timeout=30
    ).raise_for_status()
    return int(stats.json()["_all"]["total"]["request_cache"]["hit_count"])


def test_browsing_is_cached_and_a_write_shows_after_the_next_refresh(
    pair: tuple[EngineIndex, EngineIndex, list[IndexDocument]],
) -> None:
    new, _, docs = pair
    home = SearchQuery(facets=list(FACETS))
    before = new.search(home)
    hits_before = _request_cache_hits(new)
    assert new.search(home) == before
    assert _request_cache_hits(new) > hits_before, "the second browse should come from the request cache"
    added = build_document(make_record("added", museum_id="kz-museum-new", object_type="drum"), "KZ-99")
    new.upsert([added])
    new.refresh()
    after = new.search(home)
    assert after.total == before.total + 1 == len(docs) + 1
    assert {v.value: v.count for v in after.facets["museum"]}["kz-museum-new"] == 1
    assert {v.value: v.count for v in after.facets["region"]}["KZ-99"] == 1
    new.delete([docs[0].id])
    new.refresh()
    assert new.search(home).total == len(docs)
