"""The dev/CI Elasticsearch node (devtools/search_node.py --engine elasticsearch) works for the app.

`make test` starts the node and exports its URL; by hand::

    python devtools/search_node.py fetch
    export EMUSEUM_TEST_ELASTICSEARCH_URL=$(python devtools/search_node.py start --engine elasticsearch \\
        --port 0 --home var/es-node --pidfile var/es-node.pid)
    .venv/bin/pytest tests/devtools/test_elasticsearch_node.py
    python devtools/search_node.py stop --pidfile var/es-node.pid

The node is Elastic's test distribution: only the apm, transport-netty4, x-pack-core and
x-pack-security modules, so the `standard` analyzer and `lowercase` exist but no language
analyzers, `whitespace` or `asciifolding` (text is folded and stemmed in Python instead).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import missing_service

REPO_ROOT = Path(__file__).resolve().parents[2]
URL_ENV = "EMUSEUM_TEST_ELASTICSEARCH_URL"

MAPPINGS: dict[str, Any] = {
    "properties": {
        "museum": {"type": "keyword"},
        "title": {"type": "text", "analyzer": "standard"},
        "has_image": {"type": "boolean"},
        "years": {"type": "integer_range"},
    }
}
# One shard and no replica: green on a single node, like the app's indices in tests.
SETTINGS: dict[str, Any] = {"number_of_shards": 1, "number_of_replicas": 0}

DOCS: dict[str, dict[str, Any]] = {
    "kz-1": {
        "museum": "central-state-museum",
        "title": "Қазақтың киіз үйі, ағаш сүйегі",
        "has_image": True,
        "years": {"gte": 1850, "lte": 1899},
    },
    "kz-2": {
        "museum": "kasteyev-art-museum",
        "title": "Жаппас Қалымбетұлының домбырасы",
        "has_image": False,
        "years": {"gte": 1920, "lte": 1925},
    },
    "kz-3": {
        "museum": "central-state-museum",
        "title": "Түркістан кілемі, ҚАЗАҚ өрнегі",
        "has_image": True,
        "years": {"gte": 1701, "lte": 1800},
    },
    "kz-4": {
        "museum": "otrar-reserve",
        "title": "Отырар құмырасы",
        "has_image": False,
        "years": {"gte": 1200, "lte": 1400},
    },
}


def _load_search_node() -> ModuleType:
    """devtools/ is not an installed package, so load the launcher by its path."""
    spec = importlib.util.spec_from_file_location("search_node", REPO_ROOT / "devtools" / "search_node.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["search_node"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def es() -> Iterator[Any]:
    url = os.environ.get(URL_ENV)
    if not url:
        missing_service(
            f"{URL_ENV} is not set (make test starts Elasticsearch; by hand: "
            "python devtools/search_node.py start --engine elasticsearch --port 0 --home DIR --pidfile FILE)"
        )
    elasticsearch = pytest.importorskip("elasticsearch")
    client = elasticsearch.Elasticsearch(url, request_timeout=30)
    yield client
    client.close()


@pytest.fixture
def prefix(es: Any) -> Iterator[str]:
    """A unique index-name prefix per test; every index under it is deleted afterwards."""
    name = f"emuseum-devtools-{uuid.uuid4().hex[:10]}"
    yield name
    es.indices.delete(index=f"{name}*", ignore_unavailable=True, allow_no_indices=True)


def _create(es: Any, index: str) -> None:
    es.indices.create(index=index, settings=SETTINGS, mappings=MAPPINGS)


def _load(es: Any, index: str) -> None:
    from elasticsearch import helpers

    actions = [{"_index": index, "_id": doc_id, "_source": doc} for doc_id, doc in DOCS.items()]
    indexed, errors = helpers.bulk(es, actions, refresh="wait_for")
    assert (indexed, errors) == (len(DOCS), [])


def test_cluster_is_healthy_and_its_major_matches_the_client(es: Any) -> None:
    import elasticsearch

    health = es.cluster.health(wait_for_status="yellow", timeout="30s")
    assert health["status"] in ("green", "yellow")
    assert health["number_of_nodes"] == 1
    nodes = es.nodes.info(node_id="_local")["nodes"]
    (node,) = nodes.values()
    assert int(node["version"].split(".")[0]) == elasticsearch.__version__[0]
    assert node["http"]["publish_address"].startswith("127.0.0.1:")


def test_index_bulk_search_aggregate_and_count_kazakh_records(es: Any, prefix: str) -> None:
    index = f"{prefix}-records"
    _create(es, index)
    _load(es, index)
    assert es.cluster.health(index=index, wait_for_status="green", timeout="30s")["status"] == "green"

    mapping = es.indices.get_mapping(index=index)[index]["mappings"]["properties"]
    assert {name: field["type"] for name, field in mapping.items()} == {
        "museum": "keyword",
        "title": "text",
        "has_image": "boolean",
        "years": "integer_range",
    }

    # `standard` lowercases Cyrillic, Kazakh letters included: ҚАЗАҚ and Қазақ match қазақ.
    hits = es.search(index=index, query={"match": {"title": "қазақ"}})["hits"]["hits"]
    assert {hit["_id"] for hit in hits} == {"kz-3"}
    hits = es.search(index=index, query={"match": {"title": "ҚАЗАҚТЫҢ"}})["hits"]["hits"]
    assert {hit["_id"] for hit in hits} == {"kz-1"}
    tokens = [t["token"] for t in es.indices.analyze(analyzer="standard", text="ҚАЗАҚ Өрнегі")["tokens"]]
    assert tokens == ["қазақ", "өрнегі"]

    response = es.search(
        index=index,
        size=0,
        query={"term": {"has_image": True}},
        aggs={"museums": {"terms": {"field": "museum"}}},
    )
    buckets = {b["key"]: b["doc_count"] for b in response["aggregations"]["museums"]["buckets"]}
    assert buckets == {"central-state-museum": 2}
    response = es.search(index=index, size=0, aggs={"museums": {"terms": {"field": "museum"}}})
    buckets = {b["key"]: b["doc_count"] for b in response["aggregations"]["museums"]["buckets"]}
    assert buckets == {"central-state-museum": 2, "kasteyev-art-museum": 1, "otrar-reserve": 1}

    # A "from 1890 to 1921" filter keeps every object whose dating overlaps it.
    hits = es.search(
        index=index,
        query={"range": {"years": {"gte": 1890, "lte": 1921, "relation": "intersects"}}},
    )["hits"]["hits"]
    assert {hit["_id"] for hit in hits} == {"kz-1", "kz-2"}
    hits = es.search(
        index=index,
        query={"range": {"years": {"gte": 1100, "lte": 1800, "relation": "within"}}},
    )["hits"]["hits"]
    assert {hit["_id"] for hit in hits} == {"kz-3", "kz-4"}

    assert es.count(index=index)["count"] == len(DOCS)
    assert es.count(index=index, query={"term": {"museum": "central-state-museum"}})["count"] == 2


def test_alias_is_created_and_swapped_atomically(es: Any, prefix: str) -> None:
    alias, old, new = f"{prefix}-objects", f"{prefix}-v1", f"{prefix}-v2"
    _create(es, old)
    _create(es, new)
    _load(es, old)
    es.index(index=new, id="kz-5", document={"museum": "otrar-reserve", "title": "Жаңа"}, refresh="wait_for")

    es.indices.update_aliases(actions=[{"add": {"index": old, "alias": alias}}])
    assert set(es.indices.get_alias(name=alias)) == {old}
    assert es.count(index=alias)["count"] == len(DOCS)

    es.indices.update_aliases(
        actions=[{"remove": {"index": old, "alias": alias}}, {"add": {"index": new, "alias": alias}}]
    )
    assert set(es.indices.get_alias(name=alias)) == {new}
    assert es.count(index=alias)["count"] == 1
    assert es.indices.exists_alias(name=alias, index=old).body is False


def test_language_analyzers_are_absent_from_the_test_distribution(es: Any, prefix: str) -> None:
    """A tripwire: if a newer zip brings analysis-common, mappings may use `russian` again."""
    from elasticsearch import BadRequestError

    with pytest.raises(BadRequestError, match="russian"):
        es.indices.create(
            index=f"{prefix}-ru", mappings={"properties": {"title": {"type": "text", "analyzer": "russian"}}}
        )


# --- the launcher itself, without a node --------------------------------------------------


def test_java_version_is_read_from_java_dash_version() -> None:
    search_node = _load_search_node()
    assert search_node.java_major('openjdk version "25.0.3" 2026-04-21 LTS') == 25
    assert search_node.java_major('openjdk version "21" 2023-09-19') == 21
    assert search_node.java_major('java version "1.8.0_292"') == 8
    assert search_node.java_major("no version here") is None


def test_elasticsearch_command_binds_loopback_only(tmp_path: Path) -> None:
    search_node = _load_search_node()
    command = search_node.elasticsearch_command(tmp_path, 19201, root=tmp_path)
    settings = dict(arg.split("=", 1) for arg in command[2::2])
    assert command[0].endswith("/bin/elasticsearch") and set(command[1::2]) == {"-E"}
    assert settings["http.host"] == settings["transport.host"] == "127.0.0.1"
    assert settings["http.port"] == "19201"
    assert settings["discovery.type"] == "single-node"
    assert settings["xpack.security.enabled"] == "false"
    assert settings["path.data"] == str(tmp_path / "data")
    # No module in this folder, so no setting of a missing module (the node would refuse it).
    assert "xpack.ml.enabled" not in settings and "ingest.geoip.downloader.enabled" not in settings


def test_stop_leaves_a_pid_that_is_not_a_node_alone() -> None:
    search_node = _load_search_node()
    search_node.stop(os.getpid())  # pytest itself: no node mark in its cmdline, so not signalled
    assert search_node._engine_of(os.getpid()) is None
