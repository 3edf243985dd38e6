"""The index document: what every index backend stores for one core record.

One projection for all engines, so facet counts and filters mean the same
thing whether the catalogue runs on SQLite FTS5 or on a search cluster.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from mappings.core import CoreRecord, MediaKind, Term
from mappings.text import stems, tokens, transliterate_kk_latin

__all__ = ["IndexDocument", "build_document", "century_of", "year_of"]

_YEAR = re.compile(r"^(-?\d+)")
_LABEL_LANGS = ("en", "ru", "kk", "und")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def year_of(iso: str | None) -> int | None:
    """The (astronomical) year of an ISO date string such as ``-0499-01-01``."""
    from mappings import iso_dates  # imported here so this change stays inside the function

    return iso_dates.year_of(iso)


def century_of(year: int) -> int:
    """Ordinal century, negative for BCE: 1900 -> 19, 1901 -> 20, -499 (500 BCE) -> -5."""
    if year > 0:
        return (year - 1) // 100 + 1
    bce = 1 - year
    return -((bce - 1) // 100 + 1)


def _facet_label(term: Term) -> str:
    return term.label(*_LABEL_LANGS).strip()


@dataclass(slots=True)
class IndexDocument:
    id: str
    museum_id: str
    region: str
    title: str
    titles: dict[str, list[str]] = field(default_factory=dict)  # lang -> titles (kk_latn added)
    descriptions: dict[str, list[str]] = field(default_factory=dict)
    object_type: list[str] = field(default_factory=list)
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
        return " ".join(tokens(self.full_text()))

    def search_stems(self) -> str:
        return " ".join(stems(self.full_text()))

    def summary(self) -> dict:
        """What a hit list shows, kept beside the index so a search needs no store lookup."""
        return {
            "title": self.title,
            "object_type": self.object_type,
            "date_display": self.date_display,
            "thumbnail": self.thumbnail,
        }

    def to_json(self) -> dict:
        return asdict(self)


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
        first, last = sorted((century_of(earliest_year), century_of(latest_year)))
        centuries = [str(c) for c in range(first, last + 1) if c != 0][:30]
    terms = [*record.object_type, *record.classification, *record.materials, *record.techniques]
    terms += record.subjects
    if production:
        terms += production.culture + production.period
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
        object_type=[label for t in record.object_type if (label := _facet_label(t))],
        material=[label for t in record.materials if (label := _facet_label(t))],
        technique=[label for t in record.techniques if (label := _facet_label(t))],
        actors=[a.name for a in record.actors],
        places=[p.name for p in production.places] if production else [],
        subjects=[label for t in record.subjects if (label := _facet_label(t))],
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
        all_labels=[label for t in terms for label in t.labels.values()],
    )
