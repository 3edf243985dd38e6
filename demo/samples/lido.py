"""Sample objects as LIDO 1.0, the way Kazakh museums' exports look."""

from __future__ import annotations

from typing import Final

from lxml import etree

from config.regions import REGIONS
from demo.samples.labels import LANGS
from demo.samples.objects import SampleObject
from demo.samples.rights import RIGHTS_LABELS

__all__ = ["LIDO_NS", "to_lido"]

LIDO_NS: Final = "http://www.lido-schema.org"
_XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
_XSI_NS: Final = "http://www.w3.org/2001/XMLSchema-instance"
_LIDO_SCHEMA_LOCATION: Final = f"{LIDO_NS} http://www.lido-schema.org/schema/v1.0/lido-v1.0.xsd"
_TERMS: Final = "http://terminology.lido-schema.org/"


def _l(name: str) -> str:
    return f"{{{LIDO_NS}}}{name}"


def _sub(
    parent: etree._Element, name: str, text: str | None = None, **attrs: str
) -> etree._Element:
    element = etree.SubElement(parent, _l(name))
    for key, value in attrs.items():
        element.set(_XML_LANG if key == "lang" else _l(key), value)
    if text is not None:
        element.text = text
    return element


def _terms(parent: etree._Element, labels: dict[str, str], *, uri: str | None = None) -> None:
    if uri:
        _sub(parent, "conceptID", uri, type="URI")
    for lang in LANGS:
        if lang in labels:
            _sub(parent, "term", labels[lang], lang=lang)


def _appellations(parent: etree._Element, labels: dict[str, str]) -> None:
    for i, lang in enumerate(lang for lang in LANGS if lang in labels):
        _sub(parent, "appellationValue", labels[lang], lang=lang,
             pref="preferred" if i == 0 else "alternate")


def _legal_body(parent: etree._Element, name: str, museum_name: str) -> None:
    # the name comes in whatever language the caller chose, so no xml:lang
    _sub(_sub(_sub(parent, name), "legalBodyName"), "appellationValue", museum_name)


def _resource(wrap: etree._Element, url: str, mime: str, kind: str, rights: str) -> None:
    resource = _sub(wrap, "resourceSet")
    representation = _sub(
        resource, "resourceRepresentation",
        type=f"{_TERMS}resourceRepresentation_type/provided_representation",
    )
    _sub(representation, "linkResource", url, formatResource=mime)
    _terms(_sub(resource, "resourceType"), {"en": kind})
    rights_element = _sub(resource, "rightsResource")
    label = RIGHTS_LABELS.get(rights, rights)
    _terms(_sub(rights_element, "rightsType"), {"en": label}, uri=rights)


def to_lido(obj: SampleObject, museum_name: str) -> bytes:
    """One ``lido:lido`` element (LIDO 1.0, UTF-8, no XML declaration).

    Written the way Kazakh museums' exports look: one descriptive block in
    Kazakh whose values carry their own xml:lang for kk, ru and en, the
    production event with a date the catalogue displays plus ISO bounds, the
    place with its region's ISO 3166-2 code, and media as resource sets.
    """
    root = etree.Element(_l("lido"), nsmap={"lido": LIDO_NS, "xsi": _XSI_NS})
    root.set(f"{{{_XSI_NS}}}schemaLocation", _LIDO_SCHEMA_LOCATION)
    _sub(root, "lidoRecID", f"{obj.museum_id}/{obj.local_id}", type="local", source=museum_name)
    category = _sub(root, "category")
    _sub(category, "conceptID", "http://www.cidoc-crm.org/crm-concepts/E22", type="URI")
    _sub(category, "term", "Man-Made Object", lang="en")

    descriptive = _sub(root, "descriptiveMetadata", lang="kk")
    classification = _sub(descriptive, "objectClassificationWrap")
    work_type = _sub(_sub(classification, "objectWorkTypeWrap"), "objectWorkType")
    _terms(work_type, obj.object_type, uri=obj.object_type.get("uri"))
    if obj.collection:
        classes = _sub(classification, "classificationWrap")
        _terms(_sub(classes, "classification", type="collection"), obj.collection)

    identification = _sub(descriptive, "objectIdentificationWrap")
    _appellations(_sub(_sub(identification, "titleWrap"), "titleSet"), obj.titles)
    repository = _sub(_sub(identification, "repositoryWrap"), "repositorySet", type="current")
    _legal_body(repository, "repositoryName", museum_name)
    _sub(repository, "workID", obj.inventory_number, type="inventory number")
    description = _sub(_sub(identification, "objectDescriptionWrap"), "objectDescriptionSet")
    for lang in LANGS:
        if lang in obj.description:
            _sub(description, "descriptiveNoteValue", obj.description[lang], lang=lang)
    measurements = _sub(_sub(identification, "objectMeasurementsWrap"), "objectMeasurementsSet")
    _sub(measurements, "displayObjectMeasurements", obj.dimensions, lang="ru")

    event = _sub(_sub(_sub(descriptive, "eventWrap"), "eventSet"), "event")
    event_type = _sub(event, "eventType")
    _terms(event_type, {"en": "Production"}, uri=f"{_TERMS}eventType/production")
    if obj.creator:
        in_role = _sub(_sub(event, "eventActor"), "actorInRole")
        actor = _sub(in_role, "actor", type="person")
        _appellations(_sub(actor, "nameActorSet"), obj.creator_labels or {"kk": obj.creator})
        if obj.creator_role:
            _terms(_sub(in_role, "roleActor"), obj.creator_role)
    if obj.culture:
        _terms(_sub(event, "culture"), obj.culture)
    event_date = _sub(event, "eventDate")
    _sub(event_date, "displayDate", obj.date_display)
    date = _sub(event_date, "date")
    _sub(date, "earliestDate", obj.earliest)
    _sub(date, "latestDate", obj.latest)
    place = _sub(_sub(event, "eventPlace"), "place")
    _appellations(_sub(place, "namePlaceSet"), obj.place_labels or {"kk": obj.place})
    region = REGIONS.get(obj.region)
    part = _sub(place, "partOfPlace", politicalEntity="region")
    _sub(part, "placeID", obj.region, type="ISO 3166-2")
    if region is not None:
        names = {"kk": region.kk, "ru": region.ru, "en": region.en}
        _appellations(_sub(part, "namePlaceSet"), names)
    nation = _sub(part, "partOfPlace", politicalEntity="nation")
    _sub(nation, "placeID", "KZ", type="ISO 3166-1")
    _appellations(
        _sub(nation, "namePlaceSet"), {"kk": "Қазақстан", "ru": "Казахстан", "en": "Kazakhstan"}
    )
    if obj.materials or obj.techniques:
        materials_tech = _sub(_sub(event, "eventMaterialsTech"), "materialsTech")
        for material in obj.materials:
            term = _sub(materials_tech, "termMaterialsTech", type="material")
            _terms(term, material)
        for technique in obj.techniques:
            term = _sub(materials_tech, "termMaterialsTech", type="technique")
            _terms(term, technique)

    if obj.subjects:
        subjects = _sub(_sub(descriptive, "objectRelationWrap"), "subjectWrap")
        for subject in obj.subjects:
            concept = _sub(_sub(_sub(subjects, "subjectSet"), "subject"), "subjectConcept")
            _terms(concept, subject)

    administrative = _sub(root, "administrativeMetadata", lang="kk")
    rights_set = _sub(_sub(administrative, "rightsWorkWrap"), "rightsWorkSet")
    _terms(_sub(rights_set, "rightsType"), {"en": RIGHTS_LABELS.get(obj.rights, obj.rights)},
           uri=obj.rights)
    _legal_body(rights_set, "rightsHolder", museum_name)
    record = _sub(administrative, "recordWrap")
    _sub(record, "recordID", obj.local_id, type="local")
    _terms(_sub(record, "recordType"), {"en": "item"}, uri=f"{_TERMS}recordType/item")
    _legal_body(record, "recordSource", museum_name)
    info = _sub(record, "recordInfoSet")
    _sub(info, "recordMetadataDate", obj.datestamp.strftime("%Y-%m-%dT%H:%M:%SZ"), type="modified")
    media = [
        (obj.image_url, "image/jpeg", "image"),
        (obj.model_url, "model/gltf-binary", "3D model"),
        (obj.tour_url, "text/html", "virtual tour"),
    ]
    if any(url for url, _, _ in media):
        wrap = _sub(administrative, "resourceWrap")
        for url, mime, kind in media:
            if url:
                _resource(wrap, url, mime, kind, obj.rights)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=False)
