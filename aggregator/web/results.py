"""A search result as researchers read it: titles, concepts and dates in their language.

The index keeps one display title and raw facet values (``KZ-75``, ``-5``,
museum ids, concept ids) because it must stay language-neutral and
rebuildable.  Naming them for a reader happens here, once, for both the JSON
API and the page, so the two can never label the same value differently.
Hits are read from the store (one query per page) for their titles, object
types and dates; thumbnails go through the aggregator's media proxy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from aggregator.catalogue import Catalogue
from aggregator.index.query import Hit, SearchResult
from aggregator.media.paths import first_image, iiif_manifest_path, media_path
from aggregator.web.concept_labels import CONCEPT_FACETS, concept_label, term_view
from aggregator.web.i18n import lang_preference, ui_strings
from aggregator.web.search_request import SearchRequest
from config.regions import region_label
from config.registry import Registry
from mappings.core import CoreRecord
from mappings.date_display import century_name, date_label

__all__ = ["date_view", "facet_label", "hit_json", "localised_titles", "object_path", "result_json", "span_view"]


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
            return century_name(int(value), lang)
        except ValueError:
            return value
    if facet in CONCEPT_FACETS:
        return concept_label(CONCEPT_FACETS[facet], value, lang)
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


def _says_the_same(label: str, source: str) -> bool:
    """"1907 г." adds nothing to "1907": the source's words are shown only when they say more."""
    plain_label, plain_source = (re.sub(r"\W", "", text.casefold()) for text in (label, source))
    return plain_label in plain_source and len(plain_source) <= len(plain_label) + 2


def span_view(display: str | None, earliest: str | None, latest: str | None, lang: str) -> dict[str, str | None]:
    """``{"label", "source"}`` of any event's dates: the span in the reader's words, the museum's when they differ."""
    label = date_label(earliest, latest, lang) if earliest or latest else None
    source = display
    if label and source and _says_the_same(label, source):
        source = None
    return {"label": label or source, "source": source if label else None}


def date_view(record: CoreRecord | None, lang: str, fallback: str | None = None) -> dict[str, str | None]:
    """``{"label", "source"}``: the span in the reader's words, the museum's words when they differ."""
    production = record.production if record else None
    source = production.date_display if production else fallback
    label = date_label(production.earliest, production.latest, lang) if production else None
    if label and source and _says_the_same(label, source):
        source = None
    return {"label": label or source, "source": source if label else None}


def hit_json(hit: Hit, record: CoreRecord | None, title: str | None, registry: Registry, lang: str) -> dict[str, Any]:
    """One hit as the API returns it and the page renders it."""
    image = first_image(record) if record else None
    date = date_view(record, lang, hit.date_display)
    if record is not None:
        object_types = [term_view(t, "object_type", lang) for t in record.object_type]
        types = [{"id": v["id"], "label": v["label"]} for v in object_types if v["id"]]
    else:
        types = [{"id": v, "label": concept_label("object_type", v, lang)} for v in hit.object_type]
    return {
        "id": hit.id,
        "title": title or hit.title,
        "museum_id": hit.museum_id,
        "museum": facet_label(registry, "museum", hit.museum_id, lang),
        "region": hit.region,
        "region_label": region_label(hit.region, lang),
        "date": date["label"],
        "date_source": date["source"],
        "date_display": record.production.date_display if record and record.production else hit.date_display,
        "object_type": types,
        "thumbnail": media_path("thumb", hit.id, image) if image is not None else None,
        "iiif_manifest": iiif_manifest_path(hit.id) if image is not None else None,
        "has_image": hit.has_image,
        "has_3d": hit.has_3d,
        "score": hit.score,
        "url": object_path(hit.id),
        "api_url": object_path(hit.id, "/api/objects/"),
    }


def result_json(catalogue: Catalogue, request: SearchRequest, result: SearchResult) -> dict[str, Any]:
    """The API's search answer (the page renders the same structure)."""
    lang = request.lang
    registry = catalogue.settings.registry
    query = request.query
    preference = lang_preference(lang)
    # A document an older mapping wrote may no longer load: the index's summary then serves.
    records = catalogue.records([h.id for h in result.hits]) if result.hits else {}
    hits = [
        hit_json(hit, records.get(hit.id), records[hit.id].title(*preference) if hit.id in records else None,
                 registry, lang)
        for hit in result.hits
    ]  # fmt: skip
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
        "facets_approximate": result.facets_approximate,  # counts estimated from a sample ("about")
    }
