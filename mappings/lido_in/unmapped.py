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


class _Step:
    """One path of the consumed ones or their containers; what reaching it means.

    ``kind`` is "consumed" (read by a subject module), "container" (holds
    consumed paths: look inside) or "event" (an event: look inside with the
    event's own paths).  A child name with no step is left out of the record.
    """

    __slots__ = ("kind", "steps")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.steps: dict[str, _Step] = {}


def _tree(consumed: frozenset[_Path], containers: frozenset[_Path], event: _Path | None) -> _Step:
    """The paths as a tree of steps, so a walk looks each child name up once."""
    top = _Step("container")
    for path in sorted(consumed | containers, key=len):
        step = top
        for name in path[:-1]:
            step = step.steps[name]
        kind = "consumed" if path in consumed else "event" if path == event else "container"
        step.steps[path[-1]] = _Step(kind)
    return top


_RECORD_TREE = _tree(_CONSUMED, _CONTAINERS, _EVENT)
_EVENT_TREE = _tree(_EVENT_CONSUMED, _EVENT_CONTAINERS, None)


def unmapped_paths(lido: Element) -> list[str]:
    """Distinct source paths with content that the core record does not hold.

    Inside an event a ``partOfPlace`` below a consumed container is read like
    the place it belongs to (it stays at that container's step, any depth);
    the path reported keeps it.
    """
    found: list[str] = []

    def walk(el: Element, at: _Step, path: _Path, base: _Path) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            name = local(tag)
            step = at if base and name == _PART_OF and at is not _EVENT_TREE else at.steps.get(name)
            if step is None:
                if _has_content(child):
                    shown = _lido_path(base + (*path, name))
                    if shown not in found:
                        found.append(shown)
            elif step.kind == "container":
                walk(child, step, (*path, name), base)
            elif step.kind == "event":
                walk(child, _EVENT_TREE, (), _EVENT)

    walk(lido, _RECORD_TREE, (), ())
    return found
