"""The LIDO document of one record (or a wrap of several), section by section.

Element order follows the XSD sequences of lido-v1.1.xsd (they are strict);
the events are written by ``mappings.lido_out.events``, single elements and
concepts through ``mappings.lido_out.nodes``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from lxml import etree

from mappings.core import CoreRecord, LangText, Measurement, Media, MediaKind, Rights, Term
from mappings.lido_out.events import event_wrap
from mappings.lido_out.nodes import (
    GML_NS,
    LIDO_NS,
    LOCAL_ID,
    SUBSTITUTE_MARK,
    TERMINOLOGY,
    URI_ID,
    clean,
    concepts,
    el,
    fill_concept,
    has_content,
    id_type,
    legal_body,
    lido,
    number,
    valid_lang,
)

__all__ = ["DEFAULT_RECORD_SOURCE", "SCHEMA_LOCATION", "to_lido", "to_lido_element", "to_lido_wrap"]

SCHEMA_LOCATION: Final = f"{LIDO_NS} http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd"
_XSI_NS: Final = "http://www.w3.org/2001/XMLSchema-instance"
_NSMAP: Final = {"lido": LIDO_NS, "gml": GML_NS, "xsi": _XSI_NS}

DEFAULT_RECORD_SOURCE: Final = "National museum catalogue of Kazakhstan"

# LIDO Terminology (v1.1 opaque ids; meanings as the LIDO Terminology and the
# official v1.1 examples use them: lido00141 item record, lido00169 preferred).
_ITEM_RECORD: Final = TERMINOLOGY + "lido00141"
_PREFERRED: Final = TERMINOLOGY + "lido00169"
_ALTERNATIVE: Final = TERMINOLOGY + "lido00170"
_CURRENT_REPOSITORY: Final = TERMINOLOGY + "lido01017"
_METADATA_MODIFIED: Final = TERMINOLOGY + "recordMetadataDate_type/modified"

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


def _record_lang(record: CoreRecord) -> str:
    """The xml:lang the wrappers need: the one language of all texts, ``mul`` for
    several, ``und`` when any text has no (valid) language, so an untagged text
    never inherits a language it does not have."""
    texts = [*record.titles, *record.descriptions, *record.inscriptions]
    langs = {valid_lang(t.lang) for t in texts}
    if None in langs or not langs:
        return "und"
    if len(langs) == 1:
        return str(next(iter(langs)))
    return "mul"


# -- descriptive metadata ---------------------------------------------------


def _classification(parent: etree._Element, record: CoreRecord) -> None:
    wrap = el(parent, "objectClassificationWrap")
    work_types = el(wrap, "objectWorkTypeWrap")
    usable = [t for t in record.object_type if has_content(t)]
    if usable:
        concepts(work_types, "objectWorkType", usable)
    else:
        substitute = el(work_types, "objectWorkType")
        el(substitute, "term", "not specified", lang="en", encodinganalog=SUBSTITUTE_MARK)
    classes = [t for t in record.classification if has_content(t)]
    if classes:
        concepts(el(wrap, "classificationWrap"), "classification", classes)


def _titles(parent: etree._Element, record: CoreRecord) -> None:
    wrap = el(parent, "titleWrap")
    any_preferred = any(t.preferred for t in record.titles)
    for title in record.titles:
        pref = _PREFERRED if title.preferred else (_ALTERNATIVE if any_preferred else None)
        title_set = el(wrap, "titleSet")
        el(title_set, "appellationValue", title.value, lang=title.lang, pref=pref)
    if not record.titles:
        # titleSet is required; the inventory number is what curators say instead.
        stand_in = record.inventory_number or record.local_id
        title_set = el(wrap, "titleSet")
        el(title_set, "appellationValue", stand_in, encodinganalog=SUBSTITUTE_MARK)


def _inscriptions(parent: etree._Element, texts: list[LangText]) -> None:
    if not texts:
        return
    wrap = el(parent, "inscriptionsWrap")
    for text in texts:
        inscription = el(wrap, "inscriptions")
        el(inscription, "inscriptionTranscription", text.value, lang=text.lang)


def _repository(parent: etree._Element, record: CoreRecord) -> None:
    if record.inventory_number is None and record.repository is None:
        return
    repository_set = el(el(parent, "repositoryWrap"), "repositorySet", type=_CURRENT_REPOSITORY)
    if record.repository is not None:
        legal_body(repository_set, "repositoryName", record.repository)
    if record.inventory_number is not None:
        el(repository_set, "workID", record.inventory_number, type=_INVENTORY_NUMBER)


def _descriptions(parent: etree._Element, texts: list[LangText]) -> None:
    if not texts:
        return
    wrap = el(parent, "objectDescriptionWrap")
    for text in texts:
        description = el(wrap, "objectDescriptionSet")
        el(description, "descriptiveNoteValue", text.value, lang=text.lang)


def _measurements(parent: etree._Element, measurements: list[Measurement]) -> None:
    shown = [m for m in measurements if m.display is not None or m.value is not None]
    if not shown:
        return
    wrap = el(parent, "objectMeasurementsWrap")
    for measurement in shown:
        measurement_set = el(wrap, "objectMeasurementsSet")
        if measurement.display is not None:
            el(measurement_set, "displayObjectMeasurements", measurement.display)
        if measurement.value is not None:
            structured = el(el(measurement_set, "objectMeasurements"), "measurementsSet")
            # Plain text (the mixed-content form) reads the same in LIDO 1.0, where
            # type and unit are text elements; both are required, so an empty
            # element says "not given" rather than inventing a unit.
            el(structured, "measurementType", measurement.type)
            el(structured, "measurementUnit", measurement.unit)
            el(structured, "measurementValue", number(measurement.value))


def _identification(parent: etree._Element, record: CoreRecord) -> None:
    wrap = el(parent, "objectIdentificationWrap")
    _titles(wrap, record)
    _inscriptions(wrap, record.inscriptions)
    _repository(wrap, record)
    _descriptions(wrap, record.descriptions)
    _measurements(wrap, record.measurements)


def _subjects(parent: etree._Element, subjects: list[Term]) -> None:
    usable = [t for t in subjects if has_content(t)]
    if not usable:
        return
    wrap = el(el(parent, "objectRelationWrap"), "subjectWrap")
    for term in usable:
        subject = el(el(wrap, "subjectSet"), "subject")
        fill_concept(el(subject, "subjectConcept"), term)


def _descriptive(parent: etree._Element, record: CoreRecord, lang: str) -> None:
    descriptive = el(parent, "descriptiveMetadata", lang=lang)
    _classification(descriptive, record)
    _identification(descriptive, record)
    event_wrap(descriptive, record)
    _subjects(descriptive, record.subjects)


# -- administrative metadata ------------------------------------------------


def _rights(parent: etree._Element, name: str, rights: Rights) -> None:
    rights_el = el(parent, name)
    if rights.uri or rights.label:
        # No lido:type (lido00921 in the v1.1 examples): v1.0 does not allow it there,
        # and a single untyped rightsType is valid under the v1.1 Schematron too.
        rights_type = el(rights_el, "rightsType")
        if rights.uri:
            el(rights_type, "conceptID", rights.uri, type=id_type(rights.uri))
        if rights.label:
            el(rights_type, "term", rights.label)
    if rights.holder:
        legal_body(rights_el, "rightsHolder", rights.holder)
    if rights.credit_line:
        el(rights_el, "creditLine", rights.credit_line)


def _is_empty(rights: Rights | None) -> bool:
    return rights is None or not (rights.uri or rights.label or rights.holder or rights.credit_line)


def _record_wrap(parent: etree._Element, record: CoreRecord, record_source: str) -> None:
    wrap = el(parent, "recordWrap")
    el(wrap, "recordID", record.local_id, type=LOCAL_ID, source=record.museum_id)
    record_type = el(wrap, "recordType")
    el(record_type, "conceptID", _ITEM_RECORD, type=URI_ID)
    el(record_type, "term", "Item-level record", lang="en")
    legal_body(wrap, "recordSource", record_source)
    source = record.source
    if source.oai_identifier or record.links.object_page or source.datestamp:
        info = el(wrap, "recordInfoSet")
        if source.oai_identifier:
            el(info, "recordInfoID", source.oai_identifier, type=id_type(source.oai_identifier))
        if record.links.object_page:
            el(info, "recordInfoLink", record.links.object_page, formatResource="text/html")
        if source.datestamp:
            el(info, "recordMetadataDate", source.datestamp, type=_METADATA_MODIFIED)
    # Which mapping made this record, so a partner's question can be traced to code.
    mapping = el(wrap, "recordInfoSet", type="emuseum mapping")
    el(mapping, "recordInfoID", source.mapping_version, type="mapping version", source="emuseum")
    if source.harvested_at is not None:
        el(mapping, "recordMetadataDate", source.harvested_at.isoformat(), type="harvested")


def _resource(parent: etree._Element, media: Media) -> None:
    resource_set = el(parent, "resourceSet")
    representation = el(resource_set, "resourceRepresentation", type=_THUMBNAIL if media.thumbnail else None)
    el(representation, "linkResource", media.url, formatResource=media.mime)
    resource_type = el(resource_set, "resourceType")
    el(resource_type, "term", _RESOURCE_TYPES[media.kind], lang="en")
    if media.label is not None:
        el(resource_set, "resourceDescription", media.label)
    if not _is_empty(media.rights):
        assert media.rights is not None
        _rights(resource_set, "rightsResource", media.rights)


def _administrative(parent: etree._Element, record: CoreRecord, lang: str, record_source: str) -> None:
    administrative = el(parent, "administrativeMetadata", lang=lang)
    if not _is_empty(record.rights):
        assert record.rights is not None
        _rights(el(administrative, "rightsWorkWrap"), "rightsWorkSet", record.rights)
    _record_wrap(administrative, record, record_source)
    if record.media:
        wrap = el(administrative, "resourceWrap")
        for media in record.media:
            _resource(wrap, media)


# -- documents --------------------------------------------------------------


def _build(record: CoreRecord, record_source: str, parent: etree._Element | None) -> etree._Element:
    if parent is None:
        root = etree.Element(lido("lido"), nsmap=_NSMAP)
        root.set(f"{{{_XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    else:
        root = etree.SubElement(parent, lido("lido"))
    root.set(lido("relatedencoding"), clean(record.source.format))
    el(root, "lidoRecID", record.id, type=LOCAL_ID, source=record.museum_id)
    for published in record.links.published_ids:
        el(root, "objectPublishedID", published, type=id_type(published))
    lang = _record_lang(record)
    _descriptive(root, record, lang)
    _administrative(root, record, lang, record_source)
    return root


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
    wrap = etree.Element(lido("lidoWrap"), nsmap=_NSMAP)
    wrap.set(f"{{{_XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    for record in records:
        _build(record, record_source, wrap)
    if len(wrap) == 0:
        raise ValueError("a lido:lidoWrap needs at least one record; got none")
    return etree.tostring(wrap, xml_declaration=True, encoding="UTF-8", pretty_print=True)
