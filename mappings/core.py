"""The core record: one museum object as the national catalogue understands it.

It is the meeting point of every source format (LIDO 1.0/1.1, oai_dc, CSV
exports) and every output (LIDO, Linked Art, Turtle, index documents), shaped
after LIDO's descriptive and administrative metadata and the CIDOC-CRM paths
that LIDO maps to.  Everything here is plain data, JSON-serialisable, so that
the store can keep it as a document and a re-mapping can be compared field by
field with what was there before.

Dates are kept as ISO 8601 strings (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``,
with a leading ``-`` for years before the common era, astronomical numbering)
because ``datetime.date`` cannot hold the BCE dates an archaeology museum has.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from harvester.raw import record_id

__all__ = [
    "ISO_DATE",
    "Actor",
    "CoreRecord",
    "Event",
    "LangText",
    "Links",
    "Measurement",
    "Media",
    "MediaKind",
    "Place",
    "Production",
    "Rights",
    "SourceInfo",
    "Term",
    "record_id",
]

#: Accepted shape of normalised dates: optional minus sign, 4+ digit year,
#: optional month and day.
ISO_DATE = re.compile(r"^-?\d{4,}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")

_ID_PART = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Term(_Model):
    """A controlled or free term with labels per language (``und`` when unknown).

    Once reconciled (``mappings.vocabulary``) a term is a *concept*: ``concept``
    is its id in the national vocabulary (``"kebeje"``) or, for a term the
    vocabulary does not know, a local id made from its normalised label
    (``"local:earrings"``), so ``Earrings`` and ``earrings`` count as one value.
    ``labels`` are then the concept's kk/ru/en labels, ``source_labels`` what
    the museum wrote (kept whenever they differ), ``uri`` the concept's Getty
    AAT (else Wikidata, else the source's) URI and ``same_as`` its other URIs.
    """

    labels: dict[str, str] = Field(default_factory=dict)
    uri: str | None = None
    concept: str | None = None
    source_labels: dict[str, str] = Field(default_factory=dict)
    same_as: list[str] = Field(default_factory=list)

    def label(self, *langs: str) -> str:
        """The label in the first language asked for that exists, else any label."""
        for lang in langs:
            if lang in self.labels:
                return self.labels[lang]
        if self.labels:
            return next(iter(self.labels.values()))
        return self.uri or ""


class LangText(_Model):
    """A text (title, description, inscription) in one language."""

    value: str
    lang: str | None = None
    preferred: bool = False


class Actor(_Model):
    name: str
    role: Term | None = None
    uri: str | None = None
    kind: str | None = None  # "person", "organization" or None when the source does not say


class Place(_Model):
    """A place as the source names it; ``concept`` and ``labels`` (kk/ru/en) once reconciled.

    ``part_of`` is the broader place it lies in, as the source nests them
    (LIDO ``partOfPlace``): a find spot within a village, within a district,
    a region, a country.  Researchers search by any level, so every level is
    kept rather than the narrowest name alone.
    """

    name: str
    uri: str | None = None
    lat: float | None = None
    lon: float | None = None
    concept: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    part_of: Place | None = None

    def hierarchy(self) -> list[Place]:
        """This place, then each broader place it lies in."""
        chain: list[Place] = []
        current: Place | None = self
        while current is not None and len(chain) < 32:
            chain.append(current)
            current = current.part_of
        return chain


class _Dated(_Model):
    """Dates of an event: the museum's display text and normalised ISO bounds."""

    date_display: str | None = None
    earliest: str | None = None
    latest: str | None = None

    @field_validator("earliest", "latest")
    @classmethod
    def _iso(cls, value: str | None) -> str | None:
        if value is not None and not ISO_DATE.match(value):
            raise ValueError(f"not an ISO date (YYYY[-MM[-DD]], '-' for BCE): {value!r}")
        return value


class Production(_Dated):
    """The production / creation event, the one event every search needs.

    Its makers are the record's ``actors`` and its materials and techniques
    the record's own, as LIDO and most catalogues keep them.
    """

    places: list[Place] = Field(default_factory=list)
    culture: list[Term] = Field(default_factory=list)
    period: list[Term] = Field(default_factory=list)


class Event(_Dated):
    """Any other event in the object's life: a find, an excavation, an acquisition, a use, ...

    ``type`` is a concept of the LIDO event-type terminology
    (``mappings/data/event_types.yaml``): ``concept`` is its key
    (``finding``, ``excavation``), ``uri`` its terminology URI, ``labels`` its
    kk/ru/en names and ``source_labels`` the museum's own words where they
    differ.  A type the terminology does not know keeps the museum's words
    (and a local concept id); an untyped event has none.  The making itself
    is ``CoreRecord.production``, never one of these.
    """

    type: Term | None = None
    name: str | None = None  # the event's own name: an excavation, an expedition, an exhibition
    actors: list[Actor] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    culture: list[Term] = Field(default_factory=list)
    period: list[Term] = Field(default_factory=list)
    materials: list[Term] = Field(default_factory=list)
    techniques: list[Term] = Field(default_factory=list)
    descriptions: list[LangText] = Field(default_factory=list)


class Measurement(_Model):
    type: str | None = None  # height, width, depth, diameter, weight, ...
    value: float | None = None
    unit: str | None = None
    display: str | None = None


class Rights(_Model):
    uri: str | None = None  # Creative Commons / RightsStatements.org URI when given
    label: str | None = None
    holder: str | None = None
    credit_line: str | None = None


class MediaKind(StrEnum):
    IMAGE = "image"
    MODEL_3D = "3d"
    VIDEO = "video"
    AUDIO = "audio"
    VIRTUAL_TOUR = "virtual_tour"
    OTHER = "other"


class Media(_Model):
    url: str
    kind: MediaKind = MediaKind.OTHER
    mime: str | None = None
    label: str | None = None
    rights: Rights | None = None
    thumbnail: bool = False


class Links(_Model):
    published_ids: list[str] = Field(default_factory=list)
    object_page: str | None = None


class SourceInfo(_Model):
    """Provenance of the record: where it came from and which mapping made it."""

    format: str  # "lido", "oai_dc", "csv:<profile>"
    oai_identifier: str | None = None
    datestamp: str | None = None
    harvested_at: datetime | None = None
    mapping_version: str
    schema_version: str | None = None  # e.g. LIDO "1.0" / "1.1"


class CoreRecord(_Model):
    """One object; ``production`` is its making, ``events`` everything else that happened to it.

    ``events`` holds every event the source records other than the one the
    mapping took for the making, in source order: a find, an excavation,
    acquisitions, uses, exhibitions, restorations, and further making events
    (a design beside the production).  The making is never repeated there, so
    every consumer of ``production`` (dates, makers in ``actors``, materials)
    stays as it was and no value is stored twice.

    ``provenance`` says where each value came from: a field path (``titles``,
    ``production.earliest``, ``events[0].actors``) mapped to the source paths
    that gave it: LIDO element paths relative to the record's ``lido``
    element, LIDO's namespace implied (``descriptiveMetadata/eventWrap/eventSet[2]/event``;
    one path without a position when every sibling of that name was read),
    oai_dc element names (``dc:title``, ``dc:date[2]``), CSV column headers.  With
    ``source.mapping_version`` it answers "which element, read by which
    mapping, gave this value"; a value the mapping made up (a default) has no
    entry.
    """

    id: str
    museum_id: str
    local_id: str
    inventory_number: str | None = None
    repository: str | None = None
    object_type: list[Term] = Field(default_factory=list)
    classification: list[Term] = Field(default_factory=list)
    titles: list[LangText] = Field(default_factory=list)
    descriptions: list[LangText] = Field(default_factory=list)
    inscriptions: list[LangText] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    production: Production | None = None
    events: list[Event] = Field(default_factory=list)
    materials: list[Term] = Field(default_factory=list)
    techniques: list[Term] = Field(default_factory=list)
    measurements: list[Measurement] = Field(default_factory=list)
    subjects: list[Term] = Field(default_factory=list)
    rights: Rights | None = None
    media: list[Media] = Field(default_factory=list)
    links: Links = Field(default_factory=Links)
    source: SourceInfo
    #: Field path -> the source paths its value came from (see ``provenance_key``).
    provenance: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("museum_id")
    @classmethod
    def _museum_id(cls, value: str) -> str:
        if not _ID_PART.match(value):
            raise ValueError(f"museum id must be [a-z0-9-]: {value!r}")
        return value

    def title(self, *langs: str) -> str:
        """The display title: preferred first, then by language preference."""
        if not self.titles:
            return ""
        for lang in langs:
            for t in self.titles:
                if t.lang == lang:
                    return t.value
        preferred = [t for t in self.titles if t.preferred]
        return (preferred or self.titles)[0].value

    @property
    def has_image(self) -> bool:
        return any(m.kind is MediaKind.IMAGE for m in self.media)

    @property
    def has_3d(self) -> bool:
        return any(m.kind is MediaKind.MODEL_3D for m in self.media)
