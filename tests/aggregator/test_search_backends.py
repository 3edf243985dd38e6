"""Every index backend answers researchers' searches the same way.

The same specifications run on the embedded SQLite FTS5 index (always) and on
real OpenSearch 2.19 and Elasticsearch 9 nodes, which ``make test`` starts
(``tests/aggregator/engines.py``).  Faults an engine will not produce on
demand (429 and 503 answers) are injected by a loopback proxy in front of the
real node; everything else the node answers itself.
"""

from __future__ import annotations

import functools
import http.client
import json
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

import pytest

from aggregator.index.documents import IndexDocument, build_document
from aggregator.index.engines import EngineIndex, parse_index_url
from aggregator.index.engines.dsl import document_body, index_body, search_body
from aggregator.index.errors import DocumentsRejected, EngineUrlError, IndexUnavailable
from aggregator.index.fts import EmbeddedSearch, SqliteFtsIndex
from aggregator.index.open import open_engine, open_search_index
from aggregator.index.query import FACETS, QueryError, SearchQuery, SearchResult
from aggregator.index.rebuild import iter_documents, rebuild, reindex_embedded
from aggregator.store.database import Database
from demo.samples import generate_museum_objects, to_lido
from harvester.raw import RawRecord
from mappings.core import Actor, CoreRecord, Event, Place
from mappings.event_types import event_type
from mappings.formats import map_raw
from tests.aggregator.engines import ENGINES, closed_port_url, engine_base_url, engine_param, fresh_engine, save_records
from tests.factories import make_record
from tests.loopback import LoopbackServer, QuietHandler

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


@pytest.fixture(params=["sqlite", *(engine_param(e) for e in ENGINES)])
def backend(request: pytest.FixtureRequest, sqlite_db: Database) -> Iterator[Backend]:
    if request.param == "sqlite":
        yield Backend("sqlite", sqlite_db)
        return
    engine = fresh_engine(request.param)
    engine.ensure_index()
    try:
        yield Backend(request.param, sqlite_db, engine)
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


def test_an_excavations_site_district_expedition_and_leader_find_the_object(index: Backend) -> None:
    excavation = Event(
        type=event_type("excavation").term(),
        name="Семиреченская экспедиция",
        actors=[Actor(name="Акишев Кемаль")],
        places=[Place(name="Бесшатыр", part_of=Place(name="Алматинская область"))],
    )
    plaque = make_record("7", titles={"ru": "Бляшка"}, object_type="plaque")
    index.index([build_document(plaque.model_copy(update={"events": [excavation]}), "KZ-19")])
    for words in ("Бесшатыр", "Алматинская", "Акишев", "Семиреченская", "Besshatyr"):
        assert ids(find(index, words)) == {"7"}, words


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


def test_browsing_everything_counts_facets_exactly_after_replacements_and_removals(
    catalogue: tuple[Backend, list[IndexDocument]],
) -> None:
    """The embedded index keeps these counts beside its facet rows: every change must move them."""
    index, docs = catalogue
    removed = {d.id for d in docs[:15]}
    index.remove(sorted(removed))
    replaced = [docs[20], docs[21]]
    for doc in replaced:
        doc.material = ["felt", "bronze"]
        doc.region = "KZ-19"
    index.index(replaced)
    index.index(replaced)  # the same documents again change nothing
    remaining = [d for d in docs if d.id not in removed]
    result = index.search(SearchQuery(facets=list(FACETS), size=0))
    assert result.total == len(remaining) == 105
    for facet in FACETS:
        assert [(f.value, f.count) for f in result.facets[facet]] == _expected_facets(remaining, facet), facet
    index.reindex_from_store(MUSEUMS)  # the store still holds all 120: a full re-index counts them again
    result = index.search(SearchQuery(facets=list(FACETS), size=0))
    fresh = list(iter_documents(index.db, MUSEUMS))
    for facet in FACETS:
        assert [(f.value, f.count) for f in result.facets[facet]] == _expected_facets(fresh, facet), facet


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


@pytest.mark.parametrize("engine_name", [engine_param(e) for e in ENGINES])
def test_ensure_index_creates_a_timestamped_index_behind_the_alias_once(engine_name: str) -> None:
    engine = fresh_engine(engine_name)
    try:
        first = engine.ensure_index()
        assert first.startswith(f"{engine.alias}-") and first[len(engine.alias) + 1 :].isdigit()
        assert engine.ensure_index() == first
        assert engine.count() == 0
    finally:
        engine.drop()
        engine.close()


@pytest.mark.parametrize("engine_name", [engine_param(e) for e in ENGINES])
def test_searching_before_any_index_exists_says_how_to_create_it(engine_name: str) -> None:
    engine = fresh_engine(engine_name)
    try:
        with pytest.raises(IndexUnavailable, match="reindex --full"):
            engine.search(SearchQuery())
    finally:
        engine.close()


# -- the adapters against a real engine, behind a proxy that can inject overload -----------------


class FaultyProxy:
    """Forwards every request to a real engine and records it; can answer 429/503 instead, as an overloaded node.

    ``bulk_failures`` are statuses to answer the next bulk requests with (not
    forwarded); ``item_failures`` are statuses written over the first items of
    the next bulk answer (the node did index them; the adapter must send them
    again, which is harmless: indexing is idempotent).
    """

    def __init__(self, upstream: str, engine: str) -> None:
        parts = urlsplit(upstream)
        self.upstream_host, self.upstream_port = parts.hostname or "127.0.0.1", parts.port or 9200
        self.engine = engine
        self.requests: list[tuple[str, str, Any]] = []
        self.bulk_failures: list[int] = []
        self.item_failures: list[int] = []
        self._server = LoopbackServer(self._handler())
        self.url = self._server.base_url

    def __enter__(self) -> FaultyProxy:
        self._server.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.stop()

    def bodies(self, method: str, path_end: str) -> list[Any]:
        return [body for m, path, body in self.requests if m == method and path.split("?")[0].endswith(path_end)]

    def _forward(
        self, method: str, path: str, raw: bytes, headers: dict[str, str]
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=30)
        try:
            connection.request(method, path, body=raw or None, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(QuietHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                text = raw.decode("utf-8")
                is_bulk = self.path.split("?")[0].endswith("_bulk")
                body: Any = [json.loads(line) for line in text.splitlines() if line.strip()] if is_bulk else (
                    json.loads(text) if text else None)  # fmt: skip
                proxy.requests.append((self.command, self.path, body))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                if is_bulk and proxy.bulk_failures:
                    status = proxy.bulk_failures.pop(0)
                    error = {"error": {"type": "rejected_execution_exception", "reason": "queue full"}}
                    self._reply(status, [("Content-Type", "application/json")], json.dumps(error).encode())
                    return
                status, answer_headers, payload = proxy._forward(self.command, self.path, raw, headers)
                if is_bulk and proxy.item_failures and status == 200:
                    answer = json.loads(payload)
                    for item in answer["items"][: len(proxy.item_failures)]:
                        result = next(iter(item.values()))
                        result["status"] = proxy.item_failures.pop(0)
                        result["error"] = {"type": "rejected_execution_exception", "reason": "busy"}
                    answer["errors"] = True
                    payload = json.dumps(answer).encode()
                self._reply(status, answer_headers, payload)

            def _reply(self, status: int, headers: list[tuple[str, str]], payload: bytes) -> None:
                self.send_response(status)
                for name, value in headers:
                    if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(name, value)
                if proxy.engine == "elasticsearch" and not any(n.lower() == "x-elastic-product" for n, _ in headers):
                    self.send_header("X-Elastic-Product", "Elasticsearch")  # as the real node says on its answers
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _serve  # noqa: N815 - http.server's names

        return Handler


@pytest.fixture(params=[engine_param(e) for e in ENGINES])
def proxied(request: pytest.FixtureRequest) -> Iterator[tuple[FaultyProxy, list[float], EngineIndex]]:
    """An adapter talking to a real engine through the proxy, with its pauses recorded instead of slept."""
    pauses: list[float] = []
    alias = f"test-{uuid.uuid4().hex[:12]}"
    with FaultyProxy(engine_base_url(request.param), request.param) as proxy:
        url = f"{request.param}+{proxy.url}/{alias}?attempts=3&backoff=0.25&replicas=0"
        engine = open_engine(url, sleep=pauses.append)
        try:
            yield proxy, pauses, engine
        finally:
            proxy.bulk_failures.clear()
            proxy.item_failures.clear()
            engine.drop()
            engine.close()


def test_the_adapter_sends_the_shared_json_and_reads_the_engines_answer(
    proxied: tuple[FaultyProxy, list[float], EngineIndex],
) -> None:
    proxy, _, engine = proxied
    docs = [build_document(record, region) for record, region in SPEC_RECORDS]
    name = engine.ensure_index()
    engine.upsert(docs)
    engine.refresh()
    query = SearchQuery(text="алтын адам", filters={"region": ["KZ-19"]}, facets=["has_image"], date_from=-500)

    result = engine.search(query)

    expected_body = {**index_body(engine.text_analysis(), 0), "aliases": {engine.alias: {}}}
    assert proxy.bodies("PUT", f"/{name}") == [expected_body]
    bulk_lines = proxy.bodies("PUT", "/_bulk") + proxy.bodies("POST", "/_bulk")
    assert bulk_lines[0][1::2] == [document_body(d) for d in docs]
    assert bulk_lines[0][0::2][0] == {"index": {"_index": engine.alias, "_id": docs[0].id}}
    assert proxy.bodies("POST", f"/{engine.alias}/_search") == [search_body(query)]
    assert [h.id for h in result.hits] == ["kz-test-museum:3"]
    assert [(f.value, f.count) for f in result.facets["has_image"]] == [("false", 1)]


@pytest.mark.opensearch
@pytest.mark.elasticsearch
def test_elasticsearch_without_language_analyzers_indexes_keys_as_keywords() -> None:
    engine = fresh_engine("elasticsearch")
    try:
        assert engine.text_analysis() == "portable"
    finally:
        engine.close()
    opensearch = fresh_engine("opensearch")
    try:
        assert opensearch.text_analysis() == "language"
    finally:
        opensearch.close()


def test_rebuild_swaps_the_alias_in_one_request_and_drops_the_old_index(
    proxied: tuple[FaultyProxy, list[float], EngineIndex],
) -> None:
    proxy, _, engine = proxied
    old = engine.ensure_index()

    new = engine.rebuild(build_document(record, region) for record, region in SPEC_RECORDS)

    created = proxy.bodies("PUT", f"/{new}")[0]["settings"]["index"]
    assert (created["refresh_interval"], created["translog.durability"]) == ("-1", "async")
    # Both back to the engine's defaults (refresh each second, fsync per request) before the swap.
    assert proxy.bodies("PUT", f"/{new}/_settings") == [
        {"index": {"refresh_interval": None, "translog.durability": None}}
    ]
    assert proxy.bodies("POST", "/_aliases") == [
        {"actions": [{"remove": {"index": old, "alias": engine.alias}}, {"add": {"index": new, "alias": engine.alias}}]}
    ]
    assert engine.ensure_index() == new and engine.count() == 6


def test_bulk_writes_are_retried_with_growing_pauses_on_429_and_5xx(
    proxied: tuple[FaultyProxy, list[float], EngineIndex],
) -> None:
    proxy, pauses, engine = proxied
    engine.ensure_index()
    proxy.bulk_failures = [429, 503]
    assert engine.upsert([build_document(SPEC_RECORDS[0][0], "KZ-75")]) == 1
    assert pauses == [0.25, 0.5]
    proxy.item_failures = [429]  # the first document is refused once, the others go through
    assert engine.upsert([build_document(record, region) for record, region in SPEC_RECORDS]) == 6
    engine.refresh()
    assert engine.count() == 6


def test_bulk_gives_up_with_index_unavailable_when_the_engine_stays_overloaded(
    proxied: tuple[FaultyProxy, list[float], EngineIndex],
) -> None:
    proxy, _, engine = proxied
    engine.ensure_index()
    proxy.bulk_failures = [503, 503, 503]
    with pytest.raises(IndexUnavailable, match="HTTP 503") as caught:
        engine.upsert([build_document(SPEC_RECORDS[0][0], "KZ-75")])
    assert caught.value.status == 503


@pytest.mark.parametrize("engine_name", [engine_param(e) for e in ENGINES])
def test_documents_the_engine_refuses_for_good_are_named_after_the_rest_are_written(engine_name: str) -> None:
    engine = fresh_engine(engine_name)
    engine.ensure_index()
    docs = [build_document(record, region) for record, region in SPEC_RECORDS]
    docs[0].earliest_year = 10**12  # beyond the integer field: the engine refuses this document, not the batch
    try:
        with pytest.raises(DocumentsRejected, match="kz-test-museum:1") as caught:
            engine.upsert(docs)
        assert list(caught.value.reasons) == ["kz-test-museum:1"]
        engine.refresh()
        assert engine.count() == 5
    finally:
        engine.drop()
        engine.close()
