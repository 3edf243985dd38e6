"""The embedded index's facet counts: kept totals for browsing, sampled estimates for huge results.

Backend-neutral behaviour (exact counts, filters) is specified in
test_search_backends.py for every engine; this covers what only FTS5 does.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from aggregator.catalogue import Catalogue
from aggregator.index import fts
from aggregator.index.documents import build_document
from aggregator.index.fts import EmbeddedSearch, SqliteFtsIndex
from aggregator.index.query import SearchQuery
from aggregator.store.database import Database
from aggregator.web.api import create_app
from config.settings import Settings
from tests.factories import make_record

MATERIALS = ("wood", "silver", "gold")


@pytest.fixture
def index(sqlite_db: Database) -> Database:
    docs = [
        build_document(
            make_record(str(n), titles={"en": f"Chest {n}"}, object_type="chest", materials=(MATERIALS[n % 3],)),
            "KZ-75" if n % 4 else "KZ-19",
        )
        for n in range(120)
    ]
    with sqlite_db.session() as session:
        SqliteFtsIndex(session).upsert(docs)
        session.commit()
    return sqlite_db


def test_a_huge_result_counts_facets_over_a_sample_and_says_so(
    index: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fts, "FACET_EXACT_LIMIT", 50)
    monkeypatch.setattr(fts, "FACET_SAMPLE", 30)
    result = EmbeddedSearch(index).search(SearchQuery(text="chest", facets=["material", "region"]))
    assert result.total == 120
    assert result.facets_approximate
    materials = {f.value: f.count for f in result.facets["material"]}
    assert set(materials) == set(MATERIALS)
    # every 4th record by rowid, scaled by 4: close to the true 40 each, never above the total
    assert all(20 <= n <= 60 for n in materials.values()), materials
    assert sum(f.count for f in result.facets["region"]) == 120


def test_results_under_the_limit_count_exactly_and_browsing_reads_the_kept_counts(index: Database) -> None:
    matched = EmbeddedSearch(index).search(SearchQuery(text="chest", facets=["material", "region"]))
    everything = EmbeddedSearch(index).search(SearchQuery(facets=["material", "region"]))
    expected = {"material": Counter({m: 40 for m in MATERIALS}), "region": Counter({"KZ-75": 90, "KZ-19": 30})}
    for result in (matched, everything):
        assert not result.facets_approximate
        for facet, counts in expected.items():
            assert {f.value: f.count for f in result.facets[facet]} == counts


def test_a_region_filter_with_text_finds_the_same_records_as_without_text(index: Database) -> None:
    search = EmbeddedSearch(index)
    with_text = search.search(SearchQuery(text="chest", filters={"region": ["KZ-19"]}, size=100))
    without = search.search(SearchQuery(filters={"region": ["KZ-19"]}, size=100))
    assert with_text.total == without.total == 30
    assert {h.id for h in with_text.hits} == {h.id for h in without.hits}


def test_the_api_and_the_page_say_when_counts_are_estimates(
    index: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fts, "FACET_EXACT_LIMIT", 50)
    monkeypatch.setattr(fts, "FACET_SAMPLE", 30)
    settings = Settings(config_dir=tmp_path, database_url="sqlite://", index_url="sqlite")
    with TestClient(create_app(Catalogue(settings, index))) as client:
        sampled = client.get("/api/search", params={"q": "chest", "facet": "material"}).json()
        exact = client.get("/api/search", params={"q": "chest 7", "facet": "material"}).json()
        page = client.get("/", params={"q": "chest", "lang": "en"}).text
    assert sampled["facets_approximate"] is True and sampled["total"] == 120
    assert exact["facets_approximate"] is False
    assert "the counts are estimated from a sample" in page
    assert re.search(r'class="count">about \d+<', page)
