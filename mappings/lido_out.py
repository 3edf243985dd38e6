"""Core record -> LIDO 1.1, for partners who re-harvest the national catalogue.

Every CoreRecord, however sparse, must become a document the official schema
accepts, because partners validate before they ingest and one invalid record
can make them reject a whole page.  So the required skeleton is always filled:
an object without a type gets "not specified", an object without a title gets
its inventory number (or local id) as title, both flagged with
``lido:encodinganalog="emuseum:substitute"`` so that a reader can tell our
stop-gaps from museum data.  Text is stripped of characters XML 1.0 cannot
carry and language tags that are not valid ``xs:language`` are dropped: a
value survives even when its tag cannot.

Element order follows the XSD sequences of lido-v1.1.xsd (they are strict).
Concepts are written as ``lido:conceptID``/``lido:term`` (readable by LIDO 1.0
tools too) rather than embedded ``skos:Concept``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Final

from lxml import etree

from mappings.core import (
    Actor,
    CoreRecord,
    LangText,
    Measurement,
    Media,
    MediaKind,
    Place,
    Rights,
    Term,
)
from mappings.xml_safety import NOT_XML_CHAR, XS_LANGUAGE

__all__ = [
    "DEFAULT_RECORD_SOURCE",
    "GML_NS",
    "LIDO_NS",
    "SUBSTITUTE_MARK",
    "TERMINOLOGY",
    "to_lido",
    "to_lido_element",
    "to_lido_wrap",
]

LIDO_NS: Final = "http://www.lido-schema.org"
GML_NS: Final = "http://www.opengis.net/gml"
XML_NS: Final = "http://www.w3.org/XML/1998/namespace"
TERMINOLOGY: Final = "http://terminology.lido-schema.org/"
SCHEMA_LOCATION: Final = f"{LIDO_NS} http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd"
_XSI_NS: Final = "http://www.w3.org/2001/XMLSchema-instance"
_NSMAP: Final = {"lido": LIDO_NS, "gml": GML_NS, "xsi": _XSI_NS}

DEFAULT_RECORD_SOURCE: Final = "National museum catalogue of Kazakhstan"
#: Marks values we had to invent to satisfy a required element.
SUBSTITUTE_MARK: Final = "emuseum:substitute"

# LIDO Terminology (v1.1 opaque ids; meanings as the LIDO Terminology and the
# official v1.1 examples use them: lido00007 production, lido00099 URI,
# lido00100 local identifier, lido00141 item record, lido00169 preferred).
_URI_ID: Final = TERMINOLOGY + "lido00099"
_LOCAL_ID: Final = TERMINOLOGY + "lido00100"
_PRODUCTION: Final = TERMINOLOGY + "lido00007"
_ITEM_RECORD: Final = TERMINOLOGY + "lido00141"
_PREFERRED: Final = TERMINOLOGY + "lido00169"
_ALTERNATIVE: Final = TERMINOLOGY + "lido00170"
_MATERIAL: Final = TERMINOLOGY + "lido00132"
_TECHNIQUE: Final = TERMINOLOGY + "lido00131"
_PERSON: Final = TERMINOLOGY + "lido00163"
_ORGANIZATION: Final = TERMINOLOGY + "lido00413"
_CURRENT_REPOSITORY: Final = TERMINOLOGY + "lido01017"
_METADATA_MODIFIED: Final = TERMINOLOGY + "recordMetadataDate_type/modified"

_ACTOR_TYPES: Final = {"person": _PERSON, "organization": _ORGANIZATION}
_RESOURCE_TYPES: Final = {
    MediaKind.IMAGE: "image",
    MediaKind.MODEL_3D: "3D model",
    MediaKind.VIDEO: "video",
    MediaKind.AUDIO: "audio",
    MediaKind.VIRTUAL_TOUR: "virtual tour",
    MediaKind.OTHER: "other",
}
_THUMBNAIL: Final = "thumbnail"
_INVENTORY_NUMBER: Final = "inventory number"
#: lido:source of the national vocabulary's concept ids (mappings/vocabulary/*.yaml).
_VOCABULARY_SOURCE: Final = "emuseum national vocabulary"

# Characters XML 1.0 cannot hold at all (C0 controls except tab/LF/CR, lone
# surrogates, U+FFFE/U+FFFF).
_URI_SCHEME: Final = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:\S")


def _lido(name: str) -> str:
    return f"{{{LIDO_NS}}}{name}"


_LANG: Final = f"{{{XML_NS}}}lang"


def _clean(text: str) -> str:
    return NOT_XML_CHAR.sub("", text)


def _valid_lang(lang: str | None) -> str | None:
    if lang is not None and XS_LANGUAGE.fullmatch(lang):
        return lang
    return None


def _id_type(value: str) -> str:
    """URI-shaped identifiers are typed as URIs, everything else as local ids."""
    return _URI_ID if _URI_SCHEME.match(value) else _LOCAL_ID


def _el(
    parent: etree._Element,
    name: str,
    text: str | None = None,
    *,
    lang: str | None = None,
    **lido_attrs: str | None,
) -> etree._Element:
    element = etree.SubElement(parent, _lido(name))
    for attr, value in lido_attrs.items():
        if value is not None:
            element.set(_lido(attr), _clean(value))
    tag = _valid_lang(lang)
    if tag is not None:
        element.set(_LANG, tag)
    if text is not None:
        element.text = _clean(text)
    return element


def _has_content(term: Term) -> bool:
    return bool(term.uri) or bool(term.labels)


def _fill_concept(element: etree._Element, term: Term) -> etree._Element:
    """conceptIDs then lido:terms: the order conceptElementsSet demands.

    A reconciled term carries its concept URIs (Getty AAT first, then Wikidata
    and the museum's own), the national vocabulary's concept id, the concept's
    label per language, and the museum's own words as alternate terms.
    """
    for uri in dict.fromkeys([u for u in (term.uri, *term.same_as) if u]):
        _el(element, "conceptID", uri, type=_id_type(uri), pref="preferred" if uri == term.uri else "alternate")
    if term.concept and not term.concept.startswith("local:"):
        _el(element, "conceptID", term.concept, type=_LOCAL_ID, source=_VOCABULARY_SOURCE)
    for lang, label in term.labels.items():
        _el(element, "term", label, lang=lang)
    for lang, label in term.source_labels.items():
        if term.labels.get(lang, "").casefold() != label.casefold():
            _el(element, "term", label, lang=lang, pref="alternate")
    return element


def _concepts(parent: etree._Element, name: str, terms: Iterable[Term], **lido_attrs: str | None) -> None:
    for term in terms:
        if _has_content(term):
            _fill_concept(_el(parent, name, **lido_attrs), term)


def _record_lang(record: CoreRecord) -> str:
    """The xml:lang the wrappers need: the one language of all texts, ``mul`` for
    several, ``und`` when any text has no (valid) language, so an untagged text
    never inherits a language it does not have."""
    texts = [*record.titles, *record.descriptions, *record.inscriptions]
    langs = {_valid_lang(t.lang) for t in texts}
    if None in langs or not langs:
        return "und"
    if len(langs) == 1:
        return str(next(iter(langs)))
    return "mul"


def _appellation(parent: etree._Element, name: str, value: str, **lido_attrs: str | None) -> etree._Element:
    element = _el(parent, name, **lido_attrs)
    _el(element, "appellationValue", value)
    return element


def _legal_body(parent: etree._Element, name: str, body_name: str) -> etree._Element:
    element = _el(parent, name)
    _appellation(element, "legalBodyName", body_name)
    return element


# -- descriptive metadata ---------------------------------------------------


def _classification(parent: etree._Element, record: CoreRecord) -> None:
    wrap = _el(parent, "objectClassificationWrap")
    work_types = _el(wrap, "objectWorkTypeWrap")
    usable = [t for t in record.object_type if _has_content(t)]
    if usable:
        _concepts(work_types, "objectWorkType", usable)
    else:
        substitute = _el(work_types, "objectWorkType")
        _el(substitute, "term", "not specified", lang="en", encodinganalog=SUBSTITUTE_MARK)
    classes = [t for t in record.classification if _has_content(t)]
    if classes:
        _concepts(_el(wrap, "classificationWrap"), "classification", classes)


def _titles(parent: etree._Element, record: CoreRecord) -> None:
    wrap = _el(parent, "titleWrap")
    any_preferred = any(t.preferred for t in record.titles)
    for title in record.titles:
        pref = _PREFERRED if title.preferred else (_ALTERNATIVE if any_preferred else None)
        title_set = _el(wrap, "titleSet")
        _el(title_set, "appellationValue", title.value, lang=title.lang, pref=pref)
    if not record.titles:
        # titleSet is required; the inventory number is what curators say instead.
        stand_in = record.inventory_number or record.local_id
        title_set = _el(wrap, "titleSet")
        _el(title_set, "appellationValue", stand_in, encodinganalog=SUBSTITUTE_MARK)


def _inscriptions(parent: etree._Element, texts: list[LangText]) -> None:
    if not texts:
        return
    wrap = _el(parent, "inscriptionsWrap")
    for text in texts:
        inscription = _el(wrap, "inscriptions")
        _el(inscription, "inscriptionTranscription", text.value, lang=text.lang)


def _repository(parent: etree._Element, record: CoreRecord) -> None:
    if record.inventory_number is None and record.repository is None:
        return
    repository_set = _el(_el(parent, "repositoryWrap"), "repositorySet", type=_CURRENT_REPOSITORY)
    if record.repository is not None:
        _legal_body(repository_set, "repositoryName", record.repository)
    if record.inventory_number is not None:
        _el(repository_set, "workID", record.inventory_number, type=_INVENTORY_NUMBER)


def _descriptions(parent: etree._Element, texts: list[LangText]) -> None:
    if not texts:
        return
    wrap = _el(parent, "objectDescriptionWrap")
    for text in texts:
        description = _el(wrap, "objectDescriptionSet")
        _el(description, "descriptiveNoteValue", text.value, lang=text.lang)


def _number(value: float) -> str:
    """Plain decimal notation (``0.00012``, never ``1.2e-04``): measurement readers
    expect digits, and the shortest repr digits give the same float back."""
    if not math.isfinite(value):
        return repr(value)
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def _measurements(parent: etree._Element, measurements: list[Measurement]) -> None:
    shown = [m for m in measurements if m.display is not None or m.value is not None]
    if not shown:
        return
    wrap = _el(parent, "objectMeasurementsWrap")
    for measurement in shown:
        measurement_set = _el(wrap, "objectMeasurementsSet")
        if measurement.display is not None:
            _el(measurement_set, "displayObjectMeasurements", measurement.display)
        if measurement.value is not None:
            structured = _el(_el(measurement_set, "objectMeasurements"), "measurementsSet")
            # Plain text (the mixed-content form) reads the same in LIDO 1.0, where
            # type and unit are text elements; both are required, so an empty
            # element says "not given" rather than inventing a unit.
            _el(structured, "measurementType", measurement.type)
            _el(structured, "measurementUnit", measurement.unit)
            _el(structured, "measurementValue", _number(measurement.value))


def _identification(parent: etree._Element, record: CoreRecord) -> None:
    wrap = _el(parent, "objectIdentificationWrap")
    _titles(wrap, record)
    _inscriptions(wrap, record.inscriptions)
    _repository(wrap, record)
    _descriptions(wrap, record.descriptions)
    _measurements(wrap, record.measurements)


def _actor(parent: etree._Element, actor: Actor) -> None:
    actor_in_role = _el(_el(parent, "eventActor"), "actorInRole")
    kind = actor.kind.strip().lower() if actor.kind else None
    actor_el = _el(actor_in_role, "actor", type=_ACTOR_TYPES.get(kind, actor.kind) if kind else None)
    if actor.uri:
        _el(actor_el, "actorID", actor.uri, type=_id_type(actor.uri))
    _appellation(actor_el, "nameActorSet", actor.name)
    if actor.role is not None and _has_content(actor.role):
        _fill_concept(_el(actor_in_role, "roleActor"), actor.role)


def _place(parent: etree._Element, place: Place) -> None:
    place_el = _el(_el(parent, "eventPlace"), "place")
    if place.uri:
        _el(place_el, "placeID", place.uri, type=_id_type(place.uri))
    _appellation(place_el, "namePlaceSet", place.name)
    if place.lat is not None and place.lon is not None:
        if math.isfinite(place.lat) and math.isfinite(place.lon):
            point = etree.SubElement(_el(place_el, "gml"), f"{{{GML_NS}}}Point")
            # WGS 84 (EPSG:4326) axis order is latitude, longitude, as in the LIDO examples.
            point.set("srsName", "EPSG:4326")
            pos = etree.SubElement(point, f"{{{GML_NS}}}pos")
            pos.text = f"{_number(place.lat)} {_number(place.lon)}"


def _production(parent: etree._Element, record: CoreRecord) -> None:
    production = record.production
    if production is None and not (record.actors or record.materials or record.techniques):
        return
    event = _el(_el(_el(parent, "eventWrap"), "eventSet"), "event")
    event_type = _el(event, "eventType")
    _el(event_type, "conceptID", _PRODUCTION, type=_URI_ID)
    _el(event_type, "term", "Production", lang="en")
    for actor in record.actors:
        _actor(event, actor)
    if production is not None:
        _concepts(event, "culture", production.culture)
        if production.date_display or production.earliest or production.latest:
            event_date = _el(event, "eventDate")
            if production.date_display is not None:
                _el(event_date, "displayDate", production.date_display)
            if production.earliest or production.latest:
                date = _el(event_date, "date")
                if production.earliest:
                    _el(date, "earliestDate", production.earliest)
                if production.latest:
                    _el(date, "latestDate", production.latest)
        _concepts(event, "periodName", production.period)
        for place in production.places:
            _place(event, place)
    materials = [t for t in record.materials if _has_content(t)]
    techniques = [t for t in record.techniques if _has_content(t)]
    if materials or techniques:
        materials_tech = _el(_el(event, "eventMaterialsTech"), "materialsTech")
        _concepts(materials_tech, "termMaterialsTech", materials, type=_MATERIAL)
        _concepts(materials_tech, "termMaterialsTech", techniques, type=_TECHNIQUE)


def _subjects(parent: etree._Element, subjects: list[Term]) -> None:
    usable = [t for t in subjects if _has_content(t)]
    if not usable:
        return
    wrap = _el(_el(parent, "objectRelationWrap"), "subjectWrap")
    for term in usable:
        subject = _el(_el(wrap, "subjectSet"), "subject")
        _fill_concept(_el(subject, "subjectConcept"), term)


def _descriptive(parent: etree._Element, record: CoreRecord, lang: str) -> None:
    descriptive = _el(parent, "descriptiveMetadata", lang=lang)
    _classification(descriptive, record)
    _identification(descriptive, record)
    _production(descriptive, record)
    _subjects(descriptive, record.subjects)


# -- administrative metadata ------------------------------------------------


def _rights(parent: etree._Element, name: str, rights: Rights) -> None:
    rights_el = _el(parent, name)
    if rights.uri or rights.label:
        # No lido:type (lido00921 in the v1.1 examples): v1.0 does not allow it there,
        # and a single untyped rightsType is valid under the v1.1 Schematron too.
        rights_type = _el(rights_el, "rightsType")
        if rights.uri:
            _el(rights_type, "conceptID", rights.uri, type=_id_type(rights.uri))
        if rights.label:
            _el(rights_type, "term", rights.label)
    if rights.holder:
        _legal_body(rights_el, "rightsHolder", rights.holder)
    if rights.credit_line:
        _el(rights_el, "creditLine", rights.credit_line)


def _is_empty(rights: Rights | None) -> bool:
    return rights is None or not (rights.uri or rights.label or rights.holder or rights.credit_line)


def _record_wrap(parent: etree._Element, record: CoreRecord, record_source: str) -> None:
    wrap = _el(parent, "recordWrap")
    _el(wrap, "recordID", record.local_id, type=_LOCAL_ID, source=record.museum_id)
    record_type = _el(wrap, "recordType")
    _el(record_type, "conceptID", _ITEM_RECORD, type=_URI_ID)
    _el(record_type, "term", "Item-level record", lang="en")
    _legal_body(wrap, "recordSource", record_source)
    source = record.source
    if source.oai_identifier or record.links.object_page or source.datestamp:
        info = _el(wrap, "recordInfoSet")
        if source.oai_identifier:
            _el(info, "recordInfoID", source.oai_identifier, type=_id_type(source.oai_identifier))
        if record.links.object_page:
            _el(info, "recordInfoLink", record.links.object_page, formatResource="text/html")
        if source.datestamp:
            _el(info, "recordMetadataDate", source.datestamp, type=_METADATA_MODIFIED)
    # Which mapping made this record, so a partner's question can be traced to code.
    mapping = _el(wrap, "recordInfoSet", type="emuseum mapping")
    _el(mapping, "recordInfoID", source.mapping_version, type="mapping version", source="emuseum")
    if source.harvested_at is not None:
        _el(mapping, "recordMetadataDate", source.harvested_at.isoformat(), type="harvested")


def _resource(parent: etree._Element, media: Media) -> None:
    resource_set = _el(parent, "resourceSet")
    representation = _el(resource_set, "resourceRepresentation", type=_THUMBNAIL if media.thumbnail else None)
    _el(representation, "linkResource", media.url, formatResource=media.mime)
    resource_type = _el(resource_set, "resourceType")
    _el(resource_type, "term", _RESOURCE_TYPES[media.kind], lang="en")
    if media.label is not None:
        _el(resource_set, "resourceDescription", media.label)
    if not _is_empty(media.rights):
        assert media.rights is not None
        _rights(resource_set, "rightsResource", media.rights)


def _administrative(parent: etree._Element, record: CoreRecord, lang: str, record_source: str) -> None:
    administrative = _el(parent, "administrativeMetadata", lang=lang)
    if not _is_empty(record.rights):
        assert record.rights is not None
        _rights(_el(administrative, "rightsWorkWrap"), "rightsWorkSet", record.rights)
    _record_wrap(administrative, record, record_source)
    if record.media:
        wrap = _el(administrative, "resourceWrap")
        for media in record.media:
            _resource(wrap, media)


# -- documents --------------------------------------------------------------


def _build(record: CoreRecord, record_source: str, parent: etree._Element | None) -> etree._Element:
    if parent is None:
        lido = etree.Element(_lido("lido"), nsmap=_NSMAP)
        lido.set(f"{{{_XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    else:
        lido = etree.SubElement(parent, _lido("lido"))
    lido.set(_lido("relatedencoding"), _clean(record.source.format))
    _el(lido, "lidoRecID", record.id, type=_LOCAL_ID, source=record.museum_id)
    for published in record.links.published_ids:
        _el(lido, "objectPublishedID", published, type=_id_type(published))
    lang = _record_lang(record)
    _descriptive(lido, record, lang)
    _administrative(lido, record, lang, record_source)
    return lido


def to_lido_element(record: CoreRecord, *, record_source: str = DEFAULT_RECORD_SOURCE) -> etree._Element:
    """The ``lido:lido`` element, for callers that embed it (OAI-PMH responses)."""
    return _build(record, record_source, None)


def to_lido(record: CoreRecord, *, record_source: str = DEFAULT_RECORD_SOURCE) -> bytes:
    """One record as a bare ``lido:lido`` document, UTF-8 with XML declaration."""
    return etree.tostring(
        to_lido_element(record, record_source=record_source),
        xml_declaration=True,
        encoding="UTF-8",
        pretty_print=True,
    )


def to_lido_wrap(records: Iterable[CoreRecord], *, record_source: str = DEFAULT_RECORD_SOURCE) -> bytes:
    """Several records in one ``lido:lidoWrap``.

    The schema needs at least one ``lido:lido`` in a wrap, so an empty iterable
    is refused rather than producing a document partners would reject.
    """
    wrap = etree.Element(_lido("lidoWrap"), nsmap=_NSMAP)
    wrap.set(f"{{{_XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    for record in records:
        _build(record, record_source, wrap)
    if len(wrap) == 0:
        raise ValueError("a lido:lidoWrap needs at least one record; got none")
    return etree.tostring(wrap, xml_declaration=True, encoding="UTF-8", pretty_print=True)
