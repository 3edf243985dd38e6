"""Core record -> simple Dublin Core (``oai_dc:dc``) for our OAI-PMH output (the catalogue, emuseum publish).

Every OAI-PMH repository must offer oai_dc, and general-purpose harvesters
(library discovery systems, BASE, OpenAIRE-style aggregators) read nothing
else.  Values are placed where ``mappings.oai_dc_in`` reads them back (media
URLs and the object page in ``dc:identifier``, materials and dimensions in
``dc:format``), so a partner running our own mapping on our output gets the
same record.  Characters XML 1.0 cannot carry are dropped, and language tags
that are not valid ``xml:lang`` values are left off, keeping the value.
"""

from __future__ import annotations

from typing import Final

from lxml import etree

from mappings.core import CoreRecord, Term
from mappings.xml_safety import NOT_XML_CHAR, XS_LANGUAGE

__all__ = ["DC_NS", "OAI_DC_NS", "OAI_DC_SCHEMA", "to_oai_dc_element"]

OAI_DC_NS: Final = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA: Final = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS: Final = "http://purl.org/dc/elements/1.1/"
_XSI_NS: Final = "http://www.w3.org/2001/XMLSchema-instance"
_XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
_NSMAP: Final = {"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": _XSI_NS}
_LABEL_LANGS: Final = ("kk", "ru", "en", "und")


def _dc(parent: etree._Element, name: str, value: str | None, lang: str | None = None) -> None:
    text = NOT_XML_CHAR.sub("", value or "").strip()
    if not text:
        return
    element = etree.SubElement(parent, f"{{{DC_NS}}}{name}")
    element.text = text
    if lang and lang != "und" and XS_LANGUAGE.fullmatch(lang):
        element.set(_XML_LANG, lang)


def _terms(parent: etree._Element, name: str, terms: list[Term]) -> None:
    """Every label of every term, each tagged with its language."""
    for term in terms:
        if not term.labels and term.uri:
            _dc(parent, name, term.uri)
        for lang, label in term.labels.items():
            _dc(parent, name, label, lang)


def _date(record: CoreRecord) -> str | None:
    production = record.production
    if production is None:
        return None
    if production.date_display:
        return production.date_display
    if production.earliest and production.latest and production.earliest != production.latest:
        return f"{production.earliest}/{production.latest}"
    return production.earliest or production.latest


def to_oai_dc_element(
    record: CoreRecord, *, publisher: str | None = None, object_url: str | None = None
) -> etree._Element:
    """The record as an ``oai_dc:dc`` element; ``object_url`` is its page in the catalogue."""
    dc = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap=_NSMAP)
    dc.set(f"{{{_XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")
    ordered = sorted(record.titles, key=lambda t: not t.preferred)
    for title in ordered:
        _dc(dc, "title", title.value, title.lang)
    for actor in record.actors:
        _dc(dc, "creator", actor.name)
    _terms(dc, "subject", record.subjects)
    for description in record.descriptions:
        _dc(dc, "description", description.value, description.lang)
    _dc(dc, "publisher", record.repository or publisher)
    _dc(dc, "date", _date(record))
    _terms(dc, "type", record.object_type)
    _terms(dc, "type", record.classification)
    for measurement in record.measurements:
        shown = measurement.display
        if not shown and measurement.value is not None:
            parts = [measurement.type, f"{measurement.value:g}", measurement.unit]
            shown = " ".join(p for p in parts if p)
        _dc(dc, "format", shown)
    for material in record.materials:
        lang = next((code for code in _LABEL_LANGS if code in material.labels), None)
        _dc(dc, "format", material.label(*_LABEL_LANGS), lang)
    _dc(dc, "identifier", record.inventory_number)
    _dc(dc, "identifier", record.links.object_page or object_url)
    for media in record.media:
        _dc(dc, "identifier", media.url)
    for published in record.links.published_ids:
        _dc(dc, "identifier", published)
    if record.production is not None:
        for place in record.production.places:
            _dc(dc, "coverage", place.name)
        _terms(dc, "coverage", record.production.period)
        _terms(dc, "coverage", record.production.culture)
    if record.rights is not None:
        _dc(dc, "rights", record.rights.uri)
        _dc(dc, "rights", record.rights.label)
        _dc(dc, "rights", record.rights.credit_line or record.rights.holder)
    return dc
