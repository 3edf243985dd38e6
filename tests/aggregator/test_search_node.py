"""The dev/CI OpenSearch node does what the aggregator's index relies on.

Tests against a live node read its URL from EMUSEUM_TEST_OPENSEARCH_URL, e.g.::

    python devtools/search_node.py build
    export EMUSEUM_TEST_OPENSEARCH_URL=$(python devtools/search_node.py start \
        --port 0 --home var/search-node --pidfile var/search-node.pid)
    .venv/bin/pytest -m opensearch tests/aggregator/test_search_node.py
    python devtools/search_node.py stop --pidfile var/search-node.pid
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import missing_service

REPO_ROOT = Path(__file__).resolve().parents[2]
SEARCH_NODE_PY = REPO_ROOT / "devtools" / "search_node.py"
URL_ENV = "EMUSEUM_TEST_OPENSEARCH_URL"

DOCS: dict[str, dict[str, Any]] = {
    "1": {
        "title": "Старинные иконы Семиречья",
        "title_folded": "Қазақстан иконалары",
        "museum": "central-state-museum",
        "production": {"gte": "1850-01-01", "lte": "1899-12-31"},
    },
    "2": {
        "title": "Домбыра мастера Жаппаса",
        "title_folded": "Домбыра Жаппас Қалымбетұлы",
        "museum": "kasteyev-art-museum",
        "production": {"gte": "1920-01-01", "lte": "1925-12-31"},
    },
    "3": {
        "title": "Ковёр из Туркестана",
        "title_folded": "Түркістан кілемі Йассауи",
        "museum": "central-state-museum",
        "production": {"gte": "1701-01-01", "lte": "1800-12-31"},
    },
}


def _load_search_node() -> ModuleType:
    """devtools/ is not an installed package, so load the launcher by its path."""
    spec = importlib.util.spec_from_file_location("search_node", SEARCH_NODE_PY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["search_node"] = module
    spec.loader.exec_module(module)
    return module


def _opensearch_url() -> str:
    url = os.environ.get(URL_ENV)
    if not url:
        missing_service(
            f"{URL_ENV} is unset: start a node with `python devtools/search_node.py start "
            "--port 0 --home DIR --pidfile FILE` and export its URL"
        )
    return url


@pytest.fixture(scope="module")
def client() -> Any:
    url = _opensearch_url()
    opensearchpy = pytest.importorskip("opensearchpy")
    return opensearchpy.OpenSearch(hosts=[url], timeout=30)


@pytest.fixture(scope="module")
def icu_available(client: Any) -> bool:
    """Asks the engine itself, so the official analysis-icu plugin counts as much as ours."""
    from opensearchpy.exceptions import RequestError

    try:
        probe = {"tokenizer": "standard", "filter": ["icu_folding"], "text": "a"}
        client.indices.analyze(body=probe)
    except RequestError:
        return False
    return True


@pytest.fixture(scope="module")
def prefix(client: Any) -> Iterator[str]:
    name = f"test-search-node-{uuid.uuid4().hex[:8]}"
    yield name
    client.indices.delete(index=f"{name}*", ignore_unavailable=True)


@pytest.fixture(scope="module")
def objects_index(client: Any, prefix: str, icu_available: bool) -> str:
    index = f"{prefix}-objects-v1"
    folded_analyzer: dict[str, Any] = (
        {
            "type": "custom",
            "tokenizer": "icu_tokenizer",
            "filter": ["lowercase", "keep_short_i"],
        }
        if icu_available
        else {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding"]}
    )
    body = {
        "settings": {
            "number_of_shards": 1,
            "analysis": {
                "filter": {
                    # icu_folding would fold й to и; Kazakh and Russian spelling keep it apart.
                    "keep_short_i": {"type": "icu_folding", "unicode_set_filter": "[^йЙ]"}
                }
                if icu_available
                else {},
                "analyzer": {"folded": folded_analyzer},
            },
        },
        "mappings": {
            "properties": {
                "title": {"type": "text", "analyzer": "russian"},
                "title_folded": {"type": "text", "analyzer": "folded"},
                "museum": {"type": "keyword"},
                "production": {"type": "date_range", "format": "yyyy-MM-dd"},
            }
        },
    }
    client.indices.create(index=index, body=body)
    for doc_id, doc in DOCS.items():
        client.index(index=index, id=doc_id, body=doc)
    client.indices.refresh(index=index)
    return index


def _ids(response: dict[str, Any]) -> set[str]:
    return {hit["_id"] for hit in response["hits"]["hits"]}


@pytest.mark.opensearch
def test_russian_analyzer_finds_inflected_form(client: Any, objects_index: str) -> None:
    response = client.search(index=objects_index, body={"query": {"match": {"title": "икона"}}})
    assert _ids(response) == {"1"}


@pytest.mark.opensearch
def test_russian_analyzer_treats_yo_and_ye_alike(client: Any, objects_index: str) -> None:
    response = client.search(index=objects_index, body={"query": {"match": {"title": "ковер"}}})
    assert _ids(response) == {"3"}


@pytest.mark.opensearch
def test_icu_folding_matches_kazakh_letters_typed_without_them(
    client: Any, objects_index: str, icu_available: bool
) -> None:
    assert icu_available, "the node's IcuAnalysisPlugin did not register icu_folding"
    query = {"query": {"match": {"title_folded": "казакстан"}}}
    assert _ids(client.search(index=objects_index, body=query)) == {"1"}
    query = {"query": {"match": {"title_folded": "Қазақстан"}}}
    assert _ids(client.search(index=objects_index, body=query)) == {"1"}


@pytest.mark.opensearch
def test_icu_folding_with_set_filter_keeps_short_i(client: Any, objects_index: str, icu_available: bool) -> None:
    assert icu_available, "the node's IcuAnalysisPlugin did not register icu_folding"
    tokens = client.indices.analyze(index=objects_index, body={"analyzer": "folded", "text": "Йассауи Ёлка"})["tokens"]
    assert [t["token"] for t in tokens] == ["йассауи", "елка"]


@pytest.mark.opensearch
def test_new_indices_get_no_replicas_so_a_single_node_is_green(client: Any, objects_index: str) -> None:
    settings = client.indices.get_settings(index=objects_index)[objects_index]["settings"]
    assert settings["index"]["number_of_replicas"] == "0"
    health = client.cluster.health(index=objects_index, wait_for_status="green")
    assert health["status"] == "green"


@pytest.mark.opensearch
def test_terms_aggregation_counts_objects_per_museum(client: Any, objects_index: str) -> None:
    body = {"size": 0, "aggs": {"museums": {"terms": {"field": "museum"}}}}
    buckets = client.search(index=objects_index, body=body)["aggregations"]["museums"]["buckets"]
    assert {b["key"]: b["doc_count"] for b in buckets} == {
        "central-state-museum": 2,
        "kasteyev-art-museum": 1,
    }


@pytest.mark.opensearch
def test_date_range_field_matches_overlapping_periods(client: Any, objects_index: str) -> None:
    query = {"query": {"range": {"production": {"gte": "1790-01-01", "lte": "1860-12-31", "relation": "intersects"}}}}
    assert _ids(client.search(index=objects_index, body=query)) == {"1", "3"}
    query["query"]["range"]["production"]["relation"] = "within"
    assert _ids(client.search(index=objects_index, body=query)) == set()


@pytest.mark.opensearch
def test_alias_swap_moves_reads_to_the_new_index(client: Any, prefix: str, objects_index: str) -> None:
    alias = f"{prefix}-objects"
    client.indices.put_alias(index=objects_index, name=alias)
    new_index = f"{prefix}-objects-v2"
    mappings = {"properties": {"museum": {"type": "keyword"}}}
    client.indices.create(index=new_index, body={"mappings": mappings})
    client.index(index=new_index, id="only-in-v2", body={"museum": "new"}, refresh=True)

    client.indices.update_aliases(
        body={
            "actions": [
                {"remove": {"index": objects_index, "alias": alias}},
                {"add": {"index": new_index, "alias": alias}},
            ]
        }
    )

    assert list(client.indices.get_alias(name=alias)) == [new_index]
    assert _ids(client.search(index=alias, body={"query": {"match_all": {}}})) == {"only-in-v2"}


def _pid_is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return Path(f"/proc/{pid}/status").read_text().find("State:\tZ") != -1


def _launcher_or_skip() -> ModuleType:
    """Starting extra JVMs only when OpenSearch tests were asked for and the jar is built."""
    _opensearch_url()
    jar = REPO_ROOT / "devtools" / "search-node" / "target" / "search-node.jar"
    if not jar.is_file():
        pytest.skip(f"{jar} not built: run `python devtools/search_node.py build`")
    return _load_search_node()


@pytest.mark.opensearch
def test_launcher_starts_a_healthy_node_and_stop_ends_its_process(tmp_path: Path) -> None:
    search_node = _launcher_or_skip()

    node = search_node.start(tmp_path / "node", port=0, heap="256m")
    try:
        with urllib.request.urlopen(f"{node.url}/_cluster/health", timeout=5) as response:
            assert response.status == 200
        assert node.url.startswith("http://127.0.0.1:")
        assert (tmp_path / "node" / "search-node.log").is_file()
    finally:
        search_node.stop(node)

    deadline = time.monotonic() + 5
    while not _pid_is_gone(node.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _pid_is_gone(node.pid)


@pytest.mark.opensearch
def test_launcher_reports_the_log_tail_when_the_jvm_dies(tmp_path: Path) -> None:
    search_node = _launcher_or_skip()
    with pytest.raises(search_node.SearchNodeError, match="(?s)exited with code 1.*heap"):
        search_node.start(tmp_path / "node", heap="1k")


def test_build_is_needed_when_pom_is_newer_than_the_jar(tmp_path: Path) -> None:
    search_node = _load_search_node()
    project = tmp_path / "devtools" / "search-node"
    (project / "target" / "lib").mkdir(parents=True)
    (project / "target" / "lib" / "opensearch.jar").write_bytes(b"")
    jar = project / "target" / "search-node.jar"
    jar.write_bytes(b"")
    pom = project / "pom.xml"
    pom.write_text("<project/>")

    os.utime(pom, (1_000, 1_000))
    os.utime(jar, (2_000, 2_000))
    assert search_node.needs_build(tmp_path) is False

    os.utime(pom, (3_000, 3_000))
    assert search_node.needs_build(tmp_path) is True


def test_build_is_needed_when_lib_is_empty(tmp_path: Path) -> None:
    search_node = _load_search_node()
    project = tmp_path / "devtools" / "search-node"
    (project / "target" / "lib").mkdir(parents=True)
    (project / "target" / "search-node.jar").write_bytes(b"")
    (project / "pom.xml").write_text("<project/>")
    os.utime(project / "pom.xml", (1_000, 1_000))
    assert search_node.needs_build(tmp_path) is True


def test_jvm_command_binds_the_given_port_and_heap(tmp_path: Path) -> None:
    search_node = _load_search_node()
    command = search_node.jvm_command(tmp_path, 19999, heap="256m", root=tmp_path)
    assert "-Xms256m" in command and "-Xmx256m" in command
    assert command[-4:] == ["--home", str(tmp_path), "--port", "19999"]
    assert search_node.MAIN_CLASS in command


def test_a_benchmark_node_runs_the_server_jvm_a_test_node_the_quick_one(tmp_path: Path) -> None:
    search_node = _load_search_node()
    quick = search_node.jvm_command(tmp_path, 19999, root=tmp_path)
    server = search_node.jvm_command(tmp_path, 19999, root=tmp_path, server_jvm=True)
    assert "-XX:+UseSerialGC" in quick and "-XX:TieredStopAtLevel=1" in quick
    assert "-XX:+UseG1GC" in server
    assert not {"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"} & set(server)
    assert "-Djava.locale.providers=SPI,COMPAT" in server, "date formats parse the same on both"
