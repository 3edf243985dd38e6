"""A search result as researchers read it: titles in their language, facet values with names.

The index keeps one display title and raw facet values (``KZ-75``, ``-5``,
museum ids) because it must stay language-neutral and rebuildable.  Naming
them for a reader happens here, once, for both the JSON API and the page,
so the two can never label the same value differently.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from aggregator.catalogue import Catalogue
from aggregator.index.query import SearchResult
from aggregator.web.i18n import century_label, lang_preference, ui_strings
from aggregator.web.search_request import SearchRequest
from config.regions import region_label
from config.registry import Registry

__all__ = ["facet_label", "localised_titles", "object_path", "result_json"]


def object_path(record_id: str, prefix: str = "/objects/") -> str:
    """The URL path of a record: its id, percent-encoded but keeping the readable ':'."""
    return prefix + quote(record_id, safe=":")


def facet_label(registry: Registry, facet: str, value: str, lang: str) -> str:
    """A facet value's name in the reader's language; the value itself when there is none."""
    if facet == "region":
        return region_label(value, lang)
    if facet == "museum":
        museum = registry.get(value)
        return museum.display_name(lang) if museum else value
    if facet == "century":
        try:
            return century_label(int(value), lang)
        except ValueError:
            return value
    if facet in ("has_image", "has_3d"):
        strings = ui_strings(lang)
        return strings["yes"] if value == "true" else strings["no"] if value == "false" else value
    return value


def localised_titles(catalogue: Catalogue, ids: Iterable[str], lang: str) -> dict[str, str]:
    """Titles in the reader's language for a page of hits, read from the store in one query."""
    wanted = list(ids)
    if not wanted:
        return {}
    preference = lang_preference(lang)
    titles: dict[str, str] = {}
    # A document an older mapping wrote may no longer load: the index title then serves.
    for record_id, record in catalogue.records(wanted).items():
        title = record.title(*preference)
        if title:
            titles[record_id] = title
    return titles


def result_json(catalogue: Catalogue, request: SearchRequest, result: SearchResult) -> dict[str, Any]:
    """The API's search answer (the page renders the same structure)."""
    lang = request.lang
    registry = catalogue.settings.registry
    query = request.query
    titles = localised_titles(catalogue, [h.id for h in result.hits], lang)
    hits = []
    for hit in result.hits:
        hits.append(
            {
                "id": hit.id,
                "title": titles.get(hit.id, hit.title),
                "museum_id": hit.museum_id,
                "museum": facet_label(registry, "museum", hit.museum_id, lang),
                "region": hit.region,
                "region_label": region_label(hit.region, lang),
                "date_display": hit.date_display,
                "object_type": hit.object_type,
                "thumbnail": hit.thumbnail,
                "has_image": hit.has_image,
                "has_3d": hit.has_3d,
                "score": hit.score,
                "url": object_path(hit.id),
                "api_url": object_path(hit.id, "/api/objects/"),
            }
        )
    facets = {
        name: [
            {
                "value": v.value,
                "count": v.count,
                "label": facet_label(registry, name, v.value, lang),
                "selected": v.value in query.filters.get(name, []),
            }
            for v in values
        ]
        for name, values in result.facets.items()
    }
    pages = -(-result.total // query.size) if query.size else 0
    return {
        "query": {
            "q": query.text,
            "filters": query.filters,
            "from": query.date_from,
            "to": query.date_to,
            "sort": query.sort,
            "lang": lang,
        },
        "total": result.total,
        "page": query.page,
        "size": query.size,
        "pages": pages,
        "hits": hits,
        "facets": facets,
    }
