"""The source paths the core record cannot hold, so a museum sees what is not shown.

Everything below a consumed path is read by some subject module; a path with
content that is neither consumed nor a container of consumed paths is
reported once.  Events are reported by use: the production and making events
are read whole, unspecified events only for materials, and any other event
(an acquisition, a restoration) is reported as a whole with its type.
"""

from __future__ import annotations

from typing import Literal

from mappings.lido_in.elements import Element
from mappings.lido_terms import EventKind

__all__ = ["EventUse", "ReadAs", "unmapped_paths"]

#: How an event was read: whole, for its materials only, or not at all.
ReadAs = Literal["all", "materials", "none"]
#: (the event's kind, how it was read, its type label for the report)
EventUse = tuple[EventKind, ReadAs, str]

_Path = tuple[str, ...]


def _paths(*written: str) -> frozenset[_Path]:
    return frozenset(tuple(path.split("/")) for path in written)


_CONSUMED = _paths(
    "lidoRecID",
    "objectPublishedID",
    "category",
    "descriptiveMetadata/objectClassificationWrap/objectWorkTypeWrap/objectWorkType",
    "descriptiveMetadata/objectClassificationWrap/classificationWrap/classification",
    "descriptiveMetadata/objectIdentificationWrap/titleWrap/titleSet/appellationValue",
    "descriptiveMetadata/objectIdentificationWrap/inscriptionsWrap/inscriptions/inscriptionTranscription",
    "descriptiveMetadata/objectIdentificationWrap/inscriptionsWrap/inscriptions/inscriptionDescription"
    "/descriptiveNoteValue",
    "descriptiveMetadata/objectIdentificationWrap/repositoryWrap/repositorySet/repositoryName/legalBodyName",
    "descriptiveMetadata/objectIdentificationWrap/repositoryWrap/repositorySet/workID",
    "descriptiveMetadata/objectIdentificationWrap/objectDescriptionWrap/objectDescriptionSet/descriptiveNoteValue",
    "descriptiveMetadata/objectIdentificationWrap/objectMeasurementsWrap/objectMeasurementsSet"
    "/displayObjectMeasurements",
    "descriptiveMetadata/objectIdentificationWrap/objectMeasurementsWrap/objectMeasurementsSet"
    "/objectMeasurements/measurementsSet",
    "descriptiveMetadata/objectIdentificationWrap/objectMaterialsTechWrap/objectMaterialsTechSet"
    "/materialsTech/termMaterialsTech",
    "descriptiveMetadata/objectIdentificationWrap/objectMaterialsTechWrap/objectMaterialsTechSet"
    "/displayMaterialsTech",
    "descriptiveMetadata/eventWrap/eventSet/displayEvent",
    "descriptiveMetadata/objectRelationWrap/subjectWrap/subjectSet/displaySubject",
    "descriptiveMetadata/objectRelationWrap/subjectWrap/subjectSet/subject/subjectConcept",
    "descriptiveMetadata/objectRelationWrap/subjectWrap/subjectSet/subject/subjectPlace",
    "descriptiveMetadata/objectRelationWrap/subjectWrap/subjectSet/subject/subjectActor",
    "administrativeMetadata/rightsWorkWrap/rightsWorkSet/rightsType",
    "administrativeMetadata/rightsWorkWrap/rightsWorkSet/rightsHolder",
    "administrativeMetadata/rightsWorkWrap/rightsWorkSet/creditLine",
    "administrativeMetadata/recordWrap/recordID",
    "administrativeMetadata/recordWrap/recordType",
    "administrativeMetadata/recordWrap/recordInfoSet/recordInfoLink",
    "administrativeMetadata/recordWrap/recordInfoSet/recordInfoID",
    "administrativeMetadata/recordWrap/recordInfoSet/recordMetadataDate",
    "administrativeMetadata/resourceWrap/resourceSet/resourceID",
    "administrativeMetadata/resourceWrap/resourceSet/resourceRepresentation/linkResource",
    "administrativeMetadata/resourceWrap/resourceSet/resourceType",
    "administrativeMetadata/resourceWrap/resourceSet/resourceDescription",
    "administrativeMetadata/resourceWrap/resourceSet/rightsResource",
)
_EVENT: _Path = ("descriptiveMetadata", "eventWrap", "eventSet", "event")
# Inside an event read whole (paths relative to the event).
_EVENT_CONSUMED = _paths(
    "eventType",
    "eventActor/displayActorInRole",
    "eventActor/actorInRole/actor/nameActorSet",
    "eventActor/actorInRole/actor/actorID",
    "eventActor/actorInRole/roleActor",
    "eventDate/displayDate",
    "eventDate/date",
    "eventPlace/displayPlace",
    "eventPlace/place/namePlaceSet",
    "eventPlace/place/placeID",
    "eventPlace/place/gml",
    "culture",
    "periodName",
    "eventMaterialsTech/displayMaterialsTech",
    "eventMaterialsTech/materialsTech/termMaterialsTech",
)
# Inside an event read for its materials only.
_MATERIALS_ONLY = _paths(
    "eventType",
    "eventMaterialsTech/displayMaterialsTech",
    "eventMaterialsTech/materialsTech/termMaterialsTech",
)


def _prefixes(paths: frozenset[_Path]) -> frozenset[_Path]:
    return frozenset(p[:i] for p in paths for i in range(1, len(p)))


_CONTAINERS = _prefixes(_CONSUMED) | _prefixes(frozenset({(*_EVENT, "x")}))
_EVENT_CONTAINERS = _prefixes(_EVENT_CONSUMED)
_MATERIALS_CONTAINERS = _prefixes(_MATERIALS_ONLY)


def _has_content(el: Element) -> bool:
    return any(
        isinstance(node.tag, str) and ((node.text or "").strip() or any(v.strip() for v in node.attrib.values()))
        for node in el.iter()
    )


def _lido_path(parts: _Path) -> str:
    return "/".join(f"lido:{p}" for p in parts)


def unmapped_paths(lido: Element, events: dict[int, EventUse]) -> list[str]:
    """Distinct source paths with content that the core record does not hold.

    ``events`` maps an event element's id() to how it was used; an event not
    in it was not read (reported with its type, e.g. Erwerb).
    """
    found: list[str] = []

    def report(path: str) -> None:
        if path not in found:
            found.append(path)

    def walk(
        el: Element, path: _Path, consumed: frozenset[_Path], containers: frozenset[_Path], base: _Path
    ) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            rel = (*path, child.tag)
            if rel in consumed:
                continue
            if base == () and rel == _EVENT:
                use = events.get(id(child))
                if use is None or use[1] == "none":
                    if _has_content(child):
                        label = use[2] if use else "untyped"
                        report(f"{_lido_path(_EVENT)}[eventType={label!r}]")
                    continue
                whole = use[1] == "all"
                walk(
                    child,
                    (),
                    _EVENT_CONSUMED if whole else _MATERIALS_ONLY,
                    _EVENT_CONTAINERS if whole else _MATERIALS_CONTAINERS,
                    _EVENT,
                )
                continue
            if rel in containers:
                walk(child, rel, consumed, containers, base)
                continue
            if _has_content(child):
                report(_lido_path(base + rel))

    walk(lido, (), _CONSUMED, _CONTAINERS, ())
    return found
