"""The index document: what every index backend stores for one core record.

One projection for all engines, so facet counts and filters mean the same
thing whether the catalogue runs on SQLite FTS5 or on a search cluster.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any, Protocol

from pydantic import ValidationError

from aggregator.index.analysis import document_keys, document_stems
from aggregator.store.models import CoreRow
from mappings import iso_dates
from mappings.concepts import LOCAL_PREFIX, normalise_label, scheme
from mappings.core import CoreRecord, MediaKind, Place, Term
from mappings.text import transliterate_kk_latin
from mappings.vocabulary import term_concept

__all__ = [
    "CONCEPT_FACETS",
    "IndexDocument",
    "StoredCore",
    "build_document",
    "century_of",
    "facet_filter_values",
    "stored_document",
    "year_of",
]

#: Facets whose values are concept ids, with their vocabulary scheme.
CONCEPT_FACETS = {"object_type": "object_type", "material": "materials", "technique": "techniques"}
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def year_of(iso: str | None) -> int | None:
    """The (astronomical) year of an ISO date string such as ``-0499-01-01``."""
    return iso_dates.year_of(iso)


def century_of(year: int) -> int:
    """Ordinal century, negative for BCE: 1900 -> 19, 1901 -> 20, -499 (500 BCE) -> -5."""
    if year > 0:
        return (year - 1) // 100 + 1
    bce = 1 - year
    return -((bce - 1) // 100 + 1)


def facet_filter_values(facet: str, values: list[str]) -> list[str]:
    """Filter values as the index holds them: a concept's label in any language finds its id.

    ``material=серебро`` and ``material=Silver`` filter ``silver``; a value the
    vocabulary does not know is a local concept's label (``object_type=Icon`` is
    ``local:icon``).  Every backend calls this, so they all agree.
    """
    name = CONCEPT_FACETS.get(facet)
    if name is None:
        return values
    resolved = []
    for value in values:
        found = scheme(name).resolve(value)
        resolved.append(found if found is not None else LOCAL_PREFIX + normalise_label(value))
    return list(dict.fromkeys(resolved))


def _concepts(terms: list[Term], scheme: str) -> list[str]:
    """Facet values: concept ids, one per concept (the page and the API name them in the reader's language)."""
    return list(dict.fromkeys(c for t in terms if (c := term_concept(t, scheme))))


def _labels(term: Term) -> list[str]:
    return [*term.labels.values(), *term.source_labels.values()]


def _place_names(places: list[Place]) -> list[str]:
    """Every name of every place and of the broader places it lies in (a find spot's district finds it)."""
    return [name for place in places for level in place.hierarchy() for name in (level.name, *level.labels.values())]


@dataclass(slots=True)
class IndexDocument:
    id: str
    museum_id: str
    region: str
    title: str
    titles: dict[str, list[str]] = field(default_factory=dict)  # lang -> titles (kk_latn added)
    descriptions: dict[str, list[str]] = field(default_factory=dict)
    object_type: list[str] = field(default_factory=list)  # concept ids (mappings.concepts)
    material: list[str] = field(default_factory=list)
    technique: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    inventory_number: str | None = None
    date_display: str | None = None
    earliest: str | None = None
    latest: str | None = None
    earliest_year: int | None = None
    latest_year: int | None = None
    century: list[str] = field(default_factory=list)
    has_image: bool = False
    has_3d: bool = False
    thumbnail: str | None = None
    quality: float | None = None
    all_labels: list[str] = field(default_factory=list)  # every label of every term, any language

    def facet_values(self) -> dict[str, list[str]]:
        return {
            "museum": [self.museum_id],
            "region": [self.region],
            "object_type": self.object_type,
            "material": self.material,
            "technique": self.technique,
            "century": self.century,
            "has_image": ["true" if self.has_image else "false"],
            "has_3d": ["true" if self.has_3d else "false"],
        }

    def full_text(self) -> str:
        """All searchable text in one string, for backends that fold it themselves."""
        parts: list[str] = [self.title]
        for values in self.titles.values():
            parts.extend(values)
        for values in self.descriptions.values():
            parts.extend(values)
        parts.extend(self.all_labels)
        parts.extend(self.actors)
        parts.extend(self.places)
        if self.inventory_number:
            parts.append(self.inventory_number)
        if self.date_display:
            parts.append(self.date_display)
        return "\n".join(p for p in parts if p)

    def search_keys(self) -> str:
        return document_keys(self.full_text())

    def search_stems(self) -> str:
        return document_stems(self.full_text())

    def summary(self) -> dict[str, Any]:
        """What a hit list shows, kept beside the index so a search needs no store lookup."""
        return {
            "title": self.title,
            "object_type": self.object_type,
            "date_display": self.date_display,
            "thumbnail": self.thumbnail,
        }

    def to_json(self) -> dict[str, Any]:
        """A shallow dict of the fields (dataclasses.asdict deep-copies every list: 1 ms a record)."""
        return {name: getattr(self, name) for name in _FIELD_NAMES}


_FIELD_NAMES = tuple(f.name for f in fields(IndexDocument))


def _by_lang(texts: list[tuple[str | None, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for lang, value in texts:
        grouped.setdefault(lang or "und", []).append(value)
    return grouped


def build_document(record: CoreRecord, region: str, quality: float | None = None) -> IndexDocument:
    titles = _by_lang([(t.lang, t.value) for t in record.titles])
    for value in titles.get("kk", []):
        if _CYRILLIC.search(value):
            titles.setdefault("kk_latn", []).append(transliterate_kk_latin(value))
    production = record.production
    earliest = production.earliest if production else None
    latest = production.latest if production else None
    earliest_year, latest_year = year_of(earliest), year_of(latest)
    if earliest_year is None:
        earliest_year = latest_year
    if latest_year is None:
        latest_year = earliest_year
    centuries: list[str] = []
    if earliest_year is not None and latest_year is not None:
        # A span from 1800 is the cataloguer's 19th century (mappings/date_display), not the 18th's last year.
        start = earliest_year + 1 if latest_year > earliest_year > 0 and earliest_year % 100 == 0 else earliest_year
        first, last = sorted((century_of(start), century_of(latest_year)))
        centuries = [str(c) for c in range(first, last + 1) if c != 0][:30]
    terms = [*record.object_type, *record.classification, *record.materials, *record.techniques]
    terms += record.subjects
    if production:
        terms += production.culture + production.period
    # Every event's people, places and name are searchable: a find's finder and site, an expedition.
    places = _place_names(production.places) if production else []
    actors = [a.name for a in record.actors]
    for event in record.events:
        actors += [a.name for a in event.actors]
        places += _place_names(event.places)
        terms += event.culture + event.period
    thumbnail = next(
        (m.url for m in record.media if m.kind is MediaKind.IMAGE and m.thumbnail),
        next((m.url for m in record.media if m.kind is MediaKind.IMAGE), None),
    )
    return IndexDocument(
        id=record.id,
        museum_id=record.museum_id,
        region=region,
        title=record.title("kk", "ru", "en") or record.inventory_number or record.local_id,
        titles=titles,
        descriptions=_by_lang([(d.lang, d.value) for d in record.descriptions]),
        object_type=_concepts(record.object_type, "object_type"),
        material=_concepts(record.materials, "materials"),
        technique=_concepts(record.techniques, "techniques"),
        actors=list(dict.fromkeys(actors)),
        places=list(dict.fromkeys(places)),
        subjects=[label for t in record.subjects if (label := t.label("en", "ru", "kk", "und").strip())],
        inventory_number=record.inventory_number,
        date_display=production.date_display if production else None,
        earliest=earliest,
        latest=latest,
        earliest_year=earliest_year,
        latest_year=latest_year,
        century=centuries,
        has_image=record.has_image,
        has_3d=record.has_3d,
        thumbnail=thumbnail,
        quality=quality,
        all_labels=list(
            dict.fromkeys([*(label for t in terms for label in _labels(t)), *(e.name for e in record.events if e.name)])
        ),
    )


class StoredCore(Protocol):
    """A stored core row as far as indexing goes: a ``CoreRow`` or a Core result row of its columns."""

    @property
    def id(self) -> str: ...

    @property
    def museum_id(self) -> str: ...

    @property
    def document(self) -> dict[str, Any]: ...

    @property
    def quality(self) -> float | None: ...


def stored_document(row: StoredCore | CoreRow, region_of: dict[str, str]) -> IndexDocument:
    """The index document of a stored core row; a stored document that no longer validates names itself."""
    try:
        record = CoreRecord.model_validate(row.document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "document"
        raise ValueError(f"museum {row.museum_id}, record {row.id}, field {where}: {first.get('msg')}") from None
    return build_document(record, region_of.get(row.museum_id, ""), row.quality)
