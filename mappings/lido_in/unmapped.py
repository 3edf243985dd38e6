"""The source paths the core record cannot hold, so a museum sees what is not shown.

Everything below a consumed path is read by some subject module; a path with
content that is neither consumed nor a container of consumed paths is
reported once.  Every event is read whole (the making into ``production``,
the others into ``events``); a place nested in broader places
(``partOfPlace``, any depth) is read like the place itself.
"""

from __future__ import annotations

from typing import cast

from mappings.lido_in.elements import Element, local

__all__ = ["unmapped_paths"]

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
    "descriptiveMetadata/objectIdentificationWrap/objectMaterialsTechWrap/objectMaterialsTechSet/displayMaterialsTech",
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
# Inside an event (paths relative to the event; partOfPlace levels are left out).
_EVENT_CONSUMED = _paths(
    "eventType",
    "eventName/appellationValue",
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
    "eventDescriptionSet/descriptiveNoteValue",
)


def _prefixes(paths: frozenset[_Path]) -> frozenset[_Path]:
    return frozenset(p[:i] for p in paths for i in range(1, len(p)))


_CONTAINERS = _prefixes(_CONSUMED) | _prefixes(frozenset({(*_EVENT, "x")}))
_EVENT_CONTAINERS = _prefixes(_EVENT_CONSUMED)
_PART_OF = "partOfPlace"


def _attribute_values(node: Element) -> list[str]:
    """The values of the node's attributes, taken by local name (a namespaced one wins)."""
    # lxml-stubs type attribute items as str | bytes; parsed documents give str.
    items = cast("list[tuple[str, str]]", node.items())
    if not any(key[0] == "{" for key, _ in items):
        return [value for _, value in items]
    bare = {key: value for key, value in items if key[0] != "{"}
    spaced = {local(key): value for key, value in items if key[0] == "{"}
    return list({**bare, **spaced}.values())


def _has_content(el: Element) -> bool:
    return any(
        isinstance(node.tag, str) and ((node.text or "").strip() or any(v.strip() for v in _attribute_values(node)))
        for node in el.iter()
    )


def _lido_path(parts: _Path) -> str:
    return "/".join(f"lido:{p}" for p in parts)


def unmapped_paths(lido: Element) -> list[str]:
    """Distinct source paths with content that the core record does not hold."""
    found: list[str] = []

    def report(path: str) -> None:
        if path not in found:
            found.append(path)

    def walk(el: Element, path: _Path, consumed: frozenset[_Path], containers: frozenset[_Path], base: _Path) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            rel = (*path, local(child.tag))
            key = tuple(p for p in rel if p != _PART_OF) if base and _PART_OF in rel else rel
            if key in consumed:
                continue
            if base == () and rel == _EVENT:
                walk(child, (), _EVENT_CONSUMED, _EVENT_CONTAINERS, _EVENT)
                continue
            if key in containers:
                walk(child, rel, consumed, containers, base)
                continue
            if _has_content(child):
                report(_lido_path(base + rel))

    walk(lido, (), _CONSUMED, _CONTAINERS, ())
    return found
