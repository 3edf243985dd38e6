"""The union index as plain JSON for OpenSearch and Elasticsearch: mapping, documents, queries.

Both engines speak the same query DSL for everything the catalogue needs, so
the bodies are written once here, as dicts, with no DSL library that would tie
us to one client.  The embedded FTS5 index (``index.fts``) is the reference:
the ``keys`` and ``stems`` fields hold the very tokens ``mappings.text`` folds
for FTS5, which is what makes Kazakh Cyrillic and Latin, Russian е/ё and word
forms meet the same way on every backend; facets are counted inside the
filtered result set, as there.  The engines' own language analyzers (``ru``,
``en``) only add recall on top.
"""

from __future__ import annotations

from typing import Any, Literal

from aggregator.index.analysis import query_words
from aggregator.index.documents import IndexDocument, facet_filter_values
from aggregator.index.query import BOOLEAN_FACETS, FACETS, FacetValue, Hit, SearchQuery, SearchResult

__all__ = [
    "FACET_FIELDS",
    "FACET_LIMIT",
    "TEXT_FIELDS",
    "TextAnalysis",
    "cacheable",
    "document_body",
    "index_body",
    "parse_response",
    "search_body",
]

#: Index field that holds each facet (the names researchers use are FACETS).
FACET_FIELDS: dict[str, str] = {
    "museum": "museum_id",
    "region": "region",
    "object_type": "object_type",
    "material": "material",
    "technique": "technique",
    "century": "century",
    "has_image": "has_image",
    "has_3d": "has_3d",
}
#: As many facet values as the embedded index reports.
FACET_LIMIT = 50
#: Language of a title/description -> the analysed field it goes to.
TEXT_FIELDS: dict[str, str] = {"kk": "kk", "kk_latn": "kk_latn", "ru": "ru", "en": "en"}
_OTHER_TEXT = "other"
#: Facet values are cut like the embedded index cuts them, so filters on long labels agree.
_FACET_VALUE_CHARS = 300
#: Keyword sort values stay far below Lucene's 32 kB term limit.
_SORT_TITLE_CHARS = 500
_SOURCE_FIELDS = ["id", "museum_id", "region", "has_image", "has_3d", "summary"]
#: The title order of results, which is also the order segments are stored in (``index.sort``).
_INDEX_SORT = ("sort_title", "id")

if set(FACET_FIELDS) != set(FACETS):  # a facet added to the query model needs an index field here
    raise RuntimeError(f"engine.FACET_FIELDS does not cover FACETS: {sorted(set(FACETS) ^ set(FACET_FIELDS))}")


#: How an engine analyses text: ``language`` when it has language analyzers (OpenSearch, a full
#: Elasticsearch), ``portable`` when it has only ``standard`` (Elasticsearch's test distribution).
TextAnalysis = Literal["language", "portable"]


def index_body(analysis: TextAnalysis = "language", replicas: int | None = None) -> dict[str, Any]:
    """Settings and mappings of one physical index (the alias points at one of these).

    One shard: the national catalogue is a few million records at most, and on
    one shard terms aggregations count exactly, as the embedded index does.
    ``dynamic: strict`` turns a field this module forgot into a loud error
    instead of a silently guessed mapping.  The ``keys`` and ``stems`` come
    pre-folded from ``index.analysis`` as lists of tokens, so they mean the
    same on every engine: split on spaces where the engine can, else kept
    whole as keywords (prefix and term queries behave the same on both).  The
    engines' own language analyzers only add recall, where they exist.
    """
    keyword = {"type": "keyword"}
    # Facet fields build their global ordinals at refresh, not in the first search after it.
    facet = {"type": "keyword", "eager_global_ordinals": True}
    index_settings: dict[str, Any] = {
        "number_of_shards": 1,
        "max_result_window": 10_000,
        # Segments stored in the title order: a page sorted by title (the browse order) stops
        # collecting after ``from + size`` documents instead of sorting every match.
        "sort": {"field": list(_INDEX_SORT), "order": ["asc"] * len(_INDEX_SORT)},
    }
    if replicas is not None:
        index_settings["number_of_replicas"] = replicas
    if analysis == "language":
        analyzers: dict[str, Any] = {
            "kk_cyrillic": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]},
            "kk_latin": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "asciifolding"]},
        }
        keys: dict[str, Any] = {
            "type": "text",
            "analyzer": "whitespace",
            "index_prefixes": {"min_chars": 1, "max_chars": 10},
        }
        stems: dict[str, Any] = {"type": "text", "analyzer": "whitespace"}
        texts = {"kk": "kk_cyrillic", "kk_latn": "kk_latin", "ru": "russian", "en": "english"}
    else:
        analyzers = {"kk_cyrillic": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]}}
        keys, stems = dict(keyword), dict(keyword)
        texts = {"kk": "kk_cyrillic", "kk_latn": "kk_cyrillic", "ru": "standard", "en": "standard"}
    return {
        "settings": {"index": index_settings, "analysis": {"analyzer": analyzers}},
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "id": keyword,
                "museum_id": facet,
                "region": facet,
                "sort_title": keyword,
                "object_type": facet,
                "material": facet,
                "technique": facet,
                "century": facet,
                "has_image": {"type": "boolean"},
                "has_3d": {"type": "boolean"},
                "years": {"type": "integer_range"},
                "earliest_year": {"type": "integer"},
                "latest_year": {"type": "integer"},
                "quality": {"type": "float"},
                "keys": keys,
                "stems": stems,
                **{field: {"type": "text", "analyzer": analyzer} for field, analyzer in texts.items()},
                _OTHER_TEXT: {"type": "text", "analyzer": "standard"},
                "summary": {"type": "object", "enabled": False},
            },
        },
    }


def _facet_terms(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v[:_FACET_VALUE_CHARS] for v in values))


def document_body(doc: IndexDocument) -> dict[str, Any]:
    """The engine document of one record (its ``_id`` is ``doc.id``)."""
    body: dict[str, Any] = {
        "id": doc.id,
        "museum_id": doc.museum_id,
        "region": doc.region,
        "sort_title": doc.title.casefold()[:_SORT_TITLE_CHARS],
        "object_type": _facet_terms(doc.object_type),
        "material": _facet_terms(doc.material),
        "technique": _facet_terms(doc.technique),
        "century": _facet_terms(doc.century),
        "has_image": doc.has_image,
        "has_3d": doc.has_3d,
        "earliest_year": doc.earliest_year,
        "latest_year": doc.latest_year,
        "quality": doc.quality,
        "keys": doc.search_keys().split(),
        "stems": doc.search_stems().split(),
        "summary": doc.summary(),
    }
    if doc.earliest_year is not None and doc.latest_year is not None:
        # A range with gte > lte is refused by the engine; a reversed source range means the same span.
        low, high = sorted((doc.earliest_year, doc.latest_year))
        body["years"] = {"gte": low, "lte": high}
    texts: dict[str, list[str]] = {}
    for grouped in (doc.titles, doc.descriptions):
        for lang, values in grouped.items():
            texts.setdefault(TEXT_FIELDS.get(lang, _OTHER_TEXT), []).extend(v for v in values if v)
    body.update({field: values for field, values in texts.items() if values})
    return body


def _word_clause(word: str, key: str, stem: str) -> dict[str, Any]:
    options: list[dict[str, Any]] = [{"prefix": {"keys": {"value": key}}}]
    if stem:
        options.append({"term": {"stems": {"value": stem}}})
    options.append({"match": {"ru": {"query": word}}})
    options.append({"match": {"en": {"query": word}}})
    return {"bool": {"should": options, "minimum_should_match": 1}}


def _filter_clauses(query: SearchQuery) -> list[dict[str, Any]]:
    clauses: list[dict[str, Any]] = []
    for facet, values in sorted(query.filters.items()):
        field = FACET_FIELDS[facet]
        if facet in BOOLEAN_FACETS:
            wanted = {v == "true" for v in values}
            if len(wanted) == 1:  # asking for both true and false filters nothing
                clauses.append({"term": {field: wanted.pop()}})
            continue
        clauses.append({"terms": {field: facet_filter_values(facet, list(values))}})
    if query.date_from is not None or query.date_to is not None:
        span: dict[str, Any] = {"relation": "intersects"}
        if query.date_from is not None:
            span["gte"] = query.date_from
        if query.date_to is not None:
            span["lte"] = query.date_to
        clauses.append({"range": {"years": span}})
    return clauses


def _sort(query: SearchQuery, has_text: bool) -> list[Any]:
    by_title: list[Any] = [{field: {"order": "asc"}} for field in _INDEX_SORT]
    if query.sort == "title":
        return by_title
    if query.sort == "date":
        return [{"earliest_year": {"order": "asc", "missing": "_last"}}, *by_title]
    if query.sort == "-date":
        return [{"latest_year": {"order": "desc", "missing": "_last"}}, *by_title]
    return ["_score", *by_title] if has_text else by_title


def cacheable(query: SearchQuery) -> bool:
    """Whether to ask the shard request cache for this search: browsing without words, or facets.

    The home page, a museum's page and facet clicks are the same few requests
    asked by every researcher, and their facet counts walk every matching
    document; the engine keeps the query phase per index generation and drops it
    at the first refresh that changed the index, so a cached answer is never stale.
    Free-text searches rarely repeat and would only push those out of the cache.
    """
    return bool(query.facets) or not query.text.strip()


def search_body(query: SearchQuery) -> dict[str, Any]:
    """The _search request answering ``query``; raises QueryError beyond the result window."""
    query.check_window()
    clauses: list[dict[str, Any]] = []
    for word, key, stem in query_words(query.text):
        clause = _word_clause(word, key, stem)
        if clause not in clauses:
            clauses.append(clause)
    if query.text.strip() and not clauses:
        # Only punctuation: nothing can match, and the embedded index reports no facets either.
        return {"query": {"match_none": {}}, "size": 0, "track_total_hits": True}
    body: dict[str, Any] = {
        "query": {"bool": {"must": clauses or [{"match_all": {}}], "filter": _filter_clauses(query)}},
        "from": query.offset,
        "size": query.size,
        "sort": _sort(query, bool(clauses)),
        "track_total_hits": True,
        "_source": list(_SOURCE_FIELDS),
    }
    if clauses and query.sort != "relevance":
        body["track_scores"] = True
    if query.facets:
        body["aggs"] = {
            facet: {
                "terms": {
                    "field": FACET_FIELDS[facet],
                    "size": FACET_LIMIT,
                    "order": [{"_count": "desc"}, {"_key": "asc"}],
                }
            }
            for facet in query.facets
        }
    return body


def _total(hits: dict[str, Any]) -> int:
    total = hits.get("total", 0)
    return int(total["value"] if isinstance(total, dict) else total)


def parse_response(raw: dict[str, Any], query: SearchQuery) -> SearchResult:
    """A _search response as the backend-neutral SearchResult."""
    hits_part = raw.get("hits", {})
    hits: list[Hit] = []
    for item in hits_part.get("hits", []):
        source = item.get("_source", {})
        summary = source.get("summary") or {}
        score = item.get("_score")
        hits.append(
            Hit(
                id=source.get("id", item.get("_id", "")),
                title=summary.get("title", ""),
                museum_id=source.get("museum_id", ""),
                region=source.get("region", ""),
                date_display=summary.get("date_display"),
                object_type=summary.get("object_type") or [],
                thumbnail=summary.get("thumbnail"),
                has_image=bool(source.get("has_image")),
                has_3d=bool(source.get("has_3d")),
                score=float(score) if score is not None else None,
            )
        )
    aggregations = raw.get("aggregations") or {}
    facets: dict[str, list[FacetValue]] = {}
    for facet in query.facets:
        if facet not in aggregations:
            continue
        facets[facet] = [
            FacetValue(value=str(bucket.get("key_as_string", bucket["key"])), count=int(bucket["doc_count"]))
            for bucket in aggregations[facet].get("buckets", [])
        ]
    return SearchResult(total=_total(hits_part), hits=hits, facets=facets, page=query.page, size=query.size)
