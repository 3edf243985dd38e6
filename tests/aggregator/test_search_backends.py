"""Every index backend answers researchers' searches the same way.

The same specifications run on the embedded SQLite FTS5 index (always) and on a
real OpenSearch node (when ``EMUSEUM_TEST_OPENSEARCH_URL`` names one)::

    python devtools/search_node.py build
    export EMUSEUM_TEST_OPENSEARCH_URL=$(python devtools/search_node.py start \\
        --port 0 --home var/search-node --pidfile var/search-node.pid)
    .venv/bin/pytest tests/aggregator/test_search_backends.py
    python devtools/search_node.py stop --pidfile var/search-node.pid

Each OpenSearch test owns a unique alias prefix and deletes its indices at
teardown.  No Elasticsearch server can be obtained here, so the Elasticsearch
adapter is checked against a loopback HTTP server that answers like
Elasticsearch: the request bodies must be exactly engine.py's JSON.
"""

from __future__ import annotations

import functools
import json
import os
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from aggregator.index.documents import IndexDocument, build_document
from aggregator.index.engines import EngineIndex, parse_index_url
from aggregator.index.engines.dsl import document_body, index_body, search_body
from aggregator.index.errors import EngineUrlError, IndexUnavailable
from aggregator.index.fts import EmbeddedSearch, SqliteFtsIndex
from aggregator.index.open import open_engine, open_search_index
from aggregator.index.query import FACETS, QueryError, SearchQuery, SearchResult
from aggregator.index.rebuild import iter_documents, rebuild, reindex_embedded
from aggregator.store.database import Database
from aggregator.store.records import RecordStore, SavedCore
from config.registry import Museum
from demo.samples import generate_museum_objects, to_lido
from harvester.raw import RawRecord
from mappings.core import CoreRecord
from mappings.formats import map_raw
from tests.conftest import missing_service
from tests.factories import make_record

URL_ENV = "EMUSEUM_TEST_OPENSEARCH_URL"


# -- helpers shared with test_index_sync --------------------------------------------------


def opensearch_base_url() -> str:
    url = os.environ.get(URL_ENV)
    if not url:
        missing_service(f"{URL_ENV} is not set (start a node: python devtools/search_node.py start ...)")
    return url.rstrip("/")


def fresh_engine(**options: Any) -> EngineIndex:
    """An OpenSearch adapter on a unique alias, so tests never see each other's documents."""
    base = opensearch_base_url()
    return open_engine(f"opensearch+{base}/test-{uuid.uuid4().hex[:12]}?attempts=3&backoff=0.2", **options)


def closed_port_url(prefix: str = "emuseum") -> str:
    """An engine URL nothing listens on: the OS gave the port out and it was closed at once."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"opensearch+http://127.0.0.1:{port}/{prefix}?attempts=2&backoff=0.01&timeout=2"


def save_records(db: Database, records: list[CoreRecord], regions: dict[str, str]) -> None:
    """Write core records (and their museums) to the store the way a harvest page does."""
    with db.session() as session:
        store = RecordStore(session)
        for museum_id in sorted({r.museum_id for r in records}):
            store.save_museum(
                Museum.model_validate(
                    {
                        "id": museum_id,
                        "name": {"en": museum_id},
                        "region": regions[museum_id],
                        "source": {"type": "oai-pmh", "url": "http://127.0.0.1:9/oai"},
                    }
                )
            )
        existing = store.core_rows([r.id for r in records])
        store.save_cores([SavedCore(r, "hash-" + r.id, 0.5, existing.get(r.id)) for r in records])
        session.commit()


# -- backends under test --------------------------------------------------------------------


@dataclass
class Backend:
    """One index behind the few verbs the specifications need."""

    name: str
    db: Database
    engine: EngineIndex | None = None

    def index(self, docs: list[IndexDocument]) -> None:
        if self.engine is None:
            with self.db.session() as session:
                SqliteFtsIndex(session).upsert(docs)
                session.commit()
        else:
            self.engine.upsert(docs)
            self.engine.refresh()

    def remove(self, ids: list[str]) -> None:
        if self.engine is None:
            with self.db.session() as session:
                SqliteFtsIndex(session).delete(ids)
                session.commit()
        else:
            self.engine.delete(ids)
            self.engine.refresh()

    def reindex_from_store(self, regions: dict[str, str]) -> None:
        if self.engine is None:
            reindex_embedded(self.db, regions)
        else:
            rebuild(self.db, self.engine, regions)
            self.engine.refresh()

    def search(self, query: SearchQuery) -> SearchResult:
        return (self.engine or EmbeddedSearch(self.db)).search(query)

    def count(self) -> int:
        return (self.engine or EmbeddedSearch(self.db)).count()


@pytest.fixture(params=["sqlite", pytest.param("opensearch", marks=pytest.mark.opensearch)])
def backend(request: pytest.FixtureRequest, sqlite_db: Database) -> Iterator[Backend]:
    if request.param == "sqlite":
        yield Backend("sqlite", sqlite_db)
        return
    engine = fresh_engine()
    engine.ensure_index()
    try:
        yield Backend("opensearch", sqlite_db, engine)
    finally:
        engine.drop()
        engine.close()


SPEC_RECORDS: list[tuple[CoreRecord, str]] = [
    (
        make_record(
            "1",
            titles={"kk": "Қазақ кебежесі", "ru": "Казахский сундук", "en": "Kazakh chest"},
            object_type="chest",
            materials=("wood", "silver"),
            earliest="1850",
            latest="1899",
            image=True,
        ),
        "KZ-75",
    ),
    (
        make_record(
            "2",
            titles={"ru": "Икона Богоматери", "en": "Icon of the Virgin"},
            object_type="icon",
            materials=("wood",),
            earliest="1700",
            latest="1799",
        ),
        "KZ-75",
    ),
    (
        make_record(
            "3",
            titles={"kk": "Алтын адам", "en": "Golden Man"},
            object_type="costume",
            materials=("gold",),
            earliest="-0499",
            latest="-0300",
            model=True,
        ),
        "KZ-19",
    ),
    (
        make_record(
            "4",
            titles={"ru": "Ёлочная игрушка", "en": "Christmas tree toy"},
            object_type="toy",
            materials=("glass",),
            earliest="1950",
            latest="1960",
            image=True,
        ),
        "KZ-71",
    ),
    (
        make_record(
            "5",
            titles={"kk": "Шымкент қаласының суреті", "en": "View of Shymkent"},
            object_type="photograph",
            earliest="1910",
            latest="1910",
        ),
        "KZ-79",
    ),
    (
        make_record(
            "6",
            titles={"ru": "Иконы и складни"},
            object_type="icon",
            materials=("bronze",),
            earliest="1800",
            latest="1850",
        ),
        "KZ-75",
    ),
]


@pytest.fixture
def index(backend: Backend) -> Backend:
    backend.index([build_document(record, region) for record, region in SPEC_RECORDS])
    return backend


def ids(result: SearchResult) -> set[str]:
    return {h.id.split(":", 1)[1] for h in result.hits}


def find(index: Backend, text: str = "", **kw: Any) -> SearchResult:
    return index.search(SearchQuery(text=text, **kw))


# -- the specifications ----------------------------------------------------------------------


def test_hits_carry_title_type_region_and_media_flags(index: Backend) -> None:
    hit = find(index, "golden").hits[0]
    assert (hit.title, hit.object_type, hit.region, hit.museum_id, hit.has_3d, hit.has_image) == (
        "Алтын адам",
        ["local:costume"],  # a concept id: a term the vocabulary does not know is a local concept
        "KZ-19",
        "kz-test-museum",
        True,
        False,
    )
    assert hit.score is not None and hit.score > 0


def test_kazakh_latin_query_finds_the_cyrillic_record(index: Backend) -> None:
    assert ids(find(index, "Altyn adam")) == {"3"}
    assert ids(find(index, "Şymkent")) == {"5"}
    assert ids(find(index, "Shymkent")) == {"5"}
    assert ids(find(index, "S'ymkent")) == {"5"}


def test_cyrillic_and_latin_queries_find_the_same_records(index: Backend) -> None:
    assert ids(find(index, "алтын")) == ids(find(index, "altyn")) == {"3"}
    assert ids(find(index, "Қазақ")) == ids(find(index, "Qazaq")) == {"1"}


def test_russian_word_forms_find_each_other(index: Backend) -> None:
    assert ids(find(index, "икона")) == {"2", "6"}
    assert ids(find(index, "иконы")) == {"2", "6"}


def test_russian_yo_and_ye_are_the_same_letter(index: Backend) -> None:
    assert ids(find(index, "елочная")) == {"4"}
    assert ids(find(index, "ЁЛОЧНАЯ")) == {"4"}


def test_a_word_prefix_finds_the_whole_word(index: Backend) -> None:
    assert ids(find(index, "Shym")) == {"5"}


def test_every_query_word_must_match(index: Backend) -> None:
    assert ids(find(index, "kazakh chest")) == {"1"}
    assert find(index, "kazakh icon").total == 0


def test_query_of_only_punctuation_finds_nothing_instead_of_failing(index: Backend) -> None:
    result = find(index, '"*()', facets=["region"])
    assert (result.total, result.hits, result.facets) == (0, [], {})


def test_facet_counts_follow_the_result_set(index: Backend) -> None:
    result = find(index, facets=["region", "material", "has_image"])
    assert {f.value: f.count for f in result.facets["region"]} == {"KZ-75": 3, "KZ-19": 1, "KZ-71": 1, "KZ-79": 1}
    assert {f.value: f.count for f in result.facets["has_image"]} == {"true": 2, "false": 4}
    filtered = find(index, filters={"region": ["KZ-75"]}, facets=["material"])
    assert filtered.total == 3
    assert [(f.value, f.count) for f in filtered.facets["material"]] == [("wood", 2), ("bronze", 1), ("silver", 1)]


def test_filters_combine_and_booleans_work(index: Backend) -> None:
    assert ids(find(index, filters={"has_3d": ["true"]})) == {"3"}
    assert ids(find(index, filters={"has_image": ["true"], "region": ["KZ-75"]})) == {"1"}
    assert ids(find(index, filters={"object_type": ["icon", "toy"]})) == {"2", "4", "6"}
    assert find(index, filters={"has_image": ["true", "false"]}).total == 6


def test_date_range_matches_overlapping_periods_including_bce(index: Backend) -> None:
    assert ids(find(index, date_from=-450, date_to=-400)) == {"3"}
    assert ids(find(index, date_from=1840, date_to=1860)) == {"1", "6"}
    assert ids(find(index, date_to=0)) == {"3"}
    assert ids(find(index, date_from=1900)) == {"4", "5"}


def test_century_facet_names_bce_centuries_negatively(index: Backend) -> None:
    result = find(index, "golden", facets=["century"])
    assert {f.value for f in result.facets["century"]} == {"-5", "-4"}


def test_sorting_and_paging(index: Backend) -> None:
    by_date = find(index, sort="date", size=2)
    assert [h.id.split(":")[1] for h in by_date.hits] == ["3", "2"]
    page2 = find(index, sort="date", size=2, page=2)
    assert [h.id.split(":")[1] for h in page2.hits] == ["6", "1"]
    assert (page2.total, page2.page, page2.size) == (6, 2, 2)
    newest = find(index, sort="-date", size=1)
    assert [h.id.split(":")[1] for h in newest.hits] == ["4"]
    titles = [h.title for h in find(index, sort="title").hits]
    assert titles == sorted(titles, key=str.casefold)


def test_deleted_records_disappear_from_search_and_facets(index: Backend) -> None:
    index.remove(["kz-test-museum:3", "kz-test-museum:never-indexed"])
    assert find(index, "golden").total == 0
    regions = find(index, facets=["region"]).facets["region"]
    assert "KZ-19" not in {f.value for f in regions}
    assert index.count() == 5


def test_reindexing_a_record_replaces_it(index: Backend) -> None:
    changed = make_record("1", titles={"en": "Painted chest"}, object_type="chest")
    index.index([build_document(changed, "KZ-75")])
    assert find(index, "kebeje").total == 0
    assert ids(find(index, "painted")) == {"1"}
    assert index.count() == 6


def test_deep_paging_is_refused_with_a_reason(index: Backend) -> None:
    with pytest.raises(QueryError, match="narrow"):
        find(index, page=1000, size=100)


# -- facet counts against the store ------------------------------------------------------------

MUSEUMS = {"kz-central-state-museum": "KZ-75", "kz-otrar-museum": "KZ-61", "kz-atyrau-museum": "KZ-23"}


@functools.cache
def _sample_records() -> tuple[CoreRecord, ...]:
    """Generated once per session: mapping 120 LIDO records is the slow part of the fixture."""
    records = []
    for museum_id, region in MUSEUMS.items():
        for obj in generate_museum_objects(museum_id, 40, seed=3, region=region, base_url="https://media.example/"):
            raw = RawRecord(museum_id=museum_id, local_id=obj.local_id, format="lido", payload=to_lido(obj, museum_id))
            records.append(map_raw(raw).record)
    return tuple(records)


def _expected_facets(docs: list[IndexDocument], facet: str) -> list[tuple[str, int]]:
    counts = Counter(value for doc in docs for value in dict.fromkeys(doc.facet_values()[facet]))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:50]


def _overlaps(doc: IndexDocument, date_from: int | None, date_to: int | None) -> bool:
    if date_from is not None and (doc.latest_year is None or doc.latest_year < date_from):
        return False
    return not (date_to is not None and (doc.earliest_year is None or doc.earliest_year > date_to))


def _all_ids(index: Backend, **kw: Any) -> set[str]:
    found: set[str] = set()
    page = 1
    while True:
        result = index.search(SearchQuery(size=100, page=page, **kw))
        found |= {h.id for h in result.hits}
        if page * 100 >= result.total:
            return found
        page += 1


@pytest.fixture
def catalogue(backend: Backend) -> tuple[Backend, list[IndexDocument]]:
    """120 realistic records of three museums, harvested into the store and indexed from it."""
    save_records(backend.db, list(_sample_records()), MUSEUMS)
    backend.reindex_from_store(MUSEUMS)
    return backend, list(iter_documents(backend.db, MUSEUMS))


def test_facet_counts_equal_the_counts_of_the_stored_records(catalogue: tuple[Backend, list[IndexDocument]]) -> None:
    index, docs = catalogue
    result = index.search(SearchQuery(facets=list(FACETS), size=0))
    assert result.total == len(docs) == 120
    for facet in FACETS:
        assert [(f.value, f.count) for f in result.facets[facet]] == _expected_facets(docs, facet), facet


def test_facet_counts_within_a_filtered_result_equal_the_stores(
    catalogue: tuple[Backend, list[IndexDocument]],
) -> None:
    index, docs = catalogue
    material = _expected_facets(docs, "material")[0][0]
    wanted = [d for d in docs if d.region == "KZ-61" and material in d.material]
    result = index.search(
        SearchQuery(filters={"region": ["KZ-61"], "material": [material]}, facets=["object_type", "century"], size=0)
    )
    assert result.total == len(wanted) > 0
    for facet in ("object_type", "century"):
        assert [(f.value, f.count) for f in result.facets[facet]] == _expected_facets(wanted, facet)


@pytest.mark.parametrize(("date_from", "date_to"), [(-3000, -1), (1700, 1800), (1900, None), (None, 1000)])
def test_date_overlap_selects_the_records_whose_period_touches_the_range(
    catalogue: tuple[Backend, list[IndexDocument]], date_from: int | None, date_to: int | None
) -> None:
    index, docs = catalogue
    expected = {d.id for d in docs if _overlaps(d, date_from, date_to)}
    assert _all_ids(index, date_from=date_from, date_to=date_to) == expected


def test_every_stored_record_is_found_by_its_own_title(catalogue: tuple[Backend, list[IndexDocument]]) -> None:
    index, docs = catalogue
    for doc in docs[::7]:
        assert doc.id in {h.id for h in index.search(SearchQuery(text=doc.title, size=100)).hits}, doc.title


# -- choosing a backend -------------------------------------------------------------------------


def test_index_url_names_engine_host_alias_and_retry_policy() -> None:
    location = parse_index_url("opensearch+https://search.museums.kz:9200/national?attempts=2&backoff=1.5&timeout=9")
    assert (location.engine, location.base_url, location.prefix) == (
        "opensearch",
        "https://search.museums.kz:9200",
        "national",
    )
    assert (location.attempts, location.backoff, location.timeout) == (2, 1.5, 9.0)
    assert parse_index_url("elasticsearch+http://127.0.0.1:9200").prefix == "emuseum"


def test_index_url_credentials_never_appear_in_messages() -> None:
    location = parse_index_url("opensearch+http://indexer:s3cret@127.0.0.1:9200/emuseum")
    assert (location.username, location.password) == ("indexer", "s3cret")
    assert "s3cret" not in location.describe() and "s3cret" not in repr(location)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("solr+http://127.0.0.1:8983/emuseum", "not understood"),
        ("opensearch+ftp://127.0.0.1/emuseum", "not understood"),
        ("opensearch+http://127.0.0.1:9200/Emuseum", "lowercase"),
        ("opensearch+http://127.0.0.1:9200/emuseum?retries=3", "unknown option"),
        ("opensearch+http://127.0.0.1:9200/emuseum?attempts=0", "out of range"),
    ],
)
def test_unusable_index_urls_are_refused_with_the_accepted_form(url: str, message: str) -> None:
    with pytest.raises(EngineUrlError, match=message):
        parse_index_url(url)


def test_searching_picks_the_embedded_index_for_sqlite_and_the_engine_otherwise(sqlite_db: Database) -> None:
    assert isinstance(open_search_index(sqlite_db, "sqlite"), EmbeddedSearch)
    engine = open_search_index(sqlite_db, "opensearch+http://127.0.0.1:9200/emuseum")
    assert isinstance(engine, EngineIndex) and engine.alias == "emuseum"
    engine.close()
    engine = open_search_index(sqlite_db, "elasticsearch+http://127.0.0.1:9200/emuseum")
    assert engine.name == "elasticsearch"
    engine.close()


def test_an_unreachable_engine_is_reported_as_index_unavailable_naming_it() -> None:
    engine = open_engine(closed_port_url("catalogue"))
    try:
        with pytest.raises(IndexUnavailable, match=r"opensearch http://127\.0\.0\.1:\d+ alias 'catalogue'") as caught:
            engine.search(SearchQuery(text="altyn"))
        assert caught.value.transient
    finally:
        engine.close()


@pytest.mark.opensearch
def test_ensure_index_creates_a_timestamped_index_behind_the_alias_once() -> None:
    engine = fresh_engine()
    try:
        first = engine.ensure_index()
        assert first.startswith(f"{engine.alias}-") and first[len(engine.alias) + 1 :].isdigit()
        assert engine.ensure_index() == first
        assert engine.count() == 0
    finally:
        engine.drop()
        engine.close()


@pytest.mark.opensearch
def test_searching_before_any_index_exists_says_how_to_create_it() -> None:
    engine = fresh_engine()
    try:
        with pytest.raises(IndexUnavailable, match="reindex --full"):
            engine.search(SearchQuery())
    finally:
        engine.close()


# -- Elasticsearch adapter against an Elasticsearch-shaped loopback server -----------------------


class FakeElasticsearch:
    """Answers the dozen Elasticsearch APIs the adapter uses, like ES 9 would, and records requests.

    It does not evaluate queries (its search returns every stored document): it
    exists to check what the adapter sends and that it reads real response shapes.
    """

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, Any]] = []
        self.indices: dict[str, dict[str, Any]] = {}  # name -> {"body":..., "docs": {...}}
        self.aliases: dict[str, set[str]] = {}
        self.bulk_failures: list[int] = []  # statuses to answer the next bulk requests with
        self.item_failures: list[int] = []  # statuses for the first items of the next bulk
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> FakeElasticsearch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def bodies(self, method: str, path_end: str) -> list[Any]:
        return [body for m, path, body in self.requests if m == method and path.endswith(path_end)]

    def _resolve(self, name: str) -> list[str]:
        return sorted(self.aliases.get(name, set())) or ([name] if name in self.indices else [])

    def answer(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        self.requests.append((method, path, body))
        parts = [p for p in path.split("?")[0].split("/") if p]
        if method == "GET" and parts == []:
            return 200, {"version": {"number": "9.1.0", "build_flavor": "default"}, "tagline": "You Know, for Search"}
        if parts[:1] == ["_alias"]:
            targets = self.aliases.get(parts[1], set())
            if not targets:
                return 404, {"error": f"alias [{parts[1]}] missing", "status": 404}
            return 200, {name: {"aliases": {parts[1]: {}}} for name in targets}
        if parts == ["_bulk"]:
            if self.bulk_failures:
                status = self.bulk_failures.pop(0)
                return status, {"error": {"type": "es_rejected_execution_exception", "reason": "queue full"}}
            return 200, self._bulk(body)
        if parts == ["_aliases"]:
            for action in body["actions"]:
                ((verb, spec),) = action.items()
                targets = self.aliases.setdefault(spec["alias"], set())
                if verb == "add":
                    targets.add(spec["index"])
                else:
                    targets.discard(spec["index"])
            return 200, {"acknowledged": True}
        if len(parts) == 2 and parts[1] == "_search":
            docs = [d for name in self._resolve(parts[0]) for d in self.indices[name]["docs"].items()]
            hits = [{"_index": parts[0], "_id": i, "_score": 1.0, "_source": d} for i, d in docs]
            return 200, {
                "_shards": {"total": 1, "successful": 1, "failed": 0},
                "hits": {"total": {"value": len(hits), "relation": "eq"}, "hits": hits},
                "aggregations": {"has_image": {"buckets": [{"key": 1, "key_as_string": "true", "doc_count": 1}]}},
            }
        if len(parts) == 2 and parts[1] == "_count":
            return 200, {"count": sum(len(self.indices[n]["docs"]) for n in self._resolve(parts[0]))}
        if len(parts) == 2 and parts[1] in ("_refresh", "_settings"):
            return 200, {"acknowledged": True, "_shards": {"total": 1, "successful": 1, "failed": 0}}
        if len(parts) == 1 and method == "PUT":
            self.indices[parts[0]] = {"body": body, "docs": {}}
            for alias in (body or {}).get("aliases", {}):
                self.aliases.setdefault(alias, set()).add(parts[0])
            return 200, {"acknowledged": True, "index": parts[0]}
        if len(parts) == 1 and method == "DELETE":
            for name in parts[0].split(","):
                self.indices.pop(name, None)
                for targets in self.aliases.values():
                    targets.discard(name)
            return 200, {"acknowledged": True}
        if len(parts) == 1 and method == "GET":
            prefix = parts[0].rstrip("*")
            return 200, {name: {} for name in self.indices if name.startswith(prefix)}
        return 400, {"error": {"type": "unexpected", "reason": f"{method} {path}"}}

    def _bulk(self, lines: list[dict[str, Any]]) -> dict[str, Any]:
        items = []
        position = 0
        while position < len(lines):
            ((verb, meta),) = lines[position].items()
            name = self._resolve(meta["_index"])[0]
            if self.item_failures:
                status = self.item_failures.pop(0)
                items.append({verb: {"_id": meta["_id"], "status": status, "error": {"type": "x", "reason": "busy"}}})
            elif verb == "index":
                self.indices[name]["docs"][meta["_id"]] = lines[position + 1]
                items.append({verb: {"_id": meta["_id"], "status": 201, "result": "created"}})
            else:
                found = self.indices[name]["docs"].pop(meta["_id"], None)
                items.append({verb: {"_id": meta["_id"], "status": 200 if found else 404}})
            position += 2 if verb == "index" else 1
        return {"errors": any(item[next(iter(item))]["status"] >= 300 for item in items), "items": items}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                if self.path.split("?")[0].endswith("_bulk"):
                    body: Any = [json.loads(line) for line in raw.splitlines() if line.strip()]
                else:
                    body = json.loads(raw) if raw else None
                status, answer = fake.answer(self.command, self.path, body)
                payload = json.dumps(answer).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _serve  # noqa: N815 - http.server's names

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        return Handler


@pytest.fixture
def fake_es() -> Iterator[FakeElasticsearch]:
    with FakeElasticsearch() as server:
        yield server


def _es(fake: FakeElasticsearch, pauses: list[float] | None = None) -> EngineIndex:
    sleep = pauses.append if pauses is not None else (lambda _seconds: None)
    return open_engine(f"elasticsearch+{fake.url}/emuseum?attempts=3&backoff=0.25", sleep=sleep)


def test_elasticsearch_adapter_sends_engine_json_for_index_documents_and_search(fake_es: FakeElasticsearch) -> None:
    engine = _es(fake_es)
    docs = [build_document(record, region) for record, region in SPEC_RECORDS]
    name = engine.ensure_index()
    engine.upsert(docs)
    query = SearchQuery(text="алтын адам", filters={"region": ["KZ-19"]}, facets=["has_image"], date_from=-500)
    result = engine.search(query)
    engine.close()
    assert fake_es.bodies("PUT", f"/{name}") == [{**index_body(), "aliases": {"emuseum": {}}}]
    bulk_lines = fake_es.bodies("PUT", "/_bulk") + fake_es.bodies("POST", "/_bulk")
    assert bulk_lines[0][1::2] == [document_body(d) for d in docs]
    assert bulk_lines[0][0::2][0] == {"index": {"_index": "emuseum", "_id": docs[0].id}}
    assert fake_es.bodies("POST", "/emuseum/_search") == [search_body(query)]
    assert result.total == 6 and {h.id for h in result.hits} == {d.id for d in docs}
    assert [(f.value, f.count) for f in result.facets["has_image"]] == [("true", 1)]


def test_elasticsearch_rebuild_swaps_the_alias_in_one_request_and_drops_the_old_index(
    fake_es: FakeElasticsearch,
) -> None:
    engine = _es(fake_es)
    old = engine.ensure_index()
    new = engine.rebuild(build_document(record, region) for record, region in SPEC_RECORDS)
    engine.close()
    create_new = fake_es.bodies("PUT", f"/{new}")[0]
    assert create_new["settings"]["index"]["refresh_interval"] == "-1"
    assert fake_es.bodies("PUT", f"/{new}/_settings") == [{"index": {"refresh_interval": None}}]
    assert fake_es.bodies("POST", "/_aliases") == [
        {"actions": [{"remove": {"index": old, "alias": "emuseum"}}, {"add": {"index": new, "alias": "emuseum"}}]}
    ]
    assert set(fake_es.indices) == {new} and fake_es.aliases["emuseum"] == {new}
    assert len(fake_es.indices[new]["docs"]) == 6


def test_bulk_writes_are_retried_with_growing_pauses_on_429_and_5xx(fake_es: FakeElasticsearch) -> None:
    pauses: list[float] = []
    engine = _es(fake_es, pauses)
    engine.ensure_index()
    fake_es.bulk_failures = [429, 503]
    assert engine.upsert([build_document(SPEC_RECORDS[0][0], "KZ-75")]) == 1
    assert pauses == [0.25, 0.5]
    fake_es.item_failures = [429]  # the first document is refused once, the others go through
    assert engine.upsert([build_document(record, region) for record, region in SPEC_RECORDS]) == 6
    assert len(fake_es.indices[engine.ensure_index()]["docs"]) == 6
    engine.close()


def test_bulk_gives_up_with_index_unavailable_when_the_engine_stays_overloaded(fake_es: FakeElasticsearch) -> None:
    engine = _es(fake_es)
    engine.ensure_index()
    fake_es.bulk_failures = [503, 503, 503]
    with pytest.raises(IndexUnavailable, match="HTTP 503") as caught:
        engine.upsert([build_document(SPEC_RECORDS[0][0], "KZ-75")])
    assert caught.value.status == 503
    engine.close()


def test_documents_refused_for_good_are_named_after_the_rest_are_written(fake_es: FakeElasticsearch) -> None:
    from aggregator.index.errors import DocumentsRejected

    engine = _es(fake_es)
    engine.ensure_index()
    fake_es.item_failures = [400]
    with pytest.raises(DocumentsRejected, match="kz-test-museum:1") as caught:
        engine.upsert([build_document(record, region) for record, region in SPEC_RECORDS])
    assert list(caught.value.reasons) == ["kz-test-museum:1"]
    assert len(fake_es.indices[engine.ensure_index()]["docs"]) == 5
    engine.close()
