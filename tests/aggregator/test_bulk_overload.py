"""The bulk writer survives a search node that is short of heap instead of failing a reindex.

The node under test is ``OverloadedNode``: a loopback HTTP server in front of the
real OpenSearch or Elasticsearch node that refuses bulk requests as an
overloaded node does (429 from the parent circuit breaker, 413 past the content
length, items rejected by a full write queue) and forwards everything else.
What arrived is counted on the real node, directly.  Pauses are recorded
through the adapter's ``sleep`` instead of slept.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator

import orjson
import pytest

from aggregator.index.documents import IndexDocument, build_document
from aggregator.index.engines import EngineIndex, parse_index_url
from aggregator.index.engines.bulk import GROW_AFTER
from aggregator.index.engines.dsl import document_body
from aggregator.index.errors import EngineUrlError, IndexUnavailable
from aggregator.index.open import open_engine
from tests.aggregator.engines import ENGINES, engine_base_url, engine_param, engine_url
from tests.aggregator.overloaded_node import OverloadedNode
from tests.factories import make_record

Writer = Callable[..., tuple[EngineIndex, list[float]]]


@pytest.fixture(params=[engine_param(e) for e in ENGINES])
def node(request: pytest.FixtureRequest) -> Iterator[OverloadedNode]:
    with OverloadedNode(engine_base_url(request.param), request.param) as overloaded:
        yield overloaded


@pytest.fixture
def writer(node: OverloadedNode) -> Iterator[Writer]:
    """Adapters on fresh aliases talking to the overloaded node, each with its pauses recorded."""
    made: list[EngineIndex] = []

    def make(options: str = "attempts=3&backoff=0.5", **kw: object) -> tuple[EngineIndex, list[float]]:
        pauses: list[float] = []
        alias = f"test-{uuid.uuid4().hex[:12]}"
        engine = open_engine(f"{node.engine}+{node.url}/{alias}?{options}&replicas=0", sleep=pauses.append, **kw)
        made.append(engine)
        return engine, pauses

    yield make
    node.breaker_bytes = node.max_content_bytes = None
    node.refuse_next = node.reject_items_next = 0
    for engine in made:
        engine.drop()
        engine.close()


def documents(count: int, start: int = 0, *, padding: int = 0) -> list[IndexDocument]:
    """Documents of one size (fixed-width ids and titles), so byte limits fall between known counts."""
    return [
        build_document(
            make_record(
                f"{n:05d}",
                titles={"ru": f"Войлочный ковёр {n:05d}", "en": f"Felt carpet {n:05d}"},
                description="Текемет, войлок, ручная работа. " * 8 + "ж" * padding,
            ),
            "KZ-75",
        )
        for n in range(start, start + count)
    ]


def line_bytes(index: str, doc: IndexDocument) -> int:
    """The bytes a document adds to a bulk body: its action line and its source line."""
    return len(orjson.dumps({"index": {"_index": index, "_id": doc.id}})) + len(orjson.dumps(document_body(doc))) + 2


def real_count(node: OverloadedNode, alias: str) -> int:
    """Documents behind the alias, asked of the real node, not through the overloaded one."""
    direct = open_engine(engine_url(node.engine, alias))
    try:
        direct.refresh()
        return direct.count()
    finally:
        direct.close()


def warnings(caplog: pytest.LogCaptureFixture, engine: EngineIndex) -> list[str]:
    """The writer's WARNING lines; each is one plain line naming the engine and the alias."""
    lines = [r.getMessage() for r in caplog.records if r.name == "emuseum.index" and r.levelno == logging.WARNING]
    for line in lines:
        assert "\n" not in line and engine.describe() in line, line
    return lines


# -- a whole request refused ------------------------------------------------------------------


def test_a_full_rebuild_through_a_node_short_of_heap_splits_batches_until_every_document_arrives(
    node: OverloadedNode, writer: Writer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="emuseum.index")
    engine, pauses = writer()
    docs = documents(200)
    node.breaker_bytes = sum(line_bytes(f"{engine.alias}-{'0' * 20}", d) for d in docs) // 6

    engine.rebuild(iter(docs))

    assert real_count(node, engine.alias) == 200
    taken = [doc_id for request in node.taken for doc_id in request.ids]
    assert sorted(taken) == sorted(d.id for d in docs)  # each document taken exactly once
    assert node.refused and all(r.size > node.breaker_bytes and r.status == 429 for r in node.refused)
    assert all(r.size <= node.breaker_bytes for r in node.taken)
    assert 0 < sum(pauses) <= 120 and max(pauses) <= 30
    lines = warnings(caplog, engine)
    first = next(line for line in lines if "200 documents" in line)
    assert "HTTP 429 circuit_breaking_exception: [parent] Data too large" in first
    assert "splitting it into 100 + 100 documents" in first and "later batches hold at most 100 documents" in first
    assert len(lines) == len(node.refused)  # every split and wait said once


def test_later_batches_keep_the_smaller_size_then_grow_back_once_the_node_recovers(
    node: OverloadedNode, writer: Writer
) -> None:
    engine, pauses = writer(batch_size=12)
    docs = documents(24)
    one = line_bytes(engine.alias, docs[0])
    assert {line_bytes(engine.alias, d) for d in docs} == {one}
    node.breaker_bytes = int(3.5 * one)  # three documents get through, four do not
    engine.ensure_index()

    assert engine.upsert(docs) == 24

    # The first batch of 12 is split down to 3s, its other half cut to 3s before it is sent; the second
    # batch goes as 3s at once, without a refusal.
    assert [(r.documents, r.status) for r in node.bulk_requests] == [(12, 429), (6, 429)] + [(3, 200)] * 8
    assert pauses == [0.5, 1.0]

    node.breaker_bytes = None
    node.bulk_requests.clear()
    assert engine.upsert(documents(480, start=24)) == 480

    sizes = [r.documents for r in node.bulk_requests]
    assert not node.refused and sizes[0] == 3
    assert sizes[:-1] == sorted(sizes[:-1]) and max(sizes) == 12 and sizes[-2] == 12  # back to the full batch
    held = [sizes[:-1].count(size) for size in sorted(set(sizes[:-1])) if size < 12]
    assert max(held) <= GROW_AFTER  # a smaller size lasts at most GROW_AFTER batches
    assert real_count(node, engine.alias) == 504


def test_waiting_on_a_node_that_keeps_refusing_is_bounded_by_max_wait_then_fails_saying_what_to_do(
    node: OverloadedNode, writer: Writer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="emuseum.index")
    engine, pauses = writer("attempts=3&backoff=0.5&max_wait=20")
    engine.ensure_index()
    node.refuse_next = 10**6

    with pytest.raises(IndexUnavailable) as caught:
        engine.upsert(documents(5))

    assert pauses == [0.5, 1.0, 2.0, 4.0, 8.0, 4.5] and sum(pauses) == 20  # halves, then one document
    message = str(caught.value)
    assert "\n" not in message and engine.describe() in message
    assert "the node still refuses 1 document (kz-test-museum:00000) after waiting 20 s in all" in message
    assert "HTTP 429 circuit_breaking_exception: [parent] Data too large" in message
    assert "4 more documents of this batch were not sent" in message
    assert "more heap" in message and "--workers 1" in message and "max_wait=" in message
    assert caught.value.status == 429 and caught.value.transient
    assert [r.documents for r in node.bulk_requests] == [5, 2, 1, 1, 1, 1, 1]
    lines = warnings(caplog, engine)
    assert len(lines) == 6 and "sending it again in 8.0 s (15.5 of max_wait 20 s spent)" in lines[4]
    assert real_count(node, engine.alias) == 0


def test_a_retry_after_the_client_passes_on_replaces_the_computed_pause(node: OverloadedNode, writer: Writer) -> None:
    engine, pauses = writer("attempts=3&backoff=0.5&max_wait=20")
    engine.ensure_index()
    node.refuse_next, node.retry_after = 10**6, "7"

    with pytest.raises(IndexUnavailable, match="after waiting 20 s in all"):
        engine.upsert(documents(5))

    if node.engine == "elasticsearch":
        assert pauses == [7.0, 7.0, 6.0]  # the last one trimmed to what was left of max_wait
    else:  # opensearch-py drops the headers of an error answer: our own pauses
        assert pauses == [0.5, 1.0, 2.0, 4.0, 8.0, 4.5]


def test_a_single_document_too_large_for_the_node_fails_naming_it_after_the_others_arrive(
    node: OverloadedNode, writer: Writer
) -> None:
    engine, pauses = writer()
    docs = documents(6)
    one = line_bytes(engine.alias, docs[0])
    docs[3] = documents(1, start=3, padding=2 * one)[0]  # about three documents' bytes
    node.max_content_bytes = int(2.5 * one)
    engine.ensure_index()

    with pytest.raises(IndexUnavailable) as caught:
        engine.upsert(docs)

    message = str(caught.value)
    assert "the node still refuses 1 document (kz-test-museum:00003): HTTP 413" in message
    assert "2 more documents of this batch were not sent" in message
    assert "raise http.max_content_length on the node" in message
    assert caught.value.status == 413 and not caught.value.transient
    assert [(r.documents, r.status) for r in node.bulk_requests] == [
        (6, 413), (3, 413), (1, 200), (1, 200), (1, 200), (1, 413),
    ]  # fmt: skip
    assert pauses == []  # too large is not overloaded: nothing to wait for
    assert real_count(node, engine.alias) == 3


# -- items refused ----------------------------------------------------------------------------


def test_documents_a_full_write_queue_rejects_are_sent_again_with_growing_waits(
    node: OverloadedNode, writer: Writer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="emuseum.index")
    engine, pauses = writer()
    engine.ensure_index()
    node.reject_items_next = 3

    assert engine.upsert(documents(10)) == 10

    assert pauses == [0.5, 1.0, 2.0]
    assert [(r.documents, r.items_rejected) for r in node.bulk_requests] == [(10, True)] * 3 + [(10, False)]
    lines = warnings(caplog, engine)
    assert len(lines) == 3
    assert "the node rejected 10 documents of 10 with HTTP 429 es_rejected_execution_exception" in lines[0]
    assert real_count(node, engine.alias) == 10

    node.reject_items_next = 1
    assert engine.upsert(documents(10, start=10)) == 10
    assert pauses[3:] == [0.5]  # documents got through since: waiting starts over


def test_a_write_queue_that_stays_full_fails_within_max_wait(node: OverloadedNode, writer: Writer) -> None:
    engine, pauses = writer("attempts=3&backoff=0.5&max_wait=5")
    engine.ensure_index()
    node.reject_items_next = 10**6

    with pytest.raises(IndexUnavailable) as caught:
        engine.upsert(documents(10))

    assert pauses == [0.5, 1.0, 2.0, 1.5]
    message = str(caught.value)
    assert "the node still refuses 10 documents (kz-test-museum:00000, …) after waiting 5 s in all" in message
    assert "es_rejected_execution_exception" in message and "write queue stays full" in message


# -- the setting ------------------------------------------------------------------------------


def test_max_wait_is_read_from_the_index_url_with_a_two_minute_default() -> None:
    assert parse_index_url("opensearch+http://127.0.0.1:9200/emuseum").max_wait == 120.0
    assert parse_index_url("opensearch+http://127.0.0.1:9200/emuseum?max_wait=600").max_wait == 600.0
    with pytest.raises(EngineUrlError, match="out of range"):
        parse_index_url("opensearch+http://127.0.0.1:9200/emuseum?max_wait=-1")
    with pytest.raises(EngineUrlError, match="max_wait"):
        parse_index_url("opensearch+http://127.0.0.1:9200/emuseum?wait=5")
